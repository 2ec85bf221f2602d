"""Prepared completion (schema/completion.py) answers exactly what graphql-core's general
completion answers, for every shape of selection, and falls back where it cannot."""

from typing import Any

import pytest
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext

from schema.completion import CompletingExecutionContext
from schema.schema import schema
from tests.api.client import Api
from tests.api.factories import government_ids

FIGURES = "year quarter percent category indicatorCount countedCount missingCount byCategory { category count }"
SELECTIONS = {
    "figures and scopes": f"{FIGURES} scope {{ id code name }} children {{ {FIGURES} scope {{ code name }} }}",
    "aliases, typename, fragments": """
        __typename total: indicatorCount ...Cat
        scope { __typename ... on Node { id } ... on Government { code kind } ... on OrgUnit { code unitKind: kind } }
        rows: children { ...Cat counted: countedCount scope { name } ... on Rollup { percent } }
    """,
    "skip and include": """
        percent @include(if: $yes) category @skip(if: $yes) indicatorCount @skip(if: $no)
        children @include(if: $yes) { scope @skip(if: $no) { code } missingCount }
    """,
    # Child rows' own children are loaded on demand: the general path takes over.
    "grandchildren": f"indicatorCount children {{ code: scope {{ code }} children {{ {FIGURES} }} }}",
    # A field with arguments below a scope is not prepared: the general path again.
    "field with arguments": "scope { ... on Government { rollup(year: 2025) { percent } } } children { percent }",
}


def query_of(selection: str) -> str:
    fragment = "fragment Cat on Rollup { byCategory { count category } }" if "...Cat" in selection else ""
    flags = ", $yes: Boolean! = true, $no: Boolean! = false" if "$yes" in selection else ""
    return f"{fragment} query($scope: ID!{flags}) {{ rollup(scope: $scope, year: 2026, quarter: 2) {{ {selection} }} }}"


async def both_ways(api: Api, monkeypatch: pytest.MonkeyPatch, query: str, scope: str) -> tuple[Any, Any]:
    prepared = (await api.post(query, {"scope": scope})).json()
    with monkeypatch.context() as patched:
        patched.setattr(schema, "execution_context_class", StrawberryGraphQLCoreExecutionContext)
        general = (await api.post(query, {"scope": scope})).json()
    return prepared, general


@pytest.mark.parametrize("selection", SELECTIONS.values(), ids=SELECTIONS.keys())
@pytest.mark.parametrize("code", ["61", "61.71"])
@pytest.mark.parametrize("username", ["reviewer.61", "operator.61.71", None])
async def test_prepared_equals_general(
    demo_api: Api, monkeypatch: pytest.MonkeyPatch, selection: str, code: str, username: str | None
) -> None:
    api = await demo_api.as_user(username) if username else demo_api.anonymous()
    scope = (await government_ids(demo_api, code)).government
    prepared, general = await both_ways(api, monkeypatch, query_of(selection), scope)
    assert "errors" not in general, general
    assert prepared == general


async def test_the_prepared_path_is_taken(demo_api: Api, monkeypatch: pytest.MonkeyPatch) -> None:
    completed: list[str] = []
    original = CompletingExecutionContext._complete_object

    def spy(self: CompletingExecutionContext, object_type: Any, fields: Any, value: Any) -> dict[str, Any]:
        completed.append(object_type.name)
        return original(self, object_type, fields, value)

    monkeypatch.setattr(CompletingExecutionContext, "_complete_object", spy)
    scope = (await government_ids(demo_api, "61")).government
    data = await demo_api.execute(query_of(SELECTIONS["figures and scopes"]), {"scope": scope})
    assert data["rollup"]["children"]
    # The rollup, its child rows, their scopes and category counts: all completed in one pass.
    assert {"Rollup", "Government", "OrgUnit", "CategoryCount"} <= set(completed)


async def test_a_prepared_value_the_schema_forbids_falls_back_to_the_resolvers(
    demo_api: Api, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A null for the non-null `children` is not passed on: the general path resolves the field."""
    monkeypatch.setattr("schema.types.Rollup.prepared_value", lambda self, name: None)
    scope = (await government_ids(demo_api, "61")).government
    body = (await demo_api.post(query_of("indicatorCount children { indicatorCount }"), {"scope": scope})).json()
    assert body["data"]["rollup"]["children"]  # children resolved by their resolver after the fallback
