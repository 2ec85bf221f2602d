"""Evaluation of a strategic plan's results (evaluasi hasil RPJMD / Renstra, Permendagri 86/2017:
form E.78 for the RPJMD of a pemda, E.79 for the Renstra of a perangkat daerah): per sasaran and
program with their indicators, for year n of the plan, performance (K, kinerja) and, for
programs, budget (Rp) side by side.

Columns (sakip-wave2.md, simonev21's `RPJMDReportFormulirE78Controller`): data capaian awal
(baseline) | target akhir periode (K, Rp) | target tahun ke-n (K, Rp) | capaian tahun ke-n (K, Rp)
| tingkat capaian tahun ke-n (K, Rp, %) | capaian s.d. tahun ke-n (K, Rp) | rasio capaian akhir
(K, Rp, %).

- K ratios use the indicator's achievement method (polarity-aware, never capped: realisation 120
  against 100 is 120,00, not simonev21's capped 100; realisation 60 against 80 is 75,00), and a
  target of 0 has no ratio (printed "-", never 0: W10).
- The realisation to date aggregates the plan's years by the indicator's periodAggregation, as
  quarters make a year (domain/periods.py): SUM needs every year from the plan's first, LAST is
  year n's, AVERAGE the mean of every year; a year missing leaves it missing.
- Rp ratios are budget absorption (realisation / pagu × 100, two places); the budget to date is
  the sum of what was entered for the plan's years through n, and none is "-".
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from domain.achievement import TargetValue, achievement
from domain.budget import BudgetLevel, sipd_code
from domain.efficiency import absorption
from domain.enums import PeriodAggregation
from domain.errors import InvalidValue
from domain.evaluation import IndicatorRule


@dataclass(frozen=True)
class IndicatorResult:
    indicator_id: int
    code: str
    name: str
    unit_of_measure: str
    baseline: Decimal | None  # data capaian awal
    end_target: Decimal | None  # target akhir periode
    year_target: Decimal | None  # target tahun ke-n
    realisation: Decimal | None  # capaian tahun ke-n
    achievement: Decimal | None  # tingkat capaian tahun ke-n, %
    to_date: Decimal | None  # capaian s.d. tahun ke-n
    end_ratio: Decimal | None  # rasio capaian akhir, %


@dataclass(frozen=True)
class BudgetResult:
    end_budget: Decimal | None  # pagu for the plan's period
    year_budget: Decimal | None  # pagu of year n (the year's agreements)
    year_spending: Decimal | None  # realisasi anggaran of year n
    year_absorption: Decimal | None
    spending_to_date: Decimal | None
    end_absorption: Decimal | None


@dataclass(frozen=True)
class RowResult:
    """A sasaran (OBJECTIVE) with its indicators, or a program (PROGRAM) with its indicators and budget."""

    kind: str
    code: str
    name: str
    parent: str  # a program's sasaran, a sasaran's tujuan
    budget: BudgetResult | None  # programs only
    indicators: tuple[IndicatorResult, ...]


@dataclass(frozen=True)
class PlanResults:
    plan_name: str
    unit_name: str
    form: str  # "E.78" (RPJMD) or "E.79" (Renstra)
    first_year: int
    last_year: int
    year: int
    rows: tuple[RowResult, ...]  # each sasaran, then the programs under it

    @property
    def year_of_plan(self) -> int:
        """n: the plan's first year is year 1."""
        return self.year - self.first_year + 1


def check_plan_year(year: int, first_year: int, last_year: int) -> None:
    if not first_year <= year <= last_year:
        raise InvalidValue("YEAR_OUTSIDE_PLAN", f"Tahun harus dalam periode rencana {first_year}–{last_year}.", "year")


def to_date(
    yearly: Mapping[int, Decimal], first_year: int, year: int, aggregation: PeriodAggregation
) -> Decimal | None:
    """The realisation from the plan's first year through `year`, or None while a year it needs is missing."""
    if aggregation is PeriodAggregation.LAST:
        return yearly.get(year)
    values = [yearly.get(y) for y in range(first_year, year + 1)]
    present = [v for v in values if v is not None]
    if len(present) < len(values):
        return None
    total = sum(present, Decimal(0))
    return total if aggregation is PeriodAggregation.SUM else total / len(present)


def ratio(rule: IndicatorRule, target: Decimal | None, realisation: Decimal | None) -> Decimal | None:
    """A K ratio: the achievement of `realisation` against `target` by the indicator's method."""
    if target is None:
        return None
    return achievement(
        method=rule.method,
        polarity=rule.polarity,
        target=TargetValue(target),
        realisation=realisation,
        lower_is_better_method=rule.lower_is_better_method,
    ).percent


def indicator_result(
    *,
    indicator_id: int,
    code: str,
    name: str,
    unit_of_measure: str,
    rule: IndicatorRule,
    baseline: Decimal | None,
    end_target: Decimal | None,
    year_target: Decimal | None,
    yearly: Mapping[int, Decimal],
    first_year: int,
    year: int,
) -> IndicatorResult:
    realisation = yearly.get(year)
    so_far = to_date(yearly, first_year, year, rule.aggregation)
    return IndicatorResult(
        indicator_id=indicator_id,
        code=code,
        name=name,
        unit_of_measure=unit_of_measure,
        baseline=baseline,
        end_target=end_target,
        year_target=year_target,
        realisation=realisation,
        achievement=ratio(rule, year_target, realisation),
        to_date=so_far,
        end_ratio=ratio(rule, end_target, so_far),
    )


def budget_result(
    end_budget: Decimal | None,
    year_budget: Decimal | None,
    spending: Sequence[Decimal | None],
    year_spending: Decimal | None,
) -> BudgetResult:
    """`spending`: what was entered for each plan year through n (None: nothing entered)."""
    entered = [amount for amount in spending if amount is not None]
    spent = sum(entered, Decimal(0)) if entered else None
    return BudgetResult(
        end_budget=end_budget,
        year_budget=year_budget,
        year_spending=year_spending,
        year_absorption=_absorption(year_budget, year_spending),
        spending_to_date=spent,
        end_absorption=_absorption(end_budget, spent),
    )


def _absorption(budget: Decimal | None, spent: Decimal | None) -> Decimal | None:
    return None if budget is None or spent is None else absorption(budget, spent)


def per_program(amounts: Mapping[str, Decimal]) -> dict[str, Decimal]:
    """Amounts by budget item (normalised SIPD codes) summed per program, each program from the
    coarsest level it has: a JPT's agreement budgets the program, its Administrators' the
    kegiatan under it, and counting both would count the money twice."""
    by_level: dict[str, dict[BudgetLevel, Decimal]] = {}
    for text, amount in amounts.items():
        code = sipd_code(text)
        program = code
        while program.parent() is not None:
            program = program.parent()  # type: ignore[assignment]
        levels = by_level.setdefault(program.text, {})
        levels[code.level] = levels.get(code.level, Decimal(0)) + amount
    return {program: levels[min(levels, key=LEVEL_ORDER.index)] for program, levels in by_level.items()}


LEVEL_ORDER = (BudgetLevel.PROGRAM, BudgetLevel.ACTIVITY, BudgetLevel.SUB_ACTIVITY)
