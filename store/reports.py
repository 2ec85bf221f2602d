"""Reports, their history and comments. Each transition runs in one transaction with its audit
entry and its notification (delivered by PostgreSQL at commit)."""

import base64
import binascii
import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, func, select, tuple_, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncConnection

from domain.periods import Period
from domain.workflow import REPORTING_UNIT_KINDS, ReportState
from policies.paths import province_code
from policies.permissions import Permission
from policies.scopes import under, within
from policies.viewer import Viewer
from store.hierarchy import valid_between
from store.records import ORG_UNIT, OrgUnitRecord
from store.tables import comment, government, org_unit, report, report_transition
from store.values import stored_quarter

CHANNEL = "kinerja_report_status"


@dataclass(frozen=True)
class ReportKey:
    org_unit_id: int
    year: int
    quarter: int | None

    @property
    def global_id(self) -> str:
        """A report is named by its unit and period, so its id (Relay, and its audit entries'
        entity id) exists before its first change."""
        return base64.urlsafe_b64encode(f"Report:{self.org_unit_id}.{self.year}.{self.quarter or 0}".encode()).decode()

    @classmethod
    def of_global_id(cls, global_id: str) -> "ReportKey | None":
        try:
            type_name, _, key = base64.urlsafe_b64decode(global_id.encode()).decode().partition(":")
        except (binascii.Error, UnicodeDecodeError, ValueError):
            return None
        parts = key.split(".")
        if type_name != "Report" or len(parts) != 3 or not all(part.isdigit() for part in parts):
            return None
        unit, year, quarter = (int(part) for part in parts)
        return cls(unit, year, quarter or None)


@dataclass(frozen=True)
class ReportRecord:
    id: int | None  # None: no row yet, the report is an untouched draft
    key: ReportKey
    state: ReportState
    approvals: int
    submitted_at: datetime | None
    reviewed_by: str | None
    version: int


@dataclass(frozen=True)
class TransitionRecord:
    report_id: int
    action: str
    state: ReportState
    actor: str
    reason: str | None
    at: datetime


@dataclass(frozen=True)
class CommentRecord:
    id: int
    report_id: int
    indicator_id: int | None
    parent_id: int | None
    author: str
    body: str
    created_at: datetime
    resolved_at: datetime | None
    resolved_by: str | None


COMMENT_COLUMNS = tuple(comment.c[name] for name in CommentRecord.__dataclass_fields__)


def draft(key: ReportKey) -> ReportRecord:
    return ReportRecord(None, key, ReportState.DRAFT, 0, None, None, 0)


def _record(row: object) -> ReportRecord:
    m = row._mapping  # type: ignore[attr-defined]
    key = ReportKey(m["org_unit_id"], m["year"], None if m["quarter"] == 0 else m["quarter"])
    return ReportRecord(
        m["id"], key, ReportState(m["state"]), m["approvals"], m["submitted_at"], m["reviewed_by"], m["version"]
    )


async def reports_by_keys(conn: AsyncConnection, keys: Sequence[ReportKey]) -> dict[ReportKey, ReportRecord]:
    wanted = [(k.org_unit_id, k.year, stored_quarter(k.quarter)) for k in keys]
    query = select(report).where(tuple_(report.c.org_unit_id, report.c.year, report.c.quarter).in_(wanted))
    found = {record.key: record for record in map(_record, await conn.execute(query))}
    return {key: found.get(key, draft(key)) for key in keys}


async def lock_report(conn: AsyncConnection, key: ReportKey, *, province: str) -> ReportRecord:
    """The report's row, created as a draft if needed, locked until the transaction ends."""
    values = {
        "org_unit_id": key.org_unit_id,
        "year": key.year,
        "quarter": stored_quarter(key.quarter),
        "province_code": province,
    }
    await conn.execute(insert(report).values(**values).on_conflict_do_nothing())
    query = select(report).filter_by(**values).with_for_update()
    return _record((await conn.execute(query)).one())


