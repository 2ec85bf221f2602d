"""Users, grants (Casbin `g` rules, through casbin-async-sqlalchemy-adapter), API tokens and login
failures."""

import functools
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from casbin.model import Model
from casbin_async_sqlalchemy_adapter.adapter import Adapter, Filter
from sqlalchemy import BigInteger, String, and_, any_, bindparam, delete, func, insert, select, update
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

from domain.throttle import Failures
from policies.authoriser import MODEL_FILE
from policies.permissions import Role
from policies.viewer import Grant
from store.tables import api_token, app_user, casbin_rule, login_failure


@dataclass(frozen=True)
class UserRecord:
    id: int
    username: str
    display_name: str
    nip: str | None
    password_hash: str
    is_active: bool


@dataclass(frozen=True)
class ApiTokenRecord:
    id: int
    user_id: int
    name: str
    scope_path: str
    secret_hash: str
    expires_at: datetime
    revoked_at: datetime | None
    created_at: datetime
    registered_only: bool = False
    individual_grants: tuple[str, ...] = ()  # policies.individual.TokenGrant values


def subject(user_id: int) -> str:
    return f"user:{user_id}"


_USER_COLUMNS = [getattr(app_user.c, name) for name in UserRecord.__dataclass_fields__]


async def user_by_username(conn: AsyncConnection, username: str) -> UserRecord | None:
    row = (await conn.execute(select(*_USER_COLUMNS).where(app_user.c.username == username))).first()
    return UserRecord(**row._mapping) if row else None


@dataclass(frozen=True)
class Signatory:
    """How a document names an account's holder: its name and NIP, not its username."""

    name: str
    nip: str | None


async def signatories(conn: AsyncConnection, usernames: Sequence[str]) -> dict[str, Signatory]:
    """The named accounts' holders, by username (one statement; unknown names are left out)."""
    query = select(app_user.c.username, app_user.c.display_name, app_user.c.nip).where(
        app_user.c.username == any_(bindparam("usernames", list(usernames), type_=ARRAY(String)))
    )
    return {row.username: Signatory(row.display_name, row.nip) for row in await conn.execute(query)}


async def user_by_id(conn: AsyncConnection, user_id: int) -> UserRecord | None:
    row = (await conn.execute(select(*_USER_COLUMNS).where(app_user.c.id == user_id))).first()
    return UserRecord(**row._mapping) if row else None


# Built once: every authenticated request runs it.
_USER_WITH_GRANTS = (
    select(*_USER_COLUMNS, casbin_rule.c.v1, casbin_rule.c.v2)
    .select_from(
        app_user.outerjoin(
            casbin_rule, and_(casbin_rule.c.ptype == "g", casbin_rule.c.v0 == bindparam("subject", type_=String))
        )
    )
    .where(app_user.c.id == bindparam("user_id", type_=BigInteger))
    .order_by(casbin_rule.c.id)
)


async def user_with_grants(conn: AsyncConnection, user_id: int) -> tuple[UserRecord, tuple[Grant, ...]] | None:
    """A user and its grants in one statement, for authenticating every request.

    It reads the adapter's `casbin_rule` rows directly: loading them through the adapter costs
    an ORM session and a parsed Casbin model per request (0.8 ms, docs/scaling.md); grants are
    still written through the adapter (add_grant, remove_grant)."""
    rows = (await conn.execute(_USER_WITH_GRANTS, {"user_id": user_id, "subject": subject(user_id)})).all()
    if not rows:
        return None
    user = UserRecord(**{name: rows[0]._mapping[name] for name in UserRecord.__dataclass_fields__})
    return user, tuple(_grant(row.v1, row.v2) for row in rows if row.v1 is not None)


def _grant(role: str, path: str) -> Grant:
    """A Casbin `g` rule (subject, role, path) as a grant."""
    return Grant(Role(role), path)


def _adapter(session: AsyncSession) -> Adapter:
    """The Casbin adapter on an ORM session bound to the caller's connection, so a grant change
    commits or rolls back with the rest of its transaction (its audit entry included)."""
    bind = session.bind
    assert isinstance(bind, AsyncConnection)
    return Adapter(bind.engine, db_session=session)


@functools.cache
def _model_text() -> str:
    return MODEL_FILE.read_text()


