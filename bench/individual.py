"""Individual e-Kinerja benchmarks (issue 21's scale bars), on a bench database of their own:
the demo with 10,000 generated employees across Kota Pontianak's perangkat daerah (a head, 13
kepala seksi and their staff in each), each with October 2026 logged a working day at a time
and approved (~220,000 entries).

- **Logging at month end:** 200 employees log concurrently on a real server over loopback
  (uvicorn, two workers), ten entries each, at a bounded pace (each every 5 s: 40 writes a
  second): p50 and p99 per write (goal: p99 ≤ 300 ms); then back to back, which finds the
  machine's capacity (the load generator shares its two cores).
- **A month's scoring and TPP for 10,000 employees:** every agency's month closed, the month's
  attendance recorded, then the pemda's background job (`startTppMonthJob`'s) computing every
  agency's statements from the month's daily scores (goal: ≤ 30 s in all), each step timed.
  Before it, the verifier's scores of the ~220,000 entries in batches of 1,000 through the
  action (the month's human work, reported per batch).
- **A superior's weekly queue of 30 staff** (`pendingApprovals`, five entries each) in process:
  p50 and the SQL's share (goal: ≤ 50 ms p50).
- **The verifier's month of an agency** (the `/verifikasi-kinerja` page's `VerificationMonth`
  read: 500 employees with their October entries counted by state and the year's scores), in process:
  p50, the SQL's share and the statements per request, which must not grow with the employees.

    .venv/bin/python -m bench.individual [--repeat 15]

The database is generated anew each run (about a minute); results in bench/results/individual.json.
"""

import asyncio
import statistics
import time
from collections import Counter
from datetime import date, timedelta
from decimal import Decimal
from random import Random
from typing import Any

import httpx
import psycopg
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from actions import activity, tpp
from actions.activity import ScoreInput
from actions.caller import PLATFORM
from actions.tpp import FactsInput
from bench.cases import start_server
from bench.clocked import ROOT, run, signed_in, summary
from bench.generate import PASSWORD
from bench.loadgen import percentile
from demo.load import load_demo_if_empty
from domain.tpp import ComplianceItem
from identity.passwords import hash_password
from schema.ids import encode_id
from store import migrate
from store import tpp as tpp_store
from store.database import create_engine
from store.embedded import EmbeddedPostgres

SECRET = "bench-individual-" + "x" * 40
PORT = 8794
DATABASE = "bench_individual"
EMPLOYEES = 10_000
KASI_PER_AGENCY = 13
LOGGERS = 200
ENTRIES_EACH = 10
# Each of the 200 logs an entry every 5 s: 40 writes a second from 200 people at once, well above
# human pace (writing an entry takes a person far longer than 5 s).
BOUNDED_PERIOD_S = 5.0
QUEUE_STAFF = 30
YEAR, MONTH = 2026, 10
QUEUE_WEEK = date(2026, 11, 30)  # a Monday; its deadline (Thursday after) not yet passed on 2026-12-07
BATCH = 1000
PENDING = """{ pendingApprovals { weekStart state deadline employee { id name } entries { id description state } } }"""
LOG = """mutation($input: LogActivityInput!) { logActivity(input: $input) { activityLog { id }
  userErrors { code field message } } }"""
LOGIN = "mutation($u: String!, $p: String!) { login(input: {username: $u, password: $p}) { token } }"


def database_url() -> str:
    embedded = EmbeddedPostgres(ROOT / ".data" / "bench-pg")
    with psycopg.connect(embedded.url("postgres"), autocommit=True) as admin:
        admin.execute(f"DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)")
        admin.execute(f"CREATE DATABASE {DATABASE}")
    url = embedded.url(DATABASE)
    migrate.upgrade(url)
    load_demo_if_empty(url)
    return url


def _nip(index: int) -> str:
    """Well-formed and unique: ten birth dates × a thousand sequence numbers each."""
    return f"{19700101 + index // 1000}200501{1 + index % 2}{index % 1000:03d}"


