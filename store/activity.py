"""Daily activity log entries, their weeks and the months closed (domain/activity.py)."""

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any

from sqlalchemy import Numeric, Text, and_, any_, bindparam, case, delete, func, or_, select, update
from sqlalchemy.dialects.postgresql import ARRAY, insert
from sqlalchemy.ext.asyncio import AsyncConnection

from domain.activity import ActivityKind, EntryState, Span
from store.reports import CHANNEL
from store.tables import ID_ARRAY, activity_log, activity_month, activity_week, employee, position


@dataclass(frozen=True)
class EntryRecord:
    id: int
    employee_id: int
    agency_id: int
    work_date: date
    starts_at: time
    ends_at: time
    kind: ActivityKind
    description: str
    rhk_id: int | None
    evidence_url: str | None
    state: EntryState
    review_note: str | None
    reviewed_by: str | None
    score: Decimal | None
    verify_note: str | None
    verified_by: str | None
    version: int


@dataclass(frozen=True)
class WeekRecord:
    employee_id: int
    week_start: date
    state: str
    submitted_at: datetime
    decided_by: str | None
    decided_at: datetime | None
    note: str | None


def _entry(row: object) -> EntryRecord:
    r = row._mapping  # type: ignore[attr-defined]
    return EntryRecord(
        id=r["id"], employee_id=r["employee_id"], agency_id=r["agency_id"], work_date=r["work_date"],
        starts_at=r["starts_at"], ends_at=r["ends_at"], kind=ActivityKind(r["kind"]), description=r["description"],
        rhk_id=r["rhk_id"], evidence_url=r["evidence_url"], state=EntryState(r["state"]), review_note=r["review_note"],
        reviewed_by=r["reviewed_by"], score=r["score"], verify_note=r["verify_note"], verified_by=r["verified_by"],
        version=r["version"],
    )  # fmt: skip


def _week(row: object) -> WeekRecord:
    r = row._mapping  # type: ignore[attr-defined]
    return WeekRecord(
        r["employee_id"], r["week_start"], r["state"], r["submitted_at"], r["decided_by"], r["decided_at"], r["note"]
    )


ENTRY_COLUMNS = [c for c in activity_log.c if c.name not in ("province_code", "updated_at")]


async def entries_between(
    conn: AsyncConnection, employee_ids: Sequence[int], first: date, last: date
) -> dict[int, list[EntryRecord]]:
    rows = await conn.execute(
        select(*ENTRY_COLUMNS)
        .where(
            activity_log.c.employee_id == any_(bindparam(None, list(employee_ids), type_=ID_ARRAY)),
            activity_log.c.work_date.between(first, last),
        )
        .order_by(activity_log.c.work_date, activity_log.c.starts_at)
    )
    found: dict[int, list[EntryRecord]] = {employee_id: [] for employee_id in employee_ids}
    for row in rows:
        record = _entry(row)
        found[record.employee_id].append(record)
    return found


async def entries_by_ids(conn: AsyncConnection, ids: Sequence[int], *, lock: bool = False) -> dict[int, EntryRecord]:
    query = select(*ENTRY_COLUMNS).where(activity_log.c.id == any_(bindparam(None, list(ids), type_=ID_ARRAY)))
    if lock:
        query = query.with_for_update()
    return {record.id: record for record in map(_entry, await conn.execute(query))}


async def lock_employee(conn: AsyncConnection, employee_id: int) -> None:
    """Serialise one employee's log writes, so two overlapping entries cannot both pass."""
    await conn.execute(select(employee.c.id).where(employee.c.id == employee_id).with_for_update())


async def day_spans(conn: AsyncConnection, employee_id: int, day: date) -> list[Span]:
    rows = await conn.execute(
        select(activity_log.c.id, activity_log.c.starts_at, activity_log.c.ends_at).where(
            activity_log.c.employee_id == employee_id, activity_log.c.work_date == day
        )
    )
    return [Span(entry_id, starts_at, ends_at) for entry_id, starts_at, ends_at in rows]


async def insert_entry(conn: AsyncConnection, values: dict[str, object]) -> int:
    return int((await conn.execute(insert(activity_log).values(**values).returning(activity_log.c.id))).scalar_one())


async def update_entry(conn: AsyncConnection, entry_id: int, expected_version: int, values: dict[str, object]) -> bool:
    done = await conn.execute(
        update(activity_log)
        .where(activity_log.c.id == entry_id, activity_log.c.version == expected_version)
        .values(**values, version=activity_log.c.version + 1, updated_at=func.now())
        .returning(activity_log.c.id)
    )
    return done.first() is not None


async def delete_entry(conn: AsyncConnection, entry_id: int, expected_version: int) -> bool:
    done = await conn.execute(
        delete(activity_log)
        .where(activity_log.c.id == entry_id, activity_log.c.version == expected_version)
        .returning(activity_log.c.id)
    )
    return done.first() is not None


async def set_states(
    conn: AsyncConnection, entry_ids: Sequence[int], state: EntryState, extra: dict[str, object] | None = None
) -> None:
    if entry_ids:
        await conn.execute(
            update(activity_log)
            .where(activity_log.c.id == any_(bindparam(None, list(entry_ids), type_=ID_ARRAY)))
            .values(state=state.value, version=activity_log.c.version + 1, updated_at=func.now(), **(extra or {}))
        )


