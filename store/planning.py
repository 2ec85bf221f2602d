"""Strategic plans and their versions (domain/plans.py): records, reads and writes.

A version's content (elements, placed indicators, yearly targets) is read whole, three
statements for any number of versions, and written whole: a draft is replaced, never patched,
so a form, an import and a copy from a published version all write it the same way. The
database refuses any write to the content of a version that is no longer a draft.
"""

import functools
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import ColumnElement, and_, any_, bindparam, func, select
from sqlalchemy.dialects.postgresql import distinct_on, insert
from sqlalchemy.ext.asyncio import AsyncConnection

from domain.plans import (
    CHILD_KIND,
    Draft,
    DraftElement,
    DraftIndicator,
    ElementContent,
    IndicatorContent,
    PlanContent,
    PlanKind,
    PlanState,
    walk,
)
from policies.paths import province_code
from policies.scopes import plan_versions_visible, under
from policies.viewer import Viewer
from store.shapes import RowShape
from store.tables import (
    ID_ARRAY,
    indicator,
    org_unit,
    plan_element,
    plan_indicator,
    plan_target,
    plan_version,
    strategic_plan,
)


def _any_id(ids: Sequence[int]) -> ColumnElement[Any]:
    """`= ANY(:ids)`, one array parameter: an IN list of a province's ~600 versions or 2,400
    indicators was a statement text psycopg split again on every request."""
    return any_(bindparam(None, list(ids), type_=ID_ARRAY))


@dataclass(frozen=True)
class PlanRecord:
    id: int
    org_unit_id: int
    kind: PlanKind
    name: str
    start_year: int
    end_year: int
    path: str  # the path of the unit whose plan it is
    government_id: int


@dataclass(frozen=True)
class VersionRecord:
    id: int
    plan_id: int
    number: int
    state: PlanState
    copied_from_id: int | None
    vision: str
    missions: list[str]
    reason: str | None
    legal_basis_kind: str | None
    legal_basis_number: str | None
    legal_basis_date: date | None
    effective_from: date
    revision: int
    created_by: str
    created_at: datetime
    submitted_at: datetime | None
    published_at: datetime | None
    published_by: str | None


@dataclass(frozen=True)
class ElementRecord:
    id: int
    version_id: int
    kind: str
    parent_id: int | None
    code: str
    name: str
    position: int
    mission_number: int | None
    budget: Decimal | None
    aligned_id: int | None


@dataclass(frozen=True)
class PlacedIndicatorRecord:
    id: int
    version_id: int
    element_id: int
    indicator_id: int
    position: int
    baseline: Decimal | None
    end_target: Decimal | None


@dataclass(frozen=True)
class PlanTargetRecord:
    plan_indicator_id: int
    year: int
    value: Decimal


PLAN = RowShape(PlanRecord)
VERSION = RowShape(VersionRecord)
ELEMENT = RowShape(ElementRecord)
PLACED = RowShape(PlacedIndicatorRecord)
PLAN_TARGET = RowShape(PlanTargetRecord)


