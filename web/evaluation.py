"""Evaluasi SAKIP (pages): the evaluations in the user's scope; one evaluation with both sides'
answers per criterion beside the platform's proposal, its evidence and logic warnings; the unit's
self-assessment form and the evaluator's, each stage's next step, and the LHE downloads. Every
write is the API's mutation, its userErrors shown inline beside the criterion they name."""

import re
from typing import Any

from starlette.datastructures import FormData, UploadFile
from starlette.requests import Request
from starlette.responses import Response

from web.dashboard import home_scope
from web.graphql import PageGraphQL, UserError
from web.rendering import not_found, page, refused, see_other
from web.sessions import PageUser, Sessions

# The evaluator's steps (advanceEvaluation), by the stage they leave.
NEXT_STEP = {
    "VERIFICATION": "Selesaikan verifikasi",
    "QUALITY_ASSURANCE": "Selesaikan penjaminan kualitas",
    "SCORING": "Kirim hasil ke unit",
}
SIMPLE_ACTIONS = {
    "kirim": "SubmitSelfAssessment",
    "konfirmasi": "AcknowledgeEvaluationWarnings",
    "final": "FinaliseEvaluation",
    "publikasi": "PublishEvaluation",
}
ANSWERS_AT = re.compile(r"^answers\.(\d+)\.")


async def _listing(graphql: PageGraphQL, request: Request, user: PageUser) -> dict[str, Any] | None:
    scope = request.query_params.get("lingkup") or await home_scope(graphql, request, user)
    if scope is None:
        return None
    year = request.query_params.get("tahun", "")
    variables = {"scope": scope, "year": int(year) if year.isdigit() else None}
    found = (await graphql.run(request, user.viewer, "Evaluations", variables)).data["evaluations"]
    return {"evaluations": found, "year": variables["year"], "evaluable": await _evaluable(graphql, request, user)}


async def _evaluable(graphql: PageGraphQL, request: Request, user: PageUser) -> list[dict[str, str]]:
    """The units the user may start an evaluation of, from its EVALUATOR grants (the API checks
    again): a province evaluates its kab/kota, a pemda's Inspektorat its perangkat daerah."""
    me = (await graphql.run(request, user.viewer, "Me", {})).data["me"]
    codes = [g["scope"]["code"] for g in (me or {}).get("grants", []) if g["role"] == "EVALUATOR" and g["scope"]]
    units: list[dict[str, str]] = []
    for code in codes:
        government = (await graphql.run(request, user.viewer, "EvaluableUnits", {"code": code})).data["government"]
        if government is None:
            continue
        units += [c["rootUnit"] for c in government["children"] if c["rootUnit"]]
        units += [u for u in (government["rootUnit"] or {}).get("children", []) if u["kind"] == "PERANGKAT_DAERAH"]
    return units


async def overview(graphql: PageGraphQL, sessions: Sessions, request: Request, user: PageUser) -> Response:
    found = await _listing(graphql, request, user)
    if found is None:
        return refused(request, user, "Akun ini belum memiliki wilayah kerja.")
    return page(request, user, "evaluasi.html", errors=[], posted=None, **found)


async def start(graphql: PageGraphQL, sessions: Sessions, request: Request, user: PageUser) -> Response:
    """Mulai evaluasi: the unit, the year and the stages' due dates."""
    found = await _listing(graphql, request, user)
    if found is None:
        return refused(request, user, "Akun ini belum memiliki wilayah kerja.")
    posted = await request.form()
    year = _text(posted, "tahun")
    given = {
        "orgUnitId": _text(posted, "unit"),
        "year": int(year) if year.isdigit() else 0,
        "selfAssessmentDue": _text(posted, "batas-mandiri"),
        "verificationDue": _text(posted, "batas-verifikasi"),
        "qualityAssuranceDue": _text(posted, "batas-penjaminan"),
        "requireQualityAssurance": _text(posted, "wajib-penjaminan") == "ya",
    }
    missing = [name for name in ("selfAssessmentDue", "verificationDue", "qualityAssuranceDue") if not given[name]]
    if missing:
        errors = [UserError("REQUIRED", name, "Isi ketiga batas waktu.") for name in missing[:1]]
    else:
        errors = await graphql.mutate(request, user.viewer, "StartEvaluation", {"input": given})
    if errors:
        return page(request, user, "evaluasi.html", status_code=400, errors=errors, posted=posted, **found)
    return see_other("/evaluasi?pesan=mulai")


async def _evaluation(graphql: PageGraphQL, request: Request, user: PageUser) -> dict[str, Any] | None:
    answer = await graphql.run(request, user.viewer, "EvaluationDetail", {"id": request.path_params["id"]})
    found = answer.data["evaluation"]
    # Outside the scope the API answers a published result without its criteria: not this page.
    return found if found and found["criteria"] is not None else None


