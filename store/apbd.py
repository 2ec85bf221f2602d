"""The APBD lines imported from SIPD (per perangkat daerah, year and budget) and the aliases by
which other systems name a perangkat daerah (domain/apbd.py, migration 0026)."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from sqlalchemy import BigInteger, SmallInteger, and_, column, delete, func, or_, select, values
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncConnection

from domain.apbd import pagu_of_pemda
from domain.budget import BudgetLevel
from domain.enums import OrgUnitKind
from domain.progress import BudgetKind, in_force
from store.tables import apbd_line, org_unit, org_unit_alias


@dataclass(frozen=True)
class ApbdLineRecord:
    org_unit_id: int
    year: int
    budget_kind: BudgetKind
    code: str
    level: BudgetLevel
    name: str
    pagu: Decimal | None
    sipd_unit_code: str
    imported_by: str
    imported_at: datetime


@dataclass(frozen=True)
class ApbdLineWrite:
    code: str
    level: BudgetLevel
    name: str
    pagu: Decimal | None
    sipd_unit_code: str


async def aliases(conn: AsyncConnection, government_id: int) -> dict[str, int]:
    """The government's aliases: alias → perangkat daerah."""
    query = select(org_unit_alias.c.alias, org_unit_alias.c.org_unit_id).where(
        org_unit_alias.c.government_id == government_id
    )
    return {row.alias: row.org_unit_id for row in await conn.execute(query)}


async def record_aliases(
    conn: AsyncConnection, government_id: int, province_code: str, mapped: dict[str, int], actor: str
) -> None:
    """Each alias → perangkat daerah, replacing what it named before."""
    if not mapped:
        return
    statement = insert(org_unit_alias)
    await conn.execute(
        statement.on_conflict_do_update(
            index_elements=[org_unit_alias.c.government_id, org_unit_alias.c.alias, org_unit_alias.c.province_code],
            set_={"org_unit_id": statement.excluded.org_unit_id, "recorded_by": actor, "recorded_at": func.now()},
        ),
        [
            {"government_id": government_id, "alias": alias, "province_code": province_code, "org_unit_id": unit_id,
             "recorded_by": actor}
            for alias, unit_id in sorted(mapped.items())
        ],
    )  # fmt: skip


async def replace_lines(
    conn: AsyncConnection,
    org_unit_id: int,
    province_code: str,
    year: int,
    kind: BudgetKind,
    lines: Sequence[ApbdLineWrite],
    actor: str,
) -> int:
    """The unit's lines of the year and budget, all replaced by `lines`; how many it had before."""
    removed = await conn.execute(
        delete(apbd_line).where(
            apbd_line.c.org_unit_id == org_unit_id,
            apbd_line.c.province_code == province_code,
            apbd_line.c.year == year,
            apbd_line.c.budget_kind == kind.value,
        )
    )
    await conn.execute(
        insert(apbd_line),
        [
            {"org_unit_id": org_unit_id, "province_code": province_code, "year": year, "budget_kind": kind.value,
             "code": line.code, "level": line.level.value, "name": line.name, "pagu": line.pagu,
             "position": position, "sipd_unit_code": line.sipd_unit_code, "imported_by": actor}
            for position, line in enumerate(lines)
        ],
    )  # fmt: skip
    return removed.rowcount


async def lines_of(conn: AsyncConnection, org_unit_id: int, year: int) -> dict[BudgetKind, list[ApbdLineRecord]]:
    """The unit's lines of the year by budget, each in the file's order."""
    query = (
        select(
            apbd_line.c.org_unit_id, apbd_line.c.year, apbd_line.c.budget_kind, apbd_line.c.code, apbd_line.c.level,
            apbd_line.c.name, apbd_line.c.pagu, apbd_line.c.sipd_unit_code, apbd_line.c.imported_by,
            apbd_line.c.imported_at,
        )
        .where(apbd_line.c.org_unit_id == org_unit_id, apbd_line.c.year == year)
        .order_by(apbd_line.c.budget_kind, apbd_line.c.position)
    )  # fmt: skip
    by_kind: dict[BudgetKind, list[ApbdLineRecord]] = {}
    for row in await conn.execute(query):
        kind = BudgetKind(row.budget_kind)
        by_kind.setdefault(kind, []).append(
            ApbdLineRecord(
                row.org_unit_id, row.year, kind, row.code, BudgetLevel(row.level), row.name, row.pagu,
                row.sipd_unit_code, row.imported_by, row.imported_at,
            )
        )  # fmt: skip
    return by_kind


async def pagu_in_force(
    conn: AsyncConnection, keys: Sequence[tuple[int, int]]
) -> dict[tuple[int, int], dict[str, Decimal | None]]:
    """For each (unit, year), each code's pagu in the APBD in force (PERUBAHAN once imported,
    MURNI before): a perangkat daerah's own, an eselon unit's agency's, and for a pemda's root unit
    every perangkat daerah of its government summed (domain.apbd.pagu_of_pemda). {} where none
    was imported. One statement for all the keys."""
    if not keys:
        return {}
    wanted = values(column("unit_id", BigInteger), column("year", SmallInteger), name="wanted").data(list(keys))
    asked, agency = org_unit.alias("asked"), org_unit.alias("agency")
    pemda = asked.c.kind == OrgUnitKind.PEMDA.value
    covers = or_(
        and_(~pemda, agency.c.id == func.coalesce(asked.c.report_unit_id, asked.c.id)),
        and_(pemda, agency.c.government_id == asked.c.government_id,
             agency.c.kind == OrgUnitKind.PERANGKAT_DAERAH.value),
    )  # fmt: skip
    query = select(
        wanted.c.unit_id, wanted.c.year, apbd_line.c.org_unit_id, apbd_line.c.budget_kind, apbd_line.c.code,
        apbd_line.c.pagu,
    ).select_from(
        wanted.join(asked, asked.c.id == wanted.c.unit_id)
        .join(agency, covers)
        .join(apbd_line, and_(apbd_line.c.org_unit_id == agency.c.id, apbd_line.c.year == wanted.c.year))
    )  # fmt: skip
    found: dict[tuple[int, int], dict[int, dict[BudgetKind, list[tuple[str, Decimal | None]]]]] = {}
    for row in await conn.execute(query):
        by_agency = found.setdefault((row.unit_id, row.year), {})
        by_agency.setdefault(row.org_unit_id, {}).setdefault(BudgetKind(row.budget_kind), []).append(
            (row.code, row.pagu)
        )
    return {
        key: pagu_of_pemda(dict(in_force(by_kind)[1]) for by_kind in by_agency.values())
        for key, by_agency in found.items()
    }
