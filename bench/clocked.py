"""Requests in process with the database's share of each: the whole ASGI app (authentication,
GraphQL, SQL) without HTTP, signed in as one bench user, for benchmarks that compare a request's
wall-clock time with the time its SQL statements take (bench/planning.py, bench/evaluation.py)."""

import argparse
import asyncio
import gc
import json
import logging
import statistics
import time
from collections.abc import AsyncIterator, Callable, Coroutine
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import structlog
from sqlalchemy.ext.asyncio import AsyncEngine

from bench.generate import PASSWORD
from bench.run import database_url
from bench.sql_clock import SqlClock
from server import create_app
from store.embedded import EmbeddedPostgres

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"

LOGIN = "mutation($u: String!, $p: String!) { login(input: {username: $u, password: $p}) { token } }"


@dataclass
class ClockedClient:
    client: httpx.AsyncClient
    clock: SqlClock
    headers: dict[str, str]

    async def post(self, query: str, variables: dict[str, Any]) -> tuple[float, float, dict[str, Any]]:
        """Wall-clock and SQL milliseconds of one request, and its data (no error allowed). The
        clock stops when the answer has arrived: the client's decoding of it is not the server's
        time (a province's 1.75 MB plan tree took the client ~20 ms to decode)."""
        self.clock.seconds = 0.0
        body = {"query": query, "variables": variables}
        started = time.perf_counter()
        response = await self.client.post("/graphql", json=body, headers=self.headers)
        wall, sql = (time.perf_counter() - started) * 1000, self.clock.seconds * 1000
        answer = response.json()
        assert not answer.get("errors"), answer["errors"]
        payloads = [payload for payload in answer["data"].values() if isinstance(payload, dict)]
        assert all(not payload.get("userErrors") for payload in payloads), answer
        return wall, sql, answer["data"]


@asynccontextmanager
async def signed_in(
    engine: AsyncEngine, username: str, secret: str, *, answer_cache_size: int = 0
) -> AsyncIterator[ClockedClient]:
    """Answers computed (not kept) unless `answer_cache_size` keeps them, as served by default."""
    clock = SqlClock(engine)
    app = create_app(engine, secret=secret, answer_cache_size=answer_cache_size)
    # As the server's lifespan sets them (server.py), which ASGITransport does not run.
    gc.collect()
    gc.freeze()
    gc.set_threshold(700, 10, 100)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://bench", timeout=120) as client:
        login = await client.post("/graphql", json={"query": LOGIN, "variables": {"u": username, "p": PASSWORD}})
        yield ClockedClient(client, clock, {"authorization": f"Bearer {login.json()['data']['login']['token']}"})


def summary(samples: list[tuple[float, float]]) -> dict[str, float]:
    """Medians of wall-clock and SQL milliseconds, and their ratio."""
    wall = statistics.median(s[0] for s in samples)
    sql = statistics.median(s[1] for s in samples)
    return {"p50_ms": round(wall, 1), "sql_p50_ms": round(sql, 1), "ratio_to_sql": round(wall / sql, 2)}


def run(
    doc: str | None,
    measure: Callable[[str, int], Coroutine[Any, Any, dict[str, Any]]],
    results_name: str,
    database: Callable[[], str] | None = None,
) -> None:
    """A bench's command line: `--repeat`, the province bench database (or `database`'s own),
    results in bench/results."""
    # The app logs a line per request; in process that is the bench's own output, and its cost.
    structlog.configure(wrapper_class=structlog.make_filtering_bound_logger(logging.WARNING))
    parser = argparse.ArgumentParser(description=doc, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=15)
    arguments = parser.parse_args()
    url = database() if database else database_url(EmbeddedPostgres(ROOT / ".data" / "bench-pg"), 1)
    results: dict[str, Any] = asyncio.run(measure(url, arguments.repeat))
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / f"{results_name}.json").write_text(json.dumps(results, indent=2) + "\n")
    print(json.dumps(results, indent=2))
