"""Page benchmarks (issue 17's quality bars): the province dashboard rendered on the server,
≤ 100 ms p50 on the demo and ≤ 150 ms on the province-scale bench database, and the other pages
beside it. Each page is asked `--repeat` times in process (the whole ASGI app, no HTTP socket),
signed in through the sign-in form, once with the kept rollup answers off (every request computes)
and once as served (answers kept per database snapshot: what a second visitor gets).

    .venv/bin/python -m bench.pages [--repeat 30] [--skip-province-scale]

Results: bench/results/pages.json.
"""

import argparse
import asyncio
import gc
import json
import logging
import re
import statistics
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import httpx
import psycopg
import structlog
from sqlalchemy.engine import make_url

from bench.run import database_url
from demo.load import load_demo_if_empty
from server import DEFAULT_ANSWER_CACHE_SIZE, create_app
from store import migrate
from store.database import create_engine
from store.embedded import EmbeddedPostgres

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
SECRET = "bench-pages-" + "x" * 40
PASSWORD = "kinerja-demo"
DEMO_DATABASE = "kinerja_pages_demo"
CSRF = re.compile(r'name="csrf" value="([^"]*)"')
SCOPE_LINK = re.compile(r'href="/dasbor\?lingkup=([^&"]+)&')


def demo_database(embedded: EmbeddedPostgres) -> str:
    url = embedded.url(DEMO_DATABASE)
    with psycopg.connect(embedded.url("postgres"), autocommit=True) as admin:
        if admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", (DEMO_DATABASE,)).fetchone() is None:
            admin.execute(f"CREATE DATABASE {DEMO_DATABASE}")
    migrate.upgrade(url)
    load_demo_if_empty(url)
    return url


async def timed(repeat: int, ask: Callable[[], Awaitable[httpx.Response]]) -> dict[str, float]:
    samples = []
    size = 0
    for _ in range(repeat):
        started = time.perf_counter()
        response = await ask()
        samples.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, response.text[:500]
        size = len(response.content)
    return {"p50_ms": round(statistics.median(samples), 1), "min_ms": round(min(samples), 1), "html_bytes": size}


async def measure_pages(url: str, username: str, repeat: int, *, kept_answers: bool) -> dict[str, Any]:
    engine = create_engine(url, pool_size=4)
    app = create_app(engine, secret=SECRET, answer_cache_size=DEFAULT_ANSWER_CACHE_SIZE if kept_answers else 0)
    gc.collect()
    gc.freeze()
    gc.set_threshold(700, 10, 100)
    results: dict[str, Any] = {}
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://bench", timeout=120) as client:
        form = await client.get("/masuk")
        token = CSRF.search(form.text)
        assert token
        signed = await client.post("/masuk", data={"csrf": token.group(1), "username": username, "password": PASSWORD})
        assert signed.status_code == 303, signed.text[:300]
        province = await client.get("/dasbor?tahun=2026&triwulan=3")
        assert province.status_code == 200, province.text[:300]
        kota = SCOPE_LINK.findall(province.text)
        pages = {
            "province_dashboard": "/dasbor?tahun=2026&triwulan=3",
            "kabupaten_kota_dashboard": f"/dasbor?lingkup={kota[1]}&tahun=2026&triwulan=3",
            "public_portal": "/?tahun=2025",
        }
        for name, path in pages.items():
            results[name] = await timed(repeat, lambda path=path: client.get(path))  # type: ignore[misc]
    await engine.dispose()
    return results


CLIENTS = 8
LOAD_SECONDS = 5.0
PORTAL_ROLLUP = """query($scope: ID!) { rollup(scope: $scope, year: 2025) { percent category indicatorCount countedCount
  missingCount children { scope { code name } percent category indicatorCount countedCount missingCount } } }"""


async def throughput(ask: Callable[[], Awaitable[httpx.Response]]) -> dict[str, float]:
    """CLIENTS concurrent clients asking for LOAD_SECONDS: answers per second and their p50."""
    samples: list[float] = []
    stop = time.perf_counter() + LOAD_SECONDS

    async def client() -> None:
        while time.perf_counter() < stop:
            started = time.perf_counter()
            response = await ask()
            assert response.status_code == 200, response.text[:300]
            samples.append((time.perf_counter() - started) * 1000)

    began = time.perf_counter()
    await asyncio.gather(*(client() for _ in range(CLIENTS)))
    return {
        "rps": round(len(samples) / (time.perf_counter() - began), 1),
        "p50_ms": round(statistics.median(samples), 1),
    }


async def portal_under_load(url: str) -> dict[str, Any]:
    """The anonymous portal and the same province rollup asked of the API anonymously, both from
    kept answers, under the same load (issue 17: the portal as fast as the API's cached rollups)."""
    engine = create_engine(url, pool_size=4)
    app = create_app(engine, secret=SECRET, answer_cache_size=DEFAULT_ANSWER_CACHE_SIZE, budgets=None)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://bench", timeout=120) as client:
        province = (await client.post("/graphql", json={"query": '{ government(code: "61") { id } }'})).json()
        body = {"query": PORTAL_ROLLUP, "variables": {"scope": province["data"]["government"]["id"]}}
        results = {
            "api_rollup_cached": await throughput(lambda: client.post("/graphql", json=body)),
            "portal_page": await throughput(lambda: client.get("/?tahun=2025")),
        }
    await engine.dispose()
    return {**results, "clients": CLIENTS, "seconds": LOAD_SECONDS}


async def measure(url: str, username: str, repeat: int) -> dict[str, Any]:
    return {
        "computed": await measure_pages(url, username, repeat, kept_answers=False),
        "as_served": await measure_pages(url, username, repeat, kept_answers=True),
        "under_load": await portal_under_load(url),
    }


def main() -> None:
    structlog.configure(wrapper_class=structlog.make_filtering_bound_logger(logging.WARNING))
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--skip-province-scale", action="store_true")
    arguments = parser.parse_args()
    embedded = EmbeddedPostgres(ROOT / ".data" / "bench-pg")
    results: dict[str, Any] = {"repeat": arguments.repeat}
    demo = demo_database(embedded)
    results["demo"] = asyncio.run(measure(demo, "admin.61", arguments.repeat))
    if not arguments.skip_province_scale:
        scale = database_url(embedded, 1)
        results["province_scale"] = asyncio.run(measure(scale, "reviewer.61", arguments.repeat))
        results["province_scale"]["database"] = make_url(scale).database
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "pages.json").write_text(json.dumps(results, indent=2) + "\n")
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