def _subject_filter(user_id: int) -> Filter:
    wanted = Filter()
    wanted.ptype, wanted.v0 = ["g"], [subject(user_id)]  # instance lists: Filter's class lists are shared
    return wanted


async def grants_of(conn: AsyncConnection, user_id: int) -> tuple[Grant, ...]:
    """A user's grants: the Casbin `g` rules of its subject, loaded through the adapter."""
    model = Model()
    model.load_model_from_text(_model_text())
    await _adapter(AsyncSession(bind=conn)).load_filtered_policy(model, _subject_filter(user_id))
    return tuple(_grant(role, path) for _, role, path, *_ in model.get_policy("g", "g"))


async def add_grant(conn: AsyncConnection, user_id: int, grant: Grant) -> bool:
    """Store a grant as a Casbin `g` rule; False when it was already held."""
    if grant in await grants_of(conn, user_id):
        return False
    session = AsyncSession(bind=conn)
    await _adapter(session).add_policy("g", "g", [subject(user_id), grant.role.value, grant.path])
    await session.flush()
    return True


async def remove_grant(conn: AsyncConnection, user_id: int, grant: Grant) -> bool:
    rule = [subject(user_id), grant.role.value, grant.path]
    removed: bool = await _adapter(AsyncSession(bind=conn)).remove_policy("g", "g", rule)
    return removed


async def recent_failures(
    conn: AsyncConnection, *, username: str, address: str, since: datetime
) -> tuple[Failures, Failures]:
    """Failed logins since a moment: for the username from this address, and for the address."""
    pair = (login_failure.c.username == username) & (login_failure.c.client_address == address)
    query = select(
        func.count().filter(pair),
        func.max(login_failure.c.at).filter(pair),
        func.count(),
        func.max(login_failure.c.at),
    ).where(login_failure.c.client_address == address, login_failure.c.at >= since)
    pair_count, pair_last, address_count, address_last = (await conn.execute(query)).one()
    return Failures(int(pair_count), pair_last), Failures(int(address_count), address_last)


async def record_failure(conn: AsyncConnection, *, username: str, address: str) -> None:
    await conn.execute(insert(login_failure).values(username=username, client_address=address))


async def clear_failures(conn: AsyncConnection, *, username: str, address: str, older_than: timedelta) -> None:
    """After a successful sign-in: its username's failures from its address, and every expired one."""
    mine = (login_failure.c.username == username) & (login_failure.c.client_address == address)
    await conn.execute(delete(login_failure).where(mine | (login_failure.c.at < func.now() - older_than)))


def _token(row: object) -> ApiTokenRecord:
    values = dict(row._mapping)  # type: ignore[attr-defined]
    return ApiTokenRecord(**{**values, "individual_grants": tuple(values["individual_grants"])})


async def insert_api_token(
    conn: AsyncConnection,
    *,
    user_id: int,
    name: str,
    scope_path: str,
    secret_hash: str,
    expires_at: datetime,
    registered_only: bool = False,
    individual_grants: Sequence[str] = (),
) -> ApiTokenRecord:
    statement = insert(api_token).values(
        user_id=user_id,
        name=name,
        scope_path=scope_path,
        secret_hash=secret_hash,
        expires_at=expires_at,
        registered_only=registered_only,
        individual_grants=list(individual_grants),
    )
    return _token((await conn.execute(statement.returning(api_token))).one())


async def api_token_by_id(conn: AsyncConnection, token_id: int) -> ApiTokenRecord | None:
    row = (await conn.execute(select(api_token).where(api_token.c.id == token_id))).first()
    return _token(row) if row else None


async def api_tokens_of(conn: AsyncConnection, user_id: int) -> list[ApiTokenRecord]:
    query = select(api_token).where(api_token.c.user_id == user_id).order_by(api_token.c.id)
    return [_token(row) for row in await conn.execute(query)]


async def revoke_api_token(conn: AsyncConnection, *, token_id: int, user_id: int) -> ApiTokenRecord | None:
    statement = (
        update(api_token)
        .where(api_token.c.id == token_id, api_token.c.user_id == user_id)
        .values(revoked_at=func.coalesce(api_token.c.revoked_at, func.now()))
        .returning(api_token)
    )
    row = (await conn.execute(statement)).first()
    return _token(row) if row else None
