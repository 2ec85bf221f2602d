"""Rules for entering targets and realisations in batches: every error found, at its field.

A batch is all-or-nothing, so the caller checks the whole batch first and writes only when
this returns no errors.
"""

import functools
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from domain.enums import AchievementMethod, PeriodAggregation, ReportingFrequency, RollupFromChildren
from domain.errors import DomainError, InvalidValue
from domain.months import check_month, quarter_of
from domain.periods import check_quarter, check_year
from domain.scales import scale_named
from domain.values import MAX_NOTE_LENGTH, check_target, check_text, check_value
from domain.workflow import EDITABLE, ReportState

MAX_BATCH_ROWS = 10_000


@dataclass(frozen=True)
class IndicatorFacts:
    """What entry rules need to know of an indicator."""

    allow_negative: bool
    ordinal_scale: str | None
    method: AchievementMethod
    rollup_from_children: RollupFromChildren
    writable: bool = True  # the caller may enter values for it (its capture scope)
    report_unit_id: int = 0  # whose report covers its values (domain.workflow.reporting_unit_id)
    unit_path: str = ""
    retired_from_year: int | None = None
    period_aggregation: PeriodAggregation = PeriodAggregation.LAST
    reporting_frequency: ReportingFrequency = ReportingFrequency.QUARTERLY


@dataclass(frozen=True)
class RealisationEntry:
    indicator_id: int | None  # None: the id did not name a known indicator
    year: int
    quarter: int
    value: Decimal | None
    grade: str | None
    note: str
    expected_version: int | None = None


@dataclass(frozen=True)
class MonthlyEntry:
    """A month's realisation of an indicator that reports monthly."""

    indicator_id: int | None
    year: int
    month: int
    value: Decimal | None
    grade: str | None
    note: str
    expected_version: int | None = None


@dataclass(frozen=True)
class TargetEntry:
    indicator_id: int | None
    year: int
    quarter: int | None
    value: Decimal | None
    high: Decimal | None
    grade: str | None
    expected_version: int | None = None


ValueKey = tuple[int, int, int | None]  # indicator, year, quarter (None: the annual target)
ReportKey = tuple[int, int, int | None]  # reporting unit, year, quarter (None: the annual report)


@dataclass(frozen=True)
class Context:
    """What is stored already: report states and the versions of existing values."""

    report_states: Mapping[ReportKey, ReportState]
    versions: Mapping[ValueKey, int]


def check_editable(
    key: ValueKey, facts: IndicatorFacts, expected_version: int | None, context: Context, at: str
) -> None:
    """Operators edit only while the covering report is a draft or returned, and never over a
    version they did not see (optimistic concurrency: no silent overwrite)."""
    _indicator_id, year, quarter = key
    check_report_open(facts, year, quarter, context, at)
    check_version(context.versions.get(key), expected_version, at)


def check_report_open(facts: IndicatorFacts, year: int, quarter: int | None, context: Context, at: str) -> None:
    if facts.retired_from_year is not None and year >= facts.retired_from_year:
        raise DomainError("RETIRED", f"Indikator ini pensiun sejak tahun {facts.retired_from_year}.", at)
    state = context.report_states.get((facts.report_unit_id, year, quarter), ReportState.DRAFT)
    if state not in EDITABLE:
        raise DomainError(
            "REPORT_NOT_EDITABLE", f"Laporan periode ini berstatus {state.value}; nilai tidak dapat diubah.", at
        )


def check_version(current: int | None, expected_version: int | None, at: str) -> None:
    if current is None and expected_version not in (None, 0):
        raise DomainError("CONFLICT", "Nilai ini belum ada; kirim tanpa expectedVersion.", f"{at}.expectedVersion")
    if current is not None and expected_version != current:
        raise DomainError(
            "CONFLICT",
            f"Nilai ini sudah diubah (versi {current}); muat ulang lalu kirim dengan expectedVersion {current}.",
            f"{at}.expectedVersion",
        )


@dataclass(frozen=True)
class Checked:
    """A row that passed: its value resolved to a number (grades mapped through the scale)."""

    indicator_id: int
    year: int
    quarter: int | None
    value: Decimal
    high: Decimal | None
    note: str
    is_new: bool = True

    @property
    def key(self) -> ValueKey:
        return (self.indicator_id, self.year, self.quarter)


