"""Batch mutations for targets and realisations: all-or-nothing, idempotent under a key, only
while the covering report is editable, never over a version the caller did not see, audited."""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from domain.entries import (
    Checked,
    Context,
    IndicatorFacts,
    RealisationEntry,
    TargetEntry,
    check_realisations,
    check_targets,
)
from domain.errors import DomainError
from domain.values import check_text
from policies.paths import province_code
from resolvers.user_errors import user_errors
from schema.ids import decode_id_of
from schema.inputs import (
    SetTargetsInput,
    SetTargetsPayload,
    SubmitRealisationsInput,
    SubmitRealisationsPayload,
    UserError,
    WrittenValue,
)
from schema.types import Info
from store import aggregates, audit, writes
from store.indicators import indicator_facts
from store.reports import ReportKey, reports_by_keys
from store.writes import REALISATIONS, TARGETS, ValueTable, WriteConflict

MAX_KEY_LENGTH = 200
Check = Callable[[dict[int, IndicatorFacts], Context], tuple[list[Checked], list[DomainError]]]


@dataclass(frozen=True)
class BatchOutcome:
    rows: list[WrittenValue]
    replayed: bool
    errors: list[UserError]


def _written(rows: Sequence[dict[str, Any]]) -> list[WrittenValue]:
    return [
        WrittenValue(
            indicator_pk=row["indicator_id"],
            year=row["year"],
            quarter=row["quarter"],
            value=Decimal(row["value"]),
            high=None if row["high"] is None else Decimal(row["high"]),
            note=row["note"],
        )
        for row in rows
    ]


def _stored(rows: Sequence[Checked]) -> list[dict[str, Any]]:
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


def _audit_entries(
    info: Info,
    table: ValueTable,
    rows: Sequence[Checked],
    stored_rows: Sequence[dict[str, Any]],
    old: dict[Any, dict[str, Any]],
    facts: dict[int, IndicatorFacts],
) -> list[audit.AuditEntry]:
    entries = []
    for row, stored in zip(rows, stored_rows, strict=True):
        before = old.get(row.key)
        entries.append(
            audit.AuditEntry(
                actor=info.context.actor,
                request_id=info.context.request_id,
                action=f"{table.entity}.set",
                entity_type=table.entity,
                entity_id=f"{row.indicator_id}:{row.year}:{row.quarter or 0}",
                scope_path=facts[row.indicator_id].unit_path,
                old=None if before is None else {c: before[c] for c in (*table.columns, "version")},
                new={c: stored[c] for c in table.columns},
            )
        )
    return entries


