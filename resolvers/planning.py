"""Planning queries and mutations: strategic plans and versions (actions/planning.py) and
performance agreements (actions/agreements.py)."""

from datetime import date

import strawberry

from actions import agreements, planning
from domain.agreements import agreement_deadline
from domain.enums import OrgUnitKind
from domain.errors import DomainError
from domain.plans import PlanAction, PlanKind, PlanState
from domain.workflow import Compliance, compliance_at
from policies.paths import government_path_of_code
from policies.permissions import Permission
from resolvers.scopes import scope_path
from resolvers.subtree import selected_names
from resolvers.writes import Outcome, in_transaction
from schema.errors import ApiError, bad_input
from schema.ids import pk_of
from schema.plan_results import PlanResultsForm
from schema.planning import (
    AgreementComplianceRow,
    AnnualPlan,
    AnnualPlanRow,
    PerformanceAgreement,
    PlanningGap,
    PlanVersion,
    StrategicPlan,
)
from schema.planning_inputs import (
    AgreementPayload,
    BudgetApprovalPayload,
    CreateStrategicPlanInput,
    PlanVersionPayload,
    PlanVersionTransitionInput,
    RecordBudgetApprovalInput,
    ReviseAgreementInput,
    RevisePlanInput,
    SaveAgreementInput,
    SignAgreementInput,
    UpdatePlanDraftInput,
)
from schema.types import Goal, Info, Objective, OrgUnit, PlanAhead, Program
from store import agreements as agreement_store
from store import hierarchy
from store import plan_results as plan_results_store
from store import planning as plan_store
from store.agreements import AgreementRecord
from store.planning import ElementRecord, VersionContent, VersionRecord
from store.planning_gaps import planning_gaps as gaps_of
from store.records import IndicatorRecord

GAP_MESSAGES = {
    "RPJMD_OBJECTIVE_UNALIGNED": "Sasaran RPJMD {} belum diacu sasaran Renstra perangkat daerah mana pun.",
    "RPJMD_INDICATOR_UNCARRIED": "Indikator RPJMD {} belum diturunkan ke indikator perangkat daerah.",
    "AGREEMENT_MISSING": "{} belum memiliki perjanjian kinerja tahun ini.",
    "IKU_WITHOUT_AGREEMENT": "IKU {} belum dimuat dalam perjanjian kinerja tahun ini.",
    "AGREEMENT_TARGET_MISSING": "Indikator {} dalam perjanjian kinerja belum memiliki target tahun ini.",
}


PLANNING_NODES = frozenset({"StrategicPlan", "PlanVersion", "PerformanceAgreement"})


async def planning_node(
    info: Info, type_name: str, pk: int
) -> StrategicPlan | PlanVersion | PerformanceAgreement | None:
    """A plan, version or agreement by its key, when the caller may see it."""
    loaders = info.context.loaders.planning
    if type_name == "StrategicPlan":
        plan = await loaders.plan_by_id.load(pk)
        return StrategicPlan.of(plan) if plan else None
    if type_name == "PlanVersion":
        version = await loaders.version_by_id.load(pk)
        return PlanVersion.of(version) if version else None
    agreement = await loaders.agreement_by_id.load(pk)
    return PerformanceAgreement.of(agreement) if agreement else None


UNIT_PLAN_KIND = {OrgUnitKind.PEMDA: PlanKind.RPJMD, OrgUnitKind.PERANGKAT_DAERAH: PlanKind.RENSTRA}


