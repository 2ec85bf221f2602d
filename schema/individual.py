"""GraphQL types of individual e-Kinerja (domain/personnel.py, domain/activity.py): employees
(pegawai), positions (jabatan), daily activity log entries (LKH) and their weekly approval.
Every answer here is individual data, read only as policies/individual.py allows."""

from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Annotated, Self

import strawberry

from domain.activity import ActivityKind, EntryState, approval_deadline, week_end
from domain.personnel import ActingKind
from policies.individual import Holder, may_read
from policies.permissions import Permission
from schema.ids import encode_id
from schema.inputs import UserError
from schema.positions import Position
from schema.skp import Rhk, Skp
from schema.tpp import MonthlyScore, TppStatement
from schema.types import Info
from store import personnel
from store.activity import EntryRecord, WeekRecord
from store.personnel import EmployeeRecord

strawberry.enum(ActingKind, name="ActingKind", description="PLT: pelaksana tugas; PLH: pelaksana harian.")
strawberry.enum(
    ActivityKind, name="ActivityKind", description="Jenis kegiatan harian: hadir, dinas luar, cuti, izin, sakit."
)
strawberry.enum(
    EntryState,
    name="ActivityState",
    description="DRAFT → SUBMITTED (the week to the superior) → APPROVED or RETURNED (fix and resubmit) → "
    "VERIFIED (scored 0–10) or REJECTED by the verification unit.",
)

MAX_RANGE_DAYS = 62


async def holder_of(info: Info) -> Holder:
    """The caller as an employee, once per request."""
    if info.context.holder is None:
        conn = await info.context.connection()
        info.context.holder = await personnel.holder_of(conn, info.context.viewer, info.context.today)
    return info.context.holder


@strawberry.type(description="A daily activity log entry (Laporan Kinerja Harian, LKH).")
class ActivityLog:
    record: strawberry.Private[EntryRecord]

    @classmethod
    def of(cls, record: EntryRecord) -> Self:
        return cls(record=record)

    @strawberry.field
    def id(self) -> strawberry.ID:
        return strawberry.ID(encode_id("ActivityLog", self.record.id))

    @strawberry.field
    def work_date(self) -> date:
        return self.record.work_date

    @strawberry.field
    def starts_at(self) -> time:
        return self.record.starts_at

    @strawberry.field
    def ends_at(self) -> time:
        return self.record.ends_at

    @strawberry.field
    def kind(self) -> ActivityKind:
        return self.record.kind

    @strawberry.field
    def description(self) -> str:
        return self.record.description

    @strawberry.field
    def evidence_url(self) -> str | None:
        return self.record.evidence_url

    @strawberry.field(description="The RHK of the employee's SKP the entry serves.")
    async def rhk(self, info: Info) -> Rhk | None:
        if self.record.rhk_id is None:
            return None
        found = await info.context.loaders.individual.rhk_by_id.load(self.record.rhk_id)
        return None if found is None else Rhk.of(found, self.record.work_date.year)

    @strawberry.field
    def state(self) -> EntryState:
        return self.record.state

    @strawberry.field(description="The superior's note when the entry was returned.")
    def review_note(self) -> str | None:
        return self.record.review_note

    @strawberry.field(description="The verification unit's score, 0–10 (null until verified; 0 when rejected).")
    def score(self) -> Decimal | None:
        return self.record.score

    @strawberry.field(description="The verification unit's note (the reason of a rejection).")
    def verify_note(self) -> str | None:
        return self.record.verify_note

    @strawberry.field(description="Send it as expectedVersion to edit or delete the entry.")
    def version(self) -> int:
        return self.record.version


