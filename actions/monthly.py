"""Monthly realisations of indicators that report monthly (issue 20): written like quarterly
ones (all-or-nothing, idempotent under a key, only while the quarter's report is editable,
never over a version the caller did not see, audited), and in the same transaction each
quarter whose months are complete is derived into `realisation` (domain/months.py), which
refreshes the aggregates it reaches: every quarterly rule, achievement and rollup reads it as
a quarterly realisation."""

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy.ext.asyncio import AsyncConnection

from actions import audit, idempotency
from actions.caller import Caller
from domain.entries import Checked, CheckedMonth, Context, IndicatorFacts, MonthlyEntry, check_monthly_realisations
from domain.enums import ReportingFrequency
from domain.errors import DomainError, DomainErrors
from domain.months import check_month, month_name, quarter_from_months, quarter_note, quarter_of
from domain.periods import FIRST_YEAR, LAST_YEAR
from policies.paths import province_code
from store import audit as audit_log
from store import monthly, writes
from store.aggregates import AggregateWindow
from store.indicators import indicator_facts
from store.monthly import MonthConflict, QuarterKey
from store.reports import ReportKey, reports_by_keys
from store.writes import REALISATIONS, WriteConflict

OPERATION = "submitMonthlyRealisations"


def month_entity(indicator_id: int, year: int, month: int) -> str:
    """A month's audit entity id, `<indicator>:<year>:M<mm>`: never a quarter's `<indicator>:<year>:<q>`."""
    return f"{indicator_id}:{year}:M{month:02d}"


@dataclass(frozen=True)
class WrittenMonths:
    months: list[CheckedMonth]  # as written (or, replayed, as the first request with its key wrote them)
    quarters: list[Checked]  # the quarters derived anew from their months by this write
    replayed: bool


async def submit_monthly_realisations(
    conn: AsyncConnection,
    *,
    caller: Caller,
    window: AggregateWindow,
    entries: Sequence[MonthlyEntry],
    idempotency_key: str | None,
    field_name: str = "realisations",
) -> WrittenMonths:
    """`field_name`: the input list the rows came in (`months` of submitRealisations)."""
    claimed = await idempotency.claim(conn, idempotency_key, OPERATION, [dict(vars(entry)) for entry in entries])
    if claimed.earlier is not None:
        return _replayed(claimed.earlier)
    keys = [(e.indicator_id, e.year, e.month) for e in entries if e.indicator_id is not None]
    facts = await indicator_facts(conn, caller.viewer, sorted({k[0] for k in keys}))
    # Rows naming no month of a known indicator are refused by the checks; only the others are read.
    known = [k for k in keys if k[0] in facts and FIRST_YEAR <= k[1] <= LAST_YEAR and 1 <= k[2] <= 12]
    report_keys = {ReportKey(facts[i].report_unit_id, y, quarter_of(m)) for i, y, m in known}
    reports = await reports_by_keys(conn, sorted(report_keys, key=lambda k: (k.org_unit_id, k.year, k.quarter or 0)))
    existing = await monthly.lock_months(conn, known)
    context = Context(
        report_states={(k.org_unit_id, k.year, k.quarter): r.state for k, r in reports.items()}, versions={}
    )
    checked, errors = check_monthly_realisations(
        entries, facts, context, {k: row["version"] for k, row in existing.items()}, field_name
    )
    if errors:
        raise DomainErrors(errors)
    provinces = {indicator_id: province_code(f.unit_path) for indicator_id, f in facts.items()}
    try:
        await monthly.write_months(conn, checked, provinces)
        quarters = await _derive_quarters(conn, window, facts, {(m.indicator_id, m.year, m.quarter) for m in checked})
    except (MonthConflict, WriteConflict) as conflict:
        raise DomainError("CONFLICT", "Nilai yang sama baru saja dibuat oleh pengguna lain; muat ulang.") from conflict
    await audit_log.append(conn, _month_audit(caller, checked, existing, facts) + quarters.audit(caller, facts))
    written = WrittenMonths(checked, quarters.rows, replayed=False)
    await claimed.record(conn, _stored(written))
    return written


@dataclass(frozen=True)
class DerivedQuarters:
    rows: list[Checked]
    before: dict[Any, dict[str, Any]]

    def audit(self, caller: Caller, facts: dict[int, IndicatorFacts]) -> list[audit_log.AuditEntry]:
        return [
            audit.entry(
                caller,
                "realisation.derive",
                entity_id=f"{row.indicator_id}:{row.year}:{row.quarter}",
                scope_path=facts[row.indicator_id].unit_path,
                old=None if (old := self.before.get(row.key)) is None else {"value": old["value"], "note": old["note"]},
                new={"value": str(row.value), "note": row.note},
            )
            for row in self.rows
        ]


async def _derive_quarters(
    conn: AsyncConnection, window: AggregateWindow, facts: dict[int, IndicatorFacts], quarters: set[QuarterKey]
) -> DerivedQuarters:
    """Write each quarter whose months now make a figure, where the figure or its note changed."""
    months = await monthly.months_of_quarters(conn, sorted(quarters))
    figures = []
    for key in sorted(quarters):
        indicator_id, _year, quarter = key
        stored = months.get(key, {})
        value = quarter_from_months(
            {m: v for m, (v, _) in stored.items()}, quarter, facts[indicator_id].period_aggregation
        )
        if value is not None:
            figures.append((key, value, quarter_note({m: n for m, (_, n) in stored.items()}, quarter)))
    before = await writes.lock_existing(conn, REALISATIONS, [key for key, _, _ in figures])
    rows = [
        Checked(*key, value=value, high=None, note=note, is_new=key not in before)
        for key, value, note in figures
        if key not in before or (before[key]["value"], before[key]["note"]) != (value, note)
    ]
    if rows:
        provinces = {row.indicator_id: province_code(facts[row.indicator_id].unit_path) for row in rows}
        await writes.write_values(conn, window, REALISATIONS, rows, provinces)
    return DerivedQuarters(rows, before)


