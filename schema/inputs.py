"""Mutation inputs and payloads."""

from datetime import date
from decimal import Decimal
from typing import Self

import strawberry

from actions.reorganisation import Reorganisation, Successor
from actions.structure import DefinitionChange, NewIndicator
from actions.values import WrittenBatch
from domain.entries import Checked, CheckedMonth, MonthlyEntry, RealisationEntry, TargetEntry
from schema import enums
from schema.ids import decode_id_of, encode_id, optional_pk_of, pk_of
from schema.rows import scalar_rows
from schema.types import Indicator, Info, OrgUnit


@strawberry.type(description="A problem with the input of a mutation; nothing was written.")
class UserError:
    code: str = strawberry.field(description="Stable machine-readable code, e.g. NEGATIVE_VALUE.")
    field: str | None = strawberry.field(description="Path of the input field, e.g. realisations.3.value.")
    message: str = strawberry.field(description="Explanation in Bahasa Indonesia.")


@strawberry.input(description="Filter of the indicators connection.")
class IndicatorFilter:
    org_unit_id: strawberry.ID | None = None
    subtree_of: strawberry.ID | None = strawberry.field(
        default=None, description="A Government or OrgUnit id: indicators anywhere below it."
    )
    is_key: bool | None = strawberry.field(default=None, description="Only IKU (true) or only non-key (false).")
    parent_id: strawberry.ID | None = strawberry.field(default=None, description="Cascade children of an indicator.")


@strawberry.input
class CreateOrgUnitInput:
    parent_id: strawberry.ID | None = strawberry.field(default=None, description="Parent org unit.")
    government_code: str | None = strawberry.field(
        default=None, description="For a government's root unit (kind PEMDA) only: its Kemendagri code."
    )
    code: str
    name: str
    kind: enums.OrgUnitKind
    valid_from: date | None = strawberry.field(default=None, description="Defaults to today.")
    valid_to: date | None = None


@strawberry.type
class CreateOrgUnitPayload:
    org_unit: OrgUnit | None
    user_errors: list[UserError]


@strawberry.input
class CreateIndicatorInput:
    org_unit_id: strawberry.ID
    code: str
    name: str
    unit_of_measure: str
    polarity: enums.Polarity
    type: enums.IndicatorType
    period_aggregation: enums.PeriodAggregation
    achievement_method: enums.AchievementMethod | None = strawberry.field(
        default=None, description="Defaults to RATIO, or the government's choice for LOWER_IS_BETTER."
    )
    is_key: bool = False
    rollup_from_children: enums.RollupFromChildren = enums.RollupFromChildren.NONE
    weight: Decimal = Decimal(1)
    parent_id: strawberry.ID | None = strawberry.field(default=None, description="Indicator this one supports.")
    allow_negative: bool = False
    ordinal_scale: str | None = strawberry.field(default=None, description="SAKIP_GRADE or BPK_OPINION.")
    definition: str = ""
    formula: str = ""
    data_source: str = ""
    reporting_frequency: enums.ReportingFrequency = strawberry.field(
        default=enums.ReportingFrequency.QUARTERLY,
        description="MONTHLY: realisations entered per month (submitMonthlyRealisations), quarters derived.",
    )

    def new_indicator(self) -> NewIndicator:
        return NewIndicator(
            org_unit_id=pk_of(self.org_unit_id, "OrgUnit"),
            code=self.code,
            name=self.name,
            unit_of_measure=self.unit_of_measure,
            polarity=self.polarity,
            type=self.type,
            period_aggregation=self.period_aggregation,
            achievement_method=self.achievement_method,
            is_key=self.is_key,
            rollup_from_children=self.rollup_from_children,
            weight=self.weight,
            parent_id=optional_pk_of(self.parent_id, "Indicator"),
            allow_negative=self.allow_negative,
            ordinal_scale=self.ordinal_scale,
            definition=self.definition,
            formula=self.formula,
            data_source=self.data_source,
            reporting_frequency=self.reporting_frequency,
        )


@strawberry.type
class CreateIndicatorPayload:
    indicator: Indicator | None
    user_errors: list[UserError]


@scalar_rows
@strawberry.input(description="A target; quarter null for the annual target.")
class TargetInput:
    indicator_id: strawberry.ID
    year: int
    quarter: int | None = None
    value: Decimal | None = strawberry.field(default=None, description="The target (low end for RANGE).")
    high: Decimal | None = strawberry.field(default=None, description="High end, RANGE only.")
    grade: str | None = strawberry.field(default=None, description="Predikat, for ordinal-scale indicators.")
    expected_version: int | None = strawberry.field(
        default=None, description="The version being replaced (Target.version); omit for a new target."
    )


