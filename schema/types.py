"""Object types. Thin views over store records; nested fields load through DataLoaders."""

import functools
import operator
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any, Self

import strawberry

from domain.budget import unallocated
from domain.errors import DomainError
from domain.evaluation import Evaluation
from domain.indicators import FIRST_YEAR
from domain.periods import Period, period
from domain.plans import CHILD_KIND
from domain.scales import scale_named
from policies.paths import scope_of_path
from schema import enums
from schema.context import Context
from schema.errors import bad_input
from schema.ids import encode_cursor, encode_id
from schema.prepared import NOT_PREPARED, Prepared
from store.indicators import DefinitionRecord
from store.loaders import AchievementKey
from store.planning import ElementRecord, PlacedIndicatorRecord, VersionContent
from store.records import (
    GovernmentRecord,
    IndicatorRecord,
    MonthlyRealisationRecord,
    OrgUnitRecord,
    RealisationRecord,
    TargetRecord,
)
from store.rollups import RollupResult, ScopeKey

Info = strawberry.Info[Context, None]


@functools.cache
def copied_fields(type_: type) -> tuple[str, ...]:
    """The plain fields of a Strawberry type (no resolver, not private) other than its global
    id: each is copied from the record field of the same name (tests/test_records.py checks
    that the record has them all)."""
    definition = type_.__strawberry_definition__  # type: ignore[attr-defined]
    return tuple(f.python_name for f in definition.fields if f.base_resolver is None and f.python_name != "id")


@functools.cache
def _copier(type_: type) -> Callable[[object], dict[str, Any]]:
    names = copied_fields(type_)
    values = operator.attrgetter(*names)
    return lambda record: dict(zip(names, values(record), strict=True))


def copied(type_: type, record: object) -> dict[str, Any]:
    return _copier(type_)(record)


def checked_period(year: int, quarter: int | None) -> Period:
    try:
        return period(year, quarter)
    except DomainError as error:
        raise bad_input(error.message) from error


@strawberry.interface(description="An object with a global ID (Relay).")
class Node:
    id: strawberry.ID


@strawberry.interface(description="A place in the hierarchy: a Government or an OrgUnit (wilayah atau unit).")
class Scope(Node):
    code: str
    name: str


@strawberry.type(description="Count of indicators in one achievement category.")
class CategoryCount:
    category: enums.AchievementCategory
    count: int


@strawberry.type(description="Rollup of achievement (capaian agregat) over a scope for a period.")
class Rollup(Prepared):
    result: strawberry.Private[RollupResult]
    year: int
    quarter: int | None = strawberry.field(description="Quarter (triwulan), null for the whole year.")
    percent: Decimal | None = strawberry.field(
        description="Weighted mean of capped indicator achievements, in percent; null when none counted."
    )
    category: enums.AchievementCategory | None
    indicator_count: int = strawberry.field(description="Indicators in the scope (jumlah indikator).")
    counted_count: int = strawberry.field(description="Indicators with an achievement.")
    missing_count: int = strawberry.field(description="Indicators without one (see Achievement.reason).")
    by_category: list[CategoryCount]

    @classmethod
    def of(cls, result: RollupResult) -> Self:
        totals = result.totals
        summary = totals.result()
        return cls(
            result=result,
            year=result.period.year,
            quarter=result.period.quarter,
            percent=summary.percent if summary else None,
            category=summary.category if summary else None,
            indicator_count=totals.indicator_count,
            counted_count=totals.counted_count,
            missing_count=totals.missing_count,
            by_category=[CategoryCount(category=c, count=n) for c, n in totals.by_category],
        )

    def prepared_value(self, field_name: str, arguments: Mapping[str, Any]) -> Any:
        if field_name == "scope":
            return self.scope()
        if field_name == "children" and self.result.children is not None:
            return [Rollup.of(child) for child in self.result.children]
        return NOT_PREPARED

    @strawberry.field(description="The government or org unit rolled up.")
    def scope(self) -> Scope | None:
        record = self.result.record
        return Government.of(record) if isinstance(record, GovernmentRecord) else OrgUnit.of(record)

    @strawberry.field(
        description="One row per direct child: the provincial administration and each kabupaten/kota for a "
        "province, each perangkat daerah for a kabupaten/kota, each child unit for an org unit."
    )
    async def children(self, info: Info) -> list["Rollup"]:
        children = self.result.children
        if children is None:
            loaded = await info.context.loaders.rollup_by_scope_period.load((self.result.scope, self.result.period))
            children = (loaded.children if loaded else None) or []
        return [Rollup.of(child) for child in children]


