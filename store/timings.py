"""Time the data layer spends keeping derived data fresh, for whoever observes the request
(api/observability.py reports it per request and as a metric). Nothing is kept unless a caller
asked, by `observing()`, in the task the work runs in."""

import contextvars
import time
from collections.abc import Iterator
from contextlib import contextmanager

_spent: contextvars.ContextVar[dict[str, float] | None] = contextvars.ContextVar("store_timings", default=None)


@contextmanager
def timed(what: str) -> Iterator[None]:
    started = time.perf_counter()
    try:
        yield
    finally:
        if (spent := _spent.get()) is not None:
            spent[what] = spent.get(what, 0.0) + time.perf_counter() - started


@contextmanager
def observing() -> Iterator[dict[str, float]]:
    """Seconds spent per kind of upkeep inside the block (e.g. {"aggregate_refresh": 0.012})."""
    spent: dict[str, float] = {}
    token = _spent.set(spent)
    try:
        yield spent
    finally:
        _spent.reset(token)
