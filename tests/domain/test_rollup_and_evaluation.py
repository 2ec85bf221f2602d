from decimal import Decimal as D

from hypothesis import given
from hypothesis import strategies as st

from domain.achievement import AchievementResult, TargetValue
from domain.enums import AchievementCategory as C
from domain.enums import AchievementMethod as M
from domain.enums import MissingReason as R
from domain.enums import PeriodAggregation as A
from domain.enums import Polarity as P
from domain.enums import RollupFromChildren as F
from domain.evaluation import IndicatorRule, YearEvaluator
from domain.rollup import RollupTotals, TotalsBuilder, merge_all, totals_of_one


def test_rollup_is_weighted_mean_of_capped_achievements() -> None:
    # 150 is capped at 120: (1 * 120 + 3 * 80) / 4 = 90; the missing one is counted apart.
    parts = [
        totals_of_one(AchievementResult.of(D(150)), weight=D(1)),
        totals_of_one(AchievementResult.of(D(80)), weight=D(3)),
        totals_of_one(AchievementResult.missing(R.NO_REALISATION), weight=D(2)),
    ]
    totals = merge_all(parts)
    assert totals.percent() == D(90)
    assert (totals.indicator_count, totals.counted_count, totals.missing_count) == (3, 2, 1)
    assert totals.category_counts() == {C.SANGAT_TINGGI: 1, C.TINGGI: 1}


def test_rollup_without_cap_uses_raw_achievement() -> None:
    totals = totals_of_one(AchievementResult.of(D(150)), weight=D(1), cap=None)
    assert totals.percent() == D(150)


def test_rollup_of_nothing_counted_has_no_percent() -> None:
    totals = totals_of_one(AchievementResult.missing(R.NO_TARGET), weight=D(1))
    assert totals.percent() is None and totals.result() is None


achievements = st.one_of(
    st.none(), st.decimals(min_value=0, max_value=300, places=2, allow_nan=False, allow_infinity=False)
)
weights = st.decimals(min_value=D("0.1"), max_value=10, places=1)
indicators = st.lists(st.tuples(achievements, weights), max_size=30)


def totals(rows: list[tuple[D | None, D]]) -> RollupTotals:
    return merge_all(
        totals_of_one(AchievementResult.missing(R.NO_REALISATION) if a is None else AchievementResult.of(a), weight=w)
        for a, w in rows
    )


@given(indicators, st.sampled_from([None, D(120), D(100)]))
def test_totals_built_one_by_one_equal_the_merge_of_single_totals(rows: list, cap: D | None) -> None:  # type: ignore[type-arg]
    builder = TotalsBuilder()
    for a, w in rows:
        result = AchievementResult.missing(R.NO_REALISATION) if a is None else AchievementResult.of(a)
        builder.add(result, weight=w, cap=cap)
    assert builder.totals() == merge_all(
        totals_of_one(AchievementResult.missing(R.NO_REALISATION) if a is None else AchievementResult.of(a),
                      weight=w, cap=cap)
        for a, w in rows
    )  # fmt: skip


@given(indicators, indicators, indicators)
def test_rollup_of_children_equals_rollup_of_their_union(a: list, b: list, c: list) -> None:  # type: ignore[type-arg]
    assert merge_all([totals(a), totals(b), totals(c)]) == totals(a + b + c)
    assert totals(a).merge(totals(b)) == totals(b).merge(totals(a))


def rule(indicator_id: int, **kwargs: object) -> IndicatorRule:
    defaults: dict[str, object] = {
        "polarity": P.HIGHER_IS_BETTER,
        "method": M.RATIO,
        "aggregation": A.SUM,
    }
    defaults.update(kwargs)
    return IndicatorRule(id=indicator_id, **defaults)  # type: ignore[arg-type]


