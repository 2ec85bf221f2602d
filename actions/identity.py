"""Signing in, API tokens for third-party tools, and role grants."""

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

import structlog
from sqlalchemy.ext.asyncio import AsyncConnection

from actions import audit
from actions.caller import Caller
from domain import throttle
from domain.errors import DomainError
from domain.values import check_text
from identity.passwords import verify_password
from identity.tokens import ApiSecret, IssuedToken, issue_access_token, new_api_secret, secret_hash
from policies.authoriser import Authoriser
from policies.individual import TokenGrant, may_appoint, token_reads
from policies.permissions import Permission, Role
from policies.viewer import Grant
from store import audit as audit_log
from store import identity
from store.identity import ApiTokenRecord

MAX_TOKEN_LIFETIME = timedelta(days=366)
GRANT_NAMES = {
    TokenGrant.PERSONNEL: "kepegawaian",
    TokenGrant.ACTIVITY: "kinerja harian dan SKP",
    TokenGrant.TPP: "TPP",
}
log = structlog.get_logger()
WRONG_CREDENTIALS = DomainError("INVALID_CREDENTIALS", "Nama pengguna atau kata sandi salah.")


@dataclass(frozen=True)
class SignedIn:
    """A login's outcome. A refusal is returned, not raised: the failure it records must commit."""

    issued: IssuedToken | None
    refusal: DomainError | None = None


async def login(
    conn: AsyncConnection, *, username: str, password: str, client_address: str, secret: str, now: datetime
) -> SignedIn:
    username = username.strip().lower()[:100]
    by_pair, by_address = await identity.recent_failures(
        conn, username=username, address=client_address, since=now - throttle.WINDOW
    )
    wait = throttle.login_wait(by_pair=by_pair, by_address=by_address, now=now)
    if wait:
        seconds = math.ceil(wait.total_seconds())
        message = f"Terlalu banyak percobaan masuk dari alamat ini. Coba lagi {seconds} detik lagi."
        return SignedIn(None, DomainError("RATE_LIMITED", message))
    user = await identity.user_by_username(conn, username)
    # The hash is verified even for an unknown user, so the answer and its timing say nothing
    # about whether the username exists.
    known = user is not None and user.is_active
    if not verify_password(user.password_hash if user and known else None, password) or user is None:
        await identity.record_failure(conn, username=username, address=client_address)
        log.warning("login_failed", username=username, client_address=client_address)
        return SignedIn(None, WRONG_CREDENTIALS)
    await identity.clear_failures(conn, username=username, address=client_address, older_than=throttle.WINDOW)
    return SignedIn(issue_access_token(secret=secret, user_id=user.id, username=user.username, now=now))


def _checked(text: str, field: str) -> str:
    try:
        return check_text(text, max_length=100)
    except DomainError as error:
        raise error.at(field) from error


@dataclass(frozen=True)
class CreatedToken:
    record: ApiTokenRecord
    token: str  # shown once: only its hash is stored


async def create_api_token(
    conn: AsyncConnection,
    *,
    caller: Caller,
    user_id: int,
    name: str,
    scope_path: str | None,
    expires_at: datetime,
    now: datetime,
    registered_only: bool = False,
    individual_grants: Sequence[TokenGrant] = (),
) -> CreatedToken:
    """A read-only token of the signed-in user for a scope it may read; `scope_path` None: the
    scope named nothing. Individual data is read only as granted, and each grant must be a read
    the owner holds over the whole scope (a payroll system reading TPP statements for finance)."""
    name = _checked(name, "name")
    if scope_path is None or not caller.viewer.may(Permission.CREATE_TOKENS, scope_path):
        raise DomainError("FORBIDDEN", "Anda tidak berwenang membuat token untuk cakupan ini.", "scope")
    if not now < expires_at <= now + MAX_TOKEN_LIFETIME:
        raise DomainError("INVALID_EXPIRY", "Masa berlaku harus di masa depan, paling lama satu tahun.", "expiresAt")
    reads = token_reads(caller.viewer, scope_path, individual_grants)
    if reads.unheld:
        index = reads.unheld[0]
        named = GRANT_NAMES[individual_grants[index]]
        message = f"Anda sendiri tidak berwenang membaca data {named} di cakupan ini."
        raise DomainError("FORBIDDEN", message, f"individualData.{index}")
    if not reads.anything:
        raise DomainError(
            "GRANT_REQUIRED",
            "Peran Anda tidak membaca capaian kinerja: token hanya dapat membaca data kepegawaian yang Anda berikan.",
            "individualData",
        )
    granted = sorted({grant.value for grant in individual_grants})
    secret = new_api_secret()
    record = await identity.insert_api_token(
        conn,
        user_id=user_id,
        name=name,
        scope_path=scope_path,
        secret_hash=secret_hash(secret),
        expires_at=expires_at,
        registered_only=registered_only,
        individual_grants=granted,
    )
    created = audit.entry(
        caller, "api_token.create", entity_id=str(record.id), scope_path=scope_path,
        new={"name": name, "individual_grants": granted, "registered_only": registered_only},
    )  # fmt: skip
    await audit_log.append(conn, [created])
    return CreatedToken(record, ApiSecret(record.id, secret).token)


