"""Individual e-Kinerja over GraphQL (actions/personnel.py, actions/activity.py): the caller's own
employee record, the employees of a scope, the superior's queue of weeks to approve, and a
mutation per step."""

from collections.abc import AsyncIterator
from datetime import date

import strawberry
from sqlalchemy import ColumnElement
from sqlalchemy.ext.asyncio import AsyncConnection

from actions import activity, personnel
from actions.activity import EntryInput, ScoreInput
from domain.activity import approval_deadline, week_end
from domain.personnel import PositionKind, StaffRow, normalise_nip
from policies.individual import Holder, readable
from policies.permissions import Permission
from policies.scopes import under
from resolvers.scopes import scope_path
from resolvers.writes import in_transaction
from schema.ids import encode_id, pk_of
from schema.individual import (
    ActivityLog,
    ActivityLogPayload,
    ActivityStateCount,
    AssignActingInput,
    AssignActingPayload,
    CloseActivityMonthInput,
    CloseActivityMonthPayload,
    DeleteActivityInput,
    DeleteActivityPayload,
    Employee,
    ImportStaffInput,
    ImportStaffPayload,
    LogActivityInput,
    ReviewActivityWeekInput,
    ScoreActivitiesInput,
    ScoreActivitiesPayload,
    StaffRowInput,
    SubmitActivityWeekInput,
    WeeklyApproval,
    WeeklyApprovalPayload,
    holder_of,
)
from schema.types import Info
from store import activity as activity_store
from store import personnel as personnel_store
from store.activity import WEEK_EVENT
from store.tables import employee, position

MAX_EMPLOYEES = 500


async def my_employee(info: Info) -> Employee | None:
    """The caller's own employee record; null for an account that is no employee and for tokens."""
    holder = await holder_of(info)
    if holder.employee_id is None:
        return None
    conn = await info.context.connection()
    found = await personnel_store.employees_by_ids(conn, [holder.employee_id])
    record = found.get(holder.employee_id)
    return Employee.of(record) if record else None


async def employees(info: Info, scope: strawberry.ID, first: int = 100) -> list[Employee]:
    """The employees under a Government or OrgUnit the caller may read: in the scope of their
    admin, verifier or finance grant, themself and their direct subordinates."""
    path = await scope_path(info, scope, argument="scope")
    if path is None:
        return []
    conn = await info.context.connection()
    records = await personnel_store.employees_where(
        conn, await _listed(info) & under(position.c.path, (path,)), limit=max(0, min(first, MAX_EMPLOYEES))
    )
    return [Employee.of(record) for record in records]


async def employee_by_id(info: Info, id: strawberry.ID) -> Employee | None:
    """One employee the caller may read (as `employees` would list them); null otherwise."""
    found = await personnel_store.employees_where(
        await info.context.connection(), await _listed(info) & (employee.c.id == pk_of(str(id), "Employee")), limit=1
    )
    return Employee.of(found[0]) if found else None


async def _listed(info: Info) -> ColumnElement[bool]:
    """The employees the caller reads the master of: in scope of a personnel read, themself and
    their direct subordinates (policies.individual.readable)."""
    holder = await holder_of(info)
    return readable(
        info.context.viewer, holder, Permission.READ_PERSONNEL, employee_id=employee.c.id,
        superior_position_id=position.c.superior_id, path=position.c.path,
    )  # fmt: skip


async def pending_approvals(info: Info) -> list[WeeklyApproval]:
    """Weeks awaiting the caller's decision: their direct subordinates' (as holder or Plt/Plh of
    the superior position), and, past the deadline, their subordinates' subordinates'."""
    holder = await holder_of(info)
    return await _pending(await info.context.connection(), holder, info.context.today)


async def _pending(conn: AsyncConnection, holder: Holder, today: date) -> list[WeeklyApproval]:
    if not holder.positions:
        return []
    weeks = [
        week
        for week, direct in await activity_store.pending_weeks(conn, sorted(holder.positions))
        if direct or today > approval_deadline(week.week_start)
    ]
    if not weeks:
        return []
    owners = await personnel_store.employees_by_ids(conn, sorted({w.employee_id for w in weeks}))
    first = min(w.week_start for w in weeks)
    last = week_end(max(w.week_start for w in weeks))
    entries = await activity_store.entries_between(conn, sorted(owners), first, last)
    return [WeeklyApproval.of(w, owners[w.employee_id], entries[w.employee_id]) for w in weeks]


async def pending_approvals_changed(info: Info) -> AsyncIterator[list[WeeklyApproval]]:
    """The caller's queue now, then again whenever a week in it is submitted or decided (LISTEN/
    NOTIFY, as it commits); closed with 4403 once the caller's credentials no longer hold."""
    holder = await holder_of(info)
    yield await pending_approvals(info)
    await info.context.close()  # a subscription may live for hours: give the pooled connection back
    if not holder.positions:
        return
    async for event in info.context.services.events.subscribe():
        if event is not None and (event.get("kind") != WEEK_EVENT or not holder.positions & set(event["positions"])):
            continue
        if not await info.context.still_allowed():
            await info.context.request.close(code=4403, reason="Forbidden")
            return
        if event is None:
            continue
        info.context.refresh()
        yield await pending_approvals(info)
        await info.context.close()


def _staff_row(row: StaffRowInput) -> StaffRow:
    kind = row.position_kind.strip().upper()
    return StaffRow(
        nip=normalise_nip(row.nip), name=row.name.strip(), golongan=row.golongan.strip(),
        position_code=row.position_code.strip(), position_name=row.position_name.strip(),
        position_kind=PositionKind(kind) if kind in PositionKind.__members__ else None, job_class=row.job_class,
        unit_code=row.unit_code.strip(), superior_code=row.superior_code.strip(), username=row.username.strip(),
    )  # fmt: skip


