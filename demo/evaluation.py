"""The demo's SAKIP evaluation: the province evaluates Kota Pontianak's 2025 implementation of
SAKIP through every stage, as its users would (its quality assurer raises a finding the assessor
answers, then approves the scoring), to a published FINAL grade B with
recommendations; the city follows them up, and its 2026 evaluation, open for self-assessment,
shows last year's recommendations and how far each was followed up. Written through the actions,
with the dates of each step (an action takes "today" from its caller)."""

from dataclasses import replace
from datetime import date

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection

from actions import lke
from actions.caller import PLATFORM, Caller
from actions.lke import AnswerInput, EvidenceInput, FindingInput, FollowUpInput, RecommendationInput, StartInput
from documents.lhe import render_lhe
from domain.lke_stages import Schedule, Stage
from store import lke as lke_store
from store.database import create_engine
from store.files import DATABASE_FILES

# The province Inspektorat's evaluator assesses and signs the result; its pengendali mutu assures
# it (demo/users.py), each named in the audit log as such.
EVALUATOR = Caller(viewer=replace(PLATFORM.viewer, username="evaluator.61"), request_id="demo")
ASSURER = Caller(viewer=replace(PLATFORM.viewer, username="quality_assurer.61"), request_id="demo")
FINDING = (
    "1.b.5",
    "Nilai B perlu didukung kertas kerja reviu indikator: berapa indikator perangkat daerah yang belum SMART?",
    "Kertas kerja reviu terlampir: 14 dari 62 indikator belum SMART; nilai B dipertahankan.",
)

EVALUATED_YEAR = 2025
MODEL = "PERMENPANRB-88-2021"
NOTE = "Sesuai bukti dukung, reviu dokumen, dan wawancara dengan pengelola kinerja."
# The assessor's answers per component of the 88/2021 model: planning and measurement B,
# reporting and internal evaluation C (45 + 20), with three strengths worth 0,68: 65,68 → B.
ASSESSED = {"1": "B", "2": "B", "3": "C", "4": "C"}
STRENGTHS = {"1.a.2": "A", "1.a.3": "A", "3.a.1": "A"}
RECOMMENDATIONS = [
    ("1.b.5", None, "Rumuskan ulang indikator kinerja perangkat daerah agar memenuhi kriteria SMART."),
    ("2.c.1", None, "Kaitkan pemberian TPP dengan capaian kinerja individu dan organisasi."),
    (None, "3", "Sajikan perbandingan capaian dengan target jangka menengah dan tingkat nasional dalam LKjIP."),
]
# How far the city followed each recommendation up in 2026 (percent).
FOLLOW_UP = [
    (100, "Reviu indikator seluruh perangkat daerah (SK Wali Kota)."),
    (60, "Penyusunan Perwako TPP berbasis kinerja."),
    (100, "LKjIP 2026 memuat perbandingan nasional."),
]


async def load_demo_evaluation(url: str) -> None:
    engine = create_engine(url, pool_size=1)
    try:
        async with engine.begin() as conn:
            await _write(conn)
    finally:
        await engine.dispose()


async def _root(conn: AsyncConnection) -> int:
    query = text(
        "SELECT u.id FROM org_unit u JOIN government g ON g.id = u.government_id "
        "WHERE g.code = '61.71' AND u.kind = 'PEMDA' AND u.valid_to IS NULL"
    )
    return int((await conn.execute(query)).scalar_one())


