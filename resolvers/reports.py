"""The reporting workflow: read a report, move it along, correct, comment, watch compliance."""

from collections.abc import AsyncIterator

import strawberry
from sqlalchemy.ext.asyncio import AsyncConnection

from domain.errors import DomainError
from domain.periods import period
from domain.values import MAX_NOTE_LENGTH, check_text, check_value
from domain.workflow import (
    ACTOR_OF,
    Actor,
    DeadlinePolicy,
    ReportAction,
    ReportState,
    actor_scope,
    approval_chain,
    check_correction,
    compliance,
    transition,
)
from policies.paths import province_code, province_path
from policies.permissions import Permission
from policies.scopes import may_see_values
from resolvers.scopes import scope_path
from resolvers.user_errors import user_errors
from schema.errors import ApiError, bad_input
from schema.ids import decode_cursor, decode_id_of, decode_report_id, encode_cursor, encode_id, encode_report_id
from schema.reports import (
    AddCommentInput,
    AuditEntry,
    AuditEntryConnection,
    AuditEntryEdge,
    AuditLogFilter,
    AuditPageInfo,
    Comment,
    ComplianceRow,
    CorrectRealisationInput,
    PublishReportInput,
    Report,
    ReportPayload,
    ReportStatusEvent,
    ResolveCommentInput,
    ReviewReportInput,
    SubmitReportInput,
    UnlockReportInput,
)
from schema.types import Info, OrgUnit, Realisation, checked_period
from store import aggregates, audit, hierarchy, reports, writes
from store.indicators import indicator_facts
from store.records import GovernmentRecord, OrgUnitRecord
from store.reports import ReportKey, ReportRecord
from store.values import realisations_by_indicator_ids

PERMISSION_OF = {
    Actor.SUBMITTER: Permission.SUBMIT_REPORTS,
    Actor.REVIEWER: Permission.REVIEW_REPORTS,
    Actor.PUBLISHER: Permission.PUBLISH_REPORTS,
    Actor.UNLOCKER: Permission.UNLOCK_REPORTS,
}
MAX_PAGE = 100


def _not_found() -> DomainError:
    return DomainError("NOT_FOUND", "Laporan tidak ditemukan.", "reportId")


def _report_key(global_id: str) -> ReportKey:
    decoded = decode_report_id(global_id)
    if decoded is None:
        raise _not_found()
    return ReportKey(*decoded)


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


async def _locate(info: Info, conn: AsyncConnection, key: ReportKey) -> tuple[OrgUnitRecord, GovernmentRecord]:
    found = await hierarchy.unit_with_government(conn, info.context.viewer, key.org_unit_id)
    if found is None:
        raise _not_found()
    return found


def _audit(info: Info, *, action: str, entity_id: str, path: str, **fields: object) -> audit.AuditEntry:
    return audit.AuditEntry(
        actor=info.context.actor,
        request_id=info.context.request_id,
        action=action,
        entity_type=action.split(".")[0],
        entity_id=entity_id,
        scope_path=path,
        **fields,  # type: ignore[arg-type]
    )


