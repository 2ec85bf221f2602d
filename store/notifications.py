"""Report status events from PostgreSQL LISTEN/NOTIFY, fanned out to this process's subscribers.

Transitions NOTIFY inside their transaction, so an event exists only once its change committed,
and every server process hears every event: subscriptions work behind a load balancer.
"""

import asyncio
import contextlib
import json
from collections.abc import AsyncIterator
from typing import Any

import psycopg
import structlog
from sqlalchemy.engine import make_url

from store.reports import CHANNEL

log = structlog.get_logger()


DEFAULT_IDLE_TICK = 60.0  # seconds


class ReportEvents:
    def __init__(self, database_url: str, *, idle_tick: float = DEFAULT_IDLE_TICK) -> None:
        self._conninfo = make_url(database_url).set(drivername="postgresql").render_as_string(hide_password=False)
        # A subscriber with nothing to deliver for this long is handed None, so that it can check
        # that its caller may still listen (a revoked grant, an expired token, a signed-out page).
        self.idle_tick = idle_tick
        self._subscribers: set[asyncio.Queue[dict[str, Any]]] = set()
        self._listener: asyncio.Task[None] | None = None
        self._ready = asyncio.Event()

    async def subscribe(self) -> AsyncIterator[dict[str, Any] | None]:
        """Every event as it commits, and None after each `idle_tick` seconds without one."""
        queue: asyncio.Queue[dict[str, Any]] = asyncio.Queue(maxsize=1000)
        self._subscribers.add(queue)
        try:
            await self._listening()
            while True:
                try:
                    yield await asyncio.wait_for(queue.get(), self.idle_tick)
                except TimeoutError:
                    yield None
        finally:
            self._subscribers.discard(queue)

    async def _listening(self) -> None:
        """One LISTEN connection per process, opened by the first subscriber."""
        if self._listener is None or self._listener.done():
            self._ready.clear()
            self._listener = asyncio.create_task(self._listen())
        await self._ready.wait()

    async def _listen(self) -> None:
        async with await psycopg.AsyncConnection.connect(self._conninfo, autocommit=True) as conn:
            await conn.execute(f"LISTEN {CHANNEL}")
            self._ready.set()
            async for notice in conn.notifies():
                event = json.loads(notice.payload)
                for queue in list(self._subscribers):
                    try:
                        queue.put_nowait(event)
                    except asyncio.QueueFull:
                        log.warning("subscriber_too_slow", dropped=event)

    async def close(self) -> None:
        if self._listener is not None:
            self._listener.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._listener
