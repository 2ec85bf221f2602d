"""Composition root: settings, engine, GraphQL app, routes and lifespan. `python server.py` serves.

Reading this file top to bottom explains the running application.
"""

import contextlib
import os
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import structlog
import uvicorn
from cross_web import HTTPException
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route
from starlette.types import ASGIApp, Message, Receive, Scope, Send
from strawberry.asgi import GraphQL
from strawberry.schema.exceptions import InvalidOperationTypeError
from strawberry.types import ExecutionResult

from policies.viewer import SYSTEM
from schema.context import Context
from schema.schema import schema
from store import migrate
from store.database import create_engine

ROOT = Path(__file__).resolve().parent
log = structlog.get_logger()


@dataclass(frozen=True)
class Settings:
    database_url: str | None
    host: str
    port: int
    data_dir: Path
    pool_size: int
    load_demo: bool

    @classmethod
    def from_environment(cls) -> "Settings":
        env = os.environ
        return cls(
            database_url=env.get("DATABASE_URL") or None,
            host=env.get("HOST", "127.0.0.1"),
            port=int(env.get("PORT", "8000")),
            data_dir=Path(env.get("KINERJA_DATA_DIR", str(ROOT / ".data"))),
            pool_size=int(env.get("DB_POOL_SIZE", "10")),
            # The demo is loaded into an empty embedded database; an external one only on request.
            load_demo=env.get("KINERJA_LOAD_DEMO", "").lower() in ("1", "true", "yes"),
        )


class GraphQLApp(GraphQL[Context, None]):
    """Strawberry's ASGI app with Kinerja's request context."""

    def __init__(self, engine: AsyncEngine) -> None:
        super().__init__(schema, graphql_ide="graphiql")
        self.engine = engine

    async def get_context(self, request: Request, response: Response) -> Context:  # type: ignore[override]
        return Context(viewer=SYSTEM, engine=self.engine, today=date.today(), request=request, response=response)

    async def execute_single(self, *args: Any, **kwargs: Any) -> ExecutionResult:
        try:
            return await super().execute_single(*args, **kwargs)
        except HTTPException as error:
            # GraphQL-over-HTTP: a mutation sent with GET is 405 Method Not Allowed (Strawberry says 400).
            if isinstance(error.__cause__, InvalidOperationTypeError):
                raise HTTPException(405, error.reason) from error
            raise


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


def create_app(engine: AsyncEngine) -> Starlette:
    async def health(_: Request) -> JSONResponse:
        async with engine.connect() as conn:
            await conn.execute(text("SELECT 1"))
        return JSONResponse({"status": "ok"})

    @contextlib.asynccontextmanager
    async def lifespan(_: Starlette) -> AsyncIterator[None]:
        yield
        await engine.dispose()

    return Starlette(
        routes=[Route("/health", health), Route("/graphql", GraphQLResponseMediaType(GraphQLApp(engine)))],
        lifespan=lifespan,
    )


def prepare_database(settings: Settings) -> tuple[str, contextlib.ExitStack]:
    """The database URL to serve, migrated; embedded PostgreSQL when none is configured."""
    stack = contextlib.ExitStack()
    url = settings.database_url
    load_demo = settings.load_demo
    if url is None:
        from store.embedded import EmbeddedPostgres

        embedded = EmbeddedPostgres(settings.data_dir / "pg")
        stack.callback(embedded.stop)
        url = embedded.ensure_database("kinerja")
        load_demo = True
    migrate.upgrade(url)
    if load_demo:
        from demo.load import load_demo_if_empty

        load_demo_if_empty(url)
    return url, stack


def main() -> None:
    settings = Settings.from_environment()
    url, cleanup = prepare_database(settings)
    with cleanup:
        app = create_app(create_engine(url, pool_size=settings.pool_size))
        print(f"Kinerja GraphQL: http://{settings.host}:{settings.port}/graphql  (Ctrl-C to stop)", flush=True)
        uvicorn.run(app, host=settings.host, port=settings.port, log_level="warning")


if __name__ == "__main__":
    main()