async def _act(info: Info, key: ReportKey, action: ReportAction, text: str | None) -> ReportPayload:
    context = info.context
    viewer = context.viewer
    try:
        period(key.year, key.quarter)
        async with context.services.engine.begin() as conn:
            unit, government = await _locate(info, conn, key)
            chain = approval_chain(
                unit_kind=unit.kind, government_path=government.path, province_path=province_path(government.path)
            )
            record = await reports.lock_report(conn, key, province=province_code(unit.path))
            if not may_see_values(viewer, unit.path, record.state):
                raise _not_found()
            where = actor_scope(
                action, chain=chain, approvals=record.approvals, unit_path=unit.path, government_path=government.path
            )
            if not viewer.may(PERMISSION_OF[ACTOR_OF[action]], where):
                raise DomainError("FORBIDDEN", f"Anda tidak berwenang melakukan {action.value} pada laporan ini.")
            step = transition(record.state, action, approvals=record.approvals, chain_length=len(chain), reason=text)
            saved = await reports.save_transition(
                conn,
                record=record,
                action=action.value,
                states=[*step.passed, step.state],
                approvals=step.approvals,
                actor=context.actor,
                reason=text,
                unit_path=unit.path,
            )
            comment = None
            if text and text.strip() and action in (ReportAction.RETURN, ReportAction.APPROVE):
                assert saved.id is not None
                comment = await reports.add_comment(
                    conn,
                    report_id=saved.id,
                    province=province_code(unit.path),
                    indicator_id=None,
                    parent_id=None,
                    author=context.actor,
                    body=text.strip(),
                )
            report_id = encode_report_id(key.org_unit_id, key.year, key.quarter)
            await audit.append(
                conn,
                [
                    _audit(
                        info,
                        action=f"report.{action.value.lower()}",
                        entity_id=report_id,
                        path=unit.path,
                        old={"state": record.state.value},
                        new={"state": step.state.value},
                        reason=text,
                    )
                ],
            )
    except DomainError as error:
        return ReportPayload(report=None, user_errors=user_errors([error]))
    return ReportPayload(report=Report.of(saved), user_errors=[], comment=Comment.of(comment) if comment else None)


async def submit_report(info: Info, input: SubmitReportInput) -> ReportPayload:
    unit = decode_id_of(input.org_unit_id, "OrgUnit")
    if unit is None:
        error = DomainError("NOT_FOUND", "Unit tidak ditemukan.", "orgUnitId")
        return ReportPayload(report=None, user_errors=user_errors([error]))
    return await _act(info, ReportKey(unit, input.year, input.quarter), ReportAction.SUBMIT, None)


async def _by_id(info: Info, report_id: str, action: ReportAction, text: str | None) -> ReportPayload:
    try:
        key = _report_key(report_id)
    except DomainError as error:
        return ReportPayload(report=None, user_errors=user_errors([error]))
    return await _act(info, key, action, text)


async def return_report(info: Info, input: ReviewReportInput) -> ReportPayload:
    return await _by_id(info, input.report_id, ReportAction.RETURN, input.comment)


async def approve_report(info: Info, input: ReviewReportInput) -> ReportPayload:
    return await _by_id(info, input.report_id, ReportAction.APPROVE, input.comment)


async def publish_report(info: Info, input: PublishReportInput) -> ReportPayload:
    return await _by_id(info, input.report_id, ReportAction.PUBLISH, None)


async def unlock_report(info: Info, input: UnlockReportInput) -> ReportPayload:
    return await _by_id(info, input.report_id, ReportAction.UNLOCK, input.reason)