@dataclass
class VersionContent:
    """Everything a version holds, with lookups by parent."""

    elements: list[ElementRecord] = field(default_factory=list)
    indicators: list[PlacedIndicatorRecord] = field(default_factory=list)
    targets: list[PlanTargetRecord] = field(default_factory=list)

    def children(self, parent_id: int | None, kind: str) -> list[ElementRecord]:
        return self._children.get((parent_id, kind), [])

    def indicators_of(self, element_id: int) -> list[PlacedIndicatorRecord]:
        return self._placed.get(element_id, [])

    def targets_of(self, placed_id: int) -> list[PlanTargetRecord]:
        return self._targets.get(placed_id, [])

    # Built on first use, once the content is complete: a province's tree asks them 30,000 times.
    @functools.cached_property
    def _children(self) -> dict[tuple[int | None, str], list[ElementRecord]]:
        grouped: dict[tuple[int | None, str], list[ElementRecord]] = defaultdict(list)
        for element in self.elements:
            grouped[(element.parent_id, element.kind)].append(element)
        return grouped

    @functools.cached_property
    def _placed(self) -> dict[int, list[PlacedIndicatorRecord]]:
        grouped: dict[int, list[PlacedIndicatorRecord]] = defaultdict(list)
        for placed in self.indicators:
            grouped[placed.element_id].append(placed)
        return grouped

    @functools.cached_property
    def _targets(self) -> dict[int, list[PlanTargetRecord]]:
        grouped: dict[int, list[PlanTargetRecord]] = defaultdict(list)
        for target in self.targets:
            grouped[target.plan_indicator_id].append(target)
        return grouped

    def element(self, element_id: int) -> ElementRecord | None:
        return next((e for e in self.elements if e.id == element_id), None)

    def as_draft(self, version: VersionRecord) -> Draft:
        """The content as a draft to write into another version (a perubahan starts as a copy)."""

        def draft_of(element: ElementRecord, at: str) -> DraftElement:
            below = self.children(element.id, CHILD_KIND.get(element.kind, ""))
            return DraftElement(
                kind=element.kind,
                code=element.code,
                name=element.name,
                field=at,
                budget=element.budget,
                mission_number=element.mission_number,
                aligned_id=element.aligned_id,
                indicators=tuple(
                    DraftIndicator(
                        placed.indicator_id,
                        placed.baseline,
                        placed.end_target,
                        tuple((t.year, t.value) for t in self.targets_of(placed.id)),
                    )
                    for placed in self.indicators_of(element.id)
                ),
                children=tuple(draft_of(child, f"{at}.items.{n}") for n, child in enumerate(below)),
            )

        goals = self.children(None, "GOAL")
        return Draft(
            vision=version.vision,
            missions=tuple(version.missions),
            goals=tuple(draft_of(goal, f"goals.{n}") for n, goal in enumerate(goals)),
        )

    def comparable(self, version: VersionRecord, indicator_codes: dict[int, str]) -> PlanContent:
        """The content keyed as domain.plans.compare keys it."""
        by_id = {e.id: e for e in self.elements}
        return PlanContent(
            vision=version.vision,
            missions=tuple(version.missions),
            elements=tuple(
                ElementContent(
                    e.kind,
                    e.code,
                    e.name,
                    e.budget,
                    by_id[e.aligned_id].code if e.aligned_id in by_id else _aligned_label(e.aligned_id),
                )
                for e in self.elements
            ),
            indicators=tuple(
                IndicatorContent(
                    (by_id[p.element_id].kind, by_id[p.element_id].code),
                    p.indicator_id,
                    indicator_codes.get(p.indicator_id, str(p.indicator_id)),
                    p.baseline,
                    p.end_target,
                    {t.year: t.value for t in self.targets_of(p.id)},
                )
                for p in self.indicators
            ),
        )


def _on(child_column: Any, parent: Any) -> ColumnElement[bool]:
    """A join of co-located rows: the reference and the province code both match."""
    return and_(parent.c.id == child_column, parent.c.province_code == child_column.table.c.province_code)


def _aligned_label(aligned_id: int | None) -> str | None:
    return None if aligned_id is None else f"#{aligned_id}"


def _plan_columns() -> list[ColumnElement[Any]]:
    return PLAN.columns(strategic_plan, {"path": org_unit.c.path, "government_id": org_unit.c.government_id})


def _plans() -> Any:
    return select(*_plan_columns()).join(
        org_unit,
        _on(strategic_plan.c.org_unit_id, org_unit),
    )


def _versions_with_units(*columns: Any) -> Any:
    """Versions joined to their plan and its unit (whose path decides who sees a draft)."""
    return (
        select(*columns)
        .join(strategic_plan, _on(plan_version.c.plan_id, strategic_plan))
        .join(org_unit, _on(strategic_plan.c.org_unit_id, org_unit))
    )


