"""Composition root: settings, engine, GraphQL app, routes and lifespan. `python server.py` serves.

Reading this file top to bottom explains the running application.
"""

import asyncio
import contextlib
import gc
import os
import re
import secrets
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

import structlog
import uvicorn
from opentelemetry.sdk.trace import TracerProvider
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.authentication import AuthenticationMiddleware
from starlette.middleware.cors import CORSMiddleware
from starlette.middleware.gzip import GZipMiddleware
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Mount, Route, Router, WebSocketRoute

from actions.caller import PLATFORM
from actions.lkjip_jobs import watch_queue
from actions.maintenance import keep_aggregates_current
from actions.operations import register_missing
from actions.tpp import watch_stale_jobs
from api import documents, ide
from api.answers import AnswerCache
from api.budget import Budgets
from api.evidence_upload import EVIDENCE_UPLOAD_PATH, evidence_upload
from api.http import BodyLimit, GraphQLApp, GraphQLResponseMediaType, RequestId, Uploads
from api.limits import CallerLimits, Limits
from api.observability import AccessLog, Metrics, configure_logging, count_statements, metrics_endpoint
from api.schema import schema
from api.services import DEFAULT_LIMITS, ApiServices
from api.shedding import Shedding
from api.tracing import NO_TRACER, TRACER_NAME, provider_from_environment, trace_statements, traced
from documents.lkjip.render import render_format
from domain.evidence import MAX_UPLOADED_EVIDENCE_BYTES
from identity.authentication import BearerAuthentication, unauthenticated
from policies.authoriser import Authoriser
from policies.viewer import Viewer
from store import migrate
from store.aggregates import AggregateWindow
from store.database import autocommit, create_engine
from store.files import DATABASE_FILES, DirectoryFiles, FileStore
from store.notifications import DEFAULT_IDLE_TICK, ReportEvents
from store.roles import as_role, grant_app_role
from web.graphql import PageGraphQL
from web.pages import Pages
from web.sessions import Sessions

ROOT = Path(__file__).resolve().parent
DEFAULT_ANSWER_CACHE_SIZE = 1000
DEFAULT_REQUEST_TIMEOUT = 30.0  # seconds an operation may run before it is stopped
DEFAULT_MAX_BODY_BYTES = 4 * 1024 * 1024  # a 10,000-row batch is about 1.5 MB
# An evidence file up to 20 MB in a multipart request, to GraphQL or from the evaluation page's
# form, with room for the form's other fields and the multipart framing.
EVIDENCE_UPLOADS = Uploads(re.compile(r"/graphql|/evaluasi/[^/]+"), MAX_UPLOADED_EVIDENCE_BYTES + 1024 * 1024)
DEFAULT_MAX_WAITING = 100  # GraphQL requests a worker lets wait for a slot (api/shedding.py)
DEFAULT_BURST_WAIT = 0.5  # seconds one may wait, unless the queue has stopped emptying
DEFAULT_JOB_WATCH = 60.0  # seconds between looks for jobs whose server stopped (actions.tpp, actions.lkjip_jobs)
# Per request (static cost, api/limits.py) and per minute (api/budget.py): anonymous, signed-in, API token.
DEFAULT_COST_LIMITS = "50000,200000,100000"
DEFAULT_COST_BUDGETS = "500000,5000000,2000000"
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
    cost_limits: CallerLimits
    budgets: Budgets | None
    request_timeout: float | None
    max_body_bytes: int
    cors_origins: tuple[str, ...]
    metrics_token: str | None
    max_in_flight: int | None
    max_waiting: int
    burst_wait: float
    subscription_recheck: float
    evidence_dir: Path | None

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
            cost_limits=caller_limits(env.get("KINERJA_COST_LIMITS", DEFAULT_COST_LIMITS)),
            budgets=budgets(env.get("KINERJA_COST_BUDGETS", DEFAULT_COST_BUDGETS)),
            # 0 turns the time limit off.
            request_timeout=float(env.get("KINERJA_REQUEST_TIMEOUT", str(DEFAULT_REQUEST_TIMEOUT))) or None,
            max_body_bytes=int(env.get("KINERJA_MAX_BODY_BYTES", str(DEFAULT_MAX_BODY_BYTES))),
            # Browser origins allowed to call the API (CORS), comma-separated; none by default.
            cors_origins=tuple(o.strip() for o in env.get("KINERJA_CORS_ORIGINS", "").split(",") if o.strip()),
            # /metrics answers a bearer of this token; unset, it answers 404.
            metrics_token=env.get("KINERJA_METRICS_TOKEN") or None,
            # GraphQL requests a worker serves at once; unset, one per pooled connection (create_app).
            max_in_flight=int(env["KINERJA_MAX_IN_FLIGHT"]) if env.get("KINERJA_MAX_IN_FLIGHT") else None,
            # Requests that may wait for a slot, and for how long while the wait is a burst (api/shedding.py).
            max_waiting=int(env.get("KINERJA_MAX_WAITING", str(DEFAULT_MAX_WAITING))),
            burst_wait=float(env.get("KINERJA_BURST_WAIT", str(DEFAULT_BURST_WAIT))),
            # An idle subscription (or a page's live queue) checks its caller's access this often.
            subscription_recheck=float(env.get("KINERJA_SUBSCRIPTION_RECHECK", str(DEFAULT_IDLE_TICK))),
            # Evidence files kept in this directory (store/files.py); unset, in PostgreSQL.
            evidence_dir=Path(env["KINERJA_EVIDENCE_DIR"]) if env.get("KINERJA_EVIDENCE_DIR") else None,
        )


