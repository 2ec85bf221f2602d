"""The TPP allowance (Tambahan Penghasilan Pegawai): a versioned formula per pemda and the
month's statement per employee (../shared/sakip-wave2.md §5.1).

The formula is ryz-dev's chain from log to Rupiah with its hard-coded numbers made settings:
  attendance  = days present / working days × presence share + apel attended / held × apel share
  performance = Σ the month's daily scores / (working days × 10) × 100, at most 100; a day's
                score is the mean of its entries the verifier decided, a rejected one 0
  compliance  = Σ weights of the items met, of the items the employee's duty has (staff: BMD 50 +
                TPTGR 50; officials, who report wealth: BMD 30 + TPTGR 30 + LHKPN 40); an item
                with no record is not met
  total %     = attendance × w_attendance + performance × w_performance + compliance × w_compliance
  gross       = total % × the base amount of the employee's job class (kelas jabatan)
then siaptuba's deductions: a percentage of the base per late day by lateness band, and per
missed apel a percentage of the discipline share (attendance weight × base) or of the whole
base (a setting: the source is ambiguous). Amount = gross − deductions, never below zero,
rounded once by the formula's rule. Percentages are kept exact until that single rounding.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal
from enum import Enum

from domain.errors import DomainError
from domain.personnel import UNIT_HEADS, PositionKind

HUNDRED = Decimal(100)
MAX_BASE_AMOUNT = Decimal(1_000_000_000)


class ComplianceItem(Enum):
    BMD = "BMD"  # barang milik daerah: the assets in the employee's care reported
    TPTGR = "TPTGR"  # tuntutan perbendaharaan / ganti rugi settled
    LHKPN = "LHKPN"  # the wealth report (officials only)


class Duty(Enum):
    STAFF = "STAFF"
    OFFICIAL = "OFFICIAL"  # an official who must file the LHKPN


def duty_of(kind: PositionKind) -> Duty:
    """Unit heads file the LHKPN and comply on BMD, TPTGR and LHKPN; others on BMD and TPTGR."""
    return Duty.OFFICIAL if kind in UNIT_HEADS else Duty.STAFF


class ApelBase(Enum):
    DISCIPLINE = "DISCIPLINE"  # a missed apel costs a share of the attendance part of the base
    WHOLE = "WHOLE"  # ... of the whole base


class RoundingRule(Enum):
    RUPIAH = "RUPIAH"  # half up to the whole Rupiah
    DOWN_100 = "DOWN_100"  # down to the hundred
    DOWN_1000 = "DOWN_1000"  # down to the thousand

    def apply(self, amount: Decimal) -> Decimal:
        if self is RoundingRule.RUPIAH:
            return amount.quantize(Decimal(1), rounding=ROUND_HALF_UP)
        step = Decimal(100) if self is RoundingRule.DOWN_100 else Decimal(1000)
        return (amount / step).quantize(Decimal(1), rounding=ROUND_DOWN) * step


@dataclass(frozen=True)
class LatenessBand:
    """Late from `from_minutes` to `to_minutes` (inclusive; None: and more) costs `percent` of
    the base per day."""

    from_minutes: int
    to_minutes: int | None
    percent: Decimal

    @property
    def label(self) -> str:
        upper = f"–{self.to_minutes}" if self.to_minutes is not None else "+"
        return f"Terlambat {self.from_minutes}{upper} menit"


STAFF_ITEMS: Mapping[ComplianceItem, Decimal] = {ComplianceItem.BMD: Decimal(50), ComplianceItem.TPTGR: Decimal(50)}
OFFICIAL_ITEMS: Mapping[ComplianceItem, Decimal] = {
    ComplianceItem.BMD: Decimal(30),
    ComplianceItem.TPTGR: Decimal(30),
    ComplianceItem.LHKPN: Decimal(40),
}
# siaptuba's bands (1–30 min 0.5 %, 31–60 1 %, 61–90 1.25 %, more 1.5 %).
SIAPTUBA_BANDS = (
    LatenessBand(1, 30, Decimal("0.5")),
    LatenessBand(31, 60, Decimal(1)),
    LatenessBand(61, 90, Decimal("1.25")),
    LatenessBand(91, None, Decimal("1.5")),
)


@dataclass(frozen=True)
class TppFormula:
    attendance_weight: Decimal
    performance_weight: Decimal
    compliance_weight: Decimal
    base_amounts: Mapping[int, Decimal]  # job class (kelas jabatan) → Rupiah a month
    presence_share: Decimal = Decimal(60)
    apel_share: Decimal = Decimal(40)
    staff_items: Mapping[ComplianceItem, Decimal] = field(default_factory=lambda: dict(STAFF_ITEMS))
    official_items: Mapping[ComplianceItem, Decimal] = field(default_factory=lambda: dict(OFFICIAL_ITEMS))
    lateness: tuple[LatenessBand, ...] = SIAPTUBA_BANDS
    missed_apel_percent: Decimal = Decimal(2)
    apel_base: ApelBase = ApelBase.DISCIPLINE
    rounding: RoundingRule = RoundingRule.RUPIAH

    def items_of(self, duty: Duty) -> Mapping[ComplianceItem, Decimal]:
        return self.official_items if duty is Duty.OFFICIAL else self.staff_items


def _percent_ok(value: Decimal) -> bool:
    return Decimal(0) <= value <= HUNDRED


def check_formula(formula: TppFormula) -> list[DomainError]:
    """Every rule a formula breaks, at its field; an empty list is a formula that may be saved."""
    errors = []
    weights = (formula.attendance_weight, formula.performance_weight, formula.compliance_weight)
    if any(weight < 0 for weight in weights):
        errors.append(DomainError("INVALID_WEIGHT", "Bobot tidak boleh negatif.", "weights"))
    elif sum(weights) > HUNDRED:
        errors.append(DomainError("WEIGHTS_OVER_100", f"Jumlah bobot {sum(weights)}% melebihi 100%.", "weights"))
    if formula.presence_share < 0 or formula.apel_share < 0 or formula.presence_share + formula.apel_share != HUNDRED:
        errors.append(DomainError("SHARES_NOT_100", "Bagian kehadiran dan apel harus berjumlah 100%.", "presenceShare"))
    for name, items in (("staffItems", formula.staff_items), ("officialItems", formula.official_items)):
        if any(weight < 0 for weight in items.values()) or sum(items.values(), Decimal(0)) != HUNDRED:
            errors.append(DomainError("SHARES_NOT_100", "Bobot butir kepatuhan harus berjumlah 100%.", name))
    previous_to = 0
    for index, band in enumerate(formula.lateness):
        at = f"lateness.{index}"
        if band.from_minutes <= previous_to or (band.to_minutes is not None and band.to_minutes < band.from_minutes):
            errors.append(
                DomainError("INVALID_BAND", "Rentang keterlambatan harus berurutan dan tidak tumpang tindih.", at)
            )
        elif not _percent_ok(band.percent):
            errors.append(DomainError("INVALID_PERCENT", "Persentase potongan harus 0–100.", at))
        if band.to_minutes is None and index != len(formula.lateness) - 1:
            errors.append(DomainError("INVALID_BAND", "Rentang tanpa batas atas harus yang terakhir.", at))
        previous_to = band.to_minutes if band.to_minutes is not None else 10**6
    if not _percent_ok(formula.missed_apel_percent):
        errors.append(DomainError("INVALID_PERCENT", "Persentase potongan apel harus 0–100.", "missedApelPercent"))
    if not formula.base_amounts:
        errors.append(DomainError("REQUIRED", "Isi besaran TPP per kelas jabatan.", "baseAmounts"))
    for job_class, amount in formula.base_amounts.items():
        if not 1 <= job_class <= 20 or amount < 0 or amount > MAX_BASE_AMOUNT or amount != amount.to_integral_value():
            errors.append(
                DomainError(
                    "INVALID_AMOUNT",
                    f"Besaran kelas jabatan {job_class} harus Rupiah bulat 0–{MAX_BASE_AMOUNT:,.0f}.",
                    "baseAmounts",
                )
            )
    return errors


@dataclass(frozen=True)
class MonthFacts:
    """What the month brought for one employee: attendance and compliance as imported, and the
    sum of the month's daily scores (store.activity.score_sums)."""

    working_days: int
    days_present: int
    apel_held: int
    apel_attended: int
    late_minutes: Sequence[int]  # minutes late, one per late day
    score_sum: Decimal
    compliance: Mapping[ComplianceItem, bool]  # items recorded; an absent item is not met
    duty: Duty


