"""Months of indicators that report monthly, as stored (the quarters they make are ordinary
realisations, written through store.writes)."""

from collections import defaultdict
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from sqlalchemy import BigInteger, SmallInteger, bindparam, func, literal, select, update
from sqlalchemy.dialects.postgresql import ARRAY, insert
from sqlalchemy.ext.asyncio import AsyncConnection

from domain.entries import CheckedMonth, MonthKey
from domain.months import MONTHS_PER_QUARTER, quarter_of
from policies.scopes import values_visible
from policies.viewer import Viewer
from store.batches import unnested
from store.records import MONTHLY_REALISATION, MonthlyRealisationRecord
from store.tables import indicator, monthly_realisation, org_unit, report
from store.values import covering_report, report_state
from store.writes import correction_of

WRITTEN = ("indicator_id", "year", "month", "province_code", "value", "note")
QuarterKey = tuple[int, int, int]  # indicator, year, quarter


class MonthConflict(Exception):
    """Another transaction created one of the months first: nothing of this batch is written."""


def _quarter_of(month: Any) -> Any:
    """The month's quarter in SQL (integer division of smallints): domain.months.quarter_of."""
    return (month + MONTHS_PER_QUARTER - 1) // MONTHS_PER_QUARTER


def _keyed(keys: Sequence[tuple[int, int, int]], names: tuple[str, str, str]) -> Any:
    """The keys as one derived table of three arrays, whatever their number."""
    return (
        func.unnest(
            literal([k[0] for k in keys], ARRAY(BigInteger)),
            literal([k[1] for k in keys], ARRAY(SmallInteger)),
            literal([k[2] for k in keys], ARRAY(SmallInteger)),
        )
        .table_valued(*names)
        .render_derived(name="wanted")
    )


async def lock_months(conn: AsyncConnection, keys: Sequence[MonthKey]) -> dict[MonthKey, dict[str, Any]]:
    """The stored months of a batch, locked until commit (versions checked stay those written)."""
    if not keys:
        return {}
    t = monthly_realisation
    wanted = _keyed(keys, ("indicator_id", "year", "month"))
    query = (
        select(t.c.indicator_id, t.c.year, t.c.month, t.c.version, t.c.value, t.c.note)
        .join(
            wanted,
            (t.c.indicator_id == wanted.c.indicator_id) & (t.c.year == wanted.c.year) & (t.c.month == wanted.c.month),
        )
        .with_for_update(of=t)
    )
    return {(r.indicator_id, r.year, r.month): dict(r._mapping) for r in await conn.execute(query)}


async def write_months(conn: AsyncConnection, rows: Sequence[CheckedMonth], provinces: Mapping[int, str]) -> None:
    t = monthly_realisation

    def row(month: CheckedMonth) -> dict[str, Any]:
        return {
            "indicator_id": month.indicator_id,
            "year": month.year,
            "month": month.month,
            "province_code": provinces[month.indicator_id],
            "value": month.value,
            "note": month.note,
        }

    new = [row(m) for m in rows if m.is_new]
    if new:
        inserting = insert(t).from_select(WRITTEN, unnested(t, WRITTEN, new)).on_conflict_do_nothing()
        if len((await conn.execute(inserting.returning(t.c.indicator_id))).all()) != len(new):
            raise MonthConflict
    changed = [row(m) for m in rows if not m.is_new]
    if changed:
        statement = (
            update(t)
            .where(t.c.indicator_id == bindparam("k_id"), t.c.year == bindparam("k_year"))
            .where(t.c.month == bindparam("k_month"))
            .values(
                value=bindparam("v_value"), note=bindparam("v_note"), version=t.c.version + 1, updated_at=func.now()
            )
        )
        await conn.execute(
            statement,
            [
                {"k_id": r["indicator_id"], "k_year": r["year"], "k_month": r["month"]}
                | {"v_value": r["value"], "v_note": r["note"]}
                for r in changed
            ],
        )


async def months_of_quarters(
    conn: AsyncConnection, keys: Sequence[QuarterKey]
) -> dict[QuarterKey, dict[int, tuple[Decimal, str]]]:
    """Each quarter's stored months: month -> (value, note)."""
    if not keys:
        return {}
    t = monthly_realisation
    wanted = _keyed(keys, ("indicator_id", "year", "quarter"))
    query = select(t.c.indicator_id, t.c.year, t.c.month, t.c.value, t.c.note).join(
        wanted,
        (t.c.indicator_id == wanted.c.indicator_id)
        & (t.c.year == wanted.c.year)
        & (_quarter_of(t.c.month) == wanted.c.quarter),
    )
    found: dict[QuarterKey, dict[int, tuple[Decimal, str]]] = defaultdict(dict)
    for r in await conn.execute(query):
        found[(r.indicator_id, r.year, quarter_of(r.month))][r.month] = (r.value, r.note)
    return dict(found)


async def monthly_by_indicator_ids(
    conn: AsyncConnection, viewer: Viewer, ids: Sequence[int]
) -> list[MonthlyRealisationRecord]:
    """The months the viewer may read: those of a quarter whose report shows the quarter's values."""
    t = monthly_realisation
    query = (
        select(*MONTHLY_REALISATION.columns(t))
        .join(indicator, indicator.c.id == t.c.indicator_id)
        .join(org_unit, org_unit.c.id == indicator.c.org_unit_id)
        .outerjoin(report, covering_report(t.c.year, _quarter_of(t.c.month)))
        .where(t.c.indicator_id.in_(ids), values_visible(viewer, org_unit.c.path, report_state()))
        .order_by(t.c.indicator_id, t.c.year, t.c.month)
    )
    return [MONTHLY_REALISATION.read(row) for row in await conn.execute(query)]


async def correct_month(conn: AsyncConnection, *, key: MonthKey, value: Decimal, reason: str, by: str) -> None:
    """Replace a locked month's value, keeping what it replaced and why."""
    indicator_id, year, month = key
    t = monthly_realisation
    await conn.execute(
        update(t)
        .where(t.c.indicator_id == indicator_id, t.c.year == year, t.c.month == month)
        .values(correction_of(t, value, reason, by))
    )
