"""Object types of the planning chain: strategic plans (RPJMD, Renstra), their versions and
content (tujuan, sasaran, program, kegiatan, sub-kegiatan, indicators with targets), and the
performance agreements (Perjanjian Kinerja) with their signed versions."""

from collections.abc import Mapping
from datetime import date, datetime
from decimal import Decimal
from typing import Any, Self

import strawberry

from documents.agreement import agreement_url
from domain.agreements import (
    Acting,
    AgreementLevel,
    AgreementState,
    Party,
    RevisionGround,
    VersionKind,
    union_of_programs,
)
from domain.agreements import Signatory as RecordedParty
from domain.apbd import annex_difference
from domain.budget import BudgetLevel
from domain.plans import Change, ChangeKind, PlanKind, PlanState, compare
from domain.workflow import Compliance
from schema.ids import encode_id, pk_of
from schema.prepared import NOT_PREPARED, Prepared
from schema.types import Goal, Government, Indicator, Info, Node, Objective, OrgUnit, PlanIndicator, Program
from store.agreements import AgreementRecord, AgreementVersionRecord
from store.planning import PlanRecord, VersionRecord

strawberry.enum(PlanKind, description="Kind of strategic plan: RPJMD (a pemda's) or RENSTRA (a perangkat daerah's).")
strawberry.enum(PlanState, description="State of a plan version (status versi): DRAFT, SUBMITTED, PUBLISHED.")
strawberry.enum(ChangeKind, name="PlanChangeKind", description="How a version differs from another.")
strawberry.enum(AgreementLevel, description="Level of a Perjanjian Kinerja: the signer's (Kepala Daerah, JPT, …).")
strawberry.enum(AgreementState, description="State of a Perjanjian Kinerja's working copy: DRAFT or SIGNED.")
strawberry.enum(VersionKind, name="AgreementVersionKind", description="PK Murni (first signed) or PK Perubahan.")
strawberry.enum(RevisionGround, description="Ground for revising a signed PK (PermenPANRB 53/2014).")
strawberry.enum(Acting, description="A party standing in: Plt (pelaksana tugas) or Plh (pelaksana harian).")
strawberry.enum(Party, name="AgreementParty", description="Pihak kesatu (the official) or pihak kedua (superior).")


@strawberry.type(description="The regulation behind a plan change (dasar perubahan).")
class LegalBasis:
    kind: str = strawberry.field(description="e.g. Peraturan Daerah, Peraturan Kepala Daerah.")
    number: str
    date: date


@strawberry.type(description="One difference between two plan versions.")
class PlanChange:
    kind: ChangeKind
    subject: str = strawberry.field(description="VISION, MISSION, GOAL, OBJECTIVE, PROGRAM, ACTIVITY, SUB_ACTIVITY, …")
    key: str = strawberry.field(description="What persists across versions: a code, `sasaran/indikator/tahun`.")
    field: str | None
    before: str | None
    after: str | None

    @classmethod
    def of(cls, change: Change) -> Self:
        return cls(
            kind=change.kind,
            subject=change.subject,
            key=change.key,
            field=change.field,
            before=change.before,
            after=change.after,
        )


