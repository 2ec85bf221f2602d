"""Targets and realisations as stored. Quarter 0 in `target` is the annual target."""

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncConnection

from policies.permissions import Permission
from policies.scopes import within
from policies.viewer import Viewer
from store.records import RealisationRecord, TargetRecord
from store.tables import indicator, org_unit, realisation, target

ANNUAL = 0


def stored_quarter(quarter: int | None) -> int:
    return ANNUAL if quarter is None else quarter


def target_record(row: object) -> TargetRecord:
    m = row._mapping  # type: ignore[attr-defined]
    return TargetRecord(
        indicator_id=m["indicator_id"],
        year=m["year"],
        quarter=None if m["quarter"] == ANNUAL else m["quarter"],
        value=m["value"],
        high=m["high"],
    )


def realisation_record(row: object) -> RealisationRecord:
    m = row._mapping  # type: ignore[attr-defined]
    return RealisationRecord(
        indicator_id=m["indicator_id"], year=m["year"], quarter=m["quarter"], value=m["value"], note=m["note"]
    )


async def targets_by_indicator_ids(conn: AsyncConnection, viewer: Viewer, ids: Sequence[int]) -> list[TargetRecord]:
    query = (
        select(target)
        .join(indicator, indicator.c.id == target.c.indicator_id)
        .join(org_unit, org_unit.c.id == indicator.c.org_unit_id)
        .where(target.c.indicator_id.in_(ids), within(viewer, Permission.READ_VALUES, org_unit.c.path))
        .order_by(target.c.indicator_id, target.c.year, target.c.quarter)
    )
    return [target_record(row) for row in await conn.execute(query)]


async def realisations_by_indicator_ids(
    conn: AsyncConnection, viewer: Viewer, ids: Sequence[int]
) -> list[RealisationRecord]:
    query = (
        select(realisation)
        .join(indicator, indicator.c.id == realisation.c.indicator_id)
        .join(org_unit, org_unit.c.id == indicator.c.org_unit_id)
        .where(realisation.c.indicator_id.in_(ids), within(viewer, Permission.READ_VALUES, org_unit.c.path))
        .order_by(realisation.c.indicator_id, realisation.c.year, realisation.c.quarter)
    )
    return [realisation_record(row) for row in await conn.execute(query)]
