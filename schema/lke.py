"""GraphQL types of the SAKIP evaluation (evaluasi SAKIP, LKE; domain/lke.py): the evaluation
models, an evaluation with both sides' answers per criterion, the platform's computed proposals,
evidence, logic warnings, disputes, recommendations and their follow-up."""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from fractions import Fraction
from typing import Any, Self

import strawberry
from strawberry.file_uploads import Upload

from actions.lke import assessor_answers, effective_answers, self_answers
from domain.lke import (
    GRADE_LABELS,
    Aspect,
    ComputedSource,
    Criterion,
    Grade,
    LogicRule,
    Model,
    RuleKind,
    Scale,
    Side,
    Verifier,
    graded,
    logic_warnings,
    rounded,
)
from domain.lke_stages import STAGE_NAMES, Schedule, Stage, evaluator_may_advance
from policies.permissions import VERIFIER_PERMISSIONS, Permission
from policies.scopes import may_read_evaluation, may_read_quality_findings
from schema.ids import encode_id
from schema.inputs import UserError
from schema.prepared import NOT_PREPARED, Prepared
from schema.types import Info, OrgUnit
from store import lke
from store.lke import AnswerRecord, DisputeRecord, EvaluationRecord, EvidenceRecord, RecommendationRecord
from store.lke_quality import FindingRecord

strawberry.enum(Scale, name="AnswerScale", description="How a criterion is answered (skala jawaban).")
strawberry.enum(
    Aspect, name="EvaluationAspect", description="What a sub-component asks: keberadaan, kualitas, pemanfaatan."
)
strawberry.enum(Verifier, name="EvidenceVerifier", description="The agency that verifies the evidence (verifikator).")
strawberry.enum(ComputedSource, description="The platform data a criterion is computed from (kriteria terhitung).")
strawberry.enum(Stage, name="EvaluationStage", description="Stage of an evaluation (tahap evaluasi).")
strawberry.enum(Grade, name="SakipGrade", description="Predikat SAKIP: AA, A, BB, B, CC, C, D.")
strawberry.enum(
    Side, name="EvaluationSide", description="SELF: the unit's penilaian mandiri; ASSESSOR: the evaluator's."
)
strawberry.enum(RuleKind, name="LogicRuleKind", description="What a logic rule (kerangka logis) compares with.")


PERCENT = Decimal("0.01")
ZERO = Decimal(0)


def _decimal(value: Fraction) -> Decimal:
    return rounded(value)


@strawberry.type(description="An answer a criterion accepts (pilihan jawaban) and its value.")
class AnswerOption:
    answer: str
    label: str
    value: Decimal = strawberry.field(description="Share of the criterion (0–1), or points on a custom scale.")


@strawberry.type(description="A criterion of the evaluation sheet (kriteria LKE).")
class EvaluationCriterion:
    code: str
    text: str
    scale: Scale
    options: list[AnswerOption]
    verifier: Verifier
    computed_source: ComputedSource | None

    @classmethod
    def of(cls, c: Criterion) -> Self:
        options = _options(c)
        return cls(
            code=c.code, text=c.text, scale=c.scale, options=options, verifier=c.verifier, computed_source=c.computed
        )


def _options(c: Criterion) -> list[AnswerOption]:
    return [
        AnswerOption(answer=o.answer, label=o.label, value=Decimal(o.value.numerator) / o.value.denominator)
        for o in c.options
    ]


@strawberry.type(description="A sub-component (subkomponen) and its weight in points of 100.")
class EvaluationSubComponent:
    code: str
    name: str
    weight: Decimal
    aspect: Aspect | None
    criteria: list[EvaluationCriterion]


@strawberry.type(description="A component (komponen) of the evaluation model, e.g. Perencanaan Kinerja 30.")
class EvaluationComponent:
    code: str
    name: str
    weight: Decimal
    sub_components: list[EvaluationSubComponent]


@strawberry.type(description="A logic rule between criteria (kerangka logis).")
class LogicRuleType:
    criterion_code: str
    kind: RuleKind
    comparator_code: str = strawberry.field(description="The prerequisite criterion, or the sub-component.")
    message: str

    @classmethod
    def of(cls, rule: LogicRule) -> Self:
        return cls(criterion_code=rule.criterion, kind=rule.kind, comparator_code=rule.comparator, message=rule.message)


@strawberry.type(description="A versioned evaluation model (model LKE): PermenPANRB 88/2021, or the older 12/2015.")
class EvaluationModel:
    id: strawberry.ID
    code: str
    name: str
    legal_basis: str
    components: list[EvaluationComponent]
    logic_rules: list[LogicRuleType]
    criteria_count: int

    @classmethod
    def of(cls, model_id: int, model: Model) -> Self:
        components = [
            EvaluationComponent(
                code=c.code,
                name=c.name,
                weight=_decimal(c.weight),
                sub_components=[
                    EvaluationSubComponent(
                        code=s.code,
                        name=s.name,
                        weight=_decimal(s.weight),
                        aspect=s.aspect,
                        criteria=[EvaluationCriterion.of(x) for x in s.criteria],
                    )
                    for s in c.sub_components
                ],
            )
            for c in model.components
        ]
        return cls(
            id=strawberry.ID(encode_id("EvaluationModel", model_id)),
            code=model.code,
            name=model.name,
            legal_basis=model.legal_basis,
            components=components,
            logic_rules=[LogicRuleType.of(r) for r in model.rules],
            criteria_count=len(model.criteria),
        )