async def load_rollup(info: Info, scope: ScopeKey, year: int, quarter: int | None) -> Rollup | None:
    result = await info.context.loaders.rollup_by_scope_period.load((scope, checked_period(year, quarter)))
    return Rollup.of(result) if result else None


async def load_scope_of_path(info: Info, path: str) -> Scope | None:
    """The Government or OrgUnit a hierarchy path ends at: '61/61.71/' or '61/61.71/300/'."""
    scope = scope_of_path(path)
    if scope is None:
        return None
    if isinstance(scope, int):
        return await load_scope(info, ScopeKey("unit", scope))
    records = await info.context.loaders.government_by_code.load(scope)
    return Government.of(records) if records else None


async def load_scope(info: Info, scope: ScopeKey) -> Scope | None:
    loaders = info.context.loaders
    if scope.kind == "government":
        government = await loaders.government_by_id.load(scope.id)
        return Government.of(government) if government else None
    unit = await loaders.org_unit_by_id.load(scope.id)
    return OrgUnit.of(unit) if unit else None


@strawberry.type(description="A regional government (pemerintah daerah): provinsi, kabupaten or kota.")
class Government(Scope):
    record: strawberry.Private[GovernmentRecord]
    code: str = strawberry.field(description="Kemendagri region code (kode wilayah), e.g. 61 or 61.71.")
    name: str
    kind: enums.GovernmentKind
    achievement_cap: Decimal | None = strawberry.field(
        description="Cap on an indicator's achievement in rollups (batas capaian); null means no cap."
    )

    @classmethod
    def of(cls, record: GovernmentRecord) -> Self:
        return cls(id=strawberry.ID(encode_id("Government", record.id)), record=record, **copied(cls, record))

    @strawberry.field(description="The province of a kabupaten/kota; null for a province.")
    async def parent(self, info: Info) -> "Government | None":
        if self.record.parent_id is None:
            return None
        parent = await info.context.loaders.government_by_id.load(self.record.parent_id)
        return Government.of(parent) if parent else None

    @strawberry.field(description="Kabupaten/kota of a province.")
    async def children(self, info: Info) -> list["Government"]:
        return [Government.of(g) for g in await info.context.loaders.governments_by_parent_id.load(self.record.id)]

    @strawberry.field(description="The government's root org unit (the pemda itself), as valid today.")
    async def root_unit(self, info: Info) -> "OrgUnit | None":
        unit = await info.context.loaders.root_unit_by_government_id.load(self.record.id)
        return OrgUnit.of(unit) if unit else None

    @strawberry.field(description="Rollup of achievement (capaian) of this government for a year or quarter.")
    async def rollup(self, info: Info, year: int, quarter: int | None = None) -> Rollup | None:
        return await load_rollup(info, ScopeKey("government", self.record.id), year, quarter)