@strawberry.input
class SetTargetsInput:
    targets: list[TargetInput]
    idempotency_key: str | None = None

    def entries(self) -> list[TargetEntry]:
        return [
            TargetEntry(
                indicator_id=decode_id_of(row.indicator_id, "Indicator"),
                year=row.year,
                quarter=row.quarter,
                value=row.value,
                high=row.high,
                grade=row.grade,
                expected_version=row.expected_version,
            )
            for row in self.targets
        ]


@scalar_rows
@strawberry.input(description="A realisation (realisasi) of one quarter.")
class RealisationInput:
    indicator_id: strawberry.ID
    year: int
    quarter: int
    value: Decimal | None = None
    grade: str | None = strawberry.field(default=None, description="Predikat, for ordinal-scale indicators.")
    note: str = ""
    expected_version: int | None = strawberry.field(
        default=None, description="The version being replaced (Realisation.version); omit for a new value."
    )


@scalar_rows
@strawberry.input(description="A month's realisation (realisasi bulanan) of an indicator that reports monthly.")
class MonthlyRealisationInput:
    indicator_id: strawberry.ID
    year: int
    month: int = strawberry.field(description="1–12.")
    value: Decimal | None = None
    grade: str | None = strawberry.field(default=None, description="Predikat, for ordinal-scale indicators.")
    note: str = ""
    expected_version: int | None = strawberry.field(
        default=None, description="The version being replaced (MonthlyRealisation.version); omit for a new value."
    )

    def entry(self) -> MonthlyEntry:
        return MonthlyEntry(
            indicator_id=decode_id_of(self.indicator_id, "Indicator"),
            year=self.year,
            month=self.month,
            value=self.value,
            grade=self.grade,
            note=self.note,
            expected_version=self.expected_version,
        )


@strawberry.input
class SubmitRealisationsInput:
    idempotency_key: str = strawberry.field(description="Repeating a request with the same key writes nothing twice.")
    realisations: list[RealisationInput]
    dry_run: bool = strawberry.field(
        default=False,
        description="Check every row as this submission would (the same rules and userErrors), then write "
        "nothing (uji coba): an upload's check before it is confirmed.",
    )
    months: list[MonthlyRealisationInput] = strawberry.field(
        default_factory=list,
        description="Months (realisasi bulanan) of indicators that report monthly, in the same all-or-nothing "
        "batch (errors at months.N); each quarter whose months are in is derived, as submitMonthlyRealisations "
        "does. realisations may then be empty.",
    )

    def month_entries(self) -> list[MonthlyEntry]:
        return [row.entry() for row in self.months]

    def entries(self) -> list[RealisationEntry]:
        return [
            RealisationEntry(
                indicator_id=decode_id_of(row.indicator_id, "Indicator"),
                year=row.year,
                quarter=row.quarter,
                value=row.value,
                grade=row.grade,
                note=row.note,
                expected_version=row.expected_version,
            )
            for row in self.realisations
        ]


@strawberry.type(description="A value as written by a batch mutation.")
class WrittenValue:
    # The global id is encoded only when asked for: a full-quarter batch writes 5,000 rows.
    indicator_pk: strawberry.Private[int]
    year: int
    quarter: int | None
    value: Decimal
    high: Decimal | None
    note: str

    @classmethod
    def of(cls, row: Checked) -> Self:
        return cls(
            indicator_pk=row.indicator_id,
            year=row.year,
            quarter=row.quarter,
            value=row.value,
            high=row.high,
            note=row.note,
        )

    @strawberry.field
    def indicator_id(self) -> strawberry.ID:
        return strawberry.ID(encode_id("Indicator", self.indicator_pk))

    @strawberry.field
    async def indicator(self, info: Info) -> Indicator | None:
        record = await info.context.loaders.indicator_by_id.load(self.indicator_pk)
        return Indicator.of(record) if record else None


@strawberry.type(description="A month as written by submitMonthlyRealisations.")
class WrittenMonth:
    indicator_pk: strawberry.Private[int]
    year: int
    month: int
    value: Decimal
    note: str

    @classmethod
    def of(cls, row: CheckedMonth) -> Self:
        return cls(indicator_pk=row.indicator_id, year=row.year, month=row.month, value=row.value, note=row.note)

    @strawberry.field
    def indicator_id(self) -> strawberry.ID:
        return strawberry.ID(encode_id("Indicator", self.indicator_pk))

    @strawberry.field
    async def indicator(self, info: Info) -> Indicator | None:
        record = await info.context.loaders.indicator_by_id.load(self.indicator_pk)
        return Indicator.of(record) if record else None


