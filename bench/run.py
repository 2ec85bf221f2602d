"""`make bench`: the province-scale benchmark, end to end over HTTP.

1. Embedded PostgreSQL under .data/bench-pg; the province database is generated once
   (bench/generate.py, COPY) and reused while its scale marker matches.
2. A real server process: uvicorn with two workers (server:production_app).
3. For each read case, a load generator in a separate process (bench/loadgen.py) sends at a
   fixed rate, stepping the rate up until p99 exceeds the case's goal.
4. Submissions of 100 and 5,000 rows (one kabupaten/kota's full quarter), alone and with three
   concurrent submitters, each with its aggregate maintenance.
5. The SQL alone of each answer, the recompute floor (the province rollup from base tables),
   statements per request and the workers' RSS. Results: bench/results/latest.json and .md
   (`--provinces N`: provinces-N.json and .md, from a database of its own).
"""

import argparse
import asyncio
import json
from pathlib import Path
from typing import Any

import psycopg

from bench.generate import generate
from store import migrate
from store.embedded import EmbeddedPostgres

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
SECRET = "bench-secret-" + "x" * 40
PORT = 8790


def database_name(provinces: int) -> str:
    return "kinerja_province" if provinces == 1 else f"kinerja_provinces_{provinces}"


def results_name(provinces: int) -> str:
    """The issue's figures are at province scale (latest); larger runs are kept beside them."""
    return "latest" if provinces == 1 else f"provinces-{provinces}"


def database_url(embedded: EmbeddedPostgres, provinces: int) -> str:
    database = database_name(provinces)
    marker = f"provinces={provinces};v=3"
    with psycopg.connect(embedded.url("postgres"), autocommit=True) as admin:
        row = admin.execute(
            "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = %s", (database,)
        ).fetchone()
        if row is not None and row[0] == marker:
            migrate.upgrade(embedded.url(database))  # a database generated before the latest migration
            return embedded.url(database)
        admin.execute(f"DROP DATABASE IF EXISTS {database} WITH (FORCE)")
        admin.execute(f"CREATE DATABASE {database}")
    url = embedded.url(database)
    generate(url, provinces)
    with psycopg.connect(embedded.url("postgres"), autocommit=True) as admin:
        admin.execute(f"COMMENT ON DATABASE {database} IS '{marker}'")
    return url


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--provinces", type=int, default=1)
    parser.add_argument("--generate-only", action="store_true")
    parser.add_argument("--report-only", action="store_true", help="rewrite latest.md from latest.json")
    arguments = parser.parse_args()
    if arguments.report_only:
        name = results_name(arguments.provinces)
        (RESULTS / f"{name}.md").write_text(markdown(json.loads((RESULTS / f"{name}.json").read_text())))
        return
    embedded = EmbeddedPostgres(ROOT / ".data" / "bench-pg")
    url = database_url(embedded, arguments.provinces)
    if arguments.generate_only:
        return
    from bench.cases import run_cases

    results = asyncio.run(run_cases(url, port=PORT, secret=SECRET))
    RESULTS.mkdir(parents=True, exist_ok=True)
    name = results_name(arguments.provinces)
    (RESULTS / f"{name}.json").write_text(json.dumps(results, indent=2) + "\n")
    (RESULTS / f"{name}.md").write_text(markdown(results))
    print(markdown(results))


# The goals on this 2-core machine, for the reader to compare with.
GOALS = {
    "province_rollup": "p50 <= 15 ms and <= 1.5 x SQL + 2 ms",
    "regency_rollup": "p50 <= 10 ms and <= 1.5 x SQL + 2 ms; >= 250 rps",
    "province_rollup_cached": "answers kept per snapshot (no writes meanwhile)",
    "regency_rollup_cached": "answers kept per snapshot (no writes meanwhile); >= 250 rps",
    "regency_rollup_cached_writes": "answers kept, a 100-row submission elsewhere every second; >= 250 rps",
    "nested_tree": "<= 3 x its SQL",
    "indicator_page": "",
    "submit_batch_100": "p50 <= 100 ms",
    "submit_batch_5000": "<= 400 ms",
}


def markdown(results: dict[str, Any]) -> str:
    lines = [
        f"Scale: {results['scale']}",
        "",
        "p50/p95/p99 at the highest rate whose p99 stayed within the case's objective (bench/cases.py); "
        "submissions: sequential batches.",
        "",
        "| case | p50 ms | p95 ms | p99 ms | rps within goal | p50 ms at 10 rps | SQL ms | statements | goal |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for name, case in results["cases"].items():
        # Read cases step the rate up: their first step (10 rps) is the latency without load.
        unloaded = case["steps"][0]["p50_ms"] if case.get("steps") else ""
        lines.append(
            f"| {name} | {case['p50_ms']} | {case['p95_ms']} | {case['p99_ms']} | {case.get('rps')} | {unloaded} | "
            f"{case.get('sql_ms')} | {case.get('statements')} | {GOALS.get(name, '')} |"
        )
    lines += [
        "",
        f"Recompute floor (province rollup from base tables, SQL alone): {results['recompute_floor_ms']} ms; "
        f"speed-up of the served province rollup (p50): {results['speedup_vs_floor']}x.",
        f"RSS per worker at the end: {results['rss_mb_per_worker']} MB (goal <= 300 MB); with answers kept: "
        f"{results.get('rss_mb_workers_answers_cached')} MB.",
        "Submissions: p50 of sequential batches; with three concurrent submitters: "
        f"{results['cases']['submit_batch_100'].get('with_3_concurrent_p50_ms')} ms (100 rows), "
        f"{results['cases']['submit_batch_5000'].get('with_3_concurrent_p50_ms')} ms (5,000 rows).",
        "",
    ]
    return "\n".join(lines)


if __name__ == "__main__":
    main()
