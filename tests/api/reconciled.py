"""The reconciliation (store/reconcile.py) as a test assertion: the kept aggregates equal a
recomputation from base rows after whatever a test wrote."""

from store.aggregates import AggregateWindow
from store.database import create_engine
from store.reconcile import differences


async def assert_aggregates_reconcile(url: str) -> None:
    engine = create_engine(url)
    try:
        async with engine.connect() as conn:
            assert await differences(conn, AggregateWindow()) == []
    finally:
        await engine.dispose()