@strawberry.type(description="An org unit: the pemda, a perangkat daerah (OPD) or an eselon III/IV unit.")
class OrgUnit(Scope, Prepared):
    record: strawberry.Private[OrgUnitRecord]
    code: str
    name: str
    kind: enums.OrgUnitKind
    valid_from: date = strawberry.field(description="First day of validity (berlaku mulai) under its SOTK.")
    valid_to: date | None = strawberry.field(description="Last day of validity; null while in force.")
    # Loaded ahead for a deep read (resolvers/subtree.py): children valid today, and indicators.
    children_ahead: strawberry.Private[list["OrgUnit"] | None] = None
    indicators_ahead: strawberry.Private[list["Indicator"] | None] = None

    def prepared_value(self, field_name: str, arguments: Mapping[str, Any]) -> Any:
        if field_name == "children" and arguments.get("year") is None and self.children_ahead is not None:
            return self.children_ahead
        if field_name == "indicators" and self.indicators_ahead is not None:
            return self.indicators_ahead
        return NOT_PREPARED

    @classmethod
    def of(cls, record: OrgUnitRecord) -> Self:
        return cls(id=strawberry.ID(encode_id("OrgUnit", record.id)), record=record, **copied(cls, record))

    @strawberry.field
    async def government(self, info: Info) -> Government | None:
        government = await info.context.loaders.government_by_id.load(self.record.government_id)
        return Government.of(government) if government else None

    @strawberry.field(description="Parent unit; null for a government's root unit.")
    async def parent(self, info: Info) -> "OrgUnit | None":
        if self.record.parent_id is None:
            return None
        parent = await info.context.loaders.org_unit_by_id.load(self.record.parent_id)
        return OrgUnit.of(parent) if parent else None

    @strawberry.field(description="Child units valid in `year` (the structure of that year), or valid today.")
    async def children(self, info: Info, year: int | None = None) -> list["OrgUnit"]:
        period = None if year is None else checked_period(year, None)
        units = await info.context.loaders.child_units_by_parent_id.load((self.record.id, period))
        return [OrgUnit.of(unit) for unit in units]

    @strawberry.field(description="Indicators (indikator kinerja) owned by this unit.")
    async def indicators(self, info: Info) -> list["Indicator"]:
        return [Indicator.of(i) for i in await info.context.loaders.indicators_by_org_unit_id.load(self.record.id)]

    @strawberry.field(description="Rollup of achievement (capaian) of this unit's subtree for a year or quarter.")
    async def rollup(self, info: Info, year: int, quarter: int | None = None) -> Rollup | None:
        return await load_rollup(info, ScopeKey("unit", self.record.id), year, quarter)


def grade_of(scale: str | None, value: Decimal) -> str | None:
    return scale_named(scale).grade_of(value) if scale else None


@strawberry.type(description="A target (target kinerja); quarter null is the annual target.")
class Target:
    year: int
    quarter: int | None = strawberry.field(description="Quarter of a year-to-date target (target s.d. triwulan).")
    value: Decimal = strawberry.field(description="The target, or the low end of a RANGE target.")
    high: Decimal | None = strawberry.field(description="High end of a RANGE target.")
    grade: str | None = strawberry.field(description="Predikat of an ordinal-scale target (e.g. BB).")
    version: int = strawberry.field(description="Send as expectedVersion to change this target.")

    @classmethod
    def of(cls, record: TargetRecord, scale: str | None) -> Self:
        return cls(
            year=record.year,
            quarter=record.quarter,
            value=record.value,
            high=record.high,
            grade=grade_of(scale, record.value),
            version=record.version,
        )


@strawberry.type(description="A reviewer's correction of a submitted value (koreksi), with its reason.")
class Correction:
    by: str
    at: datetime
    reason: str
    previous_value: Decimal

    @classmethod
    def of(cls, record: RealisationRecord | MonthlyRealisationRecord) -> Self | None:
        """The correction a stored value carries, if a reviewer corrected it."""
        if not (record.corrected_by and record.corrected_at and record.value_before_correction is not None):
            return None
        return cls(
            by=record.corrected_by,
            at=record.corrected_at,
            reason=record.correction_reason or "",
            previous_value=record.value_before_correction,
        )


@strawberry.type(description="A realisation (realisasi) reported for one quarter.")
class Realisation:
    year: int
    quarter: int
    value: Decimal
    note: str = strawberry.field(description="Narrative: analysis, obstacles, follow-up (catatan).")
    grade: str | None = strawberry.field(description="Predikat of an ordinal-scale realisation.")
    version: int = strawberry.field(description="Send as expectedVersion to change this value.")
    correction: Correction | None = strawberry.field(description="Set when a reviewer corrected the value.")

    @classmethod
    def of(cls, record: RealisationRecord, scale: str | None) -> Self:
        return cls(
            year=record.year,
            quarter=record.quarter,
            value=record.value,
            note=record.note,
            grade=grade_of(scale, record.value),
            version=record.version,
            correction=Correction.of(record),
        )


@strawberry.type(description="A month's realisation (realisasi bulanan) of an indicator that reports monthly.")
class MonthlyRealisation:
    year: int
    month: int = strawberry.field(description="1–12; its quarter's realisation is derived from the quarter's months.")
    value: Decimal
    note: str = strawberry.field(description="Narrative of the month (catatan).")
    grade: str | None = strawberry.field(description="Predikat of an ordinal-scale realisation.")
    version: int = strawberry.field(description="Send as expectedVersion to change this value.")
    correction: Correction | None = strawberry.field(description="Set when a reviewer corrected the value.")

    @classmethod
    def of(cls, record: MonthlyRealisationRecord, scale: str | None) -> Self:
        return cls(
            year=record.year,
            month=record.month,
            value=record.value,
            note=record.note,
            grade=grade_of(scale, record.value),
            version=record.version,
            correction=Correction.of(record),
        )


