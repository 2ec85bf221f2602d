"""GraphQL types of the TPP allowance (Tambahan Penghasilan Pegawai, domain/tpp.py): the pemda's
formula versions, an employee's monthly statements with every component and deduction, and the
month's scores they are computed from. Amounts are Rupiah as decimals."""

from datetime import datetime
from decimal import Decimal

import strawberry

from domain.tpp import ApelBase, ComplianceItem, RoundingRule
from schema.ids import encode_id
from schema.inputs import UserError
from store.tpp import FormulaRecord, JobRecord, StatementRecord

strawberry.enum(ComplianceItem, name="ComplianceItem", description="Butir kepatuhan: BMD, TPTGR, LHKPN.")
strawberry.enum(
    ApelBase,
    name="ApelBase",
    description="What a missed apel costs a share of: DISCIPLINE (the attendance part) or WHOLE (the whole base).",
)
strawberry.enum(
    RoundingRule,
    name="TppRounding",
    description="RUPIAH (half up), DOWN_100 or DOWN_1000 (down to the hundred/thousand).",
)


@strawberry.type(description="The monthly base amount (besaran TPP) of a job class.")
class TppBaseAmount:
    job_class: int
    amount: Decimal


@strawberry.type(description="A compliance item's weight (%).")
class TppComplianceWeight:
    item: ComplianceItem
    weight: Decimal


@strawberry.type(description="A lateness band (menit terlambat) and its deduction per day, % of the base.")
class TppLatenessBand:
    from_minutes: int
    to_minutes: int | None
    percent: Decimal


@strawberry.type(description="A version of a pemda's TPP formula (formula TPP), in force from a month.")
class TppFormula:
    record: strawberry.Private[FormulaRecord]

    @strawberry.field
    def version(self) -> int:
        return self.record.version

    @strawberry.field
    def effective_year(self) -> int:
        return self.record.effective_year

    @strawberry.field
    def effective_month(self) -> int:
        return self.record.effective_month

    @strawberry.field(description="The legal basis or reason (e.g. the Perkada).")
    def reason(self) -> str:
        return self.record.reason

    @strawberry.field(description="Weight of attendance (kehadiran/disiplin), %.")
    def attendance_weight(self) -> Decimal:
        return self.record.formula.attendance_weight

    @strawberry.field(description="Weight of performance (kinerja, from the month's scores), %.")
    def performance_weight(self) -> Decimal:
        return self.record.formula.performance_weight

    @strawberry.field(description="Weight of compliance (kepatuhan), %.")
    def compliance_weight(self) -> Decimal:
        return self.record.formula.compliance_weight

    @strawberry.field(description="Of attendance: the share of days present, %.")
    def presence_share(self) -> Decimal:
        return self.record.formula.presence_share

    @strawberry.field(description="Of attendance: the share of apel attended, %.")
    def apel_share(self) -> Decimal:
        return self.record.formula.apel_share

    @strawberry.field
    def base_amounts(self) -> list[TppBaseAmount]:
        return [TppBaseAmount(job_class=k, amount=v) for k, v in sorted(self.record.formula.base_amounts.items())]

    @strawberry.field
    def staff_items(self) -> list[TppComplianceWeight]:
        return [TppComplianceWeight(item=k, weight=v) for k, v in self.record.formula.staff_items.items()]

    @strawberry.field(description="The items of officials who file the LHKPN.")
    def official_items(self) -> list[TppComplianceWeight]:
        return [TppComplianceWeight(item=k, weight=v) for k, v in self.record.formula.official_items.items()]

    @strawberry.field
    def lateness(self) -> list[TppLatenessBand]:
        return [
            TppLatenessBand(from_minutes=b.from_minutes, to_minutes=b.to_minutes, percent=b.percent)
            for b in self.record.formula.lateness
        ]

    @strawberry.field(description="Deduction per missed apel, % of the apel base.")
    def missed_apel_percent(self) -> Decimal:
        return self.record.formula.missed_apel_percent

    @strawberry.field
    def apel_base(self) -> ApelBase:
        return self.record.formula.apel_base

    @strawberry.field
    def rounding(self) -> RoundingRule:
        return self.record.formula.rounding

    @strawberry.field
    def created_by(self) -> str:
        return self.record.created_by

    @strawberry.field
    def created_at(self) -> datetime:
        return self.record.created_at


