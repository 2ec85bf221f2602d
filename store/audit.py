"""The audit log: appended in the same transaction as every write; PostgreSQL refuses to change it."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import orjson
from sqlalchemy import ColumnElement, func, select, true
from sqlalchemy.ext.asyncio import AsyncConnection

from policies.paths import province_code
from policies.permissions import Permission
from policies.scopes import under, within
from policies.viewer import Viewer
from store.batches import JsonText, unnested
from store.tables import audit_log


@dataclass(frozen=True)
class AuditEntry:
    actor: str
    request_id: str
    action: str
    entity_type: str
    entity_id: str
    scope_path: str
    old: dict[str, Any] | None = None
    new: dict[str, Any] | None = None
    reason: str | None = None


@dataclass(frozen=True)
class AuditRecord:
    id: int
    at: datetime
    actor: str
    request_id: str
    action: str
    entity_type: str
    entity_id: str
    scope_path: str
    old: dict[str, Any] | None
    new: dict[str, Any] | None
    reason: str | None


async def append(conn: AsyncConnection, entries: Sequence[AuditEntry]) -> None:
    if not entries:
        return
    # old/new go as JSON text, Decimals and dates as strings: the log keeps exactly what was written.
    rows = [
        {
            **entry.__dict__,
            "province_code": province_code(entry.scope_path),
            "old": _text(entry.old),
            "new": _text(entry.new),
        }
        for entry in entries
    ]
    columns = (*AuditEntry.__dataclass_fields__, "province_code")
    await conn.execute(audit_log.insert().from_select(columns, unnested(audit_log, columns, rows)))


def _text(values: dict[str, Any] | None) -> JsonText | None:
    # orjson (a 5,000-row batch writes 10,000 of these); datetimes through str as json.dumps did.
    if values is None:
        return None
    return JsonText(orjson.dumps(values, default=str, option=orjson.OPT_PASSTHROUGH_DATETIME).decode())


@dataclass(frozen=True)
class AuditFilterSpec:
    scope_path: str | None = None
    entity_id: str | None = None
    actor: str | None = None
    since: datetime | None = None
    until: datetime | None = None


def _filtered(viewer: Viewer, spec: AuditFilterSpec) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = [within(viewer, Permission.READ_AUDIT, audit_log.c.scope_path)]
    if spec.scope_path is not None:
        conditions.append(under(audit_log.c.scope_path, (spec.scope_path,)))
    if spec.entity_id is not None:
        conditions.append(audit_log.c.entity_id == spec.entity_id)
    if spec.actor is not None:
        conditions.append(audit_log.c.actor == spec.actor)
    if spec.since is not None:
        conditions.append(audit_log.c.at >= spec.since)
    if spec.until is not None:
        conditions.append(audit_log.c.at < spec.until)
    return conditions or [true()]


async def audit_page(
    conn: AsyncConnection, viewer: Viewer, spec: AuditFilterSpec, *, first: int, after_id: int | None
) -> tuple[list[AuditRecord], bool]:
    """Newest first, keyset-paged by id."""
    query = select(*(audit_log.c[name] for name in AuditRecord.__dataclass_fields__)).where(*_filtered(viewer, spec))
    if after_id is not None:
        query = query.where(audit_log.c.id < after_id)
    rows = (await conn.execute(query.order_by(audit_log.c.id.desc()).limit(first + 1))).all()
    return [AuditRecord(**row._mapping) for row in rows[:first]], len(rows) > first


async def audit_count(conn: AsyncConnection, viewer: Viewer, spec: AuditFilterSpec) -> int:
    """The entries a filter matches in the viewer's scope, every page together."""
    query = select(func.count()).select_from(audit_log).where(*_filtered(viewer, spec))
    return int((await conn.execute(query)).scalar_one())
