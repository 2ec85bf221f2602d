"""store/batches.py: rows sent as one array per column come back exactly, whatever their shape."""

from decimal import Decimal
from typing import Any

import pytest

from store.batches import unnested
from store.database import create_engine
from store.tables import audit_log, rollup_aggregate

AUDIT_COLUMNS = ("actor", "request_id", "action", "entity_type", "entity_id", "scope_path", "old", "new", "reason")


def audit_row(entity_id: str, **changes: Any) -> dict[str, Any]:
    row = dict.fromkeys(AUDIT_COLUMNS)
    return row | {"actor": "user:1", "request_id": "r", "action": "SET", "entity_type": "realisation",
                  "entity_id": entity_id, "scope_path": "61/"} | changes  # fmt: skip


async def select_back(
    url: str, table: Any, columns: tuple[str, ...], rows: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    engine = create_engine(url, pool_size=1)
    try:
        async with engine.connect() as conn:
            return [dict(row._mapping) for row in await conn.execute(unnested(table, columns, rows))]
    finally:
        await engine.dispose()


@pytest.mark.parametrize(
    "rows",
    [
        [audit_row("1", new={"value": "1.5"}), audit_row("2", old={"value": "1"}, new={"value": "2"}, reason="x")],
        [audit_row("1", new={"note": "kutip ' \" { } , \\ dan baris\nbaru"})],  # text that arrays must escape
        [audit_row("1"), audit_row("1")],  # identical rows are still two rows
        [audit_row("1", old=None, new=None), audit_row("2", new=[1, 2])],
    ],
    ids=["varying json", "escaping", "identical rows", "nulls and arrays"],
)
async def test_audit_rows_come_back_as_sent(demo_url: str, rows: list[dict[str, Any]]) -> None:
    assert await select_back(demo_url, audit_log, AUDIT_COLUMNS, rows) == rows


async def test_numeric_and_integer_columns_keep_their_types(demo_url: str) -> None:
    columns = ("unit_id", "year", "weighted_sum", "weight_total")
    rows = [{"unit_id": u, "year": 2026, "weighted_sum": Decimal("12.345"), "weight_total": Decimal(u)} for u in (1, 2)]
    assert await select_back(demo_url, rollup_aggregate, columns, rows) == rows
