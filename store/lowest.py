"""The indicators furthest below target under a scope (capaian terendah): every indicator the
viewer may read under a kab/kota or an org unit, valid in the period, evaluated for the period
(store/evaluation.py, three statements whatever the count), lowest achievement first."""

from datetime import date
from decimal import Decimal

from sqlalchemy import and_, literal, or_
from sqlalchemy.ext.asyncio import AsyncConnection

from domain.evaluation import Evaluation
from domain.periods import Period
from policies.scopes import prefix_pattern
from policies.viewer import Viewer
from store.evaluation import load_year
from store.tables import org_unit


async def lowest_achievements(
    conn: AsyncConnection, viewer: Viewer, path: str, period: Period, first: int
) -> list[tuple[int, Evaluation]]:
    """(indicator id, its evaluation) for the `first` lowest achievements; ties by id."""
    starts, ends = date(period.year, 1, 1), date(period.year, 12, 31)
    base = and_(
        org_unit.c.path.like(literal(prefix_pattern(path))),
        org_unit.c.valid_from <= ends,
        or_(org_unit.c.valid_to.is_(None), org_unit.c.valid_to >= starts),
    )
    inputs = await load_year(conn, viewer, base, period)
    evaluated = [(indicator.id, inputs.evaluator.evaluate(indicator.id, period.quarter)) for indicator in inputs.base]
    measured = [(i, e) for i, e in evaluated if e.result.percent is not None]
    return sorted(measured, key=lambda pair: (pair[1].result.percent or Decimal(0), pair[0]))[:first]
