"""Rollup aggregates, maintained in the transaction of every write that changes them.

A write names the reporting units it touched (an agency, or a pemda's root) and the years; the
aggregates of those units are recomputed from base rows by the same domain evaluation that live
rollups use; the unit rows that changed are rewritten and their reporting units re-summed, in
batched statements. Reads (store/rollups.py) then merge a scope's aggregate rows instead of
evaluating every indicator below it.
"""

from collections import defaultdict
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass, fields
from typing import Any

from sqlalchemy import (
    Date,
    Executable,
    FromClause,
    Label,
    SmallInteger,
    and_,
    any_,
    bindparam,
    delete,
    func,
    literal,
    select,
    true,
    tuple_,
)
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncConnection

from domain.enums import AchievementCategory
from domain.periods import PERIODS_OF_YEAR, Period, periods_changed_by
from domain.rollup import RULES_VERSION, RollupTotals, TotalsBuilder
from policies.paths import province_code
from policies.viewer import SYSTEM
from store import timings
from store.batches import unnested
from store.evaluation import YearInputs, load_year
from store.hierarchy import valid_between
from store.tables import ID_ARRAY, QUARTER_ARRAY, aggregate_rules, indicator, org_unit, rollup_aggregate
from store.values import stored_quarter

UNIT = "UNIT"
REPORT_UNIT = "REPORT_UNIT"
CATEGORY_COLUMNS = {
    AchievementCategory.SANGAT_TINGGI: "sangat_tinggi",
    AchievementCategory.TINGGI: "tinggi",
    AchievementCategory.SEDANG: "sedang",
    AchievementCategory.RENDAH: "rendah",
    AchievementCategory.SANGAT_RENDAH: "sangat_rendah",
}
# RollupTotals's figures are columns of their own, its category counts one column each.
ADDED_FIGURES = tuple(f.name for f in fields(RollupTotals) if f.name != "by_category")
TOTAL_COLUMNS = (*ADDED_FIGURES, *CATEGORY_COLUMNS.values())


def summed_totals(rows: FromClause) -> list[Label[Any]]:
    """Totals merged in SQL as domain.rollup.merge_all merges them: every figure added."""
    return [func.sum(rows.c[column]).label(column) for column in TOTAL_COLUMNS]


@dataclass(frozen=True)
class AggregateWindow:
    """The years whose aggregates are kept (the plan period); other years are computed live."""

    first_year: int = 2025
    last_year: int = 2029

    def covers(self, year: int) -> bool:
        return self.first_year <= year <= self.last_year

    def years(self) -> range:
        return range(self.first_year, self.last_year + 1)


def totals_row(totals: RollupTotals) -> dict[str, object]:
    counts = totals.category_counts()
    return {
        **{figure: getattr(totals, figure) for figure in ADDED_FIGURES},
        **{column: counts.get(category, 0) for category, column in CATEGORY_COLUMNS.items()},
    }


CATEGORIES = tuple(CATEGORY_COLUMNS)


_FIGURE_COUNT = len(ADDED_FIGURES)
# ADDED_FIGURES are RollupTotals's fields in order, by_category the last: built by position.
_TOTALS_BY_POSITION: Callable[..., RollupTotals] = RollupTotals


def totals_of_values(values: Sequence[Any]) -> RollupTotals:
    """Totals from the TOTAL_COLUMNS of a row, in order (the read path's hot loop)."""
    counts = values[_FIGURE_COUNT:]
    by_category = tuple((category, count) for category, count in zip(CATEGORIES, counts, strict=True) if count)
    return _TOTALS_BY_POSITION(*values[:_FIGURE_COUNT], by_category)


def totals_of_row(row: object) -> RollupTotals:
    m = row._mapping  # type: ignore[attr-defined]
    return totals_of_values([m[column] for column in TOTAL_COLUMNS])


async def report_units_affected(conn: AsyncConnection, indicator_ids: Sequence[int]) -> set[int]:
    """The reporting units of these indicators and of every computed indicator above them."""
    rows = await conn.execute(_REPORT_UNITS_AFFECTED, {"indicator_ids": list(indicator_ids)})
    return {row.report_unit_id for row in rows}


