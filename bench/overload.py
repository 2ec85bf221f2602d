"""Overload, bounded, on loopback: does a server past its capacity shed the excess quickly and
recover, or queue everyone into timeouts?

    .venv/bin/python -m bench.overload [--seconds 10]

1. A real server (uvicorn, two workers, server:production_app; answers computed, not kept) on
   the province-scale bench database (bench/run.py makes it).
2. Its capacity for the kabupaten/kota rollup: the highest rate whose p99 stays within 100 ms
   (bench/loadgen.py's open-loop steps).
3. Twice that rate for `--seconds`, then half the capacity for as long: every request is sent on
   schedule whether or not earlier ones returned, and classed as answered, shed (429/503 with
   Retry-After) or failed (anything else, or no answer within 10 s).
4. The workers' RSS sampled throughout, against the bench's bound (300 MB a worker).
Results: bench/results/overload.json and .md.
"""

import argparse
import asyncio
import contextlib
import gc
import json
import statistics
import time
from dataclasses import dataclass
from typing import Any

import httpx
import psutil

from bench.cases import LOGIN, READ_CASES, ids, load, start_server, summary
from bench.loadgen import Connections, percentile
from bench.run import PORT, RESULTS, ROOT, SECRET, database_url
from store.database import create_engine
from store.embedded import EmbeddedPostgres

CASE = "regency_rollup"
GOAL_MS = READ_CASES[CASE][3]
RSS_BOUND_MB = 300.0  # bench/run.py's goal per worker
ANSWER_WITHIN_S = 10.0  # a client's patience: later than this is a failure, as a timeout would be
SHED_STATUSES = (429, 503)


@dataclass
class Outcome:
    sent_at: float  # seconds since the phase began, as scheduled
    latency_ms: float
    status: int | None  # None: no answer within ANSWER_WITHIN_S, or the connection failed; 0: errors


async def drive(connections: Connections, rate: float, seconds: float) -> list[Outcome]:
    """Open loop: requests leave on schedule; latency counts from the scheduled time."""
    outcomes: list[Outcome] = []
    start = time.perf_counter() + 0.05

    async def one(offset: float) -> None:
        status: int | None
        try:
            failure = await asyncio.wait_for(connections.send(), ANSWER_WITHIN_S)
            code = 200 if failure is None else int(failure.split(":", 1)[0])
            status = 0 if failure is not None and code == 200 else code  # 0: answered with GraphQL errors
        except (TimeoutError, OSError, asyncio.IncompleteReadError, ValueError, StopIteration):
            status = None
        outcomes.append(Outcome(offset, (time.perf_counter() - start - offset) * 1000, status))

    tasks = []
    for i in range(int(rate * seconds)):
        offset = i / rate
        if (delay := start + offset - time.perf_counter()) > 0:
            await asyncio.sleep(delay)
        tasks.append(asyncio.create_task(one(offset)))
    await asyncio.gather(*tasks)
    return outcomes


def latency(outcomes: list[Outcome]) -> dict[str, float | None]:
    samples = [o.latency_ms for o in outcomes]
    if not samples:
        return {"p50_ms": None, "p99_ms": None, "max_ms": None}
    return {
        "p50_ms": round(statistics.median(samples), 1),
        "p99_ms": round(percentile(samples, 0.99), 1),
        "max_ms": round(max(samples), 1),
    }


def phase_summary(outcomes: list[Outcome], rate: float, seconds: float) -> dict[str, Any]:
    answered = [o for o in outcomes if o.status == 200]
    shed = [o for o in outcomes if o.status in SHED_STATUSES]
    failed = [o for o in outcomes if o not in answered and o not in shed]
    return {
        "rate": round(rate, 1),
        "sent": len(outcomes),
        "answered": len(answered),
        "shed": len(shed),
        "failed": len(failed),
        "goodput_rps": round(len(answered) / seconds, 1),
        "answered_latency": latency(answered),
        "shed_latency": latency(shed),
    }


def recovered_after(outcomes: list[Outcome], seconds: float) -> float | None:
    """Seconds into the calm phase after which every second's requests were answered, with a p99
    within the goal; None if the calm phase never got there."""
    windows = int(seconds)
    healthy = []
    for second in range(windows):
        inside = [o for o in outcomes if second <= o.sent_at < second + 1]
        fine = bool(inside) and all(o.status == 200 for o in inside)
        healthy.append(fine and percentile([o.latency_ms for o in inside], 0.99) <= GOAL_MS)
    for second in range(windows):
        if all(healthy[second:]):
            return float(second)
    return None


