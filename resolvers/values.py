"""Batch mutations for targets and realisations: all-or-nothing, idempotent under a key."""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import strawberry
from sqlalchemy.ext.asyncio import AsyncConnection

from domain.entries import (
    Checked,
    IndicatorFacts,
    RealisationEntry,
    TargetEntry,
    check_realisations,
    check_targets,
)
from domain.errors import DomainError
from domain.values import check_text
from resolvers.user_errors import user_errors
from schema.ids import decode_id_of, encode_id
from schema.inputs import (
    SetTargetsInput,
    SetTargetsPayload,
    SubmitRealisationsInput,
    SubmitRealisationsPayload,
    UserError,
    WrittenValue,
)
from schema.types import Info
from store import writes
from store.indicators import indicator_facts

MAX_KEY_LENGTH = 200


@dataclass(frozen=True)
class BatchOutcome:
    rows: list[WrittenValue]
    replayed: bool
    errors: list[UserError]


def _written(rows: Sequence[dict[str, Any]]) -> list[WrittenValue]:
    return [
        WrittenValue(
            indicator_id=strawberry.ID(encode_id("Indicator", row["indicator_id"])),
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


async def _run_batch(
    info: Info,
    *,
    operation: str,
    idempotency_key: str | None,
    fingerprint_of: object,
    indicator_ids: set[int],
    check: Callable[[dict[int, IndicatorFacts]], tuple[list[Checked], list[DomainError]]],
    write: Callable[[AsyncConnection, list[Checked]], Any],
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
        facts = await indicator_facts(conn, context.viewer, sorted(indicator_ids))
        checked, errors = check(facts)
        if errors:
            await transaction.rollback()
            return BatchOutcome([], False, user_errors(errors))
        await write(conn, checked)
        stored = _stored(checked)
        if key is not None:
            await writes.record_idempotent_response(
                conn, key=key, operation=operation, fingerprint=fingerprint, response={"rows": stored}
            )
    return BatchOutcome(_written(stored), False, [])


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
        )
        for row in input.realisations
    ]
    outcome = await _run_batch(
        info,
        operation="submitRealisations",
        idempotency_key=input.idempotency_key,
        fingerprint_of=_fingerprint(entries),
        indicator_ids={e.indicator_id for e in entries if e.indicator_id is not None},
        check=lambda facts: check_realisations(entries, facts),
        write=writes.upsert_realisations,
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
        )
        for row in input.targets
    ]
    outcome = await _run_batch(
        info,
        operation="setTargets",
        idempotency_key=input.idempotency_key,
        fingerprint_of=_fingerprint(entries),
        indicator_ids={e.indicator_id for e in entries if e.indicator_id is not None},
        check=lambda facts: check_targets(entries, facts),
        write=writes.upsert_targets,
    )
    return SetTargetsPayload(targets=outcome.rows, replayed=outcome.replayed, user_errors=outcome.errors)
