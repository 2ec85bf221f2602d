"""Root query fields."""

import asyncio

import strawberry

from domain import enums
from resolvers import reports
from resolvers.planning import PLANNING_NODES, planning_node
from resolvers.scopes import scope_path
from resolvers.subtree import page_with_achievements, unit_with_subtree
from schema.errors import bad_input
from schema.ids import decode_cursor, decode_id, decode_id_of, encode_id
from schema.inputs import IndicatorFilter
from schema.types import Government, Indicator, IndicatorConnection, Info, Node, OrgUnit, Rollup, load_rollup
from store import hierarchy, indicators
from store.indicators import IndicatorFilterSpec
from store.reports import ReportKey
from store.rollups import ScopeKey

DEFAULT_PAGE = 20
MAX_PAGE = 100  # GitHub's rule for connections
MAX_NODES = 100  # GitHub's rule for nodes(ids:)


async def node(info: Info, id: strawberry.ID) -> Node | None:
    """Anything by global id; null for an unknown, malformed or invisible id alike."""
    report_key = ReportKey.of_global_id(id)
    if report_key is not None:
        unit_id = strawberry.ID(encode_id("OrgUnit", report_key.org_unit_id))
        return await reports.report(info, unit_id, report_key.year, report_key.quarter)
    decoded = decode_id(id)
    if decoded is None:
        return None
    type_name, pk = decoded
    loaders = info.context.loaders
    if type_name == "Government":
        government = await loaders.government_by_id.load(pk)
        return Government.of(government) if government else None
    if type_name == "OrgUnit":
        unit = await loaders.org_unit_by_id.load(pk)
        return await unit_with_subtree(info, OrgUnit.of(unit)) if unit else None
    if type_name in PLANNING_NODES:
        return await planning_node(info, type_name, pk)
    if type_name != "Indicator":
        return None
    record = await loaders.indicator_by_id.load(pk)
    return Indicator.of(record) if record else None


async def nodes(info: Info, ids: list[strawberry.ID]) -> list[Node | None]:
    """Objects by global id, in the order asked, loaded together (one statement per kind)."""
    if len(ids) > MAX_NODES:
        raise bad_input(f"ids paling banyak {MAX_NODES}.")
    return list(await asyncio.gather(*(node(info, global_id) for global_id in ids)))


async def governments(
    info: Info, kind: enums.GovernmentKind | None = None, parent_code: str | None = None
) -> list[Government]:
    context = info.context
    records = await hierarchy.list_governments(
        await context.connection(), context.viewer, kind=kind, parent_code=parent_code
    )
    return [Government.of(record) for record in records]


async def government(info: Info, code: str) -> Government | None:
    context = info.context
    records = await hierarchy.governments_by_codes(await context.connection(), context.viewer, [code])
    return Government.of(records[0]) if records else None


def _typed_id(global_id: str | None, type_name: str, field: str) -> int | None:
    if global_id is None:
        return None
    pk = decode_id_of(global_id, type_name)
    if pk is None:
        raise bad_input(f"{field} harus berupa id {type_name}.")
    return pk


async def indicators_connection(
    info: Info, filter: IndicatorFilter | None = None, first: int | None = None, after: str | None = None
) -> IndicatorConnection:
    size = DEFAULT_PAGE if first is None else first
    if not 0 <= size <= MAX_PAGE:
        raise bad_input(f"first harus antara 0 dan {MAX_PAGE}.")
    after_id = None
    if after is not None and (after_id := decode_cursor(after)) is None:
        raise bad_input("Cursor `after` tidak valid.")
    chosen = filter or IndicatorFilter()
    spec = IndicatorFilterSpec(
        org_unit_id=_typed_id(chosen.org_unit_id, "OrgUnit", "orgUnitId"),
        is_key=chosen.is_key,
        parent_id=_typed_id(chosen.parent_id, "Indicator", "parentId"),
    )
    if chosen.subtree_of is not None:
        path = await scope_path(info, chosen.subtree_of, argument="subtreeOf")
        if path is None:
            return IndicatorConnection.of([], False, 0)
        spec = IndicatorFilterSpec(
            org_unit_id=spec.org_unit_id, subtree_path=path, is_key=spec.is_key, parent_id=spec.parent_id
        )
    context = info.context
    records, has_next, total = await indicators.indicator_page(
        await context.connection(), context.viewer, spec, first=size, after_id=after_id
    )
    page = IndicatorConnection.of(records, has_next, total)
    await page_with_achievements(info, [edge.node for edge in page.edges])
    return page


async def rollup(info: Info, scope: strawberry.ID, year: int, quarter: int | None = None) -> Rollup | None:
    decoded = decode_id(scope)
    if decoded is None or decoded[0] not in ("Government", "OrgUnit"):
        raise bad_input("scope harus berupa id Government atau OrgUnit.")
    type_name, pk = decoded
    key = ScopeKey("government", pk) if type_name == "Government" else ScopeKey("unit", pk)
    return await load_rollup(info, key, year, quarter)
