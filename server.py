"""Composition root: settings, engine, GraphQL app, routes and lifespan. `python server.py` serves.

Reading this file top to bottom explains the running application.
"""

import contextlib
import gc
import os
import secrets
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import orjson
import structlog
import uvicorn
from cross_web import HTTPException
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.authentication import AuthenticationMiddleware
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route, WebSocketRoute
from starlette.types import ASGIApp, Message, Receive, Scope, Send
from strawberry.asgi import GraphQL
from strawberry.schema.exceptions import InvalidOperationTypeError
from strawberry.types import ExecutionResult

from actions.maintenance import keep_aggregates_current
from api.answers import AnswerCache, AnsweringServices
from api.schema import schema
from identity.authentication import BearerAuthentication, ViewerUser, unauthenticated
from policies.authoriser import Authoriser
from schema.context import Context
from store import migrate
from store.aggregates import AggregateWindow
from store.database import create_engine
from store.notifications import ReportEvents

ROOT = Path(__file__).resolve().parent
DEFAULT_ANSWER_CACHE_SIZE = 1000
log = structlog.get_logger()


@dataclass(frozen=True)
class Settings:
    database_url: str | None
    read_database_url: str | None
    host: str
    port: int
    data_dir: Path
    pool_size: int
    load_demo: bool
    secret: str | None
    answer_cache_size: int

    @classmethod
    def from_environment(cls) -> "Settings":
        env = os.environ
        return cls(
            database_url=env.get("DATABASE_URL") or None,
            read_database_url=env.get("DATABASE_READ_URL") or None,
            host=env.get("HOST", "127.0.0.1"),
            port=int(env.get("PORT", "8000")),
            data_dir=Path(env.get("KINERJA_DATA_DIR", str(ROOT / ".data"))),
            pool_size=int(env.get("DB_POOL_SIZE", "10")),
            # The demo is loaded into an empty embedded database; an external one only on request.
            load_demo=env.get("KINERJA_LOAD_DEMO", "").lower() in ("1", "true", "yes"),
            secret=env.get("KINERJA_SECRET") or None,
            # Rollup answers kept per database snapshot (api/answers.py); 0 turns them off.
            answer_cache_size=int(env.get("KINERJA_ANSWER_CACHE", str(DEFAULT_ANSWER_CACHE_SIZE))),
        )


def embedded_secret(data_dir: Path) -> str:
    """The embedded demo's JWT secret: generated once, kept under .data/ (mode 0600)."""
    path = data_dir / "secret"
    if not path.exists():
        data_dir.mkdir(parents=True, exist_ok=True)
        path.touch(mode=0o600)
        path.write_text(secrets.token_urlsafe(48))
    return path.read_text().strip()


class GraphQLApp(GraphQL[Context, None]):
    """Strawberry's ASGI app with Kinerja's request context."""

    def __init__(self, services: AnsweringServices) -> None:
        super().__init__(schema, graphql_ide="graphiql")
        self.services = services

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
            today=date.today(),
            client_address=request.client.host if request.client else "unknown",
            request_id=request.scope.get("state", {}).get("request_id", "-"),
            request=request,
            response=response,
        )

    async def execute_single(self, *args: Any, **kwargs: Any) -> ExecutionResult:
        try:
            return await super().execute_single(*args, **kwargs)
        except HTTPException as error:
            # GraphQL-over-HTTP: a mutation sent with GET is 405 Method Not Allowed (Strawberry says 400).
            if isinstance(error.__cause__, InvalidOperationTypeError):
                raise HTTPException(405, error.reason) from error
            raise


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


def autocommit(engine: AsyncEngine) -> AsyncEngine:
    """The same pool, with reads outside a transaction block: a transaction would cost a BEGIN and
    a ROLLBACK round trip per request, and under READ COMMITTED gives each statement its own
    snapshot anyway."""
    return engine.execution_options(isolation_level="AUTOCOMMIT")


