"""Inputs and payloads of the planning mutations (plans, versions, agreements)."""

from datetime import date
from decimal import Decimal

import strawberry

from actions.agreements import AgreementDraft, ItemInput, LineInput, PartyInput
from actions.planning import NewPlan
from domain.agreements import Acting, Party, RevisionGround
from domain.plans import CHILD_KIND, Draft, DraftElement, DraftIndicator, LegalBasis, PlanKind
from schema.ids import optional_pk_of, pk_of
from schema.inputs import UserError
from schema.planning import PerformanceAgreement, PlanVersion


@strawberry.input(description="A yearly target of a plan indicator.")
class PlanTargetInput:
    year: int
    value: Decimal


@strawberry.input(description="An indicator of the master placed in a plan: baseline, targets per year, end target.")
class PlanIndicatorInput:
    indicator_id: strawberry.ID
    baseline: Decimal | None = None
    end_target: Decimal | None = strawberry.field(default=None, description="Target akhir periode.")
    targets: list[PlanTargetInput] = strawberry.field(default_factory=list)

    def draft(self) -> DraftIndicator:
        return DraftIndicator(
            indicator_id=pk_of(self.indicator_id, "Indicator"),
            baseline=self.baseline,
            end_target=self.end_target,
            targets=tuple((t.year, t.value) for t in self.targets),
        )


@strawberry.input(
    description="A program (code `5.01.01`), kegiatan (`5.01.01.2.01`) or sub kegiatan (`5.01.01.2.01.0001`): "
    "the level follows the SIPD code, normalised (`5.1.1` is `5.01.01`); `items` are the level below."
)
class BudgetItemInput:
    code: str
    name: str
    budget: Decimal | None = strawberry.field(default=None, description="Pagu (Rupiah, at most 2 decimals).")
    indicators: list[PlanIndicatorInput] = strawberry.field(default_factory=list)
    items: list["BudgetItemInput"] = strawberry.field(default_factory=list)

    def draft(self, kind: str, at: str) -> DraftElement:
        # Below a sub kegiatan there is nothing: items there are refused as INVALID_NESTING.
        below = CHILD_KIND.get(kind, kind)
        return DraftElement(
            kind=kind,
            code=self.code,
            name=self.name,
            field=at,
            budget=self.budget,
            indicators=tuple(i.draft() for i in self.indicators),
            children=tuple(item.draft(below, f"{at}.items.{n}") for n, item in enumerate(self.items)),
        )


@strawberry.input(description="An objective (sasaran).")
class ObjectiveInput:
    code: str
    name: str
    aligned_objective_id: strawberry.ID | None = strawberry.field(
        default=None, description="Renstra only, required: the published RPJMD objective it serves."
    )
    indicators: list[PlanIndicatorInput] = strawberry.field(default_factory=list)
    programs: list[BudgetItemInput] = strawberry.field(default_factory=list)

    def draft(self, at: str) -> DraftElement:
        return DraftElement(
            kind="OBJECTIVE",
            code=self.code,
            name=self.name,
            field=at,
            aligned_id=optional_pk_of(self.aligned_objective_id, "Objective"),
            indicators=tuple(i.draft() for i in self.indicators),
            children=tuple(p.draft("PROGRAM", f"{at}.programs.{n}") for n, p in enumerate(self.programs)),
        )


@strawberry.input(description="A goal (tujuan).")
class GoalInput:
    code: str
    name: str
    mission_number: int | None = strawberry.field(default=None, description="The mission (misi) it serves, from 1.")
    indicators: list[PlanIndicatorInput] = strawberry.field(default_factory=list)
    objectives: list[ObjectiveInput] = strawberry.field(default_factory=list)

    def draft(self, at: str) -> DraftElement:
        return DraftElement(
            kind="GOAL",
            code=self.code,
            name=self.name,
            field=at,
            mission_number=self.mission_number,
            indicators=tuple(i.draft() for i in self.indicators),
            children=tuple(o.draft(f"{at}.objectives.{n}") for n, o in enumerate(self.objectives)),
        )


@strawberry.input(description="A new strategic plan; its first version is a draft.")
class CreateStrategicPlanInput:
    org_unit_id: strawberry.ID = strawberry.field(description="The pemda's root unit (RPJMD) or an agency (RENSTRA).")
    kind: PlanKind
    name: str
    start_year: int
    end_year: int
    vision: str = ""
    missions: list[str] = strawberry.field(default_factory=list)

    def new_plan(self) -> NewPlan:
        return NewPlan(
            org_unit_id=pk_of(self.org_unit_id, "OrgUnit"),
            kind=self.kind,
            name=self.name,
            start_year=self.start_year,
            end_year=self.end_year,
            vision=self.vision,
            missions=tuple(self.missions),
        )


@strawberry.input(description="The whole content of a draft version, replacing what it held.")
class UpdatePlanDraftInput:
    version_id: strawberry.ID
    expected_revision: int | None = strawberry.field(default=None, description="The revision you read.")
    vision: str = ""
    missions: list[str] = strawberry.field(default_factory=list)
    goals: list[GoalInput] = strawberry.field(default_factory=list)

    def draft(self) -> Draft:
        return Draft(
            vision=self.vision,
            missions=tuple(self.missions),
            goals=tuple(goal.draft(f"goals.{n}") for n, goal in enumerate(self.goals)),
        )