@strawberry.type(description="A version of a strategic plan (versi dokumen): drafted, submitted, published.")
class PlanVersion(Node, Prepared):
    record: strawberry.Private[VersionRecord]
    id: strawberry.ID
    number: int
    state: PlanState
    vision: str = strawberry.field(description="Vision (visi).")
    missions: list[str] = strawberry.field(description="Missions (misi), in order.")
    reason: str | None = strawberry.field(description="Why this version changes the plan (alasan perubahan).")
    effective_from: date = strawberry.field(description="The date this version takes effect (tanggal berlaku).")
    revision: int = strawberry.field(description="Optimistic version: pass it as expectedRevision.")
    created_by: str
    created_at: datetime
    submitted_at: datetime | None
    published_at: datetime | None
    published_by: str | None
    # Loaded ahead by a read of many plans (resolvers/planning.py).
    goals_ahead: strawberry.Private[list[Goal] | None] = None

    def prepared_value(self, field_name: str, arguments: Mapping[str, Any]) -> Any:
        if field_name == "goals" and self.goals_ahead is not None:
            return self.goals_ahead
        if field_name == "legalBasis":
            return self.legal_basis()
        return NOT_PREPARED

    @classmethod
    def of(cls, record: VersionRecord, goals_ahead: list[Goal] | None = None) -> Self:
        return cls(
            goals_ahead=goals_ahead,
            record=record,
            id=strawberry.ID(encode_id("PlanVersion", record.id)),
            number=record.number,
            state=record.state,
            vision=record.vision,
            missions=list(record.missions),
            reason=record.reason,
            effective_from=record.effective_from,
            revision=record.revision,
            created_by=record.created_by,
            created_at=record.created_at,
            submitted_at=record.submitted_at,
            published_at=record.published_at,
            published_by=record.published_by,
        )

    @strawberry.field(description="Legal basis of a change (dasar perubahan); null for the first version.")
    def legal_basis(self) -> LegalBasis | None:
        record = self.record
        if record.legal_basis_kind is None or record.legal_basis_number is None or record.legal_basis_date is None:
            return None
        return LegalBasis(kind=record.legal_basis_kind, number=record.legal_basis_number, date=record.legal_basis_date)

    @strawberry.field
    async def plan(self, info: Info) -> "StrategicPlan | None":
        plan = await info.context.loaders.planning.plan_by_id.load(self.record.plan_id)
        return StrategicPlan.of(plan) if plan else None

    @strawberry.field(description="The published version this one was copied from.")
    async def copied_from(self, info: Info) -> "PlanVersion | None":
        if self.record.copied_from_id is None:
            return None
        source = await info.context.loaders.planning.version_by_id.load(self.record.copied_from_id)
        return PlanVersion.of(source) if source else None

    @strawberry.field(description="Goals (tujuan), with their objectives and programs.")
    async def goals(self, info: Info) -> list[Goal]:
        content = await info.context.loaders.planning.content_by_version_id.load(self.record.id)
        return [Goal.of(e, content) for e in content.children(None, "GOAL")]

    @strawberry.field(
        description="What this version added, removed and changed against another version `to` "
        "(an earlier one, usually): keyed by codes and by the indicator master, which persist across versions. "
        "Null when `to` is not a version of the same plan that the caller may see."
    )
    async def compare(self, info: Info, to: strawberry.ID) -> list[PlanChange] | None:
        planning = info.context.loaders.planning
        other = await planning.version_by_id.load(pk_of(to, "PlanVersion"))
        if other is None or other.plan_id != self.record.plan_id:
            return None
        mine, theirs = await planning.content_by_version_id.load_many([self.record.id, other.id])
        ids = {p.indicator_id for p in mine.indicators} | {p.indicator_id for p in theirs.indicators}
        indicators = await info.context.loaders.indicator_by_id.load_many(sorted(ids))
        codes = {record.id: record.code for record in indicators if record is not None}
        changes = compare(theirs.comparable(other, codes), mine.comparable(self.record, codes))
        return [PlanChange.of(change) for change in changes]


