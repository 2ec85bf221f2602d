"""What an operator of Kinerja sees: one JSON log line per request, and Prometheus metrics.

Each HTTP request is logged once, when its answer has gone out (`AccessLog`): its request id,
method, path, status, duration, the caller (user or token id and kind), the GraphQL operation's
name, type, cost and error codes, and the SQL statements it ran. The same observations feed
the metrics at /metrics (`Metrics`, one registry per app), which answers only when
KINERJA_METRICS_TOKEN is set, to a bearer of that token.
"""

import contextvars
import hmac
import logging
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import structlog
from opentelemetry.trace import Span, SpanKind, Status, StatusCode
from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest
from prometheus_client.exposition import CONTENT_TYPE_LATEST
from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncEngine
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send
from strawberry.extensions import SchemaExtension

from api.services import ApiServices
from api.tracing import NO_TRACER, current_trace_id
from schema.context import Context
from store import timings

log = structlog.get_logger("kinerja.access")


def configure_logging() -> None:
    """structlog as JSON lines on standard output, with the request id bound by RequestId."""
    structlog.configure(
        processors=[
            structlog.contextvars.merge_contextvars,
            structlog.processors.add_log_level,
            structlog.processors.TimeStamper(fmt="iso", utc=True),
            structlog.processors.format_exc_info,
            structlog.processors.JSONRenderer(),
        ],
        wrapper_class=structlog.make_filtering_bound_logger(logging.INFO),
        logger_factory=structlog.PrintLoggerFactory(sys.stdout),
        cache_logger_on_first_use=True,
    )


@dataclass
class Observation:
    """What one request did, filled in as it runs."""

    operation: str | None = None
    operation_type: str | None = None
    cost: int | None = None
    error_codes: list[str] = field(default_factory=list)
    caller: dict[str, Any] = field(default_factory=dict)
    statements: int = 0
    kept_answer: bool | None = None  # a cacheable operation: served from a kept answer or not


_current: contextvars.ContextVar[Observation | None] = contextvars.ContextVar("observation", default=None)


def current() -> Observation | None:
    return _current.get()


class Metrics:
    def __init__(self, engine: AsyncEngine) -> None:
        self.registry = CollectorRegistry()
        self.requests = Counter("kinerja_requests", "HTTP requests", ["operation", "status"], registry=self.registry)
        self.latency = Histogram(
            "kinerja_request_seconds",
            "Time to answer a request",
            ["operation"],
            buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30),
            registry=self.registry,
        )
        self.errors = Counter("kinerja_errors", "GraphQL errors answered", ["code"], registry=self.registry)
        self.refresh = Histogram(
            "kinerja_aggregate_refresh_seconds",
            "Time a write spent refreshing the rollup aggregates it reaches",
            buckets=(0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5),
            registry=self.registry,
        )
        self.answers = Counter(
            "kinerja_kept_answers", "Cacheable operations, by whether a kept answer served them", ["result"],
            registry=self.registry,
        )  # fmt: skip
        pool = Gauge("kinerja_db_connections_in_use", "Pooled connections checked out", registry=self.registry)
        pool.set_function(lambda: float(getattr(engine.sync_engine.pool, "checkedout", lambda: 0)()))

    def exposition(self) -> bytes:
        return generate_latest(self.registry)


def count_statements(engine: AsyncEngine) -> None:
    """Every statement the engine runs counts for the request it runs in."""

    def counted(*_: object) -> None:
        if (observation := _current.get()) is not None:
            observation.statements += 1

    event.listen(engine.sync_engine, "before_cursor_execute", counted)