def drafts_visible(viewer: Viewer) -> ColumnElement[bool]:
    """Who sees which versions: policies.scopes.plan_versions_visible."""
    return plan_versions_visible(viewer, org_unit.c.path, plan_version.c.state == PlanState.PUBLISHED.value)


async def plans_by_ids(conn: AsyncConnection, ids: Sequence[int]) -> list[PlanRecord]:
    rows = await conn.execute(_plans().where(strategic_plan.c.id == _any_id(ids)))
    return [PLAN.read(row) for row in rows]


async def plans_under(conn: AsyncConnection, path: str, kind: PlanKind | None) -> list[PlanRecord]:
    """Every plan of a unit under `path` (plans themselves are public: their name and period)."""
    query = _plans().where(under(org_unit.c.path, (path,)))
    if kind is not None:
        query = query.where(strategic_plan.c.kind == kind.value)
    rows = await conn.execute(query.order_by(org_unit.c.path, strategic_plan.c.start_year, strategic_plan.c.id))
    return [PLAN.read(row) for row in rows]


async def insert_plan(
    conn: AsyncConnection, *, unit_id: int, path: str, kind: PlanKind, name: str, start_year: int, end_year: int
) -> int | None:
    """The new plan's id; None when the unit already has a plan of that kind from that year."""
    statement = (
        insert(strategic_plan)
        .values(
            province_code=province_code(path),
            org_unit_id=unit_id,
            kind=kind.value,
            name=name,
            start_year=start_year,
            end_year=end_year,
        )
        .on_conflict_do_nothing()
        .returning(strategic_plan.c.id)
    )
    plan_id: int | None = (await conn.execute(statement)).scalar_one_or_none()
    return plan_id


async def insert_version(conn: AsyncConnection, plan: PlanRecord, **values: Any) -> VersionRecord | None:
    """A new draft; None when the plan already has an open version or the number was taken by a
    concurrent writer (the caller answers CONFLICT)."""
    statement = (
        insert(plan_version)
        .values(province_code=province_code(plan.path), plan_id=plan.id, **values)
        .on_conflict_do_nothing()
        .returning(*VERSION.columns(plan_version))
    )
    row = (await conn.execute(statement)).first()
    return VERSION.read(row) if row else None


async def version_with_plan(
    conn: AsyncConnection, version_id: int, *, for_update: bool = False
) -> tuple[VersionRecord, PlanRecord] | None:
    query = _versions_with_units(*VERSION.columns(plan_version), *_plan_columns()).where(
        plan_version.c.id == version_id
    )
    if for_update:
        query = query.with_for_update(of=plan_version)
    row = (await conn.execute(query)).first()
    return (VERSION.read(row), PLAN.read(row, len(VERSION))) if row else None


async def versions_of_plans(conn: AsyncConnection, viewer: Viewer, plan_ids: Sequence[int]) -> list[VersionRecord]:
    """The versions the caller may see, by plan and number."""
    query = (
        _versions_with_units(*VERSION.columns(plan_version))
        .where(plan_version.c.plan_id == _any_id(plan_ids), drafts_visible(viewer))
        .order_by(plan_version.c.plan_id, plan_version.c.number)
    )
    return [VERSION.read(row) for row in await conn.execute(query)]


async def visible_versions(conn: AsyncConnection, viewer: Viewer, ids: Sequence[int]) -> list[VersionRecord]:
    query = _versions_with_units(*VERSION.columns(plan_version)).where(
        plan_version.c.id == _any_id(ids), drafts_visible(viewer)
    )
    return [VERSION.read(row) for row in await conn.execute(query)]


async def published_effective_dates(conn: AsyncConnection, plan_id: int) -> list[date]:
    query = select(plan_version.c.effective_from).where(
        plan_version.c.plan_id == plan_id, plan_version.c.state == PlanState.PUBLISHED.value
    )
    return list((await conn.execute(query)).scalars())