def _three(setting: str, text: str) -> tuple[int, int, int]:
    try:
        anonymous, user, api_client = (int(part) for part in text.split(","))
    except ValueError:
        raise SystemExit(f"{setting} takes three whole numbers: anonymous,signed-in,API token.") from None
    return anonymous, user, api_client


def caller_limits(text: str) -> CallerLimits:
    """KINERJA_COST_LIMITS: the static cost a request may have, by kind of caller."""
    anonymous, user, api_client = _three("KINERJA_COST_LIMITS", text)
    return CallerLimits(Limits(cost=anonymous), Limits(cost=user), Limits(cost=api_client))


def budgets(text: str) -> Budgets | None:
    """KINERJA_COST_BUDGETS: cost per minute by kind of caller, per worker; 0 turns budgets off."""
    if text.strip() == "0":
        return None
    anonymous, user, api_client = _three("KINERJA_COST_BUDGETS", text)
    return Budgets(anonymous=anonymous, user=user, api_client=api_client)


def evidence_files(directory: Path | None) -> FileStore:
    """KINERJA_EVIDENCE_DIR: where evidence files go; checked at startup, not at the first upload."""
    if directory is None:
        return DATABASE_FILES
    files = DirectoryFiles(directory)
    try:
        files.check_writable()
    except OSError as error:
        raise SystemExit(f"KINERJA_EVIDENCE_DIR {directory} is not a writable directory: {error}") from None
    return files


def embedded_secret(data_dir: Path) -> str:
    """The embedded demo's JWT secret: generated once, kept under .data/ (mode 0600)."""
    path = data_dir / "secret"
    if not path.exists():
        data_dir.mkdir(parents=True, exist_ok=True)
        path.touch(mode=0o600)
        path.write_text(secrets.token_urlsafe(48))
    return path.read_text().strip()