@strawberry.type(description="An employee (pegawai). NIP and name are personal data: never public.")
class Employee:
    record: strawberry.Private[EmployeeRecord]

    @classmethod
    def of(cls, record: EmployeeRecord) -> Self:
        return cls(record=record)

    @strawberry.field
    def id(self) -> strawberry.ID:
        return strawberry.ID(encode_id("Employee", self.record.id))

    @strawberry.field(description="Nomor Induk Pegawai, 18 digits.")
    def nip(self) -> str:
        return self.record.nip

    @strawberry.field
    def name(self) -> str:
        return self.record.name

    @strawberry.field(description="Pangkat/golongan, e.g. III/c.")
    def golongan(self) -> str:
        return self.record.golongan

    @strawberry.field
    def position(self) -> Position | None:
        return None if self.record.position is None else Position(record=self.record.position)

    async def _may_read_logs(self, info: Info) -> bool:
        """Logs are the employee's, their superior's and the verifier's in scope; the admin and
        finance units read the employee master, not the logs."""
        holder = await holder_of(info)
        return may_read(info.context.viewer, holder, personnel.person_of(self.record), Permission.READ_ACTIVITY)

    @strawberry.field(description="The employee's entries from `from` to `to` (at most 62 days).")
    async def activity_logs(
        self, info: Info, from_: Annotated[date, strawberry.argument(name="from")], to: date
    ) -> list[ActivityLog]:
        if to < from_ or (to - from_).days > MAX_RANGE_DAYS or not await self._may_read_logs(info):
            return []
        entries = await info.context.loaders.individual.entries_by_employee_range.load((self.record.id, from_, to))
        return [ActivityLog.of(entry) for entry in entries]

    @strawberry.field(
        description="The employee's entries from `from` to `to` (at most 62 days) counted per state (read as the "
        "logs are): a verifier's month without every entry."
    )
    async def activity_counts(
        self, info: Info, from_: Annotated[date, strawberry.argument(name="from")], to: date
    ) -> list["ActivityStateCount"]:
        if to < from_ or (to - from_).days > MAX_RANGE_DAYS or not await self._may_read_logs(info):
            return []
        loaded = await info.context.loaders.individual.state_counts_by_employee_range.load((self.record.id, from_, to))
        return [ActivityStateCount(state=state, count=count) for state, count in loaded]

    @strawberry.field(description="The employee's SKP of the year (read as the logs are).")
    async def skp(self, info: Info, year: int) -> Skp | None:
        if not await self._may_read_logs(info):
            return None
        found = await info.context.loaders.individual.skp_by_employee_year.load((self.record.id, year))
        return None if found is None else Skp.of(found)

    @strawberry.field(
        description="The RHK of the superior position's SKP of the year, that the employee's RHK serve (RHK atasan "
        "untuk intervensi): read by whoever reads the employee's SKP; empty for an agency head."
    )
    async def superior_rhk(self, info: Info, year: int) -> list[Rhk]:
        superior = self.record.position.superior_id if self.record.position else None
        if superior is None or not await self._may_read_logs(info):
            return []
        loaders = info.context.loaders.individual
        found = await loaders.skp_by_position_year.load((superior, year))
        if found is None:
            return []
        return [Rhk.of(record, year) for record in await loaders.rhk_by_skp_id.load(found.id)]

    @strawberry.field(
        description="The employee's TPP statements of the year by month: read by the employee, their superior "
        "and the finance unit in scope."
    )
    async def tpp_statements(self, info: Info, year: int) -> list[TppStatement]:
        holder = await holder_of(info)
        if not may_read(info.context.viewer, holder, personnel.person_of(self.record), Permission.READ_TPP):
            return []
        loaded = await info.context.loaders.individual.tpp_statements_by_employee_year.load((self.record.id, year))
        return [TppStatement(record=r) for r in loaded]

    @strawberry.field(description="The employee's verified entries and scores per month of the year (read as logs).")
    async def monthly_scores(self, info: Info, year: int) -> list[MonthlyScore]:
        if not await self._may_read_logs(info):
            return []
        loaded = await info.context.loaders.individual.monthly_scores_by_employee_year.load((self.record.id, year))
        return [
            MonthlyScore(
                year=m.year, month=m.month, verified_entries=m.verified, score_sum=m.score_sum, closed=m.closed
            )
            for m in loaded
        ]

    @strawberry.field(description="The employee's weeks submitted from `from` to `to` (at most 62 days).")
    async def activity_weeks(
        self, info: Info, from_: Annotated[date, strawberry.argument(name="from")], to: date
    ) -> list["WeeklyApproval"]:
        if to < from_ or (to - from_).days > MAX_RANGE_DAYS or not await self._may_read_logs(info):
            return []
        loaders = info.context.loaders.individual
        weeks = await loaders.weeks_by_employee_range.load((self.record.id, from_, to))
        entries = await loaders.entries_by_employee_range.load((self.record.id, from_, to + timedelta(days=7)))
        return [WeeklyApproval.of(week, self.record, entries) for week in weeks]


@strawberry.type(description="A week of an employee's entries submitted to the superior (persetujuan mingguan).")
class WeeklyApproval:
    week: strawberry.Private[WeekRecord]
    owner: strawberry.Private[EmployeeRecord]
    entry_records: strawberry.Private[list[EntryRecord]]

    @classmethod
    def of(cls, week: WeekRecord, owner: EmployeeRecord, entries: list[EntryRecord]) -> Self:
        last = week_end(week.week_start)
        mine = [e for e in entries if week.week_start <= e.work_date <= last]
        return cls(week=week, owner=owner, entry_records=mine)

    @strawberry.field
    def employee(self) -> Employee:
        return Employee.of(self.owner)

    @strawberry.field(description="The Monday the week starts.")
    def week_start(self) -> date:
        return self.week.week_start

    @strawberry.field(description="SUBMITTED, APPROVED or RETURNED.")
    def state(self) -> str:
        return self.week.state

    @strawberry.field(description="The day the superior should decide by; later, the superior's superior may.")
    def deadline(self) -> date:
        return approval_deadline(self.week.week_start)

    @strawberry.field
    def submitted_at(self) -> datetime:
        return self.week.submitted_at

    @strawberry.field
    def decided_by(self) -> str | None:
        return self.week.decided_by

    @strawberry.field
    def note(self) -> str | None:
        return self.week.note

    @strawberry.field
    def entries(self) -> list[ActivityLog]:
        return [ActivityLog.of(entry) for entry in self.entry_records]


