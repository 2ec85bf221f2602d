"""Writes of strategic plans (RPJMD, Renstra): create, draft, submit, return, publish, revise.

Who may do what follows policies/policy.csv: a PLANNER (Bappeda) drafts and submits the RPJMD
and any Renstra in scope, an OPERATOR its unit's Renstra; a REVIEWER returns a submitted
version; a LEADER publishes. Each write is audited in its transaction.
"""

from dataclasses import dataclass
from datetime import UTC, date, datetime

from sqlalchemy.ext.asyncio import AsyncConnection

from actions import audit
from actions.caller import Caller
from domain.errors import DomainError, DomainErrors
from domain.plans import (
    Draft,
    LegalBasis,
    PlanAction,
    PlanKind,
    PlanState,
    check_draft,
    check_plan_period,
    check_revision,
    plan_transition,
    walk,
)
from domain.values import MAX_NAME_LENGTH, check_text_at
from policies.permissions import Permission
from policies.scopes import may_see_plan_version
from store import audit as audit_log
from store import hierarchy, planning
from store.planning import PlanRecord, VersionRecord

DRAFTING = {PlanKind.RPJMD: Permission.DRAFT_RPJMD, PlanKind.RENSTRA: Permission.DRAFT_RENSTRA}
PERMISSION_OF_ACTION = {PlanAction.RETURN: Permission.RETURN_PLANS, PlanAction.PUBLISH: Permission.PUBLISH_PLANS}
MAX_LEGAL_TEXT = 100


def _conflict(message: str = "Versi rencana telah diubah oleh pengguna lain; muat ulang.") -> DomainError:
    return DomainError("CONFLICT", message, "expectedRevision")


def _not_found() -> DomainError:
    return DomainError("NOT_FOUND", "Versi rencana tidak ditemukan.", "versionId")


@dataclass(frozen=True)
class NewPlan:
    org_unit_id: int
    kind: PlanKind
    name: str
    start_year: int
    end_year: int
    vision: str = ""
    missions: tuple[str, ...] = ()


async def create_strategic_plan(conn: AsyncConnection, *, caller: Caller, new: NewPlan) -> VersionRecord:
    """A plan and its first version, a draft effective from the first day of the period."""
    name = check_text_at(new.name, "name", max_length=MAX_NAME_LENGTH)
    found = await hierarchy.unit_with_government(conn, caller.viewer, new.org_unit_id)
    if found is None:
        raise DomainError("NOT_FOUND", "Unit tidak ditemukan.", "orgUnitId")
    unit, _ = found
    if not caller.viewer.may(DRAFTING[new.kind], unit.path):
        raise DomainError("FORBIDDEN", f"Anda tidak berwenang menyusun {new.kind.value} unit ini.", "orgUnitId")
    check_plan_period(new.kind, unit.kind, new.start_year, new.end_year)
    checked = check_draft(
        Draft(new.vision, new.missions, ()), kind=new.kind, start_year=new.start_year, end_year=new.end_year
    )
    plan_id = await planning.insert_plan(
        conn,
        unit_id=unit.id,
        path=unit.path,
        kind=new.kind,
        name=name,
        start_year=new.start_year,
        end_year=new.end_year,
    )
    if plan_id is None:
        raise DomainError(
            "DUPLICATE_PLAN", f"Unit ini sudah memiliki {new.kind.value} periode {new.start_year}.", "startYear"
        )
    (plan,) = await planning.plans_by_ids(conn, [plan_id])
    version = await planning.insert_version(
        conn,
        plan,
        number=1,
        vision=checked.vision,
        missions=list(checked.missions),
        effective_from=date(new.start_year, 1, 1),
        created_by=caller.actor,
    )
    assert version is not None  # a new plan has no open version
    entry = audit.entry(
        caller,
        "plan.create",
        entity_id=str(plan.id),
        scope_path=plan.path,
        new={"kind": plan.kind.value, "name": plan.name, "start_year": plan.start_year, "end_year": plan.end_year},
    )
    await audit_log.append(conn, [entry])
    return version


