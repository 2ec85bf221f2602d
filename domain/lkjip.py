"""The LKjIP (Laporan Kinerja Instansi Pemerintah, PermenPANRB 53/2014): what it reports and the
rules of its life, as plain data. store/lkjip.py gathers the figures; documents/lkjip renders
them; actions/lkjip.py signs and freezes them.

Bab III A reports each sasaran of the year's Perjanjian Kinerja with the seven analyses the
regulation and the LKE (PermenPANRB 88/2021, Pelaporan) ask for: (1) target against realisation,
(2) against earlier years, (3) against the medium-term (Renstra/RPJMD end-of-period) target,
(4) against a province and a national benchmark where one is recorded, (5) supporting and
inhibiting factors and the actions taken, (6) efficiency of resources, (7) the programs behind
it. Numbers come from the platform; the narrative is the unit's own, kept per indicator and year.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, fields, is_dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from enum import Enum

from domain.achievement import DEFAULT_THRESHOLDS
from domain.efficiency import EfficiencyMethod, Spend, efficiency, efficiency_value
from domain.enums import AchievementCategory
from domain.errors import DomainError
from domain.workflow import ReportState

# Earlier years compared in analysis (2): the two before the reported one.
EARLIER_YEARS = 2
# The pemda's LKjIP is due three months after the year ends (PermenPANRB 53/2014, Pasal 20).
MONTHS_TO_REPORT = 3
# The annual report's states in which its asistensi is over: the LKjIP may be signed.
REVIEWED = frozenset({ReportState.APPROVED, ReportState.LOCKED, ReportState.PUBLISHED})
MAX_NARRATIVE = 10_000
MAX_REASON = 1_000


class Paper(Enum):
    """Paper sizes of the PDF: A4, and F4/Folio (215 × 330 mm) as pemda print."""

    A4 = "A4"
    F4 = "F4"


PAPER_CSS = {Paper.A4: "A4", Paper.F4: "215mm 330mm"}
PAPER_MM = {Paper.A4: (210, 297), Paper.F4: (215, 330)}


class Section(Enum):
    """The unit's own text in the report's chapters (narasi), kept per unit and year."""

    FOREWORD = "FOREWORD"  # Kata Pengantar
    BACKGROUND = "BACKGROUND"  # Bab I: latar belakang
    DUTIES = "DUTIES"  # Bab I: tugas dan fungsi
    STRATEGIC_ISSUES = "STRATEGIC_ISSUES"  # Bab I: isu strategis
    CONCLUSION = "CONCLUSION"  # Bab IV: kesimpulan
    NEXT_STEPS = "NEXT_STEPS"  # Bab IV: langkah ke depan


SECTION_TITLES = {
    Section.FOREWORD: "Kata Pengantar",
    Section.BACKGROUND: "Latar Belakang",
    Section.DUTIES: "Tugas dan Fungsi",
    Section.STRATEGIC_ISSUES: "Isu Strategis",
    Section.CONCLUSION: "Kesimpulan",
    Section.NEXT_STEPS: "Langkah ke Depan",
}


class DocumentKind(Enum):
    LKJIP = "LKJIP"


class DocumentFormat(Enum):
    PDF = "PDF"
    DOCX = "DOCX"
    XLSX = "XLSX"


MEDIA_TYPES = {
    DocumentFormat.PDF: "application/pdf",
    DocumentFormat.DOCX: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    DocumentFormat.XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


class DocumentState(Enum):
    DRAFT = "DRAFT"  # generated from the current data on request
    SIGNED = "SIGNED"  # the latest signed version: frozen, public
    SUPERSEDED = "SUPERSEDED"  # a signed version a correction replaced: frozen, still public


def deadline(year: int) -> date:
    """The day the LKjIP of `year` is due: the last day of the third month after the year."""
    return date(year + 1, MONTHS_TO_REPORT + 1, 1) - timedelta(days=1)


EXTENSIONS = {DocumentFormat.PDF: "pdf", DocumentFormat.DOCX: "docx", DocumentFormat.XLSX: "xlsx"}


def draft_url(unit_global_id: str, year: int, format: DocumentFormat, paper: Paper = Paper.F4) -> str:
    """Where the document of the current figures is generated (as the caller may read them)."""
    return f"/dokumen/lkjip/{unit_global_id}/{year}.{EXTENSIONS[format]}?kertas={paper.value}"


def signed_url(unit_global_id: str, year: int, number: int, format: DocumentFormat) -> str:
    """Where a signed version's stored document is downloaded (public)."""
    return f"/dokumen/lkjip/{unit_global_id}/{year}/v{number}.{EXTENSIONS[format]}"


