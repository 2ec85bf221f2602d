"""Performance agreements (Perjanjian Kinerja): the working copy, its items and budget lines,
and the signed versions (frozen snapshots, append-only in the database)."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import ColumnElement, and_, func, select, text
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncConnection

from domain.agreements import AgreementLevel, AgreementState, BudgetLine, VersionKind
from domain.budget import sipd_code
from policies.paths import province_code
from policies.scopes import agreements_visible, under
from policies.viewer import Viewer
from store.shapes import RowShape
from store.tables import (
    agreement_budget_line,
    agreement_item,
    agreement_version,
    budget_approval,
    indicator,
    org_unit,
    performance_agreement,
    target,
)


@dataclass(frozen=True)
class AgreementRecord:
    id: int
    org_unit_id: int
    year: int
    level: AgreementLevel
    superior_id: int | None
    state: AgreementState
    revision: int
    first_party: dict[str, Any]
    first_party_user_id: int | None
    second_party: dict[str, Any] | None
    first_signed_at: datetime | None
    first_signed_by: str | None
    second_signed_at: datetime | None
    second_signed_by: str | None
    revision_reason: str | None
    revision_ground: str | None
    signed_versions: int
    created_at: datetime
    updated_at: datetime
    path: str  # of the unit


@dataclass(frozen=True)
class ItemRecord:
    agreement_id: int
    indicator_id: int
    position: int
    objective_text: str | None


@dataclass(frozen=True)
class BudgetLineRecord:
    agreement_id: int
    code: str
    name: str
    amount: Decimal
    position: int

    def line(self) -> BudgetLine:
        return BudgetLine(sipd_code(self.code), self.name, self.amount)


@dataclass(frozen=True)
class AgreementVersionRecord:
    id: int
    agreement_id: int
    number: int
    kind: VersionKind
    reason: str | None
    ground: str | None
    signed_at: datetime
    snapshot: dict[str, Any]


AGREEMENT = RowShape(AgreementRecord)
ITEM = RowShape(ItemRecord)
BUDGET_LINE = RowShape(BudgetLineRecord)
AGREEMENT_VERSION = RowShape(AgreementVersionRecord)


def _on_unit() -> ColumnElement[bool]:
    return and_(
        org_unit.c.id == performance_agreement.c.org_unit_id,
        org_unit.c.province_code == performance_agreement.c.province_code,
    )


def _agreements() -> Any:
    columns = AGREEMENT.columns(performance_agreement, {"path": org_unit.c.path})
    return select(*columns).join(org_unit, _on_unit())


def visible(viewer: Viewer) -> ColumnElement[bool]:
    """Agreements signed at least once are public documents; drafts are read in scope, and by
    their pihak kesatu."""
    return agreements_visible(
        viewer, org_unit.c.path, performance_agreement.c.signed_versions, performance_agreement.c.first_party_user_id
    )


async def agreement(
    conn: AsyncConnection,
    *,
    agreement_id: int | None = None,
    unit_year: tuple[int, int] | None = None,
    for_update: bool = False,
) -> AgreementRecord | None:
    query = _agreements()
    if agreement_id is not None:
        query = query.where(performance_agreement.c.id == agreement_id)
    if unit_year is not None:
        query = query.where(
            performance_agreement.c.org_unit_id == unit_year[0], performance_agreement.c.year == unit_year[1]
        )
    if for_update:
        query = query.with_for_update(of=performance_agreement)
    row = (await conn.execute(query)).first()
    return AGREEMENT.read(row) if row else None


async def visible_agreements(conn: AsyncConnection, viewer: Viewer, ids: Sequence[int]) -> list[AgreementRecord]:
    query = _agreements().where(performance_agreement.c.id.in_(list(ids)), visible(viewer))
    return [AGREEMENT.read(row) for row in await conn.execute(query)]


async def agreements_under(conn: AsyncConnection, viewer: Viewer, path: str, year: int | None) -> list[AgreementRecord]:
    query = _agreements().where(under(org_unit.c.path, (path,)), visible(viewer))
    if year is not None:
        query = query.where(performance_agreement.c.year == year)
    rows = await conn.execute(query.order_by(performance_agreement.c.year, org_unit.c.path))
    return [AGREEMENT.read(row) for row in rows]


async def subordinates(conn: AsyncConnection, viewer: Viewer, superior_ids: Sequence[int]) -> list[AgreementRecord]:
    query = _agreements().where(performance_agreement.c.superior_id.in_(list(superior_ids)), visible(viewer))
    return [AGREEMENT.read(row) for row in await conn.execute(query.order_by(org_unit.c.path))]


async def insert_agreement(conn: AsyncConnection, path: str, **values: Any) -> int | None:
    """The new agreement's id; None when the unit's agreement for the year was made meanwhile."""
    statement = (
        insert(performance_agreement)
        .values(province_code=province_code(path), **values)
        .on_conflict_do_nothing()
        .returning(performance_agreement.c.id)
    )
    agreement_id: int | None = (await conn.execute(statement)).scalar_one_or_none()
    return agreement_id


async def update_agreement(conn: AsyncConnection, agreement_id: int, expected_revision: int, **values: Any) -> bool:
    statement = (
        performance_agreement.update()
        .where(performance_agreement.c.id == agreement_id, performance_agreement.c.revision == expected_revision)
        .values(revision=performance_agreement.c.revision + 1, updated_at=datetime.now().astimezone(), **values)
    )
    return (await conn.execute(statement)).rowcount == 1


async def replace_items(
    conn: AsyncConnection, agreement_id: int, path: str, items: Sequence[tuple[int, str | None]]
) -> None:
    await conn.execute(agreement_item.delete().where(agreement_item.c.agreement_id == agreement_id))
    if items:
        rows = [
            {
                "agreement_id": agreement_id,
                "indicator_id": indicator_id,
                "province_code": province_code(path),
                "position": number + 1,
                "objective_text": objective_text,
            }
            for number, (indicator_id, objective_text) in enumerate(items)
        ]
        await conn.execute(insert(agreement_item), rows)


async def replace_budget_lines(
    conn: AsyncConnection, agreement_id: int, path: str, lines: Sequence[BudgetLine]
) -> None:
    await conn.execute(agreement_budget_line.delete().where(agreement_budget_line.c.agreement_id == agreement_id))
    if lines:
        rows = [
            {
                "agreement_id": agreement_id,
                "code": line.code.text,
                "province_code": province_code(path),
                "name": line.name,
                "amount": line.amount,
                "position": number + 1,
            }
            for number, line in enumerate(lines)
        ]
        await conn.execute(insert(agreement_budget_line), rows)


async def items_of(conn: AsyncConnection, agreement_ids: Sequence[int]) -> list[ItemRecord]:
    query = (
        select(*ITEM.columns(agreement_item))
        .where(agreement_item.c.agreement_id.in_(list(agreement_ids)))
        .order_by(agreement_item.c.agreement_id, agreement_item.c.position)
    )
    return [ITEM.read(row) for row in await conn.execute(query)]


async def budget_lines_of(conn: AsyncConnection, agreement_ids: Sequence[int]) -> list[BudgetLineRecord]:
    query = (
        select(*BUDGET_LINE.columns(agreement_budget_line))
        .where(agreement_budget_line.c.agreement_id.in_(list(agreement_ids)))
        .order_by(agreement_budget_line.c.agreement_id, agreement_budget_line.c.position)
    )
    return [BUDGET_LINE.read(row) for row in await conn.execute(query)]


async def versions_of(conn: AsyncConnection, agreement_ids: Sequence[int]) -> list[AgreementVersionRecord]:
    query = (
        select(*AGREEMENT_VERSION.columns(agreement_version))
        .where(agreement_version.c.agreement_id.in_(list(agreement_ids)))
        .order_by(agreement_version.c.agreement_id, agreement_version.c.number)
    )
    return [AGREEMENT_VERSION.read(row) for row in await conn.execute(query)]


async def insert_version(
    conn: AsyncConnection, record: AgreementRecord, *, number: int, kind: VersionKind, snapshot: dict[str, Any]
) -> None:
    await conn.execute(
        insert(agreement_version).values(
            province_code=province_code(record.path),
            agreement_id=record.id,
            number=number,
            kind=kind.value,
            reason=record.revision_reason,
            ground=record.revision_ground,
            snapshot=snapshot,
        )
    )


@dataclass(frozen=True)
class ItemFacts:
    """What the agreement prints of an indicator: its definition and the year's annual target."""

    indicator_id: int
    code: str
    name: str
    unit_of_measure: str
    path: str
    target: Decimal | None
    high: Decimal | None
    target_version: int | None


