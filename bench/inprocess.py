"""The bench's cases in process: the whole ASGI app (authentication, GraphQL, SQL) without
HTTP or a second process, so that two commits can be compared on the same database in the same
minutes with less noise than `make bench` has (an A/B: run it from each tree, alternately).

    .venv/bin/python -m bench.inprocess [--rounds 3] [--repeat 60]

It uses the province-scale bench database (`make bench` generates it) and prints, per case, the
median wall-clock and CPU milliseconds of a request. Submissions write 100-row batches into 2029,
which `bench.cases.reset_submissions` empties first.
"""

import argparse
import asyncio
import gc
import json
import logging
import statistics
import time
from pathlib import Path
from typing import Any

import httpx
import structlog

from bench.cases import (
    INDICATOR_PAGE,
    LOGIN,
    NESTED_TREE,
    RAW_VALUES_TREE,
    ROLLUP,
    SUBMIT,
    ids,
    reset_submissions,
    rows,
)
from bench.run import database_name
from server import create_app
from store.database import create_engine
from store.embedded import EmbeddedPostgres

ROOT = Path(__file__).resolve().parent.parent
SECRET = "bench-inprocess-" + "x" * 40


async def timed(client: httpx.AsyncClient, token: str, bodies: list[dict[str, Any]]) -> tuple[list[float], list[float]]:
    wall, cpu = [], []
    headers = {"authorization": f"Bearer {token}"}
    for body in bodies:
        started, started_cpu = time.perf_counter(), time.process_time()
        answer = (await client.post("/graphql", json=body, headers=headers)).json()
        wall.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - started_cpu) * 1000)
        assert not answer.get("errors"), answer
        assert all(not payload.get("userErrors") for payload in answer["data"].values() if payload), answer
    return wall, cpu


async def run(url: str, rounds: int, repeat: int) -> dict[str, Any]:
    await reset_submissions(url)
    engine = create_engine(url, pool_size=4)
    async with engine.connect() as conn:
        found = await ids(conn)
    app = create_app(engine, secret=SECRET, answer_cache_size=0)
    # As the server's lifespan sets them (server.py), which ASGITransport does not run.
    gc.collect()
    gc.freeze()
    gc.set_threshold(700, 10, 100)
    reads = {
        "province_rollup": ("reviewer.61", {"query": ROLLUP, "variables": {"scope": found["province"]}}),
        "regency_rollup": ("operator.61.71", {"query": ROLLUP, "variables": {"scope": found["regency"]}}),
        "nested_tree": ("operator.61.71", {"query": NESTED_TREE, "variables": {"id": found["agency"]}}),
        "raw_values_tree": ("operator.61.71", {"query": RAW_VALUES_TREE, "variables": {"id": found["agency"]}}),
        "indicator_page": ("operator.61.71", {"query": INDICATOR_PAGE, "variables": {"scope": found["regency"]}}),
    }
    samples: dict[str, tuple[list[float], list[float]]] = {name: ([], []) for name in [*reads, "submit_batch_100"]}
    indicators = found["indicators"]["61.04"]
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://bench") as client:
        tokens = {}
        for username in ("reviewer.61", "operator.61.71", "operator.61"):
            login = (await client.post("/graphql", json={"query": LOGIN % username})).json()
            tokens[username] = login["data"]["login"]["token"]
        for username, body in reads.values():
            await timed(client, tokens[username], [body] * 5)  # warm caches and the pool
        for round_ in range(rounds):
            for name, (username, body) in reads.items():
                wall, cpu = await timed(client, tokens[username], [body] * repeat)
                samples[name][0].extend(wall)
                samples[name][1].extend(cpu)
            batches = [
                {"query": SUBMIT, "variables": {"input": {"idempotencyKey": f"inprocess-{round_}-{i}",
                                                          "realisations": rows(indicators[i : i + 100], round_ + 1)}}}
                for i in range(0, 1000, 100)
            ]  # fmt: skip
            wall, cpu = await timed(client, tokens["operator.61"], batches)
            samples["submit_batch_100"][0].extend(wall)
            samples["submit_batch_100"][1].extend(cpu)
    await engine.dispose()
    await reset_submissions(url)
    return {
        name: {"wall_ms": round(statistics.median(wall), 2), "cpu_ms": round(statistics.median(cpu), 2)}
        for name, (wall, cpu) in samples.items()
    }


def main() -> None:
    # The app logs a line per request; in process that is the bench's own output, and its cost.
    structlog.configure(wrapper_class=structlog.make_filtering_bound_logger(logging.WARNING))
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=3, help="quarters 1.. of 2029 are written, one a round")
    parser.add_argument("--repeat", type=int, default=60)
    arguments = parser.parse_args()
    url = EmbeddedPostgres(ROOT / ".data" / "bench-pg").url(database_name(1))
    print(json.dumps(asyncio.run(run(url, arguments.rounds, arguments.repeat)), indent=2))


if __name__ == "__main__":
    main()