def _measured(value: Decimal | None, grade: str | None, facts: IndicatorFacts) -> tuple[str, Decimal]:
    """The numeric value of an entry and the field it came from."""
    if facts.ordinal_scale is not None:
        scale = scale_named(facts.ordinal_scale)
        if grade is not None:
            return "grade", scale.number_of(grade)
        if value is not None and scale.grade_of(value) is not None:
            return "value", value
        raise InvalidValue("INVALID_GRADE", "Indikator berskala predikat: isi `grade` (mis. BB atau WTP).")
    if grade is not None:
        raise InvalidValue("NOT_ORDINAL", "Indikator ini tidak berskala predikat; isi `value`.")
    if value is None:
        raise InvalidValue("REQUIRED", "Nilai wajib diisi.")
    return "value", value


def _writable(
    indicator_id: int | None, indicators: Mapping[int, IndicatorFacts], at: str
) -> tuple[int, IndicatorFacts]:
    """The row's indicator, if it exists for the caller and the caller may enter its values."""
    facts = indicators.get(indicator_id) if indicator_id is not None else None
    if indicator_id is None or facts is None:
        raise DomainError("NOT_FOUND", "Indikator tidak ditemukan.", f"{at}.indicatorId")
    if not facts.writable:
        raise DomainError("FORBIDDEN", "Anda tidak berwenang mengisi nilai indikator ini.", f"{at}.indicatorId")
    return indicator_id, facts


def _claim(
    key: ValueKey, seen: set[ValueKey], facts: IndicatorFacts, expected_version: int | None, stored: Context, at: str
) -> None:
    """A batch names each indicator and period once, and only where it may still be edited."""
    if key in seen:
        raise DomainError("DUPLICATE_ROW", "Baris untuk indikator dan periode ini sudah ada di kiriman.", at)
    seen.add(key)
    check_editable(key, facts, expected_version, stored, at)


def _check_batch_size(count: int, field: str) -> list[DomainError]:
    if count == 0:
        return [InvalidValue("EMPTY_BATCH", "Kirim paling sedikit satu baris.", field)]
    if count > MAX_BATCH_ROWS:
        return [InvalidValue("BATCH_TOO_LARGE", f"Paling banyak {MAX_BATCH_ROWS} baris per kiriman.", field)]
    return []


def check_realisations(
    entries: Sequence[RealisationEntry], indicators: Mapping[int, IndicatorFacts], stored: Context
) -> tuple[list[Checked], list[DomainError]]:
    checked: list[Checked] = []
    errors = _check_batch_size(len(entries), "realisations")
    seen: set[ValueKey] = set()
    for index, entry in enumerate(entries):
        at = f"realisations.{index}"
        period = functools.partial(check_quarter, entry.quarter, allow_year=False)
        try:
            indicator_id, facts, value, note = _entered(entry, indicators, ReportingFrequency.QUARTERLY, period, at)
        except DomainError as error:
            errors.append(error)
            continue
        key = (indicator_id, entry.year, entry.quarter)
        try:
            _claim(key, seen, facts, entry.expected_version, stored, at)
        except DomainError as error:
            errors.append(error)
            continue
        checked.append(Checked(indicator_id, entry.year, entry.quarter, value, None, note, key not in stored.versions))
    return checked, errors


def _entered(
    entry: RealisationEntry | MonthlyEntry,
    indicators: Mapping[int, IndicatorFacts],
    frequency: ReportingFrequency,
    check_period: Callable[[], None],
    at: str,
) -> tuple[int, IndicatorFacts, Decimal, str]:
    """A realisation row's indicator, value and note; or its first error, at its field."""
    indicator_id, facts = _writable(entry.indicator_id, indicators, at)
    _entered_per(facts, frequency, at)
    field = "year"
    try:
        check_year(entry.year)
        field = "month" if isinstance(entry, MonthlyEntry) else "quarter"
        check_period()
        field = "note"
        note = check_text(entry.note, max_length=MAX_NOTE_LENGTH, required=False)
        field = "grade" if entry.grade is not None else "value"
        field, value = _measured(entry.value, entry.grade, facts)
        check_value(value, allow_negative=facts.allow_negative)
    except DomainError as error:
        raise error.at(f"{at}.{field}") from error
    return indicator_id, facts, value, note


def _entered_per(facts: IndicatorFacts, frequency: ReportingFrequency, at: str) -> None:
    """A realisation is typed in only where it is not computed: a computed indicator's comes
    from its children, a monthly indicator's quarter from its months."""
    if facts.rollup_from_children is not RollupFromChildren.NONE:
        raise DomainError(
            "COMPUTED_INDICATOR",
            "Realisasi indikator ini dihitung dari indikator turunannya, tidak diisi langsung.",
            f"{at}.indicatorId",
        )
    if facts.reporting_frequency is frequency:
        return
    if facts.reporting_frequency is ReportingFrequency.MONTHLY:
        raise DomainError(
            "MONTHLY_INDICATOR",
            "Indikator ini dilaporkan bulanan: isi realisasi tiap bulan (submitMonthlyRealisations); "
            "realisasi triwulan dihitung dari bulan-bulannya.",
            f"{at}.quarter",
        )
    raise DomainError(
        "QUARTERLY_INDICATOR",
        "Indikator ini dilaporkan per triwulan: isi realisasi triwulan (submitRealisations).",
        f"{at}.month",
    )