async def import_staff(info: Info, input: ImportStaffInput) -> ImportStaffPayload:
    rows = [_staff_row(row) for row in input.rows]
    done = await in_transaction(
        info,
        lambda conn: personnel.import_staff(
            conn, caller=info.context.caller, government_code=input.government_code, rows=rows,
            today=info.context.today,
        ),
        dry_run=input.dry_run,
    )  # fmt: skip
    value = done.value
    return ImportStaffPayload(
        positions=value.positions if value else None, employees=value.employees if value else None,
        created=value.created if value else None, user_errors=done.user_errors,
    )  # fmt: skip


async def assign_acting(info: Info, input: AssignActingInput) -> AssignActingPayload:
    done = await in_transaction(
        info,
        lambda conn: personnel.assign_acting(
            conn, caller=info.context.caller, position_id=pk_of(input.position_id, "Position"),
            employee_id=pk_of(input.employee_id, "Employee"), kind=input.kind, starts_on=input.starts_on,
            ends_on=input.ends_on,
        ),
    )  # fmt: skip
    assigned = None if done.value is None else strawberry.ID(encode_id("ActingAssignment", done.value.id))
    return AssignActingPayload(assignment_id=assigned, user_errors=done.user_errors)


async def log_activity(info: Info, input: LogActivityInput) -> ActivityLogPayload:
    entry = EntryInput(
        work_date=input.work_date, starts_at=input.starts_at, ends_at=input.ends_at, kind=input.kind,
        description=input.description, evidence_url=input.evidence_url,
        rhk_id=None if input.rhk_id is None else pk_of(input.rhk_id, "Rhk"),
    )  # fmt: skip
    entry_id = None if input.entry_id is None else pk_of(input.entry_id, "ActivityLog")
    done = await in_transaction(
        info,
        lambda conn: activity.log_activity(
            conn, caller=info.context.caller, entry=entry, today=info.context.today, entry_id=entry_id,
            expected_version=input.expected_version,
        ),
    )  # fmt: skip
    logged = None if done.value is None else ActivityLog.of(done.value)
    return ActivityLogPayload(activity_log=logged, user_errors=done.user_errors)


async def delete_activity(info: Info, input: DeleteActivityInput) -> DeleteActivityPayload:
    done = await in_transaction(
        info,
        lambda conn: activity.delete_activity(
            conn, caller=info.context.caller, entry_id=pk_of(input.entry_id, "ActivityLog"),
            expected_version=input.expected_version,
        ),
    )  # fmt: skip
    deleted = None if done.value is None else strawberry.ID(encode_id("ActivityLog", done.value))
    return DeleteActivityPayload(deleted_id=deleted, user_errors=done.user_errors)


async def _week_answer(info: Info, employee_id: int, week_start: date) -> WeeklyApproval | None:
    conn = await info.context.connection()
    owner = (await personnel_store.employees_by_ids(conn, [employee_id])).get(employee_id)
    week = await activity_store.week(conn, employee_id, week_start)
    if owner is None or week is None:
        return None
    entries = await activity_store.entries_between(conn, [employee_id], week_start, week_end(week_start))
    return WeeklyApproval.of(week, owner, entries[employee_id])


async def submit_activity_week(info: Info, input: SubmitActivityWeekInput) -> WeeklyApprovalPayload:
    done = await in_transaction(
        info,
        lambda conn: activity.submit_week(
            conn, caller=info.context.caller, week_start=input.week_start, today=info.context.today
        ),
    )
    answer = None if done.value is None else await _week_answer(info, done.value.employee_id, input.week_start)
    return WeeklyApprovalPayload(weekly_approval=answer, user_errors=done.user_errors)


async def review_activity_week(info: Info, input: ReviewActivityWeekInput) -> WeeklyApprovalPayload:
    holder = await holder_of(info)
    employee_id = pk_of(input.employee_id, "Employee")
    returned = [pk_of(entry_id, "ActivityLog") for entry_id in input.returned_entry_ids]
    done = await in_transaction(
        info,
        lambda conn: activity.review_week(
            conn, caller=info.context.caller, holder=holder, employee_id=employee_id, week_start=input.week_start,
            returned_entry_ids=returned, note=input.note, today=info.context.today,
        ),
    )  # fmt: skip
    answer = None if done.value is None else await _week_answer(info, employee_id, input.week_start)
    return WeeklyApprovalPayload(weekly_approval=answer, user_errors=done.user_errors)


async def score_activities(info: Info, input: ScoreActivitiesInput) -> ScoreActivitiesPayload:
    scores = [ScoreInput(pk_of(s.entry_id, "ActivityLog"), s.score, s.note) for s in input.scores]
    done = await in_transaction(
        info, lambda conn: activity.score_entries(conn, caller=info.context.caller, scores=scores)
    )
    logs = [] if done.value is None else [ActivityLog.of(entry) for entry in done.value]
    return ScoreActivitiesPayload(activity_logs=logs, user_errors=done.user_errors)


async def close_activity_month(info: Info, input: CloseActivityMonthInput) -> CloseActivityMonthPayload:
    done = await in_transaction(
        info,
        lambda conn: activity.close_month(
            conn, caller=info.context.caller, agency_id=pk_of(input.agency_id, "OrgUnit"), year=input.year,
            month=input.month, today=info.context.today,
        ),
    )  # fmt: skip
    if done.value is None:
        return CloseActivityMonthPayload(closed=False, counts=[], user_errors=done.user_errors)
    counts = [
        ActivityStateCount(state=state, count=count)
        for state, count in sorted(done.value.counts.items(), key=lambda i: i[0].value)
    ]
    return CloseActivityMonthPayload(closed=True, counts=counts, user_errors=[])