async def save_transition(
    conn: AsyncConnection,
    *,
    record: ReportRecord,
    action: str,
    states: Sequence[ReportState],
    approvals: int,
    actor: str,
    reason: str | None,
    unit_path: str,
) -> ReportRecord:
    assert record.id is not None
    final = states[-1]
    changes: dict[str, object] = {
        "state": final.value,
        "approvals": approvals,
        "version": report.c.version + 1,
        "updated_at": func.now(),
    }
    if final is ReportState.SUBMITTED and action == "SUBMIT":
        changes["submitted_at"] = func.now()
    if action in ("APPROVE", "RETURN"):
        changes["reviewed_by"] = actor
    row = (await conn.execute(update(report).where(report.c.id == record.id).values(**changes).returning(report))).one()
    await conn.execute(
        report_transition.insert(),
        [
            {
                "report_id": record.id,
                "province_code": province_code(unit_path),
                "action": action,
                "state": state.value,
                "actor": actor,
                "reason": reason,
            }
            for state in states
        ],
    )
    payload = {
        "reportId": record.id,
        "orgUnitId": record.key.org_unit_id,
        "year": record.key.year,
        "quarter": record.key.quarter,
        "state": final.value,
        "path": unit_path,
    }
    await conn.execute(select(func.pg_notify(CHANNEL, json.dumps(payload))))
    return _record(row)


async def history_of(conn: AsyncConnection, report_ids: Sequence[int]) -> list[TransitionRecord]:
    query = (
        select(report_transition).where(report_transition.c.report_id.in_(report_ids)).order_by(report_transition.c.id)
    )
    return [
        TransitionRecord(r.report_id, r.action, ReportState(r.state), r.actor, r.reason, r.at)
        for r in await conn.execute(query)
    ]


async def comments_of(conn: AsyncConnection, report_ids: Sequence[int]) -> list[CommentRecord]:
    query = select(*COMMENT_COLUMNS).where(comment.c.report_id.in_(report_ids)).order_by(comment.c.id)
    return [CommentRecord(**row._mapping) for row in await conn.execute(query)]


async def comment_by_id(conn: AsyncConnection, comment_id: int) -> CommentRecord | None:
    row = (await conn.execute(select(*COMMENT_COLUMNS).where(comment.c.id == comment_id))).first()
    return CommentRecord(**row._mapping) if row else None


async def add_comment(
    conn: AsyncConnection,
    *,
    report_id: int,
    province: str,
    indicator_id: int | None,
    parent_id: int | None,
    author: str,
    body: str,
) -> CommentRecord:
    statement = comment.insert().values(
        report_id=report_id,
        province_code=province,
        indicator_id=indicator_id,
        parent_id=parent_id,
        author=author,
        body=body,
    )
    return CommentRecord(**(await conn.execute(statement.returning(*COMMENT_COLUMNS))).one()._mapping)


async def set_resolved(conn: AsyncConnection, *, comment_id: int, by: str | None) -> CommentRecord:
    statement = (
        update(comment)
        .where(comment.c.id == comment_id)
        .values(resolved_at=func.now() if by else None, resolved_by=by)
        .returning(*COMMENT_COLUMNS)
    )
    return CommentRecord(**(await conn.execute(statement)).one()._mapping)


@dataclass(frozen=True)
class ComplianceRecord:
    unit: OrgUnitRecord
    quarter_deadline_days: int
    annual_deadline_days: int
    report: ReportRecord


async def reporting_units(
    conn: AsyncConnection, viewer: Viewer, *, scope_path: str, year: int, quarter: int | None
) -> list[ComplianceRecord]:
    """Each reporting unit (pemda, perangkat daerah) under a scope, valid in the period and inside
    the viewer's grants, with its report for the period: one statement."""
    period = Period(year, quarter)
    query = (
        select(org_unit, government.c.quarter_deadline_days, government.c.annual_deadline_days, report)
        .join(government, government.c.id == org_unit.c.government_id)
        .outerjoin(
            report,
            and_(
                report.c.org_unit_id == org_unit.c.id,
                report.c.year == year,
                report.c.quarter == stored_quarter(quarter),
            ),
        )
        .where(
            org_unit.c.kind.in_(sorted(kind.value for kind in REPORTING_UNIT_KINDS)),
            under(org_unit.c.path, (scope_path,)),
            valid_between(period.starts_on, period.ends_on),
            within(viewer, Permission.READ_VALUES, org_unit.c.path),
        )
        .order_by(org_unit.c.path)
    )
    records = []
    for row in await conn.execute(query):
        m = row._mapping
        unit = ORG_UNIT.read_named(row)
        key = ReportKey(unit.id, year, quarter)
        found = (
            ReportRecord(m[report.c.id], key, ReportState(m[report.c.state]), m[report.c.approvals],
                         m[report.c.submitted_at], m[report.c.reviewed_by], m[report.c.version])
            if m[report.c.id] is not None
            else draft(key)
        )  # fmt: skip
        records.append(ComplianceRecord(unit, m["quarter_deadline_days"], m["annual_deadline_days"], found))
    return records


async def report_by_id(conn: AsyncConnection, report_id: int) -> ReportRecord | None:
    row = (await conn.execute(select(report).where(report.c.id == report_id))).first()
    return _record(row) if row else None
