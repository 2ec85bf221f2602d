"""Reports (laporan kinerja) and their workflow: types, inputs and payloads."""

from collections.abc import Awaitable, Callable, Mapping
from datetime import date, datetime
from decimal import Decimal
from typing import Any, Self, cast

import strawberry
from strawberry.scalars import JSON

from actions.reports import Commented, Corrected, Transitioned
from domain.periods import Period
from domain.workflow import Compliance, DeadlinePolicy, ReportState
from schema.inputs import UserError
from schema.prepared import NOT_PREPARED, Prepared
from schema.types import Government, Indicator, Info, Node, OrgUnit, Realisation
from store.audit import AuditRecord
from store.reports import CommentRecord, ReportRecord, TransitionRecord

strawberry.enum(ReportState, description="State of a report (status laporan).")


@strawberry.type(description="One step of a report's history (riwayat).")
class ReportStep:
    action: str
    state: ReportState
    actor: str
    at: datetime
    reason: str | None

    @classmethod
    def of(cls, record: TransitionRecord) -> Self:
        return cls(action=record.action, state=record.state, actor=record.actor, at=record.at, reason=record.reason)


@strawberry.type(description="A comment (catatan asistensi) on a report, or on one indicator's realisation.")
class Comment:
    record: strawberry.Private[CommentRecord]
    id: strawberry.ID
    body: str
    author: str
    created_at: datetime
    resolved: bool
    resolved_at: datetime | None
    resolved_by: str | None
    parent_id: strawberry.ID | None = strawberry.field(description="The comment this one answers (thread).")

    @classmethod
    def of(cls, record: CommentRecord) -> Self:
        return cls(
            record=record,
            id=strawberry.ID(str(record.id)),
            body=record.body,
            author=record.author,
            created_at=record.created_at,
            resolved=record.resolved_at is not None,
            resolved_at=record.resolved_at,
            resolved_by=record.resolved_by,
            parent_id=strawberry.ID(str(record.parent_id)) if record.parent_id else None,
        )

    @strawberry.field(description="The indicator whose realisation is discussed, if any.")
    async def indicator(self, info: Info) -> Indicator | None:
        if self.record.indicator_id is None:
            return None
        found = await info.context.loaders.indicator_by_id.load(self.record.indicator_id)
        return Indicator.of(found) if found else None


@strawberry.type(description="A performance report (laporan kinerja) of one unit for a quarter or a year.")
class Report(Node, Prepared):
    record: strawberry.Private[ReportRecord]
    id: strawberry.ID
    state: ReportState
    year: int
    quarter: int | None = strawberry.field(description="Triwulan; null for the annual report (LKjIP).")
    submitted_at: datetime | None = strawberry.field(description="When it was last submitted.")
    reviewed_by: str | None = strawberry.field(description="Who last approved or returned it.")
    version: int
    # Resolver fields a list loaded for all of its reports at once, by GraphQL name
    # (resolvers/reports.reporting_compliance): the list then completes in one pass.
    ahead: strawberry.Private[dict[str, Any] | None] = None

    def prepared_value(self, field_name: str, arguments: Mapping[str, Any]) -> Any:
        if self.ahead is None:
            return NOT_PREPARED
        return self.ahead.get(field_name, NOT_PREPARED)

    @classmethod
    def of(cls, record: ReportRecord) -> Self:
        key = record.key
        return cls(
            record=record,
            id=strawberry.ID(key.global_id),
            state=record.state,
            year=key.year,
            quarter=key.quarter,
            submitted_at=record.submitted_at,
            reviewed_by=record.reviewed_by,
            version=record.version,
        )

    @strawberry.field
    async def org_unit(self, info: Info) -> OrgUnit | None:
        unit = await info.context.loaders.org_unit_by_id.load(self.record.key.org_unit_id)
        return OrgUnit.of(unit) if unit else None

    @strawberry.field(description="Submission deadline (batas waktu), per the government's configuration.")
    async def deadline(self, info: Info) -> date | None:
        unit = await info.context.loaders.org_unit_by_id.load(self.record.key.org_unit_id)
        government = await info.context.loaders.government_by_id.load(unit.government_id) if unit else None
        if government is None:
            return None
        policy = DeadlinePolicy(government.quarter_deadline_days, government.annual_deadline_days)
        return policy.deadline(Period(self.record.key.year, self.record.key.quarter))

    @strawberry.field(description="Every transition, oldest first.")
    async def history(self, info: Info) -> list[ReportStep]:
        if self.record.id is None:
            return []
        return [ReportStep.of(r) for r in await info.context.loaders.history_by_report_id.load(self.record.id)]

    @strawberry.field(description="Comments, oldest first; replies carry parentId.")
    async def comments(self, info: Info) -> list[Comment]:
        if self.record.id is None:
            return []
        return [Comment.of(r) for r in await info.context.loaders.comments_by_report_id.load(self.record.id)]


@strawberry.type(description="A unit's reporting compliance for a period (kepatuhan pelaporan).")
class ComplianceRow(Prepared):
    org_unit: OrgUnit
    state: ReportState
    submitted_at: datetime | None
    deadline: date
    status: Compliance
    reviewer: str | None = strawberry.field(description="Who last approved or returned the report.")
    report: Report = strawberry.field(
        description="The report itself (laporan), as `report(orgUnitId, year, quarter)` answers it: its id opens "
        "it for review, comments and history."
    )


