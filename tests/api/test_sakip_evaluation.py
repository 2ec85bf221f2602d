"""The SAKIP evaluation through the API, end to end: the province evaluates Kota Singkawang from
self-assessment to a published FINAL grade, with evidence routed to its verifiers, logic
warnings, a dispute, recommendations followed up into the next year; and every refusal typed."""

import base64
import hashlib
import io
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import psycopg
import pytest
from docx import Document as WordDocument
from pypdf import PdfReader
from sqlalchemy.engine import make_url

from domain.notation import indonesian_date
from store.roles import as_role
from tests.api.client import Api

ROOT = "query($code: String!) { government(code: $code) { id rootUnit { id children { id code } } } }"
FIELDS = """
  id year state stageName total selfTotal grade provisionalGrade gradeLabel answeredSelf assessed criteriaCount complete
  publishedAt warningsAcknowledged currentDue overdue
  schedule { selfAssessmentDue disputeDue }
  unit { code } model { code criteriaCount }
  components { code weight score percent subComponents { code weight score answered criteria } }
  warnings { criterionCode comparatorCode message side }
  evidence { id criterionCode kind state verifier rejectionReason sha256 url replacesId }
  disputes { criterionCode outcome answerBefore answerAfter rebuttal }
  recommendations { id criterionCode componentCode text progress done actionPlan personInCharge }
"""
EVALUATION = f"query($id: ID!) {{ evaluation(id: $id) {{ {FIELDS} }} }}"
CRITERIA = """
query($id: ID!, $code: String) { evaluation(id: $id) {
  criteria(code: $code) { code componentCode subComponentCode effectiveAnswer
    selfAnswer { answer value note by } assessorAnswer { answer value note }
    computed { value proposedAnswer explanation } evidence { kind state } warnings { message side }
    dispute { outcome } } } }
"""
PAYLOAD = f"userErrors {{ code field message }} evaluation {{ {FIELDS} }}"
START = f"mutation($input: StartEvaluationInput!) {{ startEvaluation(input: $input) {{ {PAYLOAD} }} }}"
SELF = f"mutation($input: SaveEvaluationAnswersInput!) {{ saveSelfAssessment(input: $input) {{ {PAYLOAD} }} }}"
ASSESS = f"mutation($input: SaveEvaluationAnswersInput!) {{ saveAssessment(input: $input) {{ {PAYLOAD} }} }}"
SUBMIT = f"mutation($input: EvaluationInput!) {{ submitSelfAssessment(input: $input) {{ {PAYLOAD} }} }}"
ADVANCE = f"mutation($input: AdvanceEvaluationInput!) {{ advanceEvaluation(input: $input) {{ {PAYLOAD} }} }}"
ACK = f"mutation($input: EvaluationInput!) {{ acknowledgeEvaluationWarnings(input: $input) {{ {PAYLOAD} }} }}"
DISPUTE = f"mutation($input: DisputeEvaluationInput!) {{ disputeEvaluation(input: $input) {{ {PAYLOAD} }} }}"
RESOLVE = (
    f"mutation($input: ResolveEvaluationDisputeInput!) {{ resolveEvaluationDispute(input: $input) {{ {PAYLOAD} }} }}"
)
FINALISE = f"mutation($input: EvaluationInput!) {{ finaliseEvaluation(input: $input) {{ {PAYLOAD} }} }}"
PUBLISH = f"mutation($input: EvaluationInput!) {{ publishEvaluation(input: $input) {{ {PAYLOAD} }} }}"
SCHEDULE_CHANGE = (
    f"mutation($input: UpdateEvaluationScheduleInput!) {{ updateEvaluationSchedule(input: $input) {{ {PAYLOAD} }} }}"
)
NOTES = f"mutation($input: SaveEvaluationNotesInput!) {{ saveEvaluationNotes(input: $input) {{ {PAYLOAD} }} }}"
EVIDENCE = """
mutation($input: AddEvaluationEvidenceInput!) { addEvaluationEvidence(input: $input) {
  userErrors { code field message } evidence { id kind state verifier sha256 url mediaType size } } }
"""
VERIFY = """
mutation($input: VerifyEvaluationEvidenceInput!) { verifyEvaluationEvidence(input: $input) {
  userErrors { code field message } evidence { id state rejectionReason verifiedBy } } }
"""
RECOMMEND = """
mutation($input: AddEvaluationRecommendationInput!) { addEvaluationRecommendation(input: $input) {
  userErrors { code field message } recommendation { id text criterionCode } } }
"""
FOLLOW_UP = """
mutation($input: RecordRecommendationFollowUpInput!) { recordRecommendationFollowUp(input: $input) {
  userErrors { code field message } recommendation { progress done actionPlan personInCharge } } }
"""
LIST = """
query($scope: ID!, $year: Int) { evaluations(scope: $scope, year: $year) {
  year total grade unit { code } components { code score } recommendations { done } } }
"""
AUDIT = """
query($actor: String!) { auditLog(filter: {actor: $actor}, first: 100) {
  edges { node { action entityType entityId old new reason } } } }
"""
MODELS = "query { evaluationModels { code criteriaCount components { weight subComponents { weight aspect } } } }"

