"""Incremental aggregates equal a from-scratch computation after randomised write sequences, and
rollups read from them equal rollups evaluated live, for viewers of every kind."""

import random
import uuid
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import delete, func, select, update
from sqlalchemy.ext.asyncio import AsyncEngine

from actions.maintenance import keep_aggregates_current
from domain.periods import Period
from domain.rollup import RULES_VERSION
from policies.authoriser import Authoriser
from policies.permissions import Role
from policies.viewer import SYSTEM, Grant, Viewer, ViewerKind
from store.aggregates import AggregateWindow, rules_version
from store.database import create_engine
from store.reconcile import differences
from store.rollups import ScopeKey, load_rollups
from store.tables import rollup_aggregate
from tests.api.client import Api
from tests.api.factories import create_indicator, create_unit, government_ids, set_targets, submit

UNITS = """query($code: String!) { government(code: $code) { id rootUnit { id children(year: 2026) { id code
  children { id } indicators { id periodAggregation rollupFromChildren
  realisations(year: 2026) { quarter version } targets(year: 2026) { quarter version } } } } } }"""
KEPT = AggregateWindow()
NOT_KEPT = AggregateWindow(first_year=1900, last_year=1900)  # forces live evaluation
AUTHORISER = Authoriser()


def viewers() -> list[Viewer]:
    def user(*grants: Grant) -> Viewer:
        return AUTHORISER.viewer(kind=ViewerKind.USER, user_id=1, username="u", grants=grants)

    return [
        SYSTEM,
        user(Grant(Role.OPERATOR, "61/61.71/")),
        user(Grant(Role.REVIEWER, "61/")),
        AUTHORISER.viewer(kind=ViewerKind.ANONYMOUS, user_id=None, username=None, grants=()),
        AUTHORISER.viewer(
            kind=ViewerKind.API_CLIENT, user_id=1, username="u", grants=(Grant(Role.API_CLIENT, "61/61.71/"),)
        ),
    ]


def _unique() -> str:
    """Codes and keys must not repeat: examples share the database, and seeds recur."""
    return uuid.uuid4().hex[:6]


async def random_writes(api: Api, rng: random.Random, steps: int) -> None:
    """Values, targets, new units and indicators (some computed, some in a reorganised unit)."""
    for step in range(steps):
        code = rng.choice(["61.71", "61.72", "61.11"])
        tree = (await api.execute(UNITS, {"code": code}))["government"]["rootUnit"]
        agency = rng.choice(tree["children"])
        choice = rng.random()
        if choice < 0.15:
            # A reorganisation: a new agency from 2026 with an indicator cascading from the pemda.
            unit = await create_unit(api, tree["id"], f"R{step}{_unique()}", validFrom="2026-01-01")
            await create_indicator(api, unit, f"R-{step}", periodAggregation=rng.choice(["SUM", "LAST"]))
        elif choice < 0.25:
            computed = await create_indicator(
                api, agency["id"], f"C-{step}-{_unique()}", rollupFromChildren="SUM", periodAggregation="SUM"
            )
            for child in agency["children"][:2]:
                leaf = await create_indicator(
                    api, child["id"], f"L-{step}-{_unique()}", parentId=computed, periodAggregation="SUM"
                )
                await submit(
                    api,
                    [{"indicatorId": leaf, "year": 2026, "quarter": 1, "value": str(rng.randint(1, 50))}],
                    key=f"l{step}{leaf}",
                )
            await set_targets(api, [{"indicatorId": computed, "year": 2026, "value": "60"}])
        else:
            editable = [i for i in agency["indicators"] if i["rollupFromChildren"] == "NONE"]
            if not editable:
                continue
            node = rng.choice(editable)
            quarter = rng.choice([1, 2, 3, 4])
            existing = {r["quarter"]: r["version"] for r in node["realisations"]}
            row: dict[str, Any] = {"indicatorId": node["id"], "year": 2026, "quarter": quarter,
                                   "value": str(rng.randint(0, 200))}  # fmt: skip
            if quarter in existing:
                row["expectedVersion"] = existing[quarter]
            await submit(api, [row], key=f"w{step}-{_unique()}")
            if rng.random() < 0.3:
                targets = {t["quarter"]: t["version"] for t in node["targets"]}
                target: dict[str, Any] = {"indicatorId": node["id"], "year": 2026, "value": str(rng.randint(1, 150))}
                if None in targets:
                    target["expectedVersion"] = targets[None]
                await set_targets(api, [target])


async def live_and_kept_agree(engine: AsyncEngine, scopes: list[ScopeKey]) -> None:
    async with engine.connect() as conn:
        for viewer in viewers():
            for period in (Period(2026, 1), Period(2026, 3), Period(2026), Period(2025, 4)):
                kept = await load_rollups(conn, viewer, scopes, period, KEPT)
                live = await load_rollups(conn, viewer, scopes, period, NOT_KEPT)
                assert kept.keys() == live.keys(), (viewer.kind, period)
                for key in kept:
                    assert kept[key].totals == live[key].totals, (viewer.kind, period, key)
                    assert [c.totals for c in kept[key].children or []] == [c.totals for c in live[key].children or []]


