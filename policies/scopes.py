"""Compile a viewer's scopes into SQL predicates over materialised paths."""

from dataclasses import dataclass

from sqlalchemy import ColumnElement, and_, false, or_, true

from domain.workflow import RELEASED_TO_API_CLIENTS, ReportState
from policies.permissions import Permission
from policies.viewer import Viewer, ViewerKind


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
    return inside(path_column, viewer.paths(permission))


def inside(path_column: ColumnElement[str], paths: tuple[str, ...] | None) -> ColumnElement[bool]:
    """Under one of the paths; None means everywhere."""
    return true() if paths is None else under(path_column, paths)


def values_visible(
    viewer: Viewer, path_column: ColumnElement[str], state_column: ColumnElement[str]
) -> ColumnElement[bool]:
    """Whether a value is visible, given its unit's path and the state of the report covering it.

    Inside its grants a person sees every state, drafts included; published data is public,
    so everyone sees it everywhere. An API token sees only released data (approved, locked or
    published), and only inside its scope.
    """
    return visible_to(viewer.kind, viewer.paths(Permission.READ_VALUES), path_column, state_column)


def visible_to(
    kind: ViewerKind,
    readable: tuple[str, ...] | None,
    path_column: ColumnElement[str],
    state_column: ColumnElement[str],
) -> ColumnElement[bool]:
    """`values_visible` from what it depends on (hashable, so statements can be cached by it)."""
    if kind is ViewerKind.SYSTEM:
        return true()
    in_scope = inside(path_column, readable)
    if kind is ViewerKind.API_CLIENT:
        return and_(in_scope, state_column.in_([state.value for state in RELEASED_TO_API_CLIENTS]))
    published = state_column == ReportState.PUBLISHED.value
    if kind is ViewerKind.ANONYMOUS:
        return published
    return or_(in_scope, published)


def may_see_values(viewer: Viewer, path: str, state: ReportState) -> bool:
    """`values_visible` for one report already in hand: the same rule, in Python."""
    in_scope = viewer.may(Permission.READ_VALUES, path)
    if viewer.kind is ViewerKind.API_CLIENT:
        return in_scope and state in RELEASED_TO_API_CLIENTS
    return state is ReportState.PUBLISHED or (viewer.kind is not ViewerKind.ANONYMOUS and in_scope)


# Planning documents (docs/authorisation.md): published plan versions and agreements signed at least
# once are public; drafts, submitted versions and draft agreements are read where the caller reads
# planning drafts. Each rule twice: as SQL for lists, in Python for a row already in hand.


def plan_versions_visible(
    viewer: Viewer, path_column: ColumnElement[str], published: ColumnElement[bool]
) -> ColumnElement[bool]:
    return or_(published, within(viewer, Permission.READ_PLANNING_DRAFTS, path_column))


def may_see_plan_version(viewer: Viewer, path: str, published: bool) -> bool:
    return published or viewer.may(Permission.READ_PLANNING_DRAFTS, path)


# A Perjanjian Kinerja signed at least once is a public document; a draft is read in scope, and
# by the official it names as pihak kesatu (who signs it without any other grant).
def agreements_visible(
    viewer: Viewer,
    path_column: ColumnElement[str],
    signed_versions: ColumnElement[int],
    first_party_user: ColumnElement[int | None],
) -> ColumnElement[bool]:
    own = [first_party_user == viewer.user_id] if viewer.user_id is not None else []
    return or_(signed_versions > 0, within(viewer, Permission.READ_PLANNING_DRAFTS, path_column), *own)


def may_see_agreement(viewer: Viewer, path: str, signed_versions: int, first_party_user: int | None) -> bool:
    return (
        signed_versions > 0
        or viewer.may(Permission.READ_PLANNING_DRAFTS, path)
        or (viewer.user_id is not None and first_party_user == viewer.user_id)
    )


# SAKIP evaluations: a published FINAL result (its total, grade and components) is public; the
# rest is read in the evaluated unit's scope, or by the evaluators who conduct it.


@dataclass(frozen=True)
class EvaluationScope:
    """Where a viewer reads evaluations: the units' paths, and the evaluating governments' where
    it conducts them (a value: the statements built for it are kept, store/lke.py)."""

    read: tuple[str, ...] | None
    conduct: tuple[str, ...] | None


def evaluation_scope(viewer: Viewer) -> EvaluationScope:
    return EvaluationScope(viewer.paths(Permission.READ_EVALUATIONS), viewer.paths(Permission.CONDUCT_EVALUATIONS))


def evaluations_visible(
    scope: EvaluationScope,
    unit_path: ColumnElement[str],
    evaluating_path: ColumnElement[str],
    published: ColumnElement[bool],
) -> ColumnElement[bool]:
    return or_(published, inside(unit_path, scope.read), inside(evaluating_path, scope.conduct))


def may_read_quality_findings(viewer: Viewer, evaluating_path: str) -> bool:
    """Quality assurance findings are the evaluating team's working papers: its evaluators' and
    quality assurers', not the evaluated unit's."""
    return viewer.may(Permission.CONDUCT_EVALUATIONS, evaluating_path) or viewer.may(
        Permission.ASSURE_EVALUATIONS, evaluating_path
    )


def may_read_evaluation(viewer: Viewer, unit_path: str, evaluating_path: str) -> bool:
    """Everything of an evaluation: its criteria, notes, evidence and disputes."""
    return viewer.may(Permission.READ_EVALUATIONS, unit_path) or viewer.may(
        Permission.CONDUCT_EVALUATIONS, evaluating_path
    )
