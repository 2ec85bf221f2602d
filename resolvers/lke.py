"""SAKIP evaluation queries and mutations (actions/lke.py): models, evaluations in scope, and a
mutation for every step, each answering the evaluation as it stands after the write."""

import base64
import binascii
from collections.abc import Awaitable, Callable
from datetime import date
from typing import TypeVar

import strawberry
from sqlalchemy.ext.asyncio import AsyncConnection
from starlette.datastructures import UploadFile

from actions import lke
from actions.lke import (
    AnswerInput,
    DisputeInput,
    EvidenceInput,
    FindingInput,
    FollowUpInput,
    RecommendationInput,
    StartInput,
)
from documents.lhe import render_lhe
from domain.errors import DomainError
from domain.evidence import MAX_UPLOADED_EVIDENCE_BYTES, EvidenceFile
from domain.lke_stages import Schedule
from resolvers.scopes import scope_path
from resolvers.writes import Outcome, in_transaction, user_errors
from schema.ids import decode_id, decode_id_of, encode_id
from schema.lke import (
    AddEvaluationEvidenceInput,
    AddEvaluationRecommendationInput,
    AdvanceEvaluationInput,
    AnswerQualityFindingInput,
    ApproveQualityAssuranceInput,
    CorrectEvaluationInput,
    DisputeEvaluationInput,
    Evaluation,
    EvaluationAhead,
    EvaluationInput,
    EvaluationModel,
    EvaluationPayload,
    Evidence,
    EvidenceFileInput,
    EvidencePayload,
    RaiseQualityFindingsInput,
    Recommendation,
    RecommendationPayload,
    RecordRecommendationFollowUpInput,
    ResolveEvaluationDisputeInput,
    SaveEvaluationAnswersInput,
    SaveEvaluationNotesInput,
    StartEvaluationInput,
    UpdateEvaluationScheduleInput,
    VerifierDueInput,
    VerifyEvaluationEvidenceInput,
    component_scores,
)
from schema.types import Info, OrgUnit
from store import lke as lke_store

T = TypeVar("T")
NO_EVALUATION = DomainError("NOT_FOUND", "Evaluasi tidak ditemukan.", "evaluationId")
ONE_CONTENT = "Kirim isi berkas dengan tepat satu cara: base64 (contentBase64) atau unggahan multipart (upload)."
DOCUMENT_KINDS = {"LkjipVersion": "LKJIP", "AgreementVersion": "AGREEMENT", "PlanVersion": "PLAN"}


async def evaluation_models(info: Info) -> list[EvaluationModel]:
    """Every model version (public: the criteria are the regulation's)."""
    found = await lke_store.models(await info.context.connection())
    return [EvaluationModel.of(record.id, record.model) for record in found]


async def _visible(info: Info, evaluation_pk: int) -> Evaluation | None:
    # After a write in this request, the loaded details of the evaluation are stale.
    info.context.loaders.evaluations.forget(evaluation_pk)
    conn = await info.context.connection()
    found = await lke_store.visible_evaluations(conn, info.context.viewer, ids=[evaluation_pk])
    return Evaluation.of(found[0], info.context.today) if found else None


async def evaluation(info: Info, id: strawberry.ID) -> Evaluation | None:
    evaluation_pk = decode_id_of(id, "Evaluation")
    return await _visible(info, evaluation_pk) if evaluation_pk is not None else None


async def evaluations(info: Info, scope: strawberry.ID, year: int | None = None) -> list[Evaluation]:
    """Evaluations of units under a Government or OrgUnit: in the caller's scope, or published."""
    path = await scope_path(info, scope, argument="scope")
    if path is None:
        return []
    conn = await info.context.connection()
    found = await lke_store.visible_evaluations(conn, info.context.viewer, under_path=path, year=year)
    # Loaded for the whole list ahead, so its common shape completes in one pass (api/completion.py).
    loaders = info.context.loaders
    units = await loaders.org_unit_by_id.load_many([r.org_unit_id for r in found])
    recommendations = await loaders.evaluations.recommendations.load_many([r.id for r in found])
    models = {r.model_id: await lke_store.model(conn, r.model_id) for r in found}
    return [
        Evaluation.of(
            record,
            info.context.today,
            EvaluationAhead(
                OrgUnit.of(unit) if unit else None,
                component_scores(models[record.model_id], record),
                [Recommendation.of(r) for r in given],
            ),
        )
        for record, unit, given in zip(found, units, recommendations, strict=True)
    ]