@strawberry.type(description="A strategic plan (RPJMD of a pemda, Renstra of a perangkat daerah) over its period.")
class StrategicPlan(Node, Prepared):
    record: strawberry.Private[PlanRecord]
    id: strawberry.ID
    kind: PlanKind
    name: str
    start_year: int
    end_year: int
    # Loaded ahead by a read of many plans (resolvers/planning.py).
    versions_ahead: strawberry.Private[list[PlanVersion] | None] = None
    unit_ahead: strawberry.Private[OrgUnit | None] = None

    def prepared_value(self, field_name: str, arguments: Mapping[str, Any]) -> Any:
        if field_name == "versions" and self.versions_ahead is not None:
            return self.versions_ahead
        if field_name == "orgUnit" and self.unit_ahead is not None:
            return self.unit_ahead
        return NOT_PREPARED

    @classmethod
    def of(
        cls, record: PlanRecord, versions_ahead: list[PlanVersion] | None = None, unit_ahead: OrgUnit | None = None
    ) -> Self:
        return cls(
            versions_ahead=versions_ahead,
            unit_ahead=unit_ahead,
            record=record,
            id=strawberry.ID(encode_id("StrategicPlan", record.id)),
            kind=record.kind,
            name=record.name,
            start_year=record.start_year,
            end_year=record.end_year,
        )

    @strawberry.field(description="The unit whose plan it is (the pemda's root unit for an RPJMD).")
    async def org_unit(self, info: Info) -> OrgUnit | None:
        unit = await info.context.loaders.org_unit_by_id.load(self.record.org_unit_id)
        return OrgUnit.of(unit) if unit else None

    @strawberry.field(description="The government (pemerintah daerah) whose plan it is.")
    async def government(self, info: Info) -> Government | None:
        government = await info.context.loaders.government_by_id.load(self.record.government_id)
        return Government.of(government) if government else None

    @strawberry.field(description="Versions the caller may see: published ones, and drafts in scope.")
    async def versions(self, info: Info) -> list[PlanVersion]:
        versions = await info.context.loaders.planning.versions_by_plan_id.load(self.record.id)
        return [PlanVersion.of(v) for v in versions]

    @strawberry.field(description="The published version in force on a date (default today).")
    async def current_version(self, info: Info, on: date | None = None) -> PlanVersion | None:
        day = on or info.context.today
        versions = await info.context.loaders.planning.versions_by_plan_id.load(self.record.id)
        started = [v for v in versions if v.state is PlanState.PUBLISHED and v.effective_from <= day]
        return PlanVersion.of(max(started, key=lambda v: v.effective_from)) if started else None


@strawberry.type(description="A party of a Perjanjian Kinerja as recorded (pihak kesatu, pihak kedua).")
class Signatory:
    name: str
    nip: str | None = strawberry.field(description="NIP; in signed versions only where it is printed.")
    rank: str = strawberry.field(description="Rank (pangkat/golongan).")
    position: str = strawberry.field(description="Position (jabatan).")
    acting: Acting
    title: str = strawberry.field(description="The position as printed: Plt./Plh. prefix a stand-in's.")

    @classmethod
    def of(cls, stored: dict[str, Any] | None) -> Self | None:
        if stored is None:
            return None
        party = RecordedParty.stored(stored)
        # A signed snapshot keeps the title as printed; a working copy's follows the rule.
        return cls(
            name=party.name,
            nip=stored.get("nip"),
            rank=party.rank,
            position=party.position,
            acting=party.acting,
            title=stored.get("title") or party.title(),
        )


@strawberry.type(description="An indicator of a Perjanjian Kinerja with the year's target (its annual target).")
class AgreementItem:
    indicator_id: strawberry.Private[int]
    year: strawberry.Private[int]
    objective_text: strawberry.Private[str | None]

    @strawberry.field
    async def indicator(self, info: Info) -> Indicator | None:
        record = await info.context.loaders.indicator_by_id.load(self.indicator_id)
        return Indicator.of(record) if record else None

    @strawberry.field(description="The sasaran printed beside it: the plan's objective or the text given.")
    async def objective(self, info: Info) -> str:
        if self.objective_text:
            return self.objective_text
        placed = await info.context.loaders.planning.objective_by_indicator_id.load(self.indicator_id)
        return placed.name if placed else "-"

    @strawberry.field(description="The year's annual target of the indicator (Indicator.targets, quarter null).")
    async def target(self, info: Info) -> Decimal | None:
        targets = await info.context.loaders.targets_by_indicator_year.load((self.indicator_id, self.year))
        annual = [t for t in targets if t.quarter is None]
        return annual[0].value if annual else None


@strawberry.type(description="A sasaran of a Perjanjian Kinerja with its indicators (sasaran strategis).")
class AgreementObjective:
    name: str
    items: list[AgreementItem]


