"""Every input gets a clean answer: a 4xx or a GraphQL error with `extensions.code`, never a 500
or a traceback; GraphQL-over-HTTP status codes; budgets, time limits, CORS and nodes(ids:)."""

import asyncio

import pytest

from api.budget import Budgets
from tests.api.client import Api
from tests.api.factories import government_ids

PING = "{ governments(kind: PROVINSI) { code } }"
RESPONSE_TYPE = "application/graphql-response+json"


@pytest.mark.parametrize("operation_name", [{"a": 1}, ["a"], 7])
async def test_an_operation_name_that_is_not_a_string_is_a_400(demo_api: Api, operation_name: object) -> None:
    response = await demo_api.client.post("/graphql", json={"query": PING, "operationName": operation_name})
    assert response.status_code == 400


@pytest.mark.parametrize(
    "body", [{"query": 5}, {"query": PING, "variables": [1]}, {"query": PING, "extensions": "x"}, [], "text"]
)
async def test_any_other_json_shape_is_a_4xx(demo_api: Api, body: object) -> None:
    response = await demo_api.client.post("/graphql", json=body)
    assert 400 <= response.status_code < 500


async def test_a_nul_character_in_an_argument_is_bad_input_naming_the_argument(demo_api: Api) -> None:
    [error] = await demo_api.errors('{ governments(parentCode: "@\\u0000") { code } }')
    assert error["extensions"] == {"code": "BAD_USER_INPUT", "argument": "parentCode"}
    [error] = await demo_api.errors("query($c: String) { governments(parentCode: $c) { code } }", {"c": "a\x00"})
    assert error["extensions"] == {"code": "BAD_USER_INPUT", "argument": "c"}


async def test_invalid_utf8_is_a_4xx(demo_api: Api) -> None:
    response = await demo_api.client.post(
        "/graphql", content=b'{"query": "{ __typename \xff }"}', headers={"content-type": "application/json"}
    )
    assert 400 <= response.status_code < 500


async def test_syntax_errors_carry_a_code(demo_api: Api) -> None:
    [error] = await demo_api.errors("{ governments(")
    assert error["extensions"]["code"] == "BAD_USER_INPUT"


@pytest.mark.parametrize("document", ["{ governments(", "{ noSuchField }", "query($n: Int!) { nodes(ids: []) { id } }"])
async def test_request_errors_are_400_without_data_under_the_graphql_response_media_type(
    demo_api: Api, document: str
) -> None:
    asked = await demo_api.post(document, accept=RESPONSE_TYPE)
    assert asked.status_code == 400
    assert "data" not in asked.json() and asked.json()["errors"]
    plain = await demo_api.post(document, accept="application/json")
    assert plain.status_code == 200 and plain.json()["data"] is None


async def test_a_field_error_is_200_with_data_under_either_media_type(demo_api: Api) -> None:
    response = await demo_api.post("{ indicators(first: 101) { totalCount } }", accept=RESPONSE_TYPE)
    assert response.status_code == 200 and "data" in response.json()


async def test_an_oversized_body_is_413(demo_url: str) -> None:
    async with Api.serving(demo_url, username=None, max_body_bytes=1000) as api:
        response = await api.post("{ __typename }" + " " * 2000)
        assert response.status_code == 413
        assert response.json()["errors"][0]["extensions"]["code"] == "PAYLOAD_TOO_LARGE"
        assert (await api.post(PING)).status_code == 200


async def test_a_body_of_another_media_type_is_415(demo_api: Api) -> None:
    response = await demo_api.client.post("/graphql", content=PING, headers={"content-type": "text/plain"})
    assert response.status_code == 415


async def test_an_operation_past_the_time_limit_is_stopped_with_a_code(demo_url: str) -> None:
    async with Api.serving(demo_url, username=None, request_timeout=1e-9) as api:
        province = (await api.post('{ government(code: "61") { id } }')).json()
        [error] = province["errors"]
        assert error["extensions"]["code"] == "TIMEOUT"
        assert (await api.client.get("/health")).json() == {"status": "ok"}


