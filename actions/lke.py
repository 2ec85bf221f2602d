"""Writes of the SAKIP evaluation (domain/lke.py, domain/lke_stages.py): starting one, both sides'
answers, evidence and its verification, the evaluator's stages, disputes, recommendations and
their follow-up, the result's finalisation, publication and correction as a new version.

Every write that changes an answer rescores the evaluation in the same transaction, so the kept
total and grade the dashboards list are never stale.
"""

from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date

from sqlalchemy import func
from sqlalchemy.ext.asyncio import AsyncConnection

from actions import audit
from actions.agreements import MAX_YEAR, MIN_YEAR
from actions.caller import Caller
from domain.errors import DomainError, DomainErrors
from domain.evidence import EvidenceFile, check_file, check_link
from domain.lke import (
    Model,
    Score,
    Side,
    check_note,
    checked_answers,
    counted_answer,
    logic_warnings,
    rounded,
    score,
)
from domain.lke_stages import (
    ASSESSING,
    EVIDENCE_OPEN,
    Readiness,
    Schedule,
    Stage,
    check_advance,
    check_final,
    check_independent,
    check_quality_approval,
    require,
    require_before,
)
from domain.workflow import REPORTING_UNIT_KINDS
from policies.permissions import VERIFIER_PERMISSIONS, Permission
from policies.scopes import may_read_evaluation
from store import audit as audit_log
from store import hierarchy, lke, lke_facts, lke_quality
from store.files import FileStore
from store.lke import AnswerRecord, EvaluationRecord

# Prints an evaluation's LHE as (docx, pdf) from the data in the caller's transaction.
ReportRenderer = Callable[[AsyncConnection, EvaluationRecord], Awaitable[tuple[bytes, bytes]]]
DEFAULT_MODEL = "PERMENPANRB-88-2021"
MAX_TEXT = 4000
NOT_FOUND = DomainError("NOT_FOUND", "Evaluasi tidak ditemukan.", "evaluationId")


def _text(value: str | None, field: str, *, required: str | None = None) -> str:
    cleaned = (value or "").strip()
    if required is not None and not cleaned:
        raise DomainError("REASON_REQUIRED", required, field)
    if len(cleaned) > MAX_TEXT:
        raise DomainError("TEXT_TOO_LONG", f"Teks paling banyak {MAX_TEXT} karakter.", field)
    return cleaned


async def _evaluation(conn: AsyncConnection, caller: Caller, evaluation_id: int) -> EvaluationRecord:
    """The evaluation, locked for the write, if the caller may read it at all."""
    record = await lke.evaluation(conn, evaluation_id, lock=True)
    if record is None or not may_read_evaluation(caller.viewer, record.unit_path, record.evaluating_path):
        raise NOT_FOUND
    return record


def _as_evaluator(caller: Caller, record: EvaluationRecord) -> None:
    if not caller.viewer.may(Permission.CONDUCT_EVALUATIONS, record.evaluating_path):
        raise DomainError("FORBIDDEN", "Hanya evaluator yang berwenang atas evaluasi ini.", "evaluationId")


def _as_assurer(caller: Caller, record: EvaluationRecord) -> None:
    if not caller.viewer.may(Permission.ASSURE_EVALUATIONS, record.evaluating_path):
        raise DomainError("FORBIDDEN", "Hanya penjamin kualitas yang berwenang atas evaluasi ini.", "evaluationId")


def _as_evaluated_unit(caller: Caller, record: EvaluationRecord) -> None:
    if not caller.viewer.may(Permission.SELF_ASSESS, record.unit_path):
        raise DomainError("FORBIDDEN", "Hanya operator unit yang dievaluasi yang dapat melakukannya.", "evaluationId")


def _audit(
    caller: Caller,
    action: str,
    record: EvaluationRecord,
    *,
    old: Mapping[str, object] | None = None,
    new: Mapping[str, object] | None = None,
    reason: str | None = None,
) -> audit_log.AuditEntry:
    return audit.entry(
        caller,
        action,
        entity_id=str(record.id),
        scope_path=record.unit_path,
        old=dict(old) if old is not None else None,
        new=dict(new) if new is not None else None,
        reason=reason,
    )


def effective_answers(answers: Sequence[AnswerRecord]) -> dict[str, str]:
    """Each criterion's answer as the score counts it (domain.lke.counted_answer)."""
    chosen = {a.criterion_code: counted_answer(a.self_answer, a.assessor_answer) for a in answers}
    return {code: answer for code, answer in chosen.items() if answer is not None}


def self_answers(answers: Sequence[AnswerRecord]) -> dict[str, str]:
    return {a.criterion_code: a.self_answer for a in answers if a.self_answer is not None}


def assessor_answers(answers: Sequence[AnswerRecord]) -> dict[str, str]:
    return {a.criterion_code: a.assessor_answer for a in answers if a.assessor_answer is not None}


def with_given(
    answers: Sequence[AnswerRecord], given: Mapping[str, tuple[str, str]], *, assessor: bool, record: EvaluationRecord
) -> list[AnswerRecord]:
    """The answers once `given` is written (save_answers): the score needs no second read."""
    found = {a.criterion_code: a for a in answers}
    for code, (answer, note) in given.items():
        current = found.get(code) or AnswerRecord(record.id, code, None, "", None, None, None, "", None, None)
        side = (
            {"assessor_answer": answer, "assessor_note": note}
            if assessor
            else {"self_answer": answer, "self_note": note}
        )
        found[code] = replace(current, **side)  # type: ignore[arg-type]
    return list(found.values())


