"""Typed domain errors; the API maps each to a `userErrors` entry in one place."""


class DomainError(Exception):
    """A rule was broken by the caller's input. `code` is stable; the message is for people."""

    def __init__(self, code: str, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.field = field

    def at(self, field: str) -> "DomainError":
        """The same error, located at an input field path (e.g. `realisations.3.value`)."""
        return type(self)(self.code, self.message, field)


class InvalidValue(DomainError):
    """A measured value, period or text that no indicator could accept."""


class InvalidCascade(DomainError):
    """An indicator parent link that does not follow the hierarchy."""


class DomainErrors(Exception):
    """Several rules broken at once (a batch reports every bad row): nothing was written."""

    def __init__(self, errors: list[DomainError]) -> None:
        super().__init__(f"{len(errors)} error(s)")
        self.errors = errors