@strawberry.type(description="Achievement (capaian) of an indicator for a year, or year-to-date through a quarter.")
class Achievement:
    year: int
    quarter: int | None
    target: Decimal | None = strawberry.field(description="The target compared with (low end for RANGE).")
    target_high: Decimal | None
    realisation: Decimal | None = strawberry.field(
        description="Year-to-date realisation (realisasi s.d. triwulan), aggregated by periodAggregation."
    )
    percent: Decimal | None = strawberry.field(description="Achievement in percent, two decimals.")
    category: enums.AchievementCategory | None
    reason: enums.MissingReason | None = strawberry.field(description="Why percent is null.")

    @classmethod
    def of(cls, evaluation: Evaluation) -> Self:
        target = evaluation.target
        return cls(
            year=evaluation.period.year,
            quarter=evaluation.period.quarter,
            target=target.value if target else None,
            target_high=target.high if target else None,
            realisation=evaluation.realisation,
            percent=evaluation.result.percent,
            category=evaluation.result.category,
            reason=evaluation.result.reason,
        )


@strawberry.type(description="A performance indicator (indikator kinerja); IKU when isKey.")
class Indicator(Node, Prepared):
    record: strawberry.Private[IndicatorRecord]
    code: str
    name: str
    unit_of_measure: str = strawberry.field(description="Unit of measure (satuan): %, orang, dokumen, indeks, …")
    polarity: enums.Polarity
    achievement_method: enums.AchievementMethod
    type: enums.IndicatorType
    is_key: bool = strawberry.field(description="A key performance indicator (IKU).")
    period_aggregation: enums.PeriodAggregation
    rollup_from_children: enums.RollupFromChildren
    weight: Decimal = strawberry.field(description="Weight (bobot) in rollups.")
    allow_negative: bool
    ordinal_scale: str | None = strawberry.field(description="Ordinal scale (skala predikat), if any.")
    definition: str = strawberry.field(description="Operational definition (definisi operasional).")
    formula: str
    data_source: str = strawberry.field(description="Data source (sumber data).")
    retired_from_year: int | None = strawberry.field(
        description="Retired (pensiun) from this year on: not counted in its rollups, no values entered."
    )
    reporting_frequency: enums.ReportingFrequency = strawberry.field(
        description="How often its realisation is entered (frekuensi pelaporan); a MONTHLY indicator's quarters "
        "are derived from its monthlyRealisations."
    )
    # Achievements by (year, quarter), and targets and realisations by (field, year), loaded ahead
    # for a deep read (resolvers/subtree.py).
    achievements_ahead: strawberry.Private[dict[tuple[int, int | None], Achievement | None] | None] = None
    values_ahead: strawberry.Private[dict[tuple[str, int | None], list[Any]] | None] = None

    def prepared_value(self, field_name: str, arguments: Mapping[str, Any]) -> Any:
        if field_name == "achievement" and self.achievements_ahead is not None:
            return self.achievements_ahead.get((arguments["year"], arguments.get("quarter")), NOT_PREPARED)
        if self.values_ahead is not None and field_name in ("targets", "realisations"):
            return self.values_ahead.get((field_name, arguments.get("year")), NOT_PREPARED)
        return NOT_PREPARED

    def prepare_values(self, field_name: str, year: int | None, values: list[Any]) -> None:
        """The `targets` or `realisations` of a year (None: every year), as their field answers them."""
        if self.values_ahead is None:
            self.values_ahead = {}
        self.values_ahead[(field_name, year)] = values

    @classmethod
    def of(cls, record: IndicatorRecord) -> Self:
        return cls(id=strawberry.ID(encode_id("Indicator", record.id)), record=record, **copied(cls, record))

    @strawberry.field
    async def org_unit(self, info: Info) -> OrgUnit | None:
        unit = await info.context.loaders.org_unit_by_id.load(self.record.org_unit_id)
        return OrgUnit.of(unit) if unit else None

    @strawberry.field(
        description="The objective (sasaran) it measures, in the latest published plan version placing it."
    )
    async def objective(self, info: Info) -> "Objective | None":
        planning = info.context.loaders.planning
        placed = await planning.objective_by_indicator_id.load(self.record.id)
        if placed is None:
            return None
        return Objective.of(placed, await planning.content_by_version_id.load(placed.version_id))

    @strawberry.field(
        description="Every version of its definition (riwayat definisi), oldest first, each with the years it "
        "applies to: achievements of a year use that year's polarity and method."
    )
    async def definition_history(self, info: Info) -> list["IndicatorDefinition"]:
        superseded = await info.context.loaders.superseded_definitions_by_indicator_id.load(self.record.id)
        record = self.record
        first = record.definition_from_year or (superseded[-1].until_year + 1 if superseded else FIRST_YEAR)
        current = IndicatorDefinition(
            from_year=first,
            until_year=None,
            name=record.name,
            unit_of_measure=record.unit_of_measure,
            polarity=record.polarity,
            achievement_method=record.achievement_method,
            definition=record.definition,
            formula=record.formula,
            data_source=record.data_source,
            replaced_because=None,
            replaced_by=None,
        )
        return [IndicatorDefinition.of(old) for old in superseded] + [current]

    @strawberry.field(description="The upper indicator this one supports (pohon kinerja).")
    async def parent(self, info: Info) -> "Indicator | None":
        if self.record.parent_id is None:
            return None
        parent = await info.context.loaders.indicator_by_id.load(self.record.parent_id)
        return Indicator.of(parent) if parent else None

    @strawberry.field(description="Indicators that support this one (cascading).")
    async def children(self, info: Info) -> list["Indicator"]:
        return [Indicator.of(i) for i in await info.context.loaders.indicators_by_parent_id.load(self.record.id)]

    @strawberry.field(description="Targets, optionally of one year.")
    async def targets(self, info: Info, year: int | None = None) -> list[Target]:
        records = await info.context.loaders.targets_by_indicator_year.load((self.record.id, year))
        return [Target.of(r, self.record.ordinal_scale) for r in records]

    @strawberry.field(description="Realisations as reported, optionally of one year.")
    async def realisations(self, info: Info, year: int | None = None) -> list[Realisation]:
        records = await info.context.loaders.realisations_by_indicator_year.load((self.record.id, year))
        return [Realisation.of(r, self.record.ordinal_scale) for r in records]

    @strawberry.field(
        description="Monthly realisations (realisasi bulanan) of an indicator that reports monthly, optionally "
        "of one year; each readable where its quarter's values are."
    )
    async def monthly_realisations(self, info: Info, year: int | None = None) -> list[MonthlyRealisation]:
        records = await info.context.loaders.monthly_realisations_by_indicator_id.load(self.record.id)
        scale = self.record.ordinal_scale
        return [MonthlyRealisation.of(r, scale) for r in records if year is None or r.year == year]

    @strawberry.field(
        description="Achievement (capaian) for a year, or year-to-date through a quarter; "
        "null where the viewer may not read this indicator's values."
    )
    async def achievement(self, info: Info, year: int, quarter: int | None = None) -> Achievement | None:
        key = AchievementKey(self.record.id, checked_period(year, quarter))
        evaluation = await info.context.loaders.achievement_by_indicator_period.load(key)
        return Achievement.of(evaluation) if evaluation else None


