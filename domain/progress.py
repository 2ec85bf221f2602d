"""Monthly monev progress (realisasi fisik dan keuangan) of a perangkat daerah's programs, kegiatan
and sub-kegiatan: the line checks and what a unit's month adds up to (../shared/sakip-wave2.md §4).

Each line is cumulative to the end of its month ("s.d. bulan ini", as simonev21's `statistik2`
keeps them): the pagu in force, the physical target and realisation in percent, the financial
target and realisation in Rupiah. A year has the original budget (MURNI) and, once the APBD
Perubahan is passed, the revised one (PERUBAHAN); a unit's month is read from its PERUBAHAN lines
when it has any, so that its figures never mix the two budgets (the murni → perubahan switch is
where simonev21's rankings broke: "pelaporan opd tidak muncul nilai di perubahan").

A unit's month (`unit_progress`) is read from the finest level it reports (sub-kegiatan before
kegiatan before program), so that a program and its own sub-kegiatan are never counted twice:
- physical progress = Σ pagu × physical realisation / Σ pagu (simonev21's bobot: the pagu share);
- budget absorption = Σ financial realisation / Σ pagu × 100;
- absorption against the plan = Σ financial realisation / Σ financial target × 100.
"""

import calendar
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from enum import Enum
from typing import TypeVar

from domain.budget import BudgetLevel, SipdCode
from domain.efficiency import absorbed
from domain.errors import DomainError

HUNDRED = Decimal(100)
PERCENT_SCALE = 4  # numeric(7, 4) in monev_progress
# A month's progress is due this many days after the month ends (the 10th of the next month,
# the custom of the pemda whose monev this follows; simonev21 states no deadline).
MONTHLY_DEADLINE_DAYS = 10
FINEST_FIRST = (BudgetLevel.SUB_ACTIVITY, BudgetLevel.ACTIVITY, BudgetLevel.PROGRAM)


class BudgetKind(Enum):
    MURNI = "MURNI"  # the original budget (APBD murni)
    PERUBAHAN = "PERUBAHAN"  # the revised budget (APBD Perubahan)


@dataclass(frozen=True)
class ProgressLine:
    code: SipdCode
    pagu: Decimal
    physical_target: Decimal  # percent, cumulative
    physical: Decimal  # percent, cumulative
    financial_target: Decimal  # Rupiah, cumulative
    financial: Decimal  # Rupiah, cumulative


def check_line(line: ProgressLine, at: str) -> list[DomainError]:
    """Percentages within 0–100, and no target or spending beyond the pagu."""
    errors: list[DomainError] = []
    for name, value in (("physicalTarget", line.physical_target), ("physicalRealisation", line.physical)):
        exponent = value.as_tuple().exponent
        if not value.is_finite() or not Decimal(0) <= value <= HUNDRED:
            errors.append(DomainError("OUT_OF_RANGE", "Persentase fisik harus antara 0 dan 100.", f"{at}.{name}"))
        elif isinstance(exponent, int) and -exponent > PERCENT_SCALE:
            errors.append(
                DomainError(
                    "TOO_MANY_DECIMALS",
                    f"Persentase paling banyak {PERCENT_SCALE} angka di belakang koma.",
                    f"{at}.{name}",
                )
            )
    for name, amount in (("financialTarget", line.financial_target), ("financialRealisation", line.financial)):
        if amount > line.pagu:
            errors.append(
                DomainError("OVER_BUDGET", "Nilai keuangan melebihi pagu; periksa pagu atau nilainya.", f"{at}.{name}")
            )
    return errors


@dataclass(frozen=True)
class UnitProgress:
    physical: Decimal | None  # None: no pagu reported
    absorption: Decimal | None
    plan_absorption: Decimal | None  # None: no financial target to date


def counted_lines(lines: Iterable[ProgressLine]) -> list[ProgressLine]:
    """One unit's lines at the finest level it reports (module docstring)."""
    listed = list(lines)
    level = next((lv for lv in FINEST_FIRST if any(line.code.level is lv for line in listed)), None)
    return [line for line in listed if line.code.level is level]


def progress_of(counted: Iterable[ProgressLine]) -> UnitProgress:
    """Physical progress and absorption of counted lines (one unit's, or several units' together)."""
    lines = list(counted)
    pagu = sum((line.pagu for line in lines), Decimal(0))
    if pagu <= 0:
        return UnitProgress(None, None, None)
    spent = sum((line.financial for line in lines), Decimal(0))
    planned = sum((line.financial_target for line in lines), Decimal(0))
    physical = sum((line.pagu * line.physical for line in lines), Decimal(0)) / pagu
    return UnitProgress(physical, absorbed(pagu, spent), absorbed(planned, spent))


def unit_progress(lines: Iterable[ProgressLine]) -> UnitProgress:
    """A unit's month from its lines at the finest level it reports."""
    return progress_of(counted_lines(lines))


Line = TypeVar("Line")


def in_force(lines_by_kind: Mapping[BudgetKind, Sequence[Line]]) -> tuple[BudgetKind | None, list[Line]]:
    """The budget a unit's month (or year's APBD) is read from: PERUBAHAN once there is one, MURNI
    before."""
    for kind in (BudgetKind.PERUBAHAN, BudgetKind.MURNI):
        if lines_by_kind.get(kind):
            return kind, list(lines_by_kind[kind])
    return None, []


def month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def month_deadline(year: int, month: int) -> date:
    """The day a month's progress is due (MONTHLY_DEADLINE_DAYS after the month's last day)."""
    return month_end(year, month) + timedelta(days=MONTHLY_DEADLINE_DAYS)
