"""The GraphQL view and the HTTP middleware around it: request ids, request shapes and sizes,
status codes and media types of GraphQL over HTTP, and the time limit of an operation."""

import asyncio
import dataclasses
import functools
import re
import uuid
from collections.abc import Mapping
from typing import Any

import orjson
import structlog
from cross_web import HTTPException
from graphql import GraphQLError
from starlette.authentication import AuthenticationError
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send
from strawberry.asgi import GraphQL
from strawberry.exceptions import ConnectionRejectionError
from strawberry.http import GraphQLHTTPResponse, GraphQLRequestData
from strawberry.schema.exceptions import InvalidOperationTypeError
from strawberry.types import ExecutionResult
from strawberry.types.unset import UNSET, UnsetType

from api.extensions import public_error
from api.ide import local_page
from api.persisted import PersistedOperations
from api.schema import schema
from api.services import ApiServices
from identity.authentication import BearerAuthentication, ViewerUser
from policies.viewer import Viewer
from schema.context import Context, today
from store.database import autocommit

GRAPHQL_RESPONSE = b"application/graphql-response+json"


class GraphQLApp(GraphQL[Context, None]):
    """Strawberry's ASGI app with Kinerja's request context."""

    def __init__(
        self, services: ApiServices, *, authentication: BearerAuthentication, request_timeout: float | None
    ) -> None:
        # Multipart requests (the GraphQL multipart request spec: an evidence file up to 20 MB) are
        # safe from cross-site forms here: a caller is signed in only by its Authorization header,
        # which a form cannot send.
        super().__init__(schema, graphql_ide="graphiql", multipart_uploads_enabled=True)
        self.services = services
        self.authentication = authentication
        self.request_timeout = request_timeout
        self.persisted = PersistedOperations(autocommit(services.engine))

    async def on_ws_connect(self, context: Context) -> UnsetType | dict[str, object] | None:
        """graphql-transport-ws: a browser cannot set headers on a WebSocket, so a token may come
        in connection_init's payload ({"Authorization": "Bearer …"}); a bad one closes with 4403."""
        params = context.connection_params or {}
        given = params.get("Authorization", params.get("authorization"))
        if given is not None:
            try:
                context.sign_in(await self.authentication.viewer_of(str(given)))
            except AuthenticationError as error:
                raise ConnectionRejectionError({"message": str(error)}) from error
            context.reauthenticate = functools.partial(self._current_viewer, str(given))
        return await super().on_ws_connect(context)

    # orjson: json.dumps of a kabupaten/kota rollup's answer was ~6 % of a worker's CPU. Text, not
    # bytes: a bytes message would go out to subscriptions as a binary WebSocket frame.
    def decode_json(self, data: str | bytes) -> object:
        return orjson.loads(data)

    def encode_json(self, data: object) -> str:
        return orjson.dumps(data, option=orjson.OPT_NON_STR_KEYS).decode()

    async def get_context(self, request: Request, response: Response) -> Context:  # type: ignore[override]
        user = request.user
        assert isinstance(user, ViewerUser), "BearerAuthentication runs before GraphQL"
        return Context(
            viewer=user.viewer,
            services=self.services,
            today=today(),
            client_address=request.client.host if request.client else "unknown",
            request_id=request.scope.get("state", {}).get("request_id", "-"),
            request=request,
            response=response,
            # Only a subscription asks again; an HTTP request is answered with the viewer it came with.
            reauthenticate=functools.partial(self._current_viewer, request.headers.get("authorization"))
            if request.scope["type"] == "websocket"
            else None,
        )

    async def _current_viewer(self, authorization: str | None) -> Viewer | None:
        try:
            return await self.authentication.viewer_of(authorization)
        except AuthenticationError:
            return None

    @property
    def graphql_ide_html(self) -> str:
        return local_page(super().graphql_ide_html)

    def parse_json(self, data: str | bytes) -> dict[str, object] | list[object]:
        parsed = super().parse_json(data)
        if not isinstance(parsed, dict | list):
            raise HTTPException(400, "The request body must be a JSON object.")
        return parsed

    async def parse_http_body(self, request: Any) -> GraphQLRequestData | list[GraphQLRequestData]:
        try:
            data = await super().parse_http_body(request)
        except HTTPException as error:
            if error.reason == "Unsupported content type":
                why = "Kirim application/json, multipart/form-data untuk berkas (atau GET untuk kueri)."
                raise HTTPException(415, why) from error
            raise
        for item in data if isinstance(data, list) else [data]:
            if not isinstance(item.operation_name, str | None):
                raise HTTPException(400, "The GraphQL operation's `operationName` must be a string or null.")
        return data

    async def run(self, request: Any, context: Any = UNSET, root_value: Any = UNSET) -> Any:
        """Strawberry's run; a multipart request's files (spooled by Starlette) are closed when the
        answer is ready, which Strawberry leaves to the garbage collector."""
        try:
            return await super().run(request, context, root_value)
        finally:
            if isinstance(request, Request):
                await request.close()

    async def execute_single(self, *args: Any, **kwargs: Any) -> ExecutionResult:
        data: GraphQLRequestData = kwargs["request_data"]
        resolved = await self.persisted.resolve(kwargs["context"].viewer, data.query, data.extensions)
        if resolved.error is not None:
            return ExecutionResult(data=None, errors=[resolved.error])
        kwargs["request_data"] = dataclasses.replace(data, query=resolved.query)
        try:
            async with asyncio.timeout(self.request_timeout):
                result = await super().execute_single(*args, **kwargs)
        except TimeoutError:
            result = ExecutionResult(data=None, errors=[_timed_out(self.request_timeout)])
        except HTTPException as error:
            # GraphQL-over-HTTP: a mutation sent with GET is 405 Method Not Allowed (Strawberry says 400).
            if isinstance(error.__cause__, InvalidOperationTypeError):
                raise HTTPException(405, error.reason) from error
            raise
        if _is_request_error(result) and GRAPHQL_RESPONSE in kwargs["request"].headers.get("accept", "").encode():
            # GraphQL-over-HTTP: under its own media type a request that never executed is a 4xx.
            sub_response = kwargs["sub_response"]
            if not sub_response.status_code:
                sub_response.status_code = 400
        return result

    async def process_result(self, request: Request, result: ExecutionResult) -> GraphQLHTTPResponse:
        # Errors raised outside the operation (a parse error in an extension's hook, a failure
        # while the operation ended) never passed ErrorPolicy: made public here the same way.
        if result.errors:
            result.errors = [e if (e.extensions or {}).get("code") else public_error(e) for e in result.errors]
        processed = await super().process_result(request, result)
        if _is_request_error(result) and GRAPHQL_RESPONSE in request.headers.get("accept", "").encode():
            processed.pop("data", None)  # no `data` entry: execution never started
        return processed