async def correct_realisation(info: Info, input: CorrectRealisationInput) -> ReportPayload:
    context = info.context
    try:
        indicator_id = decode_id_of(input.indicator_id, "Indicator")
        reason = check_text(input.reason, max_length=MAX_NOTE_LENGTH, required=False)
        async with context.services.engine.begin() as conn:
            facts = (await indicator_facts(conn, context.viewer, [indicator_id]) if indicator_id else {}).get(
                indicator_id or 0
            )
            if indicator_id is None or facts is None:
                raise DomainError("NOT_FOUND", "Indikator tidak ditemukan.", "indicatorId")
            try:
                period(input.year, input.quarter)
            except DomainError as error:
                raise error.at("quarter") from error
            if not context.viewer.may(Permission.CORRECT_VALUES, facts.unit_path):
                raise DomainError("FORBIDDEN", "Hanya reviewer yang berwenang dapat mengoreksi nilai.", "indicatorId")
            key = ReportKey(facts.report_unit_id, input.year, input.quarter)
            record = await reports.lock_report(conn, key, province=province_code(facts.unit_path))
            check_correction(record.state, reason)
            try:
                check_value(input.value, allow_negative=facts.allow_negative)
            except DomainError as error:
                raise error.at("value") from error
            value_key = (indicator_id, input.year, input.quarter)
            existing = (await writes.lock_existing(conn, writes.REALISATIONS, [value_key])).get(value_key)
            if existing is None:
                raise DomainError("NOT_FOUND", "Belum ada realisasi untuk dikoreksi.", "indicatorId")
            if existing["version"] != input.expected_version:
                raise DomainError(
                    "CONFLICT", f"Nilai sudah berubah (versi {existing['version']}); muat ulang.", "expectedVersion"
                )
            await writes.correct_realisation(conn, key=value_key, value=input.value, reason=reason, by=context.actor)
            await aggregates.refresh_for_indicators(
                conn, context.services.window, [indicator_id], [input.year], realisation_quarters={input.quarter}
            )
            await audit.append(
                conn,
                [
                    _audit(
                        info,
                        action="realisation.correct",
                        entity_id=f"{indicator_id}:{input.year}:{input.quarter}",
                        path=facts.unit_path,
                        old={"value": existing["value"], "version": existing["version"]},
                        new={"value": input.value},
                        reason=reason,
                    )
                ],
            )
            corrected = [
                r
                for r in await realisations_by_indicator_ids(conn, context.viewer, [indicator_id])
                if (r.year, r.quarter) == (input.year, input.quarter)
            ]
    except DomainError as error:
        return ReportPayload(report=None, user_errors=user_errors([error]))
    return ReportPayload(
        report=Report.of(record),
        user_errors=[],
        realisation=Realisation.of(corrected[0], facts.ordinal_scale) if corrected else None,
    )


async def add_comment(info: Info, input: AddCommentInput) -> ReportPayload:
    context = info.context
    try:
        key = _report_key(input.report_id)
        body = check_text(input.body, max_length=MAX_NOTE_LENGTH)
        async with context.services.engine.begin() as conn:
            unit, _ = await _locate(info, conn, key)
            if not context.viewer.may(Permission.COMMENT_REPORTS, unit.path):
                raise DomainError("FORBIDDEN", "Anda tidak berwenang berkomentar pada laporan ini.", "reportId")
            record = await reports.lock_report(conn, key, province=province_code(unit.path))
            assert record.id is not None
            indicator_id = decode_id_of(input.indicator_id, "Indicator") if input.indicator_id else None
            if input.indicator_id is not None:
                facts = await indicator_facts(conn, context.viewer, [indicator_id] if indicator_id else [])
                if (
                    indicator_id is None
                    or facts.get(indicator_id) is None
                    or facts[indicator_id].report_unit_id != unit.id
                ):
                    raise DomainError("NOT_FOUND", "Indikator tidak termasuk laporan ini.", "indicatorId")
            parent_id = None
            if input.parent_id is not None:
                parent = await reports.comment_by_id(conn, int(input.parent_id)) if input.parent_id.isdigit() else None
                if parent is None or parent.report_id != record.id:
                    raise DomainError("NOT_FOUND", "Komentar induk tidak ditemukan pada laporan ini.", "parentId")
                parent_id = parent.id
            comment = await reports.add_comment(
                conn,
                report_id=record.id,
                province=province_code(unit.path),
                indicator_id=indicator_id,
                parent_id=parent_id,
                author=context.actor,
                body=body,
            )
            await audit.append(
                conn,
                [_audit(info, action="comment.add", entity_id=str(comment.id), path=unit.path, new={"body": body})],
            )
    except DomainError as error:
        return ReportPayload(report=None, user_errors=user_errors([error]))
    return ReportPayload(report=Report.of(record), user_errors=[], comment=Comment.of(comment))


