"""Monev rows: a government's rule versions, the entered group scores, published rankings."""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select, tuple_
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncConnection

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
    year: int
    quarter: int
    rule_version: int
    body: str
    sha256: str
    published_by: str
    published_at: datetime


def _province(government: GovernmentRecord) -> str:
    return government.path.split("/", 1)[0]


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
            province_code=_province(government),
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


async def figures(
    conn: AsyncConnection, unit_ids: Sequence[int], year: int, quarter: int, *, lock: bool = False
) -> dict[FigureKey, tuple[Decimal, int]]:
    """Entered scores of these units for the quarter: (value, version) by (unit, group)."""
    if not unit_ids:
        return {}
    query = select(
        monev_figure.c.org_unit_id, monev_figure.c.group_code, monev_figure.c.value, monev_figure.c.version
    ).where(monev_figure.c.org_unit_id.in_(unit_ids), monev_figure.c.year == year, monev_figure.c.quarter == quarter)
    if lock:
        query = query.with_for_update()
    return {(r.org_unit_id, r.group_code): (r.value, r.version) for r in await conn.execute(query)}


async def write_figures(
    conn: AsyncConnection,
    province_code: str,
    year: int,
    quarter: int,
    values: Mapping[FigureKey, tuple[Decimal, str | None]],
    actor: str,
) -> None:
    rows = [
        {
            "org_unit_id": unit_id,
            "year": year,
            "quarter": quarter,
            "group_code": group,
            "province_code": province_code,
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
        row.id, row.government_id, row.year, row.quarter, row.rule_version, row.body, row.sha256,
        row.published_by, row.published_at,
    )  # fmt: skip


async def published(
    conn: AsyncConnection, keys: Sequence[tuple[int, int, int]]
) -> dict[tuple[int, int, int], RankingRecord]:
    """Published rankings by (government, year, quarter), in one statement."""
    if not keys:
        return {}
    rows = await conn.execute(
        select(monev_ranking).where(
            tuple_(monev_ranking.c.government_id, monev_ranking.c.year, monev_ranking.c.quarter).in_(list(keys))
        )
    )
    return {(r.government_id, r.year, r.quarter): _ranking(r) for r in rows}


async def insert_ranking(
    conn: AsyncConnection,
    government: GovernmentRecord,
    year: int,
    quarter: int,
    rule_version: int,
    body: str,
    sha256: str,
    actor: str,
) -> RankingRecord:
    row = (
        await conn.execute(
            monev_ranking.insert()
            .values(
                province_code=_province(government),
                government_id=government.id,
                year=year,
                quarter=quarter,
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


async def figures_under(conn: AsyncConnection, path: str, year: int, quarter: int) -> list[FigureRecord]:
    """Entered scores of the units under a path for the quarter, by unit and group."""
    rows = await conn.execute(
        select(monev_figure, org_unit.c.path)
        .join(
            org_unit,
            (org_unit.c.id == monev_figure.c.org_unit_id) & (org_unit.c.province_code == monev_figure.c.province_code),
        )
        .where(org_unit.c.path.startswith(path), monev_figure.c.year == year, monev_figure.c.quarter == quarter)
        .order_by(org_unit.c.path, monev_figure.c.group_code)
    )
    return [
        FigureRecord(r.org_unit_id, r.path, r.group_code, r.value, r.note, r.version, r.updated_by, r.updated_at)
        for r in rows
    ]
