"""Queries over governments and org units. Every list is filtered by the viewer's scopes in SQL."""

import functools
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import (
    BindParameter,
    Boolean,
    Column,
    ColumnElement,
    Date,
    Executable,
    Label,
    Select,
    and_,
    any_,
    bindparam,
    cast,
    false,
    func,
    null,
    or_,
    select,
    text,
    true,
    union_all,
)
from sqlalchemy.ext.asyncio import AsyncConnection

from domain.enums import GovernmentKind, OrgUnitKind
from policies.permissions import Permission
from policies.scopes import inside, prefix_pattern, within
from policies.viewer import Viewer
from store.records import GOVERNMENT, ORG_UNIT, GovernmentRecord, OrgUnitRecord
from store.tables import ID_ARRAY, government, org_unit


def valid_between(starts_on: date | ColumnElement[date], ends_on: date | ColumnElement[date]) -> ColumnElement[bool]:
    """Units whose validity overlaps [starts_on, ends_on]: the structure of that period."""
    return and_(
        org_unit.c.valid_from <= ends_on,
        or_(org_unit.c.valid_to.is_(None), org_unit.c.valid_to >= starts_on),
    )


def visible_governments(viewer: Viewer) -> Select[tuple[object, ...]]:
    return select(*GOVERNMENT.columns(government)).where(within(viewer, Permission.READ_STRUCTURE, government.c.path))


def visible_units(viewer: Viewer) -> Select[tuple[object, ...]]:
    return select(*ORG_UNIT.columns(org_unit)).where(within(viewer, Permission.READ_STRUCTURE, org_unit.c.path))


async def list_governments(
    conn: AsyncConnection, viewer: Viewer, *, kind: GovernmentKind | None, parent_code: str | None
) -> list[GovernmentRecord]:
    query = visible_governments(viewer).order_by(government.c.code)
    if kind is not None:
        query = query.where(government.c.kind == kind.value)
    if parent_code is not None:
        parent = select(government.c.id).where(government.c.code == parent_code).scalar_subquery()
        query = query.where(government.c.parent_id == parent)
    return [GOVERNMENT.read(row) for row in await conn.execute(query)]


async def governments_by_codes(conn: AsyncConnection, viewer: Viewer, codes: Sequence[str]) -> list[GovernmentRecord]:
    query = visible_governments(viewer).where(government.c.code.in_(codes))
    return [GOVERNMENT.read(row) for row in await conn.execute(query)]


async def governments_by_ids(conn: AsyncConnection, viewer: Viewer, ids: Sequence[int]) -> list[GovernmentRecord]:
    query = _governments_by_ids(viewer.paths(Permission.READ_STRUCTURE))
    return [GOVERNMENT.read(row) for row in await conn.execute(query, {"ids": list(ids)})]


async def governments_by_parent_ids(
    conn: AsyncConnection, viewer: Viewer, parent_ids: Sequence[int]
) -> list[GovernmentRecord]:
    query = visible_governments(viewer).where(government.c.parent_id.in_(parent_ids)).order_by(government.c.code)
    return [GOVERNMENT.read(row) for row in await conn.execute(query)]


async def units_by_ids(conn: AsyncConnection, viewer: Viewer, ids: Sequence[int]) -> list[OrgUnitRecord]:
    query = _units_by_ids(viewer.paths(Permission.READ_STRUCTURE))
    return [ORG_UNIT.read(row) for row in await conn.execute(query, {"ids": list(ids)})]


async def root_units_by_government_ids(
    conn: AsyncConnection, viewer: Viewer, government_ids: Sequence[int], *, starts_on: date, ends_on: date
) -> list[OrgUnitRecord]:
    query = (
        visible_units(viewer)
        .where(org_unit.c.government_id.in_(government_ids), org_unit.c.parent_id.is_(None))
        .where(valid_between(starts_on, ends_on))
        .order_by(org_unit.c.valid_from.desc())
    )
    return [ORG_UNIT.read(row) for row in await conn.execute(query)]


