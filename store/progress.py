"""Monthly progress lines (monev_progress; domain/progress.py): read per unit and month, written
in batches, summarised per unit under a path for the rankings."""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncConnection

from domain.budget import sipd_code
from domain.progress import BudgetKind, ProgressLine
from store.tables import monev_progress, org_unit


@dataclass(frozen=True)
class ProgressRecord:
    org_unit_id: int
    unit_path: str
    month: int
    kind: BudgetKind
    name: str
    line: ProgressLine
    version: int
    submitted_at: datetime
    updated_by: str
    updated_at: datetime


LineKey = tuple[int, BudgetKind, str]  # (org unit, budget, normalised code)


def _record(r: Any) -> ProgressRecord:
    line = ProgressLine(sipd_code(r.code), r.pagu, r.physical_target, r.physical, r.financial_target, r.financial)
    return ProgressRecord(
        r.org_unit_id, r.path, r.month, BudgetKind(r.budget_kind), r.name, line, r.version, r.submitted_at,
        r.updated_by, r.updated_at,
    )  # fmt: skip


def _with_path(query: Select[Any]) -> Select[Any]:
    return query.join(
        org_unit,
        (org_unit.c.id == monev_progress.c.org_unit_id) & (org_unit.c.province_code == monev_progress.c.province_code),
    )


async def versions(
    conn: AsyncConnection, unit_ids: Sequence[int], year: int, month: int, kind: BudgetKind
) -> dict[LineKey, int]:
    """The version of each line these units hold for the month and budget, locked for the write."""
    if not unit_ids:
        return {}
    rows = await conn.execute(
        select(monev_progress.c.org_unit_id, monev_progress.c.code, monev_progress.c.version)
        .where(
            monev_progress.c.org_unit_id.in_(unit_ids),
            monev_progress.c.year == year,
            monev_progress.c.month == month,
            monev_progress.c.budget_kind == kind.value,
        )
        .with_for_update()
    )
    return {(r.org_unit_id, kind, r.code): r.version for r in rows}


async def write(
    conn: AsyncConnection,
    provinces: Mapping[int, str],
    year: int,
    month: int,
    lines: Mapping[LineKey, tuple[str, ProgressLine]],
    actor: str,
) -> None:
    """Insert or correct lines; a correction keeps the first submission time and bumps the version.
    `provinces` names each unit's province (a batch may span several)."""
    rows = [
        {
            "org_unit_id": unit_id,
            "year": year,
            "month": month,
            "budget_kind": kind.value,
            "code": code,
            "province_code": provinces[unit_id],
            "name": name,
            "pagu": line.pagu,
            "physical_target": line.physical_target,
            "physical": line.physical,
            "financial_target": line.financial_target,
            "financial": line.financial,
            "updated_by": actor,
        }
        for (unit_id, kind, code), (name, line) in lines.items()
    ]
    statement = insert(monev_progress).values(rows)
    changed = ("name", "pagu", "physical_target", "physical", "financial_target", "financial", "updated_by")
    await conn.execute(
        statement.on_conflict_do_update(
            constraint="pk_monev_progress",
            set_={
                **{column: statement.excluded[column] for column in changed},
                "version": monev_progress.c.version + 1,
                "updated_at": func.now(),
            },
        )
    )


async def under(conn: AsyncConnection, path: str, year: int, months: Sequence[int]) -> list[ProgressRecord]:
    """Every line of the units under a path for these months, by unit path, month, budget, code."""
    query = _with_path(select(monev_progress, org_unit.c.path)).where(
        org_unit.c.path.startswith(path), monev_progress.c.year == year, monev_progress.c.month.in_(list(months))
    )
    rows = await conn.execute(
        query.order_by(org_unit.c.path, monev_progress.c.month, monev_progress.c.budget_kind, monev_progress.c.code)
    )
    return [_record(r) for r in rows]


async def first_submissions(
    conn: AsyncConnection, path: str, year: int, through_month: int
) -> dict[tuple[str, int], datetime]:
    """When each unit under a path first reported each month up to `through_month` (its progress
    lines' earliest submission), by (unit path, month): the month's on-time reporting."""
    rows = await conn.execute(
        _with_path(select(org_unit.c.path, monev_progress.c.month, func.min(monev_progress.c.submitted_at)))
        .where(org_unit.c.path.startswith(path), monev_progress.c.year == year, monev_progress.c.month <= through_month)
        .group_by(org_unit.c.path, monev_progress.c.month)
    )
    return {(path_, int(month)): submitted for path_, month, submitted in rows.all()}
