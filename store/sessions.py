"""Browser sessions (web_session): rows keyed by the SHA-256 of the cookie's secret."""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, insert, or_, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from domain.sessions import SessionTimes
from store.tables import app_user, web_session


@dataclass(frozen=True)
class SessionRecord:
    user_id: int
    csrf_token: str
    times: SessionTimes


async def insert_session(
    conn: AsyncConnection, *, id_hash: str, user_id: int, csrf_token: str, client_address: str, now: datetime
) -> None:
    await conn.execute(
        insert(web_session).values(
            id_hash=id_hash,
            user_id=user_id,
            csrf_token=csrf_token,
            client_address=client_address[:64],
            created_at=now,
            last_seen_at=now,
        )
    )


async def session_by_hash(conn: AsyncConnection, id_hash: str) -> SessionRecord | None:
    """The session, if its user is still active."""
    row = (
        await conn.execute(
            select(
                web_session.c.user_id,
                web_session.c.csrf_token,
                web_session.c.created_at,
                web_session.c.last_seen_at,
                web_session.c.ended_at,
            )
            .join(app_user, app_user.c.id == web_session.c.user_id)
            .where(web_session.c.id_hash == id_hash, app_user.c.is_active)
        )
    ).first()
    if row is None:
        return None
    return SessionRecord(row.user_id, row.csrf_token, SessionTimes(row.created_at, row.last_seen_at, row.ended_at))


async def touch_session(conn: AsyncConnection, id_hash: str, now: datetime) -> None:
    await conn.execute(update(web_session).where(web_session.c.id_hash == id_hash).values(last_seen_at=now))


async def end_session(conn: AsyncConnection, id_hash: str, now: datetime) -> bool:
    ended = await conn.execute(
        update(web_session)
        .where(web_session.c.id_hash == id_hash, web_session.c.ended_at.is_(None))
        .values(ended_at=now)
        .returning(web_session.c.id_hash)
    )
    return ended.first() is not None


async def forget_sessions_before(conn: AsyncConnection, before: datetime) -> int:
    """Delete sessions ended, or last used, before `before` (they can open nothing any more)."""
    deleted = await conn.execute(
        delete(web_session).where(or_(web_session.c.ended_at < before, web_session.c.last_seen_at < before))
    )
    return int(deleted.rowcount or 0)
