"""Sign-in back-off (domain/throttle.py): per username and address, and per address."""

from datetime import UTC, datetime, timedelta

from domain.throttle import Failures, login_wait, wait_after

NOW = datetime(2026, 12, 2, 8, 0, tzinfo=UTC)


def failures(count: int, seconds_ago: float = 0) -> Failures:
    return Failures(count, NOW - timedelta(seconds=seconds_ago) if count else None)


def test_the_first_five_failures_cost_no_wait() -> None:
    assert wait_after(failures(4), free=5, now=NOW) == timedelta(0)


def test_each_further_failure_doubles_the_wait_from_the_last_one() -> None:
    assert wait_after(failures(5), free=5, now=NOW) == timedelta(seconds=30)
    assert wait_after(failures(6), free=5, now=NOW) == timedelta(seconds=60)
    assert wait_after(failures(7, seconds_ago=100), free=5, now=NOW) == timedelta(seconds=20)
    assert wait_after(failures(8, seconds_ago=300), free=5, now=NOW) == timedelta(0)


def test_the_wait_is_capped_at_fifteen_minutes_however_many_failures() -> None:
    assert wait_after(failures(10_000), free=5, now=NOW) == timedelta(minutes=15)


def test_failures_of_a_username_elsewhere_do_not_hold_back_this_address() -> None:
    """The lockout-by-username denial of service: others' guesses never block the real user."""
    assert login_wait(by_pair=failures(0), by_address=failures(0), now=NOW) == timedelta(0)
    assert login_wait(by_pair=failures(5), by_address=failures(5), now=NOW) == timedelta(seconds=30)
    assert login_wait(by_pair=failures(1), by_address=failures(21), now=NOW) == timedelta(seconds=60)