@strawberry.type(description="A line of the budget annex: a program, kegiatan or sub kegiatan with its anggaran.")
class AgreementBudgetLine:
    code: str = strawberry.field(description="SIPD code, normalised.")
    name: str
    amount: Decimal = strawberry.field(description="Anggaran (Rupiah).")
    level: BudgetLevel
    # The agreement's unit and year, whose imported APBD the line is reconciled with.
    unit_id: strawberry.Private[int | None] = None
    year: strawberry.Private[int | None] = None

    @strawberry.field(
        description="Pagu of the same code in the APBD imported from SIPD (importApbdBudget) for the agreement's "
        "perangkat daerah and year, the budget in force (PERUBAHAN once imported); for a Kepala Daerah's annex "
        "summed over the pemda's perangkat daerah. Null when no APBD was imported or it gives no pagu for the code."
    )
    async def apbd_budget(self, info: Info) -> Decimal | None:
        if self.unit_id is None or self.year is None:
            return None
        return (await info.context.loaders.planning.apbd_pagu_by_unit_year.load((self.unit_id, self.year))).get(
            self.code
        )

    @strawberry.field(
        description="Anggaran minus the APBD's pagu (selisih; 0 when they agree): what a reviewer checks before "
        "the agreement is signed. Null where apbdBudget is null."
    )
    async def apbd_difference(self, info: Info) -> Decimal | None:
        return annex_difference(self.amount, await self.apbd_budget(info))


@strawberry.type(description="An indicator row of a signed agreement, as printed.")
class SignedItem:
    objective: str
    indicator_code: str
    indicator: str
    target: Decimal
    high: Decimal | None
    unit_of_measure: str


@strawberry.type(description="A signed version of a Perjanjian Kinerja: the frozen document (PK Murni/Perubahan).")
class AgreementVersion:
    record: strawberry.Private[AgreementVersionRecord]
    number: int
    kind: VersionKind
    reason: str | None = strawberry.field(description="Why a PK Perubahan was made.")
    ground: RevisionGround | None
    signed_at: datetime

    @strawberry.field(description="Global id: names the signed version as evaluation evidence (bukti dukung).")
    def id(self) -> strawberry.ID:
        return strawberry.ID(encode_id("AgreementVersion", self.record.id))

    @classmethod
    def of(cls, record: AgreementVersionRecord) -> Self:
        return cls(
            record=record,
            number=record.number,
            kind=record.kind,
            reason=record.reason,
            ground=RevisionGround(record.ground) if record.ground else None,
            signed_at=record.signed_at,
        )

    @strawberry.field(description="Where the signed document (Word, FOLIO) is downloaded, relative to the server.")
    def document_url(self) -> str:
        return agreement_url(encode_id("PerformanceAgreement", self.record.agreement_id), self.record.number)

    @strawberry.field(description="Where the signed document is downloaded as PDF (FOLIO), relative to the server.")
    def pdf_url(self) -> str:
        return agreement_url(encode_id("PerformanceAgreement", self.record.agreement_id), self.record.number, "pdf")

    @strawberry.field(description="The title as printed, e.g. PERJANJIAN KINERJA TAHUN 2026.")
    def title(self) -> str:
        return str(self.record.snapshot["title"])

    @strawberry.field
    def first_party(self) -> Signatory | None:
        return Signatory.of(self.record.snapshot["first_party"])

    @strawberry.field
    def second_party(self) -> Signatory | None:
        return Signatory.of(self.record.snapshot["second_party"])

    @strawberry.field
    def items(self) -> list[SignedItem]:
        return [
            SignedItem(
                objective=item["objective"],
                indicator_code=item["indicator_code"],
                indicator=item["indicator"],
                target=Decimal(item["target"]),
                high=Decimal(item["high"]) if item["high"] is not None else None,
                unit_of_measure=item["unit_of_measure"],
            )
            for item in self.record.snapshot["items"]
        ]

    @strawberry.field
    def budget_lines(self) -> list[AgreementBudgetLine]:
        level = BudgetLevel(self.record.snapshot["budget_level"])
        return [
            AgreementBudgetLine(code=line["code"], name=line["name"], amount=Decimal(line["amount"]), level=level)
            for line in self.record.snapshot["budget_lines"]
        ]

    @strawberry.field(description="TOTAL of the budget annex (Rupiah).")
    def budget_total(self) -> Decimal:
        return Decimal(self.record.snapshot["budget_total"])

    @strawberry.field(description="The TOTAL as printed: whole Rupiah with thousands dots (2.000.500.000).")
    def budget_total_text(self) -> str:
        return str(self.record.snapshot["budget_total_text"])


