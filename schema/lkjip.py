"""GraphQL types of the LKjIP (Laporan Kinerja Instansi Pemerintah, domain/lkjip.py): the
figures it prints, its documents and its signed versions, and the inputs that write it."""

from collections.abc import Callable, Mapping
from datetime import date, datetime
from decimal import Decimal
from typing import Self

import strawberry

from domain.efficiency import EfficiencyMethod
from domain.enums import AchievementCategory
from domain.lkjip import (
    SECTION_TITLES,
    BudgetAccount,
    DocumentFormat,
    DocumentKind,
    DocumentState,
    IndicatorAccount,
    LkjipFigures,
    ObjectiveAccount,
    Paper,
    Section,
    YearFigure,
    draft_url,
    signed_url,
    version_state,
)
from domain.workflow import Compliance, compliance_at
from policies.scopes import may_see_values
from schema.ids import encode_id
from schema.inputs import UserError
from schema.reports import Report
from schema.types import Indicator, Info, OrgUnit
from store.lkjip import LkjipVersionRecord
from store.reports import ReportKey

strawberry.enum(EfficiencyMethod, description="How the LKjIP computes efficiency of resources (metode efisiensi).")
strawberry.enum(Paper, description="Paper size of the PDF (ukuran kertas): A4, or F4/Folio 215 × 330 mm.")
strawberry.enum(Section, description="A chapter text the unit writes in its LKjIP (narasi bab).")
strawberry.enum(DocumentFormat, description="File format of a generated document (format dokumen).")
strawberry.enum(DocumentKind, description="Kind of generated document (jenis dokumen).")
strawberry.enum(
    DocumentState,
    description="DRAFT: generated from the current data on request; SIGNED: the latest frozen version; "
    "SUPERSEDED: a frozen version a correction replaced.",
)

FORMATS = (DocumentFormat.PDF, DocumentFormat.DOCX, DocumentFormat.XLSX)


@strawberry.type(description="A generated document (dokumen): a draft made on request, or a signed, frozen version.")
class Document:
    unit_id: strawberry.Private[int]
    kind: DocumentKind
    year: int
    version: int | None = strawberry.field(description="The signed version's number; null for a draft.")
    state: DocumentState
    format: DocumentFormat
    sha256: str | None = strawberry.field(description="SHA-256 of the stored file; null for a draft.")
    url: str = strawberry.field(
        description="Where it is downloaded, relative to the server: a draft with the caller's bearer token or "
        "page session, a signed version by anyone."
    )

    @strawberry.field(description="The unit the document is of.")
    async def unit(self, info: Info) -> OrgUnit | None:
        record = await info.context.loaders.org_unit_by_id.load(self.unit_id)
        return OrgUnit.of(record) if record else None


def documents_of(
    unit_id: int,
    year: int,
    *,
    version: int | None,
    state: DocumentState,
    url: Callable[[DocumentFormat], str],
    digests: Mapping[DocumentFormat, str | None] | None = None,
) -> list[Document]:
    """The PDF, Word document and workbook of one LKjIP: a draft, a signed version, a job's."""
    return [
        Document(
            unit_id=unit_id,
            kind=DocumentKind.LKJIP,
            year=year,
            version=version,
            state=state,
            format=f,
            sha256=(digests or {}).get(f),
            url=url(f),
        )
        for f in FORMATS
    ]


def drafts(unit_id: int, year: int, paper: Paper = Paper.F4) -> list[Document]:
    unit = encode_id("OrgUnit", unit_id)
    return documents_of(
        unit_id, year, version=None, state=DocumentState.DRAFT, url=lambda f: draft_url(unit, year, f, paper)
    )


def signed(record: LkjipVersionRecord, latest: int) -> list[Document]:
    unit = encode_id("OrgUnit", record.org_unit_id)
    return documents_of(
        record.org_unit_id,
        record.year,
        version=record.number,
        state=version_state(record.number, latest),
        url=lambda f: signed_url(unit, record.year, record.number, f),
        digests={
            DocumentFormat.PDF: record.pdf_sha256,
            DocumentFormat.DOCX: record.docx_sha256,
            DocumentFormat.XLSX: record.xlsx_sha256,
        },
    )


