"""Guardrails measured before anything walks a document: fragments count as expanded, each is
measured once, and what is over a limit is refused quickly with a coded error."""

import asyncio
import time

import pytest
from graphql import GraphQLList, GraphQLNonNull, GraphQLObjectType

from api.limits import LIST_BOUNDS
from api.schema import schema
from tests.api.client import Api


def fan_out(levels: int = 40) -> str:
    """Each fragment spreads the previous one twice: 2^levels fields once expanded, 1.8 KB written."""
    fragments = ["fragment F0 on Government { code }"]
    fragments += [f"fragment F{n} on Government {{ ...F{n - 1} ...F{n - 1} }}" for n in range(1, levels)]
    return " ".join(fragments) + f' {{ government(code: "61") {{ ...F{levels - 1} }} }}'


async def test_a_fragment_fan_out_is_refused_at_once_and_the_server_keeps_answering(demo_api: Api) -> None:
    anonymous = demo_api.anonymous()
    started = time.perf_counter()
    refused, health = await asyncio.gather(anonymous.post(fan_out()), anonymous.client.get("/health"))
    assert time.perf_counter() - started < 1.0
    assert health.json() == {"status": "ok"}
    [error] = refused.json()["errors"]
    assert error["extensions"]["code"] == "QUERY_TOO_COMPLEX"
    assert error["extensions"]["fields"] > 2**39 and "fields" in error["message"]


async def test_a_costly_request_within_every_other_limit_is_refused_with_its_cost(demo_api: Api) -> None:
    """29 aliased pages of 100 indicators, each with a four-level cascade (4.2 s and 2 MB before)."""
    cascade = "code children { code children { code children { code children { code } } } }"
    pages = " ".join(f"p{n}: indicators(first: 100) {{ edges {{ node {{ {cascade} }} }} }}" for n in range(29))
    [error] = (await demo_api.anonymous().post("{ " + pages + " }")).json()["errors"]
    assert error["extensions"]["code"] == "QUERY_TOO_COMPLEX"
    assert error["extensions"]["cost"] > error["extensions"]["limit"] == 50_000


async def test_every_answer_reports_its_cost(demo_api: Api) -> None:
    body = (await demo_api.post('{ government(code: "61") { children { code } } }')).json()
    # government 1 + its children (1 + 15, the declared bound, × code 1)
    assert body["extensions"]["cost"] == {"requested": 17, "limit": 200_000}


async def test_signed_in_callers_have_a_larger_limit_than_anonymous_ones(demo_api: Api) -> None:
    cascade = "code"
    for _ in range(6):
        cascade = f"code children {{ {cascade} }}"  # six levels of pohon kinerja, 3 children each
    page = "{ indicators(first: 100) { edges { node { " + cascade + " } } } }"
    refused = (await demo_api.anonymous().post(page)).json()
    assert refused["errors"][0]["extensions"] == {"code": "QUERY_TOO_COMPLEX", "cost": 145_901, "limit": 50_000}
    assert "errors" not in (await demo_api.post(page)).json()


@pytest.mark.parametrize(
    ("document", "code"),
    [
        ("query { governments { " + "children { " * 20 + "code" + " }" * 20 + " } }", "BAD_USER_INPUT"),
        ("{ " + " ".join(f"a{n}: __typename" for n in range(31)) + " }", "BAD_USER_INPUT"),
    ],
    ids=["depth", "aliases"],
)
async def test_depth_and_aliases_count_through_fragments(demo_api: Api, document: str, code: str) -> None:
    through_fragment = (
        f"fragment F on Query {{ {document[document.index('{') + 1 : document.rindex('}')]} }} {{ ...F }}"
    )
    for sent in (document, through_fragment):
        [error] = await demo_api.errors(sent)
        assert error["extensions"]["code"] == code


async def test_fragments_that_spread_each_other_are_left_to_validation(demo_api: Api) -> None:
    errors = await demo_api.errors("fragment A on Query { ...B } fragment B on Query { ...A } { ...A }")
    assert errors and all(e["extensions"]["code"] == "BAD_USER_INPUT" for e in errors)


def test_every_list_field_has_a_declared_bound() -> None:
    def is_list(field_type: object) -> bool:
        return isinstance(field_type.of_type if isinstance(field_type, GraphQLNonNull) else field_type, GraphQLList)

    lists = {
        f"{name}.{field_name}"
        for name, graphql_type in schema._schema.type_map.items()
        if isinstance(graphql_type, GraphQLObjectType) and not name.startswith("__")
        for field_name, field in graphql_type.fields.items()
        if is_list(field.type) and field_name != "userErrors"
    }
    assert lists - set(LIST_BOUNDS) == set()
    assert set(LIST_BOUNDS) - lists == set()


async def test_a_kept_measurement_follows_the_variables_it_depends_on(demo_api: Api) -> None:
    page = "query($n: Int) { indicators(first: $n) { totalCount } }"
    costs = [(await demo_api.post(page, {"n": n})).json()["extensions"]["cost"]["requested"] for n in (1, 50, 1)]
    assert costs == [2, 51, 2]  # 1 + first × totalCount


async def test_a_batch_costs_the_rows_it_sends_not_the_largest_batch(demo_api: Api) -> None:
    mutation = """mutation($input: SubmitRealisationsInput!) {
      submitRealisations(input: $input) { realisations { value } userErrors { code } } }"""
    rows = [{"indicatorId": "x", "year": 2026, "quarter": 1, "value": "1"}] * 3
    body = (await demo_api.post(mutation, {"input": {"idempotencyKey": "cost", "realisations": rows}})).json()
    assert body["extensions"]["cost"]["requested"] == 1 + (1 + 3 * 1)  # the payload's rows × value
