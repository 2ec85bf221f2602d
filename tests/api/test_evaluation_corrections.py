"""Correcting a FINAL SAKIP evaluation (koreksi): the FINAL version stays frozen and public while
the correction is scored, the correction is a new version with its reason, and once FINAL it
replaces the old one everywhere a result is read; nothing is edited in place."""

import io
from typing import Any

import psycopg
import pytest
from docx import Document as WordDocument
from sqlalchemy.engine import make_url

from store.roles import as_role
from tests.api.client import Api
from tests.api.test_sakip_evaluation import ACK, ADVANCE, ASSESS, AUDIT, FINALISE, FOLLOW_UP, PUBLISH, _codes, _root

VERSION = """
  id year version state total grade publishedAt supersededAt correctionReason assessed
  corrects { id version } versions { version state total } recommendations { id text done }
  evidence { criterionCode state title } documents { format url sha256 }
"""
CORRECT = f"""
mutation($input: CorrectEvaluationInput!) {{ correctEvaluation(input: $input) {{
  userErrors {{ code field message }} evaluation {{ {VERSION} }} }} }}
"""
LIST = f"query($scope: ID!, $year: Int) {{ evaluations(scope: $scope, year: $year) {{ {VERSION} }} }}"
ONE = f"query($id: ID!) {{ evaluation(id: $id) {{ {VERSION} }} }}"
REASON = "Kriteria 2.a.1 dinilai tanpa Perwako 3/2025 tentang pedoman pengukuran kinerja, yang telah ada."


async def _final_2025(api: Api, scope: str) -> dict[str, Any]:
    (found,) = (await api.execute(LIST, {"scope": scope, "year": 2025}))["evaluations"]
    assert isinstance(found, dict)
    return found