def version_state(number: int, latest: int) -> DocumentState:
    return DocumentState.SIGNED if number == latest else DocumentState.SUPERSEDED


def check_signing(*, report_state: ReportState | None, signed_versions: int, reason: str | None) -> str | None:
    """May the LKjIP be signed now, and with which reason: the first version needs none, a
    correction (a new version of a signed LKjIP) needs one; asistensi comes first."""
    if report_state not in REVIEWED:
        raise DomainError(
            "REPORT_NOT_REVIEWED",
            "LKjIP hanya dapat ditandatangani setelah laporan tahunan disetujui dalam asistensi.",
            "orgUnitId",
        )
    text = (reason or "").strip()
    if len(text) > MAX_REASON:
        raise DomainError("REASON_TOO_LONG", f"Alasan paling banyak {MAX_REASON} karakter.", "reason")
    if signed_versions and not text:
        raise DomainError(
            "REASON_REQUIRED",
            "LKjIP ini sudah ditandatangani; perbaikan membuat versi baru dan wajib disertai alasan.",
            "reason",
        )
    return text or None


@dataclass(frozen=True)
class YearFigure:
    """One year of an indicator: its annual target, realisation and achievement (capaian)."""

    year: int
    target: Decimal | None
    target_high: Decimal | None
    realisation: Decimal | None
    achievement: Decimal | None
    category: AchievementCategory | None


@dataclass(frozen=True)
class Benchmark:
    """A comparison figure recorded for the indicator and year; None is "no data", never 0."""

    province: Decimal | None = None
    national: Decimal | None = None
    province_source: str = ""
    national_source: str = ""


@dataclass(frozen=True)
class Analysis:
    """The unit's explanation of an indicator's result (analysis 5)."""

    supporting: str = ""  # faktor pendukung
    inhibiting: str = ""  # faktor penghambat
    actions: str = ""  # upaya yang dilakukan


@dataclass(frozen=True)
class IndicatorAccount:
    indicator_id: int
    code: str
    name: str
    unit_of_measure: str
    this_year: YearFigure
    earlier: tuple[YearFigure, ...]  # the years before, newest first
    medium_term_year: int | None  # the plan's last year
    medium_term_target: Decimal | None
    medium_term_achievement: Decimal | None  # this year's realisation against it
    benchmark: Benchmark
    analysis: Analysis


@dataclass(frozen=True)
class BudgetAccount:
    """A program, kegiatan or sub kegiatan of the agreement: pagu and its realisation."""

    code: str
    name: str
    level: str
    budget: Decimal
    by_quarter: tuple[Decimal | None, ...]  # the realisation entered for each quarter
    realised: Decimal
    absorption: Decimal | None
    efficiency: Decimal | None
    efficiency_value: Decimal | None = None  # OUTPUT_WEIGHTED's 50 % + E/20 × 50 % (domain.efficiency)


@dataclass(frozen=True)
class ObjectiveAccount:
    """A sasaran: its indicators, the budget items behind it, its average achievement."""

    name: str
    indicators: tuple[IndicatorAccount, ...]
    programs: tuple[BudgetAccount, ...]
    achievement: Decimal | None  # the mean of its indicators' capaian, when every one counted
    category: AchievementCategory | None
    complete: bool


@dataclass(frozen=True)
class Party:
    name: str
    title: str
    nip: str | None


@dataclass(frozen=True)
class PlanContext:
    """Bab II: the plan the year's agreement serves."""

    name: str
    version: int
    vision: str
    missions: tuple[str, ...]
    goals: tuple[str, ...]


@dataclass(frozen=True)
class Summary:
    """Ringkasan Eksekutif: indicators counted, their mean achievement, per category."""

    indicators: int
    measured: int
    achievement: Decimal | None
    category: AchievementCategory | None
    by_category: tuple[tuple[AchievementCategory, int], ...]
    budget: Decimal
    realised: Decimal
    absorption: Decimal | None
    efficiency: Decimal | None


