"""Quality assurance (penjaminan kualitas) of a SAKIP evaluation: the province Inspektorat's
pengendali mutu raises findings on criteria's scoring, the assessor answers each (keeping or
changing the answer), and only the assurer's approval ends the stage where the schedule asks it.
An assurer who assessed criteria may not approve them; the evaluated unit never reads the findings;
a FINAL evaluation's findings are frozen in the database."""

from typing import Any

import psycopg
import pytest
from sqlalchemy.engine import make_url

from store.roles import as_role
from tests.api.client import Api
from tests.api.test_sakip_evaluation import ADVANCE, ASSESS, AUDIT, SCHEDULE, SELF, SUBMIT, _codes, _models, _ok, _root

FIELDS = """id state total canAssure canConduct schedule { qualityAssuranceRequired }
  qualityAssurance { required approvedBy approvedAt note }
  qualityFindings { criterionCode note raisedBy open outcome answerBefore answerAfter response respondedBy }"""
PAYLOAD = f"userErrors {{ code field message }} evaluation {{ {FIELDS} }}"
START = f"mutation($input: StartEvaluationInput!) {{ startEvaluation(input: $input) {{ {PAYLOAD} }} }}"
RAISE = f"mutation($input: RaiseQualityFindingsInput!) {{ raiseQualityFindings(input: $input) {{ {PAYLOAD} }} }}"
ANSWER = f"mutation($input: AnswerQualityFindingInput!) {{ answerQualityFinding(input: $input) {{ {PAYLOAD} }} }}"
APPROVE = (
    f"mutation($input: ApproveQualityAssuranceInput!) {{ approveQualityAssurance(input: $input) {{ {PAYLOAD} }} }}"
)
SCHEDULE_CHANGE = (
    f"mutation($input: UpdateEvaluationScheduleInput!) {{ updateEvaluationSchedule(input: $input) {{ {PAYLOAD} }} }}"
)
EVALUATION = f"query($id: ID!) {{ evaluation(id: $id) {{ {FIELDS} }} }}"
LIST = f"query($scope: ID!) {{ evaluations(scope: $scope, year: 2025) {{ {FIELDS} }} }}"


async def _at_quality_assurance(fresh_api: Api) -> tuple[str, Api, Api]:
    """Kota Singkawang's 2025 evaluation by the province, assessed all B, at quality assurance,
    with the assurer's approval required."""
    evaluator = await fresh_api.as_user("evaluator.61")
    operator = await fresh_api.as_user("operator.61.72")
    _, root, _ = await _root(fresh_api, "61.72")
    every = [code for codes in (await _models(fresh_api)).values() for code in codes]
    given = {"orgUnitId": root, "year": 2025, "requireQualityAssurance": True, **SCHEDULE}
    started = _ok((await evaluator.execute(START, {"input": given}))["startEvaluation"])
    assert started["schedule"]["qualityAssuranceRequired"] is True
    evaluation = started["id"]
    own = [{"criterionCode": code, "answer": "B"} for code in every]
    _ok((await operator.execute(SELF, {"input": {"evaluationId": evaluation, "answers": own}}))["saveSelfAssessment"])
    _ok((await operator.execute(SUBMIT, {"input": {"evaluationId": evaluation}}))["submitSelfAssessment"])
    assessed = [{"criterionCode": code, "answer": "B", "note": "Sesuai bukti dukung."} for code in every]
    _ok(
        (await evaluator.execute(ASSESS, {"input": {"evaluationId": evaluation, "answers": assessed}}))[
            "saveAssessment"
        ]
    )
    moved = await evaluator.execute(ADVANCE, {"input": {"evaluationId": evaluation, "fromStage": "VERIFICATION"}})
    assert _ok(moved["advanceEvaluation"])["state"] == "QUALITY_ASSURANCE"
    return evaluation, evaluator, operator


def _findings(evaluation: dict[str, Any]) -> list[tuple[str, bool, str | None]]:
    return [(f["criterionCode"], f["open"], f["outcome"]) for f in evaluation["qualityFindings"]]


def _plain(url: str) -> str:
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


