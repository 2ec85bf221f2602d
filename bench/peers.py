"""`make bench-peers`: Kinerja beside PostGraphile 4.14.1 on the same bench database (issue 15).

Both serve the province-scale bench database over HTTP with two worker processes: Kinerja as
`make bench` runs it (uvicorn, answers not kept, signed in as operator.61.71, authorisation
applied) and PostGraphile from npm (bench/peers/postgraphile.js: a cluster of two, no
authorisation at all, default mutations off). For each read shape that exists in both, the same
client sends the same request 150 times one after another (p50), then 8 clients send as fast as
they are answered for 15 seconds (throughput); the two servers alternate twice and the medians of
the rounds are kept. Each shape's answers are checked to carry the same rows in both.

- `raw_values_tree`: an agency → its units → their units, each unit's indicators with
  `targets(year: 2028)` and `realisations(year: 2028)` (issue 15's table);
- `unit_indicator_page`: the first 100 indicators of the kab/kota's unit with the most, with
  `totalCount` and the year's targets and realisations (PostGraphile has no subtree filter, so the
  page is one unit's);
- `audit_page`: the newest 100 audit entries (Kinerja as reviewer.61, who may read them).

Not part of `make test`. It needs Node.js and npm (it says so and stops when they are missing)
and installs PostGraphile under .data/peers once. Results: bench/results/peers.json and .md.

    .venv/bin/python -m bench.peers [--rounds 2] [--repeat 150] [--seconds 15]
"""

import argparse
import asyncio
import json
import os
import shutil
import statistics
import subprocess
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import psycopg

from bench.cases import LOGIN, start_server
from bench.run import SECRET, database_url
from schema.ids import encode_id
from store.embedded import EmbeddedPostgres

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
PEERS = ROOT / ".data" / "peers"
POSTGRAPHILE = "4.14.1"
KINERJA_PORT, POSTGRAPHILE_PORT = 8796, 8797
CLIENTS = 8
YEAR = 2028

VALUES = f"targets(year: {YEAR}) {{ quarter value }} realisations(year: {YEAR}) {{ quarter value note }}"
KINERJA_TREE = f"""query($id: ID!) {{ node(id: $id) {{ ... on OrgUnit {{ code indicators {{ code {VALUES} }}
  children {{ code indicators {{ code {VALUES} }} children {{ code indicators {{ code {VALUES} }} }} }} }} }} }}"""
PG_VALUES = (
    f"targetsByIndicatorIdAndProvinceCode(condition: {{year: {YEAR}}}) {{ nodes {{ quarter value }} }} "
    f"realisationsByIndicatorIdAndProvinceCode(condition: {{year: {YEAR}}}) {{ nodes {{ quarter value note }} }}"
)
PG_INDICATORS = f"indicatorsByOrgUnitIdAndProvinceCode {{ nodes {{ code {PG_VALUES} }} }}"
PG_TREE = f"""query($id: BigInt!) {{ orgUnitByIdAndProvinceCode(id: $id, provinceCode: "61") {{ code {PG_INDICATORS}
  orgUnitsByParentIdAndProvinceCode {{ nodes {{ code {PG_INDICATORS}
    orgUnitsByParentIdAndProvinceCode {{ nodes {{ code {PG_INDICATORS} }} }} }} }} }} }}"""
KINERJA_PAGE = f"""query($unit: ID!) {{ indicators(filter: {{orgUnitId: $unit}}, first: 100) {{ totalCount
  edges {{ node {{ code name {VALUES} }} }} }} }}"""
PG_PAGE = f"""query($unit: BigInt!) {{ allIndicators(condition: {{orgUnitId: $unit, provinceCode: "61"}}, first: 100,
  orderBy: CODE_ASC) {{ totalCount nodes {{ code name {PG_VALUES} }} }} }}"""
AUDIT_FIELDS = "at actor action entityType entityId old new reason"
KINERJA_AUDIT = f"query {{ auditLog(first: 100) {{ edges {{ node {{ {AUDIT_FIELDS} }} }} }} }}"
PG_AUDIT = f"query {{ allAuditLogs(first: 100, orderBy: ID_DESC) {{ nodes {{ {AUDIT_FIELDS} }} }} }}"