SCHEDULE = {"selfAssessmentDue": "2027-01-31", "verificationDue": "2027-02-28", "qualityAssuranceDue": "2027-03-31"}
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _docx() -> bytes:
    buffer = io.BytesIO()
    document = WordDocument()
    document.add_paragraph("Pedoman teknis perencanaan kinerja")
    document.save(buffer)
    return buffer.getvalue()


async def _root(api: Api, code: str) -> tuple[str, str, dict[str, str]]:
    government = (await api.execute(ROOT, {"code": code}))["government"]
    children = {c["code"]: c["id"] for c in government["rootUnit"]["children"]}
    return government["id"], government["rootUnit"]["id"], children


async def _models(api: Api) -> dict[str, list[str]]:
    """Criterion codes per component of the 88/2021 model, from the API."""
    query = "query { evaluationModels { code components { code subComponents { criteria { code } } } } }"
    models = (await api.execute(query))["evaluationModels"]
    model = next(m for m in models if m["code"] == "PERMENPANRB-88-2021")
    return {c["code"]: [x["code"] for s in c["subComponents"] for x in s["criteria"]] for c in model["components"]}


def _ok(payload: dict[str, Any]) -> dict[str, Any]:
    assert payload["userErrors"] == [], payload["userErrors"]
    evaluation: dict[str, Any] = payload["evaluation"]
    return evaluation


def _codes(payload: dict[str, Any]) -> list[tuple[str, str | None]]:
    return [(e["code"], e["field"]) for e in payload["userErrors"]]


async def test_the_shipped_models_carry_the_regulations_weights(demo_api: Api) -> None:
    models = {m["code"]: m for m in (await demo_api.anonymous().execute(MODELS))["evaluationModels"]}
    current = models["PERMENPANRB-88-2021"]
    assert current["criteriaCount"] == 80
    assert [c["weight"] for c in current["components"]] == ["30", "30", "15", "25"]
    assert [s["aspect"] for s in current["components"][0]["subComponents"]] == ["EXISTENCE", "QUALITY", "USE"]
    assert [c["weight"] for c in models["PERMENPANRB-12-2015"]["components"]] == ["30", "25", "15", "10", "20"]