@dataclass(frozen=True)
class Verdict:
    entry_id: int
    score: Decimal | None  # None: rejected (stored as 0)
    note: str | None


async def record_verdicts(conn: AsyncConnection, verdicts: Sequence[Verdict], actor: str) -> None:
    """The verifier's scores or rejections, one statement for the whole batch (a month of a
    pemda is some 220,000 entries: one update per entry would take minutes)."""
    if not verdicts:
        return
    given = (
        select(
            func.unnest(bindparam("ids", [v.entry_id for v in verdicts], type_=ID_ARRAY)).label("id"),
            func.unnest(bindparam("scores", [v.score for v in verdicts], type_=ARRAY(Numeric(4, 2)))).label("score"),
            func.unnest(bindparam("notes", [v.note for v in verdicts], type_=ARRAY(Text))).label("note"),
        )
    ).subquery("given")
    await conn.execute(
        update(activity_log)
        .where(activity_log.c.id == given.c.id)
        .values(
            state=case((given.c.score.is_(None), EntryState.REJECTED.value), else_=EntryState.VERIFIED.value),
            score=func.coalesce(given.c.score, 0),
            verify_note=given.c.note,
            verified_by=actor,
            version=activity_log.c.version + 1,
            updated_at=func.now(),
        )
    )


WEEK_EVENT = "activity_week"


async def notify_week(conn: AsyncConnection, *, employee_id: int, positions: Sequence[int], state: str) -> None:
    """Tell the subscribers of the superiors' queues (`positions`: the superior position and its
    superior) that a week changed, once the transaction commits; ids only, nothing personal."""
    payload = {"kind": WEEK_EVENT, "employeeId": employee_id, "positions": list(positions), "state": state}
    await conn.execute(select(func.pg_notify(CHANNEL, json.dumps(payload))))


async def week(conn: AsyncConnection, employee_id: int, week_start: date) -> WeekRecord | None:
    row = (
        await conn.execute(
            select(activity_week).where(
                activity_week.c.employee_id == employee_id, activity_week.c.week_start == week_start
            )
        )
    ).first()
    return None if row is None else _week(row)


async def put_week(
    conn: AsyncConnection,
    *,
    employee_id: int,
    province_code: str,
    week_start: date,
    state: str,
    decided_by: str | None = None,
    note: str | None = None,
) -> None:
    decided_at = func.now() if decided_by else None
    statement = insert(activity_week).values(
        employee_id=employee_id, province_code=province_code, week_start=week_start, state=state,
        decided_by=decided_by, decided_at=decided_at, note=note,
    )  # fmt: skip
    fresh = {"state": state, "decided_by": decided_by, "decided_at": decided_at, "note": note}
    if not decided_by:
        fresh["submitted_at"] = func.now()
    await conn.execute(
        statement.on_conflict_do_update(index_elements=["employee_id", "week_start", "province_code"], set_=fresh)
    )


async def weeks_of(conn: AsyncConnection, employee_ids: Sequence[int], first: date, last: date) -> list[WeekRecord]:
    rows = await conn.execute(
        select(activity_week)
        .where(
            activity_week.c.employee_id == any_(bindparam(None, list(employee_ids), type_=ID_ARRAY)),
            activity_week.c.week_start.between(first, last),
        )
        .order_by(activity_week.c.week_start, activity_week.c.employee_id)
    )
    return [_week(row) for row in rows]


async def weeks_by_employee(
    conn: AsyncConnection, employee_ids: Sequence[int], first: date, last: date
) -> dict[int, list[WeekRecord]]:
    """`weeks_of`, each employee's weeks apart."""
    found: dict[int, list[WeekRecord]] = {}
    for week in await weeks_of(conn, employee_ids, first, last):
        found.setdefault(week.employee_id, []).append(week)
    return found


async def pending_weeks(conn: AsyncConnection, held_positions: Sequence[int]) -> list[tuple[WeekRecord, bool]]:
    """Weeks submitted and not yet decided of the employees whose position lies under one of
    `held_positions`, directly (True) or one level further down (False), in one statement."""
    held = bindparam(None, list(held_positions), type_=ID_ARRAY)
    superior = position.alias("superior")
    direct = position.c.superior_id == any_(held)
    rows = await conn.execute(
        select(activity_week, direct.label("direct"))
        .select_from(
            activity_week.join(
                employee,
                and_(
                    employee.c.id == activity_week.c.employee_id,
                    employee.c.province_code == activity_week.c.province_code,
                ),
            )
            .join(position, position.c.id == employee.c.position_id)
            .outerjoin(superior, superior.c.id == position.c.superior_id)
        )
        .where(activity_week.c.state == "SUBMITTED", or_(direct, superior.c.superior_id == any_(held)))
        .order_by(activity_week.c.week_start, activity_week.c.employee_id)
    )
    return [(_week(row), bool(row.direct)) for row in rows]


