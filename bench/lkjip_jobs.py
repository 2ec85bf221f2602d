"""The province's LKjIP with each of its kabupaten/kota's as one background job (issue 18's bar:
"the province LKjIP over 15 pemda ≤ 60 s as a job"), on the province-scale bench database.

Each of the 15 pemda of province 61 (the province and its 14 kab/kota) gets, once, a Kepala
Daerah agreement of 2028 over 30 indicators of its own (an RPJMD's IKU count) with a year of
quarterly realisations, written through the actions and signed. Each round starts the job as the
platform (`reach: PEMDA` at the province's root unit: 15 documents, each gathered and rendered
as PDF, Word and workbook, stored) and runs the queue to its end, as a server's worker does;
the time from start to DONE, and each document's share, are reported (medians of `--repeat`).

    .venv/bin/python -m bench.lkjip_jobs [--repeat 3]

Results: bench/results/lkjip_jobs.json.
"""

import statistics
import time
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from actions import lkjip_jobs, structure
from actions.agreements import AgreementDraft, ItemInput, PartyInput, save_agreement, sign_agreement
from actions.caller import PLATFORM
from actions.maintenance import PLAN_PERIOD
from actions.structure import NewIndicator
from actions.values import submit_realisations
from bench.clocked import run
from documents.lkjip.render import render_format
from domain.agreements import Party
from domain.entries import RealisationEntry
from domain.enums import IndicatorType, PeriodAggregation, Polarity
from domain.lkjip import Paper
from domain.lkjip_jobs import LkjipReach
from store.database import create_engine

YEAR = 2028
INDICATORS = 30
GOAL_SECONDS = 60.0


async def _rows(conn: AsyncConnection, sql: str, **values: object) -> list[Any]:
    return list(await conn.execute(text(sql), values))


async def _roots(conn: AsyncConnection) -> list[Any]:
    return await _rows(
        conn,
        "SELECT u.id, g.code, g.name, g.kind FROM org_unit u JOIN government g ON g.id = u.government_id "
        "WHERE g.path LIKE '61%' AND u.kind = 'PEMDA' AND u.valid_to IS NULL ORDER BY u.path",
    )


async def load_agreements(engine: AsyncEngine) -> int:
    """Each pemda's signed 2028 Kepala Daerah agreement, once; the number of pemda."""
    async with engine.connect() as conn:
        roots = await _roots(conn)
    started = time.perf_counter()
    for root_id, code, name, kind in roots:
        async with engine.begin() as conn:
            if await _rows(conn, "SELECT 1 FROM performance_agreement WHERE org_unit_id = :u AND year = :y",
                           u=root_id, y=YEAR):  # fmt: skip
                continue
            indicators = []
            for n in range(INDICATORS):
                new = NewIndicator(
                    root_id, f"IKU-{n + 1:02d}", f"Indeks capaian urusan pemerintahan nomor {n + 1} {name}", "%",
                    Polarity.LOWER_IS_BETTER if n % 5 == 4 else Polarity.HIGHER_IS_BETTER, IndicatorType.OUTCOME,
                    PeriodAggregation.LAST, is_key=True,
                )  # fmt: skip
                indicators.append((await structure.create_indicator(conn, caller=PLATFORM, window=PLAN_PERIOD,
                                                                    new=new)).id)  # fmt: skip
            entries = [
                RealisationEntry(i, YEAR, quarter, Decimal(60 + (n * 7 + quarter * 3) % 35), None, "")
                for n, i in enumerate(indicators)
                for quarter in (1, 2, 3, 4)
            ]
            await submit_realisations(conn, caller=PLATFORM, window=PLAN_PERIOD, entries=entries, idempotency_key=None)
            title = "Gubernur" if kind == "PROVINSI" else ("Bupati" if kind == "KABUPATEN" else "Wali Kota")
            head = PartyInput(f"Kepala Daerah {code}", "-", f"{title} {name}")
            draft = AgreementDraft(root_id, YEAR, head, None, [ItemInput(i, Decimal(80)) for i in indicators])
            saved = await save_agreement(conn, caller=PLATFORM, window=PLAN_PERIOD, draft=draft)
            await sign_agreement(conn, caller=PLATFORM, agreement_id=saved.id, expected_revision=None,
                                 party=Party.FIRST)  # fmt: skip
    print(f"{len(roots)} pemda agreements ready in {time.perf_counter() - started:.0f} s", flush=True)
    return len(roots)


async def one_job(engine: AsyncEngine, province_root: int) -> tuple[float, int, int]:
    """Seconds from start to DONE, documents generated and refused."""
    started = time.perf_counter()
    async with engine.begin() as conn:
        job = await lkjip_jobs.start_job(
            conn, caller=PLATFORM, org_unit_id=province_root, year=YEAR, paper=Paper.F4, reach=LkjipReach.PEMDA
        )
    ran = await lkjip_jobs.run_queue(engine, render_format)
    elapsed = time.perf_counter() - started
    assert ran == [job.id], ran
    async with engine.begin() as conn:
        (state,) = (await _rows(conn, "SELECT state FROM lkjip_job WHERE id = :j", j=job.id))[0]
        counted = "SELECT outcome, count(*) AS n FROM lkjip_job_document WHERE job_id = :j GROUP BY 1"
        outcomes = {r.outcome: r.n for r in await _rows(conn, counted, j=job.id)}
        # The bench keeps its database small: a round's files are not needed afterwards.
        await conn.execute(text("DELETE FROM lkjip_job WHERE id = :j"), {"j": job.id})
    assert state == "DONE", state
    return elapsed, outcomes.get("DONE", 0), outcomes.get("REFUSED", 0)


async def measure(url: str, repeat: int) -> dict[str, Any]:
    engine = create_engine(url, pool_size=4)
    try:
        pemda = await load_agreements(engine)
        async with engine.connect() as conn:
            province_root = (await _roots(conn))[0].id
        rounds = [await one_job(engine, province_root) for _ in range(repeat)]
    finally:
        await engine.dispose()
    seconds = statistics.median(r[0] for r in rounds)
    done = rounds[0][1]
    print(f"{pemda} pemda LKjIP as one job: median {seconds:.1f} s ({seconds / max(done, 1):.2f} s a document)")
    return {
        "pemda": pemda,
        "indicators_per_pemda": INDICATORS,
        "documents_done": done,
        "documents_refused": rounds[0][2],
        "rounds_s": [round(r[0], 2) for r in rounds],
        "median_s": round(seconds, 2),
        "per_document_s": round(seconds / max(done, 1), 2),
        "goal_s": GOAL_SECONDS,
        "within_goal": seconds <= GOAL_SECONDS,
        "measured_on": date.today().isoformat(),
    }


def main() -> None:
    run(__doc__, measure, "lkjip_jobs")


if __name__ == "__main__":
    main()
