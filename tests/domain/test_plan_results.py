"""The results form of a plan (E.78 / E.79): worked examples of the reference (W10) and the
rules for the year n, the years to date and the budget per program."""

from decimal import Decimal as D

from domain.enums import AchievementMethod as M
from domain.enums import PeriodAggregation as A
from domain.enums import Polarity as P
from domain.evaluation import IndicatorRule
from domain.plan_results import budget_result, indicator_result, per_program, ratio, to_date

HIGHER = IndicatorRule(id=1, polarity=P.HIGHER_IS_BETTER, method=M.RATIO, aggregation=A.LAST)
LOWER = IndicatorRule(id=2, polarity=P.LOWER_IS_BETTER, method=M.MIRROR, aggregation=A.LAST)
COUNT = IndicatorRule(id=3, polarity=P.HIGHER_IS_BETTER, method=M.RATIO, aggregation=A.SUM)


def test_the_k_ratio_is_the_indicators_achievement_never_capped_and_none_for_a_zero_target() -> None:
    """W10: R 60 / T 80 → 75,00; R 120 / T 100 → 120,00 (simonev21 caps it at 100); T 0 → none (simonev21: 0)."""
    assert ratio(HIGHER, D(80), D(60)) == D("75.00")
    assert ratio(HIGHER, D(100), D(120)) == D("120.00")
    assert ratio(HIGHER, D(0), D(5)) is None
    assert ratio(HIGHER, None, D(5)) is None and ratio(HIGHER, D(5), None) is None


def test_a_lower_is_better_indicator_is_compared_by_its_method() -> None:
    """Stunting 25,34 % against 24 (year) and 16 (end of plan), MIRROR: 94,42 and 41,63."""
    assert ratio(LOWER, D(24), D("25.34")) == D("94.42")
    assert ratio(LOWER, D(16), D("25.34")) == D("41.63")


def test_the_realisation_to_date_aggregates_the_plans_years() -> None:
    yearly = {2025: D(40), 2026: D(35), 2027: D(30)}
    assert to_date(yearly, 2025, 2027, A.SUM) == D(105)
    assert to_date(yearly, 2025, 2027, A.LAST) == D(30)
    assert to_date(yearly, 2025, 2027, A.AVERAGE) == D(35)
    # A year missing leaves an accumulated figure missing, never partial.
    assert to_date({2025: D(40), 2027: D(30)}, 2025, 2027, A.SUM) is None
    assert to_date({2025: D(40), 2027: D(30)}, 2025, 2027, A.LAST) == D(30)


def test_an_indicator_row_of_year_two() -> None:
    row = indicator_result(
        indicator_id=7,
        code="K-01",
        name="Jumlah kegiatan",
        unit_of_measure="kegiatan",
        rule=COUNT,
        baseline=D(30),
        end_target=D(250),
        year_target=D(50),
        yearly={2025: D(48), 2026: D(55)},
        first_year=2025,
        year=2026,
    )
    assert (row.realisation, row.achievement, row.to_date, row.end_ratio) == (D(55), D("110.00"), D(103), D("41.20"))


def test_programs_are_counted_once_from_their_coarsest_level() -> None:
    """A JPT budgets the program, its Administrators the kegiatan under it: the program counts once."""
    amounts = {
        "1.02.02": D(1_000),
        "1.02.02.2.01": D(600),
        "1.02.02.2.02": D(400),
        "1.02.01.2.01": D(300),
        "1.02.01.2.01.0001": D(100),
        "1.02.01.2.02": D(50),
    }
    assert per_program(amounts) == {"1.02.02": D(1_000), "1.02.01": D(350)}


def test_a_programs_budget_row() -> None:
    budget = budget_result(D(5_000), D(1_000), [D(900), None, D(950)], D(950))
    assert (budget.year_absorption, budget.spending_to_date, budget.end_absorption) == (
        D("95.00"),
        D(1_850),
        D("37.00"),
    )
    nothing = budget_result(D(5_000), None, [None, None], None)
    assert (nothing.year_absorption, nothing.spending_to_date, nothing.end_absorption) == (None, None, None)
