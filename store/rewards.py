"""Reward and punishment lists (monev_reward_list, _item, _follow_up; domain/rewards.py)."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

import orjson
from sqlalchemy import func, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncConnection

from domain.monev import MonevPeriod, Rule
from domain.rewards import Consequence, consequences
from store import monev
from store.monev import RankingRecord
from store.tables import monev_ranking, monev_reward_follow_up, monev_reward_item, monev_reward_list


@dataclass(frozen=True)
class FollowUpRecord:
    done: bool
    done_on: date | None
    note: str | None
    version: int
    updated_by: str
    updated_at: datetime


@dataclass(frozen=True)
class ItemRecord:
    id: int
    subject_key: str
    code: str
    name: str
    category: str
    category_name: str
    action: str
    reason: str
    follow_up: FollowUpRecord | None


@dataclass(frozen=True)
class ListRecord:
    id: int
    ranking_id: int
    rule_version: int
    confirmed_by: str
    confirmed_at: datetime
    items: tuple[ItemRecord, ...]


async def confirmed(conn: AsyncConnection, ranking_id: int) -> ListRecord | None:
    """The list confirmed for a published ranking, its items and their follow-up, in one statement."""
    rows = (
        await conn.execute(
            select(
                monev_reward_list,
                monev_reward_item.c.id.label("item_id"),
                monev_reward_item.c.subject_key,
                monev_reward_item.c.code,
                monev_reward_item.c.name,
                monev_reward_item.c.category,
                monev_reward_item.c.category_name,
                monev_reward_item.c.action,
                monev_reward_item.c.reason,
                monev_reward_follow_up.c.done,
                monev_reward_follow_up.c.done_on,
                monev_reward_follow_up.c.note,
                monev_reward_follow_up.c.version,
                monev_reward_follow_up.c.updated_by,
                monev_reward_follow_up.c.updated_at,
            )
            .outerjoin(
                monev_reward_item,
                (monev_reward_item.c.list_id == monev_reward_list.c.id)
                & (monev_reward_item.c.province_code == monev_reward_list.c.province_code),
            )
            .outerjoin(
                monev_reward_follow_up,
                (monev_reward_follow_up.c.item_id == monev_reward_item.c.id)
                & (monev_reward_follow_up.c.province_code == monev_reward_item.c.province_code),
            )
            .where(monev_reward_list.c.ranking_id == ranking_id)
            .order_by(monev_reward_item.c.id)
        )
    ).all()
    if not rows:
        return None
    first = rows[0]
    items = tuple(
        ItemRecord(
            r.item_id, r.subject_key, r.code, r.name, r.category, r.category_name, r.action, r.reason,
            None if r.version is None else FollowUpRecord(
                r.done, r.done_on, r.note, r.version, r.updated_by, r.updated_at
            ),
        )
        for r in rows
        if r.item_id is not None
    )  # fmt: skip
    return ListRecord(first.id, first.ranking_id, first.rule_version, first.confirmed_by, first.confirmed_at, items)


async def proposal(conn: AsyncConnection, ranking: RankingRecord, rule: Rule) -> list[Consequence]:
    """Who falls under the rule's clauses in a published ranking, read with the published
    rankings of the periods before it that "in a row" needs (one statement for those)."""
    longest = max((clause.in_a_row for clause in rule.rewards), default=1)
    before: list[MonevPeriod] = []
    period: MonevPeriod | None = ranking.period
    while len(before) < longest - 1 and period is not None and (period := period.previous()) is not None:
        before.append(period)
    frozen = await monev.published(conn, [(ranking.government_id, p, ranking.units) for p in before])
    earlier = [
        None if (record := frozen.get((ranking.government_id, p, ranking.units))) is None else orjson.loads(record.body)
        for p in before
    ]
    labels = [ranking.period.label, *(p.label for p in before)]
    return consequences(rule.rewards, orjson.loads(ranking.body), earlier, labels)


async def insert_list(
    conn: AsyncConnection,
    ranking: RankingRecord,
    rule_version: int,
    province_code: str,
    items: Sequence[Consequence],
    actor: str,
) -> None:
    """The confirmed list and its items; a second confirmation fails the unique ranking."""
    list_id = (
        await conn.execute(
            monev_reward_list.insert()
            .values(
                province_code=province_code,
                ranking_id=ranking.id,
                rule_version=rule_version,
                confirmed_by=actor,
            )
            .returning(monev_reward_list.c.id)
        )
    ).scalar_one()
    if items:
        await conn.execute(
            monev_reward_item.insert(),
            [
                {
                    "province_code": province_code,
                    "list_id": list_id,
                    "subject_key": c.key,
                    "code": c.code,
                    "name": c.name,
                    "category": c.category,
                    "category_name": c.category_name,
                    "action": c.action,
                    "reason": c.reason,
                }
                for c in items
            ],
        )


@dataclass(frozen=True)
class ItemPlace:
    """Where an item belongs: its ranking's government, and its follow-up version if any."""

    item_id: int
    province_code: str
    government_id: int
    follow_up_version: int | None