async def test_a_caller_over_its_budget_is_told_when_to_come_back(demo_url: str) -> None:
    budgets = Budgets(anonymous=100, user=10_000, api_client=10_000)
    async with Api.serving(demo_url, username=None, budgets=budgets) as api:
        first = await api.post(PING)  # 1 + 40 provinces × code 1
        assert first.status_code == 200
        assert first.headers["RateLimit-Limit"] == "100"
        assert int(first.headers["RateLimit-Remaining"]) == 59
        assert first.json()["extensions"]["cost"]["remaining"] == int(first.headers["RateLimit-Remaining"])
        costly = '{ government(code: "61") { children { code name } } }'  # 1 + 1 + 15 × 2 = 32
        await api.post(costly)
        refused = await api.post(costly)
        assert refused.status_code == 429
        assert int(refused.headers["Retry-After"]) > 0
        assert refused.json()["errors"][0]["extensions"]["code"] == "RATE_LIMITED"
        # Another caller has its own budget.
        async with api.from_address("10.9.8.7") as other:
            assert (await other.post(costly)).status_code == 200


async def test_cors_is_off_by_default_and_allows_only_the_named_origins(demo_url: str, demo_api: Api) -> None:
    preflight = {"origin": "https://dasbor.example", "access-control-request-method": "POST"}
    closed = await demo_api.client.options("/graphql", headers=preflight)
    assert "access-control-allow-origin" not in closed.headers
    async with Api.serving(demo_url, cors_origins=("https://dasbor.example",)) as api:
        allowed = await api.client.options("/graphql", headers=preflight)
        assert allowed.status_code == 200
        assert allowed.headers["access-control-allow-origin"] == "https://dasbor.example"
        other = await api.client.options("/graphql", headers={**preflight, "origin": "https://evil.example"})
        assert other.headers.get("access-control-allow-origin") != "https://evil.example"


NODES = "query($ids: [ID!]!) { nodes(ids: $ids) { id ... on Government { code } ... on OrgUnit { code } } }"


async def test_nodes_answers_in_the_order_asked_with_null_for_what_cannot_be_seen(demo_api: Api) -> None:
    pontianak = await government_ids(demo_api, "61.71")
    ids = [pontianak.government, "bm90IGFuIGlk", pontianak.root_unit]
    found = (await demo_api.execute(NODES, {"ids": ids}))["nodes"]
    assert [node and node["id"] for node in found] == [pontianak.government, None, pontianak.root_unit]


async def test_nodes_takes_at_most_a_hundred_ids(demo_api: Api) -> None:
    [error] = await demo_api.errors(NODES, {"ids": ["x"] * 101})
    assert error["extensions"]["code"] == "BAD_USER_INPUT"


SIBLINGS = """query($scope: ID!) {
  bad: indicators(first: 101) { totalCount }
  governments { code children { code rootUnit { name } } }
  rollup(scope: $scope, year: 2026, quarter: 2) { percent children { percent } }
  also: indicators(first: 5) { totalCount edges { node { code achievement(year: 2026) { percent } } } }
}"""


async def test_a_sibling_field_error_leaves_the_others_and_the_connection_alone(demo_api: Api) -> None:
    """One root field fails its input while siblings run SQL on the request's connection: the
    answer is that field's coded error, and nothing of the driver reaches the client."""
    scope = (await government_ids(demo_api, "61")).government
    for _ in range(5):
        body = (await demo_api.post(SIBLINGS, {"scope": scope})).json()
        codes = {error["extensions"]["code"] for error in body["errors"]}
        assert codes == {"BAD_USER_INPUT"}, body["errors"]
        assert all("psycopg" not in error["message"] for error in body["errors"])
    assert (await demo_api.client.get("/health")).json() == {"status": "ok"}


async def test_a_burst_past_the_pooled_connections_waits_and_is_served(demo_url: str) -> None:
    async with Api.serving(demo_url, username=None, request_timeout=None) as api:  # a pool of 4 (tests/api/client.py)
        answers = await asyncio.gather(*(api.post("{ governments(kind: PROVINSI) { code } }") for _ in range(12)))
        assert [a.status_code for a in answers] == [200] * 12


async def test_a_worker_past_its_requests_in_flight_answers_503_at_once(demo_url: str) -> None:
    async with Api.serving(demo_url, username=None, max_in_flight=1, max_waiting=0, request_timeout=None) as api:
        slow = "{ indicators(first: 100) { edges { node { code children { code children { code } } } } } }"
        answers = await asyncio.gather(*(api.post(slow) for _ in range(4)), return_exceptions=True)
        statuses = sorted(a.status_code for a in answers if not isinstance(a, BaseException))
        assert statuses[0] == 200 and statuses[-1] == 503, statuses
        shed = next(a for a in answers if not isinstance(a, BaseException) and a.status_code == 503)
        assert shed.headers["retry-after"] == "1"
        assert shed.json()["errors"][0]["extensions"]["code"] == "RATE_LIMITED"
        assert (await api.client.get("/health")).status_code == 200