def kept_scores(result: Score) -> list[dict[str, object]]:
    """Component and sub-component scores as shown, kept beside the total for the lists."""
    return [
        {
            "code": c.code,
            "score": str(rounded(c.score)),
            "subComponents": [
                {"code": s.code, "score": str(rounded(s.score)), "answered": s.answered, "criteria": s.criteria}
                for s in c.sub_components
            ],
        }
        for c in result.components
    ]


async def _rescore(
    conn: AsyncConnection,
    record: EvaluationRecord,
    model: Model,
    answers: Sequence[AnswerRecord],
    *,
    self_changed: bool = False,
    **also: object,
) -> Score:
    """The kept score of the evaluation from its answers as they now stand (the unit's own score
    again only when its answers changed: the assessor's writes leave it as it is)."""
    result = score(model, effective_answers(answers))
    if self_changed:
        own = score(model, self_answers(answers))
        also = {**also, "self_total": own.total, "answered_self": own.answered}
    await lke.update_evaluation(
        conn,
        record,
        total=result.total,
        grade=result.grade.value,
        assessed=len(assessor_answers(answers)),
        component_scores=kept_scores(result),
        **also,
    )
    return result


@dataclass(frozen=True)
class StartInput:
    org_unit_id: int
    year: int
    model_code: str | None
    schedule: Schedule


async def start_evaluation(conn: AsyncConnection, *, caller: Caller, given: StartInput) -> int:
    """An evaluation of a perangkat daerah by its pemda's Inspektorat, or of a kabupaten/kota
    (its root unit) by the province; the evaluator needs a grant over the evaluating government."""
    if not MIN_YEAR <= given.year <= MAX_YEAR:
        raise DomainError("INVALID_YEAR", f"Tahun harus antara {MIN_YEAR} dan {MAX_YEAR}.", "year")
    found = await hierarchy.unit_with_government(conn, caller.viewer, given.org_unit_id)
    if found is None:
        raise DomainError("NOT_FOUND", "Unit kerja tidak ditemukan.", "orgUnitId")
    unit, government = found
    if unit.kind not in REPORTING_UNIT_KINDS:
        raise DomainError(
            "NOT_EVALUABLE", "Evaluasi SAKIP dilakukan atas perangkat daerah atau pemerintah daerah.", "orgUnitId"
        )
    evaluating_path = government.path
    if unit.parent_id is None and government.parent_id is not None:
        parents = await hierarchy.governments_by_ids(conn, caller.viewer, [government.parent_id])
        evaluating_path = parents[0].path if parents else government.path
    if not caller.viewer.may(Permission.CONDUCT_EVALUATIONS, evaluating_path):
        raise DomainError("FORBIDDEN", "Anda tidak berwenang mengevaluasi unit ini.", "orgUnitId")
    given.schedule.check()
    model_id = await lke.model_id_by_code(conn, (given.model_code or DEFAULT_MODEL).strip())
    if model_id is None:
        raise DomainError("UNKNOWN_MODEL", "Model evaluasi tidak ditemukan.", "modelCode")
    if await lke.evaluation_of(conn, unit.id, given.year) is not None:
        raise DomainError("ALREADY_EXISTS", f"Evaluasi {unit.name} tahun {given.year} sudah ada.", "orgUnitId")
    model = await lke.model(conn, model_id)
    evaluation_id = await lke.insert_evaluation(
        conn,
        unit_id=unit.id,
        province_code=unit.path.split("/", 1)[0],
        year=given.year,
        model_id=model_id,
        evaluating_path=evaluating_path,
        schedule=given.schedule,
        criteria=len(model.criteria),
        actor=caller.actor,
    )
    record = await lke.evaluation(conn, evaluation_id)
    assert record is not None
    schedule = given.schedule
    new: dict[str, object] = {
        "unit": unit.id,
        "year": given.year,
        "model": model.code,
        "selfAssessmentDue": schedule.self_assessment_due.isoformat(),
        "verificationDue": schedule.verification_due.isoformat(),
        "qualityAssuranceDue": schedule.quality_assurance_due.isoformat(),
        "disputeDays": schedule.dispute_days,
        "verifierDues": lke.verifier_dues_value(schedule),
        "qualityAssuranceRequired": schedule.quality_assurance_required,
    }
    await audit_log.append(conn, [_audit(caller, "evaluation.start", record, new=new)])
    return evaluation_id


async def update_schedule(
    conn: AsyncConnection,
    *,
    caller: Caller,
    evaluation_id: int,
    schedule: Schedule,
    keep_verifier_dues: bool = False,
    keep_quality_assurance: bool = False,
) -> None:
    """New due dates (an extension), by the evaluator, before the evaluation is FINAL; the verifier
    agencies' own dates and whether quality assurance needs the assurer stay as they were unless
    given (`keep_verifier_dues`, `keep_quality_assurance`)."""
    record = await _evaluation(conn, caller, evaluation_id)
    _as_evaluator(caller, record)
    require(record.state, set(Stage) - {Stage.FINAL}, "Perubahan jadwal")
    if keep_verifier_dues:
        schedule = replace(schedule, verifier_dues=record.schedule.verifier_dues)
    if keep_quality_assurance:
        schedule = replace(schedule, quality_assurance_required=record.schedule.quality_assurance_required)
    schedule.check()
    before = record.schedule
    await lke.update_evaluation(
        conn,
        record,
        self_assessment_due=schedule.self_assessment_due,
        verification_due=schedule.verification_due,
        quality_assurance_due=schedule.quality_assurance_due,
        dispute_days=schedule.dispute_days,
        verifier_dues=lke.verifier_dues_value(schedule),
        quality_assurance_required=schedule.quality_assurance_required,
    )

    def shown(s: Schedule) -> dict[str, object]:
        return {
            "selfAssessmentDue": s.self_assessment_due.isoformat(),
            "verificationDue": s.verification_due.isoformat(),
            "qualityAssuranceDue": s.quality_assurance_due.isoformat(),
            "disputeDays": s.dispute_days,
            "verifierDues": lke.verifier_dues_value(s),
            "qualityAssuranceRequired": s.quality_assurance_required,
        }

    await audit_log.append(
        conn, [_audit(caller, "evaluation.schedule", record, old=shown(before), new=shown(schedule))]
    )


