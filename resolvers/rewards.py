"""Reward and punishment (actions/rewards.py): a period's list, proposed from the published
ranking or confirmed, for those who may read the government's values; its confirmation; the
follow-up of an item."""

import strawberry

from actions import rewards
from domain.errors import DomainError
from domain.monev import Level, MonevPeriod, rule_from_json
from policies.permissions import Permission
from resolvers.monev import government_of, period_of, units_of
from resolvers.writes import in_transaction, user_errors
from schema.ids import encode_id, pk_of
from schema.rewards import (
    ConfirmRewardListInput,
    RecordRewardFollowUpInput,
    RewardFollowUp,
    RewardFollowUpPayload,
    RewardItem,
    RewardList,
    RewardListPayload,
    RewardListState,
)
from schema.types import Info
from store import monev as monev_store
from store import rewards as reward_store
from store.records import GovernmentRecord
from store.rewards import ListRecord


def _confirmed(government: GovernmentRecord, period: MonevPeriod, record: ListRecord) -> RewardList:
    return RewardList(
        government_record=government, year=period.year, quarter=period.quarter, month=period.month or None,
        label=period.label, state=RewardListState.CONFIRMED, rule_version=record.rule_version,
        confirmed_by=record.confirmed_by, confirmed_at=record.confirmed_at,
        items=[RewardItem.confirmed(item, encode_id("RewardItem", item.id)) for item in record.items],
    )  # fmt: skip


async def reward_list(
    info: Info,
    scope: strawberry.ID,
    year: int,
    quarter: int | None = None,
    month: int | None = None,
    units: Level | None = None,
) -> RewardList | None:
    """Null before the period's ranking is published, and for callers outside the government."""
    period = period_of(year, quarter, month)
    government = await government_of(info, scope)
    if government is None or not info.context.viewer.may(Permission.READ_VALUES, government.path):
        return None
    conn = await info.context.connection()
    key = (government.id, period, units_of(government, units))
    ranking = (await monev_store.published(conn, [key])).get(key)
    if ranking is None:
        return None
    record = await reward_store.confirmed(conn, ranking.id)
    if record is not None:
        return _confirmed(government, period, record)
    rule = await monev_store.current_rule(conn, government.id, period.year)
    assert rule is not None  # a published ranking was ranked by a rule
    items = await reward_store.proposal(conn, ranking, rule_from_json(rule.rule))
    return RewardList(
        government_record=government, year=period.year, quarter=period.quarter, month=period.month or None,
        label=period.label, state=RewardListState.PROPOSED, rule_version=rule.version, confirmed_by=None,
        confirmed_at=None, items=[RewardItem.proposed(item) for item in items],
    )  # fmt: skip


async def confirm_reward_list(info: Info, input: ConfirmRewardListInput) -> RewardListPayload:
    government = await government_of(info, input.scope, refuse=False)
    try:
        period = MonevPeriod.of(input.year, input.quarter, input.month)
        if government is None:
            raise DomainError("NOT_FOUND", "scope harus id sebuah Government.", "scope")
    except DomainError as error:
        return RewardListPayload(reward_list=None, user_errors=user_errors([error]))
    code = government.code
    done = await in_transaction(
        info,
        lambda conn: rewards.confirm_rewards(
            conn, caller=info.context.caller, government_code=code, period=period, units=input.units
        ),
    )
    confirmed = None if done.value is None else _confirmed(government, period, done.value)
    return RewardListPayload(reward_list=confirmed, user_errors=done.user_errors)


async def record_reward_follow_up(info: Info, input: RecordRewardFollowUpInput) -> RewardFollowUpPayload:
    item_id = pk_of(input.item_id, "RewardItem")
    done = await in_transaction(
        info,
        lambda conn: rewards.record_follow_up(
            conn, caller=info.context.caller, item_id=item_id, done=input.done, done_on=input.done_on,
            note=input.note, expected_version=input.expected_version, today=info.context.today,
        ),
    )  # fmt: skip
    recorded = None if done.value is None else RewardFollowUp.of(done.value)
    return RewardFollowUpPayload(follow_up=recorded, user_errors=done.user_errors)
