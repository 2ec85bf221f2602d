"""Months of indicators that report monthly (frekuensi pelaporan bulanan), and the quarter each
three of them make.

The quarterly rules stay exactly as they are (issue 20): a monthly indicator's quarter is one
more quarterly realisation, derived from its months by the indicator's `periodAggregation` the
way quarters make a year (domain/periods.py), with the same policy for incomplete data: SUM and
AVERAGE need all three months of the quarter, LAST needs the quarter's last month; anything less
leaves the quarter missing rather than silently partial. An AVERAGE is rounded once, half up, to
the six decimals a stored value has (numeric(20, 6)).
"""

from collections.abc import Mapping
from decimal import ROUND_HALF_UP, Decimal

from domain.enums import PeriodAggregation
from domain.errors import InvalidValue
from domain.notation import MONTHS
from domain.values import MAX_SCALE

MONTHS_PER_QUARTER = 3
STORED_PLACES = Decimal(1).scaleb(-MAX_SCALE)


def check_month(month: int) -> None:
    if not 1 <= month <= 12:
        raise InvalidValue("INVALID_MONTH", "Bulan harus 1 sampai 12.")


def quarter_of(month: int) -> int:
    """Juli → 3."""
    return (month - 1) // MONTHS_PER_QUARTER + 1


def months_of(quarter: int) -> tuple[int, ...]:
    """Triwulan 3 → (7, 8, 9)."""
    last = quarter * MONTHS_PER_QUARTER
    return tuple(range(last - MONTHS_PER_QUARTER + 1, last + 1))


def month_name(month: int) -> str:
    return MONTHS[month - 1]


def quarter_from_months(monthly: Mapping[int, Decimal], quarter: int, aggregation: PeriodAggregation) -> Decimal | None:
    """A quarter's realisation from its months, or None while a month it needs is missing.

    SUM: Juli 4 + Agustus 3 + September 5 = 12 kegiatan. LAST: a level as of September (an
    index, a percentage at period end). AVERAGE: (80 + 81 + 85) / 3 = 82, (1 + 1 + 2) / 3 =
    1.333333.
    """
    months = months_of(quarter)
    if aggregation is PeriodAggregation.LAST:
        return monthly.get(months[-1])
    values = [monthly[m] for m in months if m in monthly]
    if len(values) < len(months):
        return None
    total = sum(values, Decimal(0))
    if aggregation is PeriodAggregation.SUM:
        return total
    return (total / len(values)).quantize(STORED_PLACES, rounding=ROUND_HALF_UP)


def quarter_note(notes: Mapping[int, str], quarter: int) -> str:
    """The narrative of a derived quarter: each month's note under its month's name, so a
    reviewer reading the quarter reads what the operator wrote each month."""
    return "\n".join(f"{month_name(m)}: {notes[m]}" for m in months_of(quarter) if notes.get(m))