@strawberry.type(description="A Perjanjian Kinerja of one official (the head of a unit) for a year.")
class PerformanceAgreement(Node):
    record: strawberry.Private[AgreementRecord]
    id: strawberry.ID
    year: int
    level: AgreementLevel
    state: AgreementState
    revision: int = strawberry.field(description="Optimistic version: pass it as expectedRevision.")
    revision_reason: str | None = strawberry.field(description="While a signed PK is revised: why.")
    first_signed_at: datetime | None
    first_signed_by: str | None
    second_signed_at: datetime | None
    second_signed_by: str | None

    @classmethod
    def of(cls, record: AgreementRecord) -> Self:
        return cls(
            record=record,
            id=strawberry.ID(encode_id("PerformanceAgreement", record.id)),
            year=record.year,
            level=record.level,
            state=record.state,
            revision=record.revision,
            revision_reason=record.revision_reason,
            first_signed_at=record.first_signed_at,
            first_signed_by=record.first_signed_by,
            second_signed_at=record.second_signed_at,
            second_signed_by=record.second_signed_by,
        )

    @strawberry.field
    async def org_unit(self, info: Info) -> OrgUnit | None:
        unit = await info.context.loaders.org_unit_by_id.load(self.record.org_unit_id)
        return OrgUnit.of(unit) if unit else None

    @strawberry.field(description="Pihak kesatu: the official who promises.")
    def first_party(self) -> Signatory | None:
        return Signatory.of(self.record.first_party)

    @strawberry.field(description="Pihak kedua: the superior; null for the Kepala Daerah's PK.")
    def second_party(self) -> Signatory | None:
        return Signatory.of(self.record.second_party)

    @strawberry.field(description="The superior's agreement (a JPT's is the Kepala Daerah's).")
    async def superior(self, info: Info) -> "PerformanceAgreement | None":
        if self.record.superior_id is None:
            return None
        superior = await info.context.loaders.planning.agreement_by_id.load(self.record.superior_id)
        return PerformanceAgreement.of(superior) if superior else None

    @strawberry.field(description="Agreements of the officials directly below.")
    async def subordinates(self, info: Info) -> list["PerformanceAgreement"]:
        found = await info.context.loaders.planning.subordinates_by_agreement_id.load(self.record.id)
        return [PerformanceAgreement.of(record) for record in found]

    @strawberry.field(description="Sasaran | indikator | target | satuan of the working copy.")
    async def items(self, info: Info) -> list[AgreementItem]:
        items = await info.context.loaders.planning.items_by_agreement_id.load(self.record.id)
        return [
            AgreementItem(indicator_id=i.indicator_id, year=self.record.year, objective_text=i.objective_text)
            for i in items
        ]

    @strawberry.field(description="The sasaran of the agreement, each with its indicators and targets, in order.")
    async def objectives(self, info: Info) -> list["AgreementObjective"]:
        grouped: dict[str, list[AgreementItem]] = {}
        for item in await self.items(info):
            grouped.setdefault(await item.objective(info), []).append(item)
        return [AgreementObjective(name=name, items=items) for name, items in grouped.items()]

    @strawberry.field(
        description="The budget annex: programs (JPT), kegiatan (Administrator), sub kegiatan (Pengawas); for the "
        "Kepala Daerah the union of the JPT programs below."
    )
    async def budget_lines(self, info: Info) -> list[AgreementBudgetLine]:
        planning = info.context.loaders.planning
        if self.record.level is AgreementLevel.KEPALA_DAERAH:
            below = await planning.subordinates_by_agreement_id.load(self.record.id)
            annexes = await planning.lines_by_agreement_id.load_many(
                [a.id for a in below if a.level is AgreementLevel.JPT]
            )
            lines = union_of_programs([line.line() for line in annex] for annex in annexes)
        else:
            lines = [line.line() for line in await planning.lines_by_agreement_id.load(self.record.id)]
        return [
            AgreementBudgetLine(
                code=line.code.text,
                name=line.name,
                amount=line.amount,
                level=line.code.level,
                unit_id=self.record.org_unit_id,
                year=self.record.year,
            )
            for line in lines
        ]

    @strawberry.field(description="TOTAL of the budget annex (Rupiah).")
    async def budget_total(self, info: Info) -> Decimal:
        lines = await self.budget_lines(info)
        return sum((line.amount for line in lines), Decimal(0))

    @strawberry.field(description="Signed versions, oldest first (PK Murni, then each PK Perubahan).")
    async def versions(self, info: Info) -> list[AgreementVersion]:
        found = await info.context.loaders.planning.versions_by_agreement_id.load(self.record.id)
        return [AgreementVersion.of(record) for record in found]


