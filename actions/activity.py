"""Writes of the daily activity log (domain/activity.py): the employee logs, edits and submits a
week; the superior approves or returns it (per entry or whole); the verification unit scores
each approved entry or rejects it and closes the month, which freezes it (migration 0022).

Audit entries name the entry and the employee by id and the step taken, never the description,
the score or the NIP: individual data stays where policies/individual.py lets it be read."""

from dataclasses import dataclass
from datetime import date, time
from decimal import Decimal

from sqlalchemy.ext.asyncio import AsyncConnection

from actions import audit
from actions.caller import Caller
from actions.governments import agency_for
from actions.personnel import employee_of_caller
from domain.activity import (
    EDITABLE,
    MAX_NOTE,
    VERIFIABLE,
    ActivityKind,
    EntryState,
    Span,
    approval_deadline,
    check_entry,
    check_score,
    overlapping,
    week_end,
    week_of,
)
from domain.errors import DomainError, DomainErrors
from domain.progress import month_end
from policies.individual import Holder, may_review
from policies.paths import province_code
from policies.permissions import Permission
from store import activity, personnel
from store import audit as audit_log
from store import skp as skp_store
from store.activity import EntryRecord, Verdict


@dataclass(frozen=True)
class EntryInput:
    work_date: date
    starts_at: time
    ends_at: time
    kind: ActivityKind
    description: str
    rhk_id: int | None = None
    evidence_url: str | None = None


def _check_evidence(url: str | None) -> list[DomainError]:
    if url and (not url.startswith(("https://", "http://")) or len(url) > 1000):
        return [
            DomainError(
                "INVALID_URL", "Bukti dukung berupa tautan http(s), paling banyak 1000 karakter.", "evidenceUrl"
            )
        ]
    return []


async def _serves_own_skp(conn: AsyncConnection, employee_id: int, rhk_id: int, year: int) -> bool:
    """An entry serves an RHK of the employee's own SKP of the entry's year."""
    found = (await skp_store.rhk_by_ids(conn, [rhk_id])).get(rhk_id)
    owner = (await skp_store.skps_by_ids(conn, [found[0]])).get(found[0]) if found else None
    return owner is not None and owner.employee_id == employee_id and owner.year == year


async def log_activity(
    conn: AsyncConnection,
    *,
    caller: Caller,
    entry: EntryInput,
    today: date,
    entry_id: int | None = None,
    expected_version: int | None = None,
    on_behalf_of: int | None = None,
) -> EntryRecord:
    """Log a new entry, or edit one (entry_id, expected_version) while it is editable."""
    me = await employee_of_caller(conn, caller, on_behalf_of)
    assert me.position is not None
    await activity.lock_employee(conn, me.id)
    errors = check_entry(
        work_date=entry.work_date,
        starts_at=entry.starts_at,
        ends_at=entry.ends_at,
        description=entry.description,
        today=today,
    )
    errors += _check_evidence(entry.evidence_url)
    if entry.rhk_id is not None and not await _serves_own_skp(conn, me.id, entry.rhk_id, entry.work_date.year):
        errors.append(DomainError("RHK_NOT_IN_SKP", "RHK ini bukan RHK dalam SKP Anda tahun itu.", "rhkId"))
    if await activity.month_closed(conn, me.position.agency_id, entry.work_date.year, entry.work_date.month):
        errors.append(
            DomainError("MONTH_CLOSED", "Bulan ini sudah ditutup verifikator; kegiatan tidak dapat diubah.", "workDate")
        )
    old: EntryRecord | None = None
    if entry_id is not None:
        old = (await activity.entries_by_ids(conn, [entry_id], lock=True)).get(entry_id)
        if old is None or old.employee_id != me.id:
            raise DomainError("NOT_FOUND", "Kegiatan tidak ditemukan.", "entryId")
        if old.state not in EDITABLE:
            errors.append(DomainError("NOT_EDITABLE", "Kegiatan yang sudah diajukan tidak dapat diubah.", "entryId"))
    week = await activity.week(conn, me.id, week_of(entry.work_date))
    if week is not None and week.state in ("SUBMITTED", "APPROVED"):
        errors.append(DomainError("WEEK_SUBMITTED", "Minggu ini sudah diajukan ke atasan.", "workDate"))
    if not errors:
        clash = overlapping(
            Span(entry_id, entry.starts_at, entry.ends_at), await activity.day_spans(conn, me.id, entry.work_date)
        )
        if clash is not None:
            errors.append(
                DomainError(
                    "OVERLAPPING_ENTRY",
                    f"Waktu kegiatan bertumpang tindih dengan kegiatan {clash.starts_at:%H.%M}–{clash.ends_at:%H.%M}.",
                    "startsAt",
                )
            )
    if errors:
        raise DomainErrors(errors)
    values: dict[str, object] = {
        "work_date": entry.work_date,
        "starts_at": entry.starts_at,
        "ends_at": entry.ends_at,
        "kind": entry.kind.value,
        "description": entry.description.strip(),
        "rhk_id": entry.rhk_id,
        "evidence_url": entry.evidence_url or None,
    }
    if old is None:
        entry_id = await activity.insert_entry(
            conn,
            {
                **values,
                "employee_id": me.id,
                "agency_id": me.position.agency_id,
                "province_code": province_code(me.position.path),
            },
        )
        action = "activity_log.create"
    else:
        assert entry_id is not None
        if expected_version != old.version or not await activity.update_entry(conn, entry_id, old.version, values):
            raise DomainError("CONFLICT", "Kegiatan ini sudah diubah; muat ulang lalu ulangi.", "expectedVersion")
        action = "activity_log.update"
    await audit_log.append(
        conn,
        [audit.entry(caller, action, entity_id=str(entry_id), scope_path=me.position.path, new={"employee": me.id})],
    )
    return (await activity.entries_by_ids(conn, [entry_id]))[entry_id]


