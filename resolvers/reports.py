"""The reporting workflow: read a report, move it along, correct, comment, watch compliance
(the writes are actions/reports.py)."""

from collections.abc import AsyncIterator
from datetime import date
from typing import Any

import strawberry

from actions import reports as workflow
from domain.errors import DomainError
from domain.periods import Period
from domain.workflow import (
    Compliance,
    ComplianceTally,
    DeadlinePolicy,
    ReportAction,
    ReportState,
    compliance_at,
)
from policies.scopes import may_see_values
from resolvers.scopes import scope_path
from resolvers.subtree import selected_names
from resolvers.writes import in_transaction, user_errors
from schema.errors import ApiError, bad_input
from schema.ids import decode_cursor, decode_id_of, encode_cursor, encode_id, optional_pk_of, pk_of
from schema.reports import (
    AddCommentInput,
    AuditEntry,
    AuditEntryConnection,
    AuditEntryEdge,
    AuditLogFilter,
    AuditPageInfo,
    Comment,
    ComplianceRow,
    ComplianceSummary,
    CorrectRealisationInput,
    PublishReportInput,
    Report,
    ReportPayload,
    ReportStatusEvent,
    ReportStep,
    ResolveCommentInput,
    ReviewReportInput,
    SubmitReportInput,
    UnlockReportInput,
)
from schema.types import Info, OrgUnit, checked_period
from store import audit, reports
from store.reports import ReportKey

MAX_PAGE = 100


async def report(info: Info, org_unit_id: strawberry.ID, year: int, quarter: int | None = None) -> Report | None:
    """A unit's report for a period; null where the caller may see nothing of it."""
    asked = checked_period(year, quarter)
    unit_pk = decode_id_of(org_unit_id, "OrgUnit")
    if unit_pk is None:
        raise bad_input("orgUnitId harus berupa id OrgUnit.")
    unit = await info.context.loaders.org_unit_by_id.load(unit_pk)
    if unit is None:
        return None
    record = await info.context.loaders.report_by_key.load(ReportKey(unit.id, asked.year, asked.quarter))
    return Report.of(record) if may_see_values(info.context.viewer, unit.path, record.state) else None


async def _transition(info: Info, key: ReportKey | None, action: ReportAction, text: str | None) -> ReportPayload:
    if key is None:
        return ReportPayload(report=None, user_errors=user_errors([workflow.report_not_found()]))
    done = await in_transaction(
        info,
        lambda conn: workflow.transition_report(conn, caller=info.context.caller, key=key, action=action, text=text),
    )
    return ReportPayload.transitioned(done.value, done.user_errors)


async def submit_report(info: Info, input: SubmitReportInput) -> ReportPayload:
    unit = decode_id_of(input.org_unit_id, "OrgUnit")
    if unit is None:
        missing = DomainError("NOT_FOUND", "Unit tidak ditemukan.", "orgUnitId")
        return ReportPayload(report=None, user_errors=user_errors([missing]))
    return await _transition(info, ReportKey(unit, input.year, input.quarter), ReportAction.SUBMIT, None)


async def return_report(info: Info, input: ReviewReportInput) -> ReportPayload:
    return await _transition(info, _key(input.report_id), ReportAction.RETURN, input.comment)


async def approve_report(info: Info, input: ReviewReportInput) -> ReportPayload:
    return await _transition(info, _key(input.report_id), ReportAction.APPROVE, input.comment)


async def publish_report(info: Info, input: PublishReportInput) -> ReportPayload:
    return await _transition(info, _key(input.report_id), ReportAction.PUBLISH, None)


async def unlock_report(info: Info, input: UnlockReportInput) -> ReportPayload:
    return await _transition(info, _key(input.report_id), ReportAction.UNLOCK, input.reason)


def _key(report_id: str) -> ReportKey | None:
    return ReportKey.of_global_id(report_id)