@dataclass(frozen=True)
class Deduction:
    code: str  # LATE_<from> or MISSED_APEL
    label: str
    count: int
    percent: Decimal
    amount: Decimal  # exact, before rounding


@dataclass(frozen=True)
class Statement:
    attendance: Decimal  # % of the attendance component
    performance: Decimal
    compliance: Decimal
    total: Decimal  # weighted %
    base: Decimal
    gross: Decimal
    deductions: tuple[Deduction, ...]
    amount: Decimal  # rounded Rupiah


def attendance_percent(formula: TppFormula, facts: MonthFacts) -> Decimal:
    presence = (
        Decimal(min(facts.days_present, facts.working_days)) / facts.working_days if facts.working_days else Decimal(1)
    )
    apel = Decimal(min(facts.apel_attended, facts.apel_held)) / facts.apel_held if facts.apel_held else Decimal(1)
    return presence * formula.presence_share + apel * formula.apel_share


def performance_percent(facts: MonthFacts) -> Decimal:
    if facts.working_days <= 0:
        return Decimal(0)
    return min(HUNDRED, facts.score_sum / (facts.working_days * 10) * HUNDRED)


def compliance_percent(formula: TppFormula, facts: MonthFacts) -> Decimal:
    items = formula.items_of(facts.duty)
    return sum((weight for item, weight in items.items() if facts.compliance.get(item, False)), Decimal(0))


