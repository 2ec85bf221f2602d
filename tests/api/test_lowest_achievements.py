"""The indicators furthest below target under a kab/kota or a unit: lowest first, the same
figures as each indicator's own achievement, only what the caller may read, a fixed number of
statements whatever the scope's size."""

from decimal import Decimal

from tests.api.client import Api

LOWEST = """
query($scope: ID!, $year: Int!, $quarter: Int, $first: Int) {
  lowestAchievements(scope: $scope, year: $year, quarter: $quarter, first: $first) {
    indicator { id code orgUnit { code } }
    achievement { percent category realisation target }
  }
}
"""
OWN = """
query($id: ID!, $year: Int!, $quarter: Int) {
  node(id: $id) { ... on Indicator { achievement(year: $year, quarter: $quarter) { percent category } } }
}
"""
IDS = "query($code: String!) { government(code: $code) { id rootUnit { children { id code } } } }"


async def test_the_lowest_achievements_of_a_kota_are_its_indicators_own_figures(demo_api: Api) -> None:
    reviewer = await demo_api.as_user("reviewer.61.71")
    pontianak = (await demo_api.execute(IDS, {"code": "61.71"}))["government"]
    variables = {"scope": pontianak["id"], "year": 2026, "quarter": 2, "first": 8}
    found = (await reviewer.execute(LOWEST, variables))["lowestAchievements"]
    assert len(found) == 8
    percents = [Decimal(row["achievement"]["percent"]) for row in found]
    assert percents == sorted(percents)
    for row in found[:3]:
        own = await reviewer.execute(OWN, {"id": row["indicator"]["id"], "year": 2026, "quarter": 2})
        assert own["node"]["achievement"]["percent"] == row["achievement"]["percent"]
    # Within one agency: only its indicators.
    dinkes = next(u["id"] for u in pontianak["rootUnit"]["children"] if u["code"] == "DINKES")
    agency = (await reviewer.execute(LOWEST, {**variables, "scope": dinkes}))["lowestAchievements"]
    assert agency and all(Decimal(r["achievement"]["percent"]) >= percents[0] for r in agency)
    # A citizen sees only published figures: 2026's reports are not published yet, 2025's are.
    citizen = demo_api.anonymous()
    assert (await citizen.execute(LOWEST, variables))["lowestAchievements"] == []
    published = (await citizen.execute(LOWEST, {**variables, "year": 2025, "quarter": None}))["lowestAchievements"]
    assert published
    for row in published[:3]:
        own = await citizen.execute(OWN, {"id": row["indicator"]["id"], "year": 2025, "quarter": None})
        assert own["node"]["achievement"]["percent"] == row["achievement"]["percent"]


async def test_a_province_is_asked_per_kota_and_first_is_bounded(demo_api: Api) -> None:
    reviewer = await demo_api.as_user("reviewer.61")
    province = (await demo_api.execute(IDS, {"code": "61"}))["government"]["id"]
    errors = await reviewer.errors(LOWEST, {"scope": province, "year": 2026, "quarter": 2, "first": 5})
    assert [e["extensions"]["code"] for e in errors] == ["BAD_USER_INPUT"]
    pontianak = (await demo_api.execute(IDS, {"code": "61.71"}))["government"]["id"]
    errors = await reviewer.errors(LOWEST, {"scope": pontianak, "year": 2026, "quarter": 2, "first": 0})
    assert [e["extensions"]["code"] for e in errors] == ["BAD_USER_INPUT"]


async def test_the_statements_do_not_grow_with_the_scope(demo_api: Api) -> None:
    reviewer = await demo_api.as_user("reviewer.61")
    small = (await demo_api.execute(IDS, {"code": "61.71"}))["government"]["rootUnit"]["children"][0]["id"]
    large = (await demo_api.execute(IDS, {"code": "61.71"}))["government"]["id"]
    _, few = await reviewer.count_statements(LOWEST, {"scope": small, "year": 2026, "quarter": 2, "first": 10})
    _, many = await reviewer.count_statements(LOWEST, {"scope": large, "year": 2026, "quarter": 2, "first": 10})
    assert few == many
