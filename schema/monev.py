"""GraphQL types of monev (domain/monev.py): rules, rankings and their rows, entered scores."""

from collections.abc import Awaitable, Callable, Mapping
from datetime import datetime
from decimal import Decimal
from enum import Enum
from typing import Any, Self

import strawberry

from domain.monev import QUARTER_PRESET, Level, Method, Rule, Source, Warning, Zone
from domain.progress import BudgetKind
from schema.inputs import UserError
from schema.prepared import NOT_PREPARED, Prepared
from schema.rewards import RewardClause, RewardClauseInput
from schema.types import Government, Info, OrgUnit
from store.monev import RuleRecord
from store.records import GovernmentRecord

strawberry.enum(
    Method,
    name="MonevMethod",
    description="How a monev ranking orders units (metode pemeringkatan): SORT_KEYS compares the groups one after "
    "another; WEIGHTED ranks on Σ weight × min(score, 100) / 100, weights totalling 100.",
)
strawberry.enum(
    Source,
    name="MonevSource",
    description="Where a group's score comes from (sumber nilai): PLATFORM computes ACHIEVEMENT, BUDGET_ABSORPTION, "
    "BUDGET_PLAN_ABSORPTION, PHYSICAL_PROGRESS and ON_TIME_REPORTING from the platform's data; ENTERED is entered "
    "per unit and period.",
)
strawberry.enum(
    Level,
    name="RankingUnits",
    description="What a ranking ranks (unit yang diperingkat): PERANGKAT_DAERAH, a pemda's own, or for a province "
    "every pemda's in it; KABUPATEN_KOTA, a province's kabupaten/kota, each as a whole. By default a province "
    "ranks its kabupaten/kota and a pemda its perangkat daerah.",
)
strawberry.enum(
    Warning,
    name="EarlyWarningReason",
    description="Why a unit is on the early-warning list (peringatan dini): below the rule's threshold, data "
    "incomplete, or a report past its deadline (belum update).",
)


@strawberry.enum(description="LIVE: computed from the data as they stand; PUBLISHED: frozen by a leader.")
class RankingState(Enum):
    LIVE = "LIVE"
    PUBLISHED = "PUBLISHED"


@strawberry.type(description="A scoring group of a monev rule (kelompok penilaian).")
class MonevGroup:
    code: str
    name: str
    source: Source
    weight: Decimal | None = strawberry.field(description="Its share of 100 in a WEIGHTED rule; null in SORT_KEYS.")
    descending: bool = strawberry.field(description="SORT_KEYS: higher is better.")


@strawberry.type(description="A zone (zona, e.g. hijau/kuning/merah): the half-open interval [lower, upper).")
class MonevZone:
    code: str
    name: str
    lower: Decimal
    upper: Decimal | None = strawberry.field(description="Exclusive; null: to infinity.")

    @classmethod
    def of(cls, zone: Zone) -> Self:
        return cls(code=zone.code, name=zone.name, lower=zone.lower, upper=zone.upper)


@strawberry.type(description="A government's monev rule for a year (aturan monev), as its latest version.")
class MonevRule:
    rule: strawberry.Private[Rule]
    version: int
    method: Method
    groups: list[MonevGroup]
    zones: list[MonevZone] = strawberry.field(description="The rule's own zones; empty: the quarter bands.")
    zone_preset: str | None = strawberry.field(
        description=f"{QUARTER_PRESET} when the rule uses the quarter bands (Permendagri, as simonev21 applies them)."
    )
    warning_below: Decimal | None = strawberry.field(
        description="Early warning below this value; null: the upper bound of the lowest zone."
    )
    rewards: list[RewardClause] = strawberry.field(
        description="Reward and punishment clauses, read from the published rankings (penghargaan dan sanksi)."
    )
    reason: str | None
    created_by: str
    created_at: datetime

    @classmethod
    def of(cls, record: RuleRecord, rule: Rule) -> Self:
        return cls(
            rule=rule,
            version=record.version,
            method=rule.method,
            groups=[
                MonevGroup(code=g.code, name=g.name, source=g.source, weight=g.weight, descending=g.descending)
                for g in rule.groups
            ],
            zones=[MonevZone.of(z) for z in rule.zones],
            zone_preset=None if rule.zones else QUARTER_PRESET,
            warning_below=rule.warning_below,
            rewards=[RewardClause.of(c) for c in rule.rewards],
            reason=record.reason,
            created_by=record.created_by,
            created_at=record.created_at,
        )

    @strawberry.field(description="The zones a quarter's ranking uses.")
    def zones_for(self, quarter: int) -> list[MonevZone]:
        if quarter not in (1, 2, 3, 4):
            return []
        return [MonevZone.of(z) for z in self.rule.zones_for(quarter)]


@strawberry.type(description="A group's score in a ranking row (nilai kelompok); null: missing.")
class RankingScore:
    group: str
    name: str
    value: Decimal | None