def create_app(
    engine: AsyncEngine,
    *,
    secret: str,
    read_engine: AsyncEngine | None = None,
    answer_cache_size: int = DEFAULT_ANSWER_CACHE_SIZE,
) -> Starlette:
    events = ReportEvents(engine.url.render_as_string(hide_password=False))
    services = AnsweringServices(
        engine=engine,
        read_engine=autocommit(read_engine or engine),
        authoriser=Authoriser(),
        secret=secret,
        events=events,
        window=AggregateWindow(),
        answers=AnswerCache(answer_cache_size) if answer_cache_size > 0 else None,
    )
    graphql = GraphQLResponseMediaType(GraphQLApp(services))

    async def health(_: Request) -> JSONResponse:
        async with engine.connect() as conn:
            await conn.execute(text("SELECT 1"))
        return JSONResponse({"status": "ok"})

    @contextlib.asynccontextmanager
    async def lifespan(_: Starlette) -> AsyncIterator[None]:
        if await keep_aggregates_current(engine, services.window):
            log.info("aggregates_rebuilt")
        # Full collections walking the long-lived schema and library objects were the province
        # rollup's p99 (124 ms against a 27 ms p50, measured in process), so those are frozen.
        # Young collections stay at Python's default size: at 50,000 objects each one paused a
        # request long enough to double the p99 (kabupaten/kota rollup at 150 rps: 96-181 ms
        # against 40-69 ms). Full collections every 100 middle ones: at 10,000 the garbage
        # promoted in between grew workers to 519 MB (docs/scaling.md).
        gc.collect()
        gc.freeze()
        gc.set_threshold(700, 10, 100)
        yield
        await events.close()
        await engine.dispose()
        if read_engine is not None:
            await read_engine.dispose()

    return Starlette(
        routes=[Route("/health", health), Route("/graphql", graphql), WebSocketRoute("/graphql", graphql)],
        middleware=[
            Middleware(RequestId),
            Middleware(
                AuthenticationMiddleware,
                backend=BearerAuthentication(engine=autocommit(engine), authoriser=services.authoriser, secret=secret),
                on_error=unauthenticated,
            ),
        ],
        lifespan=lifespan,
    )


def production_app() -> Starlette:
    """The app for `uvicorn --factory server:production_app --workers N` (make serve-prod): each
    worker process builds its own engine and pool; nothing embedded, nothing generated."""
    settings = Settings.from_environment()
    if settings.database_url is None or settings.secret is None:
        raise SystemExit("serve-prod needs DATABASE_URL and KINERJA_SECRET.")
    replica = settings.read_database_url
    return create_app(
        create_engine(settings.database_url, pool_size=settings.pool_size),
        secret=settings.secret,
        read_engine=create_engine(replica, pool_size=settings.pool_size) if replica else None,
        answer_cache_size=settings.answer_cache_size,
    )


def prepare_database(settings: Settings) -> tuple[str, str, contextlib.ExitStack]:
    """The database URL to serve (migrated) and the JWT secret; embedded PostgreSQL when no URL
    is configured."""
    stack = contextlib.ExitStack()
    url = settings.database_url
    load_demo = settings.load_demo
    secret = settings.secret
    if url is not None and secret is None:
        raise SystemExit("KINERJA_SECRET must be set when serving an external DATABASE_URL.")
    if url is None:
        # Imported only here: a production process never loads the embedded server or the demo.
        from store.embedded import EmbeddedPostgres

        embedded = EmbeddedPostgres(settings.data_dir / "pg")
        stack.callback(embedded.stop)
        url = embedded.ensure_database("kinerja")
        load_demo = True
        secret = secret or embedded_secret(settings.data_dir)
    migrate.upgrade(url)
    if load_demo:
        from demo.load import DEMO_PASSWORD, demo_usernames, load_demo_if_empty

        load_demo_if_empty(url)
        print(f"Demo users (password {DEMO_PASSWORD}): {', '.join(demo_usernames(url))}", flush=True)
    assert secret is not None
    return url, secret, stack


def main() -> None:
    settings = Settings.from_environment()
    url, secret, cleanup = prepare_database(settings)
    with cleanup:
        app = create_app(
            create_engine(url, pool_size=settings.pool_size),
            secret=secret,
            answer_cache_size=settings.answer_cache_size,
        )
        print(f"Kinerja GraphQL: http://{settings.host}:{settings.port}/graphql  (Ctrl-C to stop)", flush=True)
        uvicorn.run(app, host=settings.host, port=settings.port, log_level="warning")


if __name__ == "__main__":
    main()
