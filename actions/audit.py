"""The one builder of audit entries: every action appends what it changed, in its transaction."""

from dataclasses import fields, is_dataclass
from enum import Enum
from typing import Any

from actions.caller import Caller
from store.audit import AuditEntry


def entry(
    caller: Caller,
    action: str,
    *,
    entity_id: str,
    scope_path: str,
    old: dict[str, Any] | None = None,
    new: dict[str, Any] | None = None,
    reason: str | None = None,
) -> AuditEntry:
    """An entry for `action` ("entity.verb": its entity type is the part before the dot)."""
    return AuditEntry(
        actor=caller.actor,
        request_id=caller.request_id,
        action=action,
        entity_type=action.split(".", 1)[0],
        entity_id=entity_id,
        scope_path=scope_path,
        old=old,
        new=new,
        reason=reason,
    )


def as_written(record: object) -> dict[str, Any]:
    """A created record's fields as the log keeps them (enums by value)."""
    assert is_dataclass(record)
    values = {f.name: getattr(record, f.name) for f in fields(record)}
    return {name: (value.value if isinstance(value, Enum) else value) for name, value in values.items()}
