"""Writes of reward and punishment (domain/rewards.py): the leader confirms the list a published
ranking gives under the government's current clauses, frozen with it; each item's follow-up is
recorded (done, date, note) with the version read."""

from datetime import date

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection

from actions import audit
from actions.caller import Caller
from actions.governments import government_for
from domain.enums import GovernmentKind
from domain.errors import DomainError, DomainErrors
from domain.monev import Level, MonevPeriod, level_of, rule_from_json
from policies.paths import province_code
from policies.permissions import Permission
from store import audit as audit_log
from store import hierarchy, monev, rewards
from store.rewards import FollowUpRecord, ListRecord

MAX_NOTE = 2000


async def confirm_rewards(
    conn: AsyncConnection, *, caller: Caller, government_code: str, period: MonevPeriod, units: Level | None
) -> ListRecord:
    """Freeze the period's reward and punishment list: once, after the ranking is published."""
    try:
        government = await government_for(
            conn, caller, government_code, Permission.CONFIRM_REWARDS, "Anda tidak berwenang menetapkan daftar ini."
        )
    except DomainError as error:
        raise error.at("scope") from None
    at = "month" if period.is_month else "quarter"
    key = (government.id, period, level_of(government.kind is GovernmentKind.PROVINSI, units))
    ranking = (await monev.published(conn, [key])).get(key)
    if ranking is None:
        raise DomainError("NOT_PUBLISHED", f"Peringkat {period.label} belum diterbitkan.", at)
    rule = await monev.current_rule(conn, government.id, period.year)
    assert rule is not None  # a published ranking was ranked by a rule
    if await rewards.confirmed(conn, ranking.id) is not None:
        raise DomainError("ALREADY_CONFIRMED", f"Daftar penghargaan dan sanksi {period.label} sudah ditetapkan.", at)
    items = await rewards.proposal(conn, ranking, rule_from_json(rule.rule))
    province = province_code(government.path)
    try:
        async with conn.begin_nested():
            await rewards.insert_list(conn, ranking, rule.version, province, items, caller.actor)
    except IntegrityError:
        raise DomainError("ALREADY_CONFIRMED", "Daftar ini baru saja ditetapkan.", at) from None
    await audit_log.append(
        conn,
        [
            audit.entry(
                caller,
                "monev_rewards.confirm",
                entity_id=f"{ranking.id}",
                scope_path=government.path,
                new={"ruleVersion": rule.version, "items": [[i.code, i.category] for i in items]},
            )
        ],
    )
    confirmed = await rewards.confirmed(conn, ranking.id)
    assert confirmed is not None
    return confirmed


async def record_follow_up(
    conn: AsyncConnection,
    *,
    caller: Caller,
    item_id: int,
    done: bool,
    done_on: date | None,
    note: str | None,
    expected_version: int | None,
    today: date,
) -> FollowUpRecord:
    """The follow-up of one item (e.g. the meeting with the Sekda held, on a date), as recorded."""
    place = await rewards.item_place(conn, item_id)
    governments = (
        [] if place is None else await hierarchy.governments_by_ids(conn, caller.viewer, [place.government_id])
    )
    if place is None or not governments:
        raise DomainError("NOT_FOUND", "Butir daftar tidak ditemukan.", "itemId")
    government = governments[0]
    if not caller.viewer.may(Permission.FOLLOW_UP_REWARDS, government.path):
        raise DomainError("FORBIDDEN", "Anda tidak berwenang mencatat tindak lanjut ini.", "itemId")
    errors: list[DomainError] = []
    if done and done_on is None:
        errors.append(DomainError("DATE_REQUIRED", "Isi tanggal tindak lanjut selesai.", "doneOn"))
    if not done and done_on is not None:
        errors.append(DomainError("NOT_DONE", "Tanggal diisi hanya bila tindak lanjut selesai.", "doneOn"))
    if done_on is not None and done_on > today:
        errors.append(DomainError("FUTURE_DATE", "Tanggal tindak lanjut tidak boleh sesudah hari ini.", "doneOn"))
    note = (note or "").strip() or None
    if note is not None and len(note) > MAX_NOTE:
        errors.append(DomainError("TOO_LONG", f"Catatan paling banyak {MAX_NOTE} karakter.", "note"))
    if errors:
        raise DomainErrors(errors)
    stale = DomainError(
        "CONFLICT", "Tindak lanjut ini sudah diubah orang lain; muat ulang lalu ulangi.", "expectedVersion"
    )
    if expected_version != place.follow_up_version:
        raise stale
    if not await rewards.write_follow_up(conn, place, expected_version, done, done_on, note, caller.actor):
        raise stale
    await audit_log.append(
        conn,
        [
            audit.entry(
                caller,
                "monev_rewards.follow_up",
                entity_id=f"{item_id}",
                scope_path=government.path,
                new={"done": done, "doneOn": None if done_on is None else done_on.isoformat(), "note": note},
            )
        ],
    )
    recorded = await rewards.follow_up(conn, item_id)
    assert recorded is not None
    return recorded
