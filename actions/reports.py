"""The reporting workflow's writes: move a report along its states, correct a submitted value,
comment and resolve comments (design.md, "Reporting workflow"; docs/workflow.md)."""

from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy.ext.asyncio import AsyncConnection

from actions import audit
from actions.caller import Caller
from actions.monthly import MonthCorrection, correct_month
from domain.enums import ReportingFrequency
from domain.errors import DomainError
from domain.periods import period
from domain.values import MAX_NOTE_LENGTH, check_text, check_value
from domain.workflow import (
    ACTOR_OF,
    Actor,
    ReportAction,
    actor_scope,
    approval_chain,
    check_correction,
    comment_of,
    transition,
)
from policies.paths import province_code, province_path
from policies.permissions import Permission
from policies.scopes import may_see_values
from store import audit as audit_log
from store import hierarchy, reports, writes
from store.aggregates import AggregateWindow
from store.indicators import indicator_facts
from store.records import GovernmentRecord, OrgUnitRecord, RealisationRecord
from store.reports import CommentRecord, ReportKey, ReportRecord
from store.values import realisations_by_indicator_ids

PERMISSION_OF = {
    Actor.SUBMITTER: Permission.SUBMIT_REPORTS,
    Actor.REVIEWER: Permission.REVIEW_REPORTS,
    Actor.PUBLISHER: Permission.PUBLISH_REPORTS,
    Actor.UNLOCKER: Permission.UNLOCK_REPORTS,
}


def report_not_found() -> DomainError:
    return DomainError("NOT_FOUND", "Laporan tidak ditemukan.", "reportId")


async def _locate(conn: AsyncConnection, caller: Caller, key: ReportKey) -> tuple[OrgUnitRecord, GovernmentRecord]:
    found = await hierarchy.unit_with_government(conn, caller.viewer, key.org_unit_id)
    if found is None:
        raise report_not_found()
    return found


@dataclass(frozen=True)
class Transitioned:
    report: ReportRecord
    comment: CommentRecord | None  # a return's or approval's text, kept as a comment


async def transition_report(
    conn: AsyncConnection, *, caller: Caller, key: ReportKey, action: ReportAction, text: str | None
) -> Transitioned:
    """Submit, return, approve, publish or unlock a report, as the caller's role allows where it
    sits in the approval chain (domain.workflow)."""
    period(key.year, key.quarter)
    unit, government = await _locate(conn, caller, key)
    chain = approval_chain(
        unit_kind=unit.kind, government_path=government.path, province_path=province_path(government.path)
    )
    record = await reports.lock_report(conn, key, province=province_code(unit.path))
    if not may_see_values(caller.viewer, unit.path, record.state):
        raise report_not_found()
    where = actor_scope(
        action, chain=chain, approvals=record.approvals, unit_path=unit.path, government_path=government.path
    )
    if not caller.viewer.may(PERMISSION_OF[ACTOR_OF[action]], where):
        raise DomainError("FORBIDDEN", f"Anda tidak berwenang melakukan {action.value} pada laporan ini.")
    step = transition(record.state, action, approvals=record.approvals, chain_length=len(chain), reason=text)
    saved = await reports.save_transition(
        conn,
        record=record,
        action=action.value,
        states=[*step.passed, step.state],
        approvals=step.approvals,
        actor=caller.actor,
        reason=text,
        unit_path=unit.path,
    )
    comment = None
    if (body := comment_of(action, text)) is not None:
        assert saved.id is not None
        comment = await reports.add_comment(
            conn,
            report_id=saved.id,
            province=province_code(unit.path),
            indicator_id=None,
            parent_id=None,
            author=caller.actor,
            body=body,
        )
    moved = audit.entry(
        caller,
        f"report.{action.value.lower()}",
        entity_id=key.global_id,
        scope_path=unit.path,
        old={"state": record.state.value},
        new={"state": step.state.value},
        reason=text,
    )
    await audit_log.append(conn, [moved])
    return Transitioned(saved, comment)


@dataclass(frozen=True)
class Corrected:
    report: ReportRecord
    realisation: RealisationRecord | None
    ordinal_scale: str | None