async def _version_for_write(
    conn: AsyncConnection, caller: Caller, version_id: int, expected_revision: int | None
) -> tuple[VersionRecord, PlanRecord]:
    found = await planning.version_with_plan(conn, version_id, for_update=True)
    if found is None:
        raise _not_found()
    version, plan = found
    if not may_see_plan_version(caller.viewer, plan.path, version.state is PlanState.PUBLISHED):
        raise _not_found()
    if expected_revision is not None and expected_revision != version.revision:
        raise _conflict()
    return version, plan


async def update_plan_draft(
    conn: AsyncConnection, *, caller: Caller, version_id: int, expected_revision: int | None, draft: Draft
) -> VersionRecord:
    """The whole content of a draft version replaced by `draft`, checked first."""
    version, plan = await _version_for_write(conn, caller, version_id, expected_revision)
    if not caller.viewer.may(DRAFTING[plan.kind], plan.path):
        raise DomainError("FORBIDDEN", f"Anda tidak berwenang menyusun {plan.kind.value} ini.", "versionId")
    if version.state is not PlanState.DRAFT:
        raise DomainError(
            "VERSION_FROZEN", f"Versi berstatus {version.state.value} tidak dapat diubah; buat perubahan.", "versionId"
        )
    checked = check_draft(draft, kind=plan.kind, start_year=plan.start_year, end_year=plan.end_year)
    await _check_references(conn, plan, checked)
    await planning.replace_content(conn, version, plan.path, checked)
    updated = await planning.update_version(
        conn, version.id, version.revision, vision=checked.vision, missions=list(checked.missions)
    )
    if updated is None:
        raise _conflict()
    entry = audit.entry(
        caller,
        "plan_version.update",
        entity_id=str(version.id),
        scope_path=plan.path,
        new={"elements": len(walk(checked.goals)), "revision": updated.revision},
    )
    await audit_log.append(conn, [entry])
    return updated


async def _check_references(conn: AsyncConnection, plan: PlanRecord, draft: Draft) -> None:
    """Indicators are the plan unit's (or its sub-units'); Renstra objectives align to an
    objective of a published RPJMD of the same government."""
    errors: list[DomainError] = []
    elements = [element for element, _ in walk(draft.goals)]
    indicator_ids = {placed.indicator_id for element in elements for placed in element.indicators}
    found = await planning.indicator_codes_and_paths(conn, sorted(indicator_ids))
    aligned_ids = {element.aligned_id for element in elements if element.aligned_id is not None}
    anchors = await planning.anchors(conn, sorted(aligned_ids))
    for element in elements:
        for number, placed in enumerate(element.indicators):
            at = f"{element.field}.indicators.{number}.indicatorId"
            known = found.get(placed.indicator_id)
            if known is None:
                errors.append(DomainError("NOT_FOUND", "Indikator tidak ditemukan.", at))
            elif not known[1].startswith(plan.path):
                errors.append(
                    DomainError("INDICATOR_OUTSIDE_PLAN", f"Indikator {known[0]} bukan milik unit rencana ini.", at)
                )
        if element.aligned_id is not None:
            anchor = anchors.get(element.aligned_id)
            if not (
                anchor
                and anchor.kind == "OBJECTIVE"
                and anchor.plan_kind is PlanKind.RPJMD
                and anchor.state is PlanState.PUBLISHED
                and anchor.government_id == plan.government_id
            ):
                errors.append(
                    DomainError(
                        "INVALID_ALIGNMENT",
                        "Acuan harus sasaran RPJMD yang telah terbit pada pemerintah daerah yang sama.",
                        f"{element.field}.alignedObjectiveId",
                    )
                )
    if errors:
        raise DomainErrors(errors)