@dataclass(frozen=True)
class AnswerInput:
    criterion_code: str
    answer: str
    note: str | None = None


def _checked(model: Model, given: Sequence[AnswerInput]) -> dict[str, tuple[str, str]]:
    if not given:
        raise DomainError("EMPTY_BATCH", "Isi paling sedikit satu jawaban.", "answers")
    answers = checked_answers(model, [(a.criterion_code, a.answer) for a in given], "answers")
    errors: list[DomainError] = []
    notes: dict[str, str] = {}
    for index, item in enumerate(given):
        try:
            notes[item.criterion_code.strip()] = check_note(item.note, f"answers.{index}.note")
        except DomainError as error:
            errors.append(error)
    if errors:
        raise DomainErrors(errors)
    return {code: (answer, notes.get(code, "")) for code, answer in answers.items()}


async def save_self_assessment(
    conn: AsyncConnection, *, caller: Caller, evaluation_id: int, answers: Sequence[AnswerInput], today: date
) -> Score:
    """The unit's own answers and notes (penilaian mandiri), until its due date, all or nothing."""
    record = await _evaluation(conn, caller, evaluation_id)
    _as_evaluated_unit(caller, record)
    require(record.state, {Stage.SELF_ASSESSMENT}, "Penilaian mandiri")
    require_before(record.schedule.self_assessment_due, today, "penilaian mandiri")
    model = await lke.model(conn, record.model_id)
    given = _checked(model, answers)
    answers_before = await lke.answers(conn, [record.id])
    before = {a.criterion_code: a.self_answer for a in answers_before}
    await lke.save_answers(conn, record, given, assessor=False, actor=caller.actor)
    after = with_given(answers_before, given, assessor=False, record=record)
    result = await _rescore(conn, record, model, after, self_changed=True)
    old = {code: before.get(code) for code in given}
    new = {code: answer for code, (answer, _) in given.items()}
    await audit_log.append(conn, [_audit(caller, "evaluation.self_assess", record, old=old, new=new)])
    return result


async def submit_self_assessment(conn: AsyncConnection, *, caller: Caller, evaluation_id: int, today: date) -> None:
    """Every criterion answered, the self-assessment goes to verification."""
    record = await _evaluation(conn, caller, evaluation_id)
    _as_evaluated_unit(caller, record)
    require(record.state, {Stage.SELF_ASSESSMENT}, "Pengiriman penilaian mandiri")
    require_before(record.schedule.self_assessment_due, today, "penilaian mandiri")
    missing = record.criteria - record.answered_self
    if missing:
        raise DomainError("INCOMPLETE", f"{missing} kriteria belum dijawab.", "evaluationId")
    await lke.update_evaluation(conn, record, state=Stage.VERIFICATION.value)
    await audit_log.append(
        conn,
        [_audit(caller, "evaluation.submit", record, old={"state": record.state.value}, new={"state": "VERIFICATION"})],
    )


@dataclass(frozen=True)
class EvidenceInput:
    criterion_code: str
    title: str
    url: str | None = None
    document_kind: str | None = None
    document_id: int | None = None
    file: EvidenceFile | None = None
    replaces_id: int | None = None


async def _evidence_values(
    conn: AsyncConnection, record: EvaluationRecord, given: EvidenceInput, files: FileStore
) -> dict[str, object]:
    kinds = sum(x is not None for x in (given.url, given.document_id, given.file))
    if kinds != 1:
        raise DomainError("ONE_KIND_OF_EVIDENCE", "Isi tepat satu: berkas, tautan, atau dokumen.", "evidence")
    if given.url is not None:
        return {"kind": "LINK", "url": check_link(given.url, "evidence.url")}
    if given.file is not None:
        checked = check_file(given.file, "evidence.file")
        # Kept before the row is written: were the transaction to fail, an unreferenced file is
        # harmless, while a row naming a file never written would lose the evidence.
        kept_outside = await files.keep(checked.sha256, checked.content)
        return {
            "kind": "FILE",
            "file_name": checked.name,
            "media_type": checked.media_type,
            "content": None if kept_outside else checked.content,
            "in_file_store": kept_outside,
            "size": len(checked.content),
            "sha256": checked.sha256,
        }
    kind = (given.document_kind or "").strip().upper()
    if kind not in lke.DOCUMENT_PATHS:
        raise DomainError(
            "UNKNOWN_DOCUMENT_KIND", "Jenis dokumen: LKJIP, AGREEMENT atau PLAN.", "evidence.documentKind"
        )
    assert given.document_id is not None
    path = await lke.document_path(conn, kind, given.document_id)
    # A document of the evaluated unit's own government: its PK and LKjIP, its Renstra, the RPJMD.
    if path is None or not path.startswith(record.government_path):
        raise DomainError("DOCUMENT_NOT_FOUND", "Dokumen tidak ditemukan untuk unit ini.", "evidence.documentId")
    return {"kind": "DOCUMENT", "document_kind": kind, "document_id": given.document_id}