async def _write(
    info: Info, evaluation_id: strawberry.ID | None, action: Callable[[AsyncConnection, int], Awaitable[T]]
) -> tuple[Outcome[T], Evaluation | None]:
    """Run an action on the evaluation an id names; then read it back as the caller may."""
    evaluation_pk = decode_id_of(evaluation_id, "Evaluation") if evaluation_id is not None else None
    if evaluation_pk is None:
        return Outcome(None, user_errors([NO_EVALUATION])), None
    done = await in_transaction(info, lambda conn: action(conn, evaluation_pk))
    return done, (None if done.user_errors else await _visible(info, evaluation_pk))


async def _payload(
    info: Info, evaluation_id: strawberry.ID | None, action: Callable[[AsyncConnection, int], Awaitable[object]]
) -> EvaluationPayload:
    done, found = await _write(info, evaluation_id, action)
    return EvaluationPayload(evaluation=found, user_errors=done.user_errors)


def _answers(input: SaveEvaluationAnswersInput) -> list[AnswerInput]:
    return [AnswerInput(a.criterion_code, a.answer, a.note) for a in input.answers]


async def start_evaluation(info: Info, input: StartEvaluationInput) -> EvaluationPayload:
    unit_pk = decode_id_of(input.org_unit_id, "OrgUnit")
    if unit_pk is None:
        error = DomainError("NOT_FOUND", "Unit kerja tidak ditemukan.", "orgUnitId")
        return EvaluationPayload(evaluation=None, user_errors=user_errors([error]))
    given = StartInput(unit_pk, input.year, input.model_code, _schedule(input, input.require_quality_assurance))
    done = await in_transaction(info, lambda conn: lke.start_evaluation(conn, caller=info.context.caller, given=given))
    found = await _visible(info, done.value) if done.value else None
    return EvaluationPayload(evaluation=found, user_errors=done.user_errors)


async def update_evaluation_schedule(info: Info, input: UpdateEvaluationScheduleInput) -> EvaluationPayload:
    caller, keep = info.context.caller, input.verifier_dues is None
    keep_assurance = input.require_quality_assurance is None
    schedule = _schedule(input, bool(input.require_quality_assurance))
    return await _payload(
        info,
        input.evaluation_id,
        lambda conn, pk: lke.update_schedule(
            conn,
            caller=caller,
            evaluation_id=pk,
            schedule=schedule,
            keep_verifier_dues=keep,
            keep_quality_assurance=keep_assurance,
        ),
    )


def _schedule(input: StartEvaluationInput | UpdateEvaluationScheduleInput, assured: bool) -> Schedule:
    return Schedule(
        input.self_assessment_due,
        input.verification_due,
        input.quality_assurance_due,
        input.dispute_days,
        _verifier_dues(input.verifier_dues),
        assured,
    )


def _verifier_dues(given: list[VerifierDueInput] | None) -> tuple[tuple[str, date], ...]:
    return tuple((d.verifier.value, d.due) for d in given or [])


async def save_self_assessment(info: Info, input: SaveEvaluationAnswersInput) -> EvaluationPayload:
    caller, today, answers = info.context.caller, info.context.today, _answers(input)
    return await _payload(
        info,
        input.evaluation_id,
        lambda conn, pk: lke.save_self_assessment(conn, caller=caller, evaluation_id=pk, answers=answers, today=today),
    )


async def submit_self_assessment(info: Info, input: EvaluationInput) -> EvaluationPayload:
    caller, today = info.context.caller, info.context.today
    return await _payload(
        info,
        input.evaluation_id,
        lambda conn, pk: lke.submit_self_assessment(conn, caller=caller, evaluation_id=pk, today=today),
    )


async def _file(given: EvidenceFileInput) -> EvidenceFile | DomainError:
    """The file's bytes, from the request's base64 or from a multipart request's file (read no
    further than one byte past its limit: enough to refuse it)."""
    if (given.content_base64 is None) == (given.upload is None):
        return DomainError("FILE_CONTENT_REQUIRED", ONE_CONTENT, "file.contentBase64")
    if given.content_base64 is not None:
        try:
            return EvidenceFile(given.name, base64.b64decode(given.content_base64, validate=True))
        except (binascii.Error, ValueError):
            return DomainError("INVALID_BASE64", "Isi berkas bukan base64 yang sah.", "file.contentBase64")
    upload: object = given.upload
    if not isinstance(upload, UploadFile):  # a string where a multipart request's file belongs
        return DomainError("FILE_CONTENT_REQUIRED", ONE_CONTENT, "file.upload")
    content = await upload.read(MAX_UPLOADED_EVIDENCE_BYTES + 1)
    return EvidenceFile(given.name, content, limit=MAX_UPLOADED_EVIDENCE_BYTES)


