"""Load reference regions and the demo province into a migrated database, once."""

import asyncio

import structlog
from sqlalchemy import create_engine, func, select, text
from sqlalchemy.engine import Connection

from actions.maintenance import rebuild_aggregates
from demo.evaluation import load_demo_evaluation
from demo.generate import DemoBuilder, Rows, reference_rows
from demo.individual import load_demo_individual
from demo.monev import load_demo_monev
from demo.planning import load_demo_planning
from demo.reference import read_regions
from demo.users import DEMO_PASSWORD, add_demo_users
from policies.paths import province_code
from store.database import create_engine as create_async_engine
from store.database import sync_url
from store.tables import app_user, metadata

log = structlog.get_logger()
IDENTITY_TABLES = (
    "government",
    "org_unit",
    "strategic_plan",
    "plan_version",
    "plan_element",
    "plan_indicator",
    "indicator",
    "app_user",
    "casbin_rule",
    "report",
    "report_transition",
    "comment",
)
# A row of these tables lies in the province of the row it belongs to (listed after its owner).
BELONGS_TO = {
    "strategic_plan": ("org_unit_id", "org_unit"),
    "plan_version": ("plan_id", "strategic_plan"),
    "plan_element": ("version_id", "plan_version"),
    "indicator": ("org_unit_id", "org_unit"),
    "plan_indicator": ("indicator_id", "indicator"),
    "plan_target": ("version_id", "plan_version"),
    "target": ("indicator_id", "indicator"),
    "realisation": ("indicator_id", "indicator"),
    "monthly_realisation": ("indicator_id", "indicator"),
    "report": ("org_unit_id", "org_unit"),
    "report_transition": ("report_id", "report"),
    "comment": ("report_id", "report"),
}
__all__ = ["DEMO_PASSWORD", "demo_usernames", "load_demo_if_empty"]


def build_rows() -> Rows:
    rows = Rows()
    placed = reference_rows(read_regions(), rows)
    DemoBuilder(rows).build(placed)
    add_demo_users(rows, placed)
    set_province_codes(rows)
    return rows


def set_province_codes(rows: Rows) -> None:
    """Fill the distribution column (store/tables.py) of every row that carries one."""
    codes: dict[str, dict[int, str]] = {"org_unit": {}}
    for unit in rows.tables["org_unit"]:
        unit["province_code"] = codes["org_unit"][unit["id"]] = province_code(unit["path"])
    for table, (column, owner) in BELONGS_TO.items():
        known = codes.setdefault(table, {})
        for row in rows.tables.get(table, []):
            row["province_code"] = codes[owner][row[column]]
            if "id" in row:
                known[row["id"]] = row["province_code"]
    unfilled = {
        name
        for name, batch in rows.tables.items()
        if batch and "province_code" in metadata.tables[name].c and name not in codes
    }
    assert not unfilled, f"no province rule for {sorted(unfilled)}"


def demo_usernames(url: str) -> list[str]:
    engine = create_engine(sync_url(url))
    try:
        with engine.connect() as conn:
            return list(conn.execute(select(app_user.c.username).order_by(app_user.c.id)).scalars())
    finally:
        engine.dispose()


def insert_rows(conn: Connection, rows: Rows) -> None:
    for table in metadata.sorted_tables:
        batch = rows.tables.get(table.name)
        if batch:
            conn.execute(table.insert(), batch)
    for table_name in IDENTITY_TABLES:
        # Rows carry their ids (paths are built from them); move each sequence past them.
        conn.execute(
            text(
                f"SELECT setval(pg_get_serial_sequence('{table_name}', 'id'), "
                f"coalesce((SELECT max(id) FROM {table_name}), 0) + 1, false)"
            )
        )


PUBLISH_DRAFTS = text(
    """UPDATE plan_version SET state = 'PUBLISHED', published_at = now(), published_by = 'demo'
    WHERE state = 'DRAFT'"""
)


def publish_loaded_plans(conn: Connection) -> None:
    """Publish the plan versions loaded as drafts: their content could not be inserted into a
    published version (migration 0010's triggers), so they are published once it is in."""
    conn.execute(PUBLISH_DRAFTS)


def load_demo_if_empty(url: str) -> bool:
    """Load regions and the demo province when the database has no government yet."""
    engine = create_engine(sync_url(url))
    try:
        with engine.begin() as conn:
            if conn.execute(select(func.count()).select_from(metadata.tables["government"])).scalar_one():
                return False
            rows = build_rows()
            insert_rows(conn, rows)
            publish_loaded_plans(conn)
            log.info("demo_loaded", **{name: len(batch) for name, batch in rows.tables.items()})
    finally:
        engine.dispose()
    asyncio.run(build_aggregates(url))
    asyncio.run(load_demo_planning(url))
    asyncio.run(load_demo_evaluation(url))
    asyncio.run(load_demo_monev(url))
    asyncio.run(load_demo_individual(url))
    return True


async def build_aggregates(url: str) -> None:
    """The rollup aggregates of bulk-loaded rows (the loads above write no aggregates)."""
    engine = create_async_engine(url, pool_size=1)
    try:
        async with engine.begin() as conn:
            await rebuild_aggregates(conn)
    finally:
        await engine.dispose()