async def add_evidence(
    conn: AsyncConnection, *, caller: Caller, evaluation_id: int, given: EvidenceInput, today: date, files: FileStore
) -> int:
    """Bukti dukung of a criterion, routed to the criterion's verifier agency; a correction of a
    rejected item names it (`replaces_id`). A file's bytes go to `files` or, where it keeps
    nothing itself, into the row."""
    record = await _evaluation(conn, caller, evaluation_id)
    _as_evaluated_unit(caller, record)
    require(record.state, EVIDENCE_OPEN, "Penambahan bukti dukung")
    if record.state is Stage.SELF_ASSESSMENT:
        require_before(record.schedule.self_assessment_due, today, "penilaian mandiri")
    model = await lke.model(conn, record.model_id)
    criterion = model.criteria.get(given.criterion_code.strip())
    if criterion is None:
        raise DomainError("UNKNOWN_CRITERION", f"Kriteria {given.criterion_code} tidak ada.", "criterionCode")
    title = _text(given.title, "title", required="Judul bukti dukung wajib diisi.")
    if given.replaces_id is not None:
        replaced = await lke.evidence(conn, ids=[given.replaces_id], lock=True)
        if not replaced or replaced[0].evaluation_id != record.id or replaced[0].criterion_code != criterion.code:
            raise DomainError("NOT_FOUND", "Bukti dukung yang diperbaiki tidak ditemukan.", "replacesEvidenceId")
        if replaced[0].state != "REJECTED":
            raise DomainError(
                "NOT_REJECTED", "Hanya bukti dukung yang ditolak yang dapat diperbaiki.", "replacesEvidenceId"
            )
    values = await _evidence_values(conn, record, given, files)
    evidence_id = await lke.add_evidence(
        conn,
        record,
        {
            **values,
            "criterion_code": criterion.code,
            "title": title,
            "verifier": criterion.verifier.value,
            "replaces_id": given.replaces_id,
            "added_by": caller.actor,
        },
    )
    shown = {k: v for k, v in values.items() if k != "content"}
    await audit_log.append(
        conn,
        [
            _audit(
                caller,
                "evaluation.evidence_add",
                record,
                new={"evidence": evidence_id, "criterion": criterion.code, **shown},
            )
        ],
    )
    return evidence_id


async def verify_evidence(
    conn: AsyncConnection, *, caller: Caller, evidence_id: int, accept: bool, reason: str | None
) -> int:
    """The verifier agency's decision on one item: accepted, or rejected with a reason for the
    unit to fix. Returns the evaluation's id."""
    found = await lke.evidence(conn, ids=[evidence_id], lock=True)
    if not found:
        raise DomainError("NOT_FOUND", "Bukti dukung tidak ditemukan.", "evidenceId")
    item = found[0]
    record = await _evaluation(conn, caller, item.evaluation_id)
    if not caller.viewer.may(VERIFIER_PERMISSIONS[item.verifier], record.unit_path):
        raise DomainError("FORBIDDEN", f"Bukti dukung ini diverifikasi oleh {item.verifier}.", "evidenceId")
    require(record.state, EVIDENCE_OPEN, "Verifikasi bukti dukung")
    if item.state != "PENDING":
        raise DomainError("ALREADY_VERIFIED", "Bukti dukung ini sudah diverifikasi.", "evidenceId")
    why = _text(reason, "reason", required=None if accept else "Alasan penolakan wajib diisi.")
    state = "ACCEPTED" if accept else "REJECTED"
    await lke.set_evidence_verification(conn, evidence_id, state=state, reason=why or None, actor=caller.actor)
    await audit_log.append(
        conn,
        [
            _audit(
                caller,
                "evaluation.evidence_verify",
                record,
                old={"evidence": evidence_id, "state": "PENDING"},
                new={"evidence": evidence_id, "state": state},
                reason=why or None,
            )
        ],
    )
    return record.id


async def save_assessment(
    conn: AsyncConnection, *, caller: Caller, evaluation_id: int, answers: Sequence[AnswerInput], today: date
) -> Score:
    """The assessor's answers (penilaian evaluator). An answer other than the one the platform
    computed from its data needs a note saying why. Any change asks for the logic warnings to
    be acknowledged again."""
    record = await _evaluation(conn, caller, evaluation_id)
    _as_evaluator(caller, record)
    require(record.state, ASSESSING, "Penilaian evaluator")
    model = await lke.model(conn, record.model_id)
    given = _checked(model, answers)
    criteria = model.criteria
    computed = [criteria[code] for code in given if criteria[code].computed is not None]
    proposals = await lke_facts.facts(conn, record, computed, today)
    errors = [
        DomainError(
            "NOTE_REQUIRED",
            f"Jawaban {code} berbeda dari usulan data platform ({fact.proposed}): isi catatan alasannya.",
            f"answers.{index}.note",
        )
        for index, code in enumerate(given)
        if (fact := proposals.get(code)) is not None
        and fact.proposed not in (None, given[code][0])
        and not given[code][1]
    ]
    if errors:
        raise DomainErrors(errors)
    answers_before = await lke.answers(conn, [record.id])
    before = {a.criterion_code: a.assessor_answer for a in answers_before}
    await lke.save_answers(conn, record, given, assessor=True, actor=caller.actor)
    after = with_given(answers_before, given, assessor=True, record=record)
    result = await _rescore(conn, record, model, after, warnings_acknowledged_at=None)
    old = {code: before.get(code) for code in given}
    new = {code: answer for code, (answer, _) in given.items()}
    await audit_log.append(conn, [_audit(caller, "evaluation.assess", record, old=old, new=new)])
    return result