async def correct_realisation(
    conn: AsyncConnection,
    *,
    caller: Caller,
    window: AggregateWindow,
    indicator_id: int,
    year: int,
    quarter: int,
    value: Decimal,
    reason: str,
    expected_version: int,
    month: int | None = None,
) -> Corrected:
    """A reviewer's correction of a submitted value, with its reason; the value it replaced is kept.
    Of an indicator that reports monthly, the month is corrected and its quarter derived again."""
    reason = check_text(reason, max_length=MAX_NOTE_LENGTH, required=False)
    facts = (await indicator_facts(conn, caller.viewer, [indicator_id])).get(indicator_id)
    if facts is None:
        raise DomainError("NOT_FOUND", "Indikator tidak ditemukan.", "indicatorId")
    try:
        period(year, quarter)
    except DomainError as error:
        raise error.at("quarter") from error
    if not caller.viewer.may(Permission.CORRECT_VALUES, facts.unit_path):
        raise DomainError("FORBIDDEN", "Hanya reviewer yang berwenang dapat mengoreksi nilai.", "indicatorId")
    record = await reports.lock_report(
        conn, ReportKey(facts.report_unit_id, year, quarter), province=province_code(facts.unit_path)
    )
    check_correction(record.state, reason)
    try:
        check_value(value, allow_negative=facts.allow_negative)
    except DomainError as error:
        raise error.at("value") from error
    if month is not None or facts.reporting_frequency is ReportingFrequency.MONTHLY:
        correction = MonthCorrection(indicator_id, year, quarter, month, value, reason, expected_version)
        await correct_month(conn, caller=caller, window=window, facts=facts, correction=correction)
        return Corrected(
            record, await _realisation_now(conn, caller, (indicator_id, year, quarter)), facts.ordinal_scale
        )
    value_key = (indicator_id, year, quarter)
    existing = (await writes.lock_existing(conn, writes.REALISATIONS, [value_key])).get(value_key)
    if existing is None:
        raise DomainError("NOT_FOUND", "Belum ada realisasi untuk dikoreksi.", "indicatorId")
    if existing["version"] != expected_version:
        raise DomainError(
            "CONFLICT", f"Nilai sudah berubah (versi {existing['version']}); muat ulang.", "expectedVersion"
        )
    await writes.correct_realisation(conn, window, key=value_key, value=value, reason=reason, by=caller.actor)
    corrected = audit.entry(
        caller,
        "realisation.correct",
        entity_id=f"{indicator_id}:{year}:{quarter}",
        scope_path=facts.unit_path,
        old={"value": existing["value"], "version": existing["version"]},
        new={"value": value},
        reason=reason,
    )
    await audit_log.append(conn, [corrected])
    return Corrected(record, await _realisation_now(conn, caller, value_key), facts.ordinal_scale)


async def _realisation_now(
    conn: AsyncConnection, caller: Caller, key: tuple[int, int, int]
) -> RealisationRecord | None:
    indicator_id, year, quarter = key
    now = [
        r
        for r in await realisations_by_indicator_ids(conn, caller.viewer, [indicator_id])
        if (r.year, r.quarter) == (year, quarter)
    ]
    return now[0] if now else None


@dataclass(frozen=True)
class Commented:
    report: ReportRecord
    comment: CommentRecord


async def add_comment(
    conn: AsyncConnection,
    *,
    caller: Caller,
    key: ReportKey,
    body: str,
    indicator_id: int | None,
    parent_id: int | None,
) -> Commented:
    """A comment (catatan asistensi) on a report, or on one of its indicators; a reply names its parent."""
    body = check_text(body, max_length=MAX_NOTE_LENGTH)
    unit, _ = await _locate(conn, caller, key)
    if not caller.viewer.may(Permission.COMMENT_REPORTS, unit.path):
        raise DomainError("FORBIDDEN", "Anda tidak berwenang berkomentar pada laporan ini.", "reportId")
    record = await reports.lock_report(conn, key, province=province_code(unit.path))
    assert record.id is not None
    if indicator_id is not None:
        facts = (await indicator_facts(conn, caller.viewer, [indicator_id])).get(indicator_id)
        if facts is None or facts.report_unit_id != unit.id:
            raise DomainError("NOT_FOUND", "Indikator tidak termasuk laporan ini.", "indicatorId")
    if parent_id is not None:
        parent = await reports.comment_by_id(conn, parent_id)
        if parent is None or parent.report_id != record.id:
            raise DomainError("NOT_FOUND", "Komentar induk tidak ditemukan pada laporan ini.", "parentId")
    comment = await reports.add_comment(
        conn,
        report_id=record.id,
        province=province_code(unit.path),
        indicator_id=indicator_id,
        parent_id=parent_id,
        author=caller.actor,
        body=body,
    )
    added = audit.entry(caller, "comment.add", entity_id=str(comment.id), scope_path=unit.path, new={"body": body})
    await audit_log.append(conn, [added])
    return Commented(record, comment)


async def resolve_comment(conn: AsyncConnection, *, caller: Caller, comment_id: int, resolved: bool) -> Commented:
    """Mark a comment resolved (by the caller), or open it again."""
    found = await reports.comment_by_id(conn, comment_id)
    record = await reports.report_by_id(conn, found.report_id) if found else None
    unit, _ = await _locate(conn, caller, record.key) if record else (None, None)
    if found is None or record is None or unit is None:
        raise DomainError("NOT_FOUND", "Komentar tidak ditemukan.", "commentId")
    if not caller.viewer.may(Permission.COMMENT_REPORTS, unit.path):
        raise DomainError("FORBIDDEN", "Anda tidak berwenang menandai komentar ini.", "commentId")
    comment = await reports.set_resolved(conn, comment_id=found.id, by=caller.actor if resolved else None)
    action = "comment.resolve" if resolved else "comment.unresolve"
    await audit_log.append(conn, [audit.entry(caller, action, entity_id=str(found.id), scope_path=unit.path)])
    return Commented(record, comment)