async def child_units_by_parent_ids(
    conn: AsyncConnection, viewer: Viewer, parent_ids: Sequence[int], *, starts_on: date, ends_on: date
) -> list[OrgUnitRecord]:
    query = _child_units(viewer.paths(Permission.READ_STRUCTURE))
    parameters = {"ids": list(parent_ids), "starts_on": starts_on, "ends_on": ends_on}
    return [ORG_UNIT.read(row) for row in await conn.execute(query, parameters)]


# The loaders' statements are built once per set of readable paths, with their keys as one array
# parameter: building a statement and its cache key anew for each batch cost more than running
# it (a nested tree runs five), and IN with a list is rendered again for each number of keys.
@functools.lru_cache(maxsize=512)
def _governments_by_ids(readable: tuple[str, ...] | None) -> Executable:
    return select(*GOVERNMENT.columns(government)).where(
        inside(government.c.path, readable), government.c.id == any_(_ids())
    )


@functools.lru_cache(maxsize=512)
def _units_by_ids(readable: tuple[str, ...] | None) -> Executable:
    return select(*ORG_UNIT.columns(org_unit)).where(inside(org_unit.c.path, readable), org_unit.c.id == any_(_ids()))


@functools.lru_cache(maxsize=512)
def _child_units(readable: tuple[str, ...] | None) -> Executable:
    return (
        select(*ORG_UNIT.columns(org_unit))
        .where(inside(org_unit.c.path, readable), org_unit.c.parent_id == any_(_ids()))
        .where(valid_between(bindparam("starts_on", type_=Date), bindparam("ends_on", type_=Date)))
        .order_by(org_unit.c.code)
    )


def _ids() -> BindParameter[Any]:
    return bindparam("ids", type_=ID_ARRAY)


@dataclass(frozen=True)
class RollupStructure:
    """What the shapes of rollups are made of (store/rollups.py)."""

    # The government scopes and their child governments (a province's kabupaten/kota).
    governments: list[GovernmentRecord]
    # The unit scopes and their children, the government scopes' root units and the children of
    # kabupaten/kota roots, each with whether it is valid in the period.
    units: list[tuple[OrgUnitRecord, bool]]


async def rollup_structure(
    conn: AsyncConnection,
    viewer: Viewer,
    *,
    unit_ids: Sequence[int],
    government_ids: Sequence[int],
    starts_on: date,
    ends_on: date,
) -> RollupStructure:
    """The governments and units the shapes of rollups need, in one statement (every rollup
    request runs it; a second statement for the governments was a round trip of ~0.4 ms)."""
    statement = _rollup_structure(viewer.paths(Permission.READ_STRUCTURE))
    parameters = {
        "unit_ids": list(unit_ids),
        "government_ids": list(government_ids),
        "starts_on": starts_on,
        "ends_on": ends_on,
    }
    structure = RollupStructure([], [])
    for row in await conn.execute(statement, parameters):
        if row.is_government:
            structure.governments.append(GOVERNMENT.read_named(row))
        else:
            structure.units.append((ORG_UNIT.read_named(row), row.is_valid))
    return structure


# The row shape governments and units share in the structure statement.
_SHARED_COLUMNS = ("id", "code", "name", "kind", "parent_id", "path")
_UNIT_COLUMNS = ("government_id", "valid_from", "valid_to")
_GOVERNMENT_COLUMNS = ("achievement_cap", "lower_is_better_method", "quarter_deadline_days", "annual_deadline_days")


