"""With tracing configured, a request is one trace: its HTTP span continues the caller's W3C trace
context, and the GraphQL operation and every SQL statement are spans under it (api/tracing.py).
Exported over OTLP/HTTP to a collector stand-in listening on loopback."""

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer
from typing import ClassVar

import pytest
from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import ExportTraceServiceRequest
from opentelemetry.sdk.trace import ReadableSpan, TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import SpanKind, StatusCode
from structlog.testing import capture_logs

from api.tracing import provider_from_environment
from tests.api.client import Api

PING = "query Ping { governments(kind: PROVINSI) { code } }"
CALLER_TRACE = "0af7651916cd43dd8448eb211c80319c"
CALLER_SPAN = "b7ad6b7169203331"


def in_memory() -> tuple[TracerProvider, InMemorySpanExporter]:
    exporter = InMemorySpanExporter()
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    return provider, exporter


def one(spans: list[ReadableSpan], kind: SpanKind) -> ReadableSpan:
    [span] = [s for s in spans if s.kind == kind]
    return span


async def test_a_request_is_one_trace_under_the_callers(demo_url: str) -> None:
    provider, exporter = in_memory()
    async with Api.serving(demo_url, tracer_provider=provider) as api:
        exporter.clear()  # the sign-in
        before = api.statements
        with capture_logs() as logs:
            response = await api.post(PING, None, traceparent=f"00-{CALLER_TRACE}-{CALLER_SPAN}-01")
        statements = api.statements - before
    assert response.status_code == 200
    spans = list(exporter.get_finished_spans())
    assert {format(s.context.trace_id, "032x") for s in spans} == {CALLER_TRACE}

    server = one(spans, SpanKind.SERVER)
    assert server.parent is not None and format(server.parent.span_id, "016x") == CALLER_SPAN
    assert server.attributes is not None
    # The HTTP conventions OTEL_SEMCONV_STABILITY_OPT_IN chooses: the older by default, or the stable.
    assert server.attributes.get("http.response.status_code", server.attributes.get("http.status_code")) == 200

    operation = one(spans, SpanKind.INTERNAL)
    assert operation.name == "query Ping"
    assert operation.parent is not None and operation.parent.span_id == server.context.span_id
    assert operation.attributes is not None
    assert operation.attributes["graphql.operation.name"] == "Ping"
    assert operation.attributes["graphql.operation.type"] == "query"
    assert operation.attributes["kinerja.cost"] == 41
    assert operation.status.status_code == StatusCode.UNSET

    queries = [s for s in spans if s.kind == SpanKind.CLIENT]
    assert len(queries) == statements == 2  # authentication and the governments
    for query in queries:
        assert query.parent is not None and query.parent.span_id == server.context.span_id
        assert query.attributes is not None and query.attributes["db.system.name"] == "postgresql"
        assert str(query.attributes["db.query.text"]).lstrip().upper().startswith(query.name)
        assert server.start_time is not None and query.start_time is not None
        assert server.start_time <= query.start_time

    [line] = [entry for entry in logs if entry["event"] == "request"]
    assert line["trace_id"] == CALLER_TRACE


async def test_an_operation_that_fails_is_an_error_span_with_its_code(demo_url: str) -> None:
    provider, exporter = in_memory()
    async with Api.serving(demo_url, username=None, tracer_provider=provider) as api:
        await api.post("query Broken { noSuchField }")
    operation = one(list(exporter.get_finished_spans()), SpanKind.INTERNAL)
    assert operation.status.status_code == StatusCode.ERROR
    assert operation.attributes is not None and operation.attributes["kinerja.error_codes"] == ("BAD_USER_INPUT",)


async def test_probes_are_not_traced(demo_url: str) -> None:
    provider, exporter = in_memory()
    async with Api.serving(demo_url, username=None, tracer_provider=provider) as api:
        assert (await api.client.get("/health")).status_code == 200
    assert exporter.get_finished_spans() == ()


async def test_without_tracing_nothing_is_traced(demo_api: Api) -> None:
    with capture_logs() as logs:
        await demo_api.post(PING)
    [line] = [entry for entry in logs if entry["event"] == "request"]
    assert line["trace_id"] is None


class Collector(BaseHTTPRequestHandler):
    received: ClassVar[list[ExportTraceServiceRequest]] = []

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers["content-length"]))
        request = ExportTraceServiceRequest()
        request.ParseFromString(body)
        Collector.received.append(request)
        self.send_response(200)
        self.send_header("content-type", "application/x-protobuf")
        self.end_headers()

    def log_message(self, *_: object) -> None:
        pass


@pytest.fixture
def collector() -> Iterator[str]:
    Collector.received = []
    server = HTTPServer(("127.0.0.1", 0), Collector)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()


async def test_the_environment_sends_spans_to_an_otlp_collector(demo_url: str, collector: str) -> None:
    provider = provider_from_environment({"OTEL_EXPORTER_OTLP_ENDPOINT": collector, "OTEL_SERVICE_NAME": "kinerja-uji"})
    assert provider is not None
    async with Api.serving(demo_url, username=None, tracer_provider=provider) as api:
        await api.post(PING)
    assert provider.force_flush()
    provider.shutdown()
    spans = [
        (resource.resource, span)
        for request in Collector.received
        for resource in request.resource_spans
        for scope in resource.scope_spans
        for span in scope.spans
    ]
    names = {span.name for _, span in spans}
    assert "query Ping" in names and "POST /graphql" in names and "SELECT" in names
    services = {a.value.string_value for resource, _ in spans for a in resource.attributes if a.key == "service.name"}
    assert services == {"kinerja-uji"}


def test_tracing_is_off_unless_the_environment_names_an_exporter() -> None:
    assert provider_from_environment({}) is None
    turned_off = {"OTEL_TRACES_EXPORTER": "none", "OTEL_EXPORTER_OTLP_ENDPOINT": "http://collector:4318"}
    assert provider_from_environment(turned_off) is None
    console = provider_from_environment({"OTEL_TRACES_EXPORTER": "console"})
    assert console is not None
    console.shutdown()
    with pytest.raises(SystemExit, match="otlp or console"):
        provider_from_environment({"OTEL_TRACES_EXPORTER": "zipkin"})
