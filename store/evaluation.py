"""Load one year's inputs for a set of indicators, with the cascade below computed ones."""

import functools
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Executable,
    SmallInteger,
    and_,
    any_,
    bindparam,
    func,
    literal_column,
    or_,
    select,
)
from sqlalchemy.ext.asyncio import AsyncConnection

from domain.achievement import TargetValue
from domain.evaluation import YearEvaluator
from domain.periods import Period
from policies.permissions import Permission
from policies.scopes import visible_to
from policies.viewer import Viewer, ViewerKind
from store.records import RULE
from store.shapes import RowShape
from store.tables import ID_ARRAY, government, indicator, indicator_definition, org_unit, realisation, report, target
from store.values import ANNUAL, covering_report, report_state, stored_quarter

# Aliases copy every column of the table: built once, not for each of a request's evaluations.
_CHILD = indicator.alias("child")
_CHILD_UNIT = org_unit.alias("child_unit")
_SUPERSEDED = indicator_definition.alias("superseded")


@dataclass(frozen=True)
class BaseIndicator:
    """An indicator of the requested set, with where it sits in the hierarchy."""

    id: int
    unit_path: str
    unit_id: int
    report_unit_id: int


BASE = RowShape(BaseIndicator, renamed={"unit_path": "path", "unit_id": "org_unit_id"})
# The cascade walk carries each indicator's columns of its rule and its place, and its unit's
# (and the unit's government, whose columns complete the rule).
_WALKED_INDICATOR_COLUMNS = tuple(
    dict.fromkeys(name for name in (*RULE.names, *BASE.names, "org_unit_id") if name in indicator.c)
)
_WALKED_UNIT_COLUMNS = tuple(
    dict.fromkeys(name for name in (*BASE.names, "government_id") if name not in _WALKED_INDICATOR_COLUMNS)
)


@dataclass(frozen=True)
class YearInputs:
    evaluator: YearEvaluator
    base: list[BaseIndicator]


async def load_year(
    conn: AsyncConnection,
    viewer: Viewer,
    base: ColumnElement[bool],
    period: Period,
    parameters: Mapping[str, object] | None = None,
) -> YearInputs:
    """Three statements whatever the number of indicators: rules (recursive), targets, realisations.

    `base` says which indicators are asked for: a condition over `indicator` and its `org_unit`.
    Only indicators whose values the viewer may read for this period are loaded (grants, and the
    state of the report covering each one). Cascade children are held to the same rule, so no
    unreleased figure reaches a viewer who may see only released ones, even through a parent.

    A `base` built once with bind parameters (a module constant such as ASKED_IDS), given with
    its `parameters`, has its statements built once per kind of viewer and grants too: building
    them took 3 ms of a 35 ms nested tree. A base built for the call is built into them anew.
    """
    readable = viewer.paths(Permission.READ_VALUES)
    if parameters is None:
        statements, parameters = _statements(base, viewer.kind, readable), {}
    else:
        statements = _kept_statements(base, viewer.kind, readable)
    values = {**parameters, "year": period.year, "quarter": stored_quarter(period.quarter)}
    rows = (await conn.execute(statements.rules, values)).all()
    # One array parameter, not one bind parameter per id: the set can be a whole province.
    found = {"ids": [row[0] for row in rows], "year": period.year}
    target_rows = await conn.execute(statements.targets, found)
    realisation_rows = await conn.execute(statements.realisations, found)
    evaluator = YearEvaluator(
        year=period.year,
        rules={row[0]: RULE.read(row) for row in rows},
        targets={
            (indicator_id, None if quarter == ANNUAL else quarter): TargetValue(value, high)
            for indicator_id, quarter, value, high in target_rows
        },
        realisations={(indicator_id, quarter): value for indicator_id, quarter, value in realisation_rows},
    )
    # Rows are read by position (store/shapes.py): by name it cost more than building the rules.
    asked = [BASE.read(row, len(RULE)) for row in rows if row[-1]]
    return YearInputs(evaluator=evaluator, base=asked)


