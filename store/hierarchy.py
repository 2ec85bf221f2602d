"""Queries over governments and org units. Every list is filtered by the viewer's scopes in SQL."""

import functools
from collections.abc import Sequence
from datetime import date

from sqlalchemy import BigInteger, ColumnElement, Date, Select, and_, any_, bindparam, cast, func, or_, select
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.ext.asyncio import AsyncConnection

from domain.enums import GovernmentKind
from policies.permissions import Permission
from policies.scopes import inside, within
from policies.viewer import Viewer
from store.records import GovernmentRecord, OrgUnitRecord
from store.tables import government, org_unit


def valid_between(starts_on: date | ColumnElement[date], ends_on: date | ColumnElement[date]) -> ColumnElement[bool]:
    """Units whose validity overlaps [starts_on, ends_on]: the structure of that period."""
    return and_(
        org_unit.c.valid_from <= ends_on,
        or_(org_unit.c.valid_to.is_(None), org_unit.c.valid_to >= starts_on),
    )


def visible_governments(viewer: Viewer) -> Select[tuple[object, ...]]:
    return select(government).where(within(viewer, Permission.READ_STRUCTURE, government.c.path))


def visible_units(viewer: Viewer) -> Select[tuple[object, ...]]:
    return select(org_unit).where(within(viewer, Permission.READ_STRUCTURE, org_unit.c.path))


async def list_governments(
    conn: AsyncConnection, viewer: Viewer, *, kind: GovernmentKind | None, parent_code: str | None
) -> list[GovernmentRecord]:
    query = visible_governments(viewer).order_by(government.c.code)
    if kind is not None:
        query = query.where(government.c.kind == kind.value)
    if parent_code is not None:
        parent = select(government.c.id).where(government.c.code == parent_code).scalar_subquery()
        query = query.where(government.c.parent_id == parent)
    return [GovernmentRecord.from_row(row) for row in await conn.execute(query)]


async def governments_by_codes(conn: AsyncConnection, viewer: Viewer, codes: Sequence[str]) -> list[GovernmentRecord]:
    query = visible_governments(viewer).where(government.c.code.in_(codes))
    return [GovernmentRecord.from_row(row) for row in await conn.execute(query)]


async def governments_by_ids(conn: AsyncConnection, viewer: Viewer, ids: Sequence[int]) -> list[GovernmentRecord]:
    query = visible_governments(viewer).where(government.c.id.in_(ids))
    return [GovernmentRecord.from_row(row) for row in await conn.execute(query)]


async def governments_by_parent_ids(
    conn: AsyncConnection, viewer: Viewer, parent_ids: Sequence[int]
) -> list[GovernmentRecord]:
    query = visible_governments(viewer).where(government.c.parent_id.in_(parent_ids)).order_by(government.c.code)
    return [GovernmentRecord.from_row(row) for row in await conn.execute(query)]


async def units_by_ids(conn: AsyncConnection, viewer: Viewer, ids: Sequence[int]) -> list[OrgUnitRecord]:
    query = visible_units(viewer).where(org_unit.c.id.in_(ids))
    return [OrgUnitRecord.from_row(row) for row in await conn.execute(query)]


async def root_units_by_government_ids(
    conn: AsyncConnection, viewer: Viewer, government_ids: Sequence[int], *, starts_on: date, ends_on: date
) -> list[OrgUnitRecord]:
    query = (
        visible_units(viewer)
        .where(org_unit.c.government_id.in_(government_ids), org_unit.c.parent_id.is_(None))
        .where(valid_between(starts_on, ends_on))
        .order_by(org_unit.c.valid_from.desc())
    )
    return [OrgUnitRecord.from_row(row) for row in await conn.execute(query)]


async def child_units_by_parent_ids(
    conn: AsyncConnection, viewer: Viewer, parent_ids: Sequence[int], *, starts_on: date, ends_on: date
) -> list[OrgUnitRecord]:
    query = (
        visible_units(viewer)
        .where(org_unit.c.parent_id.in_(parent_ids))
        .where(valid_between(starts_on, ends_on))
        .order_by(org_unit.c.code)
    )
    return [OrgUnitRecord.from_row(row) for row in await conn.execute(query)]


async def governments_with_children(
    conn: AsyncConnection, viewer: Viewer, ids: Sequence[int]
) -> list[GovernmentRecord]:
    """Governments and their child governments (a province's kabupaten/kota), in one statement."""
    statement = _governments_with_children(viewer.paths(Permission.READ_STRUCTURE))
    return [GovernmentRecord.from_row(row) for row in await conn.execute(statement, {"ids": list(ids)})]


# Rollups run these two on every request. Built once per set of readable paths (building and
# hashing them took 2 ms of a 14 ms kabupaten/kota rollup); the scopes and period are parameters.
_IDS = ARRAY(BigInteger)


@functools.lru_cache(maxsize=512)
def _governments_with_children(readable: tuple[str, ...] | None) -> Select[tuple[object, ...]]:
    ids = bindparam("ids", type_=_IDS)
    return (
        select(government)
        .where(inside(government.c.path, readable))
        .where(or_(government.c.id == any_(ids), government.c.parent_id == any_(ids)))
        .order_by(government.c.code)
    )


async def units_for_rollups(
    conn: AsyncConnection,
    viewer: Viewer,
    *,
    unit_ids: Sequence[int],
    government_ids: Sequence[int],
    starts_on: date,
    ends_on: date,
) -> list[tuple[OrgUnitRecord, bool]]:
    """In one statement, the units the shapes of rollups need: the unit scopes and their children,
    the government scopes' root units and the children of kabupaten/kota roots (a province's child
    rows are governments), each with whether it is valid in [starts_on, ends_on]."""
    statement = _units_for_rollups(viewer.paths(Permission.READ_STRUCTURE))
    parameters = {
        "unit_ids": list(unit_ids),
        "government_ids": list(government_ids),
        "starts_on": starts_on,
        "ends_on": ends_on,
    }
    return [(OrgUnitRecord.from_row(row), row.is_valid) for row in await conn.execute(statement, parameters)]


@functools.lru_cache(maxsize=512)
def _units_for_rollups(readable: tuple[str, ...] | None) -> Select[tuple[object, ...]]:
    unit_ids, government_ids = bindparam("unit_ids", type_=_IDS), bindparam("government_ids", type_=_IDS)
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
    return (
        select(org_unit, valid.label("is_valid"))
        .where(inside(org_unit.c.path, readable))
        .where(
            or_(
                org_unit.c.id == any_(unit_ids),
                org_unit.c.parent_id == any_(unit_ids),
                and_(org_unit.c.government_id == any_(government_ids), org_unit.c.parent_id.is_(None)),
                org_unit.c.parent_id == any_(cast(kabupaten_kota_roots, _IDS)),
            )
        )
        .order_by(org_unit.c.code)
    )


async def unit_with_government(
    conn: AsyncConnection, viewer: Viewer, unit_id: int
) -> tuple[OrgUnitRecord, GovernmentRecord] | None:
    """A visible unit and its government, for writes that check the hierarchy."""
    unit_row = (await conn.execute(visible_units(viewer).where(org_unit.c.id == unit_id))).first()
    if unit_row is None:
        return None
    unit = OrgUnitRecord.from_row(unit_row)
    government_row = (await conn.execute(select(government).where(government.c.id == unit.government_id))).one()
    return unit, GovernmentRecord.from_row(government_row)
