"""Writes. Callers run them inside one transaction per mutation (all-or-nothing)."""

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import func, select, text
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncConnection

from domain.entries import Checked
from domain.enums import OrgUnitKind
from store.records import GovernmentRecord, IndicatorRecord, OrgUnitRecord
from store.tables import idempotent_request, indicator, org_unit, realisation, target
from store.values import stored_quarter


async def insert_org_unit(
    conn: AsyncConnection,
    *,
    government: GovernmentRecord,
    parent: OrgUnitRecord | None,
    code: str,
    name: str,
    kind: OrgUnitKind,
    valid_from: date,
    valid_to: date | None,
) -> OrgUnitRecord:
    unit_id = (await conn.execute(select(func.nextval(text("pg_get_serial_sequence('org_unit', 'id')"))))).scalar_one()
    path = f"{parent.path if parent else government.path}{unit_id}/"
    row = (
        await conn.execute(
            insert(org_unit)
            .values(
                id=unit_id,
                government_id=government.id,
                parent_id=parent.id if parent else None,
                code=code,
                name=name,
                kind=kind.value,
                path=path,
                valid_from=valid_from,
                valid_to=valid_to,
            )
            .returning(org_unit)
        )
    ).one()
    return OrgUnitRecord.from_row(row)


async def unit_code_taken(conn: AsyncConnection, *, government_id: int, code: str, valid_from: date) -> bool:
    query = select(org_unit.c.id).where(
        org_unit.c.government_id == government_id,
        org_unit.c.code == code,
        org_unit.c.valid_from == valid_from,
    )
    return (await conn.execute(query)).first() is not None


async def indicator_code_taken(conn: AsyncConnection, *, org_unit_id: int, code: str) -> bool:
    query = select(indicator.c.id).where(indicator.c.org_unit_id == org_unit_id, indicator.c.code == code)
    return (await conn.execute(query)).first() is not None


async def insert_indicator(conn: AsyncConnection, values: dict[str, Any]) -> IndicatorRecord:
    row = (await conn.execute(insert(indicator).values(**values).returning(indicator))).one()
    return IndicatorRecord.from_row(row)


async def upsert_targets(conn: AsyncConnection, rows: Sequence[Checked]) -> None:
    statement = insert(target)
    await conn.execute(
        statement.on_conflict_do_update(
            index_elements=[target.c.indicator_id, target.c.year, target.c.quarter],
            set_={
                "value": statement.excluded.value,
                "high": statement.excluded.high,
                "updated_at": func.now(),
            },
        ),
        [
            {
                "indicator_id": row.indicator_id,
                "year": row.year,
                "quarter": stored_quarter(row.quarter),
                "value": row.value,
                "high": row.high,
            }
            for row in rows
        ],
    )


async def upsert_realisations(conn: AsyncConnection, rows: Sequence[Checked]) -> None:
    statement = insert(realisation)
    await conn.execute(
        statement.on_conflict_do_update(
            index_elements=[realisation.c.indicator_id, realisation.c.year, realisation.c.quarter],
            set_={
                "value": statement.excluded.value,
                "note": statement.excluded.note,
                "version": realisation.c.version + 1,
                "updated_at": func.now(),
            },
        ),
        [
            {
                "indicator_id": row.indicator_id,
                "year": row.year,
                "quarter": row.quarter,
                "value": row.value,
                "note": row.note,
            }
            for row in rows
        ],
    )


def request_hash(payload: object) -> str:
    canonical = json.dumps(payload, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(canonical.encode()).hexdigest()


@dataclass(frozen=True)
class EarlierRequest:
    same_request: bool
    response: dict[str, Any]


async def claim_idempotency_key(
    conn: AsyncConnection, *, key: str, operation: str, fingerprint: str
) -> EarlierRequest | None:
    """Serialise requests carrying one key (transaction-scoped advisory lock) and return what an
    earlier request with that key answered, if any."""
    await conn.execute(select(func.pg_advisory_xact_lock(func.hashtextextended(key, 0))))
    row = (
        await conn.execute(
            select(
                idempotent_request.c.operation,
                idempotent_request.c.request_hash,
                idempotent_request.c.response,
            ).where(idempotent_request.c.key == key)
        )
    ).first()
    if row is None:
        return None
    same = row.operation == operation and row.request_hash == fingerprint
    return EarlierRequest(same_request=same, response=row.response)


async def record_idempotent_response(
    conn: AsyncConnection, *, key: str, operation: str, fingerprint: str, response: dict[str, Any]
) -> None:
    await conn.execute(
        insert(idempotent_request).values(key=key, operation=operation, request_hash=fingerprint, response=response)
    )