@strawberry.type(description="A signed LKjIP version (versi LKjIP yang ditandatangani): frozen, public.")
class LkjipVersion:
    record: strawberry.Private[LkjipVersionRecord]
    latest: strawberry.Private[int]
    number: int
    reason: str | None = strawberry.field(
        description="Why a correction was made (alasan perbaikan); null for the first."
    )
    paper: Paper
    signed_by: str
    signed_at: datetime
    figures_sha256: str = strawberry.field(description="SHA-256 of the figures behind the documents (canonical JSON).")

    @strawberry.field(description="Global id: names the signed version as evaluation evidence (bukti dukung).")
    def id(self) -> strawberry.ID:
        return strawberry.ID(encode_id("LkjipVersion", self.record.id))

    @classmethod
    def of(cls, record: LkjipVersionRecord, latest: int) -> Self:
        return cls(
            record=record,
            latest=latest,
            number=record.number,
            reason=record.reason,
            paper=record.paper,
            signed_by=record.signed_by,
            signed_at=record.signed_at,
            figures_sha256=record.figures_sha256,
        )

    @strawberry.field
    def state(self) -> DocumentState:
        return version_state(self.number, self.latest)

    @strawberry.field(description="The version's PDF, Word document and workbook, as stored at signing.")
    def documents(self) -> list[Document]:
        return signed(self.record, self.latest)


@strawberry.type(description="One year of an indicator in the LKjIP: target, realisation and capaian.")
class LkjipYear:
    year: int
    target: Decimal | None
    target_high: Decimal | None = strawberry.field(description="The upper end of a RANGE target.")
    realisation: Decimal | None
    achievement: Decimal | None = strawberry.field(description="Capaian in percent, two places.")
    category: AchievementCategory | None

    @classmethod
    def of(cls, figure: YearFigure) -> Self:
        return cls(
            year=figure.year,
            target=figure.target,
            target_high=figure.target_high,
            realisation=figure.realisation,
            achievement=figure.achievement,
            category=figure.category,
        )


@strawberry.type(description="An indicator of the agreement with the analyses of Bab III (analisis capaian).")
class LkjipIndicator:
    indicator_id: strawberry.Private[int]
    code: str
    name: str
    unit_of_measure: str
    this_year: LkjipYear = strawberry.field(description="Analysis 1: target against realisation of the year.")
    earlier_years: list[LkjipYear] = strawberry.field(description="Analysis 2: the years before, newest first.")
    medium_term_year: int | None = strawberry.field(description="The last year of the plan in force.")
    medium_term_target: Decimal | None = strawberry.field(
        description="Analysis 3: the plan's end-of-period target (target akhir periode Renstra/RPJMD)."
    )
    medium_term_achievement: Decimal | None = strawberry.field(
        description="This year's realisation against the end-of-period target, in percent."
    )
    province_benchmark: Decimal | None = strawberry.field(description="Analysis 4; null: no figure recorded.")
    national_benchmark: Decimal | None = strawberry.field(description="Analysis 4; null: no figure recorded.")
    province_source: str
    national_source: str
    supporting_factors: str = strawberry.field(description="Analysis 5: faktor pendukung.")
    inhibiting_factors: str = strawberry.field(description="Analysis 5: faktor penghambat.")
    actions: str = strawberry.field(description="Analysis 5: upaya yang dilakukan.")

    @classmethod
    def of(cls, account: IndicatorAccount) -> Self:
        b, a = account.benchmark, account.analysis
        return cls(
            indicator_id=account.indicator_id,
            code=account.code,
            name=account.name,
            unit_of_measure=account.unit_of_measure,
            this_year=LkjipYear.of(account.this_year),
            earlier_years=[LkjipYear.of(f) for f in account.earlier],
            medium_term_year=account.medium_term_year,
            medium_term_target=account.medium_term_target,
            medium_term_achievement=account.medium_term_achievement,
            province_benchmark=b.province,
            national_benchmark=b.national,
            province_source=b.province_source,
            national_source=b.national_source,
            supporting_factors=a.supporting,
            inhibiting_factors=a.inhibiting,
            actions=a.actions,
        )

    @strawberry.field
    async def indicator(self, info: Info) -> Indicator | None:
        record = await info.context.loaders.indicator_by_id.load(self.indicator_id)
        return Indicator.of(record) if record else None