async def acknowledge_warnings(conn: AsyncConnection, *, caller: Caller, evaluation_id: int) -> None:
    """The assessor has read the logic warnings of the current answers and keeps them."""
    record = await _evaluation(conn, caller, evaluation_id)
    _as_evaluator(caller, record)
    require(record.state, {*ASSESSING, Stage.RESULT_SENT, Stage.DISPUTED}, "Konfirmasi peringatan")
    await lke.update_evaluation(conn, record, warnings_acknowledged_at=func.now())
    await audit_log.append(conn, [_audit(caller, "evaluation.acknowledge_warnings", record)])


async def readiness(
    conn: AsyncConnection, record: EvaluationRecord, model: Model, answers: Sequence[AnswerRecord] | None = None
) -> Readiness:
    """What the stage's end needs; `answers` where the caller has read them already."""
    if answers is None:
        answers = await lke.answers(conn, [record.id])
    items = await lke.evidence(conn, [record.id])
    replaced = {item.replaces_id for item in items if item.replaces_id is not None}
    disputes = await lke.disputes(conn, [record.id])
    findings = await lke_quality.findings(conn, [record.id])
    warnings = logic_warnings(model, assessor_answers(answers), Side.ASSESSOR)
    return Readiness(
        unanswered_self=record.criteria - len(self_answers(answers)),
        unassessed=record.criteria - len(assessor_answers(answers)),
        pending_evidence=sum(item.state == "PENDING" for item in items),
        rejected_evidence=sum(item.state == "REJECTED" and item.id not in replaced for item in items),
        warnings=len(warnings),
        warnings_acknowledged=record.warnings_acknowledged_at is not None,
        open_disputes=sum(d.outcome is None for d in disputes),
        open_findings=sum(f.open for f in findings),
    )


async def advance(
    conn: AsyncConnection, *, caller: Caller, evaluation_id: int, from_stage: Stage, today: date
) -> Stage:
    """The evaluator's next stage: verification → quality assurance → final scoring → result
    sent to the unit (which opens the dispute window)."""
    record = await _evaluation(conn, caller, evaluation_id)
    _as_evaluator(caller, record)
    model = await lke.model(conn, record.model_id)
    to = check_advance(record.state, from_stage, await readiness(conn, record, model), record.schedule)
    also = {"result_sent_on": today} if to is Stage.RESULT_SENT else {}
    await lke.update_evaluation(conn, record, state=to.value, **also)
    await audit_log.append(
        conn, [_audit(caller, "evaluation.advance", record, old={"state": record.state.value}, new={"state": to.value})]
    )
    return to


@dataclass(frozen=True)
class DisputeInput:
    criterion_code: str
    reason: str


def _per_criterion(
    items: Sequence[tuple[str, str]],
    known: Mapping[str, object],
    occupied: set[str],
    answers: Mapping[str, str | None],
    *,
    batch: str,
    text: str,
    required: str,
    occupied_error: Callable[[str, str], DomainError],
) -> dict[str, tuple[str, str | None]]:
    """A batch of (criterion code, text), all or nothing: by code, the text and the assessor's
    answer it is about. A code must be the model's, not `occupied` (already disputed, a finding
    open) nor given twice, and its text is required; every error at its item's field."""
    errors: list[DomainError] = []
    found: dict[str, tuple[str, str | None]] = {}
    for index, (given_code, given_text) in enumerate(items):
        code, field = given_code.strip(), f"{batch}.{index}"
        if code not in known:
            errors.append(DomainError("UNKNOWN_CRITERION", f"Kriteria {code} tidak ada.", f"{field}.criterionCode"))
        elif code in occupied or code in found:
            errors.append(occupied_error(code, f"{field}.criterionCode"))
        else:
            try:
                found[code] = (_text(given_text, f"{field}.{text}", required=required), answers.get(code))
            except DomainError as error:
                errors.append(error)
    if errors:
        raise DomainErrors(errors)
    return found


async def _reanswer(
    conn: AsyncConnection,
    caller: Caller,
    record: EvaluationRecord,
    model: Model,
    answers: Sequence[AnswerRecord],
    code: str,
    answer: str,
) -> None:
    """The assessor's answer of one criterion changed in answering a dispute or a finding: kept
    with its note, the evaluation rescored, its logic warnings to be acknowledged again."""
    note = next((a.assessor_note for a in answers if a.criterion_code == code), "")
    changed = {code: (answer, note)}
    await lke.save_answers(conn, record, changed, assessor=True, actor=caller.actor)
    rescored = with_given(answers, changed, assessor=True, record=record)
    await _rescore(conn, record, model, rescored, warnings_acknowledged_at=None)