@strawberry.type(description="A deduction of a statement (potongan).")
class TppDeduction:
    code: str = strawberry.field(description="LATE_<from minutes> or MISSED_APEL.")
    label: str
    count: int = strawberry.field(description="Days late in the band, or apel missed.")
    percent: Decimal
    amount: Decimal = strawberry.field(description="Exact, before the statement's single rounding.")


@strawberry.type(description="An employee's TPP statement of a month (rincian TPP): frozen once the month is paid.")
class TppStatement:
    record: strawberry.Private[StatementRecord]

    @strawberry.field
    def year(self) -> int:
        return self.record.year

    @strawberry.field
    def month(self) -> int:
        return self.record.month

    @strawberry.field
    def job_class(self) -> int:
        return self.record.job_class

    @strawberry.field
    def formula_version(self) -> int:
        return self.record.formula_version

    @strawberry.field(description="The attendance component, %.")
    def attendance(self) -> Decimal:
        return self.record.figures.attendance

    @strawberry.field(description="The performance component, % (the month's scores).")
    def performance(self) -> Decimal:
        return self.record.figures.performance

    @strawberry.field(description="The compliance component, %.")
    def compliance(self) -> Decimal:
        return self.record.figures.compliance

    @strawberry.field(description="The weighted total, %.")
    def total(self) -> Decimal:
        return self.record.figures.total

    @strawberry.field(description="The job class's base amount, Rupiah.")
    def base(self) -> Decimal:
        return self.record.figures.base

    @strawberry.field(description="Total × base, before deductions, exact.")
    def gross(self) -> Decimal:
        return self.record.figures.gross

    @strawberry.field
    def deductions(self) -> list[TppDeduction]:
        return [
            TppDeduction(code=d.code, label=d.label, count=d.count, percent=d.percent, amount=d.amount)
            for d in self.record.figures.deductions
        ]

    @strawberry.field(description="What is paid, Rupiah, rounded once by the formula's rule.")
    def amount(self) -> Decimal:
        return self.record.figures.amount

    @strawberry.field
    def computed_at(self) -> datetime:
        return self.record.computed_at

    @strawberry.field(description="When the month was paid: the statement is frozen (null: not yet).")
    def paid_at(self) -> datetime | None:
        return self.record.paid_at


@strawberry.type(description="An employee's month of verified activity logs (nilai kinerja bulanan).")
class MonthlyScore:
    year: int
    month: int
    verified_entries: int
    score_sum: Decimal = strawberry.field(
        description="Σ daily scores (0–10 a day: the mean of the day's entries decided, a rejected one 0); the TPP's "
        "performance is this / (working days × 10) × 100, at most 100."
    )
    closed: bool = strawberry.field(description="The month is closed by the verifier: the scores are final.")


@strawberry.input
class TppBaseAmountInput:
    job_class: int
    amount: Decimal


@strawberry.input
class TppComplianceWeightInput:
    item: ComplianceItem
    weight: Decimal


@strawberry.input
class TppLatenessBandInput:
    from_minutes: int
    percent: Decimal
    to_minutes: int | None = None


@strawberry.input(description="A new version of a pemda's TPP formula, in force from a month.")
class SaveTppFormulaInput:
    government_code: str
    effective_year: int
    effective_month: int
    reason: str
    attendance_weight: Decimal
    performance_weight: Decimal
    compliance_weight: Decimal
    base_amounts: list[TppBaseAmountInput]
    presence_share: Decimal = Decimal(60)
    apel_share: Decimal = Decimal(40)
    staff_items: list[TppComplianceWeightInput] | None = strawberry.field(
        default=None, description="Default BMD 50, TPTGR 50."
    )
    official_items: list[TppComplianceWeightInput] | None = strawberry.field(
        default=None, description="Default BMD 30, TPTGR 30, LHKPN 40."
    )
    lateness: list[TppLatenessBandInput] | None = strawberry.field(
        default=None, description="Default 1–30 min 0.5 %, 31–60 1 %, 61–90 1.25 %, more 1.5 %."
    )
    missed_apel_percent: Decimal = Decimal(2)
    apel_base: ApelBase = ApelBase.DISCIPLINE
    rounding: RoundingRule = RoundingRule.RUPIAH