async def annual_plan(info: Info, org_unit_id: strawberry.ID, year: int) -> AnnualPlan | None:
    """The RKT: the objectives, indicators and targets of the year from the unit's plan in force."""
    if not 2000 <= year <= 2100:
        raise bad_input("year harus antara 2000 dan 2100.")
    context = info.context
    unit = await context.loaders.org_unit_by_id.load(pk_of(org_unit_id, "OrgUnit"))
    if unit is None:
        return None
    conn = await context.connection()
    kind = UNIT_PLAN_KIND.get(unit.kind)
    plans = [
        plan
        for plan in await plan_store.plans_under(conn, unit.path, kind)
        if plan.org_unit_id == unit.id and plan.start_year <= year <= plan.end_year
    ]
    versions = await context.loaders.planning.versions_by_plan_id.load_many([plan.id for plan in plans])
    year_end = date(year, 12, 31)
    in_force = [
        v for found in versions for v in found if v.state is PlanState.PUBLISHED and v.effective_from <= year_end
    ]
    source = max(in_force, key=lambda v: v.effective_from, default=None)
    rows: list[AnnualPlanRow] = []
    programs: list[Program] = []
    if source is not None:
        content = await context.loaders.planning.content_by_version_id.load(source.id)
        for element in content.elements:
            if element.kind != "OBJECTIVE":
                continue
            objective = Objective.of(element, content)
            rows += [AnnualPlanRow(objective=objective, placed=placed, year=year) for placed in objective.indicators()]
            programs += objective.programs()
    agreements = await agreement_store.agreements_under(conn, context.viewer, unit.path, year)
    agreement = next((a for a in agreements if a.org_unit_id == unit.id), None)
    return AnnualPlan(
        year=year,
        org_unit=OrgUnit.of(unit),
        source=PlanVersion.of(source) if source else None,
        rows=rows,
        programs=programs,
        agreement=PerformanceAgreement.of(agreement) if agreement else None,
    )


async def strategic_plans(info: Info, scope: strawberry.ID, kind: PlanKind | None = None) -> list[StrategicPlan]:
    """Plans of the units under a Government or OrgUnit, with what the selection asks of them
    loaded ahead (a province's 600 plans in a few statements, completed in one pass)."""
    path = await scope_path(info, scope, argument="scope")
    if path is None:
        return []
    records = await plan_store.plans_under(await info.context.connection(), path, kind)
    asked = selected_names(info)
    if "versions" not in asked:
        return [StrategicPlan.of(record) for record in records]
    loaders = info.context.loaders
    units = await loaders.org_unit_by_id.load_many([r.org_unit_id for r in records]) if "orgUnit" in asked else []
    versions = await loaders.planning.versions_by_plan_id.load_many([r.id for r in records])
    ahead = await _plan_ahead(info, [v for found in versions for v in found], asked) if "goals" in asked else None
    plans = []
    for n, (record, found) in enumerate(zip(records, versions, strict=True)):
        unit = units[n] if units else None
        goals = [PlanVersion.of(v, _goals_of(v, ahead)) for v in found]
        plans.append(StrategicPlan.of(record, goals, OrgUnit.of(unit) if unit else None))
    return plans


async def _plan_ahead(
    info: Info, versions: list[VersionRecord], asked: set[str]
) -> tuple[dict[int, VersionContent], PlanAhead]:
    """The versions' content, the indicators they place and the objectives they align to."""
    planning_loaders = info.context.loaders.planning
    contents = dict(
        zip(
            [v.id for v in versions],
            await planning_loaders.content_by_version_id.load_many([v.id for v in versions]),
            strict=True,
        )
    )
    indicators: dict[int, IndicatorRecord] = {}
    if "indicator" in asked:
        ids = sorted({p.indicator_id for content in contents.values() for p in content.indicators})
        found = await info.context.loaders.indicator_by_id.load_many(ids)
        indicators = {record.id: record for record in found if record is not None}
    anchors: dict[int, tuple[ElementRecord, VersionContent]] = {}
    if "alignedTo" in asked:
        aligned = sorted({e.aligned_id for c in contents.values() for e in c.elements if e.aligned_id is not None})
        elements = [e for e in await planning_loaders.element_by_id.load_many(aligned) if e is not None]
        anchor_contents = await planning_loaders.content_by_version_id.load_many([e.version_id for e in elements])
        anchors = {e.id: (e, c) for e, c in zip(elements, anchor_contents, strict=True)}
    return contents, PlanAhead(indicators=indicators, anchors=anchors)