async def month_closed(conn: AsyncConnection, agency_id: int, year: int, month: int) -> bool:
    row = await conn.execute(
        select(activity_month.c.closed_at).where(
            activity_month.c.agency_id == agency_id, activity_month.c.year == year, activity_month.c.month == month
        )
    )
    return row.first() is not None


async def close_month(
    conn: AsyncConnection, *, agency_id: int, province_code: str, year: int, month: int, actor: str
) -> bool:
    done = await conn.execute(
        insert(activity_month)
        .values(agency_id=agency_id, province_code=province_code, year=year, month=month, closed_by=actor)
        .on_conflict_do_nothing()
        .returning(activity_month.c.agency_id)
    )
    return done.first() is not None


async def month_counts(conn: AsyncConnection, agency_id: int, first: date, last: date) -> dict[EntryState, int]:
    rows = await conn.execute(
        select(activity_log.c.state, func.count())
        .where(activity_log.c.agency_id == agency_id, activity_log.c.work_date.between(first, last))
        .group_by(activity_log.c.state)
    )
    return {EntryState(state): count for state, count in rows}


async def state_counts(
    conn: AsyncConnection, employee_ids: Sequence[int], first: date, last: date
) -> dict[int, list[tuple[EntryState, int]]]:
    """Each employee's entries from `first` to `last` counted per state, in one statement (a
    verifier's month of an agency, without shipping every entry)."""
    rows = await conn.execute(
        select(activity_log.c.employee_id, activity_log.c.state, func.count())
        .where(
            activity_log.c.employee_id == any_(bindparam(None, list(employee_ids), type_=ID_ARRAY)),
            activity_log.c.work_date.between(first, last),
        )
        .group_by(activity_log.c.employee_id, activity_log.c.state)
        .order_by(activity_log.c.employee_id, activity_log.c.state)
    )
    found: dict[int, list[tuple[EntryState, int]]] = {}
    for employee_id, state, count in rows:
        found.setdefault(employee_id, []).append((EntryState(state), count))
    return found


def _daily_scores(employee_ids: Sequence[int], first: date, last: date) -> Any:
    """Per employee and day: the day's score, the mean of its entries the verifier decided (a
    rejected one counting 0; domain.tpp.MonthFacts.score_sum sums these, each 0–10), so that
    logging a day in two entries neither doubles it nor lets a rejected entry go unfelt; and the
    entries verified."""
    verified = activity_log.c.state == EntryState.VERIFIED.value
    return (
        select(
            activity_log.c.employee_id,
            activity_log.c.agency_id,
            activity_log.c.work_date,
            func.avg(case((verified, activity_log.c.score), else_=0)).label("day_score"),
            func.sum(case((verified, 1), else_=0)).label("verified"),
        )
        .where(
            activity_log.c.employee_id == any_(bindparam(None, list(employee_ids), type_=ID_ARRAY)),
            activity_log.c.work_date.between(first, last),
            activity_log.c.state.in_([EntryState.VERIFIED.value, EntryState.REJECTED.value]),
        )
        .group_by(activity_log.c.employee_id, activity_log.c.agency_id, activity_log.c.work_date)
        .subquery()
    )


async def score_sums(
    conn: AsyncConnection, employee_ids: Sequence[int], first: date, last: date
) -> dict[int, tuple[Decimal, int]]:
    """Per employee: the sum of the daily scores from `first` to `last`, and the entries verified."""
    days = _daily_scores(employee_ids, first, last)
    rows = await conn.execute(
        select(days.c.employee_id, func.sum(days.c.day_score), func.sum(days.c.verified)).group_by(days.c.employee_id)
    )
    return {employee_id: (total or Decimal(0), int(count)) for employee_id, total, count in rows}


@dataclass(frozen=True)
class MonthScore:
    employee_id: int
    year: int
    month: int
    verified: int
    score_sum: Decimal
    closed: bool


async def monthly_scores(conn: AsyncConnection, employee_ids: Sequence[int], year: int) -> dict[int, list[MonthScore]]:
    """Each employee's daily scores summed per month of the year, the entries verified, and
    whether the month is closed (two statements)."""
    days = _daily_scores(employee_ids, date(year, 1, 1), date(year, 12, 31))
    month = func.extract("month", days.c.work_date)
    rows = (
        await conn.execute(
            select(days.c.employee_id, days.c.agency_id, month, func.sum(days.c.verified), func.sum(days.c.day_score))
            .group_by(days.c.employee_id, days.c.agency_id, month)
            .order_by(days.c.employee_id, month)
        )
    ).all()
    agencies = sorted({row[1] for row in rows})
    closed = set()
    if agencies:
        found = await conn.execute(
            select(activity_month.c.agency_id, activity_month.c.month).where(
                activity_month.c.agency_id == any_(bindparam(None, agencies, type_=ID_ARRAY)),
                activity_month.c.year == year,
            )
        )
        closed = {(agency_id, number) for agency_id, number in found}
    scores: dict[int, list[MonthScore]] = {}
    for employee_id, agency_id, number, count, total in rows:
        scores.setdefault(employee_id, []).append(
            MonthScore(employee_id, year, int(number), int(count), total, (agency_id, int(number)) in closed)
        )
    return scores