@strawberry.type
class TppFormulaPayload:
    formula: TppFormula | None
    user_errors: list[UserError]


@strawberry.input(description="One employee's month, as the time clock and the registers export it.")
class TppFactsRowInput:
    nip: str
    working_days: int
    days_present: int
    apel_held: int
    apel_attended: int
    late_minutes: list[int] = strawberry.field(default_factory=list, description="Minutes late, one per late day.")
    bmd: bool | None = strawberry.field(default=None, description="BMD reported (null: no record, not met).")
    tptgr: bool | None = None
    lhkpn: bool | None = None


@strawberry.input(description="Attendance and compliance of a month, matched by NIP; all rows or none.")
class RecordTppFactsInput:
    year: int
    month: int
    rows: list[TppFactsRowInput]
    dry_run: bool = strawberry.field(
        default=False, description="Check every row and answer as if written; nothing is written."
    )


@strawberry.type
class RecordTppFactsPayload:
    recorded: int | None
    user_errors: list[UserError]


@strawberry.input(description="An agency's month (perangkat daerah, year, month).")
class TppMonthInput:
    agency_id: strawberry.ID
    year: int
    month: int


@strawberry.type
class ComputeTppStatementsPayload:
    statements: int | None = strawberry.field(description="Statements computed.")
    without_facts: int | None = strawberry.field(description="Employees with no attendance record: no statement.")
    total: Decimal | None = strawberry.field(description="Σ amounts, Rupiah.")
    formula_version: int | None
    user_errors: list[UserError]


@strawberry.type
class PayTppMonthPayload:
    statements: int | None
    total: Decimal | None
    user_errors: list[UserError]


@strawberry.type(description="An agency skipped by a TPP job, and why (its month not closed, already paid, …).")
class TppJobSkip:
    unit: str = strawberry.field(description="The perangkat daerah's code.")
    code: str
    message: str


@strawberry.type(description="A month's TPP computed in the background for every perangkat daerah of a pemda.")
class TppJob:
    record: strawberry.Private[JobRecord]

    @strawberry.field
    def id(self) -> strawberry.ID:
        return strawberry.ID(encode_id("TppJob", self.record.id))

    @strawberry.field
    def year(self) -> int:
        return self.record.year

    @strawberry.field
    def month(self) -> int:
        return self.record.month

    @strawberry.field(description="RUNNING, DONE or FAILED.")
    def state(self) -> str:
        return self.record.state

    @strawberry.field(description="Perangkat daerah to compute.")
    def agencies_total(self) -> int:
        return self.record.agencies_total

    @strawberry.field(description="Of them, done so far (computed or skipped): the progress.")
    def agencies_done(self) -> int:
        return self.record.agencies_done

    @strawberry.field
    def statements(self) -> int:
        return self.record.statements

    @strawberry.field(description="Σ amounts computed so far, Rupiah.")
    def total(self) -> Decimal:
        return self.record.total

    @strawberry.field
    def skipped(self) -> list[TppJobSkip]:
        return [TppJobSkip(unit=s["unit"], code=s["code"], message=s["message"]) for s in self.record.skipped]

    @strawberry.field
    def error(self) -> str | None:
        return self.record.error

    @strawberry.field
    def started_by(self) -> str:
        return self.record.started_by

    @strawberry.field
    def started_at(self) -> datetime:
        return self.record.started_at

    @strawberry.field
    def finished_at(self) -> datetime | None:
        return self.record.finished_at


@strawberry.input(description="Compute a month's TPP for every perangkat daerah of a pemda in the background.")
class StartTppMonthJobInput:
    government_code: str
    year: int
    month: int


@strawberry.type
class TppJobPayload:
    job: TppJob | None
    user_errors: list[UserError]
