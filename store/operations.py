"""Registered operation documents (persisted operations), by the SHA-256 of their text."""

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncConnection

from store.tables import persisted_operation


def sha256_of(document: str) -> str:
    """The key clients send (Apollo's persisted-query hash): SHA-256 of the UTF-8 text, in hex."""
    return hashlib.sha256(document.encode()).hexdigest()


@dataclass(frozen=True)
class RegisteredOperation:
    sha256: str
    document: str
    name: str | None
    registered_by: str
    registered_at: datetime


async def registered(conn: AsyncConnection, sha256: str) -> RegisteredOperation | None:
    row = (await conn.execute(select(persisted_operation).where(persisted_operation.c.sha256 == sha256))).first()
    return RegisteredOperation(**row._mapping) if row else None


async def register(
    conn: AsyncConnection, documents: Sequence[tuple[str, str | None]], *, by: str
) -> list[RegisteredOperation]:
    """Register (document, operation name) pairs; registering one again changes nothing."""
    rows = [{"sha256": sha256_of(doc), "document": doc, "name": name, "registered_by": by} for doc, name in documents]
    await conn.execute(insert(persisted_operation).values(rows).on_conflict_do_nothing())
    keys = [row["sha256"] for row in rows]
    found = await conn.execute(select(persisted_operation).where(persisted_operation.c.sha256.in_(keys)))
    by_key = {row.sha256: RegisteredOperation(**row._mapping) for row in found}
    return [by_key[key] for key in keys]
