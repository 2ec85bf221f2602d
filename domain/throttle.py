"""Throttling of failed sign-ins, without locking the real user out.

OWASP (Authentication Cheat Sheet): a lockout by username lets anyone lock a user out by
guessing wrong five times. So failures count per username *and* client address, and per
address: a correct password from an address that has not been failing is never refused. Past
a number of free attempts, each further attempt waits twice as long after the last failure as
the one before (exponential back-off), up to a cap.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

WINDOW = timedelta(minutes=15)  # failures older than this are forgotten
FIRST_WAIT = timedelta(seconds=30)
MAX_WAIT = timedelta(minutes=15)


@dataclass(frozen=True)
class Failures:
    count: int  # within WINDOW
    last_at: datetime | None


def wait_after(failures: Failures, *, free: int, now: datetime) -> timedelta:
    """How long until the next attempt is allowed: none within `free` failures, then 30 s,
    1 min, 2 min, … (at most 15 min) counted from the last failure."""
    if failures.count < free or failures.last_at is None:
        return timedelta(0)
    doublings = min(failures.count - free, 10)  # 30 s × 2^5 already passes the cap
    backoff = min(FIRST_WAIT * (1 << doublings), MAX_WAIT)
    return max(failures.last_at + backoff - now, timedelta(0))


FREE_PER_USERNAME_AND_ADDRESS = 5
FREE_PER_ADDRESS = 20


def login_wait(*, by_pair: Failures, by_address: Failures, now: datetime) -> timedelta:
    """The wait a sign-in from this address for this username must respect."""
    return max(
        wait_after(by_pair, free=FREE_PER_USERNAME_AND_ADDRESS, now=now),
        wait_after(by_address, free=FREE_PER_ADDRESS, now=now),
    )