def _tree_rows(unit: dict[str, Any], indicators: str, children: str, targets: str, realisations: str) -> list[int]:
    """(indicators, targets, realisations) under a unit of either answer."""
    counts = [0, 0, 0]
    found = unit[indicators]
    for indicator in found["nodes"] if isinstance(found, dict) else found:
        targets_of, realisations_of = indicator[targets], indicator[realisations]
        counts[0] += 1
        counts[1] += len(targets_of["nodes"] if isinstance(targets_of, dict) else targets_of)
        counts[2] += len(realisations_of["nodes"] if isinstance(realisations_of, dict) else realisations_of)
    below = unit.get(children) or []
    for child in below["nodes"] if isinstance(below, dict) else below:
        counts = [
            a + b for a, b in zip(counts, _tree_rows(child, indicators, children, targets, realisations), strict=True)
        ]
    return counts


def _kinerja_tree(data: dict[str, Any]) -> list[int]:
    return _tree_rows(data["node"], "indicators", "children", "targets", "realisations")


def _pg_tree(data: dict[str, Any]) -> list[int]:
    return _tree_rows(
        data["orgUnitByIdAndProvinceCode"],
        "indicatorsByOrgUnitIdAndProvinceCode",
        "orgUnitsByParentIdAndProvinceCode",
        "targetsByIndicatorIdAndProvinceCode",
        "realisationsByIndicatorIdAndProvinceCode",
    )


def _kinerja_page(data: dict[str, Any]) -> list[int]:
    page = data["indicators"]
    nodes = [e["node"] for e in page["edges"]]
    return [page["totalCount"], len(nodes), sum(len(n["targets"]) + len(n["realisations"]) for n in nodes)]


def _pg_page(data: dict[str, Any]) -> list[int]:
    page = data["allIndicators"]
    nodes = page["nodes"]
    values = sum(
        len(n["targetsByIndicatorIdAndProvinceCode"]["nodes"])
        + len(n["realisationsByIndicatorIdAndProvinceCode"]["nodes"])
        for n in nodes
    )
    return [page["totalCount"], len(nodes), values]


def _kinerja_audit(data: dict[str, Any]) -> list[int]:
    return [len(data["auditLog"]["edges"])]


def _pg_audit(data: dict[str, Any]) -> list[int]:
    return [len(data["allAuditLogs"]["nodes"])]


Shape = tuple[
    str, dict[str, Any], str, Callable[[dict[str, Any]], list[int]], str, dict[str, Any], Callable[..., list[int]]
]


def shapes(url: str) -> dict[str, Shape]:
    """Each shape: Kinerja's (query, variables, user, rows) and PostGraphile's (query, variables, rows)."""
    with psycopg.connect(url) as conn:
        agency = conn.execute(
            "SELECT u.id FROM org_unit u JOIN government g ON g.id = u.government_id "
            "WHERE g.code = '61.71' AND u.kind = 'PERANGKAT_DAERAH' ORDER BY u.id LIMIT 1"
        ).fetchone()
        busiest = conn.execute(
            "SELECT i.org_unit_id FROM indicator i JOIN org_unit u ON u.id = i.org_unit_id "
            "JOIN government g ON g.id = u.government_id WHERE g.code = '61.71' "
            "GROUP BY i.org_unit_id ORDER BY count(*) DESC, i.org_unit_id LIMIT 1"
        ).fetchone()
    assert agency is not None and busiest is not None, "the bench database has no Kota Pontianak"
    return {
        "raw_values_tree": (
            KINERJA_TREE, {"id": encode_id("OrgUnit", agency[0])}, "operator.61.71", _kinerja_tree,
            PG_TREE, {"id": str(agency[0])}, _pg_tree,
        ),
        "unit_indicator_page": (
            KINERJA_PAGE, {"unit": encode_id("OrgUnit", busiest[0])}, "operator.61.71", _kinerja_page,
            PG_PAGE, {"unit": str(busiest[0])}, _pg_page,
        ),
        "audit_page": (KINERJA_AUDIT, {}, "reviewer.61", _kinerja_audit, PG_AUDIT, {}, _pg_audit),
    }  # fmt: skip


