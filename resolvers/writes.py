"""How a mutation resolver runs its action: in a transaction of its own, domain errors turned
into `userErrors` here and only here (the transaction is rolled back, nothing is written)."""

from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from typing import Generic, TypeVar

from sqlalchemy.ext.asyncio import AsyncConnection

from domain.errors import DomainError, DomainErrors
from schema.inputs import UserError
from schema.types import Info

T = TypeVar("T")


def user_errors(errors: Iterable[DomainError]) -> list[UserError]:
    return [UserError(code=error.code, field=error.field, message=error.message) for error in errors]


@dataclass(frozen=True)
class Outcome(Generic[T]):
    value: T | None
    user_errors: list[UserError]


async def in_transaction(
    info: Info, action: Callable[[AsyncConnection], Awaitable[T]], *, dry_run: bool = False
) -> Outcome[T]:
    """`action`'s result, committed; or its domain errors, rolled back. A dry run rolls back what
    succeeded too: every check, write and trigger ran, nothing stays."""
    try:
        async with info.context.services.engine.connect() as conn, conn.begin() as transaction:
            value = await action(conn)
            if dry_run:
                await transaction.rollback()
            return Outcome(value, [])
    except DomainError as error:
        return Outcome(None, user_errors([error]))
    except DomainErrors as errors:
        return Outcome(None, user_errors(errors.errors))