async def test_an_evaluation_runs_from_self_assessment_to_a_published_final_grade(
    fresh_api: Api, fresh_url: str
) -> None:
    evaluator = await fresh_api.as_user("evaluator.61")
    operator = await fresh_api.as_user("operator.61.72")
    admin = await fresh_api.as_user("admin.61")  # Biro Organisasi; holds PLANNER and REVIEWER too
    government, root, _ = await _root(fresh_api, "61.72")
    criteria = await _models(fresh_api)
    every = [code for codes in criteria.values() for code in codes]

    # The unit itself may not start its evaluation; the province's Inspektorat does.
    refused = await operator.execute(START, {"input": {"orgUnitId": root, "year": 2025, **SCHEDULE}})
    assert _codes(refused["startEvaluation"]) == [("FORBIDDEN", "orgUnitId")]
    started = _ok(
        (await evaluator.execute(START, {"input": {"orgUnitId": root, "year": 2025, **SCHEDULE}}))["startEvaluation"]
    )
    evaluation = started["id"]
    assert (started["state"], started["criteriaCount"], started["model"]["code"]) == (
        "SELF_ASSESSMENT",
        80,
        "PERMENPANRB-88-2021",
    )
    assert started["currentDue"] == "2027-01-31" and started["overdue"] is False
    again = await evaluator.execute(START, {"input": {"orgUnitId": root, "year": 2025, **SCHEDULE}})
    assert _codes(again["startEvaluation"]) == [("ALREADY_EXISTS", "orgUnitId")]

    # Self-assessment: all B, the unit's own view; submitting early is refused.
    half = [{"criterionCode": code, "answer": "B"} for code in every[:40]]
    saved = _ok(
        (await operator.execute(SELF, {"input": {"evaluationId": evaluation, "answers": half}}))["saveSelfAssessment"]
    )
    assert (saved["answeredSelf"], saved["selfTotal"]) == (40, saved["total"])
    assert saved["grade"] is None and saved["provisionalGrade"] == "C"  # half unanswered: 37,5 as it stands
    early = await operator.execute(SUBMIT, {"input": {"evaluationId": evaluation}})
    assert _codes(early["submitSelfAssessment"]) == [("INCOMPLETE", "evaluationId")]
    rest = [{"criterionCode": code, "answer": "B", "note": "Dokumen tersedia."} for code in every[40:]]
    saved = _ok(
        (await operator.execute(SELF, {"input": {"evaluationId": evaluation, "answers": rest}}))["saveSelfAssessment"]
    )
    assert saved["selfTotal"] == "75" and saved["grade"] == "BB" and saved["complete"] is False

    # Evidence while self-assessing: a link to Bappeda, a Word file and a PDF to Biro Organisasi.
    link = await operator.execute(
        EVIDENCE,
        {
            "input": {
                "evaluationId": evaluation,
                "criterionCode": "1.a.1",
                "title": "Pedoman",
                "url": "https://jdih.singkawangkota.go.id/perwako-12-2024",
            }
        },
    )
    link_item = link["addEvaluationEvidence"]["evidence"]
    assert (link_item["kind"], link_item["verifier"], link_item["state"]) == ("LINK", "BAPPEDA", "PENDING")
    word = _docx()
    file = await operator.execute(
        EVIDENCE,
        {
            "input": {
                "evaluationId": evaluation,
                "criterionCode": "3.a.1",
                "title": "LKjIP 2025",
                "file": {"name": "lkjip.docx", "contentBase64": base64.b64encode(word).decode()},
            }
        },
    )
    file_item = file["addEvaluationEvidence"]["evidence"]
    assert file_item["mediaType"].endswith("wordprocessingml.document") and file_item["size"] == len(word)
    download = await operator.client.get(file_item["url"], headers={"authorization": f"Bearer {operator.token}"})
    assert download.status_code == 200 and download.content == word
    assert download.headers["x-content-sha256"] == file_item["sha256"]
    assert (await fresh_api.anonymous().client.get(file_item["url"])).status_code == 401
    stranger = await fresh_api.as_user("operator.61.71")
    hidden = await stranger.client.get(file_item["url"], headers={"authorization": f"Bearer {stranger.token}"})
    assert hidden.status_code == 404
    for name, content, code in [
        ("catatan.txt", b"bukan dokumen", "UNSUPPORTED_FILE_TYPE"),
        ("palsu.pdf", b"MZ\x90\x00 not a pdf", "UNSUPPORTED_FILE_TYPE"),
        ("besar.pdf", PDF + b"0" * (2 * 1024 * 1024), "FILE_TOO_LARGE"),
    ]:
        bad = await operator.execute(
            EVIDENCE,
            {
                "input": {
                    "evaluationId": evaluation,
                    "criterionCode": "3.a.1",
                    "title": "x",
                    "file": {"name": name, "contentBase64": base64.b64encode(content).decode()},
                }
            },
        )
        assert [e["code"] for e in bad["addEvaluationEvidence"]["userErrors"]] == [code], name
    both = await operator.execute(
        EVIDENCE,
        {
            "input": {
                "evaluationId": evaluation,
                "criterionCode": "3.a.1",
                "title": "x",
                "url": "https://a.go.id/x",
                "file": {"name": "a.pdf", "contentBase64": base64.b64encode(PDF).decode()},
            }
        },
    )
    assert [e["code"] for e in both["addEvaluationEvidence"]["userErrors"]] == ["ONE_KIND_OF_EVIDENCE"]

    submitted = _ok((await operator.execute(SUBMIT, {"input": {"evaluationId": evaluation}}))["submitSelfAssessment"])
    assert submitted["state"] == "VERIFICATION"
    late_self = await operator.execute(SELF, {"input": {"evaluationId": evaluation, "answers": half[:1]}})
    assert [e["code"] for e in late_self["saveSelfAssessment"]["userErrors"]] == ["WRONG_STAGE"]

    # Verification: each item by its agency. The Inspektorat may not verify Bappeda's item.
    wrong_agency = await evaluator.execute(VERIFY, {"input": {"evidenceId": link_item["id"], "accept": True}})
    assert [e["code"] for e in wrong_agency["verifyEvaluationEvidence"]["userErrors"]] == ["FORBIDDEN"]
    no_reason = await admin.execute(VERIFY, {"input": {"evidenceId": link_item["id"], "accept": False}})
    assert [e["code"] for e in no_reason["verifyEvaluationEvidence"]["userErrors"]] == ["REASON_REQUIRED"]
    rejected = await admin.execute(
        VERIFY, {"input": {"evidenceId": link_item["id"], "accept": False, "reason": "Tautan tidak dapat dibuka."}}
    )
    assert rejected["verifyEvaluationEvidence"]["evidence"]["state"] == "REJECTED"
    blocked = await evaluator.execute(ADVANCE, {"input": {"evaluationId": evaluation, "fromStage": "VERIFICATION"}})
    assert _codes(blocked["advanceEvaluation"]) == [("EVIDENCE_PENDING", "evaluationId")]
    fixed = await operator.execute(
        EVIDENCE,
        {
            "input": {
                "evaluationId": evaluation,
                "criterionCode": "1.a.1",
                "title": "Pedoman (diperbaiki)",
                "file": {"name": "pedoman.pdf", "contentBase64": base64.b64encode(PDF).decode()},
                "replacesEvidenceId": link_item["id"],
            }
        },
    )
    fixed_item = fixed["addEvaluationEvidence"]["evidence"]
    for item in (fixed_item, file_item):
        accepted = await admin.execute(VERIFY, {"input": {"evidenceId": item["id"], "accept": True}})
        assert accepted["verifyEvaluationEvidence"]["evidence"]["state"] == "ACCEPTED"
    for stage in ("VERIFICATION", "QUALITY_ASSURANCE"):
        moved = await evaluator.execute(ADVANCE, {"input": {"evaluationId": evaluation, "fromStage": stage}})
        _ok(moved["advanceEvaluation"])
    stale = await evaluator.execute(ADVANCE, {"input": {"evaluationId": evaluation, "fromStage": "VERIFICATION"}})
    assert _codes(stale["advanceEvaluation"]) == [("STALE_STAGE", "fromStage")]

    # The assessor: components 1–2 B, 3–4 C → 65,00; 1.a.4 A above its prerequisite 1.a.3 B.
    answers = dict.fromkeys(criteria["1"] + criteria["2"], "B") | dict.fromkeys(criteria["3"] + criteria["4"], "C")
    answers["1.a.4"] = "A"
    proposals = await evaluator.execute(CRITERIA, {"id": evaluation, "code": "1.a.7"})
    (units,) = proposals["evaluation"]["criteria"]
    assert units["computed"]["proposedAnswer"] == "E" and units["computed"]["value"] == "0"
    assert units["selfAnswer"]["answer"] == "B" and units["assessorAnswer"] is None
    given = [{"criterionCode": code, "answer": answer} for code, answer in answers.items()]
    unexplained = await evaluator.execute(ASSESS, {"input": {"evaluationId": evaluation, "answers": given}})
    errors = unexplained["saveAssessment"]["userErrors"]
    assert errors and {e["code"] for e in errors} == {"NOTE_REQUIRED"}
    assert "answers.18.note" not in {e["field"] for e in errors}  # 1.c.2 is not computed
    still = (await evaluator.execute(EVALUATION, {"id": evaluation}))["evaluation"]
    assert still["assessed"] == 0 and still["total"] == "75"  # nothing was written
    noted = [{**item, "note": "Sesuai bukti dukung dan wawancara."} for item in given]
    assessed = _ok(
        (await evaluator.execute(ASSESS, {"input": {"evaluationId": evaluation, "answers": noted}}))["saveAssessment"]
    )
    assert assessed["total"] == "65.21" and assessed["grade"] == "B" and assessed["complete"] is True
    planning = assessed["components"][0]
    assert (planning["score"], planning["subComponents"][0]["score"]) == ("22.71", "4.71")  # 22,5 + 0,25 × 6/7
    assert [w for w in assessed["warnings"] if w["side"] == "ASSESSOR"] == [
        {
            "criterionCode": "1.a.4",
            "comparatorCode": "1.a.3",
            "message": "SALAH: dokumen perencanaan jangka menengah (RPJMD/Renstra) tidak ada",
            "side": "ASSESSOR",
        }
    ]
    outside = await evaluator.execute(
        ASSESS, {"input": {"evaluationId": evaluation, "answers": [{"criterionCode": "1.a.1", "answer": "Y"}]}}
    )
    assert _codes(outside["saveAssessment"]) == [("INVALID_ANSWER", "answers.0.answer")]
    recommended = await evaluator.execute(
        RECOMMEND,
        {
            "input": {
                "evaluationId": evaluation,
                "criterionCode": "1.a.7",
                "text": "Tetapkan perjanjian kinerja setiap perangkat daerah paling lambat Februari.",
            }
        },
    )
    recommendation = recommended["addEvaluationRecommendation"]["recommendation"]
    _ok(
        (
            await evaluator.execute(
                NOTES,
                {
                    "input": {
                        "evaluationId": evaluation,
                        "notes": [
                            {
                                "componentCode": "1",
                                "text": "Perencanaan kinerja telah tersedia, kualitasnya perlu ditingkatkan.",
                            }
                        ],
                    }
                },
            )
        )["saveEvaluationNotes"]
    )
    unacknowledged = await evaluator.execute(ADVANCE, {"input": {"evaluationId": evaluation, "fromStage": "SCORING"}})
    assert _codes(unacknowledged["advanceEvaluation"]) == [("WARNINGS_NOT_ACKNOWLEDGED", "evaluationId")]
    _ok((await evaluator.execute(ACK, {"input": {"evaluationId": evaluation}}))["acknowledgeEvaluationWarnings"])
    sent = _ok(
        (await evaluator.execute(ADVANCE, {"input": {"evaluationId": evaluation, "fromStage": "SCORING"}}))[
            "advanceEvaluation"
        ]
    )
    assert sent["state"] == "RESULT_SENT" and sent["schedule"]["disputeDue"] is not None

    # The unit disputes 2.a.1; the assessor changes it to A: +0,25 × 6/3 = 0,50.
    no_why = await operator.execute(
        DISPUTE, {"input": {"evaluationId": evaluation, "disputes": [{"criterionCode": "2.a.1", "reason": " "}]}}
    )
    assert _codes(no_why["disputeEvaluation"]) == [("REASON_REQUIRED", "disputes.0.reason")]
    disputed = await operator.execute(
        DISPUTE,
        {
            "input": {
                "evaluationId": evaluation,
                "disputes": [{"criterionCode": "2.a.1", "reason": "Pedoman pengukuran ditetapkan Perwako 3/2025."}],
            }
        },
    )
    assert _ok(disputed["disputeEvaluation"])["state"] == "DISPUTED"
    early_final = await evaluator.execute(FINALISE, {"input": {"evaluationId": evaluation}})
    assert _codes(early_final["finaliseEvaluation"]) == [("DISPUTES_OPEN", "evaluationId")]
    resolved = await evaluator.execute(
        RESOLVE,
        {
            "input": {
                "evaluationId": evaluation,
                "criterionCode": "2.a.1",
                "answer": "A",
                "rebuttal": "Perwako 3/2025 diterima sebagai bukti.",
            }
        },
    )
    after = _ok(resolved["resolveEvaluationDispute"])
    assert after["total"] == "65.71" and after["disputes"] == [
        {
            "criterionCode": "2.a.1",
            "outcome": "CHANGED",
            "answerBefore": "B",
            "answerAfter": "A",
            "rebuttal": "Perwako 3/2025 diterima sebagai bukti.",
        }
    ]
    _ok((await evaluator.execute(ACK, {"input": {"evaluationId": evaluation}}))["acknowledgeEvaluationWarnings"])
    owner = make_url(fresh_url).set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(owner) as conn:  # the evaluator's account holder, as the staff register names them
        conn.execute(
            "UPDATE app_user SET display_name = 'Dra. Sri Wahyuni, M.Si.', nip = '197503122000032004' "
            "WHERE username = 'evaluator.61'"
        )
    final = _ok((await evaluator.execute(FINALISE, {"input": {"evaluationId": evaluation}}))["finaliseEvaluation"])
    assert (final["state"], final["total"], final["grade"], final["gradeLabel"]) == ("FINAL", "65.71", "B", "Baik")
    # The frozen LHE is signed by that person, with the NIP, on the day of finalising in WIB.
    reports = (await evaluator.execute(DOCUMENTS, {"scope": government}))["evaluations"]
    report = next(e for e in reports if e["year"] == 2025)
    word_url = next(d["url"] for d in report["documents"] if d["format"] == "DOCX")
    signed = await evaluator.client.get(word_url, headers={"authorization": f"Bearer {evaluator.token}"})
    signature = [p.text for p in WordDocument(io.BytesIO(signed.content)).paragraphs][-4:]
    assert signature == [
        _wib_day(report["finalisedAt"]),
        "Tim Evaluator",
        "Dra. Sri Wahyuni, M.Si.",
        "NIP. 197503122000032004",
    ]

    # FINAL is frozen: no step through the API, and none in the database as the app role.
    frozen = await evaluator.execute(ASSESS, {"input": {"evaluationId": evaluation, "answers": given[:1]}})
    assert [e["code"] for e in frozen["saveAssessment"]["userErrors"]] == ["WRONG_STAGE"]
    url = make_url(as_role(fresh_url)).set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(url) as conn:
        for statement in (
            "UPDATE sakip_evaluation SET total = 99 WHERE state = 'FINAL' AND year = 2025 AND org_unit_id IN "
            "(SELECT id FROM org_unit WHERE code = '61.72' AND kind = 'PEMDA')",
            "UPDATE evaluation_answer SET assessor_answer = 'A' WHERE criterion_code = '1.a.1' AND evaluation_id IN "
            "(SELECT id FROM sakip_evaluation WHERE state = 'FINAL')",
            "UPDATE evaluation_recommendation SET text = 'lain'",
        ):
            with pytest.raises(psycopg.errors.IntegrityConstraintViolation):
                conn.execute(statement)
            conn.rollback()
        # The LHE frozen at FINAL: the app role may not even try, and the owner is refused too.
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute("UPDATE evaluation_report SET pdf_sha256 = 'x'")
        conn.rollback()
    with psycopg.connect(owner) as conn, pytest.raises(psycopg.errors.IntegrityConstraintViolation):
        conn.execute("DELETE FROM evaluation_report")

    # Every step is in the audit log, by whom and with what changed.
    trail = await evaluator.execute(AUDIT, {"actor": "evaluator.61"})
    actions = [e["node"]["action"] for e in trail["auditLog"]["edges"] if e["node"]["entityType"] == "evaluation"]
    for expected in ("evaluation.start", "evaluation.assess", "evaluation.advance", "evaluation.resolve_dispute",
                     "evaluation.finalise", "evaluation.recommend"):  # fmt: skip
        assert expected in actions, expected
    unit_trail = await evaluator.execute(AUDIT, {"actor": "operator.61.72"})
    assert {e["node"]["action"] for e in unit_trail["auditLog"]["edges"]} >= {
        "evaluation.self_assess",
        "evaluation.evidence_add",
        "evaluation.submit",
        "evaluation.dispute",
    }

    # Public once published: the grade and components, not the criteria.
    assert (await fresh_api.anonymous().execute(EVALUATION, {"id": evaluation}))["evaluation"] is None
    _ok((await evaluator.execute(PUBLISH, {"input": {"evaluationId": evaluation}}))["publishEvaluation"])
    public = (await fresh_api.anonymous().execute(CRITERIA, {"id": evaluation, "code": None}))["evaluation"]
    assert public["criteria"] is None
    listed = (await fresh_api.anonymous().execute(LIST, {"scope": government, "year": 2025}))["evaluations"]
    assert [(e["unit"]["code"], e["total"], e["grade"]) for e in listed] == [("61.72", "65.71", "B")]

    # Follow-up by the unit after FINAL, read by the next year's evaluation (4.c.1 proposal).
    over = await operator.execute(
        FOLLOW_UP,
        {
            "input": {
                "recommendationId": recommendation["id"],
                "actionPlan": "Surat edaran Sekda",
                "personInCharge": "Kepala Bagian Organisasi",
                "progress": 120,
            }
        },
    )
    assert _codes(over["recordRecommendationFollowUp"]) == [("INVALID_PROGRESS", "progress")]
    done = await operator.execute(
        FOLLOW_UP,
        {
            "input": {
                "recommendationId": recommendation["id"],
                "actionPlan": "Surat edaran Sekda",
                "personInCharge": "Kepala Bagian Organisasi",
                "progress": 100,
                "targetDate": "2026-02-28",
                "evidenceUrl": "https://singkawangkota.go.id/se-sekda-2026",
            }
        },
    )
    assert done["recordRecommendationFollowUp"]["recommendation"]["done"] is True
    next_year = _ok(
        (await evaluator.execute(START, {"input": {"orgUnitId": root, "year": 2026, **SCHEDULE}}))["startEvaluation"]
    )
    (followed,) = (await operator.execute(CRITERIA, {"id": next_year["id"], "code": "4.c.1"}))["evaluation"]["criteria"]
    assert (followed["computed"]["value"], followed["computed"]["proposedAnswer"]) == ("100", "A")
    previous = (
        await operator.execute(
            "query($id: ID!) { evaluation(id: $id) { previous { year grade recommendations { text done } } } }",
            {"id": next_year["id"]},
        )
    )["evaluation"]["previous"]
    assert previous["year"] == 2025 and previous["grade"] == "B" and previous["recommendations"][0]["done"] is True