def create_app(
    engine: AsyncEngine,
    *,
    secret: str,
    read_engine: AsyncEngine | None = None,
    answer_cache_size: int = DEFAULT_ANSWER_CACHE_SIZE,
    cost_limits: CallerLimits = DEFAULT_LIMITS,
    budgets: Budgets | None = None,
    request_timeout: float | None = DEFAULT_REQUEST_TIMEOUT,
    max_body_bytes: int = DEFAULT_MAX_BODY_BYTES,
    cors_origins: tuple[str, ...] = (),
    metrics_token: str | None = None,
    max_in_flight: int | None = None,
    max_waiting: int = DEFAULT_MAX_WAITING,
    burst_wait: float = DEFAULT_BURST_WAIT,
    subscription_recheck: float = DEFAULT_IDLE_TICK,
    job_watch: float = DEFAULT_JOB_WATCH,
    files: FileStore = DATABASE_FILES,
    tracer_provider: TracerProvider | None = None,
) -> Starlette:
    tracer = tracer_provider.get_tracer(TRACER_NAME) if tracer_provider is not None else NO_TRACER
    events = ReportEvents(engine.url.render_as_string(hide_password=False), idle_tick=subscription_recheck)
    services = ApiServices(
        engine=engine,
        read_engine=autocommit(read_engine or engine),
        authoriser=Authoriser(),
        secret=secret,
        events=events,
        window=AggregateWindow(),
        files=files,
        answers=AnswerCache(answer_cache_size) if answer_cache_size > 0 else None,
        limits=cost_limits,
        budgets=budgets,
        tracer=tracer,
    )
    metrics = Metrics(engine)
    # Past its pooled connections a request could only wait for one: at twice a worker's capacity
    # 100 requests at once answered in 0.7 s (p50) and 4.9 s (p99); one per connection, the rest
    # waiting only through bursts, answers in milliseconds (bench/overload.py, docs/scaling.md).
    if max_in_flight is None:
        max_in_flight = int(getattr(engine.sync_engine.pool, "size", lambda: 10)())
    for counted in {engine, read_engine or engine}:
        count_statements(counted)
        if tracer_provider is not None:
            trace_statements(counted, tracer)
    authentication = BearerAuthentication(engine=autocommit(engine), authoriser=services.authoriser, secret=secret)
    graphql = GraphQLResponseMediaType(
        GraphQLApp(services, authentication=authentication, request_timeout=request_timeout)
    )
    # The pages run the same schema in-process, as the session's viewer (web/).
    page_graphql = PageGraphQL(schema, services, request_timeout=request_timeout)
    pages = Pages(page_graphql, Sessions(engine=engine, authoriser=services.authoriser, secret=secret))

    async def document_viewer(request: Request) -> Viewer:
        """Who downloads a draft document: the API's bearer token, else the page session."""
        if (authorization := request.headers.get("authorization")) is not None:
            return await authentication.viewer_of(authorization)
        return (await pages.sessions.user_of(request)).viewer

    async def health(_: Request) -> JSONResponse:
        async with engine.connect() as conn:
            await conn.execute(text("SELECT 1"))
        return JSONResponse({"status": "ok"})

    @contextlib.asynccontextmanager
    async def lifespan(_: Starlette) -> AsyncIterator[None]:
        if await keep_aggregates_current(engine, services.window):
            log.info("aggregates_rebuilt")
        # The pages' documents are registered operations: a tool, or a token held to registered
        # operations, may run them by their SHA-256 (/pengembang lists them).
        async with engine.begin() as conn:
            if added := await register_missing(conn, caller=PLATFORM, documents=list(page_graphql.documents.values())):
                log.info("page_operations_registered", count=added)
        # Full collections walking the long-lived schema and library objects were the province
        # rollup's p99 (124 ms against a 27 ms p50, measured in process), so those are frozen.
        # Young collections stay at Python's default size: at 50,000 objects each one paused a
        # request long enough to double the p99 (kabupaten/kota rollup at 150 rps: 96-181 ms
        # against 40-69 ms). Full collections every 100 middle ones: at 10,000 the garbage
        # promoted in between grew workers to 519 MB (docs/scaling.md).
        gc.collect()
        gc.freeze()
        gc.set_threshold(700, 10, 100)
        # A month's TPP job whose server stopped midway is taken up by a server still running.
        watcher = asyncio.create_task(watch_stale_jobs(engine, every=job_watch))
        # LKjIP jobs queued while every server was busy or stopped, and those a stopped server left.
        queue = asyncio.create_task(watch_queue(engine, render_format, every=job_watch))
        yield
        for task in (watcher, queue):
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
        await events.close()
        await engine.dispose()
        if read_engine is not None:
            await read_engine.dispose()
        if tracer_provider is not None:
            tracer_provider.shutdown()  # the spans still batched are exported

    return Starlette(
        routes=[
            Route("/health", health),
            Route("/metrics", metrics_endpoint(metrics, metrics_token)),
            Route("/graphql", graphql),
            Route(documents.AGREEMENT_PATH, documents.agreement_download(engine)),
            Route(documents.LKJIP_JOB_PATH, documents.lkjip_job_download(engine, document_viewer)),
            Route(documents.LKJIP_SIGNED_PATH, documents.lkjip_signed_download(engine)),
            Route(documents.LKJIP_DRAFT_PATH, documents.lkjip_draft_download(engine, document_viewer)),
            Route(documents.EVIDENCE_PATH, documents.evidence_download(engine, document_viewer, files)),
            Route(EVIDENCE_UPLOAD_PATH, evidence_upload(engine, document_viewer, files), methods=["POST"]),
            Route(documents.LHE_PATH, documents.lhe_download(engine, document_viewer)),
            Route(documents.PLAN_RESULTS_PATH, documents.plan_results_download(engine, document_viewer)),
            Route(documents.TEMPLATE_PATH, documents.realisation_template(page_graphql, document_viewer)),
            Route(documents.CHECK_PATH, documents.realisation_check(page_graphql, document_viewer), methods=["POST"]),
            Route(documents.APBD_CHECK_PATH, documents.apbd_check(page_graphql, document_viewer), methods=["POST"]),
            WebSocketRoute("/graphql", graphql),
            Mount(ide.ASSET_PATH, app=ide.assets()),
            # Last: every other path is a page (or the pages' 404).
            Mount("", app=GZipMiddleware(Router(pages.routes(), default=pages.missing), minimum_size=1024)),
        ],
        middleware=[
            # Outermost, so that a request's span covers everything the server does for it.
            *([Middleware(traced, provider=tracer_provider)] if tracer_provider is not None else []),
            Middleware(RequestId),
            Middleware(AccessLog, metrics=metrics),
            Middleware(Shedding, max_in_flight=max_in_flight, max_waiting=max_waiting, burst_wait=burst_wait),
            # Off unless origins are named: a third-party dashboard in a browser needs its origin here.
            *(
                [
                    Middleware(
                        CORSMiddleware,
                        allow_origins=list(cors_origins),
                        allow_methods=["GET", "POST"],
                        # traceparent/tracestate: a browser client's W3C trace context (api/tracing.py).
                        allow_headers=["authorization", "content-type", "x-request-id", "traceparent", "tracestate"],
                        expose_headers=[
                            "x-request-id",
                            "ratelimit-limit",
                            "ratelimit-remaining",
                            "ratelimit-reset",
                            "retry-after",
                        ],
                        max_age=600,
                    )
                ]
                if cors_origins
                else []
            ),
            Middleware(
                BodyLimit,
                max_bytes=max_body_bytes,
                own_limit=frozenset({EVIDENCE_UPLOAD_PATH}),
                uploads=EVIDENCE_UPLOADS,
            ),
            Middleware(AuthenticationMiddleware, backend=authentication, on_error=unauthenticated),
        ],
        lifespan=lifespan,
    )


