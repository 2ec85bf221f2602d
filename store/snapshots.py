"""The database's snapshot (`pg_current_snapshot()`: xmin, xmax and the transactions in
progress): it changes with every commit, so an answer kept under it is never stale."""

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection

SNAPSHOT = text("SELECT pg_current_snapshot()::text")


async def current_snapshot(conn: AsyncConnection) -> str:
    return str((await conn.execute(SNAPSHOT)).scalar_one())
