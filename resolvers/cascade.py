"""Cascade links with consent (actions/cascade.py does the work)."""

import strawberry

from actions import cascade
from resolvers.writes import Outcome, in_transaction
from schema.cascade import CascadeProposal, CascadeProposalPayload, DecideCascadeLinkInput, ProposeCascadeLinkInput
from schema.ids import pk_of
from schema.types import Info
from store import cascade as proposals
from store.cascade import ProposalRecord


def _payload(done: Outcome[ProposalRecord]) -> CascadeProposalPayload:
    proposal = CascadeProposal.of(done.value) if done.value else None
    return CascadeProposalPayload(proposal=proposal, user_errors=done.user_errors)


async def propose_cascade_link(info: Info, input: ProposeCascadeLinkInput) -> CascadeProposalPayload:
    caller = info.context.caller
    done = await in_transaction(
        info,
        lambda conn: cascade.propose_cascade_link(
            conn,
            caller=caller,
            child_id=pk_of(input.child_indicator_id, "Indicator"),
            parent_id=pk_of(input.parent_indicator_id, "Indicator"),
        ),
    )
    return _payload(done)


async def decide_cascade_link(info: Info, input: DecideCascadeLinkInput) -> CascadeProposalPayload:
    context = info.context
    done = await in_transaction(
        info,
        lambda conn: cascade.decide_cascade_link(
            conn,
            caller=context.caller,
            window=context.services.window,
            proposal_id=pk_of(input.proposal_id, "CascadeProposal"),
            accept=input.accept,
            reason=input.reason,
        ),
    )
    return _payload(done)


async def cascade_proposals(info: Info, indicator_id: strawberry.ID) -> list[CascadeProposal]:
    """Proposals naming a visible indicator as the child or the parent, newest first."""
    indicator = await info.context.loaders.indicator_by_id.load(pk_of(indicator_id, "Indicator"))
    if indicator is None:
        return []
    found = await proposals.proposals_of(await info.context.connection(), [indicator.id])
    return [CascadeProposal.of(record) for record in found]