async def transition_plan_version(
    conn: AsyncConnection,
    *,
    caller: Caller,
    version_id: int,
    expected_revision: int | None,
    action: PlanAction,
    reason: str | None = None,
) -> VersionRecord:
    version, plan = await _version_for_write(conn, caller, version_id, expected_revision)
    permission = PERMISSION_OF_ACTION.get(action, DRAFTING[plan.kind])
    if not caller.viewer.may(permission, plan.path):
        raise DomainError("FORBIDDEN", "Anda tidak berwenang melakukan tindakan ini.", "versionId")
    following = plan_transition(version.state, action, reason)
    values: dict[str, object] = {"state": following.value}
    if action is PlanAction.SUBMIT:
        values["submitted_at"] = datetime.now(UTC)
    if action is PlanAction.PUBLISH:
        dates = await planning.published_effective_dates(conn, plan.id)
        if dates and version.effective_from <= max(dates):
            raise DomainError(
                "OVERLAPPING_EFFECTIVE_DATE",
                "Tanggal berlaku versi ini tidak sesudah versi terbit terakhir.",
                "versionId",
            )
        values.update(published_at=datetime.now(UTC), published_by=caller.actor)
    updated = await planning.update_version(conn, version.id, version.revision, **values)
    if updated is None:
        raise _conflict()
    entry = audit.entry(
        caller,
        f"plan_version.{action.value.lower()}",
        entity_id=str(version.id),
        scope_path=plan.path,
        old={"state": version.state.value},
        new={"state": following.value},
        reason=reason,
    )
    await audit_log.append(conn, [entry])
    return updated


async def revise_plan(
    conn: AsyncConnection,
    *,
    caller: Caller,
    version_id: int,
    reason: str,
    legal_basis: LegalBasis,
    effective_from: date,
) -> VersionRecord:
    """A perubahan: a new draft copied from a published version, with its reason, legal basis and
    the date it takes effect. Two planners revising at once get one draft and one CONFLICT."""
    found = await planning.version_with_plan(conn, version_id)
    if found is None:
        raise _not_found()
    source, plan = found
    if not caller.viewer.may(DRAFTING[plan.kind], plan.path):
        raise DomainError("FORBIDDEN", f"Anda tidak berwenang mengubah {plan.kind.value} ini.", "versionId")
    if source.state is not PlanState.PUBLISHED:
        raise DomainError("NOT_PUBLISHED", "Perubahan hanya dapat disalin dari versi yang telah terbit.", "versionId")
    basis = LegalBasis(
        kind=check_text_at(legal_basis.kind, "legalBasis.kind", max_length=MAX_LEGAL_TEXT),
        number=check_text_at(legal_basis.number, "legalBasis.number", max_length=MAX_LEGAL_TEXT),
        date=legal_basis.date,
    )
    check_revision(
        reason=reason,
        effective_from=effective_from,
        start_year=plan.start_year,
        end_year=plan.end_year,
        published_effective_dates=await planning.published_effective_dates(conn, plan.id),
    )
    content = (await planning.contents(conn, [source.id]))[source.id]
    version = await planning.insert_version(
        conn,
        plan,
        number=await planning.next_version_number(conn, plan.id),
        copied_from_id=source.id,
        vision=source.vision,
        missions=source.missions,
        reason=reason.strip(),
        legal_basis_kind=basis.kind,
        legal_basis_number=basis.number,
        legal_basis_date=basis.date,
        effective_from=effective_from,
        created_by=caller.actor,
    )
    if version is None:
        raise DomainError("CONFLICT", "Rencana ini sudah memiliki versi perubahan yang terbuka.", "versionId")
    await planning.replace_content(conn, version, plan.path, content.as_draft(source))
    entry = audit.entry(
        caller,
        "plan_version.revise",
        entity_id=str(version.id),
        scope_path=plan.path,
        new={
            "copied_from": source.id,
            "number": version.number,
            "effective_from": effective_from.isoformat(),
            "legal_basis": f"{basis.kind} {basis.number} {basis.date.isoformat()}",
        },
        reason=reason.strip(),
    )
    await audit_log.append(conn, [entry])
    return version
