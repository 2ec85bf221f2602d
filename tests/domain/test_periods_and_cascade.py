from decimal import Decimal as D

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.cascade import CascadeEnd, ChildValue, check_cascade_link, computed_realisation
from domain.enums import PeriodAggregation as A
from domain.enums import RollupFromChildren as F
from domain.errors import InvalidCascade, InvalidValue
from domain.periods import (
    PERIODS_OF_YEAR,
    QUARTERS,
    Period,
    leading_quarters,
    period,
    periods_changed_by,
    year_to_date,
)

QUARTERLY = {1: D(10), 2: D(20), 3: D(30), 4: D(40)}


@pytest.mark.parametrize(
    ("aggregation", "through", "expected"),
    [
        (A.SUM, 3, D(60)),
        (A.SUM, 4, D(100)),
        (A.LAST, 2, D(20)),
        (A.AVERAGE, 4, D(25)),
        (A.AVERAGE, 1, D(10)),
    ],
)
def test_year_to_date_by_period_aggregation(aggregation: A, through: int, expected: D) -> None:
    assert year_to_date(QUARTERLY, through, aggregation) == expected


def test_sum_with_a_missing_earlier_quarter_is_missing_not_partial() -> None:
    assert year_to_date({1: D(10), 3: D(30)}, 3, A.SUM) is None
    assert year_to_date({1: D(10), 3: D(30)}, 3, A.AVERAGE) is None


def test_last_needs_only_the_quarter_itself() -> None:
    assert year_to_date({4: D(72)}, 4, A.LAST) == D(72)
    assert year_to_date({4: D(72)}, 3, A.LAST) is None


def test_period_bounds_and_validation() -> None:
    assert Period(2026, 3).ends_on.isoformat() == "2026-09-30"
    assert Period(2026).ends_on.isoformat() == "2026-12-31"
    with pytest.raises(InvalidValue) as error:
        period(2026, 5)
    assert error.value.code == "INVALID_QUARTER"
    with pytest.raises(InvalidValue):
        period(1999, None)


CHILDREN = [ChildValue(D(10), D(1)), ChildValue(D(20), D(3))]


@pytest.mark.parametrize(
    ("method", "expected"),
    [(F.SUM, D(30)), (F.AVERAGE, D(15)), (F.WEIGHTED_AVERAGE, D("17.5")), (F.MIN, D(10)), (F.MAX, D(20))],
)
def test_computed_realisation_from_children(method: F, expected: D) -> None:
    assert computed_realisation(method, CHILDREN) == expected


def test_computed_realisation_needs_every_child() -> None:
    assert computed_realisation(F.SUM, [ChildValue(D(1), D(1)), ChildValue(None, D(1))]) is None
    assert computed_realisation(F.SUM, []) is None


UNIT = CascadeEnd(unit_path="61/61.71/300/401/", government_path="61/61.71/")


def test_parent_in_an_ancestor_unit_is_allowed() -> None:
    check_cascade_link(child=UNIT, parent=CascadeEnd("61/61.71/300/", "61/61.71/"))


def test_parent_in_the_province_is_allowed_for_alignment() -> None:
    check_cascade_link(child=UNIT, parent=CascadeEnd("61/12/45/", "61/"))


@pytest.mark.parametrize(
    "parent",
    [
        CascadeEnd("61/61.71/300/401/", "61/61.71/"),  # same unit
        CascadeEnd("61/61.71/300/401/77/", "61/61.71/"),  # a descendant
        CascadeEnd("61/61.71/300/402/", "61/61.71/"),  # a sibling
        CascadeEnd("61/61.72/310/", "61/61.72/"),  # another kabupaten
    ],
)
def test_parent_outside_the_ancestry_is_refused(parent: CascadeEnd) -> None:
    with pytest.raises(InvalidCascade):
        check_cascade_link(child=UNIT, parent=parent)


def test_realisations_change_their_quarter_later_quarters_and_the_year() -> None:
    """A Q3 realisation enters the year-to-date figures through Q3 and Q4 and the year's; the
    Q1 and Q2 figures never read it, so their aggregates are not recomputed."""
    assert periods_changed_by([3]) == (3, 4, None)
    assert periods_changed_by([4, 2]) == (2, 3, 4, None)
    assert periods_changed_by([1]) == PERIODS_OF_YEAR == (1, 2, 3, 4, None)
    quarterly = {1: D(10), 2: D(20), 3: D(30)}
    for aggregation in A:
        before_q3 = [year_to_date(quarterly, q, aggregation) for q in (1, 2)]
        assert [year_to_date({**quarterly, 3: D(99)}, q, aggregation) for q in (1, 2)] == before_q3


@pytest.mark.parametrize(
    ("quarters", "accumulated_through", "expected"),
    [
        ([1], 1, (1,)),  # the first report of a year: Q2 to Q4 and the year stay missing
        ([2], 2, (2,)),  # Q1 and Q2 in: Q3 is still missing everywhere
        ([1], 3, (1, 2, 3)),  # a Q1 correction reaches Q2 and Q3, which are complete
        ([3], 4, (3, 4, None)),  # a complete year: Q3 reaches Q4 and the year
        ([4], 0, (4, None)),  # LAST figures only: Q4 is the year's
        ([1, 3], 1, (1, 3)),
    ],
)
def test_a_write_reaches_later_periods_only_through_complete_accumulated_figures(
    quarters: list[int], accumulated_through: int, expected: tuple[int | None, ...]
) -> None:
    assert periods_changed_by(quarters, accumulated_through) == expected


def test_leading_quarters_counts_from_the_first_without_a_gap() -> None:
    assert [leading_quarters(q) for q in ({}, {1: D(1)}, {1: D(1), 2: D(1), 4: D(1)}, QUARTERLY)] == [0, 1, 2, 4]
    assert leading_quarters({2: D(1), 3: D(1)}) == 0


@given(
    before=st.dictionaries(st.sampled_from(QUARTERS), st.integers(0, 50).map(D)),
    quarter=st.sampled_from(QUARTERS),
    value=st.integers(0, 50).map(D),
    aggregation=st.sampled_from(list(A)),
)
def test_periods_left_out_keep_their_year_to_date_figure(
    before: dict[int, D], quarter: int, value: D, aggregation: A
) -> None:
    """Whatever the year held, a write of one quarter changes no figure outside the periods
    named for it from the data after the write (the aggregate refresh skips the others)."""
    after = {**before, quarter: value}
    through = 0 if aggregation is A.LAST else leading_quarters(after)
    reached = periods_changed_by([quarter], through)
    for p in PERIODS_OF_YEAR:
        if p not in reached:
            q = QUARTERS[-1] if p is None else p
            assert year_to_date(before, q, aggregation) == year_to_date(after, q, aggregation)
