"""The extensions every operation runs through: errors made public, the request's connection
routed and returned, limits measured before validation, rollup answers kept per snapshot."""

import functools
import json
from collections.abc import AsyncIterator, Iterator
from typing import Any

import structlog
from graphql import (
    ASTValidationRule,
    DocumentNode,
    ExecutionResult,
    GraphQLError,
    GraphQLSchema,
    validate,
)
from starlette.responses import Response
from strawberry.extensions import SchemaExtension
from strawberry.types.graphql import OperationType

from api import observability
from api.answers import cacheable, viewer_key
from api.budget import Allowance
from api.limits import (
    CallerLimits,
    Limits,
    NoNulInStrings,
    Shape,
    chosen_operation,
    exceeded,
    measure,
    nul_in_variables,
)
from api.services import ApiServices
from policies.viewer import ViewerKind
from schema.context import Context
from schema.errors import ApiError
from store.snapshots import current_snapshot

log = structlog.get_logger()


def public_error(error: GraphQLError) -> GraphQLError:
    original = error.original_error
    if original is None or isinstance(original, ApiError | GraphQLError):
        # Parse, validation and variable-coercion errors describe the client's own document.
        extensions = {"code": "BAD_USER_INPUT", **(error.extensions or {})}
        return GraphQLError(error.message, error.nodes, error.source, error.positions, error.path, None, extensions)
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
            result.errors = [public_error(error) for error in result.errors]


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


@functools.lru_cache(maxsize=256)
def _validated(
    schema: GraphQLSchema, document: DocumentNode, rules: tuple[type[ASTValidationRule], ...]
) -> list[GraphQLError]:
    """graphql-core's validation, once per parsed document (ParserCache keeps them)."""
    return validate(schema, document, rules)


class QueryLimits(SchemaExtension):
    """Measures the operation before anything walks it, refuses it over the caller's limits or
    beyond its budget, and otherwise validates it (cached per document, as Strawberry's
    ValidationCache did). It replaces ValidationCache and the depth and alias limiters."""

    def __init__(self) -> None:
        self.shape: Shape | None = None
        self.limits: Limits | None = None
        self.allowance: Allowance | None = None

    def on_validate(self) -> Iterator[None]:
        execution = self.execution_context
        document = execution.graphql_document
        assert document is not None
        context = execution.context
        services = context.services if isinstance(context, Context) else None
        api = services if isinstance(services, ApiServices) else None
        viewer = context.viewer if isinstance(context, Context) else None
        kind = viewer.kind if viewer else ViewerKind.ANONYMOUS
        self.limits = (api.limits if api else CallerLimits()).of(kind)
        errors = nul_in_variables(execution.variables)
        operation = chosen_operation(document, execution.operation_name)
        if not errors and operation is not None:
            self.shape = measure(execution.schema._schema, document, operation, execution.variables)
            if self.shape is not None and (error := exceeded(self.shape, self.limits)) is not None:
                errors = [error]
            if self.shape is not None and (observation := observability.current()) is not None:
                observation.cost = self.shape.cost
        if not errors and self.shape is not None and api and api.budgets and isinstance(context, Context):
            self.allowance = api.budgets.take(_caller_key(context), kind, self.shape.cost)
            _rate_limit_headers(context, self.allowance)
            if not self.allowance.allowed:
                errors = [_rate_limited(self.allowance)]
        if not errors:
            rules = (*execution.validation_rules, NoNulInStrings)
            errors = _validated(execution.schema._schema, document, rules)
        # A list, empty when valid: None would make Strawberry validate the document again, uncached.
        execution.pre_execution_errors = list(errors)
        yield

    def get_results(self) -> dict[str, Any]:
        if self.shape is None or self.limits is None:
            return {}
        cost: dict[str, int] = {"requested": self.shape.cost, "limit": self.limits.cost}
        if self.allowance is not None:
            cost["remaining"] = self.allowance.remaining
        return {"cost": cost}


def _caller_key(context: Context) -> tuple[object, ...]:
    """Whose bucket: a signed-in user's or token's own, an anonymous caller's address."""
    viewer = context.viewer
    if viewer.user_id is None:
        return ("address", context.client_address)
    return (viewer.kind.value, viewer.user_id)


def _rate_limit_headers(context: Context, allowance: Allowance) -> None:
    """On an HTTP answer (a subscription's WebSocket has no headers to add after its upgrade)."""
    response = context.response
    if not isinstance(response, Response):
        return
    response.headers["RateLimit-Limit"] = str(allowance.limit)
    response.headers["RateLimit-Remaining"] = str(allowance.remaining)
    response.headers["RateLimit-Reset"] = str(allowance.reset_seconds)
    if not allowance.allowed:
        response.status_code = 429
        response.headers["Retry-After"] = str(allowance.retry_after)


def _rate_limited(allowance: Allowance) -> GraphQLError:
    return GraphQLError(
        f"Anggaran kueri per menit habis; coba lagi {allowance.retry_after} detik lagi.",
        extensions={"code": "RATE_LIMITED", "retryAfter": allowance.retry_after, "limit": allowance.limit},
    )


class KeptAnswers(SchemaExtension):
    """Serves cacheable operations from the caller's app's AnswerCache. It runs after
    RequestConnection has routed the query to the read engine, whose connection reads the
    snapshot and then computes the answer."""

    async def on_execute(self) -> AsyncIterator[None]:
        execution = self.execution_context
        context = execution.context
        services = context.services if isinstance(context, Context) else None
        answers = services.answers if isinstance(services, ApiServices) else None
        if answers is None or not execution.query:
            yield
            return
        if not cacheable(execution.query, execution.operation_name):
            yield
            return
        snapshot = await current_snapshot(await context.connection())
        arguments = json.dumps(execution.variables, sort_keys=True, default=str) if execution.variables else ""
        key = (
            snapshot,
            execution.query,
            execution.operation_name,
            arguments,
            viewer_key(context.viewer),
            context.today,
        )
        async with answers.answering(key) as answer:
            if (observation := observability.current()) is not None:
                observation.kept_answer = answer.result is not None
            if answer.result is not None:
                execution.result = answer.result  # Strawberry then skips execution
                yield
            else:
                yield
                if isinstance(execution.result, ExecutionResult):
                    answer.result = execution.result