@strawberry.type(description="A zone a ranking row landed in; DATA_BELUM_LENGKAP when an input is missing.")
class RankingZone:
    code: str
    name: str


def _decimal(text: str | None) -> Decimal | None:
    return None if text is None else Decimal(text)


@strawberry.type(description="One ranked unit (baris peringkat): a perangkat daerah, or a kabupaten/kota.")
class RankingRow(Prepared):  # completed in one pass (api/completion.py) unless its unit is asked for
    key: strawberry.Private[str]
    code: str
    name: str
    scores: list[RankingScore]
    composite: Decimal | None = strawberry.field(description="WEIGHTED: the composite score (nilai komposit).")
    basis: Decimal | None = strawberry.field(description="What the zone is read from: the composite or the first key.")
    rank: int | None = strawberry.field(description="Peringkat; ties share one; null when data are incomplete.")
    zone: RankingZone
    movement: int | None = strawberry.field(
        description="Places gained since the previous period, quarter or month (negative: lost)."
    )
    reports_due: int = strawberry.field(
        description="Reports due so far this year (laporan wajib): quarterly reports in a quarter's ranking, monthly "
        "progress in a month's."
    )
    reports_in: int = strawberry.field(description="Of those, submitted (laporan masuk).")
    reporting_rate: Decimal | None = strawberry.field(description="Reports in / due × 100.")
    on_time_rate: Decimal | None = strawberry.field(description="Reports on time / due × 100 (ketepatan waktu).")
    warnings: list[Warning] = strawberry.field(description="Why it is on the early-warning list; empty: it is not.")
    budget_kind: BudgetKind | None = strawberry.field(
        description="The budget its progress was read from (MURNI or PERUBAHAN); null: no progress lines, or "
        "its units report under different budgets."
    )

    @classmethod
    def of(cls, row: dict[str, Any]) -> Self:
        return cls(
            key=row["key"],
            code=row["code"],
            name=row["name"],
            scores=[RankingScore(group=s["group"], name=s["name"], value=_decimal(s["value"])) for s in row["scores"]],
            composite=_decimal(row["composite"]),
            basis=_decimal(row["basis"]),
            rank=row["rank"],
            zone=RankingZone(code=row["zone"]["code"], name=row["zone"]["name"]),
            movement=row["movement"],
            reports_due=row["reportsDue"],
            reports_in=row["reportsIn"],
            reporting_rate=_decimal(row["reportingRate"]),
            on_time_rate=_decimal(row["onTimeRate"]),
            warnings=[Warning(w) for w in row["warnings"]],
            budget_kind=None if row.get("budgetKind") is None else BudgetKind(row["budgetKind"]),
        )

    @strawberry.field(description="The perangkat daerah ranked (a pemda's ranking).")
    async def org_unit(self, info: Info) -> OrgUnit | None:
        kind, _, pk = self.key.partition(":")
        if kind != "unit":
            return None
        unit = await info.context.loaders.org_unit_by_id.load(int(pk))
        return OrgUnit.of(unit) if unit else None

    @strawberry.field(description="The kabupaten/kota ranked (a province's ranking).")
    async def government(self, info: Info) -> Government | None:
        kind, _, pk = self.key.partition(":")
        if kind != "government":
            return None
        government = await info.context.loaders.government_by_id.load(int(pk))
        return Government.of(government) if government else None


@strawberry.type(
    description="A quarter's or a month's ranking of a government's units (peringkat monev): live, or published "
    "and frozen."
)
class Ranking(Prepared):
    government_record: strawberry.Private[GovernmentRecord]
    year: int
    quarter: int = strawberry.field(description="The quarter, or the quarter of the month.")
    month: int | None = strawberry.field(description="A month's ranking: its month (1-12); null: the quarter's.")
    label: str = strawberry.field(description="The period in words, e.g. 'Triwulan II 2026' or 'Juli 2026'.")
    units: Level
    state: RankingState
    rule_version: int
    tie_break: str = strawberry.field(description="How equal values are ranked and listed.")
    rows: list[RankingRow]
    published_at: datetime | None
    published_by: str | None
    sha256: str | None = strawberry.field(description="SHA-256 of the frozen ranking's canonical JSON.")
    # Computes the live ranking to compare: only when asked for, so that a published ranking
    # is read without it; None when live, or for a caller who cannot read the values.
    corrections: strawberry.Private[Callable[[], Awaitable[bool]] | None]

    @strawberry.field(
        description="A published ranking whose inputs were corrected since: the correction shows in the live and "
        "the next ranking, never in this one. Null when live, or for a caller who cannot read the values."
    )
    async def corrections_since_published(self) -> bool | None:
        return None if self.corrections is None else await self.corrections()

    @strawberry.field
    def government(self) -> Government:
        return Government.of(self.government_record)

    def prepared_value(self, field_name: str, arguments: Mapping[str, Any]) -> Any:
        # A published ranking of 600 rows is ~20,000 values: completed in one pass, it is read
        # in a few milliseconds (bench/monev.py); the comparison with the live one is not loaded.
        return Government.of(self.government_record) if field_name == "government" else NOT_PREPARED