def test_quarter_uses_year_to_date_target_where_set_else_annual() -> None:
    evaluator = YearEvaluator(
        year=2026,
        rules={1: rule(1)},
        targets={(1, None): TargetValue(D(100)), (1, 2): TargetValue(D(40))},
        realisations={(1, 1): D(10), (1, 2): D(20), (1, 3): D(30)},
    )
    q2 = evaluator.evaluate(1, 2)
    assert (q2.target, q2.realisation, q2.result.percent) == (TargetValue(D(40)), D(30), D("75.00"))
    q3 = evaluator.evaluate(1, 3)
    assert (q3.target, q3.realisation, q3.result.percent) == (TargetValue(D(100)), D(60), D("60.00"))
    year = evaluator.evaluate(1, None)
    assert year.result.reason is R.NO_REALISATION  # Q4 not in yet
    # The result alone, as aggregates ask for it, is the evaluation's.
    assert [evaluator.result(1, q) for q in (2, 3, None)] == [q2.result, q3.result, year.result]


def test_computed_parent_sums_children_per_quarter_then_aggregates_by_period() -> None:
    evaluator = YearEvaluator(
        year=2025,
        rules={
            1: rule(1, rollup_from_children=F.SUM),
            2: rule(2, parent_id=1),
            3: rule(3, parent_id=1, aggregation=A.LAST),
        },
        targets={(1, None): TargetValue(D(100))},
        realisations={(2, 1): D(10), (2, 2): D(5), (3, 1): D(7), (3, 2): D(8), (1, 1): D(999)},
    )
    # The parent's own typed-in 999 is ignored: a computed realisation is never typed in.
    assert evaluator.quarterly_realisations(1) == {1: D(17), 2: D(13)}
    assert evaluator.evaluate(1, 2).realisation == D(30)


def test_accumulated_through_counts_typed_and_computed_values_of_sum_and_average_only() -> None:
    evaluator = YearEvaluator(
        year=2025,
        rules={
            1: rule(1, rollup_from_children=F.SUM),
            2: rule(2, parent_id=1),
            3: rule(3, parent_id=1),
            4: rule(4, aggregation=A.LAST),
        },
        targets={},
        # The parent has Q1 and Q2 from its children; the LAST indicator's full year reaches nothing.
        realisations={(2, 1): D(1), (2, 2): D(1), (2, 3): D(1), (3, 1): D(1), (3, 2): D(1)}
        | {(4, q): D(1) for q in (1, 2, 3, 4)},
    )
    assert evaluator.accumulated_through() == 3  # indicator 2 alone has Q1 to Q3
    without_2 = YearEvaluator(2025, {1: rule(1, rollup_from_children=F.SUM), 3: rule(3, parent_id=1)}, {}, {})
    assert without_2.accumulated_through() == 0


def test_lower_is_better_uses_mirror_by_default() -> None:
    evaluator = YearEvaluator(
        year=2025,
        rules={1: rule(1, polarity=P.LOWER_IS_BETTER, method=M.MIRROR, aggregation=A.LAST)},
        targets={(1, None): TargetValue(D(10))},
        realisations={(1, 4): D(8)},
    )
    assert evaluator.evaluate(1, None).result.percent == D("120.00")


def test_annual_target_falls_back_to_the_q4_year_to_date_target() -> None:
    evaluator = YearEvaluator(
        year=2025,
        rules={1: rule(1, aggregation=A.LAST)},
        targets={(1, 4): TargetValue(D(50))},
        realisations={(1, 4): D(50)},
    )
    assert evaluator.evaluate(1, None).result.percent == D("100.00")


def test_child_segment_names_the_direct_child_of_a_scope() -> None:
    from domain.rollup import child_segment

    assert child_segment("61/", "61/61.71/300/401/") == "61.71"
    assert child_segment("61/", "61/12/45/") == "12"
    assert child_segment("61/61.71/300/", "61/61.71/300/401/9/") == "401"
    assert child_segment("61/61.71/300/", "61/61.71/300/") is None
