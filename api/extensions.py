"""Execution extensions that every operation runs through: errors made public, the request's
connection routed and returned."""

from collections.abc import AsyncIterator, Iterator

import structlog
from graphql import GraphQLError
from strawberry.extensions import SchemaExtension
from strawberry.types.graphql import OperationType

from schema.context import Context
from schema.errors import ApiError

log = structlog.get_logger()


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
    """Every error carries `extensions.code`; unexpected ones are masked (and logged)."""

    async def on_operation(self) -> AsyncIterator[None]:
        yield
        result = self.execution_context.result
        if result is not None and result.errors:
            result.errors = [_public(error) for error in result.errors]


class RequestConnection(SchemaExtension):
    """Routes queries to the read engine, and returns the request's connection to the pool when
    the operation ends, however it ends."""

    def on_execute(self) -> Iterator[None]:
        context = self.execution_context.context
        if isinstance(context, Context):
            context.read_only = self.execution_context.operation_type is OperationType.QUERY
        yield

    async def on_operation(self) -> AsyncIterator[None]:
        try:
            yield
        finally:
            context = self.execution_context.context
            if isinstance(context, Context):
                await context.close()
