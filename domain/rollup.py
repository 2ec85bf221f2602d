"""Rollup of achievements over a unit or subtree (design.md, "Rollup").

`RollupTotals` is a monoid: totals of disjoint parts merge into the totals of their union, so
a parent is the merge of its children plus its own indicators, and partial aggregates can be
stored and combined later.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from domain.achievement import DEFAULT_THRESHOLDS, AchievementResult, CategoryThresholds
from domain.enums import AchievementCategory

DEFAULT_ACHIEVEMENT_CAP = Decimal(120)


@dataclass(frozen=True)
class RollupTotals:
    indicator_count: int = 0
    counted_count: int = 0
    weighted_sum: Decimal = Decimal(0)
    weight_total: Decimal = Decimal(0)
    by_category: tuple[tuple[AchievementCategory, int], ...] = field(default=())

    @property
    def missing_count(self) -> int:
        return self.indicator_count - self.counted_count

    def percent(self) -> Decimal | None:
        if self.weight_total == 0:
            return None
        return self.weighted_sum / self.weight_total

    def result(self, thresholds: CategoryThresholds = DEFAULT_THRESHOLDS) -> AchievementResult | None:
        percent = self.percent()
        return None if percent is None else AchievementResult.of(percent, thresholds)

    def category_counts(self) -> dict[AchievementCategory, int]:
        return dict(self.by_category)

    def merge(self, other: "RollupTotals") -> "RollupTotals":
        counts = self.category_counts()
        for category, count in other.by_category:
            counts[category] = counts.get(category, 0) + count
        return RollupTotals(
            indicator_count=self.indicator_count + other.indicator_count,
            counted_count=self.counted_count + other.counted_count,
            weighted_sum=self.weighted_sum + other.weighted_sum,
            weight_total=self.weight_total + other.weight_total,
            by_category=_ordered(counts),
        )


_CATEGORIES = tuple(AchievementCategory)  # iterating the Enum class itself is slow, and this runs per row


def _ordered(counts: dict[AchievementCategory, int]) -> tuple[tuple[AchievementCategory, int], ...]:
    return tuple((category, counts[category]) for category in _CATEGORIES if counts.get(category))


def capped(percent: Decimal, cap: Decimal | None) -> Decimal:
    return percent if cap is None else min(percent, cap)


def totals_of_one(
    result: AchievementResult, *, weight: Decimal, cap: Decimal | None = DEFAULT_ACHIEVEMENT_CAP
) -> RollupTotals:
    """One indicator's contribution: counted with its capped percent, or counted as missing."""
    if result.percent is None or result.category is None:
        return RollupTotals(indicator_count=1)
    return RollupTotals(
        indicator_count=1,
        counted_count=1,
        weighted_sum=weight * capped(result.percent, cap),
        weight_total=weight,
        # Categories describe the indicator itself, so they use the uncapped achievement.
        by_category=((result.category, 1),),
    )


class TotalsBuilder:
    """Totals built one indicator at a time: the same figures as `merge_all` over
    `totals_of_one`, without an intermediate RollupTotals per indicator (a kabupaten's
    full-quarter refresh adds 25,000)."""

    __slots__ = ("counted_count", "counts", "indicator_count", "weight_total", "weighted_sum")

    def __init__(self) -> None:
        self.indicator_count = self.counted_count = 0
        self.weighted_sum = self.weight_total = Decimal(0)
        self.counts: dict[AchievementCategory, int] = {}

    def add(self, result: AchievementResult, *, weight: Decimal, cap: Decimal | None) -> None:
        self.indicator_count += 1
        if result.percent is None or result.category is None:
            return
        self.counted_count += 1
        self.weighted_sum += weight * capped(result.percent, cap)
        self.weight_total += weight
        self.counts[result.category] = self.counts.get(result.category, 0) + 1

    def totals(self) -> RollupTotals:
        return RollupTotals(
            self.indicator_count, self.counted_count, self.weighted_sum, self.weight_total, _ordered(self.counts)
        )


def merge_all(parts: Iterable[RollupTotals]) -> RollupTotals:
    """The same as merging pairwise, in one pass (a province merges hundreds of rows)."""
    parts = parts if isinstance(parts, list | tuple) else list(parts)
    if len(parts) == 1:
        return parts[0]  # most child rows of a rollup are one summed aggregate row
    indicator_count = counted_count = 0
    weighted_sum = weight_total = Decimal(0)
    counts: dict[AchievementCategory, int] = {}
    for part in parts:
        indicator_count += part.indicator_count
        counted_count += part.counted_count
        weighted_sum += part.weighted_sum
        weight_total += part.weight_total
        for category, count in part.by_category:
            counts[category] = counts.get(category, 0) + count
    return RollupTotals(indicator_count, counted_count, weighted_sum, weight_total, _ordered(counts))


def child_segment(scope_path: str, unit_path: str) -> str | None:
    """The path segment naming the direct child of a scope that a unit lies under.

    '61/' and '61/61.71/300/' give '61.71' (a kabupaten/kota); None means the unit is the
    scope itself, so its indicators are the scope's own.
    """
    rest = unit_path[len(scope_path) :]
    return rest.split("/", 1)[0] or None
