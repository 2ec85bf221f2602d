"""Queries over indicators. Visibility comes from the owning unit's path, always joined, so an
unrestricted and a scoped viewer run statements of the same shape."""

import functools
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import ColumnElement, Executable, Select, any_, bindparam, func, literal, select, text, true
from sqlalchemy.ext.asyncio import AsyncConnection

from domain.cascade import CascadeEnd
from domain.entries import IndicatorFacts
from domain.enums import AchievementMethod, Polarity
from policies.permissions import Permission
from policies.scopes import inside, under, within
from policies.viewer import Viewer
from store.records import FACTS, INDICATOR, IndicatorRecord
from store.shapes import RowShape
from store.tables import ID_ARRAY, government, indicator, indicator_definition, org_unit


@dataclass(frozen=True)
class IndicatorFilterSpec:
    org_unit_id: int | None = None
    subtree_path: str | None = None
    is_key: bool | None = None
    parent_id: int | None = None


def visible_indicators(viewer: Viewer) -> Select[tuple[object, ...]]:
    return (
        select(*INDICATOR.columns(indicator))
        .join(org_unit, org_unit.c.id == indicator.c.org_unit_id)
        .where(within(viewer, Permission.READ_INDICATORS, org_unit.c.path))
    )


def _filtered(viewer: Viewer, spec: IndicatorFilterSpec) -> Select[tuple[object, ...]]:
    conditions: list[ColumnElement[bool]] = [true()]
    if spec.org_unit_id is not None:
        conditions.append(indicator.c.org_unit_id == spec.org_unit_id)
    if spec.subtree_path is not None:
        conditions.append(under(org_unit.c.path, (spec.subtree_path,)))
    if spec.is_key is not None:
        conditions.append(indicator.c.is_key.is_(spec.is_key))
    if spec.parent_id is not None:
        conditions.append(indicator.c.parent_id == spec.parent_id)
    return visible_indicators(viewer).where(*conditions)


# Up to this many matches a page is found by collecting them and sorting; above it, by walking
# the primary key in order (docs/scaling.md, "Fifth session").
SORTED_PAGE_LIMIT = 20_000


async def indicator_page(
    conn: AsyncConnection,
    viewer: Viewer,
    spec: IndicatorFilterSpec,
    *,
    first: int,
    after_id: int | None,
    sorted_page_limit: int = SORTED_PAGE_LIMIT,
) -> tuple[list[IndicatorRecord], bool, int]:
    """One keyset page ordered by id, whether more follow, and the filtered total.

    The total comes first because it decides the plan. Walking the primary key in id order
    and filtering stops early when matches are dense (a province: 101 rows in 0.8 ms), but a
    kabupaten/kota whose indicators have the highest ids made it read 65,000 rows (68 ms),
    since PostgreSQL assumes matches spread evenly over the ids. Ordering by an expression no
    index provides makes it collect the matches and keep the first ones: 15 ms for 5,000,
    whatever their ids, and 37 ms for 75,000, where the walk is the better plan.
    """
    query = _filtered(viewer, spec)
    total = (await conn.execute(select(func.count()).select_from(query.subquery()))).scalar_one()
    if after_id is not None:
        query = query.where(indicator.c.id > after_id)
    order = indicator.c.id if total > sorted_page_limit else indicator.c.id + 0
    rows = (await conn.execute(query.order_by(order).limit(first + 1))).all()
    records = [INDICATOR.read(row) for row in rows[:first]]
    return records, len(rows) > first, int(total)


async def indicators_by_ids(conn: AsyncConnection, viewer: Viewer, ids: Sequence[int]) -> list[IndicatorRecord]:
    query = _indicators_by(viewer.paths(Permission.READ_INDICATORS), "id")
    return [INDICATOR.read(row) for row in await conn.execute(query, {"keys": list(ids)})]


async def indicators_by_unit_ids(
    conn: AsyncConnection, viewer: Viewer, unit_ids: Sequence[int]
) -> list[IndicatorRecord]:
    query = _indicators_by(viewer.paths(Permission.READ_INDICATORS), "org_unit_id")
    return [INDICATOR.read(row) for row in await conn.execute(query, {"keys": list(unit_ids)})]


