"""Prepared completion (api/completion.py) and subtrees loaded ahead (resolvers/subtree.py)
answer exactly what graphql-core's general completion over the resolvers answers, for every
shape of selection, and fall back where they cannot."""

from typing import Any

import pytest
import strawberry
from strawberry.permission import BasePermission
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext

from api.completion import CompletingExecutionContext, refuse_unprepared_guards
from api.schema import schema
from schema.prepared import Prepared
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


async def both_ways(
    api: Api, monkeypatch: pytest.MonkeyPatch, query: str, scope: str, variable: str = "scope"
) -> tuple[Any, Any]:
    prepared = (await api.post(query, {variable: scope})).json()
    with monkeypatch.context() as patched:
        patched.setattr(schema, "execution_context_class", StrawberryGraphQLCoreExecutionContext)
        general = (await api.post(query, {variable: scope})).json()
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
    compiled: list[str] = []
    completed_generally: list[str] = []
    compile_object = CompletingExecutionContext._object_completer
    complete_value = CompletingExecutionContext.complete_value

    def compile_spy(self: CompletingExecutionContext, object_type: Any, fields: Any) -> Any:
        compiled.append(object_type.name)
        return compile_object(self, object_type, fields)

    def complete_spy(self: CompletingExecutionContext, return_type: Any, *args: Any) -> Any:
        completed_generally.append(str(return_type))
        return complete_value(self, return_type, *args)

    scope = (await government_ids(demo_api, "61")).government
    monkeypatch.setattr(CompletingExecutionContext, "_object_completer", compile_spy)
    monkeypatch.setattr(CompletingExecutionContext, "complete_value", complete_spy)
    data = await demo_api.execute(query_of(SELECTIONS["figures and scopes"]), {"scope": scope})
    assert data["rollup"]["children"]
    # The rollup, its child rows, their scopes and category counts: all completed in one pass,
    # graphql-core completing only the root field's value.
    assert {"Rollup", "Government", "OrgUnit", "CategoryCount"} <= set(compiled)
    assert completed_generally == ["Rollup"]


