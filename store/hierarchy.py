"""Queries over governments and org units. Every list is filtered by the viewer's scopes in SQL."""

from collections.abc import Sequence
from datetime import date

from sqlalchemy import BigInteger, ColumnElement, Select, and_, any_, cast, func, or_, select
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.ext.asyncio import AsyncConnection

from domain.enums import GovernmentKind
from policies.permissions import Permission
from policies.scopes import within
from policies.viewer import Viewer
from store.records import GovernmentRecord, OrgUnitRecord
from store.tables import government, org_unit


def valid_between(starts_on: date, ends_on: date) -> ColumnElement[bool]:
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
    query = (
        visible_governments(viewer)
        .where(or_(government.c.id.in_(ids), government.c.parent_id.in_(ids)))
        .order_by(government.c.code)
    )
    return [GovernmentRecord.from_row(row) for row in await conn.execute(query)]


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
    # An array from an init plan, so that the parent_id index serves this branch too (an IN
    # subquery inside OR became a sequential scan of every unit).
    kabupaten_kota_roots = (
        select(func.array_agg(org_unit.c.id))
        .join(government, government.c.id == org_unit.c.government_id)
        .where(org_unit.c.government_id.in_(government_ids), org_unit.c.parent_id.is_(None))
        .where(government.c.kind != GovernmentKind.PROVINSI.value)
        .scalar_subquery()
    )
    query = (
        visible_units(viewer)
        .add_columns(valid_between(starts_on, ends_on).label("is_valid"))
        .where(
            or_(
                org_unit.c.id.in_(unit_ids),
                org_unit.c.parent_id.in_(unit_ids),
                and_(org_unit.c.government_id.in_(government_ids), org_unit.c.parent_id.is_(None)),
                org_unit.c.parent_id == any_(cast(kabupaten_kota_roots, ARRAY(BigInteger))),
            )
        )
        .order_by(org_unit.c.code)
    )
    return [(OrgUnitRecord.from_row(row), row.is_valid) for row in await conn.execute(query)]


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