def _report_units_affected() -> Executable:
    # The chain carries each indicator's unit, so its end joins units by id: joining the chain
    # back to `indicator` hashed every indicator of the country (35 ms at province scale).
    columns = (indicator.c.id, indicator.c.parent_id, indicator.c.org_unit_id)
    ids = any_(bindparam("indicator_ids", type_=ID_ARRAY))
    chain = select(*columns).where(indicator.c.id == ids).cte("chain", recursive=True)
    parent = indicator.alias("parent")
    chain = chain.union(
        select(parent.c.id, parent.c.parent_id, parent.c.org_unit_id)
        .join(chain, chain.c.parent_id == parent.c.id)
        .where(parent.c.rollup_from_children != "NONE")
    )
    return select(org_unit.c.report_unit_id).distinct().join(chain, chain.c.org_unit_id == org_unit.c.id)


# A write's statements are built once, with their values as parameters: building them (a
# recursive chain, the evaluation's rules, the sums' aliases) for every write was about a
# tenth of a 100-row submission.
_REPORT_UNITS_AFFECTED = _report_units_affected()
_VALID_IN_YEAR = valid_between(bindparam("starts_on", type_=Date), bindparam("ends_on", type_=Date))
_OF_REPORT_UNITS = and_(org_unit.c.report_unit_id == any_(bindparam("report_unit_ids", type_=ID_ARRAY)), _VALID_IN_YEAR)


async def _year_inputs(conn: AsyncConnection, report_unit_ids: Sequence[int] | None, year: int) -> YearInputs:
    period = Period(year)
    dates = {"starts_on": period.starts_on, "ends_on": period.ends_on}
    if report_unit_ids is None:
        return await load_year(conn, SYSTEM, _VALID_IN_YEAR, period, dates)
    parameters = {**dates, "report_unit_ids": list(report_unit_ids)}
    return await load_year(conn, SYSTEM, _OF_REPORT_UNITS, period, parameters)


def _unit_totals(
    inputs: YearInputs, periods: Sequence[int | None]
) -> dict[tuple[int, int | None], tuple[str, int, RollupTotals]]:
    evaluator = inputs.evaluator
    units: dict[int, tuple[str, int]] = {}
    parts: dict[tuple[int, int | None], TotalsBuilder] = defaultdict(TotalsBuilder)
    for base_indicator in inputs.base:
        rule = evaluator.rules[base_indicator.id]
        for quarter in periods:
            result = evaluator.result(base_indicator.id, quarter)
            parts[(base_indicator.unit_id, quarter)].add(result, weight=rule.weight, cap=rule.achievement_cap)
        units[base_indicator.unit_id] = (base_indicator.unit_path, base_indicator.report_unit_id)
    return {(unit, q): (*units[unit], builder.totals()) for (unit, q), builder in parts.items()}


async def compute(
    conn: AsyncConnection,
    *,
    report_unit_ids: Iterable[int] | None,
    year: int,
    periods: Sequence[int | None] = PERIODS_OF_YEAR,
) -> dict[tuple[int, int | None], tuple[str, int, RollupTotals]]:
    """Unit-level totals from base rows: (unit, quarter) -> (path, reporting unit, totals), for
    the periods asked (quarter None is the year).

    `report_unit_ids` None computes every unit (the reconciliation's from-scratch pass).
    """
    ids = None if report_unit_ids is None else sorted(report_unit_ids)
    return _unit_totals(await _year_inputs(conn, ids, year), periods)


async def refresh(
    conn: AsyncConnection,
    *,
    report_unit_ids: Iterable[int],
    years: Iterable[int],
    realisation_quarters: Collection[int] | None = None,
) -> None:
    """Recompute the aggregates of these reporting units for these years, in this transaction.

    `realisation_quarters`: only realisations of these quarters changed, so only the periods
    they can reach, judged from the year's data after the write, are recomputed
    (domain.periods.periods_changed_by); None (targets, structure): every period. Of those,
    only rows whose figures changed are rewritten: writing 5,000 unchanged rows of a
    kabupaten/kota was the largest statement of its submission."""
    ids = sorted(set(report_unit_ids))
    if not ids:
        return
    for year in sorted(set(years)):
        inputs = await _year_inputs(conn, ids, year)
        periods = (
            PERIODS_OF_YEAR
            if realisation_quarters is None
            else periods_changed_by(realisation_quarters, inputs.evaluator.accumulated_through())
        )
        quarters = [stored_quarter(p) for p in periods]
        computed = _rows(_unit_totals(inputs, periods), year)
        stored = await _unit_rows(conn, ids, year, quarters)
        changed = [row for row in computed if stored.pop((row["unit_id"], row["quarter"]), None) != _figures(row)]
        # What remains was not recomputed: units no longer valid in the year, or without indicators.
        stale = [(row["unit_id"], row["quarter"]) for row in changed] + list(stored)
        if not stale:
            continue
        resummed = {row["report_unit_id"] for row in changed} | {figures[0] for figures in stored.values()}
        stale_keys = {"units": [unit for unit, _ in stale], "quarters": [quarter for _, quarter in stale]}
        await conn.execute(_DELETE_UNIT_ROWS, {"year": year, **stale_keys})
        await _insert_unit_rows(conn, changed)
        resummed_keys = {"year": year, "report_unit_ids": sorted(resummed), "quarters": quarters}
        await conn.execute(_DELETE_REPORT_UNIT_ROWS, resummed_keys)
        await conn.execute(_SUM_REPORT_UNITS_OF, resummed_keys)


