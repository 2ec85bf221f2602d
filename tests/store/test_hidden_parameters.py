"""A statement's parameters never reach an error's text, so they never reach a log line: they
carry NIPs, names and other personal data (issue 21)."""

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from store.database import create_engine

NIP = "198001012005011001"


async def test_a_failing_statement_does_not_print_its_parameters(demo_url: str) -> None:
    engine = create_engine(demo_url, pool_size=1)
    try:
        async with engine.connect() as conn:
            with pytest.raises(DBAPIError) as failure:
                await conn.execute(text("SELECT 1 / (length(:nip) - 18)"), {"nip": NIP})
        assert NIP not in str(failure.value)
        assert "hidden due to hide_parameters" in str(failure.value)
    finally:
        await engine.dispose()