async def test_scope_deadlines_and_the_province_grant(fresh_api: Api) -> None:
    _, root, agencies = await _root(fresh_api, "61.71")
    inspektorat = await fresh_api.as_user("evaluator.61.71")  # the Inspektorat of Kota Pontianak
    # A kab/kota is evaluated by the province, not by its own Inspektorat; its OPD are.
    own = await inspektorat.execute(START, {"input": {"orgUnitId": root, "year": 2024, **SCHEDULE}})
    assert _codes(own["startEvaluation"]) == [("FORBIDDEN", "orgUnitId")]
    past = {**SCHEDULE, "selfAssessmentDue": "2026-01-31"}
    started = await inspektorat.execute(START, {"input": {"orgUnitId": agencies["DINKES"], "year": 2025, **past}})
    evaluation = _ok(started["startEvaluation"])
    assert evaluation["overdue"] is True
    operator = await fresh_api.as_user("operator.61.71.dinkes")
    late = await operator.execute(
        SELF, {"input": {"evaluationId": evaluation["id"], "answers": [{"criterionCode": "1.a.1", "answer": "A"}]}}
    )
    assert _codes(late["saveSelfAssessment"]) == [("DEADLINE_PASSED", "evaluationId")]
    # The Inspektorat extends the self-assessment; the unit's answer is then taken.
    extension = {"evaluationId": evaluation["id"], **SCHEDULE}
    not_theirs = await operator.execute(SCHEDULE_CHANGE, {"input": extension})
    assert _codes(not_theirs["updateEvaluationSchedule"]) == [("FORBIDDEN", "evaluationId")]
    extended = _ok((await inspektorat.execute(SCHEDULE_CHANGE, {"input": extension}))["updateEvaluationSchedule"])
    assert extended["overdue"] is False and extended["currentDue"] == "2027-01-31"
    taken = await operator.execute(
        SELF, {"input": {"evaluationId": evaluation["id"], "answers": [{"criterionCode": "1.a.1", "answer": "A"}]}}
    )
    assert _ok(taken["saveSelfAssessment"])["answeredSelf"] == 1
    other = await fresh_api.as_user("operator.61.72")
    assert (await other.execute(EVALUATION, {"id": evaluation["id"]}))["evaluation"] is None
    hidden = await other.execute(
        SELF, {"input": {"evaluationId": evaluation["id"], "answers": [{"criterionCode": "1.a.1", "answer": "A"}]}}
    )
    assert _codes(hidden["saveSelfAssessment"]) == [("NOT_FOUND", "evaluationId")]
    disorder = {**SCHEDULE, "verificationDue": "2026-12-01"}
    refused = await inspektorat.execute(START, {"input": {"orgUnitId": agencies["DISDIK"], "year": 2025, **disorder}})
    assert _codes(refused["startEvaluation"]) == [("SCHEDULE_ORDER", "verificationDue")]
    unknown = await inspektorat.execute(
        START, {"input": {"orgUnitId": agencies["DISDIK"], "year": 2025, "modelCode": "LKE-1999", **SCHEDULE}}
    )
    assert _codes(unknown["startEvaluation"]) == [("UNKNOWN_MODEL", "modelCode")]
    older = await inspektorat.execute(
        START,
        {"input": {"orgUnitId": agencies["DISDIK"], "year": 2025, "modelCode": "PERMENPANRB-12-2015", **SCHEDULE}},
    )
    assert _ok(older["startEvaluation"])["criteriaCount"] == 61


