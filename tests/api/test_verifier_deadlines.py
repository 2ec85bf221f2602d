"""Each verifier agency's own due date for the evidence routed to it (Bappeda, Bagian/Biro
Organisasi, Inspektorat), set by the evaluator within the verification stage: shown on the
schedule and on each item, late items flagged, bad dates refused with nothing written."""

from datetime import timedelta
from typing import Any

from schema.context import today
from tests.api.client import Api
from tests.api.test_sakip_evaluation import _codes, _root

FIELDS = """id schedule { selfAssessmentDue verificationDue verifierDues { verifier due own } }
  evidence { criterionCode verifier verifierDue overdue state }"""
CHANGE = f"""mutation($input: UpdateEvaluationScheduleInput!) {{ updateEvaluationSchedule(input: $input) {{
  userErrors {{ code field message }} evaluation {{ {FIELDS} }} }} }}"""
LIST = f"query($scope: ID!) {{ evaluations(scope: $scope, year: 2026) {{ {FIELDS} }} }}"
EVIDENCE = """mutation($input: AddEvaluationEvidenceInput!) { addEvaluationEvidence(input: $input) {
  userErrors { code field } evidence { verifier verifierDue overdue } } }"""


def _dues(evaluation: dict[str, Any]) -> dict[str, tuple[str, bool]]:
    return {d["verifier"]: (d["due"], d["own"]) for d in evaluation["schedule"]["verifierDues"]}


async def test_verifier_agencies_have_due_dates_of_their_own(fresh_api: Api) -> None:
    pontianak, _, _ = await _root(fresh_api, "61.71")
    evaluator = await fresh_api.as_user("evaluator.61")
    (evaluation,) = (await evaluator.execute(LIST, {"scope": pontianak}))["evaluations"]  # 2026, self-assessment
    day = today()
    stages = {
        "evaluationId": evaluation["id"],
        "selfAssessmentDue": (day + timedelta(days=10)).isoformat(),
        "verificationDue": (day + timedelta(days=40)).isoformat(),
        "qualityAssuranceDue": (day + timedelta(days=60)).isoformat(),
    }
    late = (day + timedelta(days=41)).isoformat()
    outside = await evaluator.execute(
        CHANGE, {"input": {**stages, "verifierDues": [{"verifier": "BAPPEDA", "due": late}]}}
    )
    assert _codes(outside["updateEvaluationSchedule"]) == [("VERIFIER_DUE_OUTSIDE_VERIFICATION", "verifierDues.0.due")]
    bappeda = (day + timedelta(days=20)).isoformat()
    twice = [{"verifier": "BAPPEDA", "due": bappeda}, {"verifier": "BAPPEDA", "due": bappeda}]
    duplicate = await evaluator.execute(CHANGE, {"input": {**stages, "verifierDues": twice}})
    assert _codes(duplicate["updateEvaluationSchedule"]) == [("DUPLICATE_VERIFIER", "verifierDues.1")]
    unchanged = (await evaluator.execute(LIST, {"scope": pontianak}))["evaluations"][0]
    assert unchanged["schedule"] == evaluation["schedule"]  # nothing written

    saved = await evaluator.execute(CHANGE, {"input": {**stages, "verifierDues": twice[:1]}})
    assert saved["updateEvaluationSchedule"]["userErrors"] == []
    assert _dues(saved["updateEvaluationSchedule"]["evaluation"]) == {
        "BAPPEDA": (bappeda, True),
        "ORGANISASI": (stages["verificationDue"], False),
        "INSPEKTORAT": (stages["verificationDue"], False),
    }
    # An extension that names no agency keeps their dates; an empty list drops them.
    extended = {**stages, "qualityAssuranceDue": (day + timedelta(days=70)).isoformat()}
    kept = await evaluator.execute(CHANGE, {"input": extended})
    assert _dues(kept["updateEvaluationSchedule"]["evaluation"])["BAPPEDA"] == (bappeda, True)
    dropped = await evaluator.execute(CHANGE, {"input": {**extended, "verifierDues": []}})
    assert _dues(dropped["updateEvaluationSchedule"]["evaluation"])["BAPPEDA"] == (stages["verificationDue"], False)

    # Evidence the unit adds carries its agency's due date; past it, still pending, it is late.
    operator = await fresh_api.as_user("operator.61.71")
    link = {"evaluationId": evaluation["id"], "criterionCode": "1.a.1", "title": "Perda RPJMD",
            "url": "https://jdih.pontianak.go.id/rpjmd"}  # fmt: skip
    added = (await operator.execute(EVIDENCE, {"input": link}))["addEvaluationEvidence"]
    assert added["userErrors"] == [] and added["evidence"]["overdue"] is False
    verifier = added["evidence"]["verifier"]
    passed = (day - timedelta(days=3)).isoformat()
    behind = {**stages, "selfAssessmentDue": (day - timedelta(days=5)).isoformat(),
              "verifierDues": [{"verifier": verifier, "due": passed}]}  # fmt: skip
    moved = (await evaluator.execute(CHANGE, {"input": behind}))["updateEvaluationSchedule"]
    assert moved["userErrors"] == []
    (item,) = [e for e in moved["evaluation"]["evidence"] if e["criterionCode"] == "1.a.1"]
    assert (item["verifierDue"], item["overdue"], item["state"]) == (passed, True, "PENDING")
    others = [v for v in ("BAPPEDA", "ORGANISASI", "INSPEKTORAT") if v != verifier]
    assert {v: _dues(moved["evaluation"])[v] for v in others} == dict.fromkeys(
        others, (stages["verificationDue"], False)
    )
