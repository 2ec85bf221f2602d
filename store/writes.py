"""Writes. Callers (actions/) run them inside one transaction per mutation (all-or-nothing).

A write that changes what achievements are computed from (values, indicators) refreshes the
rollup aggregates it reaches itself, in the same transaction, so no caller can forget to.
"""

import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import BigInteger, SmallInteger, Table, bindparam, func, literal, select, text, update
from sqlalchemy.dialects.postgresql import ARRAY, insert
from sqlalchemy.ext.asyncio import AsyncConnection

from domain.entries import Checked
from domain.enums import OrgUnitKind
from domain.workflow import reporting_unit_id
from policies.paths import province_code
from store.aggregates import AggregateWindow, refresh, refresh_for_indicators, report_units_affected
from store.batches import unnested
from store.records import INDICATOR, ORG_UNIT, GovernmentRecord, IndicatorRecord, OrgUnitRecord
from store.tables import idempotent_request, indicator, indicator_definition, org_unit, realisation, target
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
                province_code=province_code(path),
                government_id=government.id,
                parent_id=parent.id if parent else None,
                code=code,
                name=name,
                kind=kind.value,
                path=path,
                valid_from=valid_from,
                valid_to=valid_to,
                report_unit_id=reporting_unit_id(path, government.path),
            )
            .returning(*ORG_UNIT.columns(org_unit))
        )
    ).one()
    return ORG_UNIT.read(row)


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


async def insert_indicator(conn: AsyncConnection, window: AggregateWindow, values: dict[str, Any]) -> IndicatorRecord:
    row = (await conn.execute(insert(indicator).values(**values).returning(*INDICATOR.columns(indicator)))).one()
    record = INDICATOR.read(row)
    # A new indicator counts (as missing) in every kept year of its unit and its computed parents.
    await refresh_for_indicators(conn, window, [record.id], window.years())
    return record


@dataclass(frozen=True)
class ValueTable:
    """Targets and realisations are written alike: keyed by indicator, year and quarter, versioned."""

    table: Table
    columns: tuple[str, ...]  # the written columns besides the key
    entity: str

    def row(self, checked: Checked, province: str) -> dict[str, Any]:
        values = {"value": checked.value, "high": checked.high, "note": checked.note}
        key = {
            "indicator_id": checked.indicator_id,
            "year": checked.year,
            "quarter": stored_quarter(checked.quarter),
            "province_code": province,
        }
        return {**key, **{column: values[column] for column in self.columns}}


TARGETS = ValueTable(target, ("value", "high"), "target")
REALISATIONS = ValueTable(realisation, ("value", "note"), "realisation")


class WriteConflict(Exception):
    """Another transaction created one of the values first: nothing of this batch is written."""


async def lock_existing(
    conn: AsyncConnection, table: ValueTable, keys: Sequence[tuple[int, int, int | None]]
) -> dict[tuple[int, int, int | None], dict[str, Any]]:
    """The stored rows of a batch, locked until commit, so versions checked stay the versions written."""
    if not keys:
        return {}
    t = table.table
    # Three array parameters rather than one bind parameter per key: a 5,000-row batch would
    # otherwise send (and make psycopg re-parse) a statement with 15,000 parameters.
    wanted = (
        func.unnest(
            literal([k[0] for k in keys], ARRAY(BigInteger)),
            literal([k[1] for k in keys], ARRAY(SmallInteger)),
            literal([stored_quarter(k[2]) for k in keys], ARRAY(SmallInteger)),
        )
        .table_valued("indicator_id", "year", "quarter")
        .render_derived(name="wanted")
    )
    query = (
        select(t.c.indicator_id, t.c.year, t.c.quarter, t.c.version, *(t.c[c] for c in table.columns))
        .join(
            wanted,
            (t.c.indicator_id == wanted.c.indicator_id)
            & (t.c.year == wanted.c.year)
            & (t.c.quarter == wanted.c.quarter),
        )
        .with_for_update(of=t)
    )
    found = {}
    for row in await conn.execute(query):
        m = dict(row._mapping)
        found[(m["indicator_id"], m["year"], None if m["quarter"] == 0 else m["quarter"])] = m
    return found