@dataclass(frozen=True)
class LkjipFigures:
    """Everything an LKjIP prints, as it stood when generated (a signed version keeps this)."""

    org_unit_id: int
    unit_name: str
    government_name: str
    government_code: str
    year: int
    head: Party
    agreement_version: int | None
    structure: tuple[str, ...]  # the unit and its units of the year, indented by depth
    plan: PlanContext | None
    objectives: tuple[ObjectiveAccount, ...]
    budget_lines: tuple[BudgetAccount, ...]
    efficiency_method: EfficiencyMethod
    summary: Summary
    sections: dict[str, str] = field(default_factory=dict)  # Section name → text
    due_on: date = date(1, 1, 1)

    def section(self, section: Section) -> str:
        return self.sections.get(section.value, "")


def mean_achievement(percents: Sequence[Decimal | None]) -> tuple[Decimal | None, bool]:
    """The mean of the capaian counted, and whether every one counted: an incomplete mean is
    shown as such, never coloured (domain/completeness.py's rule)."""
    counted = [p for p in percents if p is not None]
    if not counted:
        return None, False
    mean = (sum(counted, Decimal(0)) / len(counted)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    return mean, len(counted) == len(percents)


def objective_account(
    name: str, indicators: Sequence[IndicatorAccount], programs: Sequence[BudgetAccount]
) -> ObjectiveAccount:
    mean, complete = mean_achievement([i.this_year.achievement for i in indicators])
    category = DEFAULT_THRESHOLDS.category_of(mean) if mean is not None and complete else None
    return ObjectiveAccount(name, tuple(indicators), tuple(programs), mean, category, complete)


def budget_account(
    *,
    code: str,
    name: str,
    level: str,
    budget: Decimal,
    by_quarter: Sequence[Decimal | None],
    method: EfficiencyMethod,
    achievement: Decimal | None,
) -> BudgetAccount:
    """A budget item with its realisation to date and its efficiency by the government's method;
    `achievement` is the capaian of the sasaran the item serves (None when not measured)."""
    realised = sum((amount for amount in by_quarter if amount is not None), Decimal(0))
    spend = Spend(budget, realised, achievement)
    efficient = efficiency(method, [spend])
    return BudgetAccount(
        code=code,
        name=name,
        level=level,
        budget=budget,
        by_quarter=tuple(by_quarter),
        realised=realised,
        absorption=efficiency(EfficiencyMethod.ABSORPTION, [spend]),
        efficiency=efficient,
        efficiency_value=efficiency_value(method, efficient),
    )


def summary(
    objectives: Iterable[ObjectiveAccount], lines: Sequence[BudgetAccount], method: EfficiencyMethod
) -> Summary:
    accounts = [i for objective in objectives for i in objective.indicators]
    mean, complete = mean_achievement([i.this_year.achievement for i in accounts])
    counts = dict.fromkeys(AchievementCategory, 0)
    for account in accounts:
        if account.this_year.category is not None:
            counts[account.this_year.category] += 1
    budget = sum((line.budget for line in lines), Decimal(0))
    realised = sum((line.realised for line in lines), Decimal(0))
    achievement_of = {line.code: line for line in lines}
    spends = [Spend(line.budget, line.realised, _served(line, objectives)) for line in achievement_of.values()]
    return Summary(
        indicators=len(accounts),
        measured=sum(1 for a in accounts if a.this_year.achievement is not None),
        achievement=mean,
        category=DEFAULT_THRESHOLDS.category_of(mean) if mean is not None and complete else None,
        by_category=tuple(counts.items()),
        budget=budget,
        realised=realised,
        absorption=efficiency(EfficiencyMethod.ABSORPTION, spends),
        efficiency=efficiency(method, spends),
    )


def _served(line: BudgetAccount, objectives: Iterable[ObjectiveAccount]) -> Decimal | None:
    for objective in objectives:
        if any(program.code == line.code for program in objective.programs):
            return objective.achievement if objective.complete else None
    return None


@dataclass(frozen=True)
class Rendered:
    """The three documents of one LKjIP, rendered from the same figures."""

    pdf: bytes
    docx: bytes
    xlsx: bytes


def as_json(value: object) -> object:
    """Figures as the signed version keeps them (JSONB): decimals as text so that no figure is
    rounded through a float, enums by value, dates as ISO text."""
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, date):
        return value.isoformat()
    if is_dataclass(value) and not isinstance(value, type):
        return {f.name: as_json(getattr(value, f.name)) for f in fields(value)}
    if isinstance(value, dict):
        return {str(k): as_json(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [as_json(v) for v in value]
    return value