async def test_the_assurer_raises_findings_the_assessor_answers_and_the_assurer_approves(
    fresh_api: Api, fresh_url: str
) -> None:
    evaluation, evaluator, operator = await _at_quality_assurance(fresh_api)
    assurer = await fresh_api.as_user("quality_assurer.61")
    seen = (await assurer.execute(EVALUATION, {"id": evaluation}))["evaluation"]
    assert (seen["canAssure"], seen["canConduct"], seen["qualityFindings"]) == (True, False, [])
    assert (await evaluator.execute(EVALUATION, {"id": evaluation}))["evaluation"]["canAssure"] is False

    # Bad input writes nothing: no finding, an unknown criterion, an empty note, the evaluator.
    empty = await assurer.execute(RAISE, {"input": {"evaluationId": evaluation, "findings": []}})
    assert _codes(empty["raiseQualityFindings"]) == [("EMPTY_BATCH", "findings")]
    bad = [{"criterionCode": "9.z.9", "note": "x"}, {"criterionCode": "1.b.5", "note": "  "}]
    refused = await assurer.execute(RAISE, {"input": {"evaluationId": evaluation, "findings": bad}})
    assert _codes(refused["raiseQualityFindings"]) == [
        ("UNKNOWN_CRITERION", "findings.0.criterionCode"),
        ("REASON_REQUIRED", "findings.1.note"),
    ]
    findings = [
        {"criterionCode": "1.b.5", "note": "Nilai B belum didukung kertas kerja reviu indikator."},
        {"criterionCode": "2.a.1", "note": "Pedoman pengukuran telah ditetapkan Perwako: nilai dapat A."},
    ]
    not_theirs = await evaluator.execute(RAISE, {"input": {"evaluationId": evaluation, "findings": findings}})
    assert _codes(not_theirs["raiseQualityFindings"]) == [("FORBIDDEN", "evaluationId")]
    assert (await assurer.execute(EVALUATION, {"id": evaluation}))["evaluation"]["qualityFindings"] == []

    raised = _ok(
        (await assurer.execute(RAISE, {"input": {"evaluationId": evaluation, "findings": findings}}))[
            "raiseQualityFindings"
        ]
    )
    assert _findings(raised) == [("1.b.5", True, None), ("2.a.1", True, None)]
    assert raised["qualityFindings"][0]["answerBefore"] == "B"
    assert raised["qualityFindings"][0]["raisedBy"] == "quality_assurer.61"
    again = await assurer.execute(RAISE, {"input": {"evaluationId": evaluation, "findings": findings[:1]}})
    assert _codes(again["raiseQualityFindings"]) == [("FINDING_OPEN", "findings.0.criterionCode")]
    # The evaluated unit reads its evaluation, not the evaluating team's working papers.
    theirs = (await operator.execute(EVALUATION, {"id": evaluation}))["evaluation"]
    assert theirs["qualityFindings"] is None and theirs["qualityAssurance"]["required"] is True

    # The stage is held: the evaluator may not skip the assurer, nor end it with findings open.
    skip = await evaluator.execute(ADVANCE, {"input": {"evaluationId": evaluation, "fromStage": "QUALITY_ASSURANCE"}})
    assert _codes(skip["advanceEvaluation"]) == [("QUALITY_ASSURANCE_REQUIRED", "fromStage")]
    early = await assurer.execute(APPROVE, {"input": {"evaluationId": evaluation, "fromStage": "QUALITY_ASSURANCE"}})
    assert _codes(early["approveQualityAssurance"]) == [("QUALITY_FINDINGS_OPEN", "evaluationId")]
    optional = {"evaluationId": evaluation, **SCHEDULE, "requireQualityAssurance": False}
    relaxed = _ok((await evaluator.execute(SCHEDULE_CHANGE, {"input": optional}))["updateEvaluationSchedule"])
    assert relaxed["schedule"]["qualityAssuranceRequired"] is False
    held = await evaluator.execute(ADVANCE, {"input": {"evaluationId": evaluation, "fromStage": "QUALITY_ASSURANCE"}})
    assert _codes(held["advanceEvaluation"]) == [("QUALITY_FINDINGS_OPEN", "evaluationId")]
    kept = _ok(
        (await evaluator.execute(SCHEDULE_CHANGE, {"input": {"evaluationId": evaluation, **SCHEDULE}}))[
            "updateEvaluationSchedule"
        ]
    )
    assert kept["schedule"]["qualityAssuranceRequired"] is False  # null keeps it
    required = {"evaluationId": evaluation, **SCHEDULE, "requireQualityAssurance": True}
    _ok((await evaluator.execute(SCHEDULE_CHANGE, {"input": required}))["updateEvaluationSchedule"])

    # The assessor answers: keeps 1.b.5 with the working paper, changes 2.a.1 to A (the score moves).
    answer = {"evaluationId": evaluation, "criterionCode": "1.b.5"}
    silent = await evaluator.execute(ANSWER, {"input": {**answer, "response": " "}})
    assert _codes(silent["answerQualityFinding"]) == [("REASON_REQUIRED", "response")]
    off_scale = await evaluator.execute(ANSWER, {"input": {**answer, "response": "x", "answer": "Z"}})
    assert [e["code"] for e in off_scale["answerQualityFinding"]["userErrors"]] == ["INVALID_ANSWER"]
    by_assurer = await assurer.execute(ANSWER, {"input": {**answer, "response": "x"}})
    assert _codes(by_assurer["answerQualityFinding"]) == [("FORBIDDEN", "evaluationId")]
    before = raised["total"]
    answered = _ok(
        (await evaluator.execute(ANSWER, {"input": {**answer, "response": "Kertas kerja reviu terlampir."}}))[
            "answerQualityFinding"
        ]
    )
    assert answered["total"] == before
    twice = await evaluator.execute(ANSWER, {"input": {**answer, "response": "lagi"}})
    assert _codes(twice["answerQualityFinding"]) == [("NOT_FOUND", "criterionCode")]
    changed = _ok(
        (await evaluator.execute(
            ANSWER,
            {"input": {"evaluationId": evaluation, "criterionCode": "2.a.1", "answer": "A",
                       "response": "Perwako pedoman pengukuran diterima; nilai diubah."}},
        ))["answerQualityFinding"]
    )  # fmt: skip
    assert _findings(changed) == [("1.b.5", False, "KEPT"), ("2.a.1", False, "CHANGED")]
    assert [(f["answerAfter"], f["respondedBy"]) for f in changed["qualityFindings"]] == [
        ("B", "evaluator.61"),
        ("A", "evaluator.61"),
    ]
    assert float(changed["total"]) > float(before)

    # An assurer who assessed criteria may not approve them (a review of one's own scoring).
    # Only one who holds a role grants it; here the platform's operator adds the grant (a Casbin rule).
    with psycopg.connect(_plain(fresh_url)) as conn:
        conn.execute(
            "INSERT INTO casbin_rule (ptype, v0, v1, v2) SELECT 'g', 'user:' || id, 'QUALITY_ASSURER', '61/' "
            "FROM app_user WHERE username = 'evaluator.61'"
        )
    both = await fresh_api.as_user("evaluator.61")
    own = await both.execute(APPROVE, {"input": {"evaluationId": evaluation, "fromStage": "QUALITY_ASSURANCE"}})
    assert _codes(own["approveQualityAssurance"]) == [("OWN_ASSESSMENT", "evaluationId")]

    stale = await assurer.execute(APPROVE, {"input": {"evaluationId": evaluation, "fromStage": "VERIFICATION"}})
    assert _codes(stale["approveQualityAssurance"]) == [("STALE_STAGE", "fromStage")]
    note = "Penilaian sesuai kertas kerja."
    approved = _ok(
        (await assurer.execute(
            APPROVE, {"input": {"evaluationId": evaluation, "fromStage": "QUALITY_ASSURANCE", "note": note}}
        ))["approveQualityAssurance"]
    )  # fmt: skip
    assert approved["state"] == "SCORING"
    assurance = approved["qualityAssurance"]
    assert (assurance["approvedBy"], assurance["note"], assurance["required"]) == ("quality_assurer.61", note, True)
    assert assurance["approvedAt"] is not None
    late = await assurer.execute(RAISE, {"input": {"evaluationId": evaluation, "findings": findings[:1]}})
    assert _codes(late["raiseQualityFindings"]) == [("WRONG_STAGE", "evaluationId")]

    admin = await fresh_api.as_user("admin.61")
    by_assurer = (await admin.execute(AUDIT, {"actor": "quality_assurer.61"}))["auditLog"]["edges"]
    assert [e["node"]["action"] for e in by_assurer][:2] == [
        "evaluation.quality_approve",
        "evaluation.quality_findings",
    ]
    by_assessor = (await admin.execute(AUDIT, {"actor": "evaluator.61"}))["auditLog"]["edges"]
    answers = [e["node"] for e in by_assessor if e["node"]["action"] == "evaluation.answer_quality_finding"]
    assert {(a["new"]["criterion"], a["new"]["outcome"]) for a in answers} == {("1.b.5", "KEPT"), ("2.a.1", "CHANGED")}