async def write_values(
    conn: AsyncConnection,
    window: AggregateWindow,
    table: ValueTable,
    rows: Sequence[Checked],
    provinces: Mapping[int, str],
) -> None:
    """Insert new rows and update changed ones, then refresh the aggregates they reach;
    `provinces` gives each indicator's province code."""
    t = table.table
    new = [table.row(r, provinces[r.indicator_id]) for r in rows if r.is_new]
    if new:
        columns = ("indicator_id", "year", "quarter", "province_code", *table.columns)
        inserting = insert(t).from_select(columns, unnested(t, columns, new)).on_conflict_do_nothing()
        inserted = (await conn.execute(inserting.returning(t.c.indicator_id))).all()
        if len(inserted) != len(new):
            raise WriteConflict
    changed = [table.row(r, provinces[r.indicator_id]) for r in rows if not r.is_new]
    if changed:
        key = ("indicator_id", "year", "quarter", "province_code")
        statement = (
            update(t)
            .where(*(t.c[k] == bindparam(f"k_{k}") for k in key))
            .values(
                {c: bindparam(f"v_{c}") for c in table.columns} | {"version": t.c.version + 1, "updated_at": func.now()}
            )
        )
        await conn.execute(
            statement,
            [{f"k_{k}": r[k] for k in key} | {f"v_{c}": r[c] for c in table.columns} for r in changed],
        )
    years = [r.year for r in rows]
    await refresh_for_indicators(
        conn, window, [r.indicator_id for r in rows], years, _realisation_quarters(table, rows)
    )


def _realisation_quarters(table: ValueTable, rows: Sequence[Checked]) -> set[int] | None:
    """What a refresh needs to know of the batch's periods: the quarters of its realisations;
    None for targets, which can reach any period (a quarter's target stands in for a missing
    annual one and the reverse: the Q4 target is the year's when none is set)."""
    if table is REALISATIONS:
        return {r.quarter for r in rows if r.quarter is not None}
    return None


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


def correction_of(table: Table, value: Decimal, reason: str, by: str) -> dict[str, Any]:
    """The columns a reviewer's correction sets on a reported value (a quarter's or a month's):
    the new value, the one it replaced, who, when and why, and the next version."""
    return {
        "value_before_correction": table.c.value,
        "value": value,
        "corrected_by": by,
        "corrected_at": func.now(),
        "correction_reason": reason,
        "version": table.c.version + 1,
        "updated_at": func.now(),
    }


async def correct_realisation(
    conn: AsyncConnection, window: AggregateWindow, *, key: tuple[int, int, int], value: Decimal, reason: str, by: str
) -> None:
    """Replace a locked realisation's value, keeping what it replaced and why; refresh what it reaches."""
    indicator_id, year, quarter = key
    await conn.execute(
        update(realisation)
        .where(realisation.c.indicator_id == indicator_id, realisation.c.year == year, realisation.c.quarter == quarter)
        .values(correction_of(realisation, value, reason, by))
    )
    await refresh_for_indicators(conn, window, [indicator_id], [year], realisation_quarters={quarter})


@dataclass(frozen=True)
class SupersededDefinition:
    """The definition an indicator had, the years it applied to, and why it was replaced."""

    from_year: int
    until_year: int
    values: Mapping[str, Any]  # name, unit_of_measure, polarity, achievement_method, definition, formula, data_source
    replaced_because: str | None
    replaced_by: str


async def supersede_definition(
    conn: AsyncConnection,
    window: AggregateWindow,
    record: IndicatorRecord,
    superseded: SupersededDefinition,
    new_values: Mapping[str, Any],
    *,
    rescored: bool,
) -> IndicatorRecord:
    """Keep the current definition for the years it applied to and put the new one in force from
    the next; when the new one scores differently, the kept years it covers are refreshed."""
    province = (await conn.execute(select(indicator.c.province_code).where(indicator.c.id == record.id))).scalar_one()
    await conn.execute(
        insert(indicator_definition).values(
            province_code=province,
            indicator_id=record.id,
            from_year=superseded.from_year,
            until_year=superseded.until_year,
            replaced_because=superseded.replaced_because,
            replaced_by=superseded.replaced_by,
            **superseded.values,
        )
    )
    row = (
        await conn.execute(
            update(indicator)
            .where(indicator.c.id == record.id)
            .values(definition_from_year=superseded.until_year + 1, **new_values)
            .returning(*INDICATOR.columns(indicator))
        )
    ).one()
    if rescored:
        years = [year for year in window.years() if year > superseded.until_year]
        await refresh_for_indicators(conn, window, [record.id], years)
    return INDICATOR.read(row)


async def set_parent(conn: AsyncConnection, window: AggregateWindow, child_id: int, parent_id: int) -> None:
    """The child now supports `parent_id` (an accepted cascade link): the computed indicators
    above both the old and the new parent count it afresh."""
    previous = (await conn.execute(select(indicator.c.parent_id).where(indicator.c.id == child_id))).scalar_one()
    await conn.execute(update(indicator).where(indicator.c.id == child_id).values(parent_id=parent_id))
    touched = [child_id, parent_id] + ([previous] if previous is not None else [])
    await refresh_for_indicators(conn, window, touched, window.years())


