"""Registered operations (persisted operations) for pages and third-party tools."""

from datetime import datetime
from typing import Self

import strawberry

from schema.inputs import UserError
from store.operations import RegisteredOperation


@strawberry.type(description="A registered operation document, run by its SHA-256 (persisted operation).")
class PersistedOperation:
    sha256: str = strawberry.field(description="Send as extensions.persistedQuery.sha256Hash (version 1).")
    name: str | None
    registered_by: str
    registered_at: datetime

    @classmethod
    def of(cls, record: RegisteredOperation) -> Self:
        return cls(
            sha256=record.sha256,
            name=record.name,
            registered_by=record.registered_by,
            registered_at=record.registered_at,
        )


@strawberry.input
class RegisterOperationsInput:
    documents: list[str] = strawberry.field(description="Up to 100 documents, one operation each.")


@strawberry.type
class RegisterOperationsPayload:
    operations: list[PersistedOperation] | None
    user_errors: list[UserError]