def _components(evaluation: dict[str, Any]) -> list[tuple[dict[str, Any], list[dict[str, Any]]]]:
    criteria = evaluation["criteria"]
    return [(c, [x for x in criteria if x["componentCode"] == c["code"]]) for c in evaluation["components"]]


def _side(evaluation: dict[str, Any]) -> str | None:
    """Which side's answers the page lets this user write now."""
    if evaluation["canSelfAssess"] and evaluation["state"] == "SELF_ASSESSMENT":
        return "mandiri"
    if evaluation["canConduct"] and evaluation["state"] in NEXT_STEP:
        return "nilai"
    return None


def _next_step(evaluation: dict[str, Any]) -> str | None:
    """The evaluator's step from this stage, where the API says it is the caller's (`canAdvance`)."""
    return NEXT_STEP.get(evaluation["state"]) if evaluation["canAdvance"] else None


def _show(request: Request, user: PageUser, evaluation: dict[str, Any], **values: Any) -> Response:
    values.setdefault("errors", [])
    values.setdefault("by_criterion", {})
    values.setdefault("posted", None)
    return page(
        request,
        user,
        "evaluasi_rinci.html",
        e=evaluation,
        components=_components(evaluation),
        side=_side(evaluation),
        next_step=_next_step(evaluation),
        **values,
    )


async def detail(graphql: PageGraphQL, sessions: Sessions, request: Request, user: PageUser) -> Response:
    found = await _evaluation(graphql, request, user)
    if found is None:
        return not_found(request, user)
    return _show(request, user, found, message=request.query_params.get("pesan"))


def _answers(evaluation: dict[str, Any], posted: FormData, assessor: bool) -> list[dict[str, Any]]:
    """The criteria whose answer or note the form changed (the rest stays as it is)."""
    given = []
    for criterion in evaluation["criteria"]:
        code = criterion["code"]
        answer = str(posted.get(f"jawaban-{code}", "")).strip()
        note = str(posted.get(f"catatan-{code}", "")).strip()
        current = criterion["assessorAnswer" if assessor else "selfAnswer"] or {"answer": "", "note": ""}
        if answer and (answer != current["answer"] or note != current["note"]):
            given.append({"criterionCode": code, "answer": answer, "note": note or None})
    return given


def _placed(errors: list[UserError], given: list[dict[str, Any]]) -> dict[str, list[str]]:
    """Each error of a batch beside its criterion (`answers.3.answer` → the fourth sent)."""
    placed: dict[str, list[str]] = {}
    for error in errors:
        at = ANSWERS_AT.match(error.field or "")
        if at and int(at.group(1)) < len(given):
            placed.setdefault(given[int(at.group(1))]["criterionCode"], []).append(error.message)
    return placed


async def act(graphql: PageGraphQL, sessions: Sessions, request: Request, user: PageUser) -> Response:
    evaluation_id = request.path_params["id"]
    found = await _evaluation(graphql, request, user)
    if found is None:
        return not_found(request, user)
    posted = await request.form()
    action = str(posted.get("aksi", ""))
    given: list[dict[str, Any]] = []
    target = {"evaluationId": evaluation_id}
    if action in ("mandiri", "nilai"):
        given = _answers(found, posted, assessor=action == "nilai")
        if not given:
            return see_other(f"/evaluasi/{evaluation_id}?pesan=tanpa-perubahan")
        name = "SaveSelfAssessment" if action == "mandiri" else "SaveAssessment"
        errors = await graphql.mutate(request, user.viewer, name, {"input": {**target, "answers": given}})
    elif action == "lanjut":
        variables = {"input": {**target, "fromStage": str(posted.get("tahap", ""))}}
        errors = await graphql.mutate(request, user.viewer, "AdvanceEvaluation", variables)
    elif action == "koreksi":
        answer = await graphql.run(
            request, user.viewer, "CorrectEvaluation", {"input": {**target, "reason": _text(posted, "alasan")}}
        )
        payload = answer.data["correctEvaluation"]
        errors = [UserError(e["code"], e.get("field"), e["message"]) for e in payload["userErrors"]]
        if not errors:
            return see_other(f"/evaluasi/{payload['evaluation']['id']}?pesan=koreksi")
    elif action in SIMPLE_ACTIONS:
        errors = await graphql.mutate(request, user.viewer, SIMPLE_ACTIONS[action], {"input": target})
    elif action in ONE_ITEM:
        name, variables = await ONE_ITEM[action](posted, evaluation_id)
        errors = await graphql.mutate(request, user.viewer, name, {"input": variables})
    else:
        return refused(request, user, "Tindakan tidak dikenal.")
    if errors:
        return _show(request, user, found, status_code=400, errors=errors, by_criterion=_placed(errors, given),
                     posted=posted, message=None)  # fmt: skip
    return see_other(f"/evaluasi/{evaluation_id}?pesan={action}")