@strawberry.input(description="One row of a SIMPEG staff file: an employee and the position held.")
class StaffRowInput:
    nip: str
    name: str
    golongan: str = ""
    position_code: str = strawberry.field(description="The pemda's own code of the position (kode jabatan).")
    position_name: str = ""
    position_kind: str = strawberry.field(
        default="", description="JPT, ADMINISTRATOR, PENGAWAS, PELAKSANA, FUNGSIONAL."
    )
    job_class: int | None = None
    unit_code: str = strawberry.field(default="", description="The org unit's code (kode unit kerja).")
    superior_code: str = strawberry.field(
        default="", description="The superior position's code; empty only for the head of a perangkat daerah."
    )
    username: str = strawberry.field(default="", description="The platform account of the employee, if any.")


@strawberry.input(description="Import a staff file: positions by code, employees by NIP; all rows or none.")
class ImportStaffInput:
    government_code: str
    rows: list[StaffRowInput]
    dry_run: bool = strawberry.field(default=False, description="Check every row and write nothing.")


@strawberry.type
class ImportStaffPayload:
    positions: int | None = strawberry.field(description="Positions written (null when refused).")
    employees: int | None
    created: int | None = strawberry.field(description="Employees new to the platform.")
    user_errors: list[UserError]


@strawberry.input(description="Someone acts for a position (Plt/Plh) from a date, to a date.")
class AssignActingInput:
    position_id: strawberry.ID
    employee_id: strawberry.ID
    kind: ActingKind
    starts_on: date
    ends_on: date | None = None


@strawberry.type
class AssignActingPayload:
    assignment_id: strawberry.ID | None
    user_errors: list[UserError]


@strawberry.input(
    description="Log an entry, or edit one (entryId with expectedVersion) while it is a draft or returned."
)
class LogActivityInput:
    work_date: date
    starts_at: time
    ends_at: time
    kind: ActivityKind
    description: str
    evidence_url: str | None = None
    rhk_id: strawberry.ID | None = strawberry.field(default=None, description="The RHK of the caller's SKP it serves.")
    entry_id: strawberry.ID | None = None
    expected_version: int | None = None


@strawberry.type
class ActivityLogPayload:
    activity_log: ActivityLog | None
    user_errors: list[UserError]


@strawberry.input
class DeleteActivityInput:
    entry_id: strawberry.ID
    expected_version: int


@strawberry.type
class DeleteActivityPayload:
    deleted_id: strawberry.ID | None
    user_errors: list[UserError]


@strawberry.input(description="Submit a week's draft and returned entries to the superior.")
class SubmitActivityWeekInput:
    week_start: date = strawberry.field(description="The Monday the week starts.")


@strawberry.input(
    description="The superior approves a week, returning the entries listed (with the note) to be fixed; "
    "none listed approves it whole."
)
class ReviewActivityWeekInput:
    employee_id: strawberry.ID
    week_start: date
    returned_entry_ids: list[strawberry.ID] = strawberry.field(default_factory=list)
    note: str | None = None


@strawberry.type
class WeeklyApprovalPayload:
    weekly_approval: WeeklyApproval | None
    user_errors: list[UserError]


@strawberry.input(description="A score 0–10 (two decimals) for an approved entry, or null with a note to reject it.")
class ActivityScoreInput:
    entry_id: strawberry.ID
    score: Decimal | None = None
    note: str | None = None


@strawberry.input(description="The verification unit's scores (1–1000 entries), all or none.")
class ScoreActivitiesInput:
    scores: list[ActivityScoreInput]


@strawberry.type
class ScoreActivitiesPayload:
    activity_logs: list[ActivityLog]
    user_errors: list[UserError]


@strawberry.input(description="Close an agency's month of activity logs: frozen afterwards.")
class CloseActivityMonthInput:
    agency_id: strawberry.ID = strawberry.field(description="The perangkat daerah (OrgUnit).")
    year: int
    month: int


@strawberry.type(description="Entries counted per state (of a month closed, or of an employee's days).")
class ActivityStateCount:
    state: EntryState
    count: int


@strawberry.type
class CloseActivityMonthPayload:
    closed: bool
    counts: list[ActivityStateCount]
    user_errors: list[UserError]