@strawberry.type(
    description="Reporting compliance of one government's units under a scope for a period (rekap kepatuhan "
    "pelaporan): reports expected, in, on time, late, missing and not yet due."
)
class ComplianceSummary:
    government_id: strawberry.Private[int]
    expected: int = strawberry.field(description="Reporting units (pemda, perangkat daerah) expected to report.")
    submitted: int = strawberry.field(description="Reports in (laporan masuk): submitted, on time or late.")
    on_time: int = strawberry.field(description="Submitted by the deadline (tepat waktu).")
    late: int = strawberry.field(description="Submitted after the deadline (terlambat).")
    missing: int = strawberry.field(description="Not submitted though due (belum masuk).")
    not_due: int = strawberry.field(description="Not submitted, deadline not yet passed.")

    @strawberry.field(description="The government whose units these are.")
    async def government(self, info: Info) -> Government | None:
        found = await info.context.loaders.government_by_id.load(self.government_id)
        return Government.of(found) if found else None


@strawberry.type(description="An entry of the append-only audit log (jejak audit).")
class AuditEntry:
    id: strawberry.ID
    at: datetime
    actor: str
    request_id: str
    action: str
    entity_type: str
    entity_id: str
    old: JSON | None = strawberry.field(description="The entity's fields before the change.")
    new: JSON | None = strawberry.field(description="The entity's fields after the change.")
    reason: str | None

    @classmethod
    def of(cls, record: AuditRecord) -> Self:
        return cls(
            id=strawberry.ID(str(record.id)),
            at=record.at,
            actor=record.actor,
            request_id=record.request_id,
            action=record.action,
            entity_type=record.entity_type,
            entity_id=record.entity_id,
            old=cast(JSON, record.old),
            new=cast(JSON, record.new),
            reason=record.reason,
        )


@strawberry.type
class AuditEntryEdge:
    cursor: str
    node: AuditEntry


@strawberry.type
class AuditPageInfo:
    has_next_page: bool
    end_cursor: str | None


@strawberry.type(description="A page of the audit log, newest first.")
class AuditEntryConnection(Prepared):
    """Loaded whole by its resolver: completed in one pass (api/completion.py) unless `totalCount`
    is asked for, which is counted by its own statement."""

    edges: list[AuditEntryEdge]
    page_info: AuditPageInfo
    # Counting every entry in scope is most of a page's time (the country's log grows by the
    # hundred thousand): done only when `totalCount` is asked for.
    counted: strawberry.Private[Callable[[], Awaitable[int]]]

    @strawberry.field(description="Entries matching the filter (jumlah entri).")
    async def total_count(self) -> int:
        return await self.counted()


@strawberry.input(description="Filter of the audit log; every field narrows it.")
class AuditLogFilter:
    scope: strawberry.ID | None = strawberry.field(default=None, description="A Government or OrgUnit id.")
    entity_id: str | None = None
    actor: str | None = None
    from_: datetime | None = strawberry.field(default=None, name="from")
    to: datetime | None = None


@strawberry.type(description="A report changed state (for subscriptions).")
class ReportStatusEvent:
    report_id: strawberry.ID
    org_unit_id: strawberry.ID
    year: int
    quarter: int | None
    state: ReportState


@strawberry.input
class SubmitReportInput:
    org_unit_id: strawberry.ID
    year: int
    quarter: int | None = None


@strawberry.input
class ReviewReportInput:
    report_id: strawberry.ID
    comment: str | None = strawberry.field(default=None, description="Required to return a report.")


@strawberry.input
class PublishReportInput:
    report_id: strawberry.ID


@strawberry.input
class UnlockReportInput:
    report_id: strawberry.ID
    reason: str


@strawberry.input(description="A reviewer's correction of a submitted realisation, with its reason.")
class CorrectRealisationInput:
    indicator_id: strawberry.ID
    year: int
    quarter: int
    value: Decimal
    reason: str
    expected_version: int = strawberry.field(
        description="The version of the value corrected: the realisation's, or the month's when month is given."
    )
    month: int | None = strawberry.field(
        default=None,
        description="For an indicator that reports monthly (bulanan): the month (1–12, within the quarter) "
        "corrected; its quarter's figure is derived again and shows the correction too.",
    )


@strawberry.input
class AddCommentInput:
    report_id: strawberry.ID
    body: str
    indicator_id: strawberry.ID | None = strawberry.field(default=None, description="About this realisation.")
    parent_id: strawberry.ID | None = strawberry.field(default=None, description="Reply to this comment.")


@strawberry.input
class ResolveCommentInput:
    comment_id: strawberry.ID
    resolved: bool = True


@strawberry.type
class ReportPayload:
    report: Report | None
    user_errors: list[UserError]
    comment: Comment | None = None
    realisation: Realisation | None = None

    @classmethod
    def transitioned(cls, done: Transitioned | None, user_errors: list[UserError]) -> Self:
        if done is None:
            return cls(report=None, user_errors=user_errors)
        comment = Comment.of(done.comment) if done.comment else None
        return cls(report=Report.of(done.report), user_errors=[], comment=comment)

    @classmethod
    def corrected(cls, done: Corrected | None, user_errors: list[UserError]) -> Self:
        if done is None:
            return cls(report=None, user_errors=user_errors)
        realisation = Realisation.of(done.realisation, done.ordinal_scale) if done.realisation else None
        return cls(report=Report.of(done.report), user_errors=[], realisation=realisation)

    @classmethod
    def commented(cls, done: Commented | None, user_errors: list[UserError]) -> Self:
        if done is None:
            return cls(report=None, user_errors=user_errors)
        return cls(report=Report.of(done.report), user_errors=[], comment=Comment.of(done.comment))
