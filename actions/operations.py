"""Registering operation documents (persisted operations) for pages and third-party tools."""

from collections.abc import Sequence

from graphql import GraphQLError, OperationDefinitionNode, parse
from sqlalchemy.ext.asyncio import AsyncConnection

from actions import audit
from actions.caller import Caller
from domain.errors import DomainError, DomainErrors
from policies.permissions import Permission
from store import audit as audit_log
from store import operations
from store.operations import RegisteredOperation, sha256_of

MAX_DOCUMENTS = 100
MAX_DOCUMENT_LENGTH = 100_000


def _name_of(document: str, field: str) -> str | None:
    """The document's operation name; a document must parse and hold exactly one operation."""
    if len(document) > MAX_DOCUMENT_LENGTH:
        raise DomainError("TOO_LONG", f"Dokumen paling panjang {MAX_DOCUMENT_LENGTH} karakter.", field)
    try:
        parsed = parse(document)
    except GraphQLError as error:
        raise DomainError("INVALID_DOCUMENT", f"Dokumen tidak dapat diurai: {error.message}", field) from error
    operations_in = [d for d in parsed.definitions if isinstance(d, OperationDefinitionNode)]
    if len(operations_in) != 1:
        raise DomainError("INVALID_DOCUMENT", "Satu dokumen memuat tepat satu operasi.", field)
    name = operations_in[0].name
    return name.value if name else None


async def register_operations(
    conn: AsyncConnection, *, caller: Caller, documents: Sequence[str]
) -> list[RegisteredOperation]:
    """Register documents by their SHA-256; tokens held to registered operations may run them.
    An ADMIN anywhere may register: a document grants nothing, the caller's scopes still apply."""
    paths = caller.viewer.paths(Permission.REGISTER_OPERATIONS)
    if paths == ():
        raise DomainError("FORBIDDEN", "Hanya ADMIN yang dapat mendaftarkan operasi.", "documents")
    if not 0 < len(documents) <= MAX_DOCUMENTS:
        raise DomainError("INVALID_COUNT", f"Kirim 1 sampai {MAX_DOCUMENTS} dokumen.", "documents")
    named, errors = [], []
    for index, document in enumerate(documents):
        try:
            named.append((document, _name_of(document, f"documents.{index}")))
        except DomainError as error:
            errors.append(error)
    if errors:
        raise DomainErrors(errors)
    stored = await operations.register(conn, named, by=caller.actor)
    scope = paths[0] if paths else ""  # None: everywhere, kept under the root of no province
    entries = [
        audit.entry(caller, "operation.register", entity_id=op.sha256, scope_path=scope, new={"name": op.name})
        for op in stored
    ]
    await audit_log.append(conn, entries)
    return stored


async def register_missing(conn: AsyncConnection, *, caller: Caller, documents: Sequence[str]) -> int:
    """Register those of `documents` not registered yet (the pages' own, at start-up): how many."""
    missing = [document for document in documents if await operations.registered(conn, sha256_of(document)) is None]
    if missing:
        await register_operations(conn, caller=caller, documents=missing)
    return len(missing)
