"""When a browser session of the pages still holds.

OWASP Session Management Cheat Sheet: an idle timeout (the session ends when unused for a
while) and an absolute timeout (it ends a working day after sign-in, used or not), both
enforced by the server, never by the cookie's own expiry alone.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

IDLE_TIMEOUT = timedelta(minutes=30)
ABSOLUTE_TIMEOUT = timedelta(hours=12)
# Rows of sessions that ended (or went idle) longer ago than this are deleted: a week, so that a
# question about a recent sign-in can still be answered from the table.
KEPT_AFTER_END = timedelta(days=7)
# last_seen_at is written at most this often: a page view is not worth a write per request.
TOUCH_EVERY = timedelta(minutes=1)


@dataclass(frozen=True)
class SessionTimes:
    created_at: datetime
    last_seen_at: datetime
    ended_at: datetime | None


def is_live(times: SessionTimes, *, now: datetime, idle: timedelta = IDLE_TIMEOUT) -> bool:
    """Not signed out, used within `idle`, and younger than ABSOLUTE_TIMEOUT."""
    return times.ended_at is None and now - times.last_seen_at < idle and now - times.created_at < ABSOLUTE_TIMEOUT


def needs_touch(times: SessionTimes, *, now: datetime) -> bool:
    return now - times.last_seen_at >= TOUCH_EVERY
