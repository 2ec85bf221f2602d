"""The database's share of a request, for the benches that compare a request's wall-clock time
with its SQL (bench/cases.py, bench/clocked.py)."""

import time
from typing import Any

from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncEngine


class SqlClock:
    """The time statements are in flight on one engine (cursor execute to its return), each
    moment counted once, and the number of statements. Sibling fields issue their statements at
    once on the request's connection, where they wait for each other: summing each statement's
    own interval counted that waiting again for every statement queued (`nodes(ids:)` of 100
    indicators read as 92 ms of SQL in a 101 ms request, its statements executing in about 10 ms).
    The time in flight still includes the event loop's turns while an answer waits: an upper
    bound of the database's share."""

    def __init__(self, engine: AsyncEngine) -> None:
        self.seconds = 0.0
        self.statements = 0
        self._in_flight = 0
        self._busy_since = 0.0
        event.listen(engine.sync_engine, "before_cursor_execute", self._before)
        event.listen(engine.sync_engine, "after_cursor_execute", self._after)
        event.listen(engine.sync_engine, "handle_error", self._after)

    def _before(self, *_: Any) -> None:
        self.statements += 1
        if self._in_flight == 0:
            self._busy_since = time.perf_counter()
        self._in_flight += 1

    def _after(self, *_: Any) -> None:
        self._in_flight = max(0, self._in_flight - 1)
        if self._in_flight == 0:
            self.seconds += time.perf_counter() - self._busy_since

    def reset(self) -> None:
        self.seconds, self.statements = 0.0, 0