async def generate(engine: AsyncEngine) -> dict[str, Any]:
    """Positions and employees in bulk SQL (the staff import's checks are benched elsewhere:
    this measures what comes after), accounts for the loggers and the queue's superior, October
    logged and approved, and the queue's week submitted."""
    started = time.perf_counter()
    password = hash_password(PASSWORD)
    async with engine.begin() as conn:
        agencies = (
            await conn.execute(
                text(
                    """SELECT u.id, u.path, u.government_id FROM org_unit u JOIN government g ON g.id = u.government_id
                       WHERE g.code = '61.71' AND u.kind = 'PERANGKAT_DAERAH' AND u.valid_to IS NULL
                         AND u.code <> 'DINKES' ORDER BY u.id"""
                )
            )
        ).all()
        per_agency = EMPLOYEES // len(agencies)
        index = 0
        for number, (agency_id, path, government_id) in enumerate(agencies):
            head = await _position(conn, government_id, agency_id, path, f"BENCH-{number}-H", "JPT", 14, None)
            index = await _employee(conn, government_id, head, index)
            kasi = []
            for k in range(KASI_PER_AGENCY):
                position = await _position(
                    conn, government_id, agency_id, path, f"BENCH-{number}-K{k}", "PENGAWAS", 9, head
                )
                kasi.append(position)
                index = await _employee(conn, government_id, position, index)
            staff = per_agency - 1 - KASI_PER_AGENCY - (QUEUE_STAFF + 1 if number == 0 else 0)
            rows = [
                {"g": government_id, "a": agency_id, "p": path, "c": f"BENCH-{number}-S{n}", "s": kasi[n % len(kasi)]}
                for n in range(staff)
            ]
            await conn.execute(
                text(
                    """INSERT INTO position (province_code, government_id, org_unit_id, agency_id, path, code, name,
                       kind, job_class, superior_id) VALUES ('61', :g, :a, :a, :p, :c, 'Pengelola Data', 'PELAKSANA',
                       7, :s)"""
                ),
                rows,
            )
            if number == 0:
                queue_kasi = await _position(conn, government_id, agency_id, path, "BENCH-Q-K", "PENGAWAS", 9, head)
                await conn.execute(
                    text(
                        """INSERT INTO position (province_code, government_id, org_unit_id, agency_id, path, code,
                           name, kind, job_class, superior_id) VALUES ('61', :g, :a, :a, :p, :c, 'Pengelola Data',
                           'PELAKSANA', 7, :s)"""
                    ),
                    [{"g": government_id, "a": agency_id, "p": path, "c": f"BENCH-Q-S{n}", "s": queue_kasi}
                     for n in range(QUEUE_STAFF)],
                )  # fmt: skip
        # The NIP of _nip(), in SQL: ten birth dates × a thousand sequence numbers.
        await conn.execute(
            text(
                """INSERT INTO employee (province_code, government_id, nip, name, golongan, position_id)
                   SELECT '61', p.government_id,
                          to_char(DATE '1970-01-01' + ((n.i / 1000)::int), 'YYYYMMDD') || '200501'
                            || (1 + n.i % 2)::text || lpad((n.i % 1000)::text, 3, '0'),
                          'Pegawai ' || p.code, 'III/b', p.id
                   FROM (SELECT p.id, :first + row_number() OVER (ORDER BY p.id) - 1 AS i FROM position p
                         WHERE p.code LIKE 'BENCH-%'
                           AND NOT EXISTS (SELECT 1 FROM employee e WHERE e.position_id = p.id)) n
                   JOIN position p ON p.id = n.id"""
            ),
            {"first": index},
        )
        users = [(f"logger.bench.{n:03d}", f"BENCH-{n % len(agencies)}-S{n // len(agencies)}") for n in range(LOGGERS)]
        users.append(("kasi.bench", "BENCH-Q-K"))
        for username, code in users:
            user_id = (
                await conn.execute(
                    text(
                        """INSERT INTO app_user (username, display_name, password_hash) VALUES (:u, :u, :h)
                           RETURNING id"""
                    ),
                    {"u": username, "h": password},
                )
            ).scalar_one()
            await conn.execute(
                text(
                    "UPDATE employee SET user_id = :user WHERE position_id = (SELECT id FROM position WHERE code = :c)"
                ),
                {"user": user_id, "c": code},
            )
        await conn.execute(
            text(
                """INSERT INTO activity_log (province_code, employee_id, agency_id, work_date, starts_at, ends_at, kind,
                   description, state)
                   SELECT '61', e.id, p.agency_id, d::date, '08:00', '16:00', 'HADIR', 'Menyusun laporan bulanan',
                          'APPROVED'
                   FROM employee e JOIN position p ON p.id = e.position_id,
                        generate_series(DATE '2026-10-01', DATE '2026-10-31', INTERVAL '1 day') d
                   WHERE p.code LIKE 'BENCH-%' AND p.code NOT LIKE 'BENCH-Q-%' AND extract(isodow FROM d) < 6"""
            )
        )
        await conn.execute(
            text(
                """INSERT INTO activity_log (province_code, employee_id, agency_id, work_date, starts_at, ends_at, kind,
                   description, state)
                   SELECT '61', e.id, p.agency_id, :monday + n, '08:00', '16:00', 'HADIR', 'Merekap data', 'SUBMITTED'
                   FROM employee e JOIN position p ON p.id = e.position_id, generate_series(0, 4) n
                   WHERE p.code LIKE 'BENCH-Q-S%'"""
            ),
            {"monday": QUEUE_WEEK},
        )
        await conn.execute(
            text(
                """INSERT INTO activity_week (province_code, employee_id, week_start, state)
                   SELECT '61', e.id, :monday, 'SUBMITTED' FROM employee e JOIN position p ON p.id = e.position_id
                   WHERE p.code LIKE 'BENCH-Q-S%'"""
            ),
            {"monday": QUEUE_WEEK},
        )
        counts = (
            await conn.execute(
                text(
                    """SELECT (SELECT count(*) FROM employee e JOIN position p ON p.id = e.position_id
                               WHERE p.code LIKE 'BENCH-%'),
                              (SELECT count(*) FROM activity_log
                               WHERE work_date BETWEEN '2026-10-01' AND '2026-10-31')"""
                )
            )
        ).one()
    # The planner's statistics, as autovacuum keeps them by month end: without them the fresh
    # October reads as empty and a verifier's month scans every agency's (130 ms, not 5).
    async with engine.connect() as conn:
        autocommit = await conn.execution_options(isolation_level="AUTOCOMMIT")
        await autocommit.execute(text("ANALYZE activity_log, activity_week, employee, position"))
    return {
        "agencies": len(agencies),
        "employees": counts[0],
        "october_entries": counts[1],
        "generated_s": round(time.perf_counter() - started, 1),
    }