async def _run_batch(
    info: Info,
    *,
    table: ValueTable,
    operation: str,
    idempotency_key: str | None,
    fingerprint_of: object,
    keys: list[tuple[int, int, int | None]],
    check: Check,
) -> BatchOutcome:
    context = info.context
    key = None
    if idempotency_key is not None:
        try:
            key = check_text(idempotency_key, max_length=MAX_KEY_LENGTH)
        except DomainError as error:
            return BatchOutcome([], False, user_errors([error.at("idempotencyKey")]))
    fingerprint = writes.request_hash(fingerprint_of)
    async with context.services.engine.connect() as conn, conn.begin() as transaction:
        if key is not None:
            earlier = await writes.claim_idempotency_key(conn, key=key, operation=operation, fingerprint=fingerprint)
            if earlier is not None:
                if not earlier.same_request:
                    reused = DomainError(
                        "IDEMPOTENCY_KEY_REUSED",
                        "Kunci idempoten ini sudah dipakai untuk permintaan lain.",
                        "idempotencyKey",
                    )
                    return BatchOutcome([], False, user_errors([reused]))
                return BatchOutcome(_written(earlier.response["rows"]), True, [])
        facts = await indicator_facts(conn, context.viewer, sorted({k[0] for k in keys}))
        report_keys = {ReportKey(facts[i].report_unit_id, y, q) for i, y, q in keys if i in facts}
        reports = await reports_by_keys(
            conn, sorted(report_keys, key=lambda k: (k.org_unit_id, k.year, k.quarter or 0))
        )
        existing = await writes.lock_existing(conn, table, [k for k in keys if k[0] in facts])
        stored_context = Context(
            report_states={(k.org_unit_id, k.year, k.quarter): r.state for k, r in reports.items()},
            versions={k: v["version"] for k, v in existing.items()},
        )
        checked, errors = check(facts, stored_context)
        if errors:
            await transaction.rollback()
            return BatchOutcome([], False, user_errors(errors))
        try:
            provinces = {indicator_id: province_code(f.unit_path) for indicator_id, f in facts.items()}
            await writes.write_values(conn, table, checked, provinces)
        except WriteConflict:
            await transaction.rollback()
            conflict = DomainError("CONFLICT", "Nilai yang sama baru saja dibuat oleh pengguna lain; muat ulang.")
            return BatchOutcome([], False, user_errors([conflict]))
        await aggregates.refresh_for_indicators(
            conn,
            context.services.window,
            [r.indicator_id for r in checked],
            [r.year for r in checked],
            _realisation_quarters(table, checked),
        )
        stored = _stored(checked)
        await audit.append(conn, _audit_entries(info, table, checked, stored, existing, facts))
        if key is not None:
            await writes.record_idempotent_response(
                conn, key=key, operation=operation, fingerprint=fingerprint, response={"rows": stored}
            )
    return BatchOutcome(_written(stored), False, [])


def _realisation_quarters(table: ValueTable, rows: Sequence[Checked]) -> set[int] | None:
    """What a refresh needs to know of the batch's periods: the quarters of its realisations;
    None for targets, which can reach any period (a quarter's target stands in for a missing
    annual one and the reverse: the Q4 target is the year's when none is set)."""
    if table is REALISATIONS:
        return {r.quarter for r in rows if r.quarter is not None}
    return None


def _fingerprint(rows: Sequence[object]) -> list[dict[str, object]]:
    return [dict(vars(row)) for row in rows]


async def submit_realisations(info: Info, input: SubmitRealisationsInput) -> SubmitRealisationsPayload:
    entries = [
        RealisationEntry(
            indicator_id=decode_id_of(row.indicator_id, "Indicator"),
            year=row.year,
            quarter=row.quarter,
            value=row.value,
            grade=row.grade,
            note=row.note,
            expected_version=row.expected_version,
        )
        for row in input.realisations
    ]
    outcome = await _run_batch(
        info,
        table=REALISATIONS,
        operation="submitRealisations",
        idempotency_key=input.idempotency_key,
        fingerprint_of=_fingerprint(entries),
        keys=[(e.indicator_id, e.year, e.quarter) for e in entries if e.indicator_id is not None],
        check=lambda facts, stored: check_realisations(entries, facts, stored),
    )
    return SubmitRealisationsPayload(realisations=outcome.rows, replayed=outcome.replayed, user_errors=outcome.errors)


async def set_targets(info: Info, input: SetTargetsInput) -> SetTargetsPayload:
    entries = [
        TargetEntry(
            indicator_id=decode_id_of(row.indicator_id, "Indicator"),
            year=row.year,
            quarter=row.quarter,
            value=row.value,
            high=row.high,
            grade=row.grade,
            expected_version=row.expected_version,
        )
        for row in input.targets
    ]
    outcome = await _run_batch(
        info,
        table=TARGETS,
        operation="setTargets",
        idempotency_key=input.idempotency_key,
        fingerprint_of=_fingerprint(entries),
        keys=[(e.indicator_id, e.year, e.quarter) for e in entries if e.indicator_id is not None],
        check=lambda facts, stored: check_targets(entries, facts, stored),
    )
    return SetTargetsPayload(targets=outcome.rows, replayed=outcome.replayed, user_errors=outcome.errors)