async def dispute(
    conn: AsyncConnection, *, caller: Caller, evaluation_id: int, items: Sequence[DisputeInput], today: date
) -> None:
    """The unit disputes criteria of the sent result, each with its reason, within the window."""
    record = await _evaluation(conn, caller, evaluation_id)
    _as_evaluated_unit(caller, record)
    require(record.state, {Stage.RESULT_SENT, Stage.DISPUTED}, "Sanggahan")
    assert record.result_sent_on is not None
    require_before(record.schedule.dispute_due(record.result_sent_on), today, "sanggahan")
    if not items:
        raise DomainError("EMPTY_BATCH", "Isi paling sedikit satu sanggahan.", "disputes")
    model = await lke.model(conn, record.model_id)
    known = model.criteria
    already = {d.criterion_code for d in await lke.disputes(conn, [record.id])}
    answers = {a.criterion_code: a.assessor_answer for a in await lke.answers(conn, [record.id])}
    reasons = _per_criterion(
        [(d.criterion_code, d.reason) for d in items],
        known,
        already,
        answers,
        batch="disputes",
        text="reason",
        required="Alasan sanggahan wajib diisi.",
        occupied_error=lambda code, at: DomainError("ALREADY_DISPUTED", f"Kriteria {code} sudah disanggah.", at),
    )
    await lke.add_disputes(conn, record, reasons, caller.actor)
    await lke.update_evaluation(conn, record, state=Stage.DISPUTED.value)
    new = {"state": "DISPUTED", "criteria": {code: reason for code, (reason, _) in reasons.items()}}
    await audit_log.append(
        conn, [_audit(caller, "evaluation.dispute", record, old={"state": record.state.value}, new=new)]
    )


async def resolve_dispute(
    conn: AsyncConnection,
    *,
    caller: Caller,
    evaluation_id: int,
    criterion_code: str,
    answer: str | None,
    rebuttal: str,
) -> None:
    """The assessor keeps the answer (answer None or unchanged) or changes it, with a rebuttal."""
    record = await _evaluation(conn, caller, evaluation_id)
    _as_evaluator(caller, record)
    require(record.state, {Stage.DISPUTED}, "Jawaban sanggahan")
    code = criterion_code.strip()
    open_dispute = next((d for d in await lke.disputes(conn, [record.id]) if d.criterion_code == code), None)
    if open_dispute is None or open_dispute.outcome is not None:
        raise DomainError("NOT_FOUND", f"Tidak ada sanggahan terbuka atas kriteria {code}.", "criterionCode")
    why = _text(rebuttal, "rebuttal", required="Tanggapan atas sanggahan wajib diisi.")
    model = await lke.model(conn, record.model_id)
    before = open_dispute.answer_before
    after = before
    if answer is not None:
        after = checked_answers(model, [(code, answer)], "answer")[code]
        if after != before:
            await _reanswer(conn, caller, record, model, await lke.answers(conn, [record.id]), code, after)
    outcome = "CHANGED" if after != before else "KEPT"
    await lke.resolve_dispute(
        conn, open_dispute.id, outcome=outcome, answer_after=after or "", rebuttal=why, actor=caller.actor
    )
    await audit_log.append(
        conn,
        [
            _audit(
                caller,
                "evaluation.resolve_dispute",
                record,
                old={"criterion": code, "answer": before},
                new={"criterion": code, "answer": after, "outcome": outcome},
                reason=why,
            )
        ],
    )


@dataclass(frozen=True)
class FindingInput:
    criterion_code: str
    note: str


def _assessors(answers: Sequence[AnswerRecord]) -> frozenset[str]:
    return frozenset(a.assessor_by for a in answers if a.assessor_by is not None)


async def raise_quality_findings(
    conn: AsyncConnection, *, caller: Caller, evaluation_id: int, items: Sequence[FindingInput]
) -> None:
    """The quality assurer's findings on criteria's scoring (temuan penjaminan kualitas), in the
    quality assurance stage, all or nothing; each waits for the assessor's answer."""
    record = await _evaluation(conn, caller, evaluation_id)
    _as_assurer(caller, record)
    require(record.state, {Stage.QUALITY_ASSURANCE}, "Temuan penjaminan kualitas")
    answers = await lke.answers(conn, [record.id])
    check_independent(caller.actor, _assessors(answers))
    if not items:
        raise DomainError("EMPTY_BATCH", "Isi paling sedikit satu temuan.", "findings")
    known = (await lke.model(conn, record.model_id)).criteria
    still_open = {f.criterion_code for f in await lke_quality.findings(conn, [record.id]) if f.open}
    notes = _per_criterion(
        [(f.criterion_code, f.note) for f in items],
        known,
        still_open,
        {a.criterion_code: a.assessor_answer for a in answers},
        batch="findings",
        text="note",
        required="Catatan temuan wajib diisi.",
        occupied_error=lambda code, at: DomainError(
            "FINDING_OPEN", f"Kriteria {code} masih memiliki temuan yang belum ditanggapi.", at
        ),
    )
    await lke_quality.add_findings(conn, record, notes, caller.actor)
    await lke.update_evaluation(conn, record)
    new = {"findings": {code: note for code, (note, _) in notes.items()}}
    await audit_log.append(conn, [_audit(caller, "evaluation.quality_findings", record, new=new)])


