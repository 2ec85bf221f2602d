"""Rollup answers kept per database snapshot (api/answers.py): a repeated rollup costs two
statements, any committed write is seen by the next request, callers with different scopes
never share an answer, and a missing answer is computed once however many ask for it at once."""

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

import pytest
from graphql import ExecutionResult, GraphQLError

from api.answers import AnswerCache, cacheable
from tests.api.client import Api
from tests.api.factories import government_ids, submit
from tests.api.test_rollup import ROLLUP


async def computed_once(
    cache: AnswerCache, key: str, compute: Callable[[], Awaitable[ExecutionResult]]
) -> ExecutionResult:
    """What KeptAnswers does around an execution: the kept or shared answer, else its own."""
    async with cache.answering(key) as answer:
        if answer.result is None:
            answer.result = await compute()
        return answer.result


def asking(scope: str, year: int = 2026, quarter: int | None = 3) -> dict[str, Any]:
    return {"scope": scope, "year": year, "quarter": quarter}


async def test_a_repeated_rollup_runs_only_authentication_and_the_snapshot(fresh_api: Api) -> None:
    province = await government_ids(fresh_api, "61")
    first, computing = await fresh_api.count_statements(ROLLUP, asking(province.government))
    again, kept = await fresh_api.count_statements(ROLLUP, asking(province.government))
    assert again == first
    # Computed: authentication, the snapshot, then the structure and the summed aggregates of
    # the scope, and again of its child rows (whose own children are asked for).
    assert (kept, computing) == (2, 6)
    # Other arguments are another answer.
    other, statements = await fresh_api.count_statements(ROLLUP, asking(province.government, quarter=2))
    assert other != first and statements == computing


async def test_a_computed_rollup_runs_three_statements(fresh_url: str) -> None:
    """Authentication, the scopes' structure (governments and units in one statement) and the
    aggregates summed per child row: for a province and for a kabupaten/kota alike."""
    query = """query($scope: ID!, $year: Int!, $quarter: Int) { rollup(scope: $scope, year: $year, quarter: $quarter) {
        percent byCategory { count } children { scope { ... on Government { code } ... on OrgUnit { code } } percent }
    } }"""
    async with Api.serving(fresh_url, answer_cache_size=0) as api:
        for code in ("61", "61.71"):
            data, statements = await api.count_statements(query, asking((await government_ids(api, code)).government))
            assert data["rollup"]["children"] and statements == 3, (code, statements)


async def test_a_committed_write_is_in_the_next_answer(fresh_url: str) -> None:
    async with (
        Api.serving(fresh_url) as api,
        Api.serving(fresh_url, answer_cache_size=0) as computing,
    ):
        kayong_utara = await government_ids(api, "61.11")
        before = (await api.execute(ROLLUP, asking(kayong_utara.government)))["rollup"]
        edges = await api.execute(
            "query($id: ID!) { indicators(filter: {orgUnitId: $id}) { edges { node { id code } } } }",
            {"id": kayong_utara.root_unit},
        )
        tpt = next(e["node"]["id"] for e in edges["indicators"]["edges"] if e["node"]["code"] == "IKU-03")
        # Written through the other server: the answer kept here must not survive it.
        await submit(computing, [{"indicatorId": tpt, "year": 2026, "quarter": 3, "value": "4.8"}], key="tpt-q3")
        after = (await api.execute(ROLLUP, asking(kayong_utara.government)))["rollup"]
        assert after["countedCount"] == before["countedCount"] + 1
        assert after == (await computing.execute(ROLLUP, asking(kayong_utara.government)))["rollup"]


async def test_callers_with_other_scopes_get_their_own_answers(fresh_url: str) -> None:
    async with (
        Api.serving(fresh_url) as api,
        Api.serving(fresh_url, answer_cache_size=0) as computing,
    ):
        province = (await government_ids(api, "61")).government
        callers = {
            "reviewer.61": (await api.as_user("reviewer.61"), await computing.as_user("reviewer.61")),
            "operator.61.72": (await api.as_user("operator.61.72"), await computing.as_user("operator.61.72")),
            "anonymous": (api.anonymous(), computing.anonymous()),
        }
        answers = {}
        for name, (kept, computed) in callers.items():
            answers[name] = (await kept.execute(ROLLUP, asking(province)))["rollup"]
            assert answers[name] == (await computed.execute(ROLLUP, asking(province)))["rollup"], name
        # Each sees something else of the province (anonymous: nothing published for 2026 Q3 yet).
        counted = {name: answer and answer["countedCount"] for name, answer in answers.items()}
        assert len(set(counted.values())) == 3, counted


