"""Evaluate indicators for a period: year-to-date realisation, target used, and achievement.

Input is one year's targets and quarterly realisations of a set of indicators (with the
cascade children of computed indicators); output is an `Evaluation` per indicator and period.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from domain.achievement import (
    DEFAULT_THRESHOLDS,
    AchievementResult,
    CategoryThresholds,
    TargetValue,
    achievement,
)
from domain.cascade import ChildValue, computed_realisation
from domain.enums import AchievementMethod, PeriodAggregation, Polarity, RollupFromChildren
from domain.periods import QUARTERS, Period, leading_quarters, year_to_date
from domain.rollup import DEFAULT_ACHIEVEMENT_CAP


@dataclass(frozen=True)
class IndicatorRule:
    """What the evaluation needs to know of an indicator."""

    id: int
    polarity: Polarity
    method: AchievementMethod
    aggregation: PeriodAggregation
    rollup_from_children: RollupFromChildren = RollupFromChildren.NONE
    weight: Decimal = Decimal(1)
    parent_id: int | None = None
    # The owning government's choices (design.md): RANGE's lower-is-better side and the rollup cap.
    lower_is_better_method: AchievementMethod = AchievementMethod.MIRROR
    achievement_cap: Decimal | None = DEFAULT_ACHIEVEMENT_CAP


@dataclass(frozen=True)
class Evaluation:
    period: Period
    target: TargetValue | None
    realisation: Decimal | None
    result: AchievementResult


@dataclass
class YearEvaluator:
    """Evaluates a year's data; computed realisations are memoised across calls."""

    year: int
    rules: Mapping[int, IndicatorRule]
    targets: Mapping[tuple[int, int | None], TargetValue]
    realisations: Mapping[tuple[int, int], Decimal]
    thresholds: CategoryThresholds = DEFAULT_THRESHOLDS
    _children: dict[int, list[IndicatorRule]] = field(init=False, default_factory=dict)
    _quarterly: dict[int, dict[int, Decimal]] = field(init=False, default_factory=dict)

    def __post_init__(self) -> None:
        for rule in self.rules.values():
            if rule.parent_id is not None:
                self._children.setdefault(rule.parent_id, []).append(rule)

    def quarterly_realisations(self, indicator_id: int) -> dict[int, Decimal]:
        """Realisation per quarter: typed in, or computed from the cascade children."""
        cached = self._quarterly.get(indicator_id)
        if cached is not None:
            return cached
        rule = self.rules[indicator_id]
        if rule.rollup_from_children is RollupFromChildren.NONE:
            values = {q: v for q in QUARTERS if (v := self.realisations.get((indicator_id, q))) is not None}
        else:
            children = self._children.get(indicator_id, [])
            child_values = {child.id: self.quarterly_realisations(child.id) for child in children}
            values = {}
            for q in QUARTERS:
                value = computed_realisation(
                    rule.rollup_from_children,
                    [ChildValue(child_values[child.id].get(q), child.weight) for child in children],
                )
                if value is not None:
                    values[q] = value
        self._quarterly[indicator_id] = values
        return values

    def accumulated_through(self) -> int:
        """The most leading quarters any accumulated (SUM, AVERAGE) indicator of the year has
        values for, typed in or computed: how far a write can reach (domain.periods)."""
        through = 0
        for rule in self.rules.values():
            if rule.aggregation is not PeriodAggregation.LAST:
                through = max(through, leading_quarters(self.quarterly_realisations(rule.id)))
                if through == QUARTERS[-1]:
                    break
        return through

    def target_for(self, indicator_id: int, quarter: int | None) -> TargetValue | None:
        """A quarter's year-to-date target where set, else the annual one (PK practice)."""
        if quarter is not None and (quarterly := self.targets.get((indicator_id, quarter))) is not None:
            return quarterly
        annual = self.targets.get((indicator_id, None))
        if annual is None and quarter is None:
            # The target through Q4 is the annual target under another name.
            return self.targets.get((indicator_id, 4))
        return annual

    def evaluate(self, indicator_id: int, quarter: int | None) -> Evaluation:
        target, realisation, result = self._figures(indicator_id, quarter)
        return Evaluation(period=Period(self.year, quarter), target=target, realisation=realisation, result=result)

    def result(self, indicator_id: int, quarter: int | None) -> AchievementResult:
        """The achievement alone: what aggregates need, without an Evaluation around it (a
        refresh asks for one per indicator and period; docs/scaling.md)."""
        return self._figures(indicator_id, quarter)[2]

    def _figures(
        self, indicator_id: int, quarter: int | None
    ) -> tuple[TargetValue | None, Decimal | None, AchievementResult]:
        rule = self.rules[indicator_id]
        through_quarter = QUARTERS[-1] if quarter is None else quarter
        realisation = year_to_date(self.quarterly_realisations(indicator_id), through_quarter, rule.aggregation)
        target = self.target_for(indicator_id, quarter)
        result = achievement(
            method=rule.method,
            polarity=rule.polarity,
            target=target,
            realisation=realisation,
            thresholds=self.thresholds,
            lower_is_better_method=rule.lower_is_better_method,
        )
        return target, realisation, result