class AccessLog:
    """One log line and the metrics of each HTTP request, after its answer is sent."""

    def __init__(self, app: ASGIApp, metrics: Metrics) -> None:
        self.app = app
        self.metrics = metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        observation = Observation()
        token = _current.set(observation)
        status = 500
        started = time.perf_counter()

        async def noting_status(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        trace_id = current_trace_id()  # the request's span, when tracing is configured
        try:
            with timings.observing() as upkeep:
                await self.app(scope, receive, noting_status)
        finally:
            _current.reset(token)
            seconds = time.perf_counter() - started
            refresh = upkeep.get("aggregate_refresh")
            if refresh is not None:
                self.metrics.refresh.observe(refresh)
            label = observation.operation or ("-" if scope["path"] == "/graphql" else scope["path"])
            self.metrics.requests.labels(label, str(status)).inc()
            self.metrics.latency.labels(label).observe(seconds)
            for code in observation.error_codes:
                self.metrics.errors.labels(code).inc()
            if observation.kept_answer is not None:
                self.metrics.answers.labels("hit" if observation.kept_answer else "miss").inc()
            log.info(
                "request",
                method=scope["method"],
                path=scope["path"],
                status=status,
                duration_ms=round(seconds * 1000, 2),
                operation=observation.operation,
                operation_type=observation.operation_type,
                cost=observation.cost,
                errors=observation.error_codes or None,
                statements=observation.statements,
                aggregate_refresh_ms=None if refresh is None else round(refresh * 1000, 2),
                trace_id=trace_id,
                **observation.caller,
            )


class Observed(SchemaExtension):
    """Notes the operation, its caller and its error codes for the access log, and traces the
    operation as a span when tracing is configured (api/tracing.py)."""

    def on_operation(self) -> Iterator[None]:
        execution = self.execution_context
        context = execution.context
        services = context.services if isinstance(context, Context) else None
        tracer = services.tracer if isinstance(services, ApiServices) else NO_TRACER
        span = tracer.start_span("GraphQL operation", kind=SpanKind.INTERNAL)
        try:
            yield
            observation = _current.get() or Observation()
            observation.operation = execution.operation_name or _first_operation_name(execution)
            try:
                observation.operation_type = execution.operation_type.value
            except RuntimeError:  # no operation could be chosen from the document
                observation.operation_type = None
            if isinstance(context, Context):
                viewer = context.viewer
                observation.caller = {"caller_kind": viewer.kind.value, "user_id": viewer.user_id}
            result = execution.result
            if result is not None and result.errors:
                observation.error_codes = [str((e.extensions or {}).get("code", "-")) for e in result.errors]
            if span.is_recording():
                _describe(span, observation)
        finally:
            span.end()


def _describe(span: Span, observation: Observation) -> None:
    """OpenTelemetry's GraphQL conventions, and what the access log says of the operation."""
    named = " ".join(part for part in (observation.operation_type, observation.operation) if part)
    span.update_name(named or "GraphQL")
    attributes: dict[str, str | int | list[str]] = {"graphql.operation.type": observation.operation_type or ""}
    if observation.operation is not None:
        attributes["graphql.operation.name"] = observation.operation
    if observation.cost is not None:
        attributes["kinerja.cost"] = observation.cost
    if observation.error_codes:
        attributes["kinerja.error_codes"] = observation.error_codes
        span.set_status(Status(StatusCode.ERROR, observation.error_codes[0]))
    if (user_id := observation.caller.get("user_id")) is not None:
        attributes["enduser.id"] = str(user_id)
    span.set_attributes(attributes)


def _first_operation_name(execution: Any) -> str | None:
    document = execution.graphql_document
    for definition in getattr(document, "definitions", ()):
        name = getattr(definition, "name", None)
        if getattr(definition, "operation", None) is not None and name is not None:
            return str(name.value)
    return None


def metrics_endpoint(metrics: Metrics, token: str | None) -> Any:
    async def endpoint(request: Request) -> Response:
        given = request.headers.get("authorization", "")
        if token is None or not hmac.compare_digest(given.encode(), f"Bearer {token}".encode()):
            return Response(status_code=404)
        return Response(metrics.exposition(), media_type=CONTENT_TYPE_LATEST)

    return endpoint