@strawberry.type(description="One side's answer to a criterion (jawaban).")
class CriterionAnswer:
    answer: str
    value: Decimal
    note: str
    by: str | None
    at: datetime | None


@strawberry.type(description="What the platform computed from its own data for a criterion (usulan dari data).")
class ComputedProposal:
    value: Decimal | None = strawberry.field(description="The figure, a percentage; null when nothing was counted.")
    proposed_answer: str | None
    explanation: str


@strawberry.type(description="A logic rule broken by one side's answers (peringatan kerangka logis).")
class LogicWarning:
    criterion_code: str
    comparator_code: str
    message: str
    side: Side


@strawberry.type(description="Evidence of a criterion (bukti dukung) and its verification.")
class Evidence:
    id: strawberry.ID
    criterion_code: str
    kind: str = strawberry.field(description="FILE, LINK or DOCUMENT (a document the platform produced).")
    title: str
    url: str | None = strawberry.field(description="The link, or where the stored file is downloaded.")
    document_kind: str | None
    document_id: strawberry.ID | None
    file_name: str | None
    media_type: str | None
    size: int | None
    sha256: str | None
    verifier: Verifier
    state: str = strawberry.field(description="PENDING, ACCEPTED or REJECTED (ditolak: the unit fixes it).")
    rejection_reason: str | None
    verified_by: str | None
    verified_at: datetime | None
    replaces_id: strawberry.ID | None
    added_by: str
    added_at: datetime
    verifier_due: date = strawberry.field(description="When its verifier agency is to have verified it.")
    overdue: bool = strawberry.field(description="Still to be verified after that date (terlambat).")
    unit_path: strawberry.Private[str]

    @strawberry.field(description="The caller may verify this item: a grant of its verifier agency over the unit.")
    def can_verify(self, info: Info) -> bool:
        return info.context.viewer.may(VERIFIER_PERMISSIONS[self.verifier.value], self.unit_path)

    @classmethod
    def of(cls, r: EvidenceRecord, unit_path: str, schedule: Schedule, today: date) -> Self:
        encoded = encode_id("Evidence", r.id)
        due = schedule.verifier_due(r.verifier)
        url = f"/dokumen/bukti/{encoded}" if r.kind == "FILE" else r.url
        return cls(
            id=strawberry.ID(encoded),
            criterion_code=r.criterion_code,
            kind=r.kind,
            title=r.title,
            url=url,
            document_kind=r.document_kind,
            document_id=strawberry.ID(str(r.document_id)) if r.document_id is not None else None,
            file_name=r.file_name,
            media_type=r.media_type,
            size=r.size,
            sha256=r.sha256,
            verifier=Verifier(r.verifier),
            state=r.state,
            rejection_reason=r.rejection_reason,
            verified_by=r.verified_by,
            verified_at=r.verified_at,
            replaces_id=strawberry.ID(encode_id("Evidence", r.replaces_id)) if r.replaces_id else None,
            added_by=r.added_by,
            added_at=r.added_at,
            verifier_due=due,
            overdue=schedule.verification_late(r.verifier, r.state == "PENDING", today),
            unit_path=unit_path,
        )


@strawberry.type(description="The unit's dispute of a criterion (sanggahan) and the assessor's answer to it.")
class Dispute:
    criterion_code: str
    reason: str
    raised_by: str
    raised_at: datetime
    outcome: str | None = strawberry.field(description="KEPT or CHANGED; null while open.")
    answer_before: str | None
    answer_after: str | None
    rebuttal: str | None
    resolved_by: str | None
    resolved_at: datetime | None

    @classmethod
    def of(cls, r: DisputeRecord) -> Self:
        return cls(
            criterion_code=r.criterion_code,
            reason=r.reason,
            raised_by=r.raised_by,
            raised_at=r.raised_at,
            outcome=r.outcome,
            answer_before=r.answer_before,
            answer_after=r.answer_after,
            rebuttal=r.rebuttal,
            resolved_by=r.resolved_by,
            resolved_at=r.resolved_at,
        )