async def sample_rss(pid: int, peak: dict[str, float], stop: asyncio.Event) -> None:
    while not stop.is_set():
        for worker in psutil.Process(pid).children(recursive=True):
            with contextlib.suppress(psutil.NoSuchProcess):
                peak[str(worker.pid)] = max(peak.get(str(worker.pid), 0.0), worker.memory_info().rss / 2**20)
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), 0.25)


async def measure(seconds: float, capacity_rps: float | None) -> dict[str, Any]:
    url = database_url(EmbeddedPostgres(ROOT / ".data" / "bench-pg"), 1)
    engine = create_engine(url, pool_size=1)
    async with engine.connect() as conn:
        regency = (await ids(conn))["regency"]
    await engine.dispose()
    body = {"query": READ_CASES[CASE][0], "variables": {"scope": regency}}
    process = start_server(url, PORT, SECRET, answer_cache=False)
    base = f"http://127.0.0.1:{PORT}"
    peak: dict[str, float] = {}
    stop = asyncio.Event()
    sampling = asyncio.create_task(sample_rss(process.pid, peak, stop))
    try:
        async with httpx.AsyncClient(base_url=base) as client:
            login = (await client.post("/graphql", json={"query": LOGIN % READ_CASES[CASE][2]})).json()
        token = login["data"]["login"]["token"]
        if capacity_rps is None:
            print("capacity …", flush=True)
            capacity = summary(await asyncio.to_thread(load, base, token, body, GOAL_MS), GOAL_MS)
        else:  # a capacity measured before, to compare settings at one rate
            capacity = {"rps": capacity_rps, "steps": []}
        rate = max(10.0, float(capacity["rps"]))
        connections = Connections(base, "/graphql", json.dumps(body).encode(), {"Authorization": f"Bearer {token}"})
        gc.disable()  # a collection pausing the driver would show as server latency
        try:
            print(f"overload at {2 * rate:.0f}/s, then {rate / 2:.0f}/s …", flush=True)
            overloaded = await drive(connections, 2 * rate, seconds)
            calm = await drive(connections, rate / 2, seconds)
        finally:
            gc.enable()
            connections.close()
    finally:
        stop.set()
        await sampling
        process.send_signal(2)
        process.wait(timeout=30)
    return {
        "case": CASE,
        "goal_p99_ms": GOAL_MS,
        "capacity_rps": capacity["rps"],
        "capacity_steps": capacity["steps"],
        "overload": phase_summary(overloaded, 2 * rate, seconds),
        "calm": phase_summary(calm, rate / 2, seconds),
        "recovered_after_s": recovered_after(calm, seconds),
        "rss_peak_mb_per_worker": sorted(round(mb, 1) for mb in peak.values()),
        "rss_bound_mb": RSS_BOUND_MB,
        "answer_within_s": ANSWER_WITHIN_S,
    }


def markdown(results: dict[str, Any]) -> str:
    lines = [
        f"Kabupaten/kota rollup (answers computed), capacity {results['capacity_rps']} rps within a "
        f"{results['goal_p99_ms']:.0f} ms p99; then twice that rate, then half of it, open loop.",
        "",
        "| phase | rate /s | sent | answered | shed (429/503) | failed | goodput /s | answered p50 / p99 ms | "
        "shed p50 / p99 ms |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for name in ("overload", "calm"):
        phase = results[name]
        answered, shed = phase["answered_latency"], phase["shed_latency"]
        lines.append(
            f"| {name} | {phase['rate']} | {phase['sent']} | {phase['answered']} | {phase['shed']} | "
            f"{phase['failed']} | {phase['goodput_rps']} | {answered['p50_ms']} / {answered['p99_ms']} | "
            f"{shed['p50_ms']} / {shed['p99_ms']} |"
        )
    lines += [
        "",
        f"Recovered (every second answered within the p99 goal) {results['recovered_after_s']} s into the calm "
        f"phase. Peak RSS per worker: {results['rss_peak_mb_per_worker']} MB (bound {results['rss_bound_mb']:.0f}).",
        "",
    ]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--capacity", type=float, help="skip measuring it: requests per second")
    arguments = parser.parse_args()
    results = asyncio.run(measure(arguments.seconds, arguments.capacity))
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "overload.json").write_text(json.dumps(results, indent=2) + "\n")
    (RESULTS / "overload.md").write_text(markdown(results))
    print(markdown(results))


if __name__ == "__main__":
    main()
