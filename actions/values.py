"""Targets and realisations, written in batches: all-or-nothing, idempotent under a key, only
while the covering report is editable, never over a version the caller did not see, audited,
with the aggregates they reach refreshed in the same transaction (store.writes)."""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy.ext.asyncio import AsyncConnection

from actions import audit, idempotency
from actions.caller import Caller
from actions.monthly import WrittenMonths, submit_monthly_realisations
from domain.entries import (
    Checked,
    Context,
    IndicatorFacts,
    MonthlyEntry,
    RealisationEntry,
    TargetEntry,
    check_realisations,
    check_targets,
)
from domain.errors import DomainError, DomainErrors
from policies.paths import province_code
from store import agreements, writes
from store import audit as audit_log
from store.aggregates import AggregateWindow
from store.indicators import indicator_facts
from store.reports import ReportKey, reports_by_keys
from store.writes import REALISATIONS, TARGETS, ValueTable, WriteConflict

# The months of a batch are claimed under the batch's key and this suffix: one key, two lists.
MONTHS_KEY_SUFFIX = "#bulanan"

Check = Callable[[dict[int, IndicatorFacts], Context], tuple[list[Checked], list[DomainError]]]


@dataclass(frozen=True)
class WrittenBatch:
    rows: list[Checked]  # as written (or, replayed, as the first request with its key wrote them)
    replayed: bool  # an earlier request with the same idempotency key is answered again
    months: WrittenMonths | None = None  # months of monthly indicators written in the same batch


async def submit_realisations(
    conn: AsyncConnection,
    *,
    caller: Caller,
    window: AggregateWindow,
    entries: Sequence[RealisationEntry],
    idempotency_key: str | None,
    months: Sequence[MonthlyEntry] = (),
) -> WrittenBatch:
    """Quarters, and the months of indicators that report monthly, in one all-or-nothing batch
    (a unit's form holds both): every error of both lists is found before anything stays."""
    errors: list[DomainError] = []
    written = WrittenBatch([], replayed=False)
    if entries or not months:
        try:
            written = await _write_batch(
                conn,
                caller=caller,
                window=window,
                table=REALISATIONS,
                operation="submitRealisations",
                idempotency_key=idempotency_key,
                entries=entries,
                check=lambda facts, stored: check_realisations(entries, facts, stored),
            )
        except DomainErrors as failed:
            errors += failed.errors
    if not months:
        if errors:
            raise DomainErrors(errors)
        return written
    try:
        key = None if idempotency_key is None else f"{idempotency_key}{MONTHS_KEY_SUFFIX}"
        in_months = await submit_monthly_realisations(
            conn, caller=caller, window=window, entries=months, idempotency_key=key, field_name="months"
        )
    except DomainErrors as failed:
        errors += failed.errors
    if errors:
        raise DomainErrors(errors)
    return WrittenBatch(written.rows, written.replayed or in_months.replayed, in_months)


async def set_targets(
    conn: AsyncConnection,
    *,
    caller: Caller,
    window: AggregateWindow,
    entries: Sequence[TargetEntry],
    idempotency_key: str | None,
) -> WrittenBatch:
    await _refuse_signed_targets(conn, entries)
    return await _write_batch(
        conn,
        caller=caller,
        window=window,
        table=TARGETS,
        operation="setTargets",
        idempotency_key=idempotency_key,
        entries=entries,
        check=lambda facts, stored: check_targets(entries, facts, stored),
    )


async def _refuse_signed_targets(conn: AsyncConnection, entries: Sequence[TargetEntry]) -> None:
    """An annual target is the target of every signed Perjanjian Kinerja that lists the indicator
    (one source): it changes only through a revision of the agreement (PK Perubahan)."""
    annual = [(n, e.indicator_id, e.year) for n, e in enumerate(entries) if e.quarter is None and e.indicator_id]
    if not annual:
        return
    frozen = await agreements.signed_indicator_years(conn, [(i, y) for _, i, y in annual if i is not None])
    errors = [
        DomainError(
            "AGREEMENT_SIGNED",
            f"Target tahun {year} indikator ini tercantum dalam perjanjian kinerja yang sudah ditandatangani; "
            "ubah melalui revisi PK.",
            f"targets.{number}.value",
        )
        for number, indicator_id, year in annual
        if (indicator_id, year) in frozen
    ]
    if errors:
        raise DomainErrors(errors)