@strawberry.type(
    description="The quality assurer's finding on a criterion's scoring (temuan penjaminan kualitas) and the "
    "assessor's answer to it."
)
class QualityFinding:
    criterion_code: str
    note: str = strawberry.field(description="Catatan penjamin kualitas.")
    raised_by: str
    raised_at: datetime
    open: bool = strawberry.field(description="Not yet answered by the assessor (belum ditanggapi).")
    outcome: str | None = strawberry.field(description="KEPT or CHANGED; null while open.")
    answer_before: str | None = strawberry.field(description="The assessor's answer the finding was raised on.")
    answer_after: str | None
    response: str | None = strawberry.field(description="Tanggapan evaluator.")
    responded_by: str | None
    responded_at: datetime | None

    @classmethod
    def of(cls, r: FindingRecord) -> Self:
        return cls(
            criterion_code=r.criterion_code,
            note=r.note,
            raised_by=r.raised_by,
            raised_at=r.raised_at,
            open=r.open,
            outcome=r.outcome,
            answer_before=r.answer_before,
            answer_after=r.answer_after,
            response=r.response,
            responded_by=r.responded_by,
            responded_at=r.responded_at,
        )


@strawberry.type(description="Penjaminan kualitas of an evaluation: whether it needs the assurer, and the approval.")
class QualityAssurance:
    required: bool = strawberry.field(
        description="Only the quality assurer's approval ends the stage (the evaluator may not skip it)."
    )
    approved_by: str | None = strawberry.field(description="The assurer who approved the scoring; null before.")
    approved_at: datetime | None
    note: str | None = strawberry.field(description="The assurer's note on approval (catatan persetujuan).")


@strawberry.type(description="A recommendation (rekomendasi) and its follow-up (tindak lanjut).")
class Recommendation:
    id: strawberry.ID
    criterion_code: str | None
    component_code: str | None
    text: str
    created_by: str
    created_at: datetime
    action_plan: str
    target_date: date | None
    person_in_charge: str
    progress: int = strawberry.field(description="Follow-up progress, 0–100 %.")
    evidence_url: str | None
    followed_up_by: str | None
    followed_up_at: datetime | None
    done: bool = strawberry.field(description="Followed up completely (progress 100 %).")

    @classmethod
    def of(cls, r: RecommendationRecord) -> Self:
        return cls(
            id=strawberry.ID(encode_id("Recommendation", r.id)),
            criterion_code=r.criterion_code,
            component_code=r.component_code,
            text=r.text,
            created_by=r.created_by,
            created_at=r.created_at,
            action_plan=r.action_plan,
            target_date=r.target_date,
            person_in_charge=r.person_in_charge,
            progress=r.progress,
            evidence_url=r.follow_up_evidence_url,
            followed_up_by=r.follow_up_by,
            followed_up_at=r.follow_up_at,
            done=r.progress == 100,
        )


@strawberry.type(description="A criterion of an evaluation with both sides' answers (penilaian per kriteria).")
class CriterionAssessment:
    code: str
    text: str
    scale: Scale
    options: list[AnswerOption]
    component_code: str
    sub_component_code: str
    self_answer: CriterionAnswer | None = strawberry.field(description="The unit's own (penilaian mandiri).")
    assessor_answer: CriterionAnswer | None = strawberry.field(description="The evaluator's (penilaian evaluator).")
    effective_answer: str | None = strawberry.field(description="What the score counts: the assessor's once given.")
    computed: ComputedProposal | None
    evidence: list[Evidence]
    warnings: list[LogicWarning]
    dispute: Dispute | None


@strawberry.type(description="A sub-component's score (nilai subkomponen).")
class SubComponentScore:
    code: str
    name: str
    weight: Decimal
    score: Decimal
    answered: int
    criteria: int


@strawberry.type(description="A component's score (nilai komponen) out of its weight.")
class ComponentScore:
    code: str
    name: str
    weight: Decimal
    score: Decimal
    percent: Decimal = strawberry.field(description="The score as a share of the weight, in % (persentase capaian).")
    sub_components: list[SubComponentScore]


@strawberry.type(description="Due dates of an evaluation's stages (jadwal).")
class EvaluationSchedule:
    self_assessment_due: date
    verification_due: date
    quality_assurance_due: date
    dispute_days: int
    dispute_due: date | None = strawberry.field(description="Set once the result is sent to the unit.")
    verifier_dues: list["VerifierDue"] = strawberry.field(
        description="When each verifier agency is to have verified the evidence routed to it (batas verifikasi "
        "per instansi): its own date where the evaluator set one, else the verification stage's."
    )
    quality_assurance_required: bool = strawberry.field(
        default=False,
        description="The quality assurance stage ends only by the quality assurer's approval (wajib penjaminan "
        "kualitas).",
    )


@strawberry.type(description="A verifier agency's due date for the evidence routed to it.")
class VerifierDue:
    verifier: Verifier
    due: date
    own: bool = strawberry.field(description="Set for this agency; false: due with the verification stage.")