def _is_request_error(result: ExecutionResult) -> bool:
    """Parse, validation, limit and variable errors: no data, and no error at a field's path."""
    errors = result.errors or []
    return result.data is None and bool(errors) and all(not error.path for error in errors)


def _timed_out(seconds: float | None) -> GraphQLError:
    return GraphQLError(
        f"Permintaan melewati batas waktu {seconds:g} detik dan dihentikan.", extensions={"code": "TIMEOUT"}
    )


class RequestId:
    """Every request gets an id (the client's X-Request-ID, or a new one), logged and audited."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        given = dict(scope.get("headers", [])).get(b"x-request-id", b"").decode("latin-1")[:64]
        request_id = given if given.isprintable() and given else uuid.uuid4().hex
        scope.setdefault("state", {})["request_id"] = request_id

        async def send_with_id(message: Message) -> None:
            if message["type"] == "http.response.start":
                message = {**message, "headers": [*message.get("headers", []), (b"x-request-id", request_id.encode())]}
            await send(message)

        with structlog.contextvars.bound_contextvars(request_id=request_id):
            await self.app(scope, receive, send_with_id)


GRAPHQL_RESPONSE = b"application/graphql-response+json"


class GraphQLResponseMediaType:
    """GraphQL-over-HTTP: answer `application/graphql-response+json` to a client that asks for it."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        accept = dict(scope.get("headers", [])).get(b"accept", b"") if scope["type"] == "http" else b""
        if GRAPHQL_RESPONSE not in accept:
            await self.app(scope, receive, send)
            return

        async def send_with_media_type(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = [(k, v) for k, v in message.get("headers", []) if k.lower() != b"content-type"]
                message = {**message, "headers": [*headers, (b"content-type", GRAPHQL_RESPONSE)]}
            await send(message)

        await self.app(scope, receive, send_with_media_type)


@dataclasses.dataclass(frozen=True)
class Uploads:
    """Where a multipart request may carry a file larger than the body limit: its paths, and
    how large its whole body may be (the file, its form fields and the multipart framing)."""

    paths: re.Pattern[str]
    max_bytes: int

    def limit_of(self, scope: Scope, headers: Mapping[bytes, bytes]) -> int | None:
        """This request's limit where it is an upload (a multipart POST to one of the paths)."""
        multipart = headers.get(b"content-type", b"").lower().startswith(b"multipart/form-data")
        if multipart and scope.get("method") == "POST" and self.paths.fullmatch(scope["path"]) is not None:
            return self.max_bytes
        return None


class BodyLimit:
    """Request bodies up to `max_bytes`: a larger one is answered 413 before it is parsed. The
    `own_limit` paths take larger bodies, streamed to their handler, which enforces its own limit
    as it reads (an evidence file sent alone, api/evidence_upload.py); `uploads` lets a multipart
    request with a file through up to its own limit (an evidence file in GraphQL or a page's form)."""

    def __init__(
        self, app: ASGIApp, max_bytes: int, own_limit: frozenset[str] = frozenset(), uploads: Uploads | None = None
    ) -> None:
        self.app = app
        self.max_bytes = max_bytes
        self.own_limit = own_limit
        self.uploads = uploads

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"] in self.own_limit:
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers", []))
        declared_header = headers.get(b"content-length", b"")
        declared = int(declared_header) if declared_header.isdigit() else None
        upload_limit = self.uploads.limit_of(scope, headers) if self.uploads is not None else None
        if upload_limit is not None and declared is not None:
            # The server reads no more than the declared length, so the app may stream it
            # (Starlette spools the files to disk) instead of this middleware holding it.
            if declared <= upload_limit:
                await self.app(scope, receive, send)
            else:
                await _too_large(headers, send, upload_limit)
            return
        if declared is not None and declared > self.max_bytes:
            await _too_large(headers, send, self.max_bytes)
            return
        # The body is read here, whole (GraphQL parses it whole anyway), and replayed to the app.
        chunks, size, more = [], 0, True
        while more:
            message = await receive()
            if message["type"] != "http.request":
                await self.app(scope, _replay([message]), send)
                return
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.max_bytes:
                await _too_large(headers, send, self.max_bytes)
                return
            chunks.append(chunk)
            more = message.get("more_body", False)
        body = b"".join(chunks)
        await self.app(scope, _replay([{"type": "http.request", "body": body, "more_body": False}], receive), send)


def _replay(messages: list[Message], then: Receive | None = None) -> Receive:
    pending = list(messages)

    async def receive() -> Message:
        if pending:
            return pending.pop(0)
        if then is not None:
            return await then()
        return {"type": "http.disconnect"}

    return receive


async def _too_large(headers: Mapping[bytes, bytes], send: Send, max_bytes: int) -> None:
    """413, as GraphQL errors; to a browser's form post, as a page in Bahasa Indonesia (a page's
    form cannot show a GraphQL error beside its field when its body never arrived)."""
    if b"text/html" in headers.get(b"accept", b""):
        megabytes = max_bytes // (1024 * 1024)
        body = (
            '<!doctype html><html lang="id"><meta charset="utf-8"><title>Berkas terlalu besar</title>'
            f"<main><h1>Berkas terlalu besar</h1><p>Isi formulir melebihi batas {megabytes} MB. Kembali ke "
            "halaman sebelumnya, lalu kirim berkas yang lebih kecil atau tautkan dokumennya.</p></main></html>"
        ).encode()
        media_type = b"text/html; charset=utf-8"
    else:
        error = {"message": f"Isi permintaan melebihi {max_bytes} byte.", "extensions": {"code": "PAYLOAD_TOO_LARGE"}}
        body, media_type = orjson.dumps({"errors": [error]}), b"application/json"
    answered = [(b"content-type", media_type), (b"content-length", str(len(body)).encode())]
    await send({"type": "http.response.start", "status": 413, "headers": answered})
    await send({"type": "http.response.body", "body": body})