@strawberry.type(description="A budget item of the agreement (program, kegiatan, sub kegiatan) and its realisation.")
class LkjipBudgetItem:
    code: str
    name: str
    level: str
    budget: Decimal = strawberry.field(description="Pagu (Rupiah).")
    realised_by_quarter: list[Decimal | None] = strawberry.field(
        description="Realisation entered for each quarter 1–4 (Rupiah); null: not entered."
    )
    realised: Decimal = strawberry.field(description="Realisation to date (Rupiah).")
    absorption: Decimal | None = strawberry.field(description="Penyerapan: realisation / pagu × 100.")
    efficiency: Decimal | None = strawberry.field(
        description="Efficiency by the government's method (analysis 6); null where it cannot be computed."
    )
    efficiency_value: Decimal | None = strawberry.field(
        description="Nilai efisiensi, 50 % + (E/20 × 50 %) of an OUTPUT_WEIGHTED efficiency E; null for other methods."
    )

    @classmethod
    def of(cls, line: BudgetAccount) -> Self:
        return cls(
            code=line.code,
            name=line.name,
            level=line.level,
            budget=line.budget,
            realised_by_quarter=list(line.by_quarter),
            realised=line.realised,
            absorption=line.absorption,
            efficiency=line.efficiency,
            efficiency_value=line.efficiency_value,
        )


@strawberry.type(description="A sasaran of the agreement in Bab III A (capaian per sasaran).")
class LkjipObjective:
    name: str
    achievement: Decimal | None = strawberry.field(description="Mean capaian of its indicators.")
    category: AchievementCategory | None = strawberry.field(description="Null while data is incomplete.")
    complete: bool = strawberry.field(description="Whether every indicator's capaian counted.")
    indicators: list[LkjipIndicator]
    programs: list[LkjipBudgetItem] = strawberry.field(description="Analysis 7: the programs behind it.")

    @classmethod
    def of(cls, objective: ObjectiveAccount) -> Self:
        return cls(
            name=objective.name,
            achievement=objective.achievement,
            category=objective.category,
            complete=objective.complete,
            indicators=[LkjipIndicator.of(a) for a in objective.indicators],
            programs=[LkjipBudgetItem.of(p) for p in objective.programs],
        )


@strawberry.type(description="Ringkasan Eksekutif: the year in figures.")
class LkjipSummary:
    indicators: int
    measured: int
    achievement: Decimal | None
    category: AchievementCategory | None
    budget: Decimal
    realised: Decimal
    absorption: Decimal | None
    efficiency: Decimal | None
    efficiency_method: EfficiencyMethod


@strawberry.type(description="A chapter text the unit wrote (narasi).")
class LkjipSectionText:
    section: Section
    title: str
    body: str


@strawberry.type(description="A unit's LKjIP (Laporan Kinerja Instansi Pemerintah, PermenPANRB 53/2014) for a year.")
class PerformanceReport:
    unit_id: strawberry.Private[int]
    unit_path: strawberry.Private[str]
    figures: strawberry.Private[LkjipFigures | None]
    versions_found: strawberry.Private[list[LkjipVersionRecord]]
    year: int
    due_on: date = strawberry.field(description="Due three months after the year ends (batas penyampaian).")

    @strawberry.field
    async def org_unit(self, info: Info) -> OrgUnit | None:
        record = await info.context.loaders.org_unit_by_id.load(self.unit_id)
        return OrgUnit.of(record) if record else None

    @strawberry.field(description="Kepatuhan: signed by the due date, after it, not yet though due, or not due.")
    def compliance(self, info: Info) -> Compliance:
        first = self.versions_found[0].signed_at if self.versions_found else None
        return compliance_at(submitted_at=first, deadline=self.due_on, today=info.context.today)

    @strawberry.field(description="The annual report whose asistensi (comments, returns, approval) precedes signing.")
    async def annual_report(self, info: Info) -> Report | None:
        record = await info.context.loaders.report_by_key.load(ReportKey(self.unit_id, self.year, None))
        return Report.of(record) if may_see_values(info.context.viewer, self.unit_path, record.state) else None

    @strawberry.field(description="The agreement version the figures report on; null where you may not read them.")
    def agreement_version(self) -> int | None:
        return self.figures.agreement_version if self.figures else None

    @strawberry.field(description="Null where you may not read the unit's values: its signed versions are public.")
    def summary(self) -> LkjipSummary | None:
        if self.figures is None:
            return None
        s = self.figures.summary
        return LkjipSummary(
            indicators=s.indicators,
            measured=s.measured,
            achievement=s.achievement,
            category=s.category,
            budget=s.budget,
            realised=s.realised,
            absorption=s.absorption,
            efficiency=s.efficiency,
            efficiency_method=self.figures.efficiency_method,
        )

    @strawberry.field(description="Bab III A, per sasaran; empty where you may not read the unit's values.")
    def objectives(self) -> list[LkjipObjective]:
        return [LkjipObjective.of(o) for o in self.figures.objectives] if self.figures else []

    @strawberry.field(description="Bab III B: every budget item of the agreement with its realisation.")
    def budget_items(self) -> list[LkjipBudgetItem]:
        return [LkjipBudgetItem.of(line) for line in self.figures.budget_lines] if self.figures else []

    @strawberry.field(description="The chapter texts the unit wrote.")
    def sections(self) -> list[LkjipSectionText]:
        if self.figures is None:
            return []
        return [
            LkjipSectionText(section=s, title=SECTION_TITLES[s], body=body)
            for s in Section
            if (body := self.figures.section(s))
        ]

    @strawberry.field(description="Signed versions, oldest first (public).")
    def versions(self) -> list[LkjipVersion]:
        latest = max((v.number for v in self.versions_found), default=0)
        return [LkjipVersion.of(v, latest) for v in self.versions_found]

    @strawberry.field(
        description="The documents: drafts of the current figures (for those who may read them) and every signed "
        "version's files."
    )
    def documents(self, paper: Paper = Paper.F4) -> list[Document]:
        latest = max((v.number for v in self.versions_found), default=0)
        made = drafts(self.unit_id, self.year, paper) if self.figures else []
        return made + [d for v in self.versions_found for d in signed(v, latest)]