@strawberry.type(description="The evaluation report (LHE) as a file; DRAF until the evaluation is FINAL.")
class EvaluationDocument:
    evaluation_id: strawberry.Private[int]
    format: str = strawberry.field(description="DOCX or PDF.")
    url: str = strawberry.field(
        description="Relative to the server; a published result's by anyone, others with a bearer token or page "
        "session."
    )
    final: bool

    @strawberry.field(
        description="SHA-256 of the report frozen at FINAL (its download's x-content-sha256); null before."
    )
    async def sha256(self, info: Info) -> str | None:
        return (await info.context.loaders.evaluations.report_digests.load(self.evaluation_id)).get(self.format)


@strawberry.type(description="The evaluator's narrative of one component (catatan komponen).")
class ComponentNote:
    component_code: str
    text: str


@dataclass(frozen=True)
class EvaluationAhead:
    """What a list of evaluations loaded for all of them at once (resolvers/lke.evaluations)."""

    unit: OrgUnit | None
    components: list[ComponentScore]
    recommendations: list[Recommendation]


@strawberry.type(description="A SAKIP evaluation (evaluasi SAKIP / LHE) of one unit for one year.")
class Evaluation(Prepared):
    record: strawberry.Private[EvaluationRecord]
    ahead: strawberry.Private[EvaluationAhead | None]
    id: strawberry.ID
    year: int
    state: Stage
    stage_name: str = strawberry.field(description="The stage in words (nama tahap).")
    total: Decimal = strawberry.field(description="Nilai 0–100, two decimals, from the assessor's answers once given.")
    self_total: Decimal = strawberry.field(description="The score of the unit's own answers (nilai mandiri).")
    grade: Grade | None = strawberry.field(
        description="Predikat of the total by the upper-inclusive bands (60,00 is CC, 60,01 is B); null while a "
        "criterion has no answer on either side. It is the result once `complete` (every criterion assessed)."
    )
    grade_label: str | None = strawberry.field(
        description="Predikat in words, e.g. Baik; null while there is no grade."
    )
    provisional_grade: Grade = strawberry.field(
        description="The predikat of the total as it stands, unanswered criteria counting 0."
    )
    answered_self: int
    assessed: int
    criteria_count: int
    complete: bool = strawberry.field(description="Every criterion answered by the assessor.")
    schedule: EvaluationSchedule
    current_due: date | None = strawberry.field(description="The current stage's due date; null when it has none.")
    overdue: bool = strawberry.field(description="The current stage is past its due date (terlambat).")
    warnings_acknowledged: bool = strawberry.field(
        description="The assessor has acknowledged the current logic warnings."
    )
    published_at: datetime | None
    finalised_at: datetime | None
    finalised_by: str | None
    created_by: str
    created_at: datetime
    revision: int
    documents: list[EvaluationDocument] = strawberry.field(
        description="The evaluation report (laporan hasil evaluasi, LHE) as Word and PDF."
    )
    version: int = strawberry.field(
        description="Versi of the unit's evaluation of the year: 1, and one more for each correction (koreksi)."
    )
    correction_reason: str | None = strawberry.field(
        description="Why this version corrects the FINAL one before it (alasan koreksi); null for version 1."
    )
    superseded_at: datetime | None = strawberry.field(
        description="When a FINAL correction replaced this FINAL version (digantikan); null while it stands."
    )

    @classmethod
    def of(cls, r: EvaluationRecord, today: date, ahead: EvaluationAhead | None = None) -> Self:
        complete = r.assessed == r.criteria
        # Every criterion answered, by the assessor or else by the unit: the total is a score.
        answered = sum(int(s["answered"]) for c in r.component_scores for s in c["subComponents"])
        grade = graded(r.total, answered, r.criteria)
        due = r.schedule.due(r.state, r.result_sent_on)
        s, sent = r.schedule, r.result_sent_on
        encoded = encode_id("Evaluation", r.id)
        return cls(
            record=r,
            ahead=ahead,
            id=strawberry.ID(encoded),
            year=r.year,
            state=r.state,
            stage_name=STAGE_NAMES[r.state],
            total=r.total,
            self_total=r.self_total,
            grade=grade,
            grade_label=GRADE_LABELS[grade] if grade else None,
            provisional_grade=Grade(r.grade),
            answered_self=r.answered_self,
            assessed=r.assessed,
            criteria_count=r.criteria,
            complete=complete,
            schedule=EvaluationSchedule(
                self_assessment_due=s.self_assessment_due,
                verification_due=s.verification_due,
                quality_assurance_due=s.quality_assurance_due,
                dispute_days=s.dispute_days,
                dispute_due=s.dispute_due(sent) if sent else None,
                verifier_dues=[
                    VerifierDue(verifier=v, due=s.verifier_due(v.value), own=v.value in dict(s.verifier_dues))
                    for v in Verifier
                ],
                quality_assurance_required=s.quality_assurance_required,
            ),
            current_due=due,
            overdue=due is not None and today > due,
            warnings_acknowledged=r.warnings_acknowledged_at is not None,
            published_at=r.published_at,
            finalised_at=r.finalised_at,
            finalised_by=r.finalised_by,
            created_by=r.created_by,
            created_at=r.created_at,
            revision=r.revision,
            version=r.version,
            correction_reason=r.correction_reason,
            superseded_at=r.superseded_at,
            documents=[
                EvaluationDocument(
                    evaluation_id=r.id,
                    format=f.upper(),
                    url=f"/dokumen/lhe/{encoded}.{f}",
                    final=r.state is Stage.FINAL,
                )
                for f in ("docx", "pdf")
            ],
        )

    def prepared_value(self, field_name: str, arguments: Mapping[str, Any]) -> Any:
        if self.ahead is None:
            return NOT_PREPARED
        if field_name == "unit":
            return self.ahead.unit
        if field_name == "components":
            return self.ahead.components
        if field_name == "recommendations":
            return self.ahead.recommendations
        return NOT_PREPARED

    def _readable(self, info: Info) -> bool:
        return may_read_evaluation(info.context.viewer, self.record.unit_path, self.record.evaluating_path)

    @strawberry.field(description="The caller may self-assess: an OPERATOR of the evaluated unit.")
    def can_self_assess(self, info: Info) -> bool:
        return info.context.viewer.may(Permission.SELF_ASSESS, self.record.unit_path)

    @strawberry.field(description="The caller may conduct the evaluation: an EVALUATOR of the evaluating government.")
    def can_conduct(self, info: Info) -> bool:
        return info.context.viewer.may(Permission.CONDUCT_EVALUATIONS, self.record.evaluating_path)

    @strawberry.field(
        description="The caller may assure the evaluation's quality: a QUALITY_ASSURER of the evaluating government."
    )
    def can_assure(self, info: Info) -> bool:
        return info.context.viewer.may(Permission.ASSURE_EVALUATIONS, self.record.evaluating_path)

    @strawberry.field(
        description="The caller may move the evaluation on with advanceEvaluation from its stage: an EVALUATOR, "
        "where the stage is the evaluator's to end (not quality assurance the schedule gives to the assurer)."
    )
    def can_advance(self, info: Info) -> bool:
        may_conduct = info.context.viewer.may(Permission.CONDUCT_EVALUATIONS, self.record.evaluating_path)
        return may_conduct and evaluator_may_advance(self.record.state, self.record.schedule)

    @strawberry.field(
        description="Quality assurance findings (temuan penjaminan kualitas) in the order raised: the evaluating "
        "team's working papers, null for anyone else (the evaluated unit too)."
    )
    async def quality_findings(self, info: Info) -> list[QualityFinding] | None:
        if not may_read_quality_findings(info.context.viewer, self.record.evaluating_path):
            return None
        return [
            QualityFinding.of(f) for f in await info.context.loaders.evaluations.quality_findings.load(self.record.id)
        ]

    @strawberry.field(description="Penjaminan kualitas: required or not, and its approval; null outside the scope.")
    def quality_assurance(self, info: Info) -> QualityAssurance | None:
        if not self._readable(info):
            return None
        r = self.record
        return QualityAssurance(
            required=r.schedule.quality_assurance_required,
            approved_by=r.quality_assured_by,
            approved_at=r.quality_assured_at,
            note=r.quality_note,
        )

    @strawberry.field(description="The evaluated unit (unit yang dievaluasi).")
    async def unit(self, info: Info) -> OrgUnit | None:
        found = await info.context.loaders.org_unit_by_id.load(self.record.org_unit_id)
        return OrgUnit.of(found) if found else None

    @strawberry.field(description="The model version the evaluation uses.")
    async def model(self, info: Info) -> EvaluationModel:
        conn = await info.context.connection()
        return EvaluationModel.of(self.record.model_id, await lke.model(conn, self.record.model_id))

    async def _answers(self, info: Info) -> list[AnswerRecord]:
        return await info.context.loaders.evaluations.answers.load(self.record.id)

    @strawberry.field(description="Scores per component and sub-component (public once published).")
    async def components(self, info: Info) -> list[ComponentScore]:
        return component_scores(await lke.model(await info.context.connection(), self.record.model_id), self.record)

    @strawberry.field(
        description="Each criterion with both answers, the computed proposal, evidence, warnings and dispute; "
        "null for a reader outside the evaluation's scope. Filter by component or criterion code."
    )
    async def criteria(
        self, info: Info, component_code: str | None = None, code: str | None = None
    ) -> list[CriterionAssessment] | None:
        if not self._readable(info):
            return None
        conn = await info.context.connection()
        model = await lke.model(conn, self.record.model_id)
        loaders = info.context.loaders.evaluations
        recorded = await loaders.answers.load(self.record.id)
        facts = await loaders.facts.load(self.record)
        answers = {a.criterion_code: a for a in recorded}
        warnings: dict[str, list[LogicWarning]] = {}
        for warning in _warnings(model, recorded):
            warnings.setdefault(warning.criterion_code, []).append(warning)
        evidence: dict[str, list[Evidence]] = {}
        for item in await loaders.evidence.load(self.record.id):
            evidence.setdefault(item.criterion_code, []).append(
                Evidence.of(item, self.record.unit_path, self.record.schedule, info.context.today)
            )
        disputes = {d.criterion_code: Dispute.of(d) for d in await loaders.disputes.load(self.record.id)}
        effective = effective_answers(recorded)
        found = []
        for component in model.components:
            if component_code is not None and component.code != component_code:
                continue
            for sub in component.sub_components:
                for criterion in sub.criteria:
                    if code is not None and criterion.code != code:
                        continue
                    answer = answers.get(criterion.code)
                    fact = facts.get(criterion.code)
                    found.append(
                        CriterionAssessment(
                            code=criterion.code,
                            text=criterion.text,
                            scale=criterion.scale,
                            options=_options(criterion),
                            component_code=component.code,
                            sub_component_code=sub.code,
                            self_answer=_side(criterion, answer, assessor=False),
                            assessor_answer=_side(criterion, answer, assessor=True),
                            effective_answer=effective.get(criterion.code),
                            computed=ComputedProposal(
                                value=fact.value, proposed_answer=fact.proposed, explanation=fact.explanation
                            )
                            if fact
                            else None,
                            evidence=evidence.get(criterion.code, []),
                            warnings=warnings.get(criterion.code, []),
                            dispute=disputes.get(criterion.code),
                        )
                    )
        return found

    @strawberry.field(description="Logic rules broken by either side's answers; null outside the scope.")
    async def warnings(self, info: Info) -> list[LogicWarning] | None:
        if not self._readable(info):
            return None
        conn = await info.context.connection()
        model = await lke.model(conn, self.record.model_id)
        return _warnings(model, await self._answers(info))

    @strawberry.field(description="Evidence of every criterion; null outside the scope.")
    async def evidence(self, info: Info) -> list[Evidence] | None:
        if not self._readable(info):
            return None
        return [
            Evidence.of(e, self.record.unit_path, self.record.schedule, info.context.today)
            for e in await info.context.loaders.evaluations.evidence.load(self.record.id)
        ]

    @strawberry.field(description="Disputes of the sent result (sanggahan); null outside the scope.")
    async def disputes(self, info: Info) -> list[Dispute] | None:
        if not self._readable(info):
            return None
        return [Dispute.of(d) for d in await info.context.loaders.evaluations.disputes.load(self.record.id)]

    @strawberry.field(description="Recommendations and their follow-up (public once published).")
    async def recommendations(self, info: Info) -> list[Recommendation]:
        found = await info.context.loaders.evaluations.recommendations.load(self.record.id)
        return [Recommendation.of(r) for r in found]

    @strawberry.field(description="The evaluator's narrative per component for the LHE (catatan per komponen).")
    def component_notes(self, info: Info) -> list[ComponentNote] | None:
        if not self._readable(info) and self.record.published_at is None:
            return None
        return [ComponentNote(component_code=k, text=v) for k, v in sorted(self.record.component_notes.items())]

    @strawberry.field(description="The FINAL version this one corrects, where visible (versi yang dikoreksi).")
    async def corrects(self, info: Info) -> "Evaluation | None":
        if self.record.corrects_id is None:
            return None
        versions = await info.context.loaders.evaluations.versions.load((self.record.org_unit_id, self.record.year))
        found = next((r for r in versions if r.id == self.record.corrects_id), None)
        return Evaluation.of(found, info.context.today) if found else None

    @strawberry.field(
        description="Every version of the unit's evaluation of this year the caller may see, oldest first (riwayat "
        "versi): the public sees published ones."
    )
    async def versions(self, info: Info) -> list["Evaluation"]:
        found = await info.context.loaders.evaluations.versions.load((self.record.org_unit_id, self.record.year))
        return [Evaluation.of(r, info.context.today) for r in found]

    @strawberry.field(description="The same unit's evaluation of the year before, where visible (tahun sebelumnya).")
    async def previous(self, info: Info) -> "Evaluation | None":
        # The latest version the caller may see, as evaluations(scope:) lists it.
        found = await info.context.loaders.evaluations.versions.load((self.record.org_unit_id, self.record.year - 1))
        return Evaluation.of(found[-1], info.context.today) if found else None


