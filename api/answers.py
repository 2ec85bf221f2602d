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

`api.extensions.KeptAnswers` serves them: in `on_execute`, a kept (or shared) answer becomes
the operation's result and execution is skipped; a computed one is kept.
"""

import asyncio
import contextlib
import functools
from collections import OrderedDict
from collections.abc import AsyncIterator, Hashable
from dataclasses import dataclass

from graphql import ExecutionResult, FieldNode, GraphQLError, OperationDefinitionNode, OperationType, parse

from policies.viewer import Viewer

# Root fields whose answer depends only on the database, the caller's scopes, the arguments and
# the day (a monev ranking's reports become due with the day).
CACHEABLE_FIELDS = frozenset({"rollup", "ranking", "earlyWarnings", "rewardList", "monevRule", "__typename"})


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


@dataclass
class Answer:
    """What `AnswerCache.answering` hands its caller: the answer to serve, when one was kept or
    shared; otherwise the caller computes it and sets `result`."""

    result: ExecutionResult | None = None


class AnswerCache:
    """A bounded least-recently-used map from (snapshot, request) to a complete answer."""

    def __init__(self, size: int) -> None:
        self._size = size
        self._answers: OrderedDict[Hashable, ExecutionResult] = OrderedDict()
        # Answers being computed. After a write every kept answer misses at once, and at a few
        # hundred requests a second each miss used to be computed by every request that arrived
        # while the first was still computing it.
        self._computing: dict[Hashable, asyncio.Future[ExecutionResult]] = {}

    @contextlib.asynccontextmanager
    async def answering(self, key: Hashable) -> AsyncIterator[Answer]:
        """The kept answer for `key`, or the one being computed for it meanwhile; when neither
        is there (`result` None) the caller computes it inside the block. The first caller's
        answer is kept and shared with those that wait for it; if that computation fails,
        answers with errors (a resolver's error is reported in the answer, not raised) or goes
        away, each waiting caller computes its own."""
        kept = self.get(key)
        if kept is not None:
            yield Answer(kept)
            return
        if (computing := self._computing.get(key)) is not None:
            yield Answer(await _shared(computing))
            return
        computing = asyncio.get_running_loop().create_future()
        self._computing[key] = computing
        answer = Answer()
        try:
            yield answer
        except asyncio.CancelledError:
            computing.cancel()
            raise
        except BaseException as error:
            computing.set_exception(error)
            computing.exception()  # retrieved: nobody may be waiting
            raise
        finally:
            del self._computing[key]
        if answer.result is None:
            computing.cancel()
            return
        computing.set_result(answer.result)
        self.keep(key, answer.result)

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


async def _shared(computing: "asyncio.Future[ExecutionResult]") -> ExecutionResult | None:
    """The answer another request is computing, or None when it will not come without errors."""
    try:
        shared = await asyncio.shield(computing)
    except asyncio.CancelledError:
        if not computing.cancelled():
            raise  # this request itself was cancelled
        return None
    except Exception:
        return None
    return None if shared.errors else shared
