"""Recompute every aggregate from base tables and report any difference from the stored ones.

    .venv/bin/python -m store.reconcile [DATABASE_URL]          # report; exit 1 on a difference
    .venv/bin/python -m store.reconcile [DATABASE_URL] --fix    # and rebuild

Without a URL: $DATABASE_URL, or the embedded database that `make run` serves (`make reconcile`).
"""

import argparse
import asyncio
import os
import sys
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncConnection

from store.aggregates import UNIT, AggregateWindow, compute, rebuild, totals_of_row
from store.database import create_engine
from store.tables import rollup_aggregate
from store.values import stored_quarter


@dataclass(frozen=True)
class Difference:
    unit_id: int
    year: int
    quarter: int
    stored: str
    recomputed: str


async def differences(conn: AsyncConnection, window: AggregateWindow) -> list[Difference]:
    """Unit-level rows stored against a from-scratch computation (reporting-unit rows are their sums)."""
    found: list[Difference] = []
    for year in window.years():
        expected = {
            (unit, stored_quarter(quarter)): totals
            for (unit, quarter), (_, _, totals) in (await compute(conn, report_unit_ids=None, year=year)).items()
        }
        rows = await conn.execute(
            select(rollup_aggregate).where(rollup_aggregate.c.level == UNIT, rollup_aggregate.c.year == year)
        )
        stored = {(row.unit_id, row.quarter): totals_of_row(row) for row in rows}
        for key in sorted(set(expected) | set(stored)):
            if expected.get(key) != stored.get(key):
                found.append(Difference(key[0], year, key[1], str(stored.get(key)), str(expected.get(key))))
    return found


async def run(url: str, *, fix: bool) -> int:
    engine = create_engine(url, pool_size=1)
    window = AggregateWindow()
    try:
        async with engine.begin() as conn:
            found = await differences(conn, window)
            for difference in found[:20]:
                print(f"unit {difference.unit_id} {difference.year} Q{difference.quarter}: "
                      f"stored {difference.stored} != recomputed {difference.recomputed}")  # fmt: skip
            print(f"{len(found)} difference(s) in years {window.first_year}-{window.last_year}")
            if found and fix:
                await rebuild(conn, window)
                print("rebuilt")
    finally:
        await engine.dispose()
    return 1 if found and not fix else 0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("database_url", nargs="?", default=os.environ.get("DATABASE_URL"))
    parser.add_argument("--fix", action="store_true", help="rebuild the aggregates when they differ")
    arguments = parser.parse_args()
    sys.exit(asyncio.run(run(arguments.database_url or embedded_url(), fix=arguments.fix)))


def embedded_url() -> str:
    """The database `make run` serves, migrated (empty until `make run` has loaded the demo)."""
    from store import migrate
    from store.embedded import EmbeddedPostgres

    url = EmbeddedPostgres(Path(__file__).resolve().parent.parent / ".data" / "pg").ensure_database("kinerja")
    migrate.upgrade(url)
    return url


if __name__ == "__main__":
    main()