# Indicators asked for by id: `load_year(conn, viewer, ASKED_IDS, period, {"asked_ids": ids})`.
ASKED_IDS: ColumnElement[bool] = indicator.c.id == any_(bindparam("asked_ids", type_=ID_ARRAY))


def _active(table: Any, year: ColumnElement[int]) -> ColumnElement[bool]:
    """Not retired by the year evaluated: a retired indicator counts nowhere from then on."""
    return or_(table.c.retired_from_year.is_(None), table.c.retired_from_year > year)


@dataclass(frozen=True)
class _Statements:
    rules: Executable
    targets: Executable
    realisations: Executable


@functools.lru_cache(maxsize=256)
def _kept_statements(base: ColumnElement[bool], kind: ViewerKind, readable: tuple[str, ...] | None) -> _Statements:
    """Keyed on the base's identity: only module constants come here (load_year)."""
    return _statements(base, kind, readable)


def _statements(base: ColumnElement[bool], kind: ViewerKind, readable: tuple[str, ...] | None) -> _Statements:
    year, quarter = bindparam("year", type_=SmallInteger), bindparam("quarter", type_=SmallInteger)
    # The walk carries each indicator's rule and unit columns: joining the walked ids back to
    # indicator and org_unit was half of a kabupaten/kota's rules statement (75 ms).
    requested = (
        select(
            *(indicator.c[name] for name in _WALKED_INDICATOR_COLUMNS),
            *(org_unit.c[name] for name in _WALKED_UNIT_COLUMNS),
            literal_column("true").label("in_base"),
        )
        .join(org_unit, org_unit.c.id == indicator.c.org_unit_id)
        .where(base, _active(indicator, year))
    )
    tree = requested.cte("tree", recursive=True)
    # Children of computed indicators are needed to compute their realisations, wherever they sit.
    child, child_unit = _CHILD, _CHILD_UNIT
    tree = tree.union(
        select(
            *(child.c[name] for name in _WALKED_INDICATOR_COLUMNS),
            *(child_unit.c[name] for name in _WALKED_UNIT_COLUMNS),
            literal_column("false"),
        )
        .join(tree, child.c.parent_id == tree.c.id)
        .join(child_unit, child_unit.c.id == child.c.org_unit_id)
        .where(tree.c.rollup_from_children != "NONE", _active(child, year))
    )
    # A year before an indicator's current definition takes the polarity and method it had then.
    superseded = _SUPERSEDED
    of_the_year = {
        "achievement_method": func.coalesce(superseded.c.achievement_method, tree.c.achievement_method),
        "polarity": func.coalesce(superseded.c.polarity, tree.c.polarity),
    }
    rules = (
        select(*RULE.columns(of_the_year, tree, government), *BASE.columns(tree), tree.c.in_base)
        .join(government, government.c.id == tree.c.government_id)
        .outerjoin(
            superseded,
            and_(
                superseded.c.indicator_id == tree.c.id,
                superseded.c.from_year <= year,
                superseded.c.until_year >= year,
            ),
        )
        .outerjoin(report, covering_report(year, quarter, tree.c.report_unit_id))
        .where(visible_to(kind, readable, tree.c.path, report_state()))
        # By id: as deterministic as by path and code, without sorting text.
        .order_by(tree.c.id)
    )
    ids = any_(bindparam("ids", type_=ID_ARRAY))
    return _Statements(
        rules=rules,
        targets=select(target.c.indicator_id, target.c.quarter, target.c.value, target.c.high).where(
            target.c.indicator_id == ids, target.c.year == year
        ),
        realisations=select(realisation.c.indicator_id, realisation.c.quarter, realisation.c.value).where(
            realisation.c.indicator_id == ids, realisation.c.year == year
        ),
    )