async def _position(
    conn: Any, government_id: int, agency_id: int, path: str, code: str, kind: str, job_class: int, superior: int | None
) -> int:
    return int(
        (
            await conn.execute(
                text(
                    """INSERT INTO position (province_code, government_id, org_unit_id, agency_id, path, code, name,
                       kind, job_class, superior_id) VALUES ('61', :g, :a, :a, :p, :c, :c, :k, :j, :s) RETURNING id"""
                ),
                {"g": government_id, "a": agency_id, "p": path, "c": code, "k": kind, "j": job_class, "s": superior},
            )
        ).scalar_one()
    )


async def _employee(conn: Any, government_id: int, position_id: int, index: int) -> int:
    await conn.execute(
        text(
            """INSERT INTO employee (province_code, government_id, nip, name, golongan, position_id)
               VALUES ('61', :g, :n, :name, 'IV/a', :p)"""
        ),
        {"g": government_id, "n": _nip(index), "name": f"Pegawai {index}", "p": position_id},
    )
    return index + 1


async def logging_load(url: str, period_s: float | None) -> dict[str, Any]:
    """Every logger signs in, then all log at once, ten entries each. Bounded (`period_s`): each
    logger sends an entry every `period_s` seconds from a random start within the first period
    (200 / `period_s` writes a second offered); unbounded (None): each sends its next as soon as
    the last is answered, which finds the machine's capacity (the load generator shares it)."""
    server = start_server(url, PORT, SECRET, answer_cache=False)
    base = f"http://127.0.0.1:{PORT}"
    limits = httpx.Limits(max_connections=LOGGERS, max_keepalive_connections=LOGGERS)
    random = Random(LOGGERS)
    try:
        async with httpx.AsyncClient(base_url=base, timeout=60, limits=limits) as client:
            tokens = []
            for n in range(LOGGERS):
                body = {"query": LOGIN, "variables": {"u": f"logger.bench.{n:03d}", "p": PASSWORD}}
                tokens.append((await client.post("/graphql", json=body)).json()["data"]["login"]["token"])
            await _empty_november(url)
            days = [d for d in (date(2026, 11, 2) + timedelta(days=i) for i in range(14)) if d.weekday() < 5]
            timings: list[float] = []
            refused: Counter[str] = Counter()
            reconnected = {"count": 0}

            async def logger(token: str) -> None:
                headers = {"authorization": f"Bearer {token}"}
                start = time.perf_counter() + (random.uniform(0, period_s) if period_s else 0)
                for number, day in enumerate(days[:ENTRIES_EACH]):
                    if period_s:
                        await asyncio.sleep(max(0.0, start + number * period_s - time.perf_counter()))
                    entry = {"workDate": day.isoformat(), "startsAt": "08:00", "endsAt": "09:30", "kind": "HADIR",
                             "description": "Menyusun laporan harian"}  # fmt: skip
                    started = time.perf_counter()
                    body = {"query": LOG, "variables": {"input": entry}}
                    try:
                        answer = (await client.post("/graphql", json=body, headers=headers)).json()
                    except httpx.TransportError:
                        # A kept-alive connection the server closed as it was reused (uvicorn closes
                        # them after 5 s idle, the pace here): sent again, as a browser does, and
                        # timed from the first try.
                        reconnected["count"] += 1
                        answer = (await client.post("/graphql", json=body, headers=headers)).json()
                    timings.append((time.perf_counter() - started) * 1000)
                    if answer.get("errors"):
                        refused[str(answer["errors"][0].get("extensions", {}).get("code"))] += 1
                    elif answer["data"]["logActivity"]["userErrors"]:
                        refused[answer["data"]["logActivity"]["userErrors"][0]["code"]] += 1

            started = time.perf_counter()
            await asyncio.gather(*(logger(token) for token in tokens))
            elapsed = time.perf_counter() - started
    finally:
        server.terminate()
        server.wait()
    return {
        "offered_writes_per_s": round(LOGGERS / period_s, 1) if period_s else "as fast as answered",
        "writes": len(timings),
        "refused": dict(refused),
        "resent_after_a_closed_connection": reconnected["count"],
        "p50_ms": round(statistics.median(timings), 1),
        "p99_ms": round(percentile(timings, 0.99), 1),
        "writes_per_s": round(len(timings) / elapsed, 1),
        **({"goal_p99_ms": 300} if period_s else {}),
    }