async def delete_activity(conn: AsyncConnection, *, caller: Caller, entry_id: int, expected_version: int) -> int:
    me = await employee_of_caller(conn, caller)
    assert me.position is not None
    old = (await activity.entries_by_ids(conn, [entry_id], lock=True)).get(entry_id)
    if old is None or old.employee_id != me.id:
        raise DomainError("NOT_FOUND", "Kegiatan tidak ditemukan.", "entryId")
    if old.state not in EDITABLE:
        raise DomainError("NOT_EDITABLE", "Kegiatan yang sudah diajukan tidak dapat dihapus.", "entryId")
    if await activity.month_closed(conn, old.agency_id, old.work_date.year, old.work_date.month):
        raise DomainError("MONTH_CLOSED", "Bulan ini sudah ditutup verifikator.", "entryId")
    if not await activity.delete_entry(conn, entry_id, expected_version):
        raise DomainError("CONFLICT", "Kegiatan ini sudah diubah; muat ulang lalu ulangi.", "expectedVersion")
    await audit_log.append(
        conn, [audit.entry(caller, "activity_log.delete", entity_id=str(entry_id), scope_path=me.position.path)]
    )
    return entry_id


async def _queues(conn: AsyncConnection, superior_id: int | None) -> list[int]:
    """The positions whose approval queues show a week: the superior's and, once overdue, the
    superior's superior."""
    if superior_id is None:
        return []
    superior = (await personnel.positions_by_ids(conn, [superior_id])).get(superior_id)
    return [superior_id] + ([superior.superior_id] if superior and superior.superior_id else [])


async def submit_week(
    conn: AsyncConnection, *, caller: Caller, week_start: date, today: date, on_behalf_of: int | None = None
) -> activity.WeekRecord:
    """The employee submits the week's draft and returned entries to the superior."""
    me = await employee_of_caller(conn, caller, on_behalf_of)
    assert me.position is not None
    if week_start != week_of(week_start):
        raise DomainError("NOT_MONDAY", "Minggu dimulai hari Senin.", "weekStart")
    if week_start > today:
        raise DomainError("FUTURE_DATE", "Minggu ini belum dimulai.", "weekStart")
    await activity.lock_employee(conn, me.id)
    current = await activity.week(conn, me.id, week_start)
    if current is not None and current.state in ("SUBMITTED", "APPROVED"):
        raise DomainError("ALREADY_SUBMITTED", "Minggu ini sudah diajukan.", "weekStart")
    entries = (await activity.entries_between(conn, [me.id], week_start, week_end(week_start)))[me.id]
    editable = [e.id for e in entries if e.state in EDITABLE]
    if not editable:
        raise DomainError("EMPTY_WEEK", "Belum ada kegiatan untuk diajukan pada minggu ini.", "weekStart")
    await activity.set_states(conn, editable, EntryState.SUBMITTED)
    await activity.put_week(
        conn, employee_id=me.id, province_code=province_code(me.position.path), week_start=week_start, state="SUBMITTED"
    )
    await activity.notify_week(
        conn, employee_id=me.id, positions=await _queues(conn, me.position.superior_id), state="SUBMITTED"
    )
    await audit_log.append(
        conn,
        [
            audit.entry(
                caller,
                "activity_week.submit",
                entity_id=f"{me.id}:{week_start.isoformat()}",
                scope_path=me.position.path,
                new={"entries": len(editable)},
            )
        ],
    )
    week = await activity.week(conn, me.id, week_start)
    assert week is not None
    return week