async def item_facts(conn: AsyncConnection, indicator_ids: Sequence[int], year: int) -> dict[int, ItemFacts]:
    query = (
        select(
            indicator.c.id,
            indicator.c.code,
            indicator.c.name,
            indicator.c.unit_of_measure,
            org_unit.c.path,
            target.c.value,
            target.c.high,
            target.c.version,
        )
        .join(
            org_unit,
            and_(org_unit.c.id == indicator.c.org_unit_id, org_unit.c.province_code == indicator.c.province_code),
        )
        .outerjoin(
            target,
            and_(
                target.c.indicator_id == indicator.c.id,
                target.c.province_code == indicator.c.province_code,
                target.c.year == year,
                target.c.quarter == 0,
            ),
        )
        .where(indicator.c.id.in_(list(indicator_ids)))
    )
    return {
        row.id: ItemFacts(row.id, row.code, row.name, row.unit_of_measure, row.path, row.value, row.high, row.version)
        for row in await conn.execute(query)
    }


async def signed_indicator_years(conn: AsyncConnection, keys: Sequence[tuple[int, int]]) -> set[tuple[int, int]]:
    """The (indicator, year) pairs listed by a signed agreement of that year."""
    if not keys:
        return set()
    indicator_ids = sorted({indicator_id for indicator_id, _ in keys})
    query = (
        select(agreement_item.c.indicator_id, performance_agreement.c.year)
        .join(
            performance_agreement,
            and_(
                performance_agreement.c.id == agreement_item.c.agreement_id,
                performance_agreement.c.province_code == agreement_item.c.province_code,
            ),
        )
        .where(
            agreement_item.c.indicator_id.in_(indicator_ids),
            performance_agreement.c.state == AgreementState.SIGNED.value,
        )
    )
    wanted = set(keys)
    return {(row.indicator_id, row.year) for row in await conn.execute(query)} & wanted