@strawberry.type(description="An indicator with its achievement for a period (capaian indikator).")
class IndicatorAchievement:
    indicator: Indicator
    achievement: Achievement


@strawberry.type
class PageInfo:
    has_next_page: bool
    end_cursor: str | None


@strawberry.type
class IndicatorEdge:
    cursor: str
    node: Indicator


@strawberry.type(description="A page of indicators (Relay connection, keyset cursors).")
class IndicatorConnection:
    edges: list[IndicatorEdge]
    page_info: PageInfo
    total_count: int = strawberry.field(description="All indicators matching the filter, across pages.")

    @classmethod
    def of(cls, records: list[IndicatorRecord], has_next_page: bool, total_count: int) -> Self:
        edges = [IndicatorEdge(cursor=encode_cursor(r.id), node=Indicator.of(r)) for r in records]
        return cls(
            edges=edges,
            page_info=PageInfo(has_next_page=has_next_page, end_cursor=edges[-1].cursor if edges else None),
            total_count=total_count,
        )


@strawberry.type(description="A version of an indicator's definition (definisi operasional) and its years.")
class IndicatorDefinition:
    from_year: int
    until_year: int | None = strawberry.field(description="Null for the definition in force.")
    name: str
    unit_of_measure: str
    polarity: enums.Polarity
    achievement_method: enums.AchievementMethod
    definition: str
    formula: str
    data_source: str
    replaced_because: str | None = strawberry.field(description="Why the next version replaced it.")
    replaced_by: str | None

    @classmethod
    def of(cls, record: DefinitionRecord) -> Self:
        return cls(**copied(cls, record))