def test_only_queries_of_cacheable_root_fields_are_kept() -> None:
    assert cacheable('query { rollup(scope: "x", year: 2026) { percent } }', None)
    assert cacheable('query A { __typename rollup(scope: "x", year: 2026) { percent } }', "A")
    assert cacheable('query { ranking(scope: "x", year: 2026, month: 8) { state } rewardList(scope: "x", year: 2026) '
                     "{ state } }", None)  # fmt: skip
    assert not cacheable('query { rollup(scope: "x", year: 2026) { percent } me { username } }', None)
    assert not cacheable('query { ...F } fragment F on Query { rollup(scope: "x", year: 2026) { percent } }', None)
    assert not cacheable("mutation { logout { ok } }", None)
    assert not cacheable('query A { rollup(scope: "x", year: 2026) { percent } } query B { me { username } }', "B")
    assert not cacheable('query A { rollup(scope: "x", year: 2026) { percent } } query B { me { username } }', None)
    assert not cacheable("query {", None)


def test_answers_with_errors_are_not_kept_and_the_oldest_answer_goes_first() -> None:
    cache = AnswerCache(size=2)
    cache.keep("bad", ExecutionResult(data=None, errors=[GraphQLError("scope harus berupa id")]))
    assert cache.get("bad") is None
    for key in ("a", "b"):
        cache.keep(key, ExecutionResult(data={"rollup": key}, errors=None))
    assert cache.get("a") is not None  # now the most recently used
    cache.keep("c", ExecutionResult(data={"rollup": "c"}, errors=None))
    assert (cache.get("a"), cache.get("b")) == (ExecutionResult(data={"rollup": "a"}, errors=None), None)


async def test_concurrent_requests_for_one_missing_answer_compute_it_once(fresh_url: str) -> None:
    """After a write every kept answer misses; requests arriving while the first computes it wait
    for that answer: three at once run authentication and the snapshot each, the rollup once."""
    async with Api.serving(fresh_url) as api:
        province = (await government_ids(api, "61")).government
        before = api.statements
        answers = await asyncio.gather(*(api.execute(ROLLUP, asking(province)) for _ in range(3)))
        assert answers[0] == answers[1] == answers[2]
        assert api.statements - before == 3 * 2 + 4


async def test_a_failed_erring_or_abandoned_computation_leaves_each_waiting_request_to_compute_its_own() -> None:
    cache = AnswerCache(size=10)
    started, release = asyncio.Event(), asyncio.Event()
    computed: list[str] = []

    def computing(outcome: str) -> Callable[[], Awaitable[ExecutionResult]]:
        async def compute() -> ExecutionResult:
            computed.append(outcome)
            if outcome in ("fails", "errs", "abandoned"):
                started.set()
                await release.wait()
                if outcome == "fails":
                    raise RuntimeError("the database went away")
                if outcome == "errs":
                    return ExecutionResult(data=None, errors=[GraphQLError("the database went away")])
            return ExecutionResult(data={"rollup": outcome}, errors=None)

        return compute

    for first in ("fails", "errs", "abandoned"):
        started.clear()
        release.clear()
        computed.clear()
        leader = asyncio.create_task(computed_once(cache, first, computing(first)))
        await started.wait()
        waiters = [asyncio.create_task(computed_once(cache, first, computing("own"))) for _ in range(2)]
        await asyncio.sleep(0)  # the waiters are waiting on the leader's answer
        if first == "abandoned":
            leader.cancel()
        release.set()
        answers = await asyncio.gather(*waiters)
        assert [a.data for a in answers] == [{"rollup": "own"}] * 2
        assert computed == [first, "own", "own"]
        if first == "errs":
            assert (await leader).errors
            continue
        with pytest.raises((RuntimeError, asyncio.CancelledError)):
            await leader


async def test_requests_waiting_on_a_computation_share_its_answer() -> None:
    cache = AnswerCache(size=10)
    calls = 0

    async def compute() -> ExecutionResult:
        nonlocal calls
        calls += 1
        await asyncio.sleep(0.01)
        return ExecutionResult(data={"rollup": calls}, errors=None)

    answers = await asyncio.gather(*(computed_once(cache, "key", compute) for _ in range(5)))
    assert calls == 1 and all(a.data == {"rollup": 1} for a in answers)
    assert cache.get("key") is answers[0]
