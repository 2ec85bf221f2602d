"""OpenTelemetry tracing, when configured: a span per HTTP request (continuing the caller's W3C
trace context), one per GraphQL operation and one per SQL statement, exported over OTLP/HTTP.

It is configured by OpenTelemetry's own environment variables, so a collector's usual set-up
works unchanged: tracing is on when OTEL_TRACES_EXPORTER names an exporter (`otlp`, `console`) or
an OTLP endpoint is set (OTEL_EXPORTER_OTLP_ENDPOINT, OTEL_EXPORTER_OTLP_TRACES_ENDPOINT);
OTEL_SERVICE_NAME (default `kinerja`), OTEL_RESOURCE_ATTRIBUTES and OTEL_TRACES_SAMPLER apply as
documented by OpenTelemetry. Off, nothing is wrapped and no span is made: the request path is the
same as without this module.

The HTTP span comes from opentelemetry-instrumentation-asgi. Statements are traced here, with
SQLAlchemy's cursor events: the contrib SQLAlchemy instrumentor is a process-wide singleton that
instruments once, while each app (and each test) builds its own engine.
"""

import os
from collections.abc import Mapping
from typing import Any

from opentelemetry import trace
from opentelemetry.instrumentation.asgi import OpenTelemetryMiddleware
from opentelemetry.sdk.resources import SERVICE_NAME, Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor, ConsoleSpanExporter, SpanExporter
from opentelemetry.trace import SpanKind, Status, StatusCode, Tracer
from sqlalchemy import event
from sqlalchemy.engine import ExceptionContext
from sqlalchemy.ext.asyncio import AsyncEngine
from starlette.types import ASGIApp

TRACER_NAME = "kinerja"
NO_TRACER: Tracer = trace.NoOpTracer()
# Probes and scrapes every few seconds would bury the requests people make.
UNTRACED_PATHS = "/health,/metrics"


def provider_from_environment(env: Mapping[str, str] = os.environ) -> TracerProvider | None:
    """The tracer provider the environment asks for, or None when tracing is not configured."""
    exporter_name = env.get("OTEL_TRACES_EXPORTER", "").strip().lower()
    base = env.get("OTEL_EXPORTER_OTLP_ENDPOINT", "").strip()
    endpoint = env.get("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "").strip() or (base and base.rstrip("/") + "/v1/traces")
    if exporter_name == "none" or not (exporter_name or endpoint):
        return None
    exporter: SpanExporter
    if exporter_name == "console":
        exporter = ConsoleSpanExporter()
    elif exporter_name in ("", "otlp"):
        # Imported only when used: it brings protobuf and requests.
        from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter

        # Headers, timeout and compression from the OTEL_EXPORTER_OTLP_* variables; without an
        # endpoint, OpenTelemetry's default (a collector on localhost:4318).
        exporter = OTLPSpanExporter(endpoint=endpoint or None)
    else:
        raise SystemExit(f"OTEL_TRACES_EXPORTER={exporter_name}: Kinerja exports traces as otlp or console.")
    resource = Resource.create({SERVICE_NAME: env.get("OTEL_SERVICE_NAME") or "kinerja"})
    provider = TracerProvider(resource=resource)
    provider.add_span_processor(BatchSpanProcessor(exporter))
    return provider


def traced(app: ASGIApp, provider: TracerProvider) -> ASGIApp:
    """The app inside a server span per HTTP request and WebSocket."""
    traced_app: ASGIApp = OpenTelemetryMiddleware(
        app, tracer_provider=provider, excluded_urls=UNTRACED_PATHS, exclude_spans=["receive", "send"]
    )
    return traced_app


def trace_statements(engine: AsyncEngine, tracer: Tracer) -> None:
    """A client span for every statement the engine runs inside a traced request, under its span."""
    url = engine.url
    common: dict[str, Any] = {
        "db.system.name": "postgresql",
        "db.namespace": url.database or "",
        "server.address": url.host or "localhost",
        "server.port": url.port or 5432,
    }

    def started(_conn: Any, _cursor: Any, statement: str, _parameters: Any, context: Any, _many: bool) -> None:
        if not trace.get_current_span().get_span_context().is_valid:
            return  # outside a traced request (a probe, start-up): no trace of its own
        operation = statement.split(None, 1)[0].upper() if statement.strip() else "SQL"
        attributes = {**common, "db.operation.name": operation, "db.query.text": statement}
        span = tracer.start_span(operation, kind=SpanKind.CLIENT, attributes=attributes)
        if context is not None:
            context._kinerja_span = span

    def finished(_conn: Any, _cursor: Any, _statement: str, _parameters: Any, context: Any, _many: bool) -> None:
        if (span := getattr(context, "_kinerja_span", None)) is not None:
            span.end()
            context._kinerja_span = None

    def failed(failure: ExceptionContext) -> None:
        context: Any = failure.execution_context
        if (span := getattr(context, "_kinerja_span", None)) is not None:
            span.record_exception(failure.original_exception)
            span.set_status(Status(StatusCode.ERROR, type(failure.original_exception).__name__))
            span.end()
            context._kinerja_span = None

    event.listen(engine.sync_engine, "before_cursor_execute", started)
    event.listen(engine.sync_engine, "after_cursor_execute", finished)
    event.listen(engine.sync_engine, "handle_error", failed)


def current_trace_id() -> str | None:
    """The trace the current request belongs to, as OpenTelemetry prints it, for the access log."""
    context = trace.get_current_span().get_span_context()
    return format(context.trace_id, "032x") if context.is_valid else None