# The content of a plan version (schema/planning.py has the plans and agreements): here beside
# Indicator, which names the objective it measures and which each placed indicator names.


@strawberry.type(description="A yearly target of a plan indicator (target tahunan rencana).")
class PlanTarget:
    year: int
    value: Decimal


@dataclass(frozen=True)
class PlanAhead:
    """What a read of many plans loaded ahead (resolvers/planning.py): the indicators the plans
    place, and the RPJMD objectives their objectives align to, so that prepared completion
    answers the tree in one pass."""

    indicators: Mapping[int, IndicatorRecord]
    anchors: Mapping[int, tuple[ElementRecord, VersionContent]]


@strawberry.type(description="An indicator as a plan version places it: baseline, yearly targets, end target.")
class PlanIndicator(Prepared):
    placed: strawberry.Private[PlacedIndicatorRecord]
    ahead: strawberry.Private[PlanAhead | None]
    targets: list[PlanTarget] = strawberry.field(description="Targets per plan year (target per tahun).")
    baseline: Decimal | None = strawberry.field(description="Baseline (kondisi awal).")
    end_target: Decimal | None = strawberry.field(description="End-of-period target (target akhir periode).")

    @classmethod
    def of(cls, placed: PlacedIndicatorRecord, content: VersionContent, ahead: PlanAhead | None = None) -> Self:
        targets = [PlanTarget(year=t.year, value=t.value) for t in content.targets_of(placed.id)]
        return cls(placed=placed, ahead=ahead, targets=targets, baseline=placed.baseline, end_target=placed.end_target)

    def prepared_value(self, field_name: str, arguments: Mapping[str, Any]) -> Any:
        if field_name == "indicator" and self.ahead is not None:
            record = self.ahead.indicators.get(self.placed.indicator_id)
            return Indicator.of(record) if record else None
        return NOT_PREPARED

    @strawberry.field(description="The indicator of the master (one Indicator across every document).")
    async def indicator(self, info: Info) -> Indicator | None:
        record = await info.context.loaders.indicator_by_id.load(self.placed.indicator_id)
        return Indicator.of(record) if record else None


@strawberry.interface(description="A goal, objective or budget item of a plan version.")
class PlanElement(Prepared):
    element: strawberry.Private[ElementRecord]
    content: strawberry.Private[VersionContent]
    ahead: strawberry.Private[PlanAhead | None]
    code: str
    name: str

    @classmethod
    def of(cls, element: ElementRecord, content: VersionContent, ahead: PlanAhead | None = None) -> Self:
        return cls(element=element, content=content, ahead=ahead, code=element.code, name=element.name)

    # Encoded when asked: a province's plan tree has ~20,000 elements, and encoding every id
    # up front was a tenth of that request when the tree asked none.
    @strawberry.field(description="Its global id, as inputs name it.")
    def id(self) -> strawberry.ID:
        return self._global_id()

    def _global_id(self) -> strawberry.ID:
        return strawberry.ID(encode_id(TYPE_OF_KIND[self.element.kind], self.element.id))

    def prepared_value(self, field_name: str, arguments: Mapping[str, Any]) -> Any:
        """Everything but an objective's anchor is in the version's content already."""
        if field_name == "id":
            return self._global_id()
        if field_name == "indicators":
            return self.indicators()
        if field_name == "budget":
            return self.element.budget
        if field_name == "unallocatedBudget":
            return self.unallocated()
        if field_name == "missionNumber":
            return self.element.mission_number
        if field_name in BELOW_FIELDS:
            return self.below_elements()
        if field_name == "alignedTo" and self.ahead is not None:
            anchor = self.ahead.anchors.get(self.element.aligned_id or 0)
            return Objective.of(anchor[0], anchor[1], self.ahead) if anchor else None
        return NOT_PREPARED

    @strawberry.field(description="Indicators placed here, with their baseline and targets.")
    def indicators(self) -> list[PlanIndicator]:
        placed = self.content.indicators_of(self.element.id)
        return [PlanIndicator.of(p, self.content, self.ahead) for p in placed]

    def unallocated(self) -> Decimal | None:
        below = self.content.children(self.element.id, CHILD_KIND.get(self.element.kind, ""))
        return unallocated(self.element.budget, [e.budget for e in below])

    def below_elements(self) -> list["PlanElement"]:
        kind = CHILD_KIND.get(self.element.kind, "")
        element_type = ELEMENT_TYPES[kind] if kind else None
        if element_type is None:
            return []
        return [element_type.of(e, self.content, self.ahead) for e in self.content.children(self.element.id, kind)]


