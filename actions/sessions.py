"""Browser sessions of the pages: started at sign-in, resumed per page, ended at sign-out.

The cookie holds a random secret; only its SHA-256 is stored, so a copy of the table opens no
session. A sign-in always starts a new session and ends the one the browser came with, so a
session id planted before sign-in is worth nothing after it (session fixation).
"""

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

import structlog
from sqlalchemy.ext.asyncio import AsyncConnection

from domain.sessions import IDLE_TIMEOUT, KEPT_AFTER_END, is_live, needs_touch
from policies.viewer import Grant
from store import identity, sessions

log = structlog.get_logger()


@dataclass(frozen=True)
class OpenSession:
    user_id: int
    username: str
    display_name: str
    grants: tuple[Grant, ...]
    csrf_token: str


@dataclass(frozen=True)
class StartedSession:
    cookie_secret: str  # for the browser's cookie only
    csrf_token: str


def _hash(cookie_secret: str) -> str:
    return hashlib.sha256(cookie_secret.encode()).hexdigest()


async def start_session(
    conn: AsyncConnection, *, user_id: int, client_address: str, now: datetime, replacing: str | None
) -> StartedSession:
    if replacing:
        await sessions.end_session(conn, _hash(replacing), now)
    # Housekeeping rides on sign-ins (a few a minute at most): no job to schedule.
    await sessions.forget_sessions_before(conn, now - KEPT_AFTER_END)
    started = StartedSession(secrets.token_urlsafe(32), secrets.token_urlsafe(32))
    await sessions.insert_session(
        conn,
        id_hash=_hash(started.cookie_secret),
        user_id=user_id,
        csrf_token=started.csrf_token,
        client_address=client_address,
        now=now,
    )
    log.info("web_session_started", user_id=user_id, client_address=client_address)
    return started


async def resume_session(
    conn: AsyncConnection, *, cookie_secret: str, now: datetime, idle: timedelta = IDLE_TIMEOUT, touch: bool = True
) -> OpenSession | None:
    """The session's user, grants and CSRF token while it is live and its user active; an idle
    or expired session is ended. `touch=False` checks without counting as activity (a live
    page's stream asking whether it may go on)."""
    id_hash = _hash(cookie_secret)
    found = await sessions.session_by_hash(conn, id_hash)
    if found is None:
        return None
    if not is_live(found.times, now=now, idle=idle):
        if found.times.ended_at is None:
            await sessions.end_session(conn, id_hash, now)
        return None
    user = await identity.user_with_grants(conn, found.user_id)
    if user is None:
        return None
    if touch and needs_touch(found.times, now=now):
        await sessions.touch_session(conn, id_hash, now)
    record, grants = user
    return OpenSession(record.id, record.username, record.display_name, grants, found.csrf_token)


async def end_session(conn: AsyncConnection, *, cookie_secret: str, now: datetime) -> bool:
    ended = await sessions.end_session(conn, _hash(cookie_secret), now)
    if ended:
        log.info("web_session_ended")
    return ended