async def next_version_number(conn: AsyncConnection, plan_id: int) -> int:
    query = select(func.coalesce(func.max(plan_version.c.number), 0) + 1).where(plan_version.c.plan_id == plan_id)
    number: int = (await conn.execute(query)).scalar_one()
    return number


async def update_version(
    conn: AsyncConnection, version_id: int, expected_revision: int, **values: Any
) -> VersionRecord | None:
    """The version updated when its revision is still `expected_revision`; None otherwise."""
    statement = (
        plan_version.update()
        .where(plan_version.c.id == version_id, plan_version.c.revision == expected_revision)
        .values(revision=plan_version.c.revision + 1, **values)
        .returning(*VERSION.columns(plan_version))
    )
    row = (await conn.execute(statement)).first()
    return VERSION.read(row) if row else None


async def replace_content(conn: AsyncConnection, version: VersionRecord, path: str, draft: Draft) -> None:
    """The draft's content instead of whatever the version held (one statement per level)."""
    province = province_code(path)
    for table in (plan_target, plan_indicator, plan_element):
        await conn.execute(table.delete().where(table.c.version_id == version.id))
    ids: dict[int, int] = {}  # id(DraftElement) -> element id
    positions: dict[int | None, int] = {}
    ordered = walk(draft.goals)
    for depth_kind in ("GOAL", "OBJECTIVE", "PROGRAM", "ACTIVITY", "SUB_ACTIVITY"):
        level = [(element, parent) for element, parent in ordered if element.kind == depth_kind]
        if not level:
            continue
        rows = []
        for element, parent in level:
            parent_id = ids[id(parent)] if parent is not None else None
            positions[parent_id] = positions.get(parent_id, 0) + 1
            rows.append(
                {
                    "province_code": province,
                    "version_id": version.id,
                    "kind": element.kind,
                    "parent_id": parent_id,
                    "code": element.code,
                    "name": element.name,
                    "position": positions[parent_id],
                    "mission_number": element.mission_number,
                    "budget": element.budget,
                    "aligned_id": element.aligned_id,
                }
            )
        inserted = (
            (await conn.execute(insert(plan_element).returning(plan_element.c.id, sort_by_parameter_order=True), rows))
            .scalars()
            .all()
        )
        ids.update({id(element): element_id for (element, _), element_id in zip(level, inserted, strict=True)})
    placements = [
        (element, number, placed) for element, _ in ordered for number, placed in enumerate(element.indicators)
    ]
    if not placements:
        return
    rows = [
        {
            "province_code": province,
            "version_id": version.id,
            "element_id": ids[id(element)],
            "indicator_id": placed.indicator_id,
            "position": number + 1,
            "baseline": placed.baseline,
            "end_target": placed.end_target,
        }
        for element, number, placed in placements
    ]
    placed_ids = (
        (await conn.execute(insert(plan_indicator).returning(plan_indicator.c.id, sort_by_parameter_order=True), rows))
        .scalars()
        .all()
    )
    targets = [
        {
            "plan_indicator_id": placed_id,
            "year": year,
            "province_code": province,
            "version_id": version.id,
            "value": value,
        }
        for (_, _, placed), placed_id in zip(placements, placed_ids, strict=True)
        for year, value in placed.targets
    ]
    if targets:
        await conn.execute(insert(plan_target), targets)