def require_node() -> tuple[str, str]:
    node, npm = shutil.which("node"), shutil.which("npm")
    if node is None or npm is None:
        missing = " and ".join(name for name, path in (("node", node), ("npm", npm)) if path is None)
        raise SystemExit(
            f"make bench-peers needs Node.js and npm to run PostGraphile {POSTGRAPHILE}; not found: {missing}."
        )
    return node, npm


def install(npm: str) -> None:
    """PostGraphile at the pinned version under .data/peers (once)."""
    package = PEERS / "node_modules" / "postgraphile" / "package.json"
    if package.exists() and json.loads(package.read_text())["version"] == POSTGRAPHILE:
        return
    PEERS.mkdir(parents=True, exist_ok=True)
    command = [npm, "install", "--prefix", str(PEERS), f"postgraphile@{POSTGRAPHILE}", "--no-audit", "--no-fund",
               "--omit=dev", "--loglevel=error"]  # fmt: skip
    subprocess.run(command, check=True)


def _node_url(url: str) -> str:
    """node-postgres reads the socket directory from `host`, as libpq does, under its own scheme."""
    return url.replace("postgresql://postgres:@", "postgres://postgres@", 1)


def _wait(port: int, process: subprocess.Popen[bytes], what: str) -> None:
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"{what} stopped while starting")
        try:
            answer = httpx.post(f"http://127.0.0.1:{port}/graphql", json={"query": "{ __typename }"}, timeout=2)
            if answer.status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.5)
    process.terminate()
    raise SystemExit(f"{what} did not start")


def start_postgraphile(node: str, url: str) -> subprocess.Popen[bytes]:
    env = {**os.environ, "DATABASE_URL": _node_url(url), "PORT": str(POSTGRAPHILE_PORT), "WORKERS": "2",
           "NODE_PATH": str(PEERS / "node_modules"), "NODE_ENV": "production"}  # fmt: skip
    process = subprocess.Popen([node, str(ROOT / "bench" / "peers" / "postgraphile.js")], env=env)
    _wait(POSTGRAPHILE_PORT, process, "PostGraphile")
    return process


async def _sequential(
    client: httpx.AsyncClient, url: str, body: dict[str, Any], headers: dict[str, str], repeat: int
) -> float:
    walls = []
    for _ in range(repeat):
        started = time.perf_counter()
        answer = await client.post(url, json=body, headers=headers)
        walls.append((time.perf_counter() - started) * 1000)
        assert answer.status_code == 200 and "errors" not in answer.json(), answer.text[:500]
    return statistics.median(walls)


async def _throughput(
    client: httpx.AsyncClient, url: str, body: dict[str, Any], headers: dict[str, str], seconds: float
) -> float:
    done = 0
    until = time.perf_counter() + seconds

    async def one_client() -> None:
        nonlocal done
        while time.perf_counter() < until:
            answer = await client.post(url, json=body, headers=headers)
            assert answer.status_code == 200, answer.text[:500]
            done += 1

    started = time.perf_counter()
    await asyncio.gather(*(one_client() for _ in range(CLIENTS)))
    return done / (time.perf_counter() - started)


async def _token(client: httpx.AsyncClient, url: str, username: str) -> str:
    answer = (await client.post(url, json={"query": LOGIN % username})).json()
    return str(answer["data"]["login"]["token"])


