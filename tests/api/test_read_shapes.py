"""No N+1 in the read shapes third-party tools use (issue 15): an indicator page with its
totalCount, targets, realisations, achievement, unit and parent, and `nodes(ids:)` of indicators
and units together, each a fixed number of statements however many rows it answers."""

from tests.api.client import Api

PAGE = """query($first: Int!) { indicators(first: $first) { totalCount edges { node { id code name unitOfMeasure
  orgUnit { code government { code } } targets(year: 2026) { quarter value } realisations(year: 2026) { quarter value }
  achievement(year: 2026) { percent } parent { code } } } } }"""
NODES = """query($ids: [ID!]!) { nodes(ids: $ids) { id
  ... on Indicator { code targets(year: 2026) { value } realisations(year: 2026) { value } achievement(year: 2026) {
    percent } orgUnit { code government { code } } }
  ... on OrgUnit { code name parent { code } } } }"""


async def test_an_indicator_page_costs_the_same_statements_for_5_rows_or_100(demo_api: Api) -> None:
    admin = await demo_api.as_user("admin.61")
    await admin.count_statements(PAGE, {"first": 1})  # the session's first touch
    small, few = await admin.count_statements(PAGE, {"first": 5})
    large, many = await admin.count_statements(PAGE, {"first": 100})
    assert len(small["indicators"]["edges"]) == 5 and len(large["indicators"]["edges"]) == 100
    assert large["indicators"]["totalCount"] > 1000
    assert sum(len(e["node"]["realisations"]) for e in large["indicators"]["edges"]) > 100
    # One more at most: the larger page reaches indicators with a parent, the smaller none.
    assert many - few <= 1 and many <= 11


async def test_nodes_of_indicators_and_units_cost_the_same_statements_for_4_ids_or_100(demo_api: Api) -> None:
    admin = await demo_api.as_user("admin.61")
    ids = """{ indicators(first: 50) { edges { node { id orgUnit { id } } } } }"""
    edges = (await admin.execute(ids))["indicators"]["edges"]
    indicators = [e["node"]["id"] for e in edges]
    units = list(dict.fromkeys(e["node"]["orgUnit"]["id"] for e in edges))
    await admin.count_statements(NODES, {"ids": indicators[:1]})
    few_answer, few = await admin.count_statements(NODES, {"ids": indicators[:2] + units[:2]})
    many_answer, many = await admin.count_statements(NODES, {"ids": indicators + units})
    assert all(few_answer["nodes"]) and all(many_answer["nodes"]) and len(many_answer["nodes"]) > 50
    assert many == few