@strawberry.type(description="A score entered for a group the platform does not compute (nilai isian monev).")
class MonevFigure:
    org_unit: OrgUnit
    group: str
    value: Decimal
    note: str | None
    version: int = strawberry.field(description="Send it as expectedVersion to change the score.")
    updated_by: str
    updated_at: datetime


@strawberry.input(description="A scoring group of a monev rule.")
class MonevGroupInput:
    code: str
    name: str
    source: Source
    weight: Decimal | None = None
    descending: bool = True


@strawberry.input(description="A zone [lower, upper); upper null: to infinity.")
class MonevZoneInput:
    code: str
    name: str
    lower: Decimal
    upper: Decimal | None = None


@strawberry.input(description="A government's monev rule for a year; a change of an existing rule needs a reason.")
class SetMonevRuleInput:
    government_code: str
    year: int
    method: Method
    groups: list[MonevGroupInput]
    zones: list[MonevZoneInput] = strawberry.field(
        default_factory=list, description="Empty: the quarter bands (TRIWULAN_PERMENDAGRI)."
    )
    warning_below: Decimal | None = None
    rewards: list[RewardClauseInput] = strawberry.field(
        default_factory=list, description="Reward and punishment clauses (penghargaan dan sanksi)."
    )
    reason: str | None = None


@strawberry.type
class MonevRulePayload:
    rule: MonevRule | None
    user_errors: list[UserError]


@strawberry.input(description="One entered score; expectedVersion is the version read (null for a new score).")
class MonevFigureInput:
    org_unit_id: strawberry.ID
    group: str
    value: Decimal
    note: str | None = None
    expected_version: int | None = None


@strawberry.input(description="Scores of a quarter or of a month (exactly one of them), all or nothing.")
class EnterMonevFiguresInput:
    year: int
    quarter: int | None = None
    month: int | None = None
    figures: list[MonevFigureInput]
    idempotency_key: str | None = strawberry.field(
        default=None, description="Repeating a request with the same key writes nothing twice."
    )


@strawberry.type
class MonevFiguresPayload:
    written: int
    user_errors: list[UserError]


@strawberry.input(description="Publish (freeze) a quarter's or a month's ranking of a government (exactly one).")
class PublishRankingInput:
    scope: strawberry.ID = strawberry.field(description="The Government ranked.")
    year: int
    quarter: int | None = None
    month: int | None = None
    units: Level | None = strawberry.field(default=None, description="Null: what the government ranks by default.")


@strawberry.type
class RankingPayload:
    ranking: Ranking | None
    user_errors: list[UserError]


@strawberry.type(
    description="A month's progress line of a program, kegiatan or sub-kegiatan (realisasi fisik dan keuangan), "
    "cumulative to the month."
)
class MonevProgressLine:
    org_unit: OrgUnit
    month: int
    budget_kind: BudgetKind
    code: str = strawberry.field(description="The SIPD code, normalised (Permendagri 90/2019).")
    level: str = strawberry.field(description="PROGRAM, ACTIVITY (kegiatan) or SUB_ACTIVITY (sub kegiatan).")
    name: str
    pagu: Decimal = strawberry.field(description="Pagu in force, Rupiah.")
    physical_target: Decimal = strawberry.field(description="Target fisik s.d. bulan ini, %.")
    physical_realisation: Decimal = strawberry.field(description="Realisasi fisik s.d. bulan ini, %.")
    financial_target: Decimal = strawberry.field(description="Target keuangan s.d. bulan ini, Rupiah.")
    financial_realisation: Decimal = strawberry.field(description="Realisasi keuangan s.d. bulan ini, Rupiah.")
    version: int = strawberry.field(description="Send it as expectedVersion to correct the line.")
    submitted_at: datetime = strawberry.field(description="First submitted: the month's on-time reporting.")
    updated_by: str
    updated_at: datetime


@strawberry.input(description="One progress line, cumulative to the month; expectedVersion: the version read.")
class MonevProgressInput:
    org_unit_id: strawberry.ID
    code: str = strawberry.field(
        description="SIPD code: program 5.01.01, kegiatan 5.01.01.2.01, sub 5.01.01.2.01.0001."
    )
    name: str
    pagu: Decimal
    physical_target: Decimal
    physical_realisation: Decimal
    financial_target: Decimal
    financial_realisation: Decimal
    expected_version: int | None = None


@strawberry.input(description="A month's progress lines under one budget, all or nothing.")
class SubmitMonevProgressInput:
    year: int
    month: int
    budget_kind: BudgetKind = BudgetKind.MURNI
    lines: list[MonevProgressInput]
    idempotency_key: str | None = strawberry.field(
        default=None, description="Repeating a request with the same key writes nothing twice."
    )


@strawberry.type
class MonevProgressPayload:
    written: int
    user_errors: list[UserError]
