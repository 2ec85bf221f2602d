"""Rollups (capaian agregat) of governments and org units, computed set-based per batch.

The shape of a rollup (design.md; issue "Foundation"): a province's child rows are its own
administration (root unit) and each kabupaten/kota; a kabupaten/kota's are its perangkat daerah
(its root unit's indicators are its own); a unit's are its child units.
"""

import functools
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from sqlalchemy import Executable, Integer, SmallInteger, Text, and_, bindparam, func, literal, select, union_all
from sqlalchemy.ext.asyncio import AsyncConnection

from domain.enums import GovernmentKind, OrgUnitKind
from domain.periods import Period
from domain.rollup import RollupTotals, child_segment, merge_all, totals_of_one
from policies.paths import coarse_enough
from policies.permissions import Permission
from policies.scopes import prefix_pattern, under, visible_to
from policies.viewer import Viewer, ViewerKind, overlaps
from store.aggregates import REPORT_UNIT, UNIT, AggregateWindow, summed_totals, totals_of_values
from store.evaluation import load_year
from store.hierarchy import rollup_structure, valid_between
from store.records import GovernmentRecord, OrgUnitRecord
from store.tables import org_unit, report, rollup_aggregate
from store.values import stored_quarter


@dataclass(frozen=True)
class ScopeKey:
    kind: Literal["government", "unit"]
    id: int


ScopeRecord = GovernmentRecord | OrgUnitRecord


@dataclass(frozen=True)
class ChildScope:
    key: ScopeKey
    record: ScopeRecord

    @property
    def path(self) -> str:
        return self.record.path


@dataclass(frozen=True)
class ScopeShape:
    key: ScopeKey
    record: ScopeRecord
    path: str
    children: dict[str, ChildScope]  # by the path segment that names the child
    # Which aggregates serve it: a government's or pemda's rows are reporting units (agencies),
    # an agency's or eselon unit's rows are units.
    level: str = REPORT_UNIT


@dataclass(frozen=True)
class RollupResult:
    scope: ScopeKey
    record: ScopeRecord  # the scope's government or unit, loaded with its shape
    period: Period
    totals: RollupTotals
    # None: not computed in this batch (a child row); its own rollup loads them on demand.
    children: list["RollupResult"] | None = None


async def _shapes(
    conn: AsyncConnection, viewer: Viewer, scopes: Sequence[ScopeKey], period: Period
) -> dict[ScopeKey, ScopeShape]:
    """Each scope's path and its direct children valid in the period, in one statement."""
    government_ids = [s.id for s in scopes if s.kind == "government"]
    unit_ids = [s.id for s in scopes if s.kind == "unit"]
    structure = await rollup_structure(
        conn,
        viewer,
        unit_ids=unit_ids,
        government_ids=government_ids,
        starts_on=period.starts_on,
        ends_on=Period(period.year).ends_on,
    )
    governments, units = structure.governments, structure.units
    wanted_units, wanted_governments = set(unit_ids), set(government_ids)
    root_of: dict[int, OrgUnitRecord] = {}
    for unit, valid in units:
        if valid and unit.parent_id is None and unit.government_id in wanted_governments:
            latest = root_of.get(unit.government_id)
            if latest is None or unit.valid_from > latest.valid_from:  # the latest valid root wins
                root_of[unit.government_id] = unit
    children_of: dict[int, list[OrgUnitRecord]] = defaultdict(list)
    for unit, valid in units:
        if valid and unit.parent_id is not None:
            children_of[unit.parent_id].append(unit)
    regencies = [g for g in governments if g.parent_id in wanted_governments]
    governments = [g for g in governments if g.id in wanted_governments]

    shapes: dict[ScopeKey, ScopeShape] = {}
    for unit in (u for u, _ in units if u.id in wanted_units):
        children = {str(c.id): ChildScope(ScopeKey("unit", c.id), c) for c in children_of[unit.id]}
        level = REPORT_UNIT if unit.kind is OrgUnitKind.PEMDA else UNIT
        shapes[ScopeKey("unit", unit.id)] = ScopeShape(ScopeKey("unit", unit.id), unit, unit.path, children, level)
    for government in governments:
        key = ScopeKey("government", government.id)
        root = root_of.get(government.id)
        if government.kind is GovernmentKind.PROVINSI:
            children = {str(root.id): ChildScope(ScopeKey("unit", root.id), root)} if root else {}
            children.update(
                {r.code: ChildScope(ScopeKey("government", r.id), r) for r in regencies if r.parent_id == government.id}
            )
            shapes[key] = ScopeShape(key, government, government.path, children)
        elif root is not None:
            children = {str(c.id): ChildScope(ScopeKey("unit", c.id), c) for c in children_of[root.id]}
            shapes[key] = ScopeShape(key, government, root.path, children)
        else:
            shapes[key] = ScopeShape(key, government, government.path, {})
    return shapes


Contributions = list[tuple[str, RollupTotals]]  # (unit path, totals) to be grouped into rows