def _goals_of(version: VersionRecord, ahead: tuple[dict[int, VersionContent], PlanAhead] | None) -> list[Goal] | None:
    if ahead is None:
        return None
    contents, loaded = ahead
    content = contents[version.id]
    return [Goal.of(e, content, loaded) for e in content.children(None, "GOAL")]


async def performance_agreements(
    info: Info, scope: strawberry.ID, year: int | None = None
) -> list[PerformanceAgreement]:
    """Agreements of the units under a Government or OrgUnit: signed ones, and drafts in scope."""
    path = await scope_path(info, scope, argument="scope")
    if path is None:
        return []
    context = info.context
    records = await agreement_store.agreements_under(await context.connection(), context.viewer, path, year)
    return [PerformanceAgreement.of(record) for record in records]


async def planning_gaps(info: Info, government_code: str, year: int) -> list[PlanningGap]:
    """Checked before anything is read: a root field that fails after its siblings started their
    SQL has them cancelled mid-statement (graphql-core cancels the siblings of a failed field)."""
    context = info.context
    if not 2000 <= year <= 2100:
        raise bad_input("year harus antara 2000 dan 2100.")
    if not context.viewer.may(Permission.READ_PLANNING_DRAFTS, government_path_of_code(government_code.strip())):
        raise ApiError("FORBIDDEN", "Kesenjangan perencanaan hanya untuk pengguna dalam lingkup pemda ini.")
    conn = await context.connection()
    governments = await hierarchy.governments_by_codes(conn, context.viewer, [government_code.strip()])
    if not governments:
        return []
    return [
        PlanningGap(
            kind=gap.kind,
            message=GAP_MESSAGES[gap.kind].format(gap.subject),
            org_unit_id=gap.org_unit_id,
            indicator_id=gap.indicator_id,
        )
        for gap in await gaps_of(conn, governments[0].id, year)
    ]


def _version_payload(done: Outcome[VersionRecord]) -> PlanVersionPayload:
    version = PlanVersion.of(done.value) if done.value else None
    return PlanVersionPayload(version=version, user_errors=done.user_errors)


async def create_strategic_plan(info: Info, input: CreateStrategicPlanInput) -> PlanVersionPayload:
    caller = info.context.caller
    done = await in_transaction(
        info, lambda conn: planning.create_strategic_plan(conn, caller=caller, new=input.new_plan())
    )
    return _version_payload(done)


async def update_plan_draft(info: Info, input: UpdatePlanDraftInput) -> PlanVersionPayload:
    caller = info.context.caller
    done = await in_transaction(
        info,
        lambda conn: planning.update_plan_draft(
            conn,
            caller=caller,
            version_id=pk_of(input.version_id, "PlanVersion"),
            expected_revision=input.expected_revision,
            draft=input.draft(),
        ),
    )
    return _version_payload(done)


async def _transition(info: Info, input: PlanVersionTransitionInput, action: PlanAction) -> PlanVersionPayload:
    caller = info.context.caller
    done = await in_transaction(
        info,
        lambda conn: planning.transition_plan_version(
            conn,
            caller=caller,
            version_id=pk_of(input.version_id, "PlanVersion"),
            expected_revision=input.expected_revision,
            action=action,
            reason=input.reason,
        ),
    )
    return _version_payload(done)


async def submit_plan_version(info: Info, input: PlanVersionTransitionInput) -> PlanVersionPayload:
    return await _transition(info, input, PlanAction.SUBMIT)


async def return_plan_version(info: Info, input: PlanVersionTransitionInput) -> PlanVersionPayload:
    return await _transition(info, input, PlanAction.RETURN)


async def publish_plan_version(info: Info, input: PlanVersionTransitionInput) -> PlanVersionPayload:
    return await _transition(info, input, PlanAction.PUBLISH)


async def revise_plan(info: Info, input: RevisePlanInput) -> PlanVersionPayload:
    caller = info.context.caller
    done = await in_transaction(
        info,
        lambda conn: planning.revise_plan(
            conn,
            caller=caller,
            version_id=pk_of(input.version_id, "PlanVersion"),
            reason=input.reason,
            legal_basis=input.legal_basis.basis(),
            effective_from=input.effective_from,
        ),
    )
    return _version_payload(done)