@dataclass(frozen=True)
class _Layout:
    """A model's components and sub-components with their weights as shown, built once per model
    (models are append-only): rounding the weights of every list row was a third of a dashboard."""

    code: str
    name: str
    weight: Decimal
    sub_components: tuple[tuple[str, str, Decimal, int], ...]


_LAYOUTS: dict[str, tuple[_Layout, ...]] = {}


def _layout(model: Model) -> tuple[_Layout, ...]:
    layout = _LAYOUTS.get(model.code)
    if layout is None:
        layout = _LAYOUTS[model.code] = tuple(
            _Layout(
                c.code,
                c.name,
                _decimal(c.weight),
                tuple((s.code, s.name, _decimal(s.weight), len(s.criteria)) for s in c.sub_components),
            )
            for c in model.components
        )
    return layout


def component_scores(model: Model, record: EvaluationRecord) -> list[ComponentScore]:
    """The kept scores (actions/lke.kept_scores) under the model's names and weights."""
    kept = {c["code"]: c for c in record.component_scores}
    found = []
    for component in _layout(model):
        scores = kept.get(component.code, {"score": "0", "subComponents": []})
        subs = {s["code"]: s for s in scores["subComponents"]}
        weight, score = component.weight, Decimal(scores["score"])
        found.append(
            ComponentScore(
                code=component.code,
                name=component.name,
                weight=weight,
                score=score,
                percent=(score * 100 / weight).quantize(PERCENT) if weight else Decimal(0),
                sub_components=[
                    SubComponentScore(
                        code=code,
                        name=name,
                        weight=sub_weight,
                        score=Decimal(subs[code]["score"]) if code in subs else ZERO,
                        answered=int(subs[code]["answered"]) if code in subs else 0,
                        criteria=criteria,
                    )
                    for code, name, sub_weight, criteria in component.sub_components
                ],
            )
        )
    return found


