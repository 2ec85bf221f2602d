"""Upkeep of derived data that no user write triggers: rebuilding the stored rollup aggregates
after a bulk load, a repair, or a change of the rules they are computed by."""

from collections.abc import Collection

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from domain.rollup import RULES_VERSION
from store import aggregates
from store.aggregates import AggregateWindow

PLAN_PERIOD = AggregateWindow()  # the kept years, as the server keeps them (AggregateWindow's defaults)
# Held while a start-up decides whether to rebuild: two workers starting at once rebuild once.
_REBUILD_LOCK = 0x6B696E65  # "kine"


async def rebuild_aggregates(
    conn: AsyncConnection, *, window: AggregateWindow = PLAN_PERIOD, years: Collection[int] | None = None
) -> None:
    """Recompute the stored aggregates of these kept years (every year when None) from base rows."""
    await aggregates.rebuild(conn, window, years=years)


async def keep_aggregates_current(
    engine: AsyncEngine, window: AggregateWindow = PLAN_PERIOD, *, rules_version: int = RULES_VERSION
) -> bool:
    """At start-up: rebuild every stored aggregate when the database's were built by other rules
    than `rules_version` (domain.rollup.RULES_VERSION), or never built although there are
    indicators. Whether it rebuilt."""
    async with engine.begin() as conn:
        await conn.execute(select(func.pg_advisory_xact_lock(_REBUILD_LOCK)))
        stored = await aggregates.rules_version(conn)
        if stored == rules_version and not await aggregates.have_indicators_without_aggregates(conn):
            return False
        await aggregates.rebuild(conn, window, rules_version=rules_version)
        return True
