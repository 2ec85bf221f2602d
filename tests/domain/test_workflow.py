from datetime import UTC, date, datetime

import pytest

from domain.enums import OrgUnitKind
from domain.errors import DomainError
from domain.periods import Period
from domain.workflow import (
    Compliance,
    DeadlinePolicy,
    ReportAction,
    ReportState,
    actor_scope,
    approval_chain,
    compliance,
    compliance_at,
    reporting_unit_id,
    transition,
)

S, A = ReportState, ReportAction


def step(
    state: ReportState, action: ReportAction, approvals: int = 0, chain: int = 1, reason: str | None = "ok"
) -> ReportState:
    return transition(state, action, approvals=approvals, chain_length=chain, reason=reason).state


def test_the_whole_story_of_one_report() -> None:
    assert step(S.DRAFT, A.SUBMIT) is S.SUBMITTED
    assert step(S.SUBMITTED, A.RETURN) is S.RETURNED
    assert step(S.RETURNED, A.SUBMIT) is S.SUBMITTED
    assert step(S.SUBMITTED, A.APPROVE) is S.LOCKED  # one-level chain: the last approval locks
    assert step(S.LOCKED, A.PUBLISH) is S.PUBLISHED
    assert step(S.PUBLISHED, A.UNLOCK) is S.SUBMITTED


def test_a_two_level_chain_passes_through_approved() -> None:
    first = transition(S.SUBMITTED, A.APPROVE, approvals=0, chain_length=2, reason=None)
    assert (first.state, first.approvals) == (S.APPROVED, 1)
    last = transition(S.APPROVED, A.APPROVE, approvals=1, chain_length=2, reason=None)
    assert (last.state, last.passed) == (S.LOCKED, (S.APPROVED,))


@pytest.mark.parametrize(
    ("state", "action"),
    [
        (S.DRAFT, A.APPROVE),
        (S.DRAFT, A.PUBLISH),
        (S.SUBMITTED, A.SUBMIT),
        (S.SUBMITTED, A.PUBLISH),
        (S.LOCKED, A.SUBMIT),
        (S.LOCKED, A.RETURN),
        (S.PUBLISHED, A.PUBLISH),
        (S.RETURNED, A.APPROVE),
        (S.DRAFT, A.UNLOCK),
    ],
)
def test_illegal_transitions_are_typed_errors(state: ReportState, action: ReportAction) -> None:
    with pytest.raises(DomainError) as error:
        step(state, action)
    assert error.value.code == "INVALID_TRANSITION"


@pytest.mark.parametrize("action", [A.RETURN, A.UNLOCK])
def test_return_and_unlock_need_a_reason(action: ReportAction) -> None:
    state = S.SUBMITTED if action is A.RETURN else S.LOCKED
    with pytest.raises(DomainError) as error:
        step(state, action, reason="  ")
    assert error.value.code == "REASON_REQUIRED"


def test_approval_chain_follows_the_hierarchy() -> None:
    agency = approval_chain(unit_kind=OrgUnitKind.PERANGKAT_DAERAH, government_path="61/61.71/", province_path="61/")
    consolidated = approval_chain(unit_kind=OrgUnitKind.PEMDA, government_path="61/61.71/", province_path="61/")
    assert (agency, consolidated) == (("61/61.71/",), ("61/",))
    with pytest.raises(DomainError):
        approval_chain(unit_kind=OrgUnitKind.ESELON_III, government_path="61/61.71/", province_path="61/")


def test_who_acts_where() -> None:
    chain = ("61/61.71/",)
    kwargs = {"chain": chain, "approvals": 0, "unit_path": "61/61.71/300/401/", "government_path": "61/61.71/"}
    assert actor_scope(A.SUBMIT, **kwargs) == "61/61.71/300/401/"  # type: ignore[arg-type]
    assert actor_scope(A.APPROVE, **kwargs) == "61/61.71/"  # type: ignore[arg-type]
    assert actor_scope(A.PUBLISH, **kwargs) == "61/61.71/"  # type: ignore[arg-type]


def test_an_eselon_unit_reports_through_its_agency() -> None:
    assert reporting_unit_id("61/61.71/300/401/77/9/", "61/61.71/") == 401
    assert reporting_unit_id("61/61.71/300/401/", "61/61.71/") == 401
    assert reporting_unit_id("61/61.71/300/", "61/61.71/") == 300


def test_deadline_is_ten_days_after_the_quarter_by_default() -> None:
    assert DeadlinePolicy().deadline(Period(2026, 3)) == date(2026, 10, 10)
    assert DeadlinePolicy(quarter_days=15).deadline(Period(2026, 4)) == date(2027, 1, 15)
    assert DeadlinePolicy().deadline(Period(2026)) == date(2027, 3, 31)


@pytest.mark.parametrize(
    ("submitted", "today", "expected"),
    [
        (date(2026, 10, 10), date(2026, 11, 1), Compliance.ON_TIME),
        (date(2026, 10, 11), date(2026, 11, 1), Compliance.LATE),
        (None, date(2026, 10, 11), Compliance.MISSING),
        (None, date(2026, 10, 10), Compliance.NOT_DUE),
    ],
)
def test_compliance(submitted: date | None, today: date, expected: Compliance) -> None:
    assert compliance(submitted_on=submitted, deadline=date(2026, 10, 10), today=today) is expected


@pytest.mark.parametrize(
    ("submitted_at", "expected"),
    [
        (datetime(2026, 10, 10, 16, 59, tzinfo=UTC), Compliance.ON_TIME),  # 23.59 WIB on the day
        (datetime(2026, 10, 10, 17, 0, tzinfo=UTC), Compliance.LATE),  # 00.00 WIB the day after
        (datetime(2026, 10, 10, 23, 30, tzinfo=UTC), Compliance.LATE),  # 06.30 WIB, while UTC reads the 10th
        (None, Compliance.NOT_DUE),
    ],
)
def test_a_submission_counts_on_its_day_in_wib(submitted_at: datetime | None, expected: Compliance) -> None:
    assert compliance_at(submitted_at=submitted_at, deadline=date(2026, 10, 10), today=date(2026, 10, 10)) is expected