async def test_the_demo_evaluation_passed_quality_assurance_and_its_findings_are_frozen(
    fresh_api: Api, fresh_url: str
) -> None:
    pontianak, _, _ = await _root(fresh_api, "61.71")
    evaluator = await fresh_api.as_user("evaluator.61")
    (final,) = (await evaluator.execute(LIST, {"scope": pontianak}))["evaluations"]
    assert final["state"] == "FINAL" and final["qualityAssurance"]["approvedBy"] == "quality_assurer.61"
    assert _findings(final) == [("1.b.5", False, "KEPT")]
    public = (await fresh_api.anonymous().execute(LIST, {"scope": pontianak}))["evaluations"][0]
    assert (public["qualityFindings"], public["qualityAssurance"]) == (None, None)
    with psycopg.connect(_plain(as_role(fresh_url))) as conn:
        for statement in (
            "UPDATE evaluation_quality_finding SET note = 'diubah'",
            "DELETE FROM evaluation_quality_finding",
            "UPDATE sakip_evaluation SET quality_note = 'diubah' WHERE state = 'FINAL'",
        ):
            with pytest.raises(psycopg.errors.IntegrityConstraintViolation):
                conn.execute(statement)
            conn.rollback()


async def test_the_findings_of_a_list_take_one_statement(fresh_api: Api) -> None:
    province = (await fresh_api.execute('query { government(code: "61") { id } }'))["government"]["id"]
    evaluator = await fresh_api.as_user("evaluator.61")
    query = "query($scope: ID!) { evaluations(scope: $scope) { id qualityFindings { criterionCode } } }"
    bare = "query($scope: ID!) { evaluations(scope: $scope) { id } }"
    found, with_findings = await evaluator.count_statements(query, {"scope": province})
    _, without = await evaluator.count_statements(bare, {"scope": province})
    assert len(found["evaluations"]) == 2 and with_findings == without + 1