@strawberry.input(description="A transition of a plan version: submit, return (with a reason) or publish.")
class PlanVersionTransitionInput:
    version_id: strawberry.ID
    expected_revision: int | None = None
    reason: str | None = strawberry.field(default=None, description="Required to return a version.")


@strawberry.input(description="The regulation behind a plan change (dasar perubahan).")
class LegalBasisInput:
    kind: str
    number: str
    date: date

    def basis(self) -> LegalBasis:
        return LegalBasis(kind=self.kind, number=self.number, date=self.date)


@strawberry.input(description="A perubahan: a new draft copied from a published version.")
class RevisePlanInput:
    version_id: strawberry.ID = strawberry.field(description="The published version to copy.")
    reason: str
    legal_basis: LegalBasisInput
    effective_from: date


@strawberry.type
class PlanVersionPayload:
    version: PlanVersion | None
    user_errors: list[UserError]


@strawberry.input(
    description="A party of a Perjanjian Kinerja (pihak): typed, or named by `employeeNip` from the pemda's staff "
    "register, whose name, NIP, rank (pangkat/golongan) and position fill the fields left out."
)
class SignatoryInput:
    name: str | None = strawberry.field(default=None, description="Required unless employeeNip names the official.")
    rank: str | None = strawberry.field(
        default=None, description="Pangkat/golongan; from the register as `Pembina (IV/a)` when left out."
    )
    position: str | None = strawberry.field(
        default=None, description="Jabatan, without the Plt./Plh. prefix; from the register's position when left out."
    )
    nip: str | None = strawberry.field(default=None, description="18 digits.")
    acting: Acting = Acting.NONE
    username: str | None = strawberry.field(
        default=None, description="Pihak kesatu: the official's account, which then signs as pihak kesatu."
    )
    employee_nip: str | None = strawberry.field(
        default=None,
        description="The official in the staff register (pegawai) of the agreement's pemda; the account linked to "
        "that employee signs as pihak kesatu unless `username` names another.",
    )

    def party(self) -> PartyInput:
        return PartyInput(
            name=self.name or "",
            rank=self.rank or "",
            position=self.position or "",
            nip=self.nip,
            acting=self.acting,
            username=self.username,
            employee_nip=self.employee_nip,
        )


@strawberry.input(description="An indicator of the agreement, with the year's target if it is set here.")
class AgreementItemInput:
    indicator_id: strawberry.ID
    target: Decimal | None = strawberry.field(
        default=None, description="Written as the indicator's annual target for the year (one source)."
    )
    objective: str | None = strawberry.field(
        default=None, description="The sasaran to print where no published plan places the indicator."
    )


@strawberry.input(description="A line of the budget annex.")
class AgreementBudgetLineInput:
    code: str = strawberry.field(description="SIPD code of the level the signer's PK lists.")
    name: str
    amount: Decimal = strawberry.field(description="Anggaran (Rupiah, at most 2 decimals).")


@strawberry.input(description="A unit's Perjanjian Kinerja for a year: created, or its draft replaced.")
class SaveAgreementInput:
    org_unit_id: strawberry.ID
    year: int
    expected_revision: int | None = None
    first_party: SignatoryInput
    second_party: SignatoryInput | None = None
    items: list[AgreementItemInput] = strawberry.field(default_factory=list)
    budget_lines: list[AgreementBudgetLineInput] = strawberry.field(default_factory=list)

    def draft(self) -> AgreementDraft:
        return AgreementDraft(
            org_unit_id=pk_of(self.org_unit_id, "OrgUnit"),
            year=self.year,
            expected_revision=self.expected_revision,
            first_party=self.first_party.party(),
            second_party=self.second_party.party() if self.second_party else None,
            items=[
                ItemInput(pk_of(item.indicator_id, "Indicator"), item.target, item.objective) for item in self.items
            ],
            budget_lines=[LineInput(line.code, line.name, line.amount) for line in self.budget_lines],
        )


@strawberry.input(description="A party's signature.")
class SignAgreementInput:
    agreement_id: strawberry.ID
    party: Party
    expected_revision: int | None = None


@strawberry.input(description="Reopen a signed agreement for a PK Perubahan.")
class ReviseAgreementInput:
    agreement_id: strawberry.ID
    reason: str
    ground: RevisionGround
    expected_revision: int | None = None


@strawberry.type
class AgreementPayload:
    agreement: PerformanceAgreement | None
    user_errors: list[UserError]


@strawberry.type
class BudgetApprovalPayload:
    government_code: str | None
    year: int | None
    approved_on: date | None = strawberry.field(description="The day the DPA was approved.")
    agreements_due: date | None = strawberry.field(description="The year's agreements are due by this day.")
    user_errors: list[UserError]


@strawberry.input(description="The day a government's budget document (DPA) for a year was approved.")
class RecordBudgetApprovalInput:
    government_code: str
    year: int
    approved_on: date
