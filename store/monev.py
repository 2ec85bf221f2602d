"""Monev rows: a government's rule versions, the entered group scores, published rankings."""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select, tuple_
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncConnection

from domain.monev import Level, MonevPeriod
from policies.paths import province_code
from store.records import GovernmentRecord
from store.tables import monev_figure, monev_ranking, monev_rule, org_unit


@dataclass(frozen=True)
class RuleRecord:
    version: int
    rule: dict[str, Any]
    reason: str | None
    created_by: str
    created_at: datetime


@dataclass(frozen=True)
class RankingRecord:
    id: int
    government_id: int
    period: MonevPeriod
    units: Level
    rule_version: int
    body: str
    sha256: str
    published_by: str
    published_at: datetime


async def current_rule(conn: AsyncConnection, government_id: int, year: int) -> RuleRecord | None:
    row = (
        await conn.execute(
            select(monev_rule)
            .where(monev_rule.c.government_id == government_id, monev_rule.c.year == year)
            .order_by(monev_rule.c.version.desc())
            .limit(1)
        )
    ).first()
    if row is None:
        return None
    return RuleRecord(row.version, row.rule, row.reason, row.created_by, row.created_at)


async def insert_rule(
    conn: AsyncConnection, government: GovernmentRecord, year: int, rule: dict[str, Any], reason: str | None, actor: str
) -> int:
    """The next version; two saving at once: the second fails the unique version (a CONFLICT)."""
    latest = await current_rule(conn, government.id, year)
    version = 1 if latest is None else latest.version + 1
    await conn.execute(
        monev_rule.insert().values(
            province_code=province_code(government.path),
            government_id=government.id,
            year=year,
            version=version,
            rule=rule,
            reason=reason,
            created_by=actor,
        )
    )
    return version


FigureKey = tuple[int, str]  # (org unit, group code)


def _in_period(table: Any, period: MonevPeriod) -> Any:
    return (table.c.year == period.year) & (table.c.quarter == period.quarter) & (table.c.month == period.month)


async def figures(
    conn: AsyncConnection, unit_ids: Sequence[int], period: MonevPeriod, *, lock: bool = False
) -> dict[FigureKey, tuple[Decimal, int]]:
    """Entered scores of these units for the period: (value, version) by (unit, group)."""
    if not unit_ids:
        return {}
    query = select(
        monev_figure.c.org_unit_id, monev_figure.c.group_code, monev_figure.c.value, monev_figure.c.version
    ).where(monev_figure.c.org_unit_id.in_(unit_ids), _in_period(monev_figure, period))
    if lock:
        query = query.with_for_update()
    return {(r.org_unit_id, r.group_code): (r.value, r.version) for r in await conn.execute(query)}


async def write_figures(
    conn: AsyncConnection,
    provinces: Mapping[int, str],
    period: MonevPeriod,
    values: Mapping[FigureKey, tuple[Decimal, str | None]],
    actor: str,
) -> None:
    """Insert or correct scores; `provinces` names each unit's province (a batch may span several)."""
    rows = [
        {
            "org_unit_id": unit_id,
            "year": period.year,
            "quarter": period.quarter,
            "month": period.month,
            "group_code": group,
            "province_code": provinces[unit_id],
            "value": value,
            "note": note,
            "updated_by": actor,
        }
        for (unit_id, group), (value, note) in values.items()
    ]
    statement = insert(monev_figure).values(rows)
    await conn.execute(
        statement.on_conflict_do_update(
            constraint="pk_monev_figure",
            set_={
                "value": statement.excluded.value,
                "note": statement.excluded.note,
                "version": monev_figure.c.version + 1,
                "updated_by": statement.excluded.updated_by,
                "updated_at": func.now(),
            },
        )
    )


def _ranking(row: Any) -> RankingRecord:
    return RankingRecord(
        row.id, row.government_id, MonevPeriod(row.year, row.quarter, row.month), Level(row.units),
        row.rule_version, row.body, row.sha256, row.published_by, row.published_at,
    )  # fmt: skip


RankingKey = tuple[int, MonevPeriod, Level]  # (government, period, what it ranks)


async def published(conn: AsyncConnection, keys: Sequence[RankingKey]) -> dict[RankingKey, RankingRecord]:
    """Published rankings by (government, period, units), in one statement."""
    if not keys:
        return {}
    c = monev_ranking.c
    columns = (c.government_id, c.year, c.quarter, c.month, c.units)
    wanted = [(government, p.year, p.quarter, p.month, units.value) for government, p, units in keys]
    rows = await conn.execute(select(monev_ranking).where(tuple_(*columns).in_(wanted)))
    return {(r.government_id, MonevPeriod(r.year, r.quarter, r.month), Level(r.units)): _ranking(r) for r in rows}


async def insert_ranking(
    conn: AsyncConnection,
    government: GovernmentRecord,
    period: MonevPeriod,
    units: Level,
    rule_version: int,
    body: str,
    sha256: str,
    actor: str,
) -> RankingRecord:
    row = (
        await conn.execute(
            monev_ranking.insert()
            .values(
                province_code=province_code(government.path),
                government_id=government.id,
                year=period.year,
                quarter=period.quarter,
                month=period.month,
                units=units.value,
                rule_version=rule_version,
                body=body,
                sha256=sha256,
                published_by=actor,
            )
            .returning(monev_ranking)
        )
    ).one()
    return _ranking(row)


@dataclass(frozen=True)
class FigureRecord:
    org_unit_id: int
    unit_path: str
    group: str
    value: Decimal
    note: str | None
    version: int
    updated_by: str
    updated_at: datetime


async def figures_under(conn: AsyncConnection, path: str, period: MonevPeriod) -> list[FigureRecord]:
    """Entered scores of the units under a path for the period, by unit and group."""
    rows = await conn.execute(
        select(monev_figure, org_unit.c.path)
        .join(
            org_unit,
            (org_unit.c.id == monev_figure.c.org_unit_id) & (org_unit.c.province_code == monev_figure.c.province_code),
        )
        .where(org_unit.c.path.startswith(path), _in_period(monev_figure, period))
        .order_by(org_unit.c.path, monev_figure.c.group_code)
    )
    return [
        FigureRecord(r.org_unit_id, r.path, r.group_code, r.value, r.note, r.version, r.updated_by, r.updated_at)
        for r in rows
    ]
