"""Compile a viewer's scopes into SQL predicates over materialised paths."""

from sqlalchemy import ColumnElement, false, or_, true

from policies.permissions import Permission
from policies.viewer import Viewer


def prefix_pattern(prefix: str) -> str:
    """A LIKE pattern matching everything under a path (PostgreSQL's default escape is '\\')."""
    escaped = prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return escaped + "%"


def under(path_column: ColumnElement[str], prefixes: tuple[str, ...]) -> ColumnElement[bool]:
    """`path LIKE 'prefix%'` per prefix, bound whole so the planner sees a plain prefix and the
    text_pattern_ops index serves it."""
    if not prefixes:
        return false()
    return or_(*(path_column.like(prefix_pattern(prefix)) for prefix in prefixes))


def within(viewer: Viewer, permission: Permission, path_column: ColumnElement[str]) -> ColumnElement[bool]:
    """Rows whose path lies where the viewer holds `permission`."""
    paths = viewer.paths(permission)
    return true() if paths is None else under(path_column, paths)