@strawberry.type
class SetTargetsPayload:
    targets: list[WrittenValue]
    replayed: bool = strawberry.field(description="True when an earlier request with this key was answered again.")
    user_errors: list[UserError]

    @classmethod
    def of(cls, batch: WrittenBatch | None, user_errors: list[UserError]) -> Self:
        rows = [WrittenValue.of(row) for row in batch.rows] if batch else []
        return cls(targets=rows, replayed=bool(batch and batch.replayed), user_errors=user_errors)


@strawberry.type
class SubmitRealisationsPayload:
    realisations: list[WrittenValue]
    replayed: bool = strawberry.field(description="True when an earlier request with this key was answered again.")
    user_errors: list[UserError]
    months: list[WrittenMonth] = strawberry.field(description="The months written (input months).")
    quarters: list[WrittenValue] = strawberry.field(description="Quarters derived anew from the months written.")

    @classmethod
    def of(cls, batch: WrittenBatch | None, user_errors: list[UserError]) -> Self:
        rows = [WrittenValue.of(row) for row in batch.rows] if batch else []
        in_months = batch.months if batch else None
        return cls(
            realisations=rows,
            replayed=bool(batch and batch.replayed),
            user_errors=user_errors,
            months=[WrittenMonth.of(m) for m in in_months.months] if in_months else [],
            quarters=[WrittenValue.of(q) for q in in_months.quarters] if in_months else [],
        )


@strawberry.input(description="A new version of an indicator's definition, in force from a year.")
class UpdateIndicatorDefinitionInput:
    indicator_id: strawberry.ID
    from_year: int = strawberry.field(description="The first year the new definition applies to.")
    reason: str = strawberry.field(
        default="", description="Required to change the polarity or method of an indicator with approved values."
    )
    name: str | None = None
    unit_of_measure: str | None = None
    polarity: enums.Polarity | None = None
    achievement_method: enums.AchievementMethod | None = None
    definition: str | None = None
    formula: str | None = None
    data_source: str | None = None

    def change(self) -> DefinitionChange:
        return DefinitionChange(
            indicator_id=pk_of(self.indicator_id, "Indicator"),
            from_year=self.from_year,
            reason=self.reason,
            name=self.name,
            unit_of_measure=self.unit_of_measure,
            polarity=self.polarity,
            achievement_method=self.achievement_method,
            definition=self.definition,
            formula=self.formula,
            data_source=self.data_source,
        )


@strawberry.input(description="Retire an indicator from a year on (pensiunkan indikator).")
class RetireIndicatorInput:
    indicator_id: strawberry.ID
    from_year: int
    reason: str


@strawberry.input(description="Move an indicator to another unit of its government, with its values and history.")
class MoveIndicatorInput:
    indicator_id: strawberry.ID
    org_unit_id: strawberry.ID
    reason: str


@strawberry.input(description="A successor unit of a reorganisation.")
class SuccessorUnitInput:
    code: str
    name: str
    parent_id: strawberry.ID | None = strawberry.field(
        default=None, description="Defaults to the parent of the first unit replaced."
    )


@strawberry.input(description="Where a sub-unit or an indicator of a replaced unit goes: a successor's code.")
class SuccessorMapInput:
    id: strawberry.ID = strawberry.field(description="An OrgUnit (a direct sub-unit) or an Indicator.")
    successor_code: str


@strawberry.input(
    description="A SOTK change from 1 January of a year: rename or move (one unit to one), merge (several "
    "to one) or split (one to several). Sub-units and indicators follow as mapped (to the only successor "
    "when there is one)."
)
class ReorganizeOrgUnitsInput:
    effective_year: int
    reason: str
    predecessor_ids: list[strawberry.ID]
    successors: list[SuccessorUnitInput]
    unit_map: list[SuccessorMapInput] = strawberry.field(default_factory=list)
    indicator_map: list[SuccessorMapInput] = strawberry.field(default_factory=list)

    def change(self) -> Reorganisation:
        return Reorganisation(
            effective_year=self.effective_year,
            reason=self.reason,
            predecessor_ids=[pk_of(unit_id, "OrgUnit") for unit_id in self.predecessor_ids],
            successors=[
                Successor(code=s.code, name=s.name, parent_id=optional_pk_of(s.parent_id, "OrgUnit"))
                for s in self.successors
            ],
            unit_map={pk_of(m.id, "OrgUnit"): m.successor_code.strip() for m in self.unit_map},
            indicator_map={pk_of(m.id, "Indicator"): m.successor_code.strip() for m in self.indicator_map},
        )


@strawberry.type
class ReorganizeOrgUnitsPayload:
    successors: list[OrgUnit]
    user_errors: list[UserError]