async def review_week(
    conn: AsyncConnection,
    *,
    caller: Caller,
    holder: Holder,
    employee_id: int,
    week_start: date,
    returned_entry_ids: list[int],
    note: str | None,
    today: date,
) -> activity.WeekRecord:
    """The superior (or whoever acts for them; past the deadline, the superior's superior)
    approves the week, returning the entries listed with the note to be fixed."""
    target = (await personnel.employees_by_ids(conn, [employee_id])).get(employee_id)
    if target is None or target.position is None:
        raise DomainError("NOT_FOUND", "Pegawai tidak ditemukan.", "employeeId")
    queues = await _queues(conn, target.position.superior_id)
    second = queues[1] if len(queues) > 1 else None
    related = may_review(holder, personnel.person_of(target, second), overdue=today > approval_deadline(week_start))
    if related is None:
        raise DomainError(
            "FORBIDDEN", "Hanya atasan langsung (atau Plt/Plh-nya) yang menyetujui kegiatan ini.", "employeeId"
        )
    current = await activity.week(conn, employee_id, week_start)
    if current is None or current.state != "SUBMITTED":
        raise DomainError("NOT_SUBMITTED", "Minggu ini tidak sedang menunggu persetujuan.", "weekStart")
    note = (note or "").strip() or None
    if note is not None and len(note) > MAX_NOTE:
        raise DomainError("TOO_LONG", f"Catatan paling banyak {MAX_NOTE} karakter.", "note")
    entries = (await activity.entries_between(conn, [employee_id], week_start, week_end(week_start)))[employee_id]
    submitted = {e.id for e in entries if e.state is EntryState.SUBMITTED}
    errors = [
        DomainError("NOT_SUBMITTED", "Kegiatan ini tidak termasuk yang diajukan minggu ini.", f"returnedEntryIds.{i}")
        for i, entry_id in enumerate(returned_entry_ids)
        if entry_id not in submitted
    ]
    if returned_entry_ids and note is None:
        errors.append(DomainError("NOTE_REQUIRED", "Tuliskan catatan untuk kegiatan yang dikembalikan.", "note"))
    if errors:
        raise DomainErrors(errors)
    returned = sorted(set(returned_entry_ids))
    approved = sorted(submitted - set(returned))
    await activity.set_states(conn, approved, EntryState.APPROVED, {"reviewed_by": caller.actor})
    await activity.set_states(conn, returned, EntryState.RETURNED, {"reviewed_by": caller.actor, "review_note": note})
    state = "RETURNED" if returned else "APPROVED"
    await activity.put_week(
        conn,
        employee_id=employee_id,
        province_code=province_code(target.position.path),
        week_start=week_start,
        state=state,
        decided_by=caller.actor,
        note=note,
    )
    await activity.notify_week(conn, employee_id=employee_id, positions=queues, state=state)
    await audit_log.append(
        conn,
        [
            audit.entry(
                caller,
                "activity_week.review",
                entity_id=f"{employee_id}:{week_start.isoformat()}",
                scope_path=target.position.path,
                new={"state": state, "approved": len(approved), "returned": len(returned), "as": related.value},
            )
        ],
    )
    week = await activity.week(conn, employee_id, week_start)
    assert week is not None
    return week


@dataclass(frozen=True)
class ScoreInput:
    entry_id: int
    score: Decimal | None  # None: rejected
    note: str | None = None