async def test_the_demo_evaluation_is_final_grade_b_and_its_follow_up_shows_in_2026(demo_api: Api) -> None:
    pontianak, _, _ = await _root(demo_api, "61.71")
    public = (await demo_api.anonymous().execute(LIST, {"scope": pontianak, "year": None}))["evaluations"]
    assert [(e["unit"]["code"], e["year"], e["grade"]) for e in public] == [("61.71", 2025, "B")]
    seen = await (await demo_api.as_user("operator.61.71")).execute(LIST, {"scope": pontianak, "year": None})
    assert [(e["year"], e["grade"]) for e in seen["evaluations"]] == [(2026, None), (2025, "B")]
    done = [r["done"] for r in public[0]["recommendations"]]
    assert True in done and False in done


async def test_listing_evaluations_takes_the_same_statements_for_any_number(fresh_api: Api) -> None:
    evaluator = await fresh_api.as_user("evaluator.61")
    province = (await fresh_api.execute('query { government(code: "61") { id } }'))["government"]["id"]
    query = LIST + ""
    _, one = await evaluator.count_statements(query, {"scope": province, "year": None})
    _, root, _ = await _root(fresh_api, "61.72")
    _ok((await evaluator.execute(START, {"input": {"orgUnitId": root, "year": 2025, **SCHEDULE}}))["startEvaluation"])
    found, more = await evaluator.count_statements(query, {"scope": province, "year": None})
    assert len(found["evaluations"]) == 3 and more == one