@functools.lru_cache(maxsize=512)
def _rollup_structure(readable: tuple[str, ...] | None) -> Executable:
    """Built once per set of readable paths (building and hashing it per request took 2 ms of
    a 14 ms kabupaten/kota rollup); scopes and period are parameters. Governments and units
    share one row shape: the columns one of them lacks are null."""
    unit_ids, government_ids = bindparam("unit_ids", type_=ID_ARRAY), bindparam("government_ids", type_=ID_ARRAY)

    def absent(column: Column[Any]) -> Label[Any]:
        return null().cast(column.type).label(column.name)

    governments = (
        select(
            true().label("is_government"),
            *(government.c[name] for name in _SHARED_COLUMNS),
            *(absent(org_unit.c[name]) for name in _UNIT_COLUMNS),
            null().cast(Boolean).label("is_valid"),
            *(government.c[name] for name in _GOVERNMENT_COLUMNS),
        )
        .where(inside(government.c.path, readable))
        .where(or_(government.c.id == any_(government_ids), government.c.parent_id == any_(government_ids)))
    )
    # An array from an init plan, so that the parent_id index serves this branch too (an IN
    # subquery inside OR became a sequential scan of every unit).
    kabupaten_kota_roots = (
        select(func.array_agg(org_unit.c.id))
        .join(government, government.c.id == org_unit.c.government_id)
        .where(org_unit.c.government_id == any_(government_ids), org_unit.c.parent_id.is_(None))
        .where(government.c.kind != GovernmentKind.PROVINSI.value)
        .scalar_subquery()
    )
    valid = valid_between(bindparam("starts_on", type_=Date), bindparam("ends_on", type_=Date))
    units = (
        select(
            false().label("is_government"),
            *(org_unit.c[name] for name in _SHARED_COLUMNS),
            *(org_unit.c[name] for name in _UNIT_COLUMNS),
            valid.label("is_valid"),
            *(absent(government.c[name]) for name in _GOVERNMENT_COLUMNS),
        )
        .where(inside(org_unit.c.path, readable))
        .where(
            or_(
                org_unit.c.id == any_(unit_ids),
                org_unit.c.parent_id == any_(unit_ids),
                and_(org_unit.c.government_id == any_(government_ids), org_unit.c.parent_id.is_(None)),
                org_unit.c.parent_id == any_(cast(kabupaten_kota_roots, ID_ARRAY)),
            )
        )
    )
    return union_all(governments, units).order_by(text("is_government DESC, code"))


async def unit_with_government(
    conn: AsyncConnection, viewer: Viewer, unit_id: int
) -> tuple[OrgUnitRecord, GovernmentRecord] | None:
    """A visible unit and its government, for writes that check the hierarchy."""
    unit_row = (await conn.execute(visible_units(viewer).where(org_unit.c.id == unit_id))).first()
    if unit_row is None:
        return None
    unit = ORG_UNIT.read(unit_row)
    query = select(*GOVERNMENT.columns(government)).where(government.c.id == unit.government_id)
    return unit, GOVERNMENT.read((await conn.execute(query)).one())


async def descendants_overlapping(conn: AsyncConnection, unit: OrgUnitRecord, starts_on: date) -> list[OrgUnitRecord]:
    """The units below `unit` still valid on or after `starts_on`, parents first."""
    query = (
        select(*ORG_UNIT.columns(org_unit))
        .where(
            org_unit.c.path.like(prefix_pattern(unit.path)),
            org_unit.c.id != unit.id,
            or_(org_unit.c.valid_to.is_(None), org_unit.c.valid_to >= starts_on),
        )
        .order_by(func.length(org_unit.c.path), org_unit.c.path)
    )
    return [ORG_UNIT.read(row) for row in await conn.execute(query)]


async def agencies_of(conn: AsyncConnection, government_id: int, on: date) -> list[OrgUnitRecord]:
    """A government's perangkat daerah valid on a date, by code."""
    query = (
        select(*ORG_UNIT.columns(org_unit))
        .where(
            org_unit.c.government_id == government_id,
            org_unit.c.kind == OrgUnitKind.PERANGKAT_DAERAH.value,
            valid_between(on, on),
        )
        .order_by(org_unit.c.code)
    )
    return [ORG_UNIT.read(row) for row in await conn.execute(query)]
