"""The read shapes third-party reporting tools use (issue 15), each beside the time its own SQL
statements take, on the province-scale bench database, in process (the whole ASGI app, no HTTP),
signed in as operator.61.71 (Kota Pontianak's government-wide operator):

- an indicator page: the first 100 of the kab/kota with `totalCount`, targets, realisations,
  achievement, unit and parent;
- `nodes(ids:)` of 100 indicators with their values and unit;
- the kab/kota's reports of a quarter (every reporting unit) with each one's history and comments;
- an audit-log page of 100 entries (as reviewer.61: the audit log is read by reviewers, leaders,
  evaluators and admins).

    .venv/bin/python -m bench.read_shapes [--repeat 30]

Results: bench/results/read_shapes.json (p50 wall and SQL milliseconds, their ratio, statements).
"""

from typing import Any

from sqlalchemy import text

from bench.clocked import run, signed_in, summary
from schema.ids import encode_id
from store.database import create_engine

SECRET = "bench-read-shapes-" + "x" * 40
YEAR = 2028
VALUES = f"targets(year: {YEAR}) {{ quarter value }} realisations(year: {YEAR}) {{ quarter value }}"
ACHIEVEMENT = f"achievement(year: {YEAR}) {{ percent category }}"
INDICATOR_PAGE = f"""query($scope: ID!) {{ indicators(filter: {{subtreeOf: $scope}}, first: 100) {{ totalCount
  edges {{ node {{ id code name unitOfMeasure {VALUES} {ACHIEVEMENT} orgUnit {{ code }} parent {{ code }} }} }} }} }}"""
NODES = f"""query($ids: [ID!]!) {{ nodes(ids: $ids) {{ id ... on Indicator {{ code {VALUES} {ACHIEVEMENT}
  orgUnit {{ code government {{ code }} }} }} }} }}"""
REPORTS = f"""query($scope: ID!) {{ reportingCompliance(scope: $scope, year: {YEAR}, quarter: 2) {{ state
  orgUnit {{ code }} report {{ id state history {{ action state actor at reason }}
  comments {{ body author resolved }} }} }} }}"""
AUDIT = """query { auditLog(first: 100) { pageInfo { hasNextPage endCursor }
  edges { node { id at actor action entityType entityId old new reason } } } }"""


async def measure(url: str, repeat: int) -> dict[str, Any]:
    engine = create_engine(url, pool_size=4)
    async with engine.connect() as conn:
        regency = (await conn.execute(text("SELECT id FROM government WHERE code = '61.71'"))).scalar_one()
        indicators = (
            await conn.execute(
                text(
                    "SELECT i.id FROM indicator i JOIN org_unit u ON u.id = i.org_unit_id "
                    "WHERE u.government_id = :g ORDER BY i.id LIMIT 100"
                ),
                {"g": regency},
            )
        ).scalars()
        ids = [encode_id("Indicator", pk) for pk in indicators]
    shapes: dict[str, tuple[str, str, dict[str, Any]]] = {
        "indicator_page": ("operator.61.71", INDICATOR_PAGE, {"scope": encode_id("Government", regency)}),
        "nodes_100": ("operator.61.71", NODES, {"ids": ids}),
        "reports_with_history": ("operator.61.71", REPORTS, {"scope": encode_id("Government", regency)}),
        "audit_page": ("reviewer.61", AUDIT, {}),
    }
    results: dict[str, Any] = {}
    for name, (username, query, variables) in shapes.items():
        async with signed_in(engine, username, SECRET) as bench:
            for _ in range(5):  # warm the pool, the plans and the loaders' statements
                await bench.post(query, variables)
            samples = []
            for _ in range(repeat):
                before = bench.clock.statements
                wall, sql, data = await bench.post(query, variables)
                samples.append((wall, sql))
                statements = bench.clock.statements - before
            (payload,) = data.values()
            rows = len(payload) if isinstance(payload, list) else len(payload.get("edges", []))
            results[name] = {**summary(samples), "statements": statements, "rows": rows}
            print(name, results[name], flush=True)
    await engine.dispose()
    return {"shapes": results, "repeat": repeat}


def main() -> None:
    run(__doc__, measure, "read_shapes")


if __name__ == "__main__":
    main()
