"""Targets and realisations as stored. Quarter 0 in `target` is the annual target."""

from collections.abc import Sequence

from sqlalchemy import and_, any_, bindparam, func, select
from sqlalchemy.ext.asyncio import AsyncConnection
from sqlalchemy.sql import ColumnElement

from policies.scopes import values_visible
from policies.viewer import Viewer
from store.records import RealisationRecord, TargetRecord
from store.tables import ID_ARRAY, indicator, org_unit, realisation, report, target

ANNUAL = 0


def stored_quarter(quarter: int | None) -> int:
    return ANNUAL if quarter is None else quarter


def covering_report(
    year: ColumnElement[int] | int,
    quarter: ColumnElement[int] | int,
    report_unit_id: ColumnElement[int] = org_unit.c.report_unit_id,
) -> ColumnElement[bool]:
    """Join condition: the report of the unit's reporting unit for a period (quarter 0: annual)."""
    return and_(report.c.org_unit_id == report_unit_id, report.c.year == year, report.c.quarter == quarter)


def report_state() -> ColumnElement[str]:
    """The covering report's state; a period without a report row is still a draft."""
    return func.coalesce(report.c.state, "DRAFT")


def target_record(row: object) -> TargetRecord:
    m = row._mapping  # type: ignore[attr-defined]
    return TargetRecord(
        indicator_id=m["indicator_id"],
        year=m["year"],
        quarter=None if m["quarter"] == ANNUAL else m["quarter"],
        value=m["value"],
        high=m["high"],
        version=m["version"],
    )


def realisation_record(row: object) -> RealisationRecord:
    m = row._mapping  # type: ignore[attr-defined]
    return RealisationRecord(
        indicator_id=m["indicator_id"],
        year=m["year"],
        quarter=m["quarter"],
        value=m["value"],
        note=m["note"],
        version=m["version"],
        corrected_by=m["corrected_by"],
        corrected_at=m["corrected_at"],
        correction_reason=m["correction_reason"],
        value_before_correction=m["value_before_correction"],
    )


async def targets_by_indicator_ids(
    conn: AsyncConnection, viewer: Viewer, ids: Sequence[int], year: int | None = None
) -> list[TargetRecord]:
    """The targets the viewer may read, of one year or (None) of every year."""
    query = (
        select(target)
        .join(indicator, indicator.c.id == target.c.indicator_id)
        .join(org_unit, org_unit.c.id == indicator.c.org_unit_id)
        .outerjoin(report, covering_report(target.c.year, target.c.quarter))
        .where(
            target.c.indicator_id == any_(bindparam("ids", list(ids), type_=ID_ARRAY)),
            values_visible(viewer, org_unit.c.path, report_state()),
        )
        .order_by(target.c.indicator_id, target.c.year, target.c.quarter)
    )
    if year is not None:
        query = query.where(target.c.year == year)
    return [target_record(row) for row in await conn.execute(query)]


async def realisations_by_indicator_ids(
    conn: AsyncConnection, viewer: Viewer, ids: Sequence[int], year: int | None = None
) -> list[RealisationRecord]:
    """The realisations the viewer may read, of one year or (None) of every year."""
    query = (
        select(realisation)
        .join(indicator, indicator.c.id == realisation.c.indicator_id)
        .join(org_unit, org_unit.c.id == indicator.c.org_unit_id)
        .outerjoin(report, covering_report(realisation.c.year, realisation.c.quarter))
        .where(
            realisation.c.indicator_id == any_(bindparam("ids", list(ids), type_=ID_ARRAY)),
            values_visible(viewer, org_unit.c.path, report_state()),
        )
        .order_by(realisation.c.indicator_id, realisation.c.year, realisation.c.quarter)
    )
    if year is not None:
        query = query.where(realisation.c.year == year)
    return [realisation_record(row) for row in await conn.execute(query)]