async def score_entries(conn: AsyncConnection, *, caller: Caller, scores: list[ScoreInput]) -> list[EntryRecord]:
    """The verification unit scores approved entries 0–10, or rejects them (score null, with a
    note); a scored entry may be scored again until its month is closed."""
    if not scores or len(scores) > 1000:
        raise DomainError("INVALID_BATCH", "Kirim 1–1000 nilai sekaligus.", "scores")
    entries = await activity.entries_by_ids(conn, [s.entry_id for s in scores], lock=True)
    places = await personnel.employees_by_ids(conn, sorted({e.employee_id for e in entries.values()}))
    errors: list[DomainError] = []
    closed: dict[tuple[int, int, int], bool] = {}
    seen: set[int] = set()
    for index, item in enumerate(scores):
        at = f"scores.{index}"
        entry = entries.get(item.entry_id)
        owner = places.get(entry.employee_id) if entry else None
        if entry is None or owner is None or not caller.viewer.may(Permission.VERIFY_ACTIVITY, owner.path):
            errors.append(
                DomainError("NOT_FOUND", "Kegiatan tidak ditemukan dalam lingkup verifikasi Anda.", f"{at}.entryId")
            )
            continue
        if item.entry_id in seen:
            errors.append(DomainError("DUPLICATE_ROW", "Kegiatan ini dinilai dua kali dalam kiriman.", f"{at}.entryId"))
        seen.add(item.entry_id)
        if entry.state not in VERIFIABLE:
            errors.append(
                DomainError("NOT_APPROVED", "Hanya kegiatan yang disetujui atasan yang dinilai.", f"{at}.entryId")
            )
        key = (entry.agency_id, entry.work_date.year, entry.work_date.month)
        if key not in closed:
            closed[key] = await activity.month_closed(conn, *key)
        if closed[key]:
            errors.append(DomainError("MONTH_CLOSED", "Bulan kegiatan ini sudah ditutup.", f"{at}.entryId"))
        if item.score is not None and (error := check_score(item.score)) is not None:
            errors.append(error.at(f"{at}.score"))
        if item.score is None and not (item.note or "").strip():
            errors.append(DomainError("NOTE_REQUIRED", "Tuliskan alasan penolakan.", f"{at}.note"))
    if errors:
        raise DomainErrors(errors)
    await activity.record_verdicts(
        conn, [Verdict(item.entry_id, item.score, (item.note or "").strip() or None) for item in scores], caller.actor
    )
    await audit_log.append(
        conn,
        [
            audit.entry(
                caller,
                "activity_log.verify",
                entity_id=str(item.entry_id),
                scope_path=places[entries[item.entry_id].employee_id].path,
                new={"state": "VERIFIED" if item.score is not None else "REJECTED"},
            )
            for item in scores
        ],
    )
    return list((await activity.entries_by_ids(conn, [s.entry_id for s in scores])).values())


@dataclass(frozen=True)
class MonthClosure:
    agency_id: int
    year: int
    month: int
    counts: dict[EntryState, int]


async def close_month(
    conn: AsyncConnection, *, caller: Caller, agency_id: int, year: int, month: int, today: date
) -> MonthClosure:
    """Close an agency's month: every approved entry must be scored or rejected first; entries
    never approved stay as they are and score nothing. Closed months are frozen."""
    unit = await agency_for(conn, caller, agency_id, "agencyId")
    if not caller.viewer.may(Permission.VERIFY_ACTIVITY, unit.path):
        raise DomainError("FORBIDDEN", "Anda tidak berwenang menutup bulan perangkat daerah ini.", "agencyId")
    if not 1 <= month <= 12:
        raise DomainError("INVALID_MONTH", "Bulan harus 1–12.", "month")
    first, last = date(year, month, 1), month_end(year, month)
    if last >= today:
        raise DomainError("MONTH_NOT_OVER", "Bulan ditutup sesudah hari terakhirnya.", "month")
    counts = await activity.month_counts(conn, agency_id, first, last)
    unscored = counts.get(EntryState.APPROVED, 0)
    if unscored:
        raise DomainError("UNSCORED_ENTRIES", f"Masih ada {unscored} kegiatan disetujui yang belum dinilai.", "month")
    if not await activity.close_month(
        conn, agency_id=agency_id, province_code=province_code(unit.path), year=year, month=month, actor=caller.actor
    ):
        raise DomainError("ALREADY_CLOSED", "Bulan ini sudah ditutup.", "month")
    await audit_log.append(
        conn,
        [
            audit.entry(
                caller,
                "activity_month.close",
                entity_id=f"{agency_id}:{year}-{month:02d}",
                scope_path=unit.path,
                new={state.value: count for state, count in counts.items()},
            )
        ],
    )
    return MonthClosure(agency_id, year, month, counts)