@strawberry.input(description="A chapter's text; an empty body removes it.")
class LkjipSectionInput:
    section: Section
    body: str


@strawberry.input(description="Analysis 5 of one indicator of the agreement.")
class IndicatorAnalysisInput:
    indicator_id: strawberry.ID
    supporting_factors: str = ""
    inhibiting_factors: str = ""
    actions: str = ""


@strawberry.input(description="The unit's narrative of its LKjIP for a year.")
class SaveLkjipNarrativeInput:
    org_unit_id: strawberry.ID
    year: int
    sections: list[LkjipSectionInput] = strawberry.field(default_factory=list)
    analyses: list[IndicatorAnalysisInput] = strawberry.field(default_factory=list)


@strawberry.input(description="A quarter's spending on one budget item (Rupiah).")
class BudgetRealisationLineInput:
    code: str = strawberry.field(description="The SIPD code of a budget item of the unit's signed agreement.")
    amount: Decimal


@strawberry.input(description="Budget realisation of a quarter, all lines or none (realisasi anggaran).")
class SubmitBudgetRealisationsInput:
    org_unit_id: strawberry.ID
    year: int
    quarter: int
    lines: list[BudgetRealisationLineInput]
    idempotency_key: str | None = strawberry.field(
        default=None, description="Repeating a request with the same key writes nothing twice."
    )


@strawberry.input(description="A province and a national comparison figure of an indicator; null: no data.")
class IndicatorBenchmarkInput:
    indicator_id: strawberry.ID
    province_value: Decimal | None = None
    national_value: Decimal | None = None
    province_source: str = ""
    national_source: str = ""


@strawberry.input(description="Comparison figures (pembanding) of indicators for a year.")
class SetIndicatorBenchmarksInput:
    year: int
    benchmarks: list[IndicatorBenchmarkInput]


@strawberry.input(description="The formula a government's LKjIP computes efficiency by.")
class SetEfficiencyMethodInput:
    government_code: str
    method: EfficiencyMethod


@strawberry.input(description="Sign the LKjIP: freezes a new version (a correction needs a reason).")
class SignPerformanceReportInput:
    org_unit_id: strawberry.ID
    year: int
    paper: Paper = Paper.F4
    reason: str | None = None


@strawberry.type
class PerformanceReportPayload:
    performance_report: PerformanceReport | None
    user_errors: list[UserError]


@strawberry.type
class BudgetRealisationsPayload:
    written: int = strawberry.field(description="How many lines were written.")
    performance_report: PerformanceReport | None
    user_errors: list[UserError]


@strawberry.type
class BenchmarksPayload:
    written: int
    user_errors: list[UserError]


@strawberry.type
class EfficiencyMethodPayload:
    government_code: str | None
    method: EfficiencyMethod | None
    user_errors: list[UserError]


@strawberry.type
class SignPerformanceReportPayload:
    version: LkjipVersion | None
    performance_report: PerformanceReport | None
    user_errors: list[UserError]
