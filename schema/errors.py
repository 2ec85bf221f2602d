"""Top-level errors: every error carries `extensions.code`; unexpected ones are masked."""

from collections.abc import AsyncIterator

import structlog
from graphql import GraphQLError
from strawberry.extensions import SchemaExtension

log = structlog.get_logger()


class ApiError(Exception):
    """An error the client may see, with one of the codes of design.md."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.extensions = {"code": code}


def bad_input(message: str) -> ApiError:
    return ApiError("BAD_USER_INPUT", message)


def _public(error: GraphQLError) -> GraphQLError:
    original = error.original_error
    if original is None or isinstance(original, ApiError | GraphQLError):
        # Parse, validation and variable-coercion errors describe the client's own document.
        code = (error.extensions or {}).get("code", "BAD_USER_INPUT")
        return GraphQLError(error.message, error.nodes, error.source, error.positions, error.path, None, {"code": code})
    log.error("unexpected_error", path=error.path, exc_info=original)
    return GraphQLError(
        "Terjadi kesalahan internal.",
        error.nodes,
        error.source,
        error.positions,
        error.path,
        None,
        {"code": "INTERNAL"},
    )


class ErrorPolicy(SchemaExtension):
    async def on_operation(self) -> AsyncIterator[None]:
        yield
        result = self.execution_context.result
        if result is not None and result.errors:
            result.errors = [_public(error) for error in result.errors]
