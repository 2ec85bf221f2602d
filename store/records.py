"""Plain records the data layer returns; the schema layer turns them into GraphQL types.

Each record is read through its `RowShape` (store/shapes.py): the dataclass is the one
declaration of what is selected and how it is unpacked.
"""

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from domain.entries import IndicatorFacts
from domain.enums import (
    AchievementMethod,
    GovernmentKind,
    IndicatorType,
    OrgUnitKind,
    PeriodAggregation,
    Polarity,
    ReportingFrequency,
    RollupFromChildren,
)
from domain.evaluation import IndicatorRule
from store.shapes import RowShape


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


@dataclass(frozen=True)
class IndicatorRecord:
    id: int
    org_unit_id: int
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
    definition_from_year: int | None
    retired_from_year: int | None
    reporting_frequency: ReportingFrequency = ReportingFrequency.QUARTERLY


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


@dataclass(frozen=True)
class MonthlyRealisationRecord:
    """A month's realisation of an indicator that reports monthly."""

    indicator_id: int
    year: int
    month: int
    value: Decimal
    note: str
    version: int
    corrected_by: str | None
    corrected_at: datetime | None
    correction_reason: str | None
    value_before_correction: Decimal | None


GOVERNMENT = RowShape(GovernmentRecord)
ORG_UNIT = RowShape(OrgUnitRecord)
INDICATOR = RowShape(IndicatorRecord)
# An evaluation rule: the indicator's columns, then its government's (lower_is_better_method,
# achievement_cap), whichever source has each.
RULE = RowShape(IndicatorRule, renamed={"method": "achievement_method", "aggregation": "period_aggregation"})
# What the entry rules need of an indicator and its unit (and `writable`, an expression).
MONTHLY_REALISATION = RowShape(MonthlyRealisationRecord)
FACTS = RowShape(IndicatorFacts, renamed={"method": "achievement_method", "unit_path": "path"})