MonthKey = tuple[int, int, int]  # indicator, year, month


@dataclass(frozen=True)
class CheckedMonth:
    """A month's realisation that passed its checks."""

    indicator_id: int
    year: int
    month: int
    value: Decimal
    note: str
    is_new: bool = True

    @property
    def key(self) -> MonthKey:
        return (self.indicator_id, self.year, self.month)

    @property
    def quarter(self) -> int:
        return quarter_of(self.month)


def check_monthly_realisations(
    entries: Sequence[MonthlyEntry],
    indicators: Mapping[int, IndicatorFacts],
    stored: Context,
    month_versions: Mapping[MonthKey, int],
    field_name: str = "realisations",
) -> tuple[list[CheckedMonth], list[DomainError]]:
    """The rules of quarterly realisations, per month: editable while the report of the month's
    quarter is (the quarter's figure is part of that report), versions checked per month. Errors
    name `field_name`.N (the input list the rows came in)."""
    checked: list[CheckedMonth] = []
    errors = _check_batch_size(len(entries), field_name)
    seen: set[MonthKey] = set()
    for index, entry in enumerate(entries):
        at = f"{field_name}.{index}"
        try:
            period = functools.partial(check_month, entry.month)
            indicator_id, facts, value, note = _entered(entry, indicators, ReportingFrequency.MONTHLY, period, at)
        except DomainError as error:
            errors.append(error)
            continue
        key = (indicator_id, entry.year, entry.month)
        try:
            if key in seen:
                raise DomainError("DUPLICATE_ROW", "Baris untuk indikator dan bulan ini sudah ada di kiriman.", at)
            seen.add(key)
            check_report_open(facts, entry.year, quarter_of(entry.month), stored, at)
            check_version(month_versions.get(key), entry.expected_version, at)
        except DomainError as error:
            errors.append(error)
            continue
        checked.append(CheckedMonth(indicator_id, entry.year, entry.month, value, note, key not in month_versions))
    return checked, errors


def check_targets(
    entries: Sequence[TargetEntry], indicators: Mapping[int, IndicatorFacts], stored: Context
) -> tuple[list[Checked], list[DomainError]]:
    checked: list[Checked] = []
    errors = _check_batch_size(len(entries), "targets")
    seen: set[ValueKey] = set()
    for index, entry in enumerate(entries):
        at = f"targets.{index}"
        try:
            indicator_id, facts = _writable(entry.indicator_id, indicators, at)
        except DomainError as error:
            errors.append(error)
            continue
        field = "year"
        try:
            check_year(entry.year)
            field = "quarter"
            check_quarter(entry.quarter, allow_year=True)
            field = "grade" if entry.grade is not None else "value"
            field, value = _measured(entry.value, entry.grade, facts)
            is_range = facts.method is AchievementMethod.RANGE
            check_target(value, allow_negative=facts.allow_negative, zero_allowed=is_range)
            field = "high"
            high = _checked_high(entry.high, value, is_range, facts.allow_negative)
        except DomainError as error:
            errors.append(error.at(f"{at}.{field}"))
            continue
        target_key = (indicator_id, entry.year, entry.quarter)
        try:
            _claim(target_key, seen, facts, entry.expected_version, stored, at)
        except DomainError as error:
            errors.append(error)
            continue
        checked.append(
            Checked(indicator_id, entry.year, entry.quarter, value, high, "", target_key not in stored.versions)
        )
    return checked, errors


def _checked_high(high: Decimal | None, low: Decimal, is_range: bool, allow_negative: bool) -> Decimal | None:
    if not is_range:
        if high is not None:
            raise InvalidValue("NOT_RANGE", "Batas atas hanya untuk indikator bermetode RANGE.")
        return None
    if high is None:
        raise InvalidValue("REQUIRED", "Indikator RANGE memerlukan batas atas target.")
    check_value(high, allow_negative=allow_negative)
    if high < low:
        raise InvalidValue("INVALID_RANGE", "Batas atas target harus lebih besar atau sama dengan batas bawah.")
    return high
