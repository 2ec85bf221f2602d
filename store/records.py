"""Plain records the data layer returns; the schema layer turns them into GraphQL types."""

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any, Self

from domain.enums import (
    AchievementMethod,
    GovernmentKind,
    IndicatorType,
    OrgUnitKind,
    PeriodAggregation,
    Polarity,
    RollupFromChildren,
)
from domain.evaluation import IndicatorRule

# Enum(value) costs about 2 µs here; a kabupaten/kota's batch builds 5,000 rules of five enums
# and 5,000 entry facts of two; a page or tree reads hundreds of indicators of five.
POLARITIES = {member.value: member for member in Polarity}
METHODS = {member.value: member for member in AchievementMethod}
AGGREGATIONS = {member.value: member for member in PeriodAggregation}
ROLLUPS = {member.value: member for member in RollupFromChildren}
TYPES = {member.value: member for member in IndicatorType}


@dataclass(frozen=True)
class GovernmentRecord:
    id: int
    code: str
    name: str
    kind: GovernmentKind
    parent_id: int | None
    path: str
    achievement_cap: Decimal | None
    lower_is_better_method: AchievementMethod
    quarter_deadline_days: int = 10
    annual_deadline_days: int = 90

    @classmethod
    def from_row(cls, row: Any) -> Self:
        m = row._mapping
        return cls(
            id=m["id"],
            code=m["code"],
            name=m["name"],
            kind=GovernmentKind(m["kind"]),
            parent_id=m["parent_id"],
            path=m["path"],
            achievement_cap=m["achievement_cap"],
            lower_is_better_method=AchievementMethod(m["lower_is_better_method"]),
            quarter_deadline_days=m["quarter_deadline_days"],
            annual_deadline_days=m["annual_deadline_days"],
        )


@dataclass(frozen=True)
class OrgUnitRecord:
    id: int
    government_id: int
    parent_id: int | None
    code: str
    name: str
    kind: OrgUnitKind
    path: str
    valid_from: date
    valid_to: date | None

    @classmethod
    def from_row(cls, row: Any) -> Self:
        m = row._mapping
        return cls(
            id=m["id"],
            government_id=m["government_id"],
            parent_id=m["parent_id"],
            code=m["code"],
            name=m["name"],
            kind=OrgUnitKind(m["kind"]),
            path=m["path"],
            valid_from=m["valid_from"],
            valid_to=m["valid_to"],
        )


@dataclass(frozen=True)
class IndicatorRecord:
    id: int
    org_unit_id: int
    objective_id: int | None
    parent_id: int | None
    code: str
    name: str
    unit_of_measure: str
    polarity: Polarity
    achievement_method: AchievementMethod
    type: IndicatorType
    is_key: bool
    period_aggregation: PeriodAggregation
    rollup_from_children: RollupFromChildren
    weight: Decimal
    allow_negative: bool
    ordinal_scale: str | None
    definition: str
    formula: str
    data_source: str

    @classmethod
    def from_row(cls, row: Any) -> Self:
        m = row._mapping
        return cls(
            id=m["id"],
            org_unit_id=m["org_unit_id"],
            objective_id=m["objective_id"],
            parent_id=m["parent_id"],
            code=m["code"],
            name=m["name"],
            unit_of_measure=m["unit_of_measure"],
            polarity=POLARITIES[m["polarity"]],
            achievement_method=METHODS[m["achievement_method"]],
            type=TYPES[m["type"]],
            is_key=m["is_key"],
            period_aggregation=AGGREGATIONS[m["period_aggregation"]],
            rollup_from_children=ROLLUPS[m["rollup_from_children"]],
            weight=m["weight"],
            allow_negative=m["allow_negative"],
            ordinal_scale=m["ordinal_scale"],
            definition=m["definition"],
            formula=m["formula"],
            data_source=m["data_source"],
        )


@dataclass(frozen=True)
class TargetRecord:
    indicator_id: int
    year: int
    quarter: int | None
    value: Decimal
    high: Decimal | None
    version: int = 1


@dataclass(frozen=True)
class RealisationRecord:
    indicator_id: int
    year: int
    quarter: int
    value: Decimal
    note: str
    version: int = 1
    corrected_by: str | None = None
    corrected_at: datetime | None = None
    correction_reason: str | None = None
    value_before_correction: Decimal | None = None


# What a rule reads of an indicator, then of its government.
INDICATOR_RULE_COLUMNS = (
    "id",
    "polarity",
    "achievement_method",
    "period_aggregation",
    "rollup_from_children",
    "weight",
    "parent_id",
)
RULE_COLUMNS = (*INDICATOR_RULE_COLUMNS, "lower_is_better_method", "achievement_cap")


def rule_of(row: Any) -> IndicatorRule:
    """An evaluation rule from an indicator row joined with its government's settings, whose
    first columns are RULE_COLUMNS in order."""
    rule = row[: len(RULE_COLUMNS)]
    indicator_id, polarity, method, aggregation, rollup, weight, parent_id, lower_is_better, cap = rule
    return IndicatorRule(
        id=indicator_id,
        polarity=POLARITIES[polarity],
        method=METHODS[method],
        aggregation=AGGREGATIONS[aggregation],
        rollup_from_children=ROLLUPS[rollup],
        weight=weight,
        parent_id=parent_id,
        lower_is_better_method=METHODS[lower_is_better],
        achievement_cap=cap,
    )