async def _write(conn: AsyncConnection) -> None:
    root = await _root(conn)
    schedule = Schedule(
        date(2026, 2, 27), date(2026, 3, 31), date(2026, 4, 30), dispute_days=14, quality_assurance_required=True
    )
    evaluation = await lke.start_evaluation(
        conn, caller=PLATFORM, given=StartInput(root, EVALUATED_YEAR, MODEL, schedule)
    )
    record = await lke_store.evaluation(conn, evaluation)
    assert record is not None
    model = await lke_store.model(conn, record.model_id)
    by_component = {c.code: [x.code for s in c.sub_components for x in s.criteria] for c in model.components}
    self_assessed = [
        AnswerInput(code, "B", "Dokumen tersedia dan telah ditetapkan.")
        for codes in by_component.values()
        for code in codes
    ]
    await lke.save_self_assessment(
        conn, caller=PLATFORM, evaluation_id=evaluation, answers=self_assessed, today=date(2026, 2, 10)
    )
    await lke.add_evidence(
        conn,
        caller=PLATFORM,
        evaluation_id=evaluation,
        given=EvidenceInput(
            "1.a.3", "RPJMD Kota Pontianak 2025–2029", url="https://jdih.pontianak.go.id/perda-rpjmd-2025-2029"
        ),
        today=date(2026, 2, 12),
        files=DATABASE_FILES,
    )
    await lke.submit_self_assessment(conn, caller=PLATFORM, evaluation_id=evaluation, today=date(2026, 2, 20))
    for item in await lke_store.evidence(conn, [evaluation]):
        await lke.verify_evidence(conn, caller=PLATFORM, evidence_id=item.id, accept=True, reason=None)
    answers = [
        AnswerInput(code, STRENGTHS.get(code, ASSESSED[component]), NOTE)
        for component, codes in by_component.items()
        for code in codes
    ]
    await lke.save_assessment(
        conn, caller=EVALUATOR, evaluation_id=evaluation, answers=answers, today=date(2026, 3, 27)
    )
    await lke.advance(
        conn, caller=EVALUATOR, evaluation_id=evaluation, from_stage=Stage.VERIFICATION, today=date(2026, 4, 10)
    )
    found_on, finding, response = FINDING
    await lke.raise_quality_findings(
        conn, caller=ASSURER, evaluation_id=evaluation, items=[FindingInput(found_on, finding)]
    )
    await lke.answer_quality_finding(
        conn, caller=EVALUATOR, evaluation_id=evaluation, criterion_code=found_on, answer=None, response=response
    )
    await lke.approve_quality_assurance(
        conn,
        caller=ASSURER,
        evaluation_id=evaluation,
        from_stage=Stage.QUALITY_ASSURANCE,
        note="Penilaian telah sesuai kertas kerja dan bukti dukung.",
    )
    for criterion, component, body in RECOMMENDATIONS:
        await lke.add_recommendation(
            conn, caller=EVALUATOR, evaluation_id=evaluation, given=RecommendationInput(body, criterion, component)
        )
    await lke.save_component_notes(
        conn,
        caller=EVALUATOR,
        evaluation_id=evaluation,
        notes={
            "1": "Dokumen perencanaan kinerja tersedia dan selaras; kualitas indikator perlu ditingkatkan.",
            "2": "Pengukuran kinerja dilakukan berkala melalui aplikasi; pemanfaatannya untuk TPP belum ada.",
            "3": "LKjIP disusun tepat waktu; perbandingan dengan target jangka menengah belum lengkap.",
            "4": "Evaluasi internal telah dilaksanakan pada sebagian perangkat daerah.",
        },
    )
    await lke.acknowledge_warnings(conn, caller=EVALUATOR, evaluation_id=evaluation)
    await lke.advance(
        conn, caller=EVALUATOR, evaluation_id=evaluation, from_stage=Stage.SCORING, today=date(2026, 5, 8)
    )
    await lke.finalise(conn, caller=EVALUATOR, evaluation_id=evaluation, render=render_lhe)
    await lke.publish(conn, caller=PLATFORM, evaluation_id=evaluation)
    for (_, recommendation), (progress, plan) in zip(
        await lke_store.recommendations(conn, [evaluation]), FOLLOW_UP, strict=True
    ):
        await lke.record_follow_up(
            conn,
            caller=PLATFORM,
            recommendation_id=recommendation.id,
            given=FollowUpInput(plan, date(2026, 10, 31), "Kepala Bagian Organisasi Setda Kota Pontianak", progress),
        )
    next_year = Schedule(date(2027, 2, 26), date(2027, 3, 31), date(2027, 4, 30))
    await lke.start_evaluation(conn, caller=PLATFORM, given=StartInput(root, EVALUATED_YEAR + 1, MODEL, next_year))