def _month_audit(
    caller: Caller,
    rows: Sequence[CheckedMonth],
    before: dict[Any, dict[str, Any]],
    facts: dict[int, IndicatorFacts],
) -> list[audit_log.AuditEntry]:
    return [
        audit.entry(
            caller,
            "monthly_realisation.set",
            entity_id=month_entity(row.indicator_id, row.year, row.month),
            scope_path=facts[row.indicator_id].unit_path,
            old=None if (old := before.get(row.key)) is None else {c: old[c] for c in ("value", "note", "version")},
            new={"value": str(row.value), "note": row.note},
        )
        for row in rows
    ]


def _stored(written: WrittenMonths) -> dict[str, Any]:
    """The answer as the idempotency record keeps it (JSON: decimals as text)."""
    return {
        "months": [
            {"indicator_id": m.indicator_id, "year": m.year, "month": m.month, "value": str(m.value), "note": m.note}
            for m in written.months
        ],
        "quarters": [
            {
                "indicator_id": q.indicator_id,
                "year": q.year,
                "quarter": q.quarter,
                "value": str(q.value),
                "note": q.note,
            }
            for q in written.quarters
        ],
    }


def _replayed(earlier: dict[str, Any]) -> WrittenMonths:
    months = [
        CheckedMonth(m["indicator_id"], m["year"], m["month"], Decimal(m["value"]), m["note"])
        for m in earlier["months"]
    ]
    quarters = [
        Checked(q["indicator_id"], q["year"], q["quarter"], Decimal(q["value"]), None, q["note"])
        for q in earlier["quarters"]
    ]
    return WrittenMonths(months, quarters, replayed=True)


@dataclass(frozen=True)
class MonthCorrection:
    """A reviewer's correction of one month of an indicator that reports monthly."""

    indicator_id: int
    year: int
    quarter: int
    month: int | None
    value: Decimal
    reason: str
    expected_version: int


async def correct_month(
    conn: AsyncConnection,
    *,
    caller: Caller,
    window: AggregateWindow,
    facts: IndicatorFacts,
    correction: MonthCorrection,
) -> None:
    """Correct the month (its value before kept, with the reason), then derive its quarter again:
    a changed quarter figure is a correction of the quarter too, with the same reason."""
    month, quarter = correction.month, correction.quarter
    if facts.reporting_frequency is not ReportingFrequency.MONTHLY:
        raise DomainError("QUARTERLY_INDICATOR", "Indikator ini dilaporkan per triwulan: koreksi tanpa bulan.", "month")
    if month is None:
        raise DomainError(
            "MONTHLY_INDICATOR", "Indikator ini dilaporkan bulanan: sebutkan bulan yang dikoreksi.", "month"
        )
    try:
        check_month(month)
    except DomainError as error:
        raise error.at("month") from error
    if quarter_of(month) != quarter:
        raise DomainError(
            "MONTH_NOT_IN_QUARTER", f"Bulan {month_name(month)} bukan bagian triwulan {quarter}.", "month"
        )
    key = (correction.indicator_id, correction.year, month)
    existing = (await monthly.lock_months(conn, [key])).get(key)
    if existing is None:
        raise DomainError("NOT_FOUND", f"Belum ada realisasi bulan {month_name(month)} untuk dikoreksi.", "month")
    if existing["version"] != correction.expected_version:
        raise DomainError(
            "CONFLICT", f"Nilai sudah berubah (versi {existing['version']}); muat ulang.", "expectedVersion"
        )
    await monthly.correct_month(conn, key=key, value=correction.value, reason=correction.reason, by=caller.actor)
    entries = [
        audit.entry(
            caller,
            "monthly_realisation.correct",
            entity_id=month_entity(key[0], key[1], month),
            scope_path=facts.unit_path,
            old={"value": existing["value"], "version": existing["version"]},
            new={"value": correction.value},
            reason=correction.reason,
        )
    ]
    quarter_key = (correction.indicator_id, correction.year, quarter)
    stored = (await monthly.months_of_quarters(conn, [quarter_key])).get(quarter_key, {})
    figure = quarter_from_months({m: v for m, (v, _) in stored.items()}, quarter, facts.period_aggregation)
    before = (await writes.lock_existing(conn, REALISATIONS, [quarter_key])).get(quarter_key)
    if figure is not None and before is not None and before["value"] != figure:
        reason = f"{month_name(month)}: {correction.reason}"
        await writes.correct_realisation(conn, window, key=quarter_key, value=figure, reason=reason, by=caller.actor)
        entries.append(
            audit.entry(
                caller,
                "realisation.correct",
                entity_id=f"{quarter_key[0]}:{quarter_key[1]}:{quarter}",
                scope_path=facts.unit_path,
                old={"value": before["value"], "version": before["version"]},
                new={"value": figure},
                reason=reason,
            )
        )
    await audit_log.append(conn, entries)