async def answer_quality_finding(
    conn: AsyncConnection,
    *,
    caller: Caller,
    evaluation_id: int,
    criterion_code: str,
    answer: str | None,
    response: str,
) -> None:
    """The assessor answers a finding: keeps the answer (None or unchanged) or changes it and the
    score with it, with the response the assurer reads."""
    record = await _evaluation(conn, caller, evaluation_id)
    _as_evaluator(caller, record)
    require(record.state, {Stage.QUALITY_ASSURANCE}, "Tanggapan temuan penjaminan kualitas")
    code = criterion_code.strip()
    finding = next(
        (f for f in await lke_quality.findings(conn, [record.id]) if f.criterion_code == code and f.open), None
    )
    if finding is None:
        raise DomainError("NOT_FOUND", f"Tidak ada temuan terbuka atas kriteria {code}.", "criterionCode")
    why = _text(response, "response", required="Tanggapan atas temuan wajib diisi.")
    model = await lke.model(conn, record.model_id)
    answers = await lke.answers(conn, [record.id])
    before = next((a.assessor_answer for a in answers if a.criterion_code == code), None)
    after = before
    if answer is not None:
        after = checked_answers(model, [(code, answer)], "answer")[code]
    if after is not None and after != before:
        await _reanswer(conn, caller, record, model, answers, code, after)
    else:
        await lke.update_evaluation(conn, record)
    outcome = "CHANGED" if after != before else "KEPT"
    await lke_quality.answer_finding(
        conn, finding, record.province_code, outcome=outcome, answer_after=after, response=why, actor=caller.actor
    )
    await audit_log.append(
        conn,
        [
            _audit(
                caller,
                "evaluation.answer_quality_finding",
                record,
                old={"criterion": code, "answer": before},
                new={"criterion": code, "answer": after, "outcome": outcome},
                reason=why,
            )
        ],
    )


async def approve_quality_assurance(
    conn: AsyncConnection, *, caller: Caller, evaluation_id: int, from_stage: Stage, note: str | None
) -> None:
    """The quality assurer approves the scoring (persetujuan penjaminan kualitas): the stage ends
    and final scoring begins. Every finding must be answered, and the assurer assessed nothing."""
    record = await _evaluation(conn, caller, evaluation_id)
    _as_assurer(caller, record)
    model = await lke.model(conn, record.model_id)
    answers = await lke.answers(conn, [record.id])
    facts = await readiness(conn, record, model, answers)
    to = check_quality_approval(record.state, from_stage, facts, caller.actor, _assessors(answers))
    said = _text(note, "note") or None
    await lke.update_evaluation(
        conn,
        record,
        state=to.value,
        quality_assured_by=caller.actor,
        quality_assured_at=func.now(),
        quality_note=said,
    )
    await audit_log.append(
        conn,
        [
            _audit(
                caller,
                "evaluation.quality_approve",
                record,
                old={"state": record.state.value},
                new={"state": to.value, "note": said},
            )
        ],
    )


async def finalise(conn: AsyncConnection, *, caller: Caller, evaluation_id: int, render: ReportRenderer) -> None:
    """FINAL: frozen in the database from here on (migration 0017), and its LHE printed by
    `render` (documents/lhe.py, above this layer) and kept as it was finalised (0018)."""
    record = await _evaluation(conn, caller, evaluation_id)
    _as_evaluator(caller, record)
    model = await lke.model(conn, record.model_id)
    answers = await lke.answers(conn, [record.id])
    check_final(record.state, await readiness(conn, record, model, answers))
    corrected = await lke.evaluation(conn, record.corrects_id, lock=True) if record.corrects_id else None
    # A correction of a published result is public as soon as it stands: the public never sees
    # the grade it corrects once it is FINAL.
    published = corrected is not None and corrected.published_at is not None
    await _rescore(
        conn,
        record,
        model,
        answers,
        state=Stage.FINAL.value,
        finalised_by=caller.actor,
        finalised_at=func.now(),
        published_at=func.now() if published else None,  # nothing is published before it is FINAL
    )
    new: dict[str, object] = {"state": "FINAL"}
    if corrected is not None:
        await lke.mark_superseded(conn, corrected.id, corrected.province_code)
        new |= {"supersedes": corrected.id, "version": record.version, "published": published}
    final = await lke.evaluation(conn, record.id)
    assert final is not None
    docx, pdf = await render(conn, final)
    await lke.save_report(conn, final, docx, pdf)
    await audit_log.append(
        conn, [_audit(caller, "evaluation.finalise", record, old={"state": record.state.value}, new=new)]
    )


async def correct(conn: AsyncConnection, *, caller: Caller, evaluation_id: int, reason: str) -> int:
    """A correction (koreksi) of a FINAL result: a new version at final scoring with the answers,
    scores, notes and standing evidence of the one it corrects, which stays FINAL and public until
    the correction is FINAL in its turn (finalise). Returns the new version's id."""
    record = await _evaluation(conn, caller, evaluation_id)
    _as_evaluator(caller, record)
    require(record.state, {Stage.FINAL}, "Koreksi hasil evaluasi")
    why = _text(reason, "reason", required="Alasan koreksi wajib diisi.")
    started = await lke.correction_of(conn, record)
    if started is not None:
        raise DomainError(
            "ALREADY_CORRECTED",
            "Versi ini sudah dikoreksi; koreksi dilakukan atas versi terakhir.",
            "evaluationId",
        )
    correction_id = await lke.insert_correction(conn, record, reason=why, actor=caller.actor)
    correction = await lke.evaluation(conn, correction_id)
    assert correction is not None
    old = {"evaluation": record.id, "version": record.version, "total": str(record.total), "grade": record.grade}
    new = {"evaluation": correction_id, "version": correction.version, "state": correction.state.value}
    await audit_log.append(conn, [_audit(caller, "evaluation.correct", correction, old=old, new=new, reason=why)])
    return correction_id