async def test_a_final_result_is_corrected_as_a_new_version_with_its_reason(fresh_api: Api, fresh_url: str) -> None:
    pontianak, _, _ = await _root(fresh_api, "61.71")
    evaluator = await fresh_api.as_user("evaluator.61")  # the province evaluates its kota
    public = fresh_api.anonymous()
    first = await _final_2025(evaluator, pontianak)
    assert (first["version"], first["state"], first["total"], first["grade"]) == (1, "FINAL", "65.68", "B")
    first_lhe = {d["format"]: d for d in first["documents"]}

    # Refusals, each typed and writing nothing.
    no_reason = await evaluator.execute(CORRECT, {"input": {"evaluationId": first["id"], "reason": "  "}})
    assert _codes(no_reason["correctEvaluation"]) == [("REASON_REQUIRED", "reason")]
    unit = await fresh_api.as_user("operator.61.71")  # reads the result, may not correct it
    not_theirs = await unit.execute(CORRECT, {"input": {"evaluationId": first["id"], "reason": REASON}})
    assert _codes(not_theirs["correctEvaluation"]) == [("FORBIDDEN", "evaluationId")]
    (open_2026,) = (await evaluator.execute(LIST, {"scope": pontianak, "year": 2026}))["evaluations"]
    not_final = await evaluator.execute(CORRECT, {"input": {"evaluationId": open_2026["id"], "reason": REASON}})
    assert _codes(not_final["correctEvaluation"]) == [("WRONG_STAGE", "evaluationId")]
    hidden = await public.execute(CORRECT, {"input": {"evaluationId": first["id"], "reason": REASON}})
    assert [e["code"] for e in hidden["correctEvaluation"]["userErrors"]] in (["UNAUTHENTICATED"], ["NOT_FOUND"])
    assert [v["version"] for v in (await _final_2025(evaluator, pontianak))["versions"]] == [1]

    started = await evaluator.execute(CORRECT, {"input": {"evaluationId": first["id"], "reason": REASON}})
    assert started["correctEvaluation"]["userErrors"] == []
    second = started["correctEvaluation"]["evaluation"]
    # Copied: the score, every assessed answer, the standing evidence; at final scoring.
    assert (second["version"], second["state"], second["total"], second["grade"]) == (2, "SCORING", "65.68", "B")
    assert second["correctionReason"] == REASON and second["corrects"] == {"id": first["id"], "version": 1}
    assert second["assessed"] == first["assessed"] == 80 and second["evidence"] == first["evidence"]
    assert second["publishedAt"] is None and second["supersededAt"] is None
    # Recommendations belong to the unit's year: the correction shows those given before it.
    assert second["recommendations"] == first["recommendations"]
    again = await evaluator.execute(CORRECT, {"input": {"evaluationId": first["id"], "reason": REASON}})
    assert _codes(again["correctEvaluation"]) == [("ALREADY_CORRECTED", "evaluationId")]

    # While it is scored, the evaluator works on the correction and the public still reads version 1.
    listed = await evaluator.execute(LIST, {"scope": pontianak, "year": 2025})
    assert [e["version"] for e in listed["evaluations"]] == [2]
    still = await _final_2025(public, pontianak)
    assert (still["version"], still["total"], still["supersededAt"]) == (1, "65.68", None)
    assert [v["version"] for v in still["versions"]] == [1]

    # 2.a.1 B → A: + 0,25 × 6 / 3 = 0,50.
    answer = {"criterionCode": "2.a.1", "answer": "A", "note": "Perwako 3/2025 diterima sebagai bukti."}
    changed = await evaluator.execute(ASSESS, {"input": {"evaluationId": second["id"], "answers": [answer]}})
    assert changed["saveAssessment"]["userErrors"] == []
    assert changed["saveAssessment"]["evaluation"]["total"] == "66.18"
    assert (await evaluator.execute(ONE, {"id": first["id"]}))["evaluation"]["total"] == "65.68"
    await evaluator.execute(ACK, {"input": {"evaluationId": second["id"]}})
    sent = await evaluator.execute(ADVANCE, {"input": {"evaluationId": second["id"], "fromStage": "SCORING"}})
    assert sent["advanceEvaluation"]["userErrors"] == []
    final = await evaluator.execute(FINALISE, {"input": {"evaluationId": second["id"]}})
    assert final["finaliseEvaluation"]["userErrors"] == []

    # FINAL: public at once (version 1 was), version 1 superseded, every read takes version 2.
    corrected = await _final_2025(public, pontianak)
    assert (corrected["version"], corrected["state"], corrected["total"], corrected["grade"]) == (
        2,
        "FINAL",
        "66.18",
        "B",
    )
    assert corrected["publishedAt"] is not None
    assert [(v["version"], v["total"]) for v in corrected["versions"]] == [(1, "65.68"), (2, "66.18")]
    old = (await public.execute(ONE, {"id": first["id"]}))["evaluation"]
    assert old["supersededAt"] is not None and (old["total"], old["state"]) == ("65.68", "FINAL")
    republish = await evaluator.execute(PUBLISH, {"input": {"evaluationId": first["id"]}})
    assert _codes(republish["publishEvaluation"]) == [("SUPERSEDED", "evaluationId")]
    previous = await evaluator.execute(
        "query($id: ID!) { evaluation(id: $id) { previous { version total } } }", {"id": open_2026["id"]}
    )
    assert previous["evaluation"]["previous"] == {"version": 2, "total": "66.18"}

    # The corrected LHE says which version it is and why; version 1's stays the bytes it was.
    lhe = {d["format"]: d for d in corrected["documents"]}
    word = await public.client.get(lhe["DOCX"]["url"])
    text = "\n".join(p.text for p in WordDocument(io.BytesIO(word.content)).paragraphs)
    assert "nilai 66,18" in text and f"versi 2, koreksi atas hasil evaluasi versi 1, dengan alasan: {REASON}" in text
    assert (await public.client.get(first_lhe["DOCX"]["url"])).headers["x-content-sha256"] == first_lhe["DOCX"][
        "sha256"
    ]

    # Follow-up of last year's recommendations goes on where they were made.
    recommendation = corrected["recommendations"][0]
    follow_up = {
        "recommendationId": recommendation["id"],
        "actionPlan": "Reviu indikator tahap kedua",
        "personInCharge": "Kepala Bagian Organisasi Setda Kota Pontianak",
        "progress": 100,
    }
    followed = await unit.execute(FOLLOW_UP, {"input": follow_up})
    assert followed["recordRecommendationFollowUp"]["userErrors"] == []

    # In the database, version 1 stays frozen: no change but the one supersession it took.
    url = make_url(as_role(fresh_url)).set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(url) as conn:
        for statement in (
            "UPDATE sakip_evaluation SET total = 99 WHERE version = 1 AND superseded_at IS NOT NULL",
            "UPDATE sakip_evaluation SET superseded_at = now() WHERE version = 1 AND superseded_at IS NOT NULL",
            "UPDATE sakip_evaluation SET total = 99 WHERE version = 2 AND state = 'FINAL'",
            # A FINAL result not corrected may not be marked superseded.
            "UPDATE sakip_evaluation SET superseded_at = now() WHERE version = 2 AND state = 'FINAL'",
        ):
            with pytest.raises(psycopg.errors.IntegrityConstraintViolation):
                conn.execute(statement)
            conn.rollback()

    trail = await evaluator.execute(AUDIT, {"actor": "evaluator.61"})
    corrections = [e["node"] for e in trail["auditLog"]["edges"] if e["node"]["action"] == "evaluation.correct"]
    assert [(c["reason"], c["old"]["version"], c["new"]["version"]) for c in corrections] == [(REASON, 1, 2)]


async def test_a_correction_in_progress_is_not_corrected_and_lists_cost_the_same(fresh_api: Api) -> None:
    pontianak, _, _ = await _root(fresh_api, "61.71")
    evaluator = await fresh_api.as_user("evaluator.61")
    first = await _final_2025(evaluator, pontianak)
    _, before = await evaluator.count_statements(LIST, {"scope": pontianak, "year": None})
    started = await evaluator.execute(CORRECT, {"input": {"evaluationId": first["id"], "reason": REASON}})
    second = started["correctEvaluation"]["evaluation"]
    twice = await evaluator.execute(CORRECT, {"input": {"evaluationId": second["id"], "reason": REASON}})
    assert _codes(twice["correctEvaluation"]) == [("WRONG_STAGE", "evaluationId")]
    found, after = await evaluator.count_statements(LIST, {"scope": pontianak, "year": None})
    assert [(e["year"], e["version"]) for e in found["evaluations"]] == [(2026, 1), (2025, 2)]
    assert after == before
