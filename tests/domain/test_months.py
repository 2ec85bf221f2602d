"""Monthly realisations: the quarter each three months make, and the entry rules per month."""

from decimal import Decimal as D

import pytest

from domain.entries import (
    Context,
    IndicatorFacts,
    MonthlyEntry,
    RealisationEntry,
    check_monthly_realisations,
    check_realisations,
)
from domain.enums import AchievementMethod as M
from domain.enums import PeriodAggregation as A
from domain.enums import ReportingFrequency as R
from domain.enums import RollupFromChildren as F
from domain.errors import DomainError
from domain.months import months_of, quarter_from_months, quarter_note, quarter_of
from domain.workflow import ReportState

MONTHLY = IndicatorFacts(
    allow_negative=False,
    ordinal_scale=None,
    method=M.RATIO,
    rollup_from_children=F.NONE,
    report_unit_id=9,
    period_aggregation=A.SUM,
    reporting_frequency=R.MONTHLY,
)
QUARTERLY = IndicatorFacts(allow_negative=False, ordinal_scale=None, method=M.RATIO, rollup_from_children=F.NONE)
FACTS = {1: MONTHLY, 2: QUARTERLY}
EMPTY = Context(report_states={}, versions={})


def month(indicator_id: int | None = 1, number: int = 7, value: str | None = "4", **kw: object) -> MonthlyEntry:
    fields: dict[str, object] = {
        "indicator_id": indicator_id,
        "year": 2026,
        "month": number,
        "value": None if value is None else D(value),
        "grade": None,
        "note": "",
    }
    fields.update(kw)
    return MonthlyEntry(**fields)  # type: ignore[arg-type]


def codes(errors: list[DomainError]) -> list[tuple[str, str | None]]:
    return [(e.code, e.field) for e in errors]


def test_months_belong_to_their_quarter() -> None:
    assert [quarter_of(m) for m in range(1, 13)] == [1, 1, 1, 2, 2, 2, 3, 3, 3, 4, 4, 4]
    assert months_of(3) == (7, 8, 9)
    assert all(quarter_of(m) == q for q in (1, 2, 3, 4) for m in months_of(q))


def test_a_sum_quarter_is_its_three_months() -> None:
    assert quarter_from_months({7: D(4), 8: D(3), 9: D(5)}, 3, A.SUM) == D(12)


def test_a_level_quarter_is_its_last_month_alone() -> None:
    assert quarter_from_months({9: D("81.5")}, 3, A.LAST) == D("81.5")
    assert quarter_from_months({7: D(80), 8: D(81)}, 3, A.LAST) is None


def test_an_average_quarter_is_rounded_once_to_the_stored_scale() -> None:
    assert quarter_from_months({7: D(80), 8: D(81), 9: D(85)}, 3, A.AVERAGE) == D(82)
    assert quarter_from_months({1: D(1), 2: D(1), 3: D(2)}, 1, A.AVERAGE) == D("1.333333")
    assert quarter_from_months({1: D(2), 2: D(2), 3: D(1)}, 1, A.AVERAGE) == D("1.666667")


@pytest.mark.parametrize("aggregation", [A.SUM, A.AVERAGE])
def test_an_accumulated_quarter_needs_every_month(aggregation: A) -> None:
    """Two months of a count are not the quarter's count: missing, never silently partial."""
    assert quarter_from_months({7: D(4), 8: D(3)}, 3, aggregation) is None
    assert quarter_from_months({8: D(3), 9: D(5)}, 3, aggregation) is None


def test_months_of_another_quarter_do_not_count() -> None:
    assert quarter_from_months({6: D(1), 7: D(4), 8: D(3), 9: D(5), 10: D(9)}, 3, A.SUM) == D(12)


def test_the_quarter_note_names_each_month() -> None:
    assert quarter_note({7: "Posyandu aktif", 8: "", 9: "Sweeping imunisasi"}, 3) == (
        "Juli: Posyandu aktif\nSeptember: Sweeping imunisasi"
    )


def test_a_good_month_passes_with_its_values() -> None:
    checked, errors = check_monthly_realisations([month(value="4.5", note="  ok ")], FACTS, EMPTY, {})
    assert errors == []
    assert [(c.key, c.value, c.note, c.quarter, c.is_new) for c in checked] == [((1, 2026, 7), D("4.5"), "ok", 3, True)]


@pytest.mark.parametrize(
    ("entry", "expected"),
    [
        (month(number=0), ("INVALID_MONTH", "realisations.0.month")),
        (month(number=13), ("INVALID_MONTH", "realisations.0.month")),
        (month(year=1999), ("INVALID_YEAR", "realisations.0.year")),
        (month(value=None), ("REQUIRED", "realisations.0.value")),
        (month(value="-1"), ("NEGATIVE_VALUE", "realisations.0.value")),
        (month(indicator_id=None), ("NOT_FOUND", "realisations.0.indicatorId")),
        (month(indicator_id=2), ("QUARTERLY_INDICATOR", "realisations.0.month")),
        (month(expected_version=3), ("CONFLICT", "realisations.0.expectedVersion")),
    ],
)
def test_bad_months_are_refused_at_their_field(entry: MonthlyEntry, expected: tuple[str, str]) -> None:
    checked, errors = check_monthly_realisations([entry], FACTS, EMPTY, {})
    assert checked == [] and codes(errors) == [expected]


def test_a_month_twice_in_one_batch_is_refused() -> None:
    _, errors = check_monthly_realisations([month(), month()], FACTS, EMPTY, {})
    assert codes(errors) == [("DUPLICATE_ROW", "realisations.1")]


def test_a_month_is_editable_while_its_quarters_report_is() -> None:
    """September belongs to the third quarter's report: once that is submitted, September is closed;
    October (the fourth quarter's) is still open."""
    submitted = Context(report_states={(9, 2026, 3): ReportState.SUBMITTED}, versions={})
    checked, errors = check_monthly_realisations([month(number=9), month(number=10)], FACTS, submitted, {})
    assert codes(errors) == [("REPORT_NOT_EDITABLE", "realisations.0")]
    assert [c.month for c in checked] == [10]


def test_a_stored_month_changes_only_over_the_version_seen() -> None:
    stored = {(1, 2026, 7): 2}
    _, errors = check_monthly_realisations([month(expected_version=1)], FACTS, EMPTY, stored)
    assert codes(errors) == [("CONFLICT", "realisations.0.expectedVersion")]
    checked, errors = check_monthly_realisations([month(expected_version=2)], FACTS, EMPTY, stored)
    assert errors == [] and not checked[0].is_new


def test_a_monthly_indicators_quarter_is_not_typed_in() -> None:
    entry = RealisationEntry(indicator_id=1, year=2026, quarter=3, value=D(12), grade=None, note="")
    checked, errors = check_realisations([entry], FACTS, EMPTY)
    assert checked == [] and codes(errors) == [("MONTHLY_INDICATOR", "realisations.0.quarter")]
