"""Cascade link proposals (domain/cascade.py): the upper level proposes, the lower one decides."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncConnection

from domain.cascade import ProposalState
from store.shapes import RowShape
from store.tables import cascade_proposal


@dataclass(frozen=True)
class ProposalRecord:
    id: int
    child_id: int
    parent_id: int
    state: ProposalState
    proposed_by: str
    proposed_at: datetime
    decided_by: str | None
    decided_at: datetime | None
    reason: str | None


PROPOSAL = RowShape(ProposalRecord)


async def insert_proposal(
    conn: AsyncConnection, *, province: str, child_id: int, parent_id: int, actor: str
) -> ProposalRecord | None:
    """The new proposal; None when the child already has an open one."""
    statement = (
        insert(cascade_proposal)
        .values(province_code=province, child_id=child_id, parent_id=parent_id, proposed_by=actor)
        .on_conflict_do_nothing()
        .returning(*PROPOSAL.columns(cascade_proposal))
    )
    row = (await conn.execute(statement)).first()
    return PROPOSAL.read(row) if row else None


async def proposal_for_update(conn: AsyncConnection, proposal_id: int) -> ProposalRecord | None:
    query = select(*PROPOSAL.columns(cascade_proposal)).where(cascade_proposal.c.id == proposal_id).with_for_update()
    row = (await conn.execute(query)).first()
    return PROPOSAL.read(row) if row else None


async def decide(conn: AsyncConnection, proposal_id: int, **values: Any) -> ProposalRecord:
    statement = (
        cascade_proposal.update()
        .where(cascade_proposal.c.id == proposal_id)
        .values(**values)
        .returning(*PROPOSAL.columns(cascade_proposal))
    )
    return PROPOSAL.read((await conn.execute(statement)).one())


async def proposals_of(conn: AsyncConnection, indicator_ids: Sequence[int]) -> list[ProposalRecord]:
    """Proposals where the indicators are the child or the parent, newest first."""
    ids = list(indicator_ids)
    query = (
        select(*PROPOSAL.columns(cascade_proposal))
        .where(or_(cascade_proposal.c.child_id.in_(ids), cascade_proposal.c.parent_id.in_(ids)))
        .order_by(cascade_proposal.c.id.desc())
    )
    return [PROPOSAL.read(row) for row in await conn.execute(query)]
