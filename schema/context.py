"""The per-request context: who asks, the connection, and the request's DataLoaders."""

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from actions.caller import Caller
from domain.notation import local_date
from policies.authoriser import Authoriser
from policies.individual import Holder
from policies.viewer import Viewer
from store.aggregates import AggregateWindow
from store.files import DATABASE_FILES, FileStore
from store.loaders import Loaders
from store.notifications import ReportEvents


def today() -> date:
    """The platform's calendar day: WIB's (domain.notation.WIB), in which deadlines end and pages
    print dates; a server's own clock is UTC, seven hours behind, so before 07:00 in Pontianak it
    would still read yesterday."""
    return local_date(datetime.now(UTC))


@dataclass(frozen=True)
class Services:
    """What resolvers need beyond the request: built once in server.py."""

    engine: AsyncEngine  # the primary: mutations, subscriptions, authentication
    read_engine: AsyncEngine  # a replica for queries (the primary when none is configured)
    authoriser: Authoriser
    secret: str
    events: ReportEvents
    window: AggregateWindow
    files: FileStore = DATABASE_FILES  # where evidence files' bytes are kept (store/files.py)


class LazyConnection:
    """The request's connection, opened on first use: the read engine's for queries, the
    primary's for everything else (a mutation's payload must see its own writes). Apart from
    Context so that the loaders, which need it, do not refer back to the context."""

    def __init__(self, services: Services) -> None:
        self._services = services
        self.read_only = False  # set when the operation is known
        self._connection: AsyncConnection | None = None
        # Sibling fields resolve concurrently; without the lock two could each open a connection.
        self._connecting = asyncio.Lock()

    async def get(self) -> AsyncConnection:
        async with self._connecting:
            if self._connection is None:
                engine = self._services.read_engine if self.read_only else self._services.engine
                self._connection = await engine.connect()
            return self._connection

    async def close(self) -> None:
        if self._connection is not None:
            await self._connection.close()
            self._connection = None


@dataclass
class Context:
    viewer: Viewer
    services: Services
    today: date
    client_address: str = "unknown"
    request_id: str = "-"
    request: Any = None
    response: Any = None
    connection_params: dict[str, Any] | None = None  # a WebSocket's connection_init payload
    # The caller as its credentials name it now (None when they no longer do): a subscription,
    # which may live for hours, asks again before it delivers (api/http.py sets it).
    reauthenticate: Callable[[], Awaitable[Viewer | None]] | None = None
    _lazy_connection: LazyConnection = field(init=False)
    loaders: Loaders = field(init=False)
    # Work graphql-core settles in the background: when a field fails and its error bubbles up,
    # the answer is built while its siblings' resolvers still run (api/completion.py sets it).
    settling: set[asyncio.Future[Any]] = field(init=False, default_factory=set)
    # The caller as an employee (policies/individual.py), read once per request when asked.
    holder: Holder | None = field(init=False, default=None)

    def __post_init__(self) -> None:
        self._lazy_connection = LazyConnection(self.services)
        self.loaders = Loaders(self._lazy_connection.get, self.viewer, self.today, self.services.window)

    async def still_allowed(self) -> bool:
        """Whether the caller's credentials still hold, with the grants it started with."""
        if self.reauthenticate is None or not self.viewer.is_authenticated:
            return True
        current = await self.reauthenticate()
        return current is not None and current.scopes == self.viewer.scopes

    def refresh(self) -> None:
        """Forget what the loaders read: a subscription answering again must read anew."""
        self.loaders = Loaders(self._lazy_connection.get, self.viewer, self.today, self.services.window)

    def sign_in(self, viewer: Viewer) -> None:
        """Act as `viewer` from now on (a WebSocket that authenticates in connection_init)."""
        self.viewer = viewer
        self.refresh()
        self.holder = None

    @property
    def caller(self) -> Caller:
        """Who acts, as actions check and audit it."""
        return Caller(viewer=self.viewer, request_id=self.request_id)

    @property
    def read_only(self) -> bool:
        """Whether the request reads from the replica (queries) rather than the primary."""
        return self._lazy_connection.read_only

    @read_only.setter
    def read_only(self, value: bool) -> None:
        self._lazy_connection.read_only = value

    async def connection(self) -> AsyncConnection:
        """The request's connection, opened on first use."""
        return await self._lazy_connection.get()

    async def close(self) -> None:
        """Give the connection back once nothing of the request uses it any more: closed under
        a sibling still running SQL, it failed that query with the driver's error."""
        while self.settling:
            await asyncio.wait(list(self.settling))
        await self._lazy_connection.close()
