"""Domain errors become `userErrors` here, and only here."""

from collections.abc import Iterable

from domain.errors import DomainError
from schema.inputs import UserError


def user_errors(errors: Iterable[DomainError]) -> list[UserError]:
    return [UserError(code=error.code, field=error.field, message=error.message) for error in errors]
