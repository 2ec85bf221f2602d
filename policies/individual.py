"""Who may read an employee's individual records (logs, SKP, scores, TPP statements).

Individual data is nobody's business but the employee's, their superiors' (who approve and rate
it) and the unit that processes it: the employee themself; whoever holds or acts for the
employee's superior position (and, for overdue approvals, that position's superior); the
VERIFIER in scope for logs and scores; FINANCE in scope for statements; the admin (BKPSDM) in
scope for the employee master (name, NIP, position). API tokens hold none of these (a token's
role is API_CLIENT, which has no individual permission), and anonymous callers never do.
"""

from dataclasses import dataclass
from enum import Enum

from sqlalchemy import ColumnElement, false, or_

from policies.permissions import Permission
from policies.scopes import within
from policies.viewer import Viewer, ViewerKind


class Relation(Enum):
    SELF = "SELF"
    SUPERIOR = "SUPERIOR"  # holds or acts for the employee's superior position
    SECOND_SUPERIOR = "SECOND_SUPERIOR"  # the superior's superior: sees overdue weeks
    FOR_KEPALA_DAERAH = "FOR_KEPALA_DAERAH"  # the personnel admin records the Kepala Daerah's decision


@dataclass(frozen=True)
class Holder:
    """The viewer as an employee, on the request's date: their own employee id and the
    positions they hold or act for."""

    employee_id: int | None
    positions: frozenset[int]


NOBODY = Holder(None, frozenset())


@dataclass(frozen=True)
class Person:
    """What the rules need to know of an employee."""

    employee_id: int
    path: str
    superior_position_id: int | None
    second_superior_position_id: int | None = None


def relation(holder: Holder, person: Person) -> Relation | None:
    if holder.employee_id is not None and holder.employee_id == person.employee_id:
        return Relation.SELF
    if person.superior_position_id is not None and person.superior_position_id in holder.positions:
        return Relation.SUPERIOR
    if person.second_superior_position_id is not None and person.second_superior_position_id in holder.positions:
        return Relation.SECOND_SUPERIOR
    return None


def may_review(holder: Holder, person: Person, *, overdue: bool) -> Relation | None:
    """Who decides a submitted week: the superior (holder, Plt or Plh of the superior position);
    once the week is past its deadline (domain.activity.approval_deadline), the superior's
    superior too. None: nobody the holder is."""
    related = relation(holder, person)
    if related is Relation.SUPERIOR or (related is Relation.SECOND_SUPERIOR and overdue):
        return related
    return None


def may_rate(viewer: Viewer, holder: Holder, person: Person) -> Relation | None:
    """Who agrees and rates an SKP: the superior (holder, Plt or Plh of the superior position).
    The head of a perangkat daerah answers to the Kepala Daerah, who holds no position here: the
    personnel admin in scope (MANAGE_PERSONNEL) records that decision."""
    if may_review(holder, person, overdue=False) is Relation.SUPERIOR:
        return Relation.SUPERIOR
    if (
        person.superior_position_id is None
        and individual(viewer)
        and viewer.may(Permission.MANAGE_PERSONNEL, person.path)
    ):
        return Relation.FOR_KEPALA_DAERAH
    return None


def individual(viewer: Viewer) -> bool:
    """Only people signed in read individual records: never an API token or anonymous caller."""
    return viewer.kind in (ViewerKind.USER, ViewerKind.SYSTEM)


def may_read(viewer: Viewer, holder: Holder, person: Person, permission: Permission) -> bool:
    """Whether the viewer reads this person's records of the kind `permission` guards
    (VERIFY_ACTIVITY: logs and scores; READ_TPP: statements; READ_PERSONNEL: the master)."""
    if not individual(viewer):
        return False
    if viewer.kind is ViewerKind.SYSTEM or relation(holder, person) in (Relation.SELF, Relation.SUPERIOR):
        return True
    return viewer.may(permission, person.path)


def readable(
    viewer: Viewer,
    holder: Holder,
    permission: Permission,
    *,
    employee_id: ColumnElement[int],
    superior_position_id: ColumnElement[int],
    path: ColumnElement[str],
) -> ColumnElement[bool]:
    """`may_read` as SQL over an employee's columns, for lists filtered in the database."""
    if not individual(viewer):
        return false()
    clauses = [within(viewer, permission, path)]
    if holder.employee_id is not None:
        clauses.append(employee_id == holder.employee_id)
    if holder.positions:
        clauses.append(superior_position_id.in_(sorted(holder.positions)))
    return or_(*clauses)


def may_finalise_distribution(viewer: Viewer, headed_agencies: set[int], agency_id: int) -> bool:
    """The agency's head (the holder, Plt or Plh of its JPT position: `headed_agencies`) finalises
    its distribution of predikat; the platform may for the demo."""
    return viewer.kind is ViewerKind.SYSTEM or agency_id in headed_agencies


def may_see_distribution(viewer: Viewer, rating_agencies: set[int], agency_id: int, path: str) -> bool:
    """An agency's distribution of predikat (counts, never names) is seen by its rating
    officials, whoever holds or acts for a structural position in it (`rating_agencies`: the
    agencies of the holder's JPT, administrator and pengawas positions), and by the personnel
    admin in scope (MANAGE_PERSONNEL: BKPSDM, not finance, which reads the master only)."""
    if not individual(viewer):
        return False
    return (
        viewer.kind is ViewerKind.SYSTEM
        or agency_id in rating_agencies
        or viewer.may(Permission.MANAGE_PERSONNEL, path)
    )