async def retire_indicator(
    conn: AsyncConnection, window: AggregateWindow, indicator_id: int, from_year: int
) -> IndicatorRecord:
    """Retired from `from_year` on: the kept years from then are recounted without it."""
    row = (
        await conn.execute(
            update(indicator)
            .where(indicator.c.id == indicator_id)
            .values(retired_from_year=from_year)
            .returning(*INDICATOR.columns(indicator))
        )
    ).one()
    await refresh_for_indicators(conn, window, [indicator_id], [y for y in window.years() if y >= from_year])
    return INDICATOR.read(row)


async def set_reporting_frequency(conn: AsyncConnection, indicator_id: int, frequency: str) -> IndicatorRecord:
    """How its realisations are entered from now on; values entered either way stay as they are."""
    statement = (
        update(indicator)
        .where(indicator.c.id == indicator_id)
        .values(reporting_frequency=frequency)
        .returning(*INDICATOR.columns(indicator))
    )
    return INDICATOR.read((await conn.execute(statement)).one())


async def move_indicator(
    conn: AsyncConnection, window: AggregateWindow, indicator_id: int, unit: OrgUnitRecord
) -> IndicatorRecord:
    """The indicator now belongs to `unit` (same province): the reporting units it left and the
    ones it joins are recounted for every kept year."""
    left = await report_units_affected(conn, [indicator_id])
    row = (
        await conn.execute(
            update(indicator)
            .where(indicator.c.id == indicator_id)
            .values(org_unit_id=unit.id)
            .returning(*INDICATOR.columns(indicator))
        )
    ).one()
    joined = await report_units_affected(conn, [indicator_id])
    await refresh(conn, report_unit_ids=sorted(set(left) | set(joined)), years=list(window.years()))
    return INDICATOR.read(row)


async def close_units(conn: AsyncConnection, unit_ids: Sequence[int], valid_to: date) -> None:
    """Units of the old structure end on `valid_to` (a SOTK change takes effect the day after)."""
    await conn.execute(update(org_unit).where(org_unit.c.id.in_(list(unit_ids))).values(valid_to=valid_to))


# Old id → new id of each carried indicator: a copy whose parent was carried too supports the
# parent's copy; the copies take the targets from the effective year.
_CARRIED = (
    "WITH carried(old_id, new_id) AS (SELECT * FROM unnest(CAST(:old_ids AS bigint[]), CAST(:new_ids AS bigint[])))"
)
_RELINK_CARRIED = text(
    f"""{_CARRIED}
        UPDATE indicator i SET parent_id = parent.new_id
        FROM carried JOIN indicator old ON old.id = carried.old_id JOIN carried parent ON parent.old_id = old.parent_id
        WHERE i.id = carried.new_id"""
)
_COPY_TARGETS = text(
    f"""{_CARRIED}
        INSERT INTO target (indicator_id, year, quarter, province_code, value, high)
        SELECT carried.new_id, t.year, t.quarter, t.province_code, t.value, t.high
        FROM carried JOIN target t ON t.indicator_id = carried.old_id
        WHERE t.year >= :from_year"""
)


async def carry_indicators(
    conn: AsyncConnection,
    window: AggregateWindow,
    carried: Mapping[int, OrgUnitRecord],
    from_year: int,
) -> dict[int, int]:
    """Each indicator of `carried` (old id → its successor unit) copied into that unit, its
    cascade links kept (to the copy of a carried parent), its targets from `from_year` copied,
    and the old one retired from then: the old structure keeps its history, the new one its
    future. Returns old id → new id. One refresh of the kept aggregates for all of it."""
    if not carried:
        return {}
    old_ids = sorted(carried)
    copied_columns = [c for c in indicator.c if c.name not in ("id", "org_unit_id", "province_code", "parent_id")]
    rows = (await conn.execute(select(indicator).where(indicator.c.id.in_(old_ids)).order_by(indicator.c.id))).all()
    values = [
        {
            **{column.name: getattr(row, column.name) for column in copied_columns},
            "org_unit_id": carried[row.id].id,
            "province_code": province_code(carried[row.id].path),
            "parent_id": None if row.parent_id in carried else row.parent_id,
            "retired_from_year": None,
        }
        for row in rows
    ]
    inserted = (
        (await conn.execute(insert(indicator).returning(indicator.c.id, sort_by_parameter_order=True), values))
        .scalars()
        .all()
    )
    new_of = dict(zip([row.id for row in rows], inserted, strict=True))
    mapping = {"old_ids": list(new_of), "new_ids": list(new_of.values()), "from_year": from_year}
    await conn.execute(_RELINK_CARRIED, mapping)
    await conn.execute(_COPY_TARGETS, mapping)
    old_units = await report_units_affected(conn, old_ids)
    await conn.execute(update(indicator).where(indicator.c.id.in_(old_ids)).values(retired_from_year=from_year))
    new_units = await report_units_affected(conn, list(new_of.values()))
    kept = [year for year in window.years() if year >= from_year]
    await refresh(conn, report_unit_ids=sorted(old_units | new_units), years=kept)
    return new_of