async def _evidence(input: AddEvaluationEvidenceInput) -> EvidenceInput | DomainError:
    file = await _file(input.file) if input.file is not None else None
    if isinstance(file, DomainError):
        return file
    kind = document_pk = None
    if input.document_id is not None:
        decoded = decode_id(input.document_id)
        if decoded is None or decoded[0] not in DOCUMENT_KINDS:
            return DomainError("DOCUMENT_NOT_FOUND", "Dokumen tidak ditemukan.", "documentId")
        kind, document_pk = DOCUMENT_KINDS[decoded[0]], decoded[1]
    replaces = decode_id_of(input.replaces_evidence_id, "Evidence") if input.replaces_evidence_id else None
    if input.replaces_evidence_id and replaces is None:
        return DomainError("NOT_FOUND", "Bukti dukung yang diperbaiki tidak ditemukan.", "replacesEvidenceId")
    return EvidenceInput(input.criterion_code, input.title, input.url, kind, document_pk, file, replaces)


async def add_evaluation_evidence(info: Info, input: AddEvaluationEvidenceInput) -> EvidencePayload:
    given, caller, today = await _evidence(input), info.context.caller, info.context.today
    files = info.context.services.files
    if isinstance(given, DomainError):
        return EvidencePayload(evidence=None, evaluation=None, user_errors=user_errors([given]))
    done, found = await _write(
        info,
        input.evaluation_id,
        lambda conn, pk: lke.add_evidence(conn, caller=caller, evaluation_id=pk, given=given, today=today, files=files),
    )
    item = await _evidence_item(info, found, encode_id("Evidence", done.value or 0))
    return EvidencePayload(evidence=item, evaluation=found, user_errors=done.user_errors)


async def _evidence_item(info: Info, found: Evaluation | None, evidence_id: str) -> Evidence | None:
    items = (await found.evidence(info) or []) if found else []
    return next((e for e in items if e.id == evidence_id), None)


async def verify_evaluation_evidence(info: Info, input: VerifyEvaluationEvidenceInput) -> EvidencePayload:
    evidence_pk = decode_id_of(input.evidence_id, "Evidence") or 0
    caller = info.context.caller
    done = await in_transaction(
        info,
        lambda conn: lke.verify_evidence(
            conn, caller=caller, evidence_id=evidence_pk, accept=input.accept, reason=input.reason
        ),
    )
    found = await _visible(info, done.value) if done.value else None
    item = await _evidence_item(info, found, input.evidence_id)
    return EvidencePayload(evidence=item, evaluation=found, user_errors=done.user_errors)


async def save_assessment(info: Info, input: SaveEvaluationAnswersInput) -> EvaluationPayload:
    caller, today, answers = info.context.caller, info.context.today, _answers(input)
    return await _payload(
        info,
        input.evaluation_id,
        lambda conn, pk: lke.save_assessment(conn, caller=caller, evaluation_id=pk, answers=answers, today=today),
    )


async def acknowledge_evaluation_warnings(info: Info, input: EvaluationInput) -> EvaluationPayload:
    caller = info.context.caller
    return await _payload(
        info, input.evaluation_id, lambda conn, pk: lke.acknowledge_warnings(conn, caller=caller, evaluation_id=pk)
    )


async def advance_evaluation(info: Info, input: AdvanceEvaluationInput) -> EvaluationPayload:
    caller, today = info.context.caller, info.context.today
    return await _payload(
        info,
        input.evaluation_id,
        lambda conn, pk: lke.advance(conn, caller=caller, evaluation_id=pk, from_stage=input.from_stage, today=today),
    )


async def dispute_evaluation(info: Info, input: DisputeEvaluationInput) -> EvaluationPayload:
    caller, today = info.context.caller, info.context.today
    items = [DisputeInput(d.criterion_code, d.reason) for d in input.disputes]
    return await _payload(
        info,
        input.evaluation_id,
        lambda conn, pk: lke.dispute(conn, caller=caller, evaluation_id=pk, items=items, today=today),
    )


async def resolve_evaluation_dispute(info: Info, input: ResolveEvaluationDisputeInput) -> EvaluationPayload:
    caller = info.context.caller
    return await _payload(
        info,
        input.evaluation_id,
        lambda conn, pk: lke.resolve_dispute(
            conn,
            caller=caller,
            evaluation_id=pk,
            criterion_code=input.criterion_code,
            answer=input.answer,
            rebuttal=input.rebuttal,
        ),
    )


