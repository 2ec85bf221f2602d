"""Periods: quarters (triwulan) within a year, and year-to-date figures from quarterly values.

A quarterly target is year-to-date ("target s.d. triwulan"), as Perjanjian Kinerja practice
sets them (PermenPANRB 53/2014), so a quarter's realisation is compared year-to-date too.

Policy for incomplete data (documented in docs/rules.md): a year-to-date figure through
quarter q needs every quarter it depends on. SUM and AVERAGE need quarters 1..q; LAST needs
quarter q. Anything less is reported as missing rather than as a silently partial number.
"""

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from domain.enums import PeriodAggregation
from domain.errors import InvalidValue

QUARTERS = (1, 2, 3, 4)
FIRST_YEAR = 2000
LAST_YEAR = 2100


@dataclass(frozen=True, order=True)
class Period:
    """A year, or a quarter of it when `quarter` is set (year-to-date through that quarter)."""

    year: int
    quarter: int | None = None

    @property
    def through_quarter(self) -> int:
        return self.quarter if self.quarter is not None else 4

    @property
    def starts_on(self) -> date:
        return date(self.year, 1, 1)

    @property
    def ends_on(self) -> date:
        month = self.through_quarter * 3
        next_month_start = date(self.year + (month == 12), month % 12 + 1, 1)
        return date.fromordinal(next_month_start.toordinal() - 1)


def check_year(year: int, field: str | None = None) -> None:
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise InvalidValue("INVALID_YEAR", f"Tahun harus antara {FIRST_YEAR} dan {LAST_YEAR}.", field)


def check_quarter(quarter: int | None, *, allow_year: bool) -> None:
    if quarter is None:
        if not allow_year:
            raise InvalidValue("INVALID_QUARTER", "Triwulan wajib diisi (1 sampai 4).")
        return
    if quarter not in QUARTERS:
        raise InvalidValue("INVALID_QUARTER", "Triwulan harus 1, 2, 3 atau 4.")


def period(year: int, quarter: int | None) -> Period:
    check_year(year)
    check_quarter(quarter, allow_year=True)
    return Period(year, quarter)


PERIODS_OF_YEAR: tuple[int | None, ...] = (*QUARTERS, None)  # the quarters, then the year


def periods_changed_by(quarters: Collection[int], accumulated_through: int = QUARTERS[-1]) -> tuple[int | None, ...]:
    """The periods whose figures realisations of these quarters can change.

    A year-to-date figure through quarter p never reads a later quarter, and it needs quarter p
    itself (LAST) or every quarter up to p (SUM, AVERAGE): while one of those is missing the
    figure is missing before the write and after it. So a write reaches its own quarters, the
    later quarters through `accumulated_through` (the most leading quarters any accumulated
    figure of the indicators concerned has, after the write; 4 when unknown), and the year with
    quarter 4. Realisations of quarter 3 change quarters 3 and 4 and the year; quarters 1 and 2
    stay. A first-quarter report in a year with no later values yet changes quarter 1 alone.
    """
    first = min(quarters, default=1)
    reached = {*quarters, *range(first, accumulated_through + 1)}
    return tuple(p for p in PERIODS_OF_YEAR if (QUARTERS[-1] if p is None else p) in reached)


def leading_quarters(quarterly: Mapping[int, Decimal]) -> int:
    """How many quarters from the first have a value: the last quarter through which an
    accumulated (SUM, AVERAGE) year-to-date figure exists."""
    count = 0
    while count + 1 in quarterly:
        count += 1
    return count


def year_to_date(
    quarterly: Mapping[int, Decimal], through_quarter: int, aggregation: PeriodAggregation
) -> Decimal | None:
    """The year-to-date realisation through a quarter, or None when a needed quarter is missing."""
    if aggregation is PeriodAggregation.LAST:
        return quarterly.get(through_quarter)
    needed = [quarterly.get(q) for q in range(1, through_quarter + 1)]
    present = [value for value in needed if value is not None]
    if len(present) < len(needed):
        return None
    total = sum(present, Decimal(0))
    if aggregation is PeriodAggregation.SUM:
        return total
    return total / len(present)


def last_ended_quarter(today: date) -> tuple[int, int]:
    """The period a unit reports now: the latest quarter that has ended (on 2 December 2026,
    the third quarter of 2026; in January, the fourth of the year before)."""
    if today.month <= 3:
        return today.year - 1, 4
    return today.year, (today.month - 1) // 3