@settings(max_examples=5, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
# A seed, not st.randoms(): the writes branch on the database, which examples share, so draws
# made during the test would differ between replays and hypothesis rejects the strategy as flaky.
@given(seed=st.integers(min_value=0, max_value=2**32 - 1), steps=st.integers(min_value=1, max_value=10))
async def test_incremental_aggregates_equal_a_recomputation(
    fresh_api: Api, fresh_url: str, seed: int, steps: int
) -> None:
    """Examples accumulate writes in one database: the invariant must hold after any sequence."""
    await random_writes(fresh_api, random.Random(seed), steps)
    engine = create_engine(fresh_url)
    try:
        async with engine.connect() as conn:
            assert await differences(conn, KEPT) == []
        ids = {code: await government_ids(fresh_api, code) for code in ("61", "61.71", "61.72")}
        pontianak_units = (await fresh_api.execute(UNITS, {"code": "61.71"}))["government"]["rootUnit"]["children"]
        scopes = [ScopeKey("government", int(_pk(ids[c].government))) for c in ids] + [
            ScopeKey("unit", int(_pk(u["id"]))) for u in pontianak_units[:3]
        ]
        await live_and_kept_agree(engine, scopes)
    finally:
        await engine.dispose()


def _pk(global_id: str) -> str:
    import base64

    return base64.urlsafe_b64decode(global_id.encode()).decode().split(":")[1]


async def test_quarter_by_quarter_reports_and_a_late_correction_keep_aggregates_exact(
    fresh_api: Api, fresh_url: str
) -> None:
    """A realisation's refresh recomputes only the periods it can reach from the year's data
    (domain.periods): a first-quarter report into an empty year reaches Q1 alone, a correction
    of Q1 reaches Q2 once Q2 is in, a Q4 value reaches the year. Each step leaves the stored
    aggregates equal to a recomputation."""
    tree = (await fresh_api.execute(UNITS, {"code": "61.71"}))["government"]["rootUnit"]
    agency = tree["children"][0]["id"]
    summed = await create_indicator(fresh_api, agency, f"S-{_unique()}", periodAggregation="SUM")
    last = await create_indicator(fresh_api, agency, f"T-{_unique()}", periodAggregation="LAST")
    targets = [{"indicatorId": i, "year": 2027, "value": "100"} for i in (summed, last)]
    assert (await set_targets(fresh_api, targets))["userErrors"] == []

    def row(indicator: str, quarter: int, value: str, **extra: Any) -> dict[str, Any]:
        return {"indicatorId": indicator, "year": 2027, "quarter": quarter, "value": value, **extra}

    steps = [
        [row(summed, 1, "20"), row(last, 1, "30")],
        [row(summed, 2, "25")],
        [row(summed, 1, "40", expectedVersion=1)],
        [row(last, 4, "90")],
    ]
    engine = create_engine(fresh_url)
    try:
        for index, rows in enumerate(steps):
            assert (await submit(fresh_api, rows, key=f"quarterly-{index}-{_unique()}"))["userErrors"] == []
            async with engine.connect() as conn:
                assert await differences(conn, KEPT) == [], index
    finally:
        await engine.dispose()


async def test_a_changed_rules_version_rebuilds_the_stored_aggregates_at_start_up(fresh_url: str) -> None:
    """Aggregates built by other rules are stale however exact they once were: at start-up the
    server rebuilds them, records the version, and the reconciliation then finds nothing."""
    engine = create_engine(fresh_url, pool_size=1)
    try:
        async with engine.begin() as conn:
            # Stand-in for figures computed by the older rules: stored sums that no longer hold.
            await conn.execute(update(rollup_aggregate).where(rollup_aggregate.c.year == 2026).values(weighted_sum=0))
            assert await differences(conn, KEPT)
            assert await rules_version(conn) == RULES_VERSION
        assert not await keep_aggregates_current(engine, KEPT)  # same rules: left as they are
        assert await keep_aggregates_current(engine, KEPT, rules_version=RULES_VERSION + 1)
        async with engine.connect() as conn:
            assert await differences(conn, KEPT) == []
            assert await rules_version(conn) == RULES_VERSION + 1
        assert not await keep_aggregates_current(engine, KEPT, rules_version=RULES_VERSION + 1)
    finally:
        await engine.dispose()


async def test_a_database_loaded_without_aggregates_gets_them_at_start_up(fresh_url: str) -> None:
    engine = create_engine(fresh_url, pool_size=1)
    try:
        async with engine.begin() as conn:
            await conn.execute(delete(rollup_aggregate))
        assert await keep_aggregates_current(engine, KEPT)
        async with engine.connect() as conn:
            assert await differences(conn, KEPT) == []
            assert (await conn.execute(select(func.count()).select_from(rollup_aggregate))).scalar_one() > 0
    finally:
        await engine.dispose()