_FIGURE_COLUMNS = ("report_unit_id", "path", "province_code", *TOTAL_COLUMNS)


def _figures(row: dict[str, object]) -> tuple[object, ...]:
    """What a unit row holds besides its key, in the order `_unit_rows` reads it."""
    return tuple(row[column] for column in _FIGURE_COLUMNS)


async def _unit_rows(
    conn: AsyncConnection, report_unit_ids: list[int], year: int, quarters: list[int]
) -> dict[tuple[int, int], tuple[Any, ...]]:
    """The stored unit rows of these reporting units, year and quarters: (unit, quarter) -> figures."""
    parameters = {"year": year, "report_unit_ids": report_unit_ids, "quarters": quarters}
    return {(row[0], row[1]): tuple(row[2:]) for row in await conn.execute(_UNIT_ROWS, parameters)}


async def refresh_for_indicators(
    conn: AsyncConnection,
    window: AggregateWindow,
    indicator_ids: Sequence[int],
    years: Iterable[int],
    realisation_quarters: Collection[int] | None = None,
) -> None:
    """After values or indicators change: refresh what they and the computed indicators above
    them count in, for the kept years among `years` and the periods the change can reach
    (`realisation_quarters`: see `refresh`)."""
    kept = [year for year in set(years) if window.covers(year)]
    if indicator_ids and kept:
        with timings.timed("aggregate_refresh"):
            units = await report_units_affected(conn, indicator_ids)
            await refresh(conn, report_unit_ids=units, years=kept, realisation_quarters=realisation_quarters)


async def rebuild(
    conn: AsyncConnection,
    window: AggregateWindow,
    *,
    years: Collection[int] | None = None,
    rules_version: int = RULES_VERSION,
) -> None:
    """Recompute the aggregates of these kept years (all when None) from base rows: after a bulk
    load, a rule change, or to repair. A rebuild of every year records the rules it used."""
    chosen = [year for year in window.years() if years is None or year in years]
    await conn.execute(delete(rollup_aggregate).where(rollup_aggregate.c.year == any_(literal(chosen, QUARTER_ARRAY))))
    for year in chosen:
        rows = _rows(await compute(conn, report_unit_ids=None, year=year), year)
        if rows:
            await _insert_unit_rows(conn, rows)
            await conn.execute(_SUM_REPORT_UNITS, {"year": year})
    if years is None:
        values = {"id": 1, "version": rules_version, "built_at": func.now()}
        upsert = insert(aggregate_rules).values(values)
        await conn.execute(upsert.on_conflict_do_update(index_elements=["id"], set_=values))


async def rules_version(conn: AsyncConnection) -> int | None:
    """The rules the stored aggregates were built by; None before their first full build."""
    return (await conn.execute(select(aggregate_rules.c.version))).scalar_one_or_none()


async def have_indicators_without_aggregates(conn: AsyncConnection) -> bool:
    """A bulk-loaded database whose aggregates were never built."""
    has_aggregates = (await conn.execute(select(rollup_aggregate.c.unit_id).limit(1))).first()
    has_indicators = (await conn.execute(select(indicator.c.id).limit(1))).first()
    return has_indicators is not None and has_aggregates is None