async def raise_quality_findings(info: Info, input: RaiseQualityFindingsInput) -> EvaluationPayload:
    caller = info.context.caller
    items = [FindingInput(f.criterion_code, f.note) for f in input.findings]
    return await _payload(
        info,
        input.evaluation_id,
        lambda conn, pk: lke.raise_quality_findings(conn, caller=caller, evaluation_id=pk, items=items),
    )


async def answer_quality_finding(info: Info, input: AnswerQualityFindingInput) -> EvaluationPayload:
    caller = info.context.caller
    return await _payload(
        info,
        input.evaluation_id,
        lambda conn, pk: lke.answer_quality_finding(
            conn,
            caller=caller,
            evaluation_id=pk,
            criterion_code=input.criterion_code,
            answer=input.answer,
            response=input.response,
        ),
    )


async def approve_quality_assurance(info: Info, input: ApproveQualityAssuranceInput) -> EvaluationPayload:
    caller = info.context.caller
    return await _payload(
        info,
        input.evaluation_id,
        lambda conn, pk: lke.approve_quality_assurance(
            conn, caller=caller, evaluation_id=pk, from_stage=input.from_stage, note=input.note
        ),
    )


async def finalise_evaluation(info: Info, input: EvaluationInput) -> EvaluationPayload:
    caller = info.context.caller
    return await _payload(
        info,
        input.evaluation_id,
        lambda conn, pk: lke.finalise(conn, caller=caller, evaluation_id=pk, render=render_lhe),
    )


async def publish_evaluation(info: Info, input: EvaluationInput) -> EvaluationPayload:
    caller = info.context.caller
    return await _payload(
        info, input.evaluation_id, lambda conn, pk: lke.publish(conn, caller=caller, evaluation_id=pk)
    )


async def correct_evaluation(info: Info, input: CorrectEvaluationInput) -> EvaluationPayload:
    """The new version comes back, not the corrected one the input names."""
    evaluation_pk = decode_id_of(input.evaluation_id, "Evaluation")
    if evaluation_pk is None:
        return EvaluationPayload(evaluation=None, user_errors=user_errors([NO_EVALUATION]))
    caller, reason = info.context.caller, input.reason
    done = await in_transaction(
        info, lambda conn: lke.correct(conn, caller=caller, evaluation_id=evaluation_pk, reason=reason)
    )
    found = await _visible(info, done.value) if done.value else None
    return EvaluationPayload(evaluation=found, user_errors=done.user_errors)


async def save_evaluation_notes(info: Info, input: SaveEvaluationNotesInput) -> EvaluationPayload:
    caller, notes = info.context.caller, {n.component_code: n.text for n in input.notes}
    return await _payload(
        info,
        input.evaluation_id,
        lambda conn, pk: lke.save_component_notes(conn, caller=caller, evaluation_id=pk, notes=notes),
    )


async def _recommendation(info: Info, found: Evaluation | None, recommendation_pk: int | None) -> Recommendation | None:
    if found is None or recommendation_pk is None:
        return None
    wanted = encode_id("Recommendation", recommendation_pk)
    return next((r for r in await found.recommendations(info) if r.id == wanted), None)


async def add_evaluation_recommendation(info: Info, input: AddEvaluationRecommendationInput) -> RecommendationPayload:
    caller = info.context.caller
    given = RecommendationInput(input.text, input.criterion_code, input.component_code)
    done, found = await _write(
        info,
        input.evaluation_id,
        lambda conn, pk: lke.add_recommendation(conn, caller=caller, evaluation_id=pk, given=given),
    )
    recommendation = await _recommendation(info, found, done.value)
    return RecommendationPayload(recommendation=recommendation, evaluation=found, user_errors=done.user_errors)


async def record_recommendation_follow_up(
    info: Info, input: RecordRecommendationFollowUpInput
) -> RecommendationPayload:
    recommendation_pk = decode_id_of(input.recommendation_id, "Recommendation") or 0
    given = FollowUpInput(
        input.action_plan, input.target_date, input.person_in_charge, input.progress, input.evidence_url
    )
    done = await in_transaction(
        info,
        lambda conn: lke.record_follow_up(
            conn, caller=info.context.caller, recommendation_id=recommendation_pk, given=given
        ),
    )
    found = await _visible(info, done.value) if done.value else None
    recommendation = await _recommendation(info, found, recommendation_pk)
    return RecommendationPayload(recommendation=recommendation, evaluation=found, user_errors=done.user_errors)