def _side(criterion: Criterion, answer: AnswerRecord | None, *, assessor: bool) -> CriterionAnswer | None:
    if answer is None:
        return None
    chosen = answer.assessor_answer if assessor else answer.self_answer
    if chosen is None:
        return None
    value = criterion.option(chosen).value
    return CriterionAnswer(
        answer=chosen,
        value=Decimal(value.numerator) / value.denominator,
        note=answer.assessor_note if assessor else answer.self_note,
        by=answer.assessor_by if assessor else answer.self_by,
        at=answer.assessor_at if assessor else answer.self_at,
    )


def _warnings(model: Model, answers: list[AnswerRecord]) -> list[LogicWarning]:
    found = [
        *logic_warnings(model, self_answers(answers), Side.SELF),
        *logic_warnings(model, assessor_answers(answers), Side.ASSESSOR),
    ]
    return [
        LogicWarning(criterion_code=w.criterion, comparator_code=w.comparator, message=w.message, side=w.side)
        for w in found
    ]


@strawberry.type(description="Result of an evaluation mutation.")
class EvaluationPayload:
    evaluation: Evaluation | None
    user_errors: list[UserError]


@strawberry.type(description="Result of addEvaluationEvidence.")
class EvidencePayload:
    evidence: Evidence | None
    evaluation: Evaluation | None
    user_errors: list[UserError]