async def publish(conn: AsyncConnection, *, caller: Caller, evaluation_id: int) -> None:
    """A FINAL result made public: its total, grade and component scores."""
    record = await _evaluation(conn, caller, evaluation_id)
    _as_evaluator(caller, record)
    require(record.state, {Stage.FINAL}, "Publikasi hasil")
    if record.superseded_at is not None:
        raise DomainError("SUPERSEDED", "Versi ini telah digantikan oleh koreksinya.", "evaluationId")
    if record.published_at is not None:
        raise DomainError("ALREADY_PUBLISHED", "Hasil evaluasi ini sudah dipublikasikan.", "evaluationId")
    await lke.mark_published(conn, record)
    await audit_log.append(conn, [_audit(caller, "evaluation.publish", record)])


@dataclass(frozen=True)
class RecommendationInput:
    text: str
    criterion_code: str | None = None
    component_code: str | None = None


async def add_recommendation(
    conn: AsyncConnection, *, caller: Caller, evaluation_id: int, given: RecommendationInput
) -> int:
    record = await _evaluation(conn, caller, evaluation_id)
    _as_evaluator(caller, record)
    require(record.state, {*ASSESSING, Stage.RESULT_SENT, Stage.DISPUTED}, "Penambahan rekomendasi")
    model = await lke.model(conn, record.model_id)
    criterion = (given.criterion_code or "").strip() or None
    component = (given.component_code or "").strip() or None
    if (criterion is None) == (component is None):
        raise DomainError("ONE_SUBJECT", "Sebutkan satu kriteria atau satu komponen.", "criterionCode")
    if criterion is not None and criterion not in model.criteria:
        raise DomainError("UNKNOWN_CRITERION", f"Kriteria {criterion} tidak ada.", "criterionCode")
    if component is not None and component not in {c.code for c in model.components}:
        raise DomainError("UNKNOWN_COMPONENT", f"Komponen {component} tidak ada.", "componentCode")
    body = _text(given.text, "text", required="Isi rekomendasi wajib diisi.")
    values = {"criterion_code": criterion, "component_code": component, "text": body, "created_by": caller.actor}
    recommendation_id = await lke.add_recommendation(conn, record, values)
    await audit_log.append(
        conn, [_audit(caller, "evaluation.recommend", record, new={"recommendation": recommendation_id, **values})]
    )
    return recommendation_id


@dataclass(frozen=True)
class FollowUpInput:
    action_plan: str
    target_date: date | None
    person_in_charge: str
    progress: int
    evidence_url: str | None = None


async def record_follow_up(
    conn: AsyncConnection, *, caller: Caller, recommendation_id: int, given: FollowUpInput
) -> int:
    """Tindak lanjut of a FINAL evaluation's recommendation by the evaluated unit: action plan,
    target date, person in charge, progress %, evidence. Returns the evaluation's id."""
    found = await lke.recommendations_by_id(conn, [recommendation_id], lock=True)
    if not found:
        raise DomainError("NOT_FOUND", "Rekomendasi tidak ditemukan.", "recommendationId")
    before = found[0]
    record = await _evaluation(conn, caller, before.evaluation_id)
    _as_evaluated_unit(caller, record)
    require(record.state, {Stage.FINAL}, "Tindak lanjut rekomendasi")
    errors: list[DomainError] = []
    if not 0 <= given.progress <= 100:
        errors.append(DomainError("INVALID_PROGRESS", "Kemajuan tindak lanjut 0 sampai 100 %.", "progress"))
    try:
        plan = _text(given.action_plan, "actionPlan", required="Rencana aksi wajib diisi.")
        person = _text(given.person_in_charge, "personInCharge", required="Penanggung jawab wajib diisi.")[:200]
        url = check_link(given.evidence_url, "evidenceUrl") if given.evidence_url else None
    except DomainError as error:
        errors.append(error)
    if errors:
        raise DomainErrors(errors)
    values: Mapping[str, object] = {
        "action_plan": plan,
        "target_date": given.target_date,
        "person_in_charge": person,
        "progress": given.progress,
        "follow_up_evidence_url": url,
        "follow_up_by": caller.actor,
    }
    await lke.record_follow_up(conn, recommendation_id, values)
    old = {"progress": before.progress, "actionPlan": before.action_plan}
    new = {"progress": given.progress, "actionPlan": plan, "recommendation": recommendation_id}
    await audit_log.append(conn, [_audit(caller, "evaluation.follow_up", record, old=old, new=new)])
    return record.id


async def save_component_notes(
    conn: AsyncConnection, *, caller: Caller, evaluation_id: int, notes: Mapping[str, str]
) -> None:
    """The evaluator's narrative per component for the LHE; an empty text removes one."""
    record = await _evaluation(conn, caller, evaluation_id)
    _as_evaluator(caller, record)
    require(record.state, {*ASSESSING, Stage.RESULT_SENT, Stage.DISPUTED}, "Catatan komponen")
    model = await lke.model(conn, record.model_id)
    codes = {c.code for c in model.components}
    written = dict(record.component_notes)
    for code, body in notes.items():
        if code not in codes:
            raise DomainError("UNKNOWN_COMPONENT", f"Komponen {code} tidak ada.", "components")
        cleaned = _text(body, f"components.{code}")
        if cleaned:
            written[code] = cleaned
        else:
            written.pop(code, None)
    await lke.update_evaluation(conn, record, component_notes=written)
    await audit_log.append(
        conn, [_audit(caller, "evaluation.notes", record, old=dict(record.component_notes), new=written)]
    )