async def _write_batch(
    conn: AsyncConnection,
    *,
    caller: Caller,
    window: AggregateWindow,
    table: ValueTable,
    operation: str,
    idempotency_key: str | None,
    entries: Sequence[RealisationEntry | TargetEntry],
    check: Check,
) -> WrittenBatch:
    claimed = await idempotency.claim(conn, idempotency_key, operation, [dict(vars(entry)) for entry in entries])
    if claimed.earlier is not None:
        return WrittenBatch(_replayed(claimed.earlier["rows"]), replayed=True)
    keys = [(e.indicator_id, e.year, e.quarter) for e in entries if e.indicator_id is not None]
    facts = await indicator_facts(conn, caller.viewer, sorted({k[0] for k in keys}))
    report_keys = {ReportKey(facts[i].report_unit_id, y, q) for i, y, q in keys if i in facts}
    reports = await reports_by_keys(conn, sorted(report_keys, key=lambda k: (k.org_unit_id, k.year, k.quarter or 0)))
    existing = await writes.lock_existing(conn, table, [k for k in keys if k[0] in facts])
    stored_context = Context(
        report_states={(k.org_unit_id, k.year, k.quarter): r.state for k, r in reports.items()},
        versions={k: v["version"] for k, v in existing.items()},
    )
    checked, errors = check(facts, stored_context)
    if errors:
        raise DomainErrors(errors)
    try:
        provinces = {indicator_id: province_code(f.unit_path) for indicator_id, f in facts.items()}
        await writes.write_values(conn, window, table, checked, provinces)
    except WriteConflict as conflict:
        raise DomainError("CONFLICT", "Nilai yang sama baru saja dibuat oleh pengguna lain; muat ulang.") from conflict
    stored = _stored(checked)
    await audit_log.append(conn, _audit_entries(caller, table, checked, stored, existing, facts))
    await claimed.record(conn, {"rows": stored})
    return WrittenBatch(checked, replayed=False)


def _stored(rows: Sequence[Checked]) -> list[dict[str, Any]]:
    """The rows as the idempotency record keeps them (JSON: decimals as text)."""
    return [
        {
            "indicator_id": row.indicator_id,
            "year": row.year,
            "quarter": row.quarter,
            "value": str(row.value),
            "high": None if row.high is None else str(row.high),
            "note": row.note,
        }
        for row in rows
    ]


def _replayed(rows: Sequence[dict[str, Any]]) -> list[Checked]:
    return [
        Checked(
            indicator_id=row["indicator_id"],
            year=row["year"],
            quarter=row["quarter"],
            value=Decimal(row["value"]),
            high=None if row["high"] is None else Decimal(row["high"]),
            note=row["note"],
        )
        for row in rows
    ]


def _audit_entries(
    caller: Caller,
    table: ValueTable,
    rows: Sequence[Checked],
    stored_rows: Sequence[dict[str, Any]],
    old: dict[Any, dict[str, Any]],
    facts: dict[int, IndicatorFacts],
) -> list[audit_log.AuditEntry]:
    entries = []
    for row, stored in zip(rows, stored_rows, strict=True):
        before = old.get(row.key)
        entries.append(
            audit.entry(
                caller,
                f"{table.entity}.set",
                entity_id=f"{row.indicator_id}:{row.year}:{row.quarter or 0}",
                scope_path=facts[row.indicator_id].unit_path,
                old=None if before is None else {c: before[c] for c in (*table.columns, "version")},
                new={c: stored[c] for c in table.columns},
            )
        )
    return entries