async def record_budget_approval(
    conn: AsyncConnection, *, government_id: int, year: int, approved_on: date, actor: str
) -> date | None:
    """The approval date kept for the year; returns the one it replaced, if any."""
    previous = (
        await conn.execute(
            select(budget_approval.c.dpa_approved_on).where(
                budget_approval.c.government_id == government_id, budget_approval.c.year == year
            )
        )
    ).scalar_one_or_none()
    statement = insert(budget_approval).values(
        government_id=government_id, year=year, dpa_approved_on=approved_on, recorded_by=actor
    )
    await conn.execute(
        statement.on_conflict_do_update(
            index_elements=[budget_approval.c.government_id, budget_approval.c.year],
            set_={"dpa_approved_on": approved_on, "recorded_by": actor, "recorded_at": func.now()},
        )
    )
    return previous


@dataclass(frozen=True)
class ComplianceFacts:
    """A unit that heads an agreement level, its agreement of the year (if any) and the DPA date."""

    org_unit_id: int
    state: AgreementState | None
    first_signed_at: datetime | None
    dpa_approved_on: date | None


AGREEMENT_COMPLIANCE = text(
    """
    SELECT u.id AS org_unit_id, a.state, v.signed_at, b.dpa_approved_on
    FROM org_unit u
    LEFT JOIN performance_agreement a ON a.org_unit_id = u.id AND a.province_code = u.province_code
         AND a.year = :year
    LEFT JOIN agreement_version v ON v.agreement_id = a.id AND v.province_code = a.province_code AND v.number = 1
    LEFT JOIN budget_approval b ON b.government_id = u.government_id AND b.year = :year
    WHERE u.government_id = :government_id AND u.kind IN ('PEMDA', 'PERANGKAT_DAERAH')
      AND u.valid_from <= :year_end AND (u.valid_to IS NULL OR u.valid_to >= :year_start)
    ORDER BY u.path
    """
)


async def compliance_facts(conn: AsyncConnection, government_id: int, year: int) -> list[ComplianceFacts]:
    rows = await conn.execute(
        AGREEMENT_COMPLIANCE,
        {"government_id": government_id, "year": year, "year_start": date(year, 1, 1), "year_end": date(year, 12, 31)},
    )
    return [
        ComplianceFacts(
            row.org_unit_id, AgreementState(row.state) if row.state else None, row.signed_at, row.dpa_approved_on
        )
        for row in rows
    ]


async def units_with_agreements(
    conn: AsyncConnection, unit_ids: Sequence[int], from_year: int
) -> list[tuple[int, int]]:
    """(unit, year) of every agreement of these units from `from_year` on, in one statement."""
    query = (
        select(performance_agreement.c.org_unit_id, performance_agreement.c.year)
        .where(performance_agreement.c.org_unit_id.in_(list(unit_ids)), performance_agreement.c.year >= from_year)
        .order_by(performance_agreement.c.year)
    )
    return [(row.org_unit_id, row.year) for row in await conn.execute(query)]