async def measure(url: str, node: str, rounds: int, repeat: int, seconds: float) -> dict[str, Any]:
    kinerja_url = f"http://127.0.0.1:{KINERJA_PORT}/graphql"
    postgraphile_url = f"http://127.0.0.1:{POSTGRAPHILE_PORT}/graphql"
    found = shapes(url)
    samples: dict[str, dict[str, list[float]]] = {name: {} for name in found}
    rows: dict[str, dict[str, list[int]]] = {name: {} for name in found}
    limits = httpx.Limits(max_connections=CLIENTS * 2)
    for _ in range(rounds):
        for peer in ("kinerja", "postgraphile"):
            process = (
                start_server(url, KINERJA_PORT, SECRET, answer_cache=False)
                if peer == "kinerja"
                else start_postgraphile(node, url)
            )
            try:
                async with httpx.AsyncClient(timeout=60, limits=limits) as client:
                    for name, (k_query, k_vars, user, k_rows, p_query, p_vars, p_rows) in found.items():
                        if peer == "kinerja":
                            target, headers = (
                                kinerja_url,
                                {"authorization": f"Bearer {await _token(client, kinerja_url, user)}"},
                            )
                            body, count = {"query": k_query, "variables": k_vars}, k_rows
                        else:
                            target, headers, body, count = (
                                postgraphile_url,
                                {},
                                {"query": p_query, "variables": p_vars},
                                p_rows,
                            )
                        for _ in range(10):  # warm the pools and the plans
                            await client.post(target, json=body, headers=headers)
                        rows[name][peer] = count((await client.post(target, json=body, headers=headers)).json()["data"])
                        p50 = await _sequential(client, target, body, headers, repeat)
                        rps = await _throughput(client, target, body, headers, seconds)
                        samples[name].setdefault(f"{peer}_p50_ms", []).append(p50)
                        samples[name].setdefault(f"{peer}_rps", []).append(rps)
                        print(peer, name, rows[name][peer], round(p50, 2), "ms", round(rps, 1), "rps", flush=True)
            finally:
                process.terminate()
                process.wait(timeout=30)
    results: dict[str, Any] = {}
    for name, figures in samples.items():
        medians = {key: round(statistics.median(values), 2) for key, values in figures.items()}
        results[name] = {
            **medians,
            "rows": rows[name],
            "same_rows": rows[name].get("kinerja") == rows[name].get("postgraphile"),
            # Above 1: Kinerja is faster (p50) or serves more (throughput).
            "p50_ratio_postgraphile_to_kinerja": round(medians["postgraphile_p50_ms"] / medians["kinerja_p50_ms"], 2),
            "rps_ratio_kinerja_to_postgraphile": round(medians["kinerja_rps"] / medians["postgraphile_rps"], 2),
        }
    return {"postgraphile": POSTGRAPHILE, "rounds": rounds, "repeat": repeat, "seconds": seconds, "clients": CLIENTS,
            "shapes": results}  # fmt: skip


def markdown(results: dict[str, Any]) -> str:
    lines = [
        f"Kinerja (2 uvicorn workers, signed in, authorisation applied) beside PostGraphile {results['postgraphile']} "
        "(2 cluster workers, no authorisation) on the province bench database; "
        f"p50 of {results['repeat']} sequential requests, throughput of {results['clients']} clients for "
        f"{results['seconds']} s, medians of {results['rounds']} alternating rounds (`make bench-peers`).",
        "",
        "| shape | rows (Kinerja / PostGraphile) | Kinerja p50 ms | PostGraphile p50 ms | p50 PostGraphile / Kinerja "
        "| Kinerja rps | PostGraphile rps | rps Kinerja / PostGraphile |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for name, s in results["shapes"].items():
        shown_rows = f"{s['rows'].get('kinerja')} / {s['rows'].get('postgraphile')}"
        lines.append(
            f"| {name} | {shown_rows} | {s['kinerja_p50_ms']} | {s['postgraphile_p50_ms']} | "
            f"{s['p50_ratio_postgraphile_to_kinerja']} | {s['kinerja_rps']} | {s['postgraphile_rps']} | "
            f"{s['rps_ratio_kinerja_to_postgraphile']} |"
        )
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--repeat", type=int, default=150)
    parser.add_argument("--seconds", type=float, default=15)
    arguments = parser.parse_args()
    node, npm = require_node()
    install(npm)
    embedded = EmbeddedPostgres(ROOT / ".data" / "bench-pg")
    url = database_url(embedded, 1)  # generated first when missing, as `make bench` does
    results = asyncio.run(measure(url, node, arguments.rounds, arguments.repeat, arguments.seconds))
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "peers.json").write_text(json.dumps(results, indent=2) + "\n")
    (RESULTS / "peers.md").write_text(markdown(results))
    print(markdown(results))


if __name__ == "__main__":
    main()
