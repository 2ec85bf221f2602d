"""Load shedding: a worker past its capacity answers 503 at once instead of queueing everyone.

A worker runs at most `max_in_flight` GraphQL requests at once (by default one per pooled
connection: past those a request could only wait for a connection). One more waits for a slot,
in a queue of at most `max_waiting`, for up to `burst_wait` seconds, so that a burst (a page's
fan-out, a client's concurrent calls) is served rather than refused. But when the oldest request
has waited longer than `OVERLOAD_INTERVAL`, the queue is not a burst any more, it is a standing
queue: the worker is overloaded until the queue empties, and meanwhile no request waits longer
than `OVERLOADED_WAIT` (those waiting longer are answered 503 at once), so the excess is shed
within milliseconds and the admitted keep their usual latency. This is CoDel's rule (Nichols and
Jacobson, "Controlling Queue Delay", 2012: act on how long requests wait, not on how many wait)
as servers apply it to request queues. Health checks, pages and assets are never shed. Measured
by bench/overload.py (docs/scaling.md).
"""

import asyncio
import time
from collections import deque

import orjson
from starlette.types import ASGIApp, Receive, Scope, Send

OVERLOAD_INTERVAL = 0.1  # seconds a queue may stay non-empty before it counts as overload
OVERLOADED_WAIT = 0.01  # seconds a request may wait for a slot during overload
SHED_BODY = orjson.dumps(
    {"errors": [{"message": "Server sedang penuh; coba lagi sebentar lagi.", "extensions": {"code": "RATE_LIMITED"}}]}
)
SHED_HEADERS = [
    (b"content-type", b"application/json"),
    (b"retry-after", b"1"),
    (b"content-length", str(len(SHED_BODY)).encode()),
]


class Shedding:
    def __init__(self, app: ASGIApp, *, max_in_flight: int, max_waiting: int = 100, burst_wait: float = 0.5) -> None:
        self.app = app
        self.max_in_flight = max_in_flight
        self.max_waiting = max_waiting
        self.burst_wait = burst_wait
        self.in_flight = 0
        self.waiting: deque[tuple[float, asyncio.Future[None]]] = deque()  # (since, slot), oldest first
        self.overloaded = False

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"] != "/graphql":
            await self.app(scope, receive, send)
            return
        if not await self._admitted():
            await send({"type": "http.response.start", "status": 503, "headers": SHED_HEADERS})
            await send({"type": "http.response.body", "body": SHED_BODY})
            return
        try:
            await self.app(scope, receive, send)
        finally:
            self._release()

    async def _admitted(self) -> bool:
        now = time.monotonic()
        if not self.waiting and self.in_flight < self.max_in_flight:
            self.overloaded = False
            self.in_flight += 1
            return True
        if self.waiting and now - self.waiting[0][0] > OVERLOAD_INTERVAL:
            self.overloaded = True
        if self.overloaded:
            while self.waiting and now - self.waiting[0][0] > OVERLOADED_WAIT:
                _expire(self.waiting.popleft()[1])
        if len(self.waiting) >= self.max_waiting:
            return False
        loop = asyncio.get_running_loop()
        slot: asyncio.Future[None] = loop.create_future()
        entry = (now, slot)
        self.waiting.append(entry)
        # A timer rather than asyncio.wait_for: a slot handed over and a wait expiring are then two
        # callbacks of one loop, never both.
        timer = loop.call_later(OVERLOADED_WAIT if self.overloaded else self.burst_wait, _expire, slot)
        try:
            await slot
        except TimeoutError:
            return False
        except asyncio.CancelledError:
            if not slot.cancelled() and slot.exception() is None:
                self._release()  # handed a slot just as the client went away: pass it on
            raise
        finally:
            timer.cancel()
            if entry in self.waiting:
                self.waiting.remove(entry)
        return True  # the slot of the request that finished is now this one's

    def _release(self) -> None:
        while self.waiting:
            _, slot = self.waiting.popleft()
            if not slot.done():
                slot.set_result(None)  # the slot passes on: in_flight stays as it is
                return
        self.overloaded = False  # the queue has emptied
        self.in_flight -= 1


def _expire(slot: asyncio.Future[None]) -> None:
    if not slot.done():
        slot.set_exception(TimeoutError())