async def contents(conn: AsyncConnection, version_ids: Sequence[int]) -> dict[int, VersionContent]:
    """The content of each version (three statements whatever the count)."""
    found = {version_id: VersionContent() for version_id in version_ids}
    ids = list(version_ids)
    elements = await conn.execute(
        select(*ELEMENT.columns(plan_element))
        .where(plan_element.c.version_id == _any_id(ids))
        .order_by(plan_element.c.position, plan_element.c.id)
    )
    for row in elements:
        record = ELEMENT.read(row)
        found[record.version_id].elements.append(record)
    placed = await conn.execute(
        select(*PLACED.columns(plan_indicator))
        .where(plan_indicator.c.version_id == _any_id(ids))
        .order_by(plan_indicator.c.position, plan_indicator.c.id)
    )
    for row in placed:
        placement = PLACED.read(row)
        found[placement.version_id].indicators.append(placement)
    targets = await conn.execute(
        select(*PLAN_TARGET.columns(plan_target), plan_target.c.version_id)
        .where(plan_target.c.version_id == _any_id(ids))
        .order_by(plan_target.c.year)
    )
    version_column = len(PLAN_TARGET)
    for row in targets:
        found[row[version_column]].targets.append(PLAN_TARGET.read(row))
    return found


@dataclass(frozen=True)
class Anchor:
    """An objective a Renstra objective may align to: where it is and in what state."""

    element_id: int
    kind: str
    state: PlanState
    plan_kind: PlanKind
    government_id: int


async def anchors(conn: AsyncConnection, element_ids: Sequence[int]) -> dict[int, Anchor]:
    query = (
        select(
            plan_element.c.id,
            plan_element.c.kind,
            plan_version.c.state,
            strategic_plan.c.kind.label("plan_kind"),
            org_unit.c.government_id,
        )
        .join(
            plan_version,
            _on(plan_element.c.version_id, plan_version),
        )
        .join(
            strategic_plan,
            _on(plan_version.c.plan_id, strategic_plan),
        )
        .join(
            org_unit,
            _on(strategic_plan.c.org_unit_id, org_unit),
        )
        .where(plan_element.c.id == _any_id(element_ids))
    )
    return {
        row.id: Anchor(row.id, row.kind, PlanState(row.state), PlanKind(row.plan_kind), row.government_id)
        for row in await conn.execute(query)
    }


async def indicator_codes_and_paths(conn: AsyncConnection, ids: Sequence[int]) -> dict[int, tuple[str, str]]:
    """Each indicator's code and the path of its unit."""
    query = (
        select(indicator.c.id, indicator.c.code, org_unit.c.path)
        .join(
            org_unit,
            _on(indicator.c.org_unit_id, org_unit),
        )
        .where(indicator.c.id == _any_id(ids))
    )
    return {row.id: (row.code, row.path) for row in await conn.execute(query)}


async def objectives_of_indicators(conn: AsyncConnection, indicator_ids: Sequence[int]) -> dict[int, ElementRecord]:
    """The objective (sasaran) each indicator measures in the latest published version placing it."""
    query = (
        select(plan_indicator.c.indicator_id, *ELEMENT.columns(plan_element))
        .join(
            plan_element,
            _on(plan_indicator.c.element_id, plan_element),
        )
        .join(
            plan_version,
            _on(plan_indicator.c.version_id, plan_version),
        )
        .where(
            plan_indicator.c.indicator_id == _any_id(indicator_ids),
            plan_element.c.kind == "OBJECTIVE",
            plan_version.c.state == PlanState.PUBLISHED.value,
        )
        .order_by(plan_indicator.c.indicator_id, plan_version.c.effective_from.desc(), plan_version.c.id.desc())
        .ext(distinct_on(plan_indicator.c.indicator_id))
    )
    return {row.indicator_id: ELEMENT.read(row, 1) for row in await conn.execute(query)}


async def published_elements(conn: AsyncConnection, ids: Sequence[int]) -> list[ElementRecord]:
    """Elements of published versions (what a Renstra objective's alignment points at)."""
    query = (
        select(*ELEMENT.columns(plan_element))
        .join(
            plan_version,
            _on(plan_element.c.version_id, plan_version),
        )
        .where(plan_element.c.id == _any_id(ids), plan_version.c.state == PlanState.PUBLISHED.value)
    )
    return [ELEMENT.read(row) for row in await conn.execute(query)]