def _agreement_payload(done: Outcome[AgreementRecord]) -> AgreementPayload:
    agreement = PerformanceAgreement.of(done.value) if done.value else None
    return AgreementPayload(agreement=agreement, user_errors=done.user_errors)


async def save_agreement(info: Info, input: SaveAgreementInput) -> AgreementPayload:
    context = info.context
    done = await in_transaction(
        info,
        lambda conn: agreements.save_agreement(
            conn, caller=context.caller, window=context.services.window, draft=input.draft()
        ),
    )
    return _agreement_payload(done)


async def sign_agreement(info: Info, input: SignAgreementInput) -> AgreementPayload:
    caller = info.context.caller
    done = await in_transaction(
        info,
        lambda conn: agreements.sign_agreement(
            conn,
            caller=caller,
            agreement_id=pk_of(input.agreement_id, "PerformanceAgreement"),
            expected_revision=input.expected_revision,
            party=input.party,
        ),
    )
    return _agreement_payload(done)


async def revise_agreement(info: Info, input: ReviseAgreementInput) -> AgreementPayload:
    caller = info.context.caller
    done = await in_transaction(
        info,
        lambda conn: agreements.revise_agreement(
            conn,
            caller=caller,
            agreement_id=pk_of(input.agreement_id, "PerformanceAgreement"),
            expected_revision=input.expected_revision,
            reason=input.reason,
            ground=input.ground,
        ),
    )
    return _agreement_payload(done)


async def agreement_compliance(info: Info, government_code: str, year: int) -> list[AgreementComplianceRow]:
    """Every unit heading an agreement level (the pemda, each perangkat daerah) valid in the year:
    its agreement's state, when it was first signed, and whether that was by the due date."""
    context = info.context
    if not 2000 <= year <= 2100:
        raise bad_input("year harus antara 2000 dan 2100.")
    if not context.viewer.may(Permission.READ_PLANNING_DRAFTS, government_path_of_code(government_code.strip())):
        raise ApiError("FORBIDDEN", "Kepatuhan perjanjian kinerja hanya untuk pengguna dalam lingkup pemda ini.")
    conn = await context.connection()
    governments = await hierarchy.governments_by_codes(conn, context.viewer, [government_code.strip()])
    if not governments:
        return []
    rows = []
    for facts in await agreement_store.compliance_facts(conn, governments[0].id, year):
        deadline = agreement_deadline(facts.dpa_approved_on) if facts.dpa_approved_on else None
        status = (
            compliance_at(submitted_at=facts.first_signed_at, deadline=deadline, today=context.today)
            if deadline is not None
            else Compliance.NOT_DUE
        )
        rows.append(
            AgreementComplianceRow(
                org_unit_id=facts.org_unit_id,
                state=facts.state,
                signed_at=facts.first_signed_at,
                deadline=deadline,
                status=status,
            )
        )
    return rows


async def record_budget_approval(info: Info, input: RecordBudgetApprovalInput) -> BudgetApprovalPayload:
    caller = info.context.caller
    done = await in_transaction(
        info,
        lambda conn: agreements.record_budget_approval(
            conn, caller=caller, government_code=input.government_code, year=input.year, approved_on=input.approved_on
        ),
    )
    approval = done.value
    return BudgetApprovalPayload(
        government_code=approval.government_code if approval else None,
        year=approval.year if approval else None,
        approved_on=approval.approved_on if approval else None,
        agreements_due=approval.agreements_due if approval else None,
        user_errors=done.user_errors,
    )


async def plan_results(info: Info, version: strawberry.ID, year: int) -> PlanResultsForm | None:
    """The results form of a plan version for one of its years, for those who may read its values."""
    try:
        found = await plan_results_store.gather(
            await info.context.connection(), info.context.viewer, pk_of(version, "PlanVersion"), year
        )
    except DomainError as error:
        raise ApiError(error.code, error.message) from error
    return None if found is None else PlanResultsForm.of(found)
