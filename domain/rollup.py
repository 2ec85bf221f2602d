"""Rollup of achievements over a unit or subtree (design.md, "Rollup"; Permendagri 86/2017 for
the categories counted beside it).

The capaian of a unit or subtree for a period is the weighted mean of its indicators'
achievements, each capped at its government's `achievementCap` (DEFAULT_ACHIEVEMENT_CAP unless
set; null: no cap), counting only indicators that have an achievement; how many were counted,
missing and in each category is always reported with it.

One rule, one place: an indicator's contribution is `TotalsBuilder.add`, and totals merge by
adding every figure (`merge_all`). `RollupTotals` is thereby a monoid: totals of disjoint parts
merge into the totals of their union, so a parent is the merge of its children plus its own
indicators, and partial aggregates can be stored and combined later. The SQL that sums stored
aggregate rows (store/aggregates.py, `summed_totals`) adds the same figures, its columns named
after `RollupTotals`'s fields.

Stored aggregates are computed by these rules and those they build on (domain.achievement,
domain.periods, domain.cascade, domain.evaluation). Bump RULES_VERSION with any change to them
that can change a stored figure: the server rebuilds every stored aggregate at start-up when the
database's version differs (actions/maintenance.py).
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from domain.achievement import DEFAULT_THRESHOLDS, AchievementResult, CategoryThresholds
from domain.enums import AchievementCategory

RULES_VERSION = 1
# design.md: each indicator's achievement is capped at the government's achievementCap, 120 unless set.
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
        return merge_all((self, other))


_CATEGORIES = tuple(AchievementCategory)  # iterating the Enum class itself is slow, and this runs per row


def _ordered(counts: dict[AchievementCategory, int]) -> tuple[tuple[AchievementCategory, int], ...]:
    return tuple((category, counts[category]) for category in _CATEGORIES if counts.get(category))


def capped(percent: Decimal, cap: Decimal | None) -> Decimal:
    return percent if cap is None else min(percent, cap)


def totals_of_one(
    result: AchievementResult, *, weight: Decimal, cap: Decimal | None = DEFAULT_ACHIEVEMENT_CAP
) -> RollupTotals:
    """One indicator's totals: its contribution (`TotalsBuilder.add`) alone."""
    builder = TotalsBuilder()
    builder.add(result, weight=weight, cap=cap)
    return builder.totals()


class TotalsBuilder:
    """Totals built one indicator at a time, without an intermediate RollupTotals per indicator
    (a refresh adds one per indicator and period; docs/scaling.md)."""

    __slots__ = ("counted_count", "counts", "indicator_count", "weight_total", "weighted_sum")

    def __init__(self) -> None:
        self.indicator_count = self.counted_count = 0
        self.weighted_sum = self.weight_total = Decimal(0)
        self.counts: dict[AchievementCategory, int] = {}

    def add(self, result: AchievementResult, *, weight: Decimal, cap: Decimal | None) -> None:
        """The contribution rule: an indicator counts with its weight and capped percent, or
        counts as missing when it has no achievement."""
        self.indicator_count += 1
        if result.percent is None or result.category is None:
            return
        self.counted_count += 1
        self.weighted_sum += weight * capped(result.percent, cap)
        self.weight_total += weight
        # Categories describe the indicator itself, so they use the uncapped achievement.
        self.counts[result.category] = self.counts.get(result.category, 0) + 1

    def totals(self) -> RollupTotals:
        return RollupTotals(
            self.indicator_count, self.counted_count, self.weighted_sum, self.weight_total, _ordered(self.counts)
        )


def merge_all(parts: Iterable[RollupTotals]) -> RollupTotals:
    """The totals of disjoint parts together: every figure added (a province merges hundreds of
    rows in one pass)."""
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
