"""Connection URLs and the pooled async engine."""

from typing import Any

import orjson
from psycopg.types.array import ListBinaryDumper
from sqlalchemy import event
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

DRIVER = "postgresql+psycopg"
RANDOM_PAGE_COST = 1.1


def sync_url(url: str) -> str:
    """Any postgres URL, spelled for SQLAlchemy with psycopg 3 (which serves sync and async)."""
    return make_url(url).set(drivername=DRIVER).render_as_string(hide_password=False)


def create_engine(url: str, *, pool_size: int = 10) -> AsyncEngine:
    # Optimistic disconnect handling: a pre-ping costs a round trip on every checkout (two per
    # request, ~0.6 ms of a 10 ms rollup). After a server restart the first statement on a dead
    # connection fails, and SQLAlchemy then discards every connection pooled before it.
    # jsonb through orjson: json.dumps of a 5,000-row batch's idempotency record took 15 ms (1 ms).
    # Parameters are hidden from errors and their log lines: they carry NIPs, names and other
    # personal data (issue 21: never in logs).
    # The planner's random-page cost as for storage that is memory or SSD (PostgreSQL's default 4
    # assumes spinning disks): at 4 it scanned all of a country's org units rather than read a
    # kab/kota's through the path index, so the indicator page's statement took 15-23 ms and grew
    # with the country; at 1.1, 5-7 ms at one province and at eight (docs/scaling.md). Sent at
    # connection start, no round trip (behind PgBouncer: add `options` to
    # ignore_startup_parameters and set it on the server instead).
    engine = create_async_engine(
        sync_url(url),
        pool_size=pool_size,
        max_overflow=pool_size,
        json_serializer=orjson.dumps,
        json_deserializer=orjson.loads,
        hide_parameters=True,
        connect_args={"options": f"-c random_page_cost={RANDOM_PAGE_COST}"},
    )
    event.listen(engine.sync_engine, "connect", _binary_arrays)
    return engine


def _binary_arrays(dbapi_connection: Any, _record: object) -> None:
    """Send list parameters in binary. Bulk writes pass one array per column (store/batches.py),
    and psycopg's text format checks, quotes and escapes every element in Python: 69 ms for
    5,000 JSON texts and 11 ms for 5,000 paths, against 1 to 2 ms in binary. Registered last,
    the binary dumper is the one psycopg picks for `%s` placeholders."""
    dbapi_connection.driver_connection.adapters.register_dumper(list, ListBinaryDumper)


def autocommit(engine: AsyncEngine) -> AsyncEngine:
    """The same pool, with reads outside a transaction block: a transaction would cost a BEGIN and
    a ROLLBACK round trip per request, and under READ COMMITTED gives each statement its own
    snapshot anyway."""
    return engine.execution_options(isolation_level="AUTOCOMMIT")
