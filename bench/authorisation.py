"""Does authorisation cost? The province rollup for a province-wide viewer against the same
request by a Kota Pontianak operator (scoped SQL), on the demo province.

    make bench            # or: .venv/bin/python -m bench.authorisation --repeat 200

Requests go through the whole ASGI app (authentication, GraphQL, SQL) in process; medians and
the ratio are printed and written to bench/results/authorisation.json.
"""

import argparse
import asyncio
import json
import logging
import statistics
import time
from pathlib import Path

import httpx
import structlog

from actions.maintenance import keep_aggregates_current
from demo.load import load_demo_if_empty
from server import create_app
from store import migrate
from store.database import create_engine
from store.embedded import EmbeddedPostgres

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results" / "authorisation.json"
LOGIN = 'mutation { login(input: {username: "%s", password: "kinerja-demo"}) { token } }'
ROLLUP = """query($scope: ID!) { rollup(scope: $scope, year: 2026, quarter: 2) {
  percent indicatorCount children { percent indicatorCount } } }"""


async def timed(client: httpx.AsyncClient, token: str, scope: str, repeat: int) -> list[float]:
    headers = {"authorization": f"Bearer {token}"}
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        response = await client.post("/graphql", json={"query": ROLLUP, "variables": {"scope": scope}}, headers=headers)
        samples.append((time.perf_counter() - started) * 1000)
        assert response.json()["data"]["rollup"]["indicatorCount"] > 0
    return samples


def demo_database() -> str:
    """The demo province in its own database, migrated and loaded (synchronously: the loader
    runs its own event loop)."""
    url = EmbeddedPostgres(ROOT / ".data" / "bench-pg").ensure_database("kinerja_bench")
    migrate.upgrade(url)
    load_demo_if_empty(url)
    return url


async def run(url: str, repeat: int) -> dict[str, object]:
    engine = create_engine(url)
    # In process the app's lifespan does not run: bring an older database's aggregates up to date here.
    await keep_aggregates_current(engine)
    transport = httpx.ASGITransport(app=create_app(engine, secret="bench-" * 8, answer_cache_size=0))
    async with httpx.AsyncClient(transport=transport, base_url="http://bench") as client:

        async def token(username: str) -> str:
            body = (await client.post("/graphql", json={"query": LOGIN % username})).json()
            return str(body["data"]["login"]["token"])

        province = (await client.post("/graphql", json={"query": '{ government(code: "61") { id } }'})).json()
        scope = province["data"]["government"]["id"]
        wide, scoped = await token("reviewer.61"), await token("operator.61.71")
        await timed(client, wide, scope, 10)  # warm caches and the pool
        await timed(client, scoped, scope, 10)
        # Interleave the two viewers so machine noise falls on both alike.
        wide_ms: list[float] = []
        scoped_ms: list[float] = []
        for _ in range(repeat // 10):
            wide_ms += await timed(client, wide, scope, 10)
            scoped_ms += await timed(client, scoped, scope, 10)
    await engine.dispose()
    result: dict[str, object] = {
        "case": "province rollup 2026 Q2, demo province (1,115 indicators)",
        "repeat": repeat,
        "province_wide_median_ms": round(statistics.median(wide_ms), 2),
        "scoped_median_ms": round(statistics.median(scoped_ms), 2),
        "scoped_over_wide": round(statistics.median(scoped_ms) / statistics.median(wide_ms), 3),
    }
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(result, indent=2) + "\n")
    return result


def main() -> None:
    # The app logs a line per request; in process that is the bench's own output, and its cost.
    structlog.configure(wrapper_class=structlog.make_filtering_bound_logger(logging.WARNING))
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=200)
    repeat = parser.parse_args().repeat
    print(json.dumps(asyncio.run(run(demo_database(), repeat)), indent=2))


if __name__ == "__main__":
    main()