async def load_rollups(
    conn: AsyncConnection, viewer: Viewer, scopes: Sequence[ScopeKey], period: Period, window: AggregateWindow
) -> dict[ScopeKey, RollupResult]:
    """Rollups of several scopes for one period; scopes the viewer can see nothing of are absent.

    Kept years are merged from the aggregates (store/aggregates.py) when the viewer's grants
    are no finer than a reporting unit, since aggregates and report states are per reporting
    unit; otherwise every indicator is evaluated live. Both give the same figures (tested).
    """
    shapes = await _shapes(conn, viewer, scopes, period)
    if not shapes:
        return {}
    if window.covers(period.year) and coarse_enough(viewer.paths(Permission.READ_VALUES)):
        contributions = await _aggregated(conn, viewer, shapes, period)
    else:
        live = await _live(conn, viewer, shapes, period)
        contributions = dict.fromkeys(shapes, live)
    results: dict[ScopeKey, RollupResult] = {}
    for key, shape in shapes.items():
        result = _assemble(viewer, shape, period, contributions[key])
        if result is not None:
            results[key] = result
    return results


async def _live(
    conn: AsyncConnection, viewer: Viewer, shapes: dict[ScopeKey, ScopeShape], period: Period
) -> Contributions:
    prefixes = tuple(shape.path for shape in shapes.values())
    base = and_(under(org_unit.c.path, prefixes), valid_between(period.starts_on, Period(period.year).ends_on))
    inputs = await load_year(conn, viewer, base, period)
    rules = inputs.evaluator.rules
    return [
        (
            b.unit_path,
            totals_of_one(
                inputs.evaluator.result(b.id, period.quarter),
                weight=rules[b.id].weight,
                cap=rules[b.id].achievement_cap,
            ),
        )
        for b in inputs.base
    ]


async def _aggregated(
    conn: AsyncConnection, viewer: Viewer, shapes: dict[ScopeKey, ScopeShape], period: Period
) -> dict[ScopeKey, Contributions]:
    """Visible aggregate rows summed per child row in PostgreSQL: one statement, a grouped branch
    per scope (each a prefix match on the index), a few rows back instead of hundreds."""
    keys = list(shapes)
    statement = _aggregate_statement(
        viewer.kind, viewer.paths(Permission.READ_VALUES), tuple(shapes[key].level for key in keys)
    )
    parameters: dict[str, object] = {"year": period.year, "quarter": stored_quarter(period.quarter)}
    for index, key in enumerate(keys):
        parameters[f"offset_{index}"] = len(shapes[key].path) + 1
        parameters[f"pattern_{index}"] = prefix_pattern(shapes[key].path)
    found: dict[ScopeKey, Contributions] = {key: [] for key in keys}
    for row in await conn.execute(statement, parameters):
        shape = shapes[keys[row[0]]]
        # The child's segment stands for its path, as the live path's unit paths do.
        path = f"{shape.path}{row[1]}/" if row[1] else shape.path
        found[shape.key].append((path, totals_of_values(row[2:])))
    return found


@functools.lru_cache(maxsize=512)
def _aggregate_statement(kind: ViewerKind, readable: tuple[str, ...] | None, levels: tuple[str, ...]) -> Executable:
    """Built once per kind of viewer, grants and scope levels (building and hashing it anew
    took 0.8 ms of a 10 ms rollup); scopes and the period are parameters."""
    year, quarter = bindparam("year", type_=SmallInteger), bindparam("quarter", type_=SmallInteger)
    branches = []
    for index, level in enumerate(levels):
        offset = bindparam(f"offset_{index}", type_=Integer)
        segment = func.split_part(func.substr(rollup_aggregate.c.path, offset), "/", 1)
        branches.append(
            select(
                literal(index).label("shape"),
                segment.label("segment"),
                *summed_totals(rollup_aggregate),
            )
            .select_from(rollup_aggregate)
            .outerjoin(
                report,
                and_(
                    report.c.org_unit_id == rollup_aggregate.c.report_unit_id,
                    report.c.year == year,
                    report.c.quarter == quarter,
                ),
            )
            .where(
                rollup_aggregate.c.level == level,
                rollup_aggregate.c.year == year,
                rollup_aggregate.c.quarter == quarter,
                rollup_aggregate.c.path.like(bindparam(f"pattern_{index}", type_=Text)),
                visible_to(kind, readable, rollup_aggregate.c.path, func.coalesce(report.c.state, "DRAFT")),
            )
            .group_by(segment)
        )
    return union_all(*branches) if len(branches) > 1 else branches[0]


def _assemble(viewer: Viewer, shape: ScopeShape, period: Period, contributions: Contributions) -> RollupResult | None:
    own: list[RollupTotals] = []
    by_child: dict[str, list[RollupTotals]] = {segment: [] for segment in shape.children}
    for path, totals in contributions:
        if not path.startswith(shape.path):
            continue
        segment = child_segment(shape.path, path)
        # A unit whose parent is not valid in the period has no child row; it still counts.
        by_child.get(segment or "", own).append(totals)
    # Rows the viewer can see nothing of are left out, not shown empty: a Kota Pontianak
    # operator's province rollup of an unpublished quarter has one row, Kota Pontianak.
    readable = viewer.paths(Permission.READ_VALUES)
    children = [
        RollupResult(child.key, child.record, period, totals)
        for segment, child in shape.children.items()
        if (totals := merge_all(by_child[segment])).indicator_count or overlaps(readable, child.path)
    ]
    total = merge_all([*own, *(child.totals for child in children)])
    if total.indicator_count or overlaps(readable, shape.path):
        return RollupResult(shape.key, shape.record, period, total, children)
    return None
