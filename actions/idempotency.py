"""Idempotency keys of batch writes: a request repeated with its key (a double click, a retry
after a lost answer) writes nothing twice and gets the first answer again; the key used for a
different request is refused. Requests carrying one key are serialised (store/writes.py)."""

from dataclasses import dataclass
from typing import Any

from sqlalchemy.ext.asyncio import AsyncConnection

from domain.errors import DomainError
from domain.values import check_text
from store import writes

MAX_KEY_LENGTH = 200


@dataclass(frozen=True)
class Claim:
    key: str | None
    operation: str
    fingerprint: str
    earlier: dict[str, Any] | None  # what the same request with this key answered before

    async def record(self, conn: AsyncConnection, response: dict[str, Any]) -> None:
        """Keep this request's answer for its key, in the writing transaction."""
        if self.key is not None:
            await writes.record_idempotent_response(
                conn, key=self.key, operation=self.operation, fingerprint=self.fingerprint, response=response
            )


async def claim(conn: AsyncConnection, idempotency_key: str | None, operation: str, payload: object) -> Claim:
    key = None
    if idempotency_key is not None:
        try:
            key = check_text(idempotency_key, max_length=MAX_KEY_LENGTH)
        except DomainError as error:
            raise error.at("idempotencyKey") from error
    fingerprint = writes.request_hash(payload)
    if key is None:
        return Claim(None, operation, fingerprint, None)
    earlier = await writes.claim_idempotency_key(conn, key=key, operation=operation, fingerprint=fingerprint)
    if earlier is not None and not earlier.same_request:
        raise DomainError(
            "IDEMPOTENCY_KEY_REUSED", "Kunci idempoten ini sudah dipakai untuk permintaan lain.", "idempotencyKey"
        )
    return Claim(key, operation, fingerprint, earlier.response if earlier is not None else None)