DOCUMENTS = """
query($scope: ID!) { evaluations(scope: $scope) {
  year state finalisedAt qualityAssurance { approvedAt } documents { format url final sha256 } } }
"""


def _wib_day(timestamp: str) -> str:
    return indonesian_date(datetime.fromisoformat(timestamp).astimezone(ZoneInfo("Asia/Jakarta")).date())


def _pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


async def test_the_lhe_prints_the_component_table_grade_and_recommendations(demo_api: Api) -> None:
    pontianak, _, _ = await _root(demo_api, "61.71")
    operator = await demo_api.as_user("operator.61.71")
    found = {e["year"]: e for e in (await operator.execute(DOCUMENTS, {"scope": pontianak}))["evaluations"]}
    docx_url, pdf_url = (d["url"] for d in found[2025]["documents"])
    assert found[2025]["documents"][0]["final"] is True and found[2026]["documents"][0]["final"] is False

    word = await demo_api.anonymous().client.get(docx_url)  # published: anyone
    assert word.status_code == 200
    # Frozen at FINAL: the same bytes every time, with the digest the API lists.
    digest = found[2025]["documents"][0]["sha256"]
    assert word.headers["x-content-sha256"] == digest == hashlib.sha256(word.content).hexdigest()
    assert (await demo_api.anonymous().client.get(docx_url)).content == word.content
    assert found[2026]["documents"][0]["sha256"] is None
    document = WordDocument(io.BytesIO(word.content))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "LAPORAN HASIL EVALUASI" in text and "KOTA PONTIANAK" in text.upper() and "DRAF" not in text
    assert 'nilai 65,68 dari nilai maksimal 100 dengan predikat "B" (BAIK)' in text
    components, comparison = document.tables
    assert [c.text for c in components.rows[0].cells] == ["No", "Komponen", "Bobot", "Nilai", "Persentase Capaian (%)"]
    assert [c.text for c in components.rows[1].cells] == ["1", "Perencanaan Kinerja", "30,00", "22,93", "76,43"]
    assert [c.text for c in components.rows[5].cells][1:4] == ["Jumlah", "100,00", "65,68"]
    assert components.rows[6].cells[3].text == "B (Baik)"
    assert [c.text for c in comparison.rows[1].cells][3:] == ["-", "22,93"]  # no 2024 evaluation
    assert "Kaitkan pemberian TPP dengan capaian kinerja" in text
    # The province's quality assurer approved the scoring before the result was sent; the report
    # names accounts' holders, not usernames, and dates them in WIB as the pages do.
    approved_on = _wib_day(found[2025]["qualityAssurance"]["approvedAt"])
    assert (
        "Penjaminan kualitas atas penilaian telah dilaksanakan dan disetujui oleh Pengendali Mutu Inspektorat "
        f"Provinsi Kalimantan Barat pada {approved_on}." in text
    )
    assert [p.text for p in document.paragraphs][-3:] == [
        _wib_day(found[2025]["finalisedAt"]),
        "Tim Evaluator",
        "Inspektorat Provinsi Kalimantan Barat",
    ]

    pdf = await demo_api.anonymous().client.get(pdf_url)
    assert pdf.status_code == 200 and pdf.headers["content-type"] == "application/pdf"
    printed = _pdf_text(pdf.content)
    assert "65,68" in printed and "B (Baik)" in printed and "Bab III Rekomendasi" in printed
    assert "disetujui oleh Pengendali Mutu Inspektorat Provinsi Kalimantan Barat" in " ".join(printed.split())

    draft_url = found[2026]["documents"][0]["url"]
    assert (await demo_api.anonymous().client.get(draft_url)).status_code == 401
    draft = await operator.client.get(draft_url, headers={"authorization": f"Bearer {operator.token}"})
    assert draft.status_code == 200
    assert "DRAF" in "\n".join(p.text for p in WordDocument(io.BytesIO(draft.content)).paragraphs)
    assert (await operator.client.get(docx_url.replace(".docx", ".odt"))).status_code == 404
