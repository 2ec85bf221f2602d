"""The reporting workflow (design.md, "Reporting workflow"): one report per org unit and period.

SAKIP (Perpres 29/2014) has each perangkat daerah report its performance to its pemda and each
kabupaten/kota's to the province; the Biro/Bagian Organisasi reviews (asistensi) before a
report counts.

    DRAFT -> SUBMITTED -> RETURNED (editable again, with comments) | APPROVED -> ... -> LOCKED -> PUBLISHED

The approval chain follows the hierarchy: a perangkat daerah's report is approved by its own
government's reviewers; a pemda's consolidated report by its province's reviewers (a province's
by its own). After the last approval the report is LOCKED; an ADMIN or LEADER publishes it.
Unlocking needs a reason and returns the report to SUBMITTED.
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import Enum

from domain.enums import OrgUnitKind
from domain.errors import DomainError
from domain.notation import local_date
from domain.periods import Period


class ReportState(Enum):
    DRAFT = "DRAFT"
    SUBMITTED = "SUBMITTED"
    RETURNED = "RETURNED"
    APPROVED = "APPROVED"
    LOCKED = "LOCKED"
    PUBLISHED = "PUBLISHED"


class ReportAction(Enum):
    SUBMIT = "SUBMIT"
    RETURN = "RETURN"
    APPROVE = "APPROVE"
    PUBLISH = "PUBLISH"
    UNLOCK = "UNLOCK"


class Actor(Enum):
    """Who takes an action, as the policy knows them (policies/policy.csv: reports:*)."""

    SUBMITTER = "submit"  # an OPERATOR of the report's unit
    REVIEWER = "review"  # a REVIEWER of the approving government
    PUBLISHER = "publish"  # an ADMIN or LEADER of the report's government
    UNLOCKER = "unlock"  # an ADMIN or REVIEWER of the last approving government


EDITABLE = frozenset({ReportState.DRAFT, ReportState.RETURNED})
# What a caller who may see only released data (the public, API tokens) may see of a period.
RELEASED_TO_API_CLIENTS = frozenset({ReportState.APPROVED, ReportState.LOCKED, ReportState.PUBLISHED})
RELEASED_TO_PUBLIC = frozenset({ReportState.PUBLISHED})

_FROM: dict[ReportAction, frozenset[ReportState]] = {
    ReportAction.SUBMIT: EDITABLE,
    ReportAction.RETURN: frozenset({ReportState.SUBMITTED, ReportState.APPROVED}),
    ReportAction.APPROVE: frozenset({ReportState.SUBMITTED, ReportState.APPROVED}),
    ReportAction.PUBLISH: frozenset({ReportState.LOCKED}),
    ReportAction.UNLOCK: frozenset({ReportState.LOCKED, ReportState.PUBLISHED}),
}
ACTOR_OF: dict[ReportAction, Actor] = {
    ReportAction.SUBMIT: Actor.SUBMITTER,
    ReportAction.RETURN: Actor.REVIEWER,
    ReportAction.APPROVE: Actor.REVIEWER,
    ReportAction.PUBLISH: Actor.PUBLISHER,
    ReportAction.UNLOCK: Actor.UNLOCKER,
}
REASON_REQUIRED = frozenset({ReportAction.RETURN, ReportAction.UNLOCK})


@dataclass(frozen=True)
class Step:
    """The outcome of an action: the new state and how many approvals the report now has."""

    state: ReportState
    approvals: int
    # Intermediate states the report passed through, for the history (APPROVED before LOCKED).
    passed: tuple[ReportState, ...] = ()


def transition(
    state: ReportState, action: ReportAction, *, approvals: int, chain_length: int, reason: str | None
) -> Step:
    if state not in _FROM[action]:
        raise DomainError(
            "INVALID_TRANSITION", f"Laporan berstatus {state.value} tidak dapat di-{action.value.lower()}."
        )
    if action in REASON_REQUIRED and not (reason and reason.strip()):
        raise DomainError("REASON_REQUIRED", "Tindakan ini memerlukan alasan atau komentar.", "reason")
    if action is ReportAction.SUBMIT:
        return Step(ReportState.SUBMITTED, 0)
    if action is ReportAction.RETURN:
        return Step(ReportState.RETURNED, 0)
    if action is ReportAction.APPROVE:
        done = approvals + 1
        if done >= chain_length:
            return Step(ReportState.LOCKED, done, passed=(ReportState.APPROVED,))
        return Step(ReportState.APPROVED, done)
    if action is ReportAction.PUBLISH:
        return Step(ReportState.PUBLISHED, approvals)
    return Step(ReportState.SUBMITTED, 0)


# Reports are made by a pemda and by each perangkat daerah.
REPORTING_UNIT_KINDS = frozenset({OrgUnitKind.PEMDA, OrgUnitKind.PERANGKAT_DAERAH})


def comment_of(action: ReportAction, reason: str | None) -> str | None:
    """The text a return or an approval leaves on the report as a comment (catatan asistensi),
    so that the unit reads why beside its other comments; other steps leave none."""
    if action not in (ReportAction.RETURN, ReportAction.APPROVE) or reason is None or not reason.strip():
        return None
    return reason.strip()


def report_covers_subtree(kind: OrgUnitKind) -> bool:
    """A perangkat daerah's report covers the indicators of its bidang and seksi too; a pemda's
    only its own, since each of its perangkat daerah reports for itself."""
    return kind is OrgUnitKind.PERANGKAT_DAERAH


def approval_chain(*, unit_kind: OrgUnitKind, government_path: str, province_path: str) -> tuple[str, ...]:
    """The government paths whose reviewers approve, in order."""
    if unit_kind is OrgUnitKind.PERANGKAT_DAERAH:
        return (government_path,)
    if unit_kind is OrgUnitKind.PEMDA:
        return (province_path,)
    raise DomainError(
        "NOT_A_REPORTING_UNIT", "Laporan dibuat per perangkat daerah atau pemerintah daerah.", "orgUnitId"
    )


def actor_scope(
    action: ReportAction, *, chain: tuple[str, ...], approvals: int, unit_path: str, government_path: str
) -> str:
    """Where the actor's role must be held for this action."""
    actor = ACTOR_OF[action]
    if actor is Actor.SUBMITTER:
        return unit_path
    if actor is Actor.PUBLISHER:
        return government_path
    if actor is Actor.UNLOCKER:
        return chain[-1]
    return chain[min(approvals, len(chain) - 1)]


