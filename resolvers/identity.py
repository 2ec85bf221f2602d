"""Login, the viewer, API tokens and role grants (the writes are actions/identity.py)."""

from collections.abc import Awaitable, Callable

from actions import identity as access
from identity.tokens import utcnow
from policies.viewer import Grant as GrantRecord
from policies.viewer import ViewerKind
from resolvers.scopes import scope_path
from resolvers.writes import in_transaction, user_errors
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
from store import identity


async def login(info: Info, input: LoginInput) -> LoginPayload:
    context = info.context
    done = await in_transaction(
        info,
        lambda conn: access.login(
            conn,
            username=input.username,
            password=input.password,
            client_address=context.client_address,
            secret=context.services.secret,
            now=utcnow(),
        ),
    )
    signed_in = done.value
    if signed_in is None or signed_in.issued is None:
        refused = user_errors([signed_in.refusal]) if signed_in and signed_in.refusal else done.user_errors
        return LoginPayload(token=None, expires_at=None, user_errors=refused)
    return LoginPayload(token=signed_in.issued.token, expires_at=signed_in.issued.expires_at, user_errors=[])


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
    path = await scope_path(info, input.scope, argument="scope")
    done = await in_transaction(
        info,
        lambda conn: access.create_api_token(
            conn,
            caller=info.context.caller,
            user_id=user_id,
            name=input.name,
            scope_path=path,
            expires_at=input.expires_at,
            now=utcnow(),
            registered_only=input.registered_only,
            individual_grants=input.individual_data,
        ),
    )
    if done.value is None:
        return CreateApiTokenPayload(token=None, api_token=None, user_errors=done.user_errors)
    return CreateApiTokenPayload(token=done.value.token, api_token=ApiToken.of(done.value.record), user_errors=[])


async def revoke_api_token(info: Info, input: RevokeApiTokenInput) -> RevokeApiTokenPayload:
    user_id = _signed_in_user(info)
    token_id = int(input.id) if input.id.isdigit() else 0  # 0 names no token
    done = await in_transaction(
        info, lambda conn: access.revoke_api_token(conn, caller=info.context.caller, user_id=user_id, token_id=token_id)
    )
    api_token = ApiToken.of(done.value) if done.value else None
    return RevokeApiTokenPayload(api_token=api_token, user_errors=done.user_errors)


async def grant_role(info: Info, input: GrantRoleInput) -> GrantRolePayload:
    return await _change_grant(info, input, access.grant_role)


async def revoke_role(info: Info, input: GrantRoleInput) -> GrantRolePayload:
    return await _change_grant(info, input, access.revoke_role)


async def _change_grant(
    info: Info, input: GrantRoleInput, change: Callable[..., Awaitable[GrantRecord]]
) -> GrantRolePayload:
    _signed_in_user(info)
    path = await scope_path(info, input.scope, argument="scope")
    done = await in_transaction(
        info,
        lambda conn: change(
            conn,
            caller=info.context.caller,
            authoriser=info.context.services.authoriser,
            username=input.username,
            role=input.role,
            scope_path=path,
        ),
    )
    grant = Grant(role=done.value.role, scope_path=done.value.path) if done.value else None
    return GrantRolePayload(grant=grant, user_errors=done.user_errors)