@functools.lru_cache(maxsize=512)
def _indicators_by(readable: tuple[str, ...] | None, column: str) -> Executable:
    """Visible indicators whose `column` is one of an array parameter, built once per set of
    readable paths (store/hierarchy.py says why), in code order."""
    return (
        select(*INDICATOR.columns(indicator))
        .join(org_unit, org_unit.c.id == indicator.c.org_unit_id)
        .where(inside(org_unit.c.path, readable), indicator.c[column] == any_(bindparam("keys", type_=ID_ARRAY)))
        .order_by(indicator.c.code)
    )


async def indicators_by_parent_ids(
    conn: AsyncConnection, viewer: Viewer, parent_ids: Sequence[int]
) -> list[IndicatorRecord]:
    query = visible_indicators(viewer).where(indicator.c.parent_id.in_(parent_ids)).order_by(indicator.c.code)
    return [INDICATOR.read(row) for row in await conn.execute(query)]


async def indicator_facts(conn: AsyncConnection, viewer: Viewer, ids: Sequence[int]) -> dict[int, IndicatorFacts]:
    """What the entry rules need of each visible indicator, in one statement."""
    writable = {"writable": within(viewer, Permission.WRITE_VALUES, org_unit.c.path).label("writable")}
    query = (
        select(indicator.c.id, *FACTS.columns(writable, indicator, org_unit))
        .join(org_unit, org_unit.c.id == indicator.c.org_unit_id)
        .where(
            within(viewer, Permission.READ_INDICATORS, org_unit.c.path),
            indicator.c.id == any_(literal(list(ids), ID_ARRAY)),
        )
    )
    # A full-quarter batch asks for 5,000 indicators: read by position (store/shapes.py).
    return {row[0]: FACTS.read(row, 1) for row in await conn.execute(query)}


async def cascade_end_of(conn: AsyncConnection, viewer: Viewer, indicator_id: int) -> CascadeEnd | None:
    """Where a visible indicator sits, for checking a parent link."""
    query = (
        select(org_unit.c.path, government.c.path.label("government_path"))
        .select_from(indicator)
        .join(org_unit, org_unit.c.id == indicator.c.org_unit_id)
        .join(government, government.c.id == org_unit.c.government_id)
        .where(indicator.c.id == indicator_id, within(viewer, Permission.READ_INDICATORS, org_unit.c.path))
    )
    row = (await conn.execute(query)).first()
    return CascadeEnd(unit_path=row.path, government_path=row.government_path) if row else None


@dataclass(frozen=True)
class DefinitionRecord:
    """A superseded version of an indicator's definition and the years it applied to."""

    indicator_id: int
    from_year: int
    until_year: int
    name: str
    unit_of_measure: str
    polarity: Polarity
    achievement_method: AchievementMethod
    definition: str
    formula: str
    data_source: str
    replaced_because: str | None
    replaced_by: str


SUPERSEDED = RowShape(DefinitionRecord)


async def superseded_definitions(conn: AsyncConnection, indicator_ids: Sequence[int]) -> list[DefinitionRecord]:
    query = (
        select(*SUPERSEDED.columns(indicator_definition))
        .where(indicator_definition.c.indicator_id.in_(list(indicator_ids)))
        .order_by(indicator_definition.c.indicator_id, indicator_definition.c.from_year)
    )
    return [SUPERSEDED.read(row) for row in await conn.execute(query)]


RELEASED_VALUES = text(
    """SELECT EXISTS (
        SELECT 1 FROM realisation r
        JOIN indicator i ON i.id = r.indicator_id AND i.province_code = r.province_code
        JOIN org_unit u ON u.id = i.org_unit_id AND u.province_code = i.province_code
        JOIN report rep ON rep.org_unit_id = u.report_unit_id AND rep.province_code = u.province_code
             AND rep.year = r.year AND rep.quarter = r.quarter
        WHERE r.indicator_id = :id AND rep.state IN ('APPROVED', 'LOCKED', 'PUBLISHED'))"""
)


async def has_approved_values(conn: AsyncConnection, indicator_id: int) -> bool:
    """Whether any realisation of the indicator sits in an approved, locked or published report."""
    return bool((await conn.execute(RELEASED_VALUES, {"id": indicator_id})).scalar_one())


async def children_of(conn: AsyncConnection, indicator_id: int) -> list[IndicatorRecord]:
    """Every cascade child, visible or not: a move must keep all of them valid."""
    rows = await conn.execute(select(*INDICATOR.columns(indicator)).where(indicator.c.parent_id == indicator_id))
    return [INDICATOR.read(row) for row in rows]
