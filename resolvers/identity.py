"""Login, the viewer, API tokens and role grants."""

from datetime import timedelta

from domain.errors import DomainError
from domain.values import check_text
from identity.passwords import verify_password
from identity.tokens import ApiSecret, issue_access_token, new_api_secret, secret_hash, utcnow
from policies.permissions import Permission
from policies.viewer import Grant as GrantRecord
from policies.viewer import ViewerKind
from resolvers.scopes import scope_path
from resolvers.user_errors import user_errors
from schema.errors import ApiError
from schema.identity import (
    ApiToken,
    CreateApiTokenInput,
    CreateApiTokenPayload,
    Grant,
    GrantRoleInput,
    GrantRolePayload,
    LoginInput,
    LoginPayload,
    Me,
    RevokeApiTokenInput,
    RevokeApiTokenPayload,
)
from schema.types import Info
from store import audit, identity

THROTTLE_WINDOW = timedelta(minutes=15)
MAX_FAILURES_PER_USERNAME = 5
MAX_FAILURES_PER_ADDRESS = 20
MAX_TOKEN_LIFETIME = timedelta(days=366)
WRONG_CREDENTIALS = DomainError("INVALID_CREDENTIALS", "Nama pengguna atau kata sandi salah.")


async def login(info: Info, input: LoginInput) -> LoginPayload:
    context = info.context
    username = input.username.strip().lower()[:100]
    now = utcnow()
    async with context.services.engine.begin() as conn:
        by_username, by_address = await identity.recent_failures(
            conn, username=username, address=context.client_address, since=now - THROTTLE_WINDOW
        )
        if by_username >= MAX_FAILURES_PER_USERNAME or by_address >= MAX_FAILURES_PER_ADDRESS:
            throttled = DomainError("RATE_LIMITED", "Terlalu banyak percobaan masuk. Coba lagi 15 menit lagi.")
            return LoginPayload(token=None, expires_at=None, user_errors=user_errors([throttled]))
        user = await identity.user_by_username(conn, username)
        # The hash is verified even for an unknown user, so the answer and its timing say nothing
        # about whether the username exists.
        known = user is not None and user.is_active
        if not verify_password(user.password_hash if user and known else None, input.password) or user is None:
            await identity.record_failure(conn, username=username, address=context.client_address)
            return LoginPayload(token=None, expires_at=None, user_errors=user_errors([WRONG_CREDENTIALS]))
        await identity.clear_failures(conn, username=username, older_than=THROTTLE_WINDOW)
    issued = issue_access_token(secret=context.services.secret, user_id=user.id, username=user.username, now=now)
    return LoginPayload(token=issued.token, expires_at=issued.expires_at, user_errors=[])


def _grants(records: tuple[GrantRecord, ...]) -> list[Grant]:
    return [Grant(role=g.role, scope_path=g.path) for g in records]


async def me(info: Info) -> Me | None:
    viewer = info.context.viewer
    if viewer.user_id is None:
        return None
    user = await identity.user_by_id(await info.context.connection(), viewer.user_id)
    if user is None:
        return None
    return Me(username=user.username, display_name=user.display_name, nip=user.nip, grants=_grants(viewer.grants))


def _signed_in_user(info: Info) -> int:
    viewer = info.context.viewer
    if viewer.kind is ViewerKind.ANONYMOUS or viewer.user_id is None:
        raise ApiError("UNAUTHENTICATED", "Masuk terlebih dahulu.")
    if viewer.kind is ViewerKind.API_CLIENT:
        raise ApiError("FORBIDDEN", "Token API hanya dapat membaca data.")
    return viewer.user_id


async def api_tokens(info: Info) -> list[ApiToken]:
    user_id = _signed_in_user(info)
    return [ApiToken.of(r) for r in await identity.api_tokens_of(await info.context.connection(), user_id)]


async def create_api_token(info: Info, input: CreateApiTokenInput) -> CreateApiTokenPayload:
    user_id = _signed_in_user(info)
    try:
        name = _checked(input.name, "name")
        path = await scope_path(info, input.scope, argument="scope")
        if path is None or not info.context.viewer.may(Permission.CREATE_TOKENS, path):
            raise DomainError("FORBIDDEN", "Anda tidak berwenang membuat token untuk cakupan ini.", "scope")
        now = utcnow()
        if not now < input.expires_at <= now + MAX_TOKEN_LIFETIME:
            raise DomainError(
                "INVALID_EXPIRY", "Masa berlaku harus di masa depan, paling lama satu tahun.", "expiresAt"
            )
        secret = new_api_secret()
        async with info.context.services.engine.begin() as conn:
            record = await identity.insert_api_token(
                conn,
                user_id=user_id,
                name=name,
                scope_path=path,
                secret_hash=secret_hash(secret),
                expires_at=input.expires_at,
            )
            await audit.append(conn, [_token_audit(info, "api_token.create", record.id, path)])
    except DomainError as error:
        return CreateApiTokenPayload(token=None, api_token=None, user_errors=user_errors([error]))
    token = ApiSecret(record.id, secret).token
    return CreateApiTokenPayload(token=token, api_token=ApiToken.of(record), user_errors=[])


