"""Who may read an employee's individual records (logs, SKP, scores, TPP statements).

Individual data is nobody's business but the employee's, their superiors' (who approve and rate
it) and the unit that processes it: the employee themself; whoever holds or acts for the
employee's superior position (and, for overdue approvals, that position's superior); the
VERIFIER in scope for logs and scores; FINANCE in scope for statements; the admin (BKPSDM) in
scope for the employee master (name, NIP, position). An API token holds none of these (its role
is API_CLIENT, which has no individual permission) unless its owner granted it a read of one kind
(`TokenGrant`) that the owner holds over the token's scope, e.g. a payroll system reading TPP
statements; a token is nobody's employee, so it never reads as self or superior. Anonymous callers
never read individual data.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from enum import Enum

from sqlalchemy import ColumnElement, false, or_

from policies.permissions import Permission, Role
from policies.scopes import within
from policies.viewer import Viewer, ViewerKind


class TokenGrant(Enum):
    """A kind of individual data an API token may be granted to read, and the owner's
    permission that grant rests on (checked at creation and again on every request)."""

    PERSONNEL = "PERSONNEL"  # the employee master: NIP, name, golongan, position
    ACTIVITY = "ACTIVITY"  # activity logs, weeks, monthly scores and SKP
    TPP = "TPP"  # TPP statements

    @property
    def permission(self) -> Permission:
        return _GRANTED[self]


_GRANTED = {
    TokenGrant.PERSONNEL: Permission.READ_PERSONNEL,
    TokenGrant.ACTIVITY: Permission.READ_ACTIVITY,
    TokenGrant.TPP: Permission.READ_TPP,
}


@dataclass(frozen=True)
class TokenReads:
    """What a token may read, resting on its owner's reads over its scope: the released
    performance values when the owner reads values there, and each granted read the owner holds
    (`unheld`: the indexes of the grants the owner does not hold)."""

    values: bool
    granted: tuple[Permission, ...]
    unheld: tuple[int, ...]

    @property
    def anything(self) -> bool:
        return self.values or bool(self.granted)


def token_reads(owner: Viewer, scope_path: str, grants: Sequence[TokenGrant]) -> TokenReads:
    """Checked when the token is created and again on every request it makes, so that a token
    never outlives its owner's access (finance's, for payroll, may rest on its grants alone)."""
    held = [owner.may(grant.permission, scope_path) for grant in grants]
    return TokenReads(
        values=owner.may(Permission.READ_VALUES, scope_path),
        granted=tuple(grant.permission for grant, ok in zip(grants, held, strict=True) if ok),
        unheld=tuple(index for index, ok in enumerate(held) if not ok),
    )


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
        and signed_in(viewer)
        and viewer.may(Permission.MANAGE_PERSONNEL, person.path)
    ):
        return Relation.FOR_KEPALA_DAERAH
    return None


def signed_in(viewer: Viewer) -> bool:
    """A person signed in (or the platform): who holds positions, rates and approves. Never an
    API token, which only reads what it was granted, nor an anonymous caller."""
    return viewer.kind in (ViewerKind.USER, ViewerKind.SYSTEM)


def reads_individual(viewer: Viewer) -> bool:
    """Whether the viewer may read any individual record: people signed in, and API tokens,
    whose scopes then hold only the reads granted to them (TokenGrant)."""
    return viewer.kind is not ViewerKind.ANONYMOUS


def may_read(viewer: Viewer, holder: Holder, person: Person, permission: Permission) -> bool:
    """Whether the viewer reads this person's records of the kind `permission` guards
    (READ_ACTIVITY: logs, scores and SKP; READ_TPP: statements; READ_PERSONNEL: the master)."""
    if not reads_individual(viewer):
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
    if not reads_individual(viewer):
        return false()
    clauses = [within(viewer, permission, path)]
    if holder.employee_id is not None:
        clauses.append(employee_id == holder.employee_id)
    if holder.positions:
        clauses.append(superior_position_id.in_(sorted(holder.positions)))
    return or_(*clauses)


# The units of individual e-Kinerja are appointed by the personnel admin (BKPSDM, which keeps
# the employee master), who holds neither role: the verification unit's and the finance unit's
# accounts. Never to themself: the admin would then read the logs or statements it may not.
APPOINTED_BY_PERSONNEL = frozenset({Role.VERIFIER, Role.FINANCE})


def may_appoint(viewer: Viewer, role: Role, path: str) -> bool:
    """Whether the viewer may grant `role` on `path` without holding it (to another account)."""
    return role in APPOINTED_BY_PERSONNEL and signed_in(viewer) and viewer.may(Permission.MANAGE_PERSONNEL, path)


def may_finalise_distribution(viewer: Viewer, headed_agencies: set[int], agency_id: int) -> bool:
    """The agency's head (the holder, Plt or Plh of its JPT position: `headed_agencies`) finalises
    its distribution of predikat; the platform may for the demo."""
    return viewer.kind is ViewerKind.SYSTEM or agency_id in headed_agencies


def may_see_distribution(viewer: Viewer, rating_agencies: set[int], agency_id: int, path: str) -> bool:
    """An agency's distribution of predikat (counts, never names) is seen by its rating
    officials, whoever holds or acts for a structural position in it (`rating_agencies`: the
    agencies of the holder's JPT, administrator and pengawas positions), and by the personnel
    admin in scope (MANAGE_PERSONNEL: BKPSDM, not finance, which reads the master only)."""
    if not signed_in(viewer):
        return False
    return (
        viewer.kind is ViewerKind.SYSTEM
        or agency_id in rating_agencies
        or viewer.may(Permission.MANAGE_PERSONNEL, path)
    )