def production_app() -> Starlette:
    """The app for `uvicorn --factory server:production_app --workers N` (make serve-prod): each
    worker process builds its own engine and pool; nothing embedded, nothing generated."""
    settings = Settings.from_environment()
    configure_logging()
    if settings.database_url is None or settings.secret is None:
        raise SystemExit("serve-prod needs DATABASE_URL and KINERJA_SECRET.")
    replica = settings.read_database_url
    return serving(
        settings,
        create_engine(settings.database_url, pool_size=settings.pool_size),
        secret=settings.secret,
        read_engine=create_engine(replica, pool_size=settings.pool_size) if replica else None,
    )


def serving(
    settings: Settings, engine: AsyncEngine, *, secret: str, read_engine: AsyncEngine | None = None
) -> Starlette:
    """The app as configured by the environment."""
    return create_app(
        engine,
        secret=secret,
        read_engine=read_engine,
        answer_cache_size=settings.answer_cache_size,
        cost_limits=settings.cost_limits,
        budgets=settings.budgets,
        request_timeout=settings.request_timeout,
        max_body_bytes=settings.max_body_bytes,
        cors_origins=settings.cors_origins,
        metrics_token=settings.metrics_token,
        max_in_flight=settings.max_in_flight,
        max_waiting=settings.max_waiting,
        burst_wait=settings.burst_wait,
        subscription_recheck=settings.subscription_recheck,
        files=evidence_files(settings.evidence_dir),
        tracer_provider=provider_from_environment(),
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
    if settings.database_url is None:
        # Migrations and the demo ran as the owner; the server runs as a role that cannot alter
        # tables or rewrite the audit log (store/roles.py).
        grant_app_role(url)
        url = as_role(url)
    assert secret is not None
    return url, secret, stack


def main() -> None:
    settings = Settings.from_environment()
    configure_logging()
    url, secret, cleanup = prepare_database(settings)
    with cleanup:
        app = serving(settings, create_engine(url, pool_size=settings.pool_size), secret=secret)
        base = f"http://{settings.host}:{settings.port}"
        print(f"Kinerja pages: {base}/  GraphQL: {base}/graphql  (Ctrl-C to stop)", flush=True)
        uvicorn.run(app, host=settings.host, port=settings.port, log_level="warning")


if __name__ == "__main__":
    main()