async def resolve_comment(info: Info, input: ResolveCommentInput) -> ReportPayload:
    context = info.context
    try:
        async with context.services.engine.begin() as conn:
            found = await reports.comment_by_id(conn, int(input.comment_id)) if input.comment_id.isdigit() else None
            record = await _report_of_comment(conn, found)
            unit, _ = await _locate(info, conn, record.key) if record else (None, None)
            if found is None or record is None or unit is None:
                raise DomainError("NOT_FOUND", "Komentar tidak ditemukan.", "commentId")
            if not context.viewer.may(Permission.COMMENT_REPORTS, unit.path):
                raise DomainError("FORBIDDEN", "Anda tidak berwenang menandai komentar ini.", "commentId")
            comment = await reports.set_resolved(
                conn, comment_id=found.id, by=context.actor if input.resolved else None
            )
            action = "comment.resolve" if input.resolved else "comment.unresolve"
            await audit.append(conn, [_audit(info, action=action, entity_id=str(found.id), path=unit.path)])
    except DomainError as error:
        return ReportPayload(report=None, user_errors=user_errors([error]))
    return ReportPayload(report=Report.of(record), user_errors=[], comment=Comment.of(comment))


async def _report_of_comment(conn: AsyncConnection, found: reports.CommentRecord | None) -> ReportRecord | None:
    if found is None:
        return None
    return await reports.report_by_id(conn, found.report_id)


async def reporting_compliance(
    info: Info, scope: strawberry.ID, year: int, quarter: int | None = None
) -> list[ComplianceRow]:
    asked = checked_period(year, quarter)
    path = await scope_path(info, scope, argument="scope")
    if path is None:
        return []
    rows = await reports.reporting_units(
        await info.context.connection(), info.context.viewer, scope_path=path, year=asked.year, quarter=asked.quarter
    )
    result = []
    for row in rows:
        deadline = DeadlinePolicy(row.quarter_deadline_days, row.annual_deadline_days).deadline(asked)
        submitted = row.report.submitted_at
        result.append(
            ComplianceRow(
                org_unit=OrgUnit.of(row.unit),
                state=row.report.state,
                submitted_at=submitted,
                deadline=deadline,
                status=compliance(
                    submitted_on=submitted.date() if submitted else None, deadline=deadline, today=info.context.today
                ),
                reviewer=row.report.reviewed_by,
            )
        )
    return result


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
            edges=[], page_info=AuditPageInfo(has_next_page=False, end_cursor=None), total_count=0
        )
    spec = audit.AuditFilterSpec(
        scope_path=path, entity_id=chosen.entity_id, actor=chosen.actor, since=chosen.from_, until=chosen.to
    )
    records, has_next, total = await audit.audit_page(
        await info.context.connection(), info.context.viewer, spec, first=size, after_id=after_id
    )
    edges = [AuditEntryEdge(cursor=encode_cursor(r.id), node=AuditEntry.of(r)) for r in records]
    return AuditEntryConnection(
        edges=edges,
        page_info=AuditPageInfo(has_next_page=has_next, end_cursor=edges[-1].cursor if edges else None),
        total_count=total,
    )


async def report_status_changed(info: Info, scope: strawberry.ID) -> AsyncIterator[ReportStatusEvent]:
    """Live report transitions under a scope, as the caller may see them (LISTEN/NOTIFY fed)."""
    path = await scope_path(info, scope, argument="scope")
    viewer = info.context.viewer
    await info.context.close()  # a subscription may live for hours: give the pooled connection back
    if path is None:
        return
    async for event in info.context.services.events.subscribe():
        if not event["path"].startswith(path):
            continue
        state = ReportState(event["state"])
        if not may_see_values(viewer, event["path"], state):
            continue
        yield ReportStatusEvent(
            report_id=strawberry.ID(encode_report_id(event["orgUnitId"], event["year"], event["quarter"])),
            org_unit_id=strawberry.ID(encode_id("OrgUnit", event["orgUnitId"])),
            year=event["year"],
            quarter=event["quarter"],
            state=state,
        )