@strawberry.type(description="A budget item (sub kegiatan) with its SIPD code and pagu.")
class SubActivity(PlanElement):
    @strawberry.field(description="Budget (pagu, Rupiah).")
    def budget(self) -> Decimal | None:
        return self.element.budget


@strawberry.type(description="A kegiatan with its SIPD code, pagu and sub kegiatan.")
class Activity(PlanElement):
    @strawberry.field(description="Budget (pagu, Rupiah).")
    def budget(self) -> Decimal | None:
        return self.element.budget

    @strawberry.field(description="Pagu not given to its sub kegiatan (selisih); null without pagu or sub kegiatan.")
    def unallocated_budget(self) -> Decimal | None:
        return self.unallocated()

    @strawberry.field(description="Sub kegiatan.")
    def sub_activities(self) -> list[SubActivity]:
        return [e for e in self.below_elements() if isinstance(e, SubActivity)]


@strawberry.type(description="A program with its SIPD code (Permendagri 90/2019), pagu and kegiatan.")
class Program(PlanElement):
    @strawberry.field(description="Budget (pagu, Rupiah).")
    def budget(self) -> Decimal | None:
        return self.element.budget

    @strawberry.field(description="Pagu not given to its kegiatan (selisih, W5); null without pagu or kegiatan.")
    def unallocated_budget(self) -> Decimal | None:
        return self.unallocated()

    @strawberry.field(description="Kegiatan.")
    def activities(self) -> list[Activity]:
        return [e for e in self.below_elements() if isinstance(e, Activity)]


@strawberry.type(description="An objective (sasaran) of a plan version.")
class Objective(PlanElement):
    @strawberry.field(description="Programs behind the objective.")
    def programs(self) -> list[Program]:
        return [e for e in self.below_elements() if isinstance(e, Program)]

    @strawberry.field(description="For a Renstra objective: the RPJMD objective it serves (acuan sasaran RPJMD).")
    async def aligned_to(self, info: Info) -> "Objective | None":
        if self.element.aligned_id is None:
            return None
        anchor = await info.context.loaders.planning.element_by_id.load(self.element.aligned_id)
        if anchor is None:
            return None
        content = await info.context.loaders.planning.content_by_version_id.load(anchor.version_id)
        return Objective.of(anchor, content)


@strawberry.type(description="A goal (tujuan) of a plan version.")
class Goal(PlanElement):
    @strawberry.field(description="The mission (misi) it serves, numbered from 1.")
    def mission_number(self) -> int | None:
        return self.element.mission_number

    @strawberry.field(description="Objectives (sasaran).")
    def objectives(self) -> list[Objective]:
        return [e for e in self.below_elements() if isinstance(e, Objective)]


BELOW_FIELDS = frozenset({"objectives", "programs", "activities", "subActivities"})
ELEMENT_TYPES: dict[str, type[PlanElement]] = {
    "GOAL": Goal,
    "OBJECTIVE": Objective,
    "PROGRAM": Program,
    "ACTIVITY": Activity,
    "SUB_ACTIVITY": SubActivity,
}
TYPE_OF_KIND = {
    "GOAL": "Goal",
    "OBJECTIVE": "Objective",
    "PROGRAM": "Program",
    "ACTIVITY": "Activity",
    "SUB_ACTIVITY": "SubActivity",
}
