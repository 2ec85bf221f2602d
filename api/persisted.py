"""Persisted operations: documents sent by their SHA-256 instead of their text.

- Registered operations (store.operations): documents an ADMIN registered for the pages and for
  third-party tools. A token created with `registeredOnly` may run nothing else.
- Automatic persisted queries (Apollo's APQ protocol): a client sends
  `extensions.persistedQuery {version: 1, sha256Hash}` without the text; on
  PERSISTED_QUERY_NOT_FOUND it sends the text once with the hash, which is then kept. Kept in
  each worker process, a bounded number, since anyone may send one: never written to the database.
"""

from collections import OrderedDict
from dataclasses import dataclass

from graphql import GraphQLError
from sqlalchemy.ext.asyncio import AsyncEngine

from policies.viewer import Viewer
from store import operations
from store.operations import sha256_of

AUTOMATIC_KEPT = 2_000


@dataclass(frozen=True)
class Resolved:
    query: str | None
    error: GraphQLError | None = None


def _error(code: str, message: str) -> Resolved:
    return Resolved(None, GraphQLError(message, extensions={"code": code}))


class PersistedOperations:
    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine
        self._automatic: OrderedDict[str, str] = OrderedDict()

    async def resolve(self, viewer: Viewer, query: str | None, extensions: dict[str, object] | None) -> Resolved:
        """The text to run, or the error to answer: none of this costs a statement unless the
        request names a hash or its caller is held to registered operations."""
        persisted = (extensions or {}).get("persistedQuery")
        if persisted is None and not viewer.registered_operations_only:
            return Resolved(query)
        digest = persisted.get("sha256Hash") if isinstance(persisted, dict) else None
        if persisted is not None and (not isinstance(digest, str) or len(digest) != 64):
            return _error("BAD_USER_INPUT", "extensions.persistedQuery.sha256Hash harus 64 digit heksadesimal.")
        if query is not None and digest is not None and sha256_of(query) != digest.lower():
            return _error("PERSISTED_QUERY_HASH_MISMATCH", "sha256Hash tidak cocok dengan dokumennya.")
        key = digest.lower() if isinstance(digest, str) else sha256_of(query or "")
        async with self._engine.connect() as conn:
            registered = await operations.registered(conn, key)
        if registered is not None:
            return Resolved(registered.document)
        if viewer.registered_operations_only:
            return _error("FORBIDDEN", "Token ini hanya dapat menjalankan operasi yang terdaftar.")
        if query is not None:
            self._keep(key, query)
            return Resolved(query)
        if (kept := self._automatic.get(key)) is not None:
            self._automatic.move_to_end(key)
            return Resolved(kept)
        return _error("PERSISTED_QUERY_NOT_FOUND", "PersistedQueryNotFound")

    def _keep(self, key: str, query: str) -> None:
        self._automatic[key] = query
        self._automatic.move_to_end(key)
        while len(self._automatic) > AUTOMATIC_KEPT:
            self._automatic.popitem(last=False)