@strawberry.type(description="Result of addEvaluationRecommendation and recordRecommendationFollowUp.")
class RecommendationPayload:
    recommendation: Recommendation | None
    evaluation: Evaluation | None
    user_errors: list[UserError]


@strawberry.input(description="Start an evaluation (mulai evaluasi) of a perangkat daerah or a pemda for a year.")
class StartEvaluationInput:
    org_unit_id: strawberry.ID = strawberry.field(description="A perangkat daerah, or a pemda's root unit.")
    year: int = strawberry.field(description="The year evaluated (tahun yang dievaluasi).")
    self_assessment_due: date
    verification_due: date
    quality_assurance_due: date
    model_code: str | None = strawberry.field(default=None, description="Default PERMENPANRB-88-2021.")
    dispute_days: int = strawberry.field(default=14, description="Days the unit may dispute a sent result.")
    verifier_dues: list["VerifierDueInput"] | None = strawberry.field(
        default=None,
        description="A verifier agency's own due date, between the self-assessment's and the verification stage's; "
        "an agency not named is due with the stage.",
    )
    require_quality_assurance: bool = strawberry.field(
        default=False,
        description="Only a QUALITY_ASSURER's approval ends the quality assurance stage (wajib penjaminan kualitas).",
    )


@strawberry.input(description="A verifier agency's own due date (batas verifikasi per instansi).")
class VerifierDueInput:
    verifier: Verifier
    due: date


@strawberry.input(description="New due dates of an evaluation's stages (perubahan jadwal), before it is FINAL.")
class UpdateEvaluationScheduleInput:
    evaluation_id: strawberry.ID
    self_assessment_due: date
    verification_due: date
    quality_assurance_due: date
    dispute_days: int = strawberry.field(default=14, description="Days the unit may dispute a sent result.")
    verifier_dues: list[VerifierDueInput] | None = strawberry.field(
        default=None,
        description="The verifier agencies' own due dates, replacing the ones set; null keeps them, [] drops them.",
    )
    require_quality_assurance: bool | None = strawberry.field(
        default=None, description="Whether only the quality assurer's approval ends that stage; null keeps it."
    )


@strawberry.input(description="One side's answer to a criterion.")
class CriterionAnswerInput:
    criterion_code: str
    answer: str = strawberry.field(description="One of the criterion's options, e.g. A or Y.")
    note: str | None = strawberry.field(
        default=None,
        description="Keterangan; the assessor's is required "
        "when the answer differs from the platform's computed proposal.",
    )