def _text(posted: FormData, name: str) -> str:
    return str(posted.get(name, "")).strip()


async def _evidence(posted: FormData, evaluation_id: str) -> tuple[str, dict[str, Any]]:
    """A link or an uploaded file, whichever the unit gave (the API refuses both or neither)."""
    variables: dict[str, Any] = {"evaluationId": evaluation_id, "criterionCode": _text(posted, "kriteria"),
                                 "title": _text(posted, "judul")}  # fmt: skip
    if _text(posted, "tautan"):
        variables["url"] = _text(posted, "tautan")
    upload = posted.get("berkas")
    if isinstance(upload, UploadFile) and upload.filename:
        # Handed to the operation as a multipart request's file (spooled to disk by Starlette),
        # which the API reads up to its 20 MB limit.
        variables["file"] = {"name": upload.filename, "upload": upload}
    if _text(posted, "ganti"):
        variables["replacesEvidenceId"] = _text(posted, "ganti")
    return "AddEvaluationEvidence", variables


async def _verify(posted: FormData, evaluation_id: str) -> tuple[str, dict[str, Any]]:
    variables = {"evidenceId": _text(posted, "bukti"), "accept": _text(posted, "keputusan") == "terima",
                 "reason": _text(posted, "alasan") or None}  # fmt: skip
    return "VerifyEvaluationEvidence", variables


async def _dispute(posted: FormData, evaluation_id: str) -> tuple[str, dict[str, Any]]:
    disputes = [{"criterionCode": _text(posted, "kriteria"), "reason": _text(posted, "alasan")}]
    return "DisputeEvaluation", {"evaluationId": evaluation_id, "disputes": disputes}


async def _resolve(posted: FormData, evaluation_id: str) -> tuple[str, dict[str, Any]]:
    variables = {"evaluationId": evaluation_id, "criterionCode": _text(posted, "kriteria"),
                 "answer": _text(posted, "jawaban") or None, "rebuttal": _text(posted, "tanggapan")}  # fmt: skip
    return "ResolveEvaluationDispute", variables


async def _recommend(posted: FormData, evaluation_id: str) -> tuple[str, dict[str, Any]]:
    subject = _text(posted, "pokok")  # "kriteria:1.a.1" or "komponen:1"
    kind, _, code = subject.partition(":")
    variables = {"evaluationId": evaluation_id, "text": _text(posted, "teks"),
                 "criterionCode": code if kind == "kriteria" else None,
                 "componentCode": code if kind == "komponen" else None}  # fmt: skip
    return "AddEvaluationRecommendation", variables


async def _follow_up(posted: FormData, evaluation_id: str) -> tuple[str, dict[str, Any]]:
    progress = _text(posted, "kemajuan")
    variables = {
        "recommendationId": _text(posted, "rekomendasi"),
        "actionPlan": _text(posted, "rencana"),
        "personInCharge": _text(posted, "penanggung-jawab"),
        "progress": int(progress) if progress.isdigit() else -1,  # the API refuses it: INVALID_PROGRESS
        "targetDate": _text(posted, "target") or None,
        "evidenceUrl": _text(posted, "tautan") or None,
    }
    return "RecordRecommendationFollowUp", variables


async def _finding(posted: FormData, evaluation_id: str) -> tuple[str, dict[str, Any]]:
    findings = [{"criterionCode": _text(posted, "kriteria"), "note": _text(posted, "catatan")}]
    return "RaiseQualityFindings", {"evaluationId": evaluation_id, "findings": findings}


async def _answer_finding(posted: FormData, evaluation_id: str) -> tuple[str, dict[str, Any]]:
    variables = {"evaluationId": evaluation_id, "criterionCode": _text(posted, "kriteria"),
                 "answer": _text(posted, "jawaban") or None, "response": _text(posted, "tanggapan")}  # fmt: skip
    return "AnswerQualityFinding", variables


async def _approve_quality(posted: FormData, evaluation_id: str) -> tuple[str, dict[str, Any]]:
    variables = {"evaluationId": evaluation_id, "fromStage": _text(posted, "tahap"),
                 "note": _text(posted, "catatan") or None}  # fmt: skip
    return "ApproveQualityAssurance", variables


# Forms about one item (a criterion's evidence or dispute, a finding, a recommendation), by their `aksi`.
ONE_ITEM = {
    "bukti": _evidence,
    "verifikasi": _verify,
    "sanggah": _dispute,
    "tanggapi": _resolve,
    "temuan": _finding,
    "tanggapi-temuan": _answer_finding,
    "setujui-mutu": _approve_quality,
    "rekomendasi": _recommend,
    "tindak-lanjut": _follow_up,
}
