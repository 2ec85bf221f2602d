"""Cascade link proposals (usulan penyelarasan pohon kinerja) and their mutations' inputs."""

from datetime import datetime
from typing import Self

import strawberry

from domain.cascade import ProposalState
from schema.ids import encode_id
from schema.inputs import UserError
from schema.types import Indicator, Info
from store.cascade import ProposalRecord

strawberry.enum(ProposalState, name="CascadeProposalState", description="PROPOSED, ACCEPTED or REJECTED.")


@strawberry.type(description="A cascade link the upper level proposed; it counts once the lower level accepts it.")
class CascadeProposal:
    record: strawberry.Private[ProposalRecord]
    id: strawberry.ID
    state: ProposalState
    proposed_by: str
    proposed_at: datetime
    decided_by: str | None
    decided_at: datetime | None
    reason: str | None = strawberry.field(description="Why it was rejected (or a note on accepting).")

    @classmethod
    def of(cls, record: ProposalRecord) -> Self:
        return cls(
            record=record,
            id=strawberry.ID(encode_id("CascadeProposal", record.id)),
            state=record.state,
            proposed_by=record.proposed_by,
            proposed_at=record.proposed_at,
            decided_by=record.decided_by,
            decided_at=record.decided_at,
            reason=record.reason,
        )

    @strawberry.field(description="The lower indicator, which would support the parent.")
    async def child(self, info: Info) -> Indicator | None:
        record = await info.context.loaders.indicator_by_id.load(self.record.child_id)
        return Indicator.of(record) if record else None

    @strawberry.field(description="The upper indicator (a province IKU, a pemda's RPJMD indicator).")
    async def parent(self, info: Info) -> Indicator | None:
        record = await info.context.loaders.indicator_by_id.load(self.record.parent_id)
        return Indicator.of(record) if record else None


@strawberry.input(description="Propose that a lower indicator supports an upper one.")
class ProposeCascadeLinkInput:
    child_indicator_id: strawberry.ID
    parent_indicator_id: strawberry.ID


@strawberry.input(description="Accept, or reject with a reason, a proposed cascade link.")
class DecideCascadeLinkInput:
    proposal_id: strawberry.ID
    accept: bool
    reason: str = ""


@strawberry.type
class CascadeProposalPayload:
    proposal: CascadeProposal | None
    user_errors: list[UserError]