@strawberry.input(description="Answers of one side, all or nothing.")
class SaveEvaluationAnswersInput:
    evaluation_id: strawberry.ID
    answers: list[CriterionAnswerInput]


@strawberry.input(description="An evaluation named by its id.")
class EvaluationInput:
    evaluation_id: strawberry.ID


@strawberry.input(
    description="Correct a FINAL result (koreksi): a new version at final scoring, copied from it, with the reason."
)
class CorrectEvaluationInput:
    evaluation_id: strawberry.ID = strawberry.field(description="The FINAL version to correct (its latest).")
    reason: str = strawberry.field(description="Alasan koreksi, kept with the new version and in the audit log.")


@strawberry.input(description="Move an evaluation on, from the stage the caller saw.")
class AdvanceEvaluationInput:
    evaluation_id: strawberry.ID
    from_stage: Stage


@strawberry.input(
    description=(
        "A file of evidence: base64-encoded in the request (at most 2 MB of bytes), or sent as a file of a "
        "multipart request (GraphQL multipart request spec, at most 20 MB). Exactly one of the two."
    )
)
class EvidenceFileInput:
    name: str
    content_base64: str | None = strawberry.field(default=None, description="The bytes, base64 (at most 2 MB).")
    upload: Upload | None = strawberry.field(
        default=None, description="The file of a multipart request (at most 20 MB; unggahan berkas)."
    )


@strawberry.input(description="Evidence of a criterion: exactly one of a file, a link or a platform document.")
class AddEvaluationEvidenceInput:
    evaluation_id: strawberry.ID
    criterion_code: str
    title: str
    url: str | None = None
    document_id: strawberry.ID | None = strawberry.field(
        default=None, description="The id of an LkjipVersion, AgreementVersion or published PlanVersion."
    )
    file: EvidenceFileInput | None = None
    replaces_evidence_id: strawberry.ID | None = strawberry.field(
        default=None, description="The rejected item this one corrects."
    )


@strawberry.input(description="The verifier's decision on an item of evidence.")
class VerifyEvaluationEvidenceInput:
    evidence_id: strawberry.ID
    accept: bool
    reason: str | None = strawberry.field(default=None, description="Required when rejecting (alasan penolakan).")


@strawberry.input(description="A criterion the unit disputes (sanggahan) and why.")
class CriterionDisputeInput:
    criterion_code: str
    reason: str


@strawberry.input(description="The unit's disputes of a sent result.")
class DisputeEvaluationInput:
    evaluation_id: strawberry.ID
    disputes: list[CriterionDisputeInput]


@strawberry.input(description="The assessor's answer to a dispute.")
class ResolveEvaluationDisputeInput:
    evaluation_id: strawberry.ID
    criterion_code: str
    rebuttal: str = strawberry.field(description="Tanggapan evaluator.")
    answer: str | None = strawberry.field(default=None, description="A changed answer; null keeps the current one.")


@strawberry.input(description="A finding of the quality assurer on a criterion's scoring.")
class QualityFindingInput:
    criterion_code: str
    note: str = strawberry.field(description="Catatan temuan penjaminan kualitas.")


@strawberry.input(description="The quality assurer's findings, all or nothing, in the quality assurance stage.")
class RaiseQualityFindingsInput:
    evaluation_id: strawberry.ID
    findings: list[QualityFindingInput]


@strawberry.input(description="The assessor's answer to an open quality assurance finding.")
class AnswerQualityFindingInput:
    evaluation_id: strawberry.ID
    criterion_code: str
    response: str = strawberry.field(description="Tanggapan evaluator atas temuan.")
    answer: str | None = strawberry.field(default=None, description="A changed answer; null keeps the current one.")


@strawberry.input(description="The quality assurer's approval of the scoring, from the stage the caller saw.")
class ApproveQualityAssuranceInput:
    evaluation_id: strawberry.ID
    from_stage: Stage = strawberry.field(description="QUALITY_ASSURANCE, as the caller saw it.")
    note: str | None = strawberry.field(default=None, description="Catatan persetujuan, optional.")


@strawberry.input(description="A recommendation (rekomendasi) of a criterion or a component.")
class AddEvaluationRecommendationInput:
    evaluation_id: strawberry.ID
    text: str
    criterion_code: str | None = None
    component_code: str | None = None


@strawberry.input(description="The follow-up (tindak lanjut) of a recommendation of a FINAL evaluation.")
class RecordRecommendationFollowUpInput:
    recommendation_id: strawberry.ID
    action_plan: str
    person_in_charge: str
    progress: int = strawberry.field(description="0–100 %.")
    target_date: date | None = None
    evidence_url: str | None = None


@strawberry.input(description="The evaluator's narrative of a component for the LHE; empty text removes it.")
class ComponentNoteInput:
    component_code: str
    text: str


@strawberry.input(description="Component notes of an evaluation.")
class SaveEvaluationNotesInput:
    evaluation_id: strawberry.ID
    notes: list[ComponentNoteInput]
