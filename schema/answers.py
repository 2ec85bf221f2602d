"""Answers to rollup queries, kept per database snapshot.

Dashboards ask the same rollups again and again between writes. A PostgreSQL snapshot
(`pg_current_snapshot()`: xmin, xmax and the transactions still in progress) fixes which
committed writes a statement sees, so two requests that start with the same snapshot, ask the same
operation with the same variables, and hold the same scopes on the same day get the same answer.
A write that commits changes the snapshot of every later request, so a kept answer is never
older than the snapshot of the request it is served to. Only read-only, time-independent root
fields are answered this way (CACHEABLE_FIELDS); everything else runs as usual.

The snapshot is read on the connection that then computes the answer (the replica's when there
is one): read from the primary, an answer computed on a lagging replica could be older than its key.
"""

import asyncio
import functools
import json
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Hashable, Mapping
from typing import TYPE_CHECKING, Any

from graphql import FieldNode, GraphQLError, OperationDefinitionNode, OperationType, parse
from sqlalchemy import text
from strawberry.types import ExecutionResult

from policies.viewer import Viewer

if TYPE_CHECKING:
    from schema.context import Context

# Root fields whose answer depends only on the database, the caller's scopes and the arguments.
CACHEABLE_FIELDS = frozenset({"rollup", "__typename"})
_SNAPSHOT = text("SELECT pg_current_snapshot()::text")


@functools.lru_cache(maxsize=256)
def cacheable(query: str, operation_name: str | None) -> bool:
    """Whether the operation is a query selecting only cacheable root fields (directly, not
    through fragments)."""
    try:
        document = parse(query)
    except GraphQLError:
        return False
    operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    chosen = [o for o in operations if operation_name is None or (o.name and o.name.value == operation_name)]
    if len(chosen) != 1 or chosen[0].operation is not OperationType.QUERY:
        return False
    selections = chosen[0].selection_set.selections
    return all(isinstance(s, FieldNode) and s.name.value in CACHEABLE_FIELDS for s in selections)


def viewer_key(viewer: Viewer) -> Hashable:
    """What a rollup depends on about its caller: the kind of viewer and where it may do what.
    Users with the same grants share answers; the user's identity does not enter a rollup."""
    return viewer.kind, tuple(sorted((permission.value, paths) for permission, paths in viewer.scopes.items()))


class AnswerCache:
    """A bounded least-recently-used map from (snapshot, request) to a complete answer."""

    def __init__(self, size: int) -> None:
        self._size = size
        self._answers: OrderedDict[Hashable, ExecutionResult] = OrderedDict()
        # Answers being computed. After a write every kept answer misses at once, and at a few
        # hundred requests a second each miss used to be computed by every request that arrived
        # while the first was still computing it.
        self._computing: dict[Hashable, asyncio.Future[ExecutionResult]] = {}

    async def answer(
        self,
        context: "Context",
        query: str,
        operation_name: str | None,
        variables: Mapping[str, Any] | None,
        compute: Callable[[], Awaitable[ExecutionResult]],
    ) -> ExecutionResult:
        """The kept answer to a cacheable operation, or `compute`'s, kept for the next caller."""
        # A query: its connection comes from the read engine, and the snapshot is read on it.
        context.read_only = True
        try:
            snapshot = (await (await context.connection()).execute(_SNAPSHOT)).scalar_one()
            arguments = json.dumps(variables, sort_keys=True, default=str) if variables else ""
            key = (snapshot, query, operation_name, arguments, viewer_key(context.viewer), context.today)
            answer = self.get(key)
            if answer is None:
                answer = await self.computed_once(key, compute)
            return answer
        finally:
            await context.close()

    async def computed_once(self, key: Hashable, compute: Callable[[], Awaitable[ExecutionResult]]) -> ExecutionResult:
        """`compute`'s answer, shared with the requests that ask for the same key meanwhile. If
        the computing request fails, answers with errors (a resolver's error is reported in the
        answer, not raised) or goes away, each waiting one computes its own."""
        if (computing := self._computing.get(key)) is not None:
            try:
                shared = await asyncio.shield(computing)
                if not shared.errors:
                    return shared
            except asyncio.CancelledError:
                if not computing.cancelled():
                    raise  # this request itself was cancelled
            except Exception:
                pass
            return await compute()
        computing = asyncio.get_running_loop().create_future()
        self._computing[key] = computing
        try:
            answer = await compute()
        except asyncio.CancelledError:
            computing.cancel()
            raise
        except Exception as error:
            computing.set_exception(error)
            computing.exception()  # retrieved: nobody may be waiting
            raise
        finally:
            del self._computing[key]
        computing.set_result(answer)
        self.keep(key, answer)
        return answer

    def get(self, key: Hashable) -> ExecutionResult | None:
        answer = self._answers.get(key)
        if answer is not None:
            self._answers.move_to_end(key)
        return answer

    def keep(self, key: Hashable, answer: ExecutionResult) -> None:
        if answer.errors:
            return
        self._answers[key] = answer
        self._answers.move_to_end(key)
        while len(self._answers) > self._size:
            self._answers.popitem(last=False)
