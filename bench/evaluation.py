"""SAKIP evaluation benchmarks on the province-scale bench database (issue 19's quality bars):

- the province's evaluation dashboard: every kabupaten/kota's evaluation of a year (15 pemda,
  80 criteria each) with its score, grade, progress, component scores and recommendations, in
  one request, against the time its SQL statements take (goal: within 3 ×);
- recomputing an evaluation's score after one answer: `saveAssessment` of one criterion, the
  whole request with its check, write, rescore and audit (goal: ≤ 20 ms p50); and the domain's
  score of 80 answers alone.

    .venv/bin/python -m bench.evaluation [--repeat 15]

The evaluations are written once through the actions and kept in the bench database; requests
run in process (the whole ASGI app, no HTTP), signed in as a bench EVALUATOR of the province.
"""

import statistics
import time
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from actions import lke
from actions.caller import PLATFORM
from actions.lke import AnswerInput, StartInput
from bench.clocked import run, signed_in, summary
from bench.generate import PASSWORD
from domain.lke import score
from domain.lke_stages import Schedule
from identity.passwords import hash_password
from schema.ids import encode_id
from store import lke as lke_store
from store.database import create_engine

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
SECRET = "bench-evaluation-" + "x" * 40
EVALUATOR = "evaluator.bench"
YEAR = 2025
ANSWERS = ("A", "B", "C", "B", "A")
DASHBOARD = """
query Dashboard($scope: ID!, $year: Int!) {
  evaluations(scope: $scope, year: $year) {
    id year state stageName total selfTotal grade provisionalGrade answeredSelf assessed criteriaCount complete
    overdue currentDue unit { code name }
    components { code name weight score percent }
    recommendations { done }
  }
}
"""
FLOOR = "query Floor { me { username } }"
ASSESS = """
mutation Assess($input: SaveEvaluationAnswersInput!) {
  saveAssessment(input: $input) { userErrors { code } evaluation { total grade assessed } }
}
"""


async def prepare(engine: AsyncEngine) -> tuple[int, list[int]]:
    """A bench evaluator of the province, and each kab/kota's 2025 evaluation fully assessed."""
    async with engine.begin() as conn:
        found = (await conn.execute(text("SELECT id FROM app_user WHERE username = :u"), {"u": EVALUATOR})).first()
        if found is None:
            user_id = (
                await conn.execute(
                    text(
                        "INSERT INTO app_user (username, display_name, password_hash) VALUES (:u, :u, :p) RETURNING id"
                    ),
                    {"u": EVALUATOR, "p": hash_password(PASSWORD)},
                )
            ).scalar_one()
            await conn.execute(
                text("INSERT INTO casbin_rule (ptype, v0, v1, v2) VALUES ('g', :s, 'EVALUATOR', '61/')"),
                {"s": f"user:{user_id}"},
            )
        (province,) = (await conn.execute(text("SELECT id FROM government WHERE code = '61'"))).one()
        roots = [
            row.id
            for row in await conn.execute(
                text(
                    "SELECT u.id FROM org_unit u JOIN government g ON g.id = u.government_id "
                    "WHERE g.parent_id = :p AND u.kind = 'PEMDA' AND u.valid_to IS NULL ORDER BY g.code"
                ),
                {"p": province},
            )
        ]
    evaluations = []
    for root in roots:
        async with engine.begin() as conn:
            existing = await lke_store.evaluation_of(conn, root, YEAR)
            if existing is not None:
                evaluations.append(existing.id)
                continue
            schedule = Schedule(date(2030, 1, 31), date(2030, 2, 28), date(2030, 3, 31))
            evaluation = await lke.start_evaluation(conn, caller=PLATFORM, given=StartInput(root, YEAR, None, schedule))
            record = await lke_store.evaluation(conn, evaluation)
            assert record is not None
            model = await lke_store.model(conn, record.model_id)
            answers = [AnswerInput(code, ANSWERS[n % len(ANSWERS)], "Bench.") for n, code in enumerate(model.criteria)]
            await lke.save_self_assessment(
                conn, caller=PLATFORM, evaluation_id=evaluation, answers=answers, today=date(2029, 1, 1)
            )
            await lke.submit_self_assessment(conn, caller=PLATFORM, evaluation_id=evaluation, today=date(2029, 1, 1))
            await lke.save_assessment(
                conn, caller=PLATFORM, evaluation_id=evaluation, answers=answers, today=date(2029, 1, 2)
            )
            evaluations.append(evaluation)
    return province, evaluations


async def measure(url: str, repeat: int) -> dict[str, Any]:
    engine = create_engine(url, pool_size=4)
    province, evaluations = await prepare(engine)
    async with engine.connect() as conn:
        record = await lke_store.evaluation(conn, evaluations[0])
        assert record is not None
        model = await lke_store.model(conn, record.model_id)
    answers = {code: ANSWERS[n % len(ANSWERS)] for n, code in enumerate(model.criteria)}
    domain_ms = []
    for _ in range(max(repeat, 50)):
        started = time.perf_counter()
        score(model, answers)
        domain_ms.append((time.perf_counter() - started) * 1000)
    async with signed_in(engine, EVALUATOR, SECRET) as bench:
        post = bench.post
        dashboard: list[tuple[float, float]] = []
        listed = 0
        for _ in range(repeat):
            wall, sql, data = await post(DASHBOARD, {"scope": encode_id("Government", province), "year": YEAR})
            dashboard.append((wall, sql))
            listed = len(data["evaluations"])
        # What any request of this caller costs with next to no work: sign-in check, parse,
        # validation, limits, the error policy and the answer (the ratio's fixed part).
        floor = [(await post(FLOOR, {}))[0] for _ in range(repeat)]
        assessing: list[tuple[float, float]] = []
        evaluation_id = encode_id("Evaluation", evaluations[0])
        for n in range(repeat):
            answer = ("A", "B")[n % 2]  # a change every time, on a criterion without computed data
            given = [{"criterionCode": "1.c.2", "answer": answer, "note": "Bench."}]
            wall, sql, data = await post(ASSESS, {"input": {"evaluationId": evaluation_id, "answers": given}})
            assert data["saveAssessment"]["userErrors"] == [], data
            assessing.append((wall, sql))
    await engine.dispose()

    return {
        "evaluations_in_the_dashboard": listed,
        "province_evaluation_dashboard": summary(dashboard),
        "save_one_assessor_answer": summary(assessing),
        "request_floor_p50_ms": round(statistics.median(floor), 1),
        "score_80_answers_in_the_domain_ms": round(statistics.median(domain_ms), 3),
        "repeat": repeat,
    }


def main() -> None:
    run(__doc__, measure, "evaluation")


if __name__ == "__main__":
    main()