def reporting_unit_id(unit_path: str, government_path: str) -> int:
    """The unit a unit reports through: itself for the pemda and a perangkat daerah, the
    perangkat daerah above it for an eselon unit. '61/61.71/300/401/77/' -> 401."""
    ids = [int(segment) for segment in unit_path[len(government_path) :].split("/") if segment]
    return ids[min(1, len(ids) - 1)]


@dataclass(frozen=True)
class DeadlinePolicy:
    """Days after a period ends; configurable per government."""

    quarter_days: int = 10
    annual_days: int = 90

    def deadline(self, period: Period) -> date:
        days = self.annual_days if period.quarter is None else self.quarter_days
        return period.ends_on + timedelta(days=days)


class Compliance(Enum):
    ON_TIME = "ON_TIME"
    LATE = "LATE"
    MISSING = "MISSING"
    NOT_DUE = "NOT_DUE"


def compliance(*, submitted_on: date | None, deadline: date, today: date) -> Compliance:
    """Kepatuhan: submitted by the deadline, after it, not at all though due, or not yet due."""
    if submitted_on is not None:
        return Compliance.ON_TIME if submitted_on <= deadline else Compliance.LATE
    return Compliance.MISSING if today > deadline else Compliance.NOT_DUE


def compliance_at(*, submitted_at: datetime | None, deadline: date, today: date) -> Compliance:
    """The same for a submission's timestamp, which counts on its day in WIB (domain.notation):
    a report sent at 06:00 in Pontianak the day after its deadline is late, although the server's
    UTC clock still read the deadline's day."""
    return compliance(submitted_on=local_date(submitted_at) if submitted_at else None, deadline=deadline, today=today)


@dataclass
class ComplianceTally:
    """Reports expected, in, on time, late, missing and not yet due (rekap kepatuhan)."""

    expected: int = 0
    submitted: int = 0
    on_time: int = 0
    late: int = 0
    missing: int = 0
    not_due: int = 0

    def add(self, status: Compliance) -> None:
        self.expected += 1
        self.submitted += status in (Compliance.ON_TIME, Compliance.LATE)
        self.on_time += status is Compliance.ON_TIME
        self.late += status is Compliance.LATE
        self.missing += status is Compliance.MISSING
        self.not_due += status is Compliance.NOT_DUE


UNDER_REVIEW = frozenset({ReportState.SUBMITTED, ReportState.APPROVED})


def check_correction(state: ReportState, reason: str) -> None:
    """A reviewer corrects a value while its report is under review, and always says why."""
    if state not in UNDER_REVIEW:
        raise DomainError(
            "REPORT_NOT_UNDER_REVIEW",
            f"Koreksi hanya untuk laporan yang sedang direviu; laporan ini berstatus {state.value}.",
        )
    if not reason.strip():
        raise DomainError("REASON_REQUIRED", "Koreksi memerlukan alasan.", "reason")