@strawberry.type(description="A gap in the planning chain (kesenjangan): what SAKIP evaluation scores.")
class PlanningGap:
    kind: str = strawberry.field(
        description="RPJMD_OBJECTIVE_UNALIGNED (no Renstra serves it), RPJMD_INDICATOR_UNCARRIED (no agency "
        "indicator cascades from it), IKU_WITHOUT_AGREEMENT, AGREEMENT_TARGET_MISSING, AGREEMENT_MISSING."
    )
    message: str
    org_unit_id: strawberry.Private[int]
    indicator_id: strawberry.Private[int | None]

    @strawberry.field
    async def org_unit(self, info: Info) -> OrgUnit | None:
        unit = await info.context.loaders.org_unit_by_id.load(self.org_unit_id)
        return OrgUnit.of(unit) if unit else None

    @strawberry.field
    async def indicator(self, info: Info) -> Indicator | None:
        if self.indicator_id is None:
            return None
        record = await info.context.loaders.indicator_by_id.load(self.indicator_id)
        return Indicator.of(record) if record else None


@strawberry.type(description="A row of a Rencana Kinerja Tahunan: an objective's indicator with the year's targets.")
class AnnualPlanRow:
    objective: Objective = strawberry.field(description="The sasaran, as the plan in force names it.")
    placed: strawberry.Private[PlanIndicator]
    year: strawberry.Private[int]

    @strawberry.field
    async def indicator(self, info: Info) -> Indicator | None:
        record = await info.context.loaders.indicator_by_id.load(self.placed.placed.indicator_id)
        return Indicator.of(record) if record else None

    @strawberry.field(description="The medium-term plan's target for the year (target Renstra/RPJMD).")
    def plan_target(self) -> Decimal | None:
        return next((t.value for t in self.placed.targets if t.year == self.year), None)

    @strawberry.field(
        description="The year's annual target of the indicator (Indicator.targets): set with setTargets until "
        "the year's Perjanjian Kinerja is signed, then through its revision."
    )
    async def target(self, info: Info) -> Decimal | None:
        targets = await info.context.loaders.targets_by_indicator_year.load(
            (self.placed.placed.indicator_id, self.year)
        )
        return next((t.value for t in targets if t.quarter is None), None)


@strawberry.type(description="Rencana Kinerja Tahunan (RKT) of a unit for a year, derived from its plan in force.")
class AnnualPlan:
    year: int
    org_unit: OrgUnit
    source: PlanVersion | None = strawberry.field(
        description="The published Renstra (an agency's) or RPJMD (the pemda's) version in force at the year's end."
    )
    rows: list[AnnualPlanRow]
    programs: list[Program] = strawberry.field(description="Programs, kegiatan and sub kegiatan behind the objectives.")
    agreement: PerformanceAgreement | None = strawberry.field(description="The year's Perjanjian Kinerja, if any.")

    @strawberry.field(description="Whether the year's targets may still change: no agreement of the year is signed.")
    def editable(self) -> bool:
        return self.agreement is None or self.agreement.record.signed_versions == 0


@strawberry.type(description="Whether a unit's Perjanjian Kinerja was signed by its due date (kepatuhan PK).")
class AgreementComplianceRow:
    org_unit_id: strawberry.Private[int]
    state: AgreementState | None = strawberry.field(description="Null: no agreement of the year at all.")
    signed_at: datetime | None = strawberry.field(description="When its first version (PK Murni) was signed.")
    deadline: date | None = strawberry.field(description="A month after the DPA's approval; null until it is recorded.")
    status: Compliance

    @strawberry.field
    async def org_unit(self, info: Info) -> OrgUnit | None:
        unit = await info.context.loaders.org_unit_by_id.load(self.org_unit_id)
        return OrgUnit.of(unit) if unit else None
