"""GraphQL types of reward and punishment (domain/rewards.py): a rule's clauses, a period's list
(proposed from the published ranking, or confirmed and frozen) and each item's follow-up."""

from datetime import date, datetime
from enum import Enum
from typing import Self

import strawberry

from domain.monev import Level
from domain.rewards import Clause, Consequence, Trigger
from schema.inputs import UserError
from schema.types import Government, Info, OrgUnit
from store.records import GovernmentRecord
from store.rewards import FollowUpRecord, ItemRecord

strawberry.enum(
    Trigger,
    name="RewardTrigger",
    description="What puts a unit under a clause: RANK_AT_MOST, ranked 1 to rankAtMost; ZONE, landed in one of "
    "the zones (DATA_BELUM_LENGKAP included).",
)


@strawberry.enum(description="PROPOSED: as the published ranking gives it; CONFIRMED: set by the leader, frozen.")
class RewardListState(Enum):
    PROPOSED = "PROPOSED"
    CONFIRMED = "CONFIRMED"


@strawberry.type(description="A reward or punishment clause of a monev rule (aturan penghargaan dan sanksi).")
class RewardClause:
    category: str = strawberry.field(description="E.g. PENGHARGAAN, TEGURAN.")
    name: str
    trigger: Trigger
    rank_at_most: int | None
    zones: list[str]
    in_a_row: int = strawberry.field(description="Periods in a row, this one included (berturut-turut).")
    action: str = strawberry.field(description="What follows, e.g. 'Rapat dengan Sekda'.")

    @classmethod
    def of(cls, clause: Clause) -> Self:
        return cls(
            category=clause.category, name=clause.name, trigger=clause.trigger, rank_at_most=clause.rank_at_most,
            zones=list(clause.zones), in_a_row=clause.in_a_row, action=clause.action,
        )  # fmt: skip


@strawberry.input(description="A reward or punishment clause.")
class RewardClauseInput:
    category: str
    name: str
    trigger: Trigger
    rank_at_most: int | None = None
    zones: list[str] = strawberry.field(default_factory=list)
    in_a_row: int = 1
    action: str = ""

    def clause(self) -> Clause:
        return Clause(
            self.category.strip(), self.name.strip(), self.trigger, self.rank_at_most,
            tuple(z.strip() for z in self.zones), self.in_a_row, self.action.strip(),
        )  # fmt: skip


@strawberry.type(description="The follow-up of a list item (tindak lanjut): done, when, and a note.")
class RewardFollowUp:
    done: bool
    done_on: date | None
    note: str | None
    version: int = strawberry.field(description="Send it as expectedVersion to change the follow-up.")
    updated_by: str
    updated_at: datetime

    @classmethod
    def of(cls, record: FollowUpRecord) -> Self:
        return cls(
            done=record.done, done_on=record.done_on, note=record.note, version=record.version,
            updated_by=record.updated_by, updated_at=record.updated_at,
        )  # fmt: skip


@strawberry.type(description="A unit under a clause in a period (butir penghargaan atau sanksi).")
class RewardItem:
    key: strawberry.Private[str]
    id: strawberry.ID | None = strawberry.field(description="Null while the list is only proposed.")
    code: str
    name: str
    category: str
    category_name: str
    action: str
    reason: str = strawberry.field(
        description="Why, e.g. 'Zona Merah 2 periode berturut-turut (Juni 2026, Juli 2026).'"
    )
    follow_up: RewardFollowUp | None = strawberry.field(description="Null until recorded.")

    @classmethod
    def proposed(cls, item: Consequence) -> Self:
        return cls(
            key=item.key, id=None, code=item.code, name=item.name, category=item.category,
            category_name=item.category_name, action=item.action, reason=item.reason, follow_up=None,
        )  # fmt: skip

    @classmethod
    def confirmed(cls, item: ItemRecord, item_id: str) -> Self:
        return cls(
            key=item.subject_key, id=strawberry.ID(item_id), code=item.code, name=item.name, category=item.category,
            category_name=item.category_name, action=item.action, reason=item.reason,
            follow_up=None if item.follow_up is None else RewardFollowUp.of(item.follow_up),
        )  # fmt: skip

    @strawberry.field(description="The perangkat daerah (a pemda's list).")
    async def org_unit(self, info: Info) -> OrgUnit | None:
        kind, _, pk = self.key.partition(":")
        unit = await info.context.loaders.org_unit_by_id.load(int(pk)) if kind == "unit" else None
        return OrgUnit.of(unit) if unit else None

    @strawberry.field(description="The kabupaten/kota (a province's list).")
    async def government(self, info: Info) -> Government | None:
        kind, _, pk = self.key.partition(":")
        government = await info.context.loaders.government_by_id.load(int(pk)) if kind == "government" else None
        return Government.of(government) if government else None


@strawberry.type(description="A period's reward and punishment list (daftar penghargaan dan sanksi).")
class RewardList:
    government_record: strawberry.Private[GovernmentRecord]
    year: int
    quarter: int
    month: int | None
    label: str
    state: RewardListState
    rule_version: int = strawberry.field(description="The monev rule whose clauses gave the list.")
    confirmed_by: str | None
    confirmed_at: datetime | None
    items: list[RewardItem]

    @strawberry.field
    def government(self) -> Government:
        return Government.of(self.government_record)


@strawberry.input(description="Confirm (freeze) the list of a published quarter's or month's ranking.")
class ConfirmRewardListInput:
    scope: strawberry.ID = strawberry.field(description="The Government ranked.")
    year: int
    quarter: int | None = None
    month: int | None = None
    units: Level | None = strawberry.field(default=None, description="Null: what the government ranks by default.")


@strawberry.type
class RewardListPayload:
    reward_list: RewardList | None
    user_errors: list[UserError]


@strawberry.input(description="The follow-up of one item; expectedVersion: the version read (null: none yet).")
class RecordRewardFollowUpInput:
    item_id: strawberry.ID
    done: bool
    done_on: date | None = None
    note: str | None = None
    expected_version: int | None = None


@strawberry.type
class RewardFollowUpPayload:
    follow_up: RewardFollowUp | None
    user_errors: list[UserError]