def band_of(bands: Sequence[LatenessBand], minutes: int) -> LatenessBand | None:
    for band in bands:
        if minutes >= band.from_minutes and (band.to_minutes is None or minutes <= band.to_minutes):
            return band
    return None


def statement(formula: TppFormula, job_class: int, facts: MonthFacts) -> Statement:
    """The month's statement of one employee. Raises NO_BASE_AMOUNT for a job class the formula
    does not pay."""
    base = formula.base_amounts.get(job_class)
    if base is None:
        raise DomainError("NO_BASE_AMOUNT", f"Formula TPP tidak memuat besaran kelas jabatan {job_class}.", "jobClass")
    attendance = attendance_percent(formula, facts)
    performance = performance_percent(facts)
    compliance = compliance_percent(formula, facts)
    total = (
        attendance * formula.attendance_weight
        + performance * formula.performance_weight
        + compliance * formula.compliance_weight
    ) / HUNDRED
    gross = total * base / HUNDRED
    deductions = []
    for band in formula.lateness:
        days = sum(1 for minutes in facts.late_minutes if band_of(formula.lateness, minutes) == band)
        if days:
            amount = base * band.percent / HUNDRED * days
            deductions.append(Deduction(f"LATE_{band.from_minutes}", band.label, days, band.percent, amount))
    missed = max(0, facts.apel_held - facts.apel_attended)
    if missed and formula.missed_apel_percent:
        share = base * formula.attendance_weight / HUNDRED if formula.apel_base is ApelBase.DISCIPLINE else base
        amount = share * formula.missed_apel_percent / HUNDRED * missed
        deductions.append(Deduction("MISSED_APEL", "Tidak mengikuti apel", missed, formula.missed_apel_percent, amount))
    net = max(Decimal(0), gross - sum((d.amount for d in deductions), Decimal(0)))
    return Statement(
        attendance, performance, compliance, total, base, gross, tuple(deductions), formula.rounding.apply(net)
    )


MAX_LATE_MINUTES = 24 * 60
MAX_FACT_ROWS = 20_000  # a month's attendance of the largest pemda in one batch


def check_facts(
    *, working_days: int, days_present: int, apel_held: int, apel_attended: int, late_minutes: Sequence[int], at: str
) -> list[DomainError]:
    """A month's attendance as imported must be possible: present no more days than worked, no
    more apel attended than held, a late day is a present day late by 1 minute to a day."""
    errors = []
    if not 1 <= working_days <= 31:
        errors.append(DomainError("INVALID_COUNT", "Hari kerja sebulan 1–31.", f"{at}.workingDays"))
    if not 0 <= days_present <= working_days:
        errors.append(DomainError("INVALID_COUNT", "Hari hadir 0 sampai jumlah hari kerja.", f"{at}.daysPresent"))
    if not 0 <= apel_held <= 31:
        errors.append(DomainError("INVALID_COUNT", "Apel sebulan 0–31.", f"{at}.apelHeld"))
    if not 0 <= apel_attended <= apel_held:
        errors.append(DomainError("INVALID_COUNT", "Apel diikuti 0 sampai jumlah apel.", f"{at}.apelAttended"))
    if len(late_minutes) > max(0, days_present) or any(not 1 <= m <= MAX_LATE_MINUTES for m in late_minutes):
        errors.append(
            DomainError(
                "INVALID_COUNT",
                "Keterlambatan: satu angka menit (1–1440) per hari hadir yang terlambat.",
                f"{at}.lateMinutes",
            )
        )
    return errors