async def revoke_api_token(info: Info, input: RevokeApiTokenInput) -> RevokeApiTokenPayload:
    user_id = _signed_in_user(info)
    record = None
    if input.id.isdigit():
        async with info.context.services.engine.begin() as conn:
            record = await identity.revoke_api_token(conn, token_id=int(input.id), user_id=user_id)
            if record is not None:
                await audit.append(conn, [_token_audit(info, "api_token.revoke", record.id, record.scope_path)])
    if record is None:
        missing = DomainError("NOT_FOUND", "Token tidak ditemukan.", "id")
        return RevokeApiTokenPayload(api_token=None, user_errors=user_errors([missing]))
    return RevokeApiTokenPayload(api_token=ApiToken.of(record), user_errors=[])


def _token_audit(info: Info, action: str, token_id: int, path: str) -> audit.AuditEntry:
    return audit.AuditEntry(
        actor=info.context.actor,
        request_id=info.context.request_id,
        action=action,
        entity_type="api_token",
        entity_id=str(token_id),
        scope_path=path,
    )


def _checked(text: str, field: str) -> str:
    try:
        return check_text(text, max_length=100)
    except DomainError as error:
        raise error.at(field) from error


async def _grant_target(info: Info, input: GrantRoleInput) -> tuple[int, GrantRecord]:
    """Check that the caller may manage this grant; return the grantee and the grant."""
    _signed_in_user(info)
    viewer = info.context.viewer
    path = await scope_path(info, input.scope, argument="scope")
    if path is None or not viewer.may(Permission.MANAGE_GRANTS, path):
        raise DomainError("FORBIDDEN", "Anda tidak berwenang mengelola hak akses pada cakupan ini.", "scope")
    if input.role not in info.context.services.authoriser.roles_held(viewer, path):
        raise DomainError("ROLE_NOT_HELD", "Anda tidak dapat memberikan peran yang tidak Anda miliki.", "role")
    grantee = await identity.user_by_username(await info.context.connection(), input.username.strip().lower())
    if grantee is None:
        raise DomainError("NOT_FOUND", "Pengguna tidak ditemukan.", "username")
    return grantee.id, GrantRecord(input.role, path)


def _grant_audit(info: Info, action: str, username: str, grant: GrantRecord) -> audit.AuditEntry:
    return audit.AuditEntry(
        actor=info.context.actor,
        request_id=info.context.request_id,
        action=action,
        entity_type="grant",
        entity_id=f"{username.strip().lower()}:{grant.role.value}",
        scope_path=grant.path,
        new={"username": username.strip().lower(), "role": grant.role.value, "scope": grant.path},
    )


async def grant_role(info: Info, input: GrantRoleInput) -> GrantRolePayload:
    try:
        grantee_id, grant = await _grant_target(info, input)
        async with info.context.services.engine.begin() as conn:
            await identity.add_grant(conn, grantee_id, grant)
            await audit.append(conn, [_grant_audit(info, "grant.add", input.username, grant)])
    except DomainError as error:
        return GrantRolePayload(grant=None, user_errors=user_errors([error]))
    return GrantRolePayload(grant=Grant(role=grant.role, scope_path=grant.path), user_errors=[])


async def revoke_role(info: Info, input: GrantRoleInput) -> GrantRolePayload:
    try:
        grantee_id, grant = await _grant_target(info, input)
        async with info.context.services.engine.begin() as conn:
            if not await identity.remove_grant(conn, grantee_id, grant):
                raise DomainError("NOT_FOUND", "Pengguna tidak memegang peran ini pada cakupan ini.", "role")
            await audit.append(conn, [_grant_audit(info, "grant.remove", input.username, grant)])
    except DomainError as error:
        return GrantRolePayload(grant=None, user_errors=user_errors([error]))
    return GrantRolePayload(grant=Grant(role=grant.role, scope_path=grant.path), user_errors=[])