def _rows(computed: dict[tuple[int, int | None], tuple[str, int, RollupTotals]], year: int) -> list[dict[str, Any]]:
    return [
        {"level": UNIT, "unit_id": unit, "year": year, "quarter": stored_quarter(quarter),
         "province_code": province_code(path), "path": path, "report_unit_id": report_unit, **totals_row(totals)}
        for (unit, quarter), (path, report_unit, totals) in computed.items()
    ]  # fmt: skip


async def _insert_unit_rows(conn: AsyncConnection, rows: list[dict[str, object]]) -> None:
    if rows:
        columns = tuple(rows[0])
        await conn.execute(insert(rollup_aggregate).from_select(columns, unnested(rollup_aggregate, columns, rows)))


def _sum_report_units(*, some: bool) -> Executable:
    """REPORT_UNIT rows are sums of their UNIT rows: one INSERT … SELECT … GROUP BY, of a year's
    every reporting unit, or (`some`) of :report_unit_ids in :quarters."""
    unit_rows = rollup_aggregate.alias("unit_rows")
    report_unit = org_unit.alias("report_unit")
    chosen = (
        and_(
            unit_rows.c.report_unit_id == any_(bindparam("report_unit_ids", type_=ID_ARRAY)),
            unit_rows.c.quarter == any_(bindparam("quarters", type_=QUARTER_ARRAY)),
        )
        if some
        else true()
    )
    sums = (
        select(
            literal(REPORT_UNIT).label("level"),
            unit_rows.c.report_unit_id.label("unit_id"),
            unit_rows.c.year,
            unit_rows.c.quarter,
            unit_rows.c.province_code,
            func.min(report_unit.c.path).label("path"),
            unit_rows.c.report_unit_id,
            *summed_totals(unit_rows),
        )
        .join(
            report_unit,
            (report_unit.c.id == unit_rows.c.report_unit_id)
            & (report_unit.c.province_code == unit_rows.c.province_code),
        )
        .where(unit_rows.c.level == UNIT, unit_rows.c.year == bindparam("year", type_=SmallInteger), chosen)
        .group_by(unit_rows.c.report_unit_id, unit_rows.c.year, unit_rows.c.quarter, unit_rows.c.province_code)
    )
    return insert(rollup_aggregate).from_select(
        ["level", "unit_id", "year", "quarter", "province_code", "path", "report_unit_id", *TOTAL_COLUMNS], sums
    )


def _unit_rows_statement() -> Executable:
    return select(
        rollup_aggregate.c.unit_id, rollup_aggregate.c.quarter, *(rollup_aggregate.c[c] for c in _FIGURE_COLUMNS)
    ).where(
        rollup_aggregate.c.level == UNIT,
        rollup_aggregate.c.year == bindparam("year", type_=SmallInteger),
        rollup_aggregate.c.report_unit_id == any_(bindparam("report_unit_ids", type_=ID_ARRAY)),
        rollup_aggregate.c.quarter == any_(bindparam("quarters", type_=QUARTER_ARRAY)),
    )


def _delete_unit_rows() -> Executable:
    """Unit rows by (unit, quarter) keys, as two arrays unnested: thousands of keys, one statement."""
    keys = func.unnest(bindparam("units", type_=ID_ARRAY), bindparam("quarters", type_=QUARTER_ARRAY))
    pairs = keys.table_valued("unit_id", "quarter").render_derived(name="stale")
    return delete(rollup_aggregate).where(
        rollup_aggregate.c.level == UNIT,
        rollup_aggregate.c.year == bindparam("year", type_=SmallInteger),
        tuple_(rollup_aggregate.c.unit_id, rollup_aggregate.c.quarter).in_(select(pairs.c.unit_id, pairs.c.quarter)),
    )


def _delete_report_unit_rows() -> Executable:
    return delete(rollup_aggregate).where(
        rollup_aggregate.c.level == REPORT_UNIT,
        rollup_aggregate.c.year == bindparam("year", type_=SmallInteger),
        rollup_aggregate.c.report_unit_id == any_(bindparam("report_unit_ids", type_=ID_ARRAY)),
        rollup_aggregate.c.quarter == any_(bindparam("quarters", type_=QUARTER_ARRAY)),
    )


_SUM_REPORT_UNITS = _sum_report_units(some=False)
_SUM_REPORT_UNITS_OF = _sum_report_units(some=True)
_UNIT_ROWS = _unit_rows_statement()
_DELETE_UNIT_ROWS = _delete_unit_rows()
_DELETE_REPORT_UNIT_ROWS = _delete_report_unit_rows()
