"""Cost budgets per caller and minute: a leaky bucket per caller in each worker process.

Every request takes its static cost (api/limits.py) from its caller's bucket, which drains at
the budget per minute / 60 each second; a request that does not fit is answered RATE_LIMITED
with how long to wait. Buckets live in the worker process, so with N workers a caller may spend
up to N budgets a minute (the share is stated in README.md); introspection costs nothing.
"""

import math
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass

from policies.viewer import ViewerKind


@dataclass(frozen=True)
class Allowance:
    allowed: bool
    limit: int  # the budget per minute
    remaining: int
    reset_seconds: int  # until the bucket is empty again
    retry_after: int = 0  # when refused: seconds until the request would fit


@dataclass
class _Bucket:
    level: float
    at: float


class Budgets:
    MAX_CALLERS = 50_000  # buckets kept; the least recently used go first

    def __init__(
        self,
        *,
        anonymous: int,
        user: int,
        api_client: int,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._per_minute = {ViewerKind.ANONYMOUS: anonymous, ViewerKind.API_CLIENT: api_client}
        self._user = user
        self._clock = clock
        self._buckets: OrderedDict[Hashable, _Bucket] = OrderedDict()

    def per_minute(self, kind: ViewerKind) -> int:
        return self._per_minute.get(kind, self._user)

    def take(self, caller: Hashable, kind: ViewerKind, cost: int) -> Allowance:
        capacity = self.per_minute(kind)
        rate = capacity / 60
        now = self._clock()
        bucket = self._buckets.pop(caller, None) or _Bucket(0.0, now)
        level = max(0.0, bucket.level - (now - bucket.at) * rate)
        allowed = level + cost <= capacity
        if allowed:
            level += cost
        self._buckets[caller] = _Bucket(level, now)
        while len(self._buckets) > self.MAX_CALLERS:
            self._buckets.popitem(last=False)
        retry_after = 0 if allowed else math.ceil((level + cost - capacity) / rate)
        return Allowance(allowed, capacity, int(capacity - level), math.ceil(level / rate), retry_after)