async def revoke_api_token(conn: AsyncConnection, *, caller: Caller, user_id: int, token_id: int) -> ApiTokenRecord:
    record = await identity.revoke_api_token(conn, token_id=token_id, user_id=user_id)
    if record is None:
        raise DomainError("NOT_FOUND", "Token tidak ditemukan.", "id")
    revoked = audit.entry(caller, "api_token.revoke", entity_id=str(record.id), scope_path=record.scope_path)
    await audit_log.append(conn, [revoked])
    return record


async def grant_role(
    conn: AsyncConnection,
    *,
    caller: Caller,
    authoriser: Authoriser,
    username: str,
    role: Role,
    scope_path: str | None,
) -> Grant:
    """Give a user a role on a scope: only a holder of that role there, allowed to manage grants."""
    grantee_id, grant = await _grant_target(conn, caller, authoriser, username, role, scope_path)
    await identity.add_grant(conn, grantee_id, grant)
    await audit_log.append(conn, [_grant_entry(caller, "grant.add", username, grant)])
    return grant


async def revoke_role(
    conn: AsyncConnection,
    *,
    caller: Caller,
    authoriser: Authoriser,
    username: str,
    role: Role,
    scope_path: str | None,
) -> Grant:
    grantee_id, grant = await _grant_target(conn, caller, authoriser, username, role, scope_path)
    if not await identity.remove_grant(conn, grantee_id, grant):
        raise DomainError("NOT_FOUND", "Pengguna tidak memegang peran ini pada cakupan ini.", "role")
    await audit_log.append(conn, [_grant_entry(caller, "grant.remove", username, grant)])
    return grant


async def _grant_target(
    conn: AsyncConnection, caller: Caller, authoriser: Authoriser, username: str, role: Role, path: str | None
) -> tuple[int, Grant]:
    """Check that the caller may manage this grant; return the grantee and the grant."""
    if path is None or not caller.viewer.may(Permission.MANAGE_GRANTS, path):
        raise DomainError("FORBIDDEN", "Anda tidak berwenang mengelola hak akses pada cakupan ini.", "scope")
    held = role in authoriser.roles_held(caller.viewer, path)
    if not held and not may_appoint(caller.viewer, role, path):
        raise DomainError("ROLE_NOT_HELD", "Anda tidak dapat memberikan peran yang tidak Anda miliki.", "role")
    grantee = await identity.user_by_username(conn, username.strip().lower())
    if grantee is None:
        raise DomainError("NOT_FOUND", "Pengguna tidak ditemukan.", "username")
    if not held and grantee.id == caller.viewer.user_id:
        message = "Peran verifikator atau keuangan tidak dapat Anda berikan kepada diri sendiri."
        raise DomainError("SELF_APPOINTMENT", message, "username")
    return grantee.id, Grant(role, path)


def _grant_entry(caller: Caller, action: str, username: str, grant: Grant) -> audit_log.AuditEntry:
    username = username.strip().lower()
    return audit.entry(
        caller,
        action,
        entity_id=f"{username}:{grant.role.value}",
        scope_path=grant.path,
        new={"username": username, "role": grant.role.value, "scope": grant.path},
    )
