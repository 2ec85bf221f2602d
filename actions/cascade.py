"""Cascade links across levels with consent (design.md, "Cascading"): the province proposes that a
kabupaten/kota's indicator supports one of its IKU, or a pemda that an agency's indicator supports
an RPJMD indicator; the lower level accepts, or rejects with a reason. Only an accepted link sets
the child's parent, so only accepted links count in cascade rollups."""

from datetime import UTC, datetime

from sqlalchemy.ext.asyncio import AsyncConnection

from actions import audit
from actions.caller import Caller
from domain.cascade import ProposalState, check_cascade_link, check_decision, may_consent
from domain.errors import DomainError
from policies.paths import province_code
from policies.permissions import Permission
from store import audit as audit_log
from store import cascade, writes
from store.aggregates import AggregateWindow
from store.cascade import ProposalRecord
from store.indicators import cascade_end_of


async def propose_cascade_link(
    conn: AsyncConnection, *, caller: Caller, child_id: int, parent_id: int
) -> ProposalRecord:
    viewer = caller.viewer
    child = await cascade_end_of(conn, viewer, child_id)
    if child is None:
        raise DomainError("NOT_FOUND", "Indikator tidak ditemukan.", "childIndicatorId")
    parent = await cascade_end_of(conn, viewer, parent_id)
    if parent is None:
        raise DomainError("NOT_FOUND", "Indikator induk tidak ditemukan.", "parentIndicatorId")
    if not viewer.may(Permission.WRITE_INDICATORS, parent.unit_path):
        raise DomainError("FORBIDDEN", "Usulan datang dari pemilik indikator induk.", "parentIndicatorId")
    try:
        check_cascade_link(child=child, parent=parent)
    except DomainError as error:
        raise error.at("parentIndicatorId") from error
    proposal = await cascade.insert_proposal(
        conn, province=province_code(child.unit_path), child_id=child_id, parent_id=parent_id, actor=caller.actor
    )
    if proposal is None:
        raise DomainError(
            "CONFLICT", "Indikator ini sudah memiliki usulan yang menunggu keputusan.", "childIndicatorId"
        )
    entry = audit.entry(
        caller,
        "cascade.propose",
        entity_id=str(proposal.id),
        scope_path=child.unit_path,
        new={"child_id": child_id, "parent_id": parent_id},
    )
    await audit_log.append(conn, [entry])
    return proposal


async def decide_cascade_link(
    conn: AsyncConnection, *, caller: Caller, window: AggregateWindow, proposal_id: int, accept: bool, reason: str
) -> ProposalRecord:
    proposal = await cascade.proposal_for_update(conn, proposal_id)
    child = await cascade_end_of(conn, caller.viewer, proposal.child_id) if proposal else None
    parent = await cascade_end_of(conn, caller.viewer, proposal.parent_id) if proposal else None
    if proposal is None or child is None or parent is None:
        raise DomainError("NOT_FOUND", "Usulan tidak ditemukan.", "proposalId")
    consenting = caller.viewer.paths(Permission.CONSENT_CASCADE)
    if not may_consent(consenting, child_unit_path=child.unit_path, parent_unit_path=parent.unit_path):
        raise DomainError("FORBIDDEN", "Keputusan diambil oleh pemilik indikator yang diusulkan.", "proposalId")
    decided = check_decision(proposal.state, accept, reason)
    record = await cascade.decide(
        conn,
        proposal.id,
        state=decided.value,
        decided_by=caller.actor,
        decided_at=datetime.now(UTC),
        reason=reason.strip() or None,
    )
    if decided is ProposalState.ACCEPTED:
        await writes.set_parent(conn, window, proposal.child_id, proposal.parent_id)
    entry = audit.entry(
        caller,
        f"cascade.{'accept' if accept else 'reject'}",
        entity_id=str(proposal.id),
        scope_path=child.unit_path,
        old={"state": proposal.state.value},
        new={"state": decided.value, "child_id": proposal.child_id, "parent_id": proposal.parent_id},
        reason=reason.strip() or None,
    )
    await audit_log.append(conn, [entry])
    return record