async def test_a_prepared_value_the_schema_forbids_falls_back_to_the_resolvers(
    demo_api: Api, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A null for the non-null `children` is not passed on: the general path resolves the field."""
    monkeypatch.setattr("schema.types.Rollup.prepared_value", lambda self, name, arguments: None)
    scope = (await government_ids(demo_api, "61")).government
    body = (await demo_api.post(query_of("indicatorCount children { indicatorCount }"), {"scope": scope})).json()
    assert body["data"]["rollup"]["children"]  # children resolved by their resolver after the fallback


ACHIEVEMENT = "achievement(year: 2026, quarter: 2) { percent category reason realisation target }"
TREES = {
    "nested tree": f"""code name indicators {{ code {ACHIEVEMENT} }}
        children {{ code indicators {{ code {ACHIEVEMENT} }}
                    children {{ code indicators {{ code {ACHIEVEMENT} }} }} }}""",
    "two periods, one from a variable": f"""indicators {{ {ACHIEVEMENT} year: achievement(year: $year) {{ percent }} }}
        children {{ indicators {{ ...Values }} }}""",
    # Not loaded ahead: children of a given year, targets, an indicator's own cascade children.
    "what is resolved as before": f"""children(year: 2026) {{ code indicators {{ {ACHIEVEMENT} }} }}
        indicators {{ targets(year: 2026) {{ value }} children {{ code {ACHIEVEMENT} }} orgUnit {{ code }} }}""",
    "an invalid quarter": "indicators { code achievement(year: 2026, quarter: 5) { percent } }",
}


def tree_query(selection: str) -> str:
    fragment = f"fragment Values on Indicator {{ code {ACHIEVEMENT} }}" if "...Values" in selection else ""
    year = ", $year: Int! = 2025" if "$year" in selection else ""
    return f"{fragment} query($id: ID!{year}) {{ node(id: $id) {{ ... on OrgUnit {{ {selection} }} }} }}"


@pytest.mark.parametrize("selection", TREES.values(), ids=TREES.keys())
@pytest.mark.parametrize("username", ["operator.61.71", "operator.61.71.dinkes", None])
async def test_subtrees_loaded_ahead_equal_the_resolvers(
    demo_api: Api, monkeypatch: pytest.MonkeyPatch, selection: str, username: str | None
) -> None:
    api = await demo_api.as_user(username) if username else demo_api.anonymous()
    root = (await government_ids(demo_api, "61.71")).root_unit
    prepared, general = await both_ways(api, monkeypatch, tree_query(selection), root, variable="id")
    assert prepared == general
    if "quarter: 5" not in selection:
        assert "errors" not in general, general


PAGE = f"""query($scope: ID!) {{ indicators(filter: {{subtreeOf: $scope}}, first: 50) {{ totalCount
  edges {{ cursor node {{ code {ACHIEVEMENT} annual: achievement(year: 2025) {{ percent category }} }} }} }} }}"""


@pytest.mark.parametrize("username", ["reviewer.61", "operator.61.71", None])
async def test_an_indicator_page_loaded_ahead_equals_the_resolvers(
    demo_api: Api, monkeypatch: pytest.MonkeyPatch, username: str | None
) -> None:
    api = await demo_api.as_user(username) if username else demo_api.anonymous()
    scope = (await government_ids(demo_api, "61.71")).government
    prepared, general = await both_ways(api, monkeypatch, PAGE, scope)
    assert "errors" not in general and general["data"]["indicators"]["edges"], general
    assert prepared == general


async def test_a_nested_tree_takes_a_statement_per_level(demo_api: Api) -> None:
    """Authentication, the unit, two levels of children, their indicators, and the achievement
    inputs of one period (rules, targets, realisations): eight statements, as many units as there are."""
    operator = await demo_api.as_user("operator.61.71")
    root = (await government_ids(demo_api, "61.71")).root_unit
    before = operator.statements
    data = await operator.execute(tree_query(TREES["nested tree"]), {"id": root})
    assert data["node"]["children"]
    assert operator.statements - before == 8


class NobodyMay(BasePermission):
    message = "no"

    def has_permission(self, source: Any, info: strawberry.Info, **kwargs: Any) -> bool:
        return False


@strawberry.type
class Guarded:
    @strawberry.field(permission_classes=[NobodyMay])  # type: ignore[untyped-decorator]
    def secret(self) -> str:
        return "secret"


@strawberry.type
class PreparedParent(Prepared):
    name: str

    @strawberry.field
    def child(self) -> Guarded:
        return Guarded()


@strawberry.type
class Root:
    @strawberry.field
    def parent(self) -> PreparedParent:
        return PreparedParent(name="x")

    @strawberry.field
    def guarded(self) -> Guarded:
        return Guarded()


def test_a_guarded_field_prepared_completion_could_reach_is_refused_when_the_schema_is_built() -> None:
    """Completed from a prepared value, `secret` would never ask its permission class."""
    with pytest.raises(TypeError, match=r"Guarded\.secret"):
        refuse_unprepared_guards(strawberry.Schema(query=Root))


def test_a_guarded_field_out_of_its_reach_is_allowed() -> None:
    @strawberry.type
    class Plain:
        @strawberry.field
        def guarded(self) -> Guarded:
            return Guarded()

    refuse_unprepared_guards(strawberry.Schema(query=Plain))
    refuse_unprepared_guards(schema)  # the real schema has no such field


COMPLIANCE = {
    "history and comments": """state status deadline orgUnit { code } report { id state
        history { action state actor at reason } comments { body author resolved parentId } }""",
    # deadline is not loaded ahead and a comment's indicator is a resolver: the general path.
    "what is resolved as before": "report { deadline orgUnit { code } comments { body indicator { code } } }",
}


@pytest.mark.parametrize("selection", COMPLIANCE.values(), ids=COMPLIANCE.keys())
@pytest.mark.parametrize("username", ["reviewer.61", "operator.61.71"])
async def test_a_compliance_list_loaded_ahead_equals_the_resolvers(
    demo_api: Api, monkeypatch: pytest.MonkeyPatch, selection: str, username: str
) -> None:
    api = await demo_api.as_user(username)
    scope = (await government_ids(demo_api, "61.71")).government
    query = f"query($scope: ID!) {{ reportingCompliance(scope: $scope, year: 2026, quarter: 2) {{ {selection} }} }}"
    prepared, general = await both_ways(api, monkeypatch, query, scope)
    assert "errors" not in general, general
    assert prepared == general and general["data"]["reportingCompliance"]


@pytest.mark.parametrize("total", ["", "totalCount"])
async def test_an_audit_page_completed_in_one_pass_equals_the_resolvers(
    demo_api: Api, monkeypatch: pytest.MonkeyPatch, total: str
) -> None:
    api = await demo_api.as_user("reviewer.61")
    scope = (await government_ids(demo_api, "61.71")).government
    entry = "id at actor action entityType entityId old new reason"
    query = f"""query($scope: ID!) {{ auditLog(filter: {{scope: $scope}}, first: 50) {{ {total}
      pageInfo {{ hasNextPage endCursor }} edges {{ cursor node {{ {entry} }} }} }} }}"""
    prepared, general = await both_ways(api, monkeypatch, query, scope)
    assert "errors" not in general, general
    assert prepared == general and general["data"]["auditLog"]["edges"]