async def item_place(conn: AsyncConnection, item_id: int) -> ItemPlace | None:
    """The item's government and its follow-up's current version."""
    row = (
        await conn.execute(
            select(
                monev_reward_item.c.id,
                monev_reward_item.c.province_code,
                monev_ranking.c.government_id,
                monev_reward_follow_up.c.version,
            )
            .join(
                monev_reward_list,
                (monev_reward_list.c.id == monev_reward_item.c.list_id)
                & (monev_reward_list.c.province_code == monev_reward_item.c.province_code),
            )
            .join(
                monev_ranking,
                (monev_ranking.c.id == monev_reward_list.c.ranking_id)
                & (monev_ranking.c.province_code == monev_reward_list.c.province_code),
            )
            .outerjoin(
                monev_reward_follow_up,
                (monev_reward_follow_up.c.item_id == monev_reward_item.c.id)
                & (monev_reward_follow_up.c.province_code == monev_reward_item.c.province_code),
            )
            .where(monev_reward_item.c.id == item_id)
        )
    ).first()
    return None if row is None else ItemPlace(row.id, row.province_code, row.government_id, row.version)


async def write_follow_up(
    conn: AsyncConnection,
    place: ItemPlace,
    expected_version: int | None,
    done: bool,
    done_on: date | None,
    note: str | None,
    actor: str,
) -> bool:
    """Record the follow-up if its version is still `expected_version` (None: none recorded yet),
    in one statement, so two writers cannot both win; False when someone else wrote first."""
    statement = insert(monev_reward_follow_up).values(
        item_id=place.item_id,
        province_code=place.province_code,
        done=done,
        done_on=done_on,
        note=note,
        updated_by=actor,
    )
    if expected_version is None:
        written = await conn.execute(
            statement.on_conflict_do_nothing(constraint="pk_monev_reward_follow_up").returning(
                monev_reward_follow_up.c.version
            )
        )
    else:
        written = await conn.execute(
            statement.on_conflict_do_update(
                constraint="pk_monev_reward_follow_up",
                set_={
                    "done": statement.excluded.done,
                    "done_on": statement.excluded.done_on,
                    "note": statement.excluded.note,
                    "updated_by": statement.excluded.updated_by,
                    "version": monev_reward_follow_up.c.version + 1,
                    "updated_at": func.now(),
                },
                where=monev_reward_follow_up.c.version == expected_version,
            ).returning(monev_reward_follow_up.c.version)
        )
    return written.first() is not None


async def follow_up(conn: AsyncConnection, item_id: int) -> FollowUpRecord | None:
    row = (
        await conn.execute(select(monev_reward_follow_up).where(monev_reward_follow_up.c.item_id == item_id))
    ).first()
    return (
        None
        if row is None
        else FollowUpRecord(row.done, row.done_on, row.note, row.version, row.updated_by, row.updated_at)
    )