async def correct_realisation(info: Info, input: CorrectRealisationInput) -> ReportPayload:
    context = info.context
    done = await in_transaction(
        info,
        lambda conn: workflow.correct_realisation(
            conn,
            caller=context.caller,
            window=context.services.window,
            indicator_id=pk_of(input.indicator_id, "Indicator"),
            year=input.year,
            quarter=input.quarter,
            value=input.value,
            reason=input.reason,
            expected_version=input.expected_version,
            month=input.month,
        ),
    )
    return ReportPayload.corrected(done.value, done.user_errors)


async def add_comment(info: Info, input: AddCommentInput) -> ReportPayload:
    key = _key(input.report_id)
    if key is None:
        return ReportPayload(report=None, user_errors=user_errors([workflow.report_not_found()]))
    done = await in_transaction(
        info,
        lambda conn: workflow.add_comment(
            conn,
            caller=info.context.caller,
            key=key,
            body=input.body,
            indicator_id=optional_pk_of(input.indicator_id, "Indicator"),
            parent_id=_comment_id(input.parent_id),
        ),
    )
    return ReportPayload.commented(done.value, done.user_errors)


async def resolve_comment(info: Info, input: ResolveCommentInput) -> ReportPayload:
    done = await in_transaction(
        info,
        lambda conn: workflow.resolve_comment(
            conn, caller=info.context.caller, comment_id=_comment_id(input.comment_id) or 0, resolved=input.resolved
        ),
    )
    return ReportPayload.commented(done.value, done.user_errors)


def _comment_id(comment_id: str | None) -> int | None:
    """Comments are named by their number; anything else names none (0)."""
    if comment_id is None:
        return None
    return int(comment_id) if comment_id.isdigit() else 0


async def reporting_compliance(
    info: Info, scope: strawberry.ID, year: int, quarter: int | None = None
) -> list[ComplianceRow]:
    asked = checked_period(year, quarter)
    rows = await _reporting_units(info, scope, asked)
    ahead = await _reports_ahead(info, [row.report.id for row in rows if row.report.id is not None])
    result = []
    for row in rows:
        deadline, status = _deadline_and_status(row, asked, info.context.today)
        unit = OrgUnit.of(row.unit)
        report = Report.of(row.report)
        if row.report.id is None:  # not written yet: no history, no comments
            report.ahead = {"orgUnit": unit, "history": [], "comments": []}
        else:
            report.ahead = {"orgUnit": unit, **{name: found[row.report.id] for name, found in ahead.items()}}
        result.append(
            ComplianceRow(
                org_unit=unit,
                state=row.report.state,
                submitted_at=row.report.submitted_at,
                deadline=deadline,
                status=status,
                reviewer=row.report.reviewed_by,
                report=report,
            )
        )
    return result


async def _reports_ahead(info: Info, report_ids: list[int]) -> dict[str, dict[int, list[Any]]]:
    """The history and comments a compliance list selects, loaded for all of its reports at once
    (one statement each, as their fields would), so the list completes in one pass."""
    asked = selected_names(info)
    loaders = info.context.loaders
    ahead: dict[str, dict[int, list[Any]]] = {}
    if "history" in asked:
        steps = await loaders.history_by_report_id.load_many(report_ids)
        ahead["history"] = {i: [ReportStep.of(r) for r in found] for i, found in zip(report_ids, steps, strict=True)}
    if "comments" in asked:
        comments = await loaders.comments_by_report_id.load_many(report_ids)
        ahead["comments"] = {i: [Comment.of(r) for r in found] for i, found in zip(report_ids, comments, strict=True)}
    return ahead


async def reporting_compliance_summary(
    info: Info, scope: strawberry.ID, year: int, quarter: int | None = None
) -> list[ComplianceSummary]:
    asked = checked_period(year, quarter)
    rows = await _reporting_units(info, scope, asked)
    tallies: dict[int, ComplianceTally] = {}  # in the rows' order: by path, so the province first
    for row in rows:
        tallies.setdefault(row.unit.government_id, ComplianceTally()).add(
            _deadline_and_status(row, asked, info.context.today)[1]
        )
    return [ComplianceSummary(government_id=government, **vars(tally)) for government, tally in tallies.items()]