async def _empty_november(url: str) -> None:
    """Each load writes the same days anew."""
    engine = create_engine(url, pool_size=1)
    async with engine.begin() as conn:
        await conn.execute(text("DELETE FROM activity_log WHERE work_date BETWEEN '2026-11-01' AND '2026-11-20'"))
    await engine.dispose()


async def month_end(engine: AsyncEngine) -> dict[str, Any]:
    """The verifier's month, then finance's: all through the actions, as the pages and API call them."""
    steps: dict[str, float] = {}
    started = time.perf_counter()
    async with engine.connect() as conn:
        ids = (
            (
                await conn.execute(
                    text(
                        """SELECT l.id FROM activity_log l JOIN position p ON p.agency_id = l.agency_id
                       JOIN employee e ON e.id = l.employee_id AND e.position_id = p.id
                       WHERE p.code LIKE 'BENCH-%' AND l.work_date BETWEEN '2026-10-01' AND '2026-10-31'
                       ORDER BY l.id"""
                    )
                )
            )
            .scalars()
            .all()
        )
        agencies = (
            (await conn.execute(text("SELECT DISTINCT agency_id FROM position WHERE code LIKE 'BENCH-%' ORDER BY 1")))
            .scalars()
            .all()
        )
        staff = (
            (
                await conn.execute(
                    text(
                        """SELECT e.nip FROM employee e JOIN position p ON p.id = e.position_id
                           WHERE p.code LIKE 'BENCH-%'"""
                    )
                )
            )
            .scalars()
            .all()
        )
    for offset in range(0, len(ids), BATCH):
        async with engine.begin() as conn:
            scores = [
                ScoreInput(
                    entry_id, Decimal(7 + entry_id % 4) if entry_id % 41 else None, None if entry_id % 41 else "x"
                )
                for entry_id in ids[offset : offset + BATCH]
            ]
            await activity.score_entries(conn, caller=PLATFORM, scores=scores)
    steps["verifier_batches_s"] = time.perf_counter() - started
    job = mark = time.perf_counter()
    for agency_id in agencies:
        async with engine.begin() as conn:
            await activity.close_month(conn, caller=PLATFORM, agency_id=agency_id, year=YEAR, month=MONTH,
                                       today=date(2026, 12, 7))  # fmt: skip
    steps["close_s"] = time.perf_counter() - mark
    mark = time.perf_counter()
    rows = [
        FactsInput(nip, 22, 22 - n % 2, 4, 4 - n % 3 % 2, [15] if n % 4 == 0 else [],
                   {ComplianceItem.BMD: True, ComplianceItem.TPTGR: True, ComplianceItem.LHKPN: n % 5 != 0})
        for n, nip in enumerate(staff)
    ]  # fmt: skip
    async with engine.begin() as conn:
        await tpp.record_facts(conn, caller=PLATFORM, year=YEAR, month=MONTH, rows=rows)
    steps["facts_s"] = time.perf_counter() - mark
    mark = time.perf_counter()
    # As finance starts it: the pemda's job, every perangkat daerah in turn with its progress.
    async with engine.begin() as conn:
        pemda = await tpp.start_month_job(conn, caller=PLATFORM, government_code="61.71", year=YEAR, month=MONTH)
    await tpp.run_month_job(engine, PLATFORM, pemda.id)
    async with engine.connect() as conn:
        finished = await tpp_store.job(conn, pemda.id)
    assert finished is not None and finished.state == "DONE", finished
    statements = finished.statements
    steps["statements_s"] = time.perf_counter() - mark
    return {
        "entries_scored": len(ids),
        "verifier_batch_ms": round(steps["verifier_batches_s"] * 1000 / -(-len(ids) // BATCH), 1),
        "statements": statements,
        **{name: round(value, 2) for name, value in steps.items()},
        "month_job_s": round(time.perf_counter() - job, 1),
        "goal_month_job_s": 30,
    }


async def queue(engine: AsyncEngine, repeat: int) -> dict[str, Any]:
    async with signed_in(engine, "kasi.bench", SECRET) as bench:
        samples = []
        weeks = 0
        for _ in range(repeat + 1):
            wall, sql, data = await bench.post(PENDING, {})
            weeks = len(data["pendingApprovals"])
            samples.append((wall, sql))
    return {"weeks": weeks, **summary(samples[1:]), "goal_p50_ms": 50}


VERIFIER_MONTH = """query($agency: ID!) { employees(scope: $agency, first: 500) { id name position { name }
  activityCounts(from: "2026-10-01", to: "2026-10-31") { state count }
  monthlyScores(year: 2026) { month closed scoreSum } } }"""


async def verifier_month(engine: AsyncEngine, repeat: int) -> dict[str, Any]:
    async with engine.connect() as conn:
        agency = (await conn.execute(text("SELECT agency_id FROM position WHERE code = 'BENCH-0-H'"))).scalar_one()
    variables = {"agency": encode_id("OrgUnit", agency)}
    async with signed_in(engine, "verifier.61.71", SECRET) as bench:
        samples = []
        for _ in range(repeat + 1):
            before = bench.clock.statements
            wall, sql, data = await bench.post(VERIFIER_MONTH, variables)
            samples.append((wall, sql))
            statements = bench.clock.statements - before
        listed = data["employees"]
    return {
        "employees": len(listed), "entries": sum(c["count"] for e in listed for c in e["activityCounts"]),
        "statements_per_request": statements, **summary(samples[1:]),
    }  # fmt: skip


async def measure(url: str, repeat: int) -> dict[str, Any]:
    engine = create_engine(url, pool_size=4)
    generated = await generate(engine)
    waiting = await queue(engine, repeat)
    verifying = await verifier_month(engine, repeat)
    await engine.dispose()
    bounded = await logging_load(url, BOUNDED_PERIOD_S)
    saturated = await logging_load(url, None)
    engine = create_engine(url, pool_size=4)
    month = await month_end(engine)
    await engine.dispose()
    return {"database": generated, "superior_queue": waiting, "verifier_month": verifying,
            "logging_200_concurrent": bounded,
            "logging_200_back_to_back": saturated,
            "month_verification_and_tpp": month, "repeat": repeat}  # fmt: skip


def main() -> None:
    run(__doc__, measure, "individual", database_url)


if __name__ == "__main__":
    main()