async def _reporting_units(info: Info, scope: strawberry.ID, asked: Period) -> list[reports.ComplianceRecord]:
    """The reporting units under a scope with their reports for the period; none outside the grants."""
    path = await scope_path(info, scope, argument="scope")
    if path is None:
        return []
    return await reports.reporting_units(
        await info.context.connection(), info.context.viewer, scope_path=path, year=asked.year, quarter=asked.quarter
    )


def _deadline_and_status(row: reports.ComplianceRecord, asked: Period, today: date) -> tuple[date, Compliance]:
    deadline = DeadlinePolicy(row.quarter_deadline_days, row.annual_deadline_days).deadline(asked)
    submitted = row.report.submitted_at
    return deadline, compliance_at(submitted_at=submitted, deadline=deadline, today=today)


async def audit_log(
    info: Info, filter: AuditLogFilter | None = None, first: int | None = None, after: str | None = None
) -> AuditEntryConnection:
    if info.context.viewer.user_id is None:
        raise ApiError("UNAUTHENTICATED", "Masuk terlebih dahulu.")
    size = 20 if first is None else first
    if not 0 <= size <= MAX_PAGE:
        raise bad_input(f"first harus antara 0 dan {MAX_PAGE}.")
    after_id = None
    if after is not None and (after_id := decode_cursor(after)) is None:
        raise bad_input("Cursor `after` tidak valid.")
    chosen = filter or AuditLogFilter()
    path = await scope_path(info, chosen.scope, argument="scope") if chosen.scope else None
    if chosen.scope and path is None:
        return AuditEntryConnection(
            edges=[], page_info=AuditPageInfo(has_next_page=False, end_cursor=None), counted=_no_entries
        )
    spec = audit.AuditFilterSpec(
        scope_path=path, entity_id=chosen.entity_id, actor=chosen.actor, since=chosen.from_, until=chosen.to
    )
    viewer = info.context.viewer
    records, has_next = await audit.audit_page(
        await info.context.connection(), viewer, spec, first=size, after_id=after_id
    )
    edges = [AuditEntryEdge(cursor=encode_cursor(r.id), node=AuditEntry.of(r)) for r in records]

    async def counted() -> int:
        return await audit.audit_count(await info.context.connection(), viewer, spec)

    return AuditEntryConnection(
        edges=edges,
        page_info=AuditPageInfo(has_next_page=has_next, end_cursor=edges[-1].cursor if edges else None),
        counted=counted,
    )


async def _no_entries() -> int:
    return 0


async def report_status_changed(info: Info, scope: strawberry.ID) -> AsyncIterator[ReportStatusEvent]:
    """Live report transitions under a scope, as the caller may see them (LISTEN/NOTIFY fed)."""
    path = await scope_path(info, scope, argument="scope")
    viewer = info.context.viewer
    await info.context.close()  # a subscription may live for hours: give the pooled connection back
    if path is None:
        return
    async for event in info.context.services.events.subscribe():
        if event is None:  # idle: may the caller still listen at all?
            if not await info.context.still_allowed():
                await info.context.request.close(code=4403, reason="Forbidden")
                return
            continue
        if "path" not in event or not event["path"].startswith(path):  # not a report's (a week's)
            continue
        state = ReportState(event["state"])
        if not may_see_values(viewer, event["path"], state):
            continue
        if not await info.context.still_allowed():
            # Signed out by an expired or revoked token, or a grant taken away: 4403, as at connection_init.
            await info.context.request.close(code=4403, reason="Forbidden")
            return
        yield ReportStatusEvent(
            report_id=strawberry.ID(ReportKey(event["orgUnitId"], event["year"], event["quarter"]).global_id),
            org_unit_id=strawberry.ID(encode_id("OrgUnit", event["orgUnitId"])),
            year=event["year"],
            quarter=event["quarter"],
            state=state,
        )
