"""Indicators: the connection, the cascade, values and computed achievement."""

from typing import Any

import pytest

from tests.api.client import Api
from tests.api.factories import create_indicator, government_ids, set_targets, submit

INDICATORS = """
query Indicators($filter: IndicatorFilter, $first: Int, $after: String) {
  indicators(filter: $filter, first: $first, after: $after) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges { cursor node { id code isKey orgUnit { code } } }
  }
}
"""

CASCADE = """
query Cascade($id: ID!) {
  node(id: $id) {
    ... on Indicator {
      code name polarity achievementMethod periodAggregation
      parent { code orgUnit { name } parent { code orgUnit { name } } }
      children { code orgUnit { kind } }
    }
  }
}
"""

ACHIEVEMENT = """
query Achievement($id: ID!, $year: Int!, $quarter: Int) {
  node(id: $id) {
    ... on Indicator {
      achievement(year: $year, quarter: $quarter) { year quarter target targetHigh realisation percent category reason }
    }
  }
}
"""


async def pontianak_unit(api: Api, code: str) -> str:
    tree = await api.execute('query { government(code: "61.71") { rootUnit { children { id code } } } }')
    unit_id: str = next(u["id"] for u in tree["government"]["rootUnit"]["children"] if u["code"] == code)
    return unit_id


async def all_pages(api: Api, filter: dict[str, Any], first: int) -> tuple[list[dict[str, Any]], int]:
    nodes, after, total = [], None, -1
    while True:
        page = (await api.execute(INDICATORS, {"filter": filter, "first": first, "after": after}))["indicators"]
        nodes += [edge["node"] for edge in page["edges"]]
        total = page["totalCount"]
        if not page["pageInfo"]["hasNextPage"]:
            return nodes, total
        after = page["pageInfo"]["endCursor"]


async def test_paging_through_a_subtree_visits_each_indicator_once(demo_api: Api) -> None:
    pontianak = await government_ids(demo_api, "61.71")
    nodes, total = await all_pages(demo_api, {"subtreeOf": pontianak.government}, first=30)
    assert len(nodes) == total == len({n["id"] for n in nodes})
    assert total > 60


async def test_filters_by_unit_and_key_indicator(demo_api: Api) -> None:
    dinkes = await pontianak_unit(demo_api, "DINKES")
    own = (await demo_api.execute(INDICATORS, {"filter": {"orgUnitId": dinkes}}))["indicators"]
    assert [e["node"]["code"] for e in own["edges"]] == ["DINKES-01", "DINKES-02"]
    below = (await demo_api.execute(INDICATORS, {"filter": {"subtreeOf": dinkes}, "first": 100}))["indicators"]
    assert below["totalCount"] > own["totalCount"]
    key = (await demo_api.execute(INDICATORS, {"filter": {"subtreeOf": dinkes, "isKey": True}}))["indicators"]
    assert [e["node"]["code"] for e in key["edges"]] == ["DINKES-01"]


@pytest.mark.parametrize(
    "variables",
    [{"first": 101}, {"first": -1}, {"after": "bm90LWEtY3Vyc29y"}, {"filter": {"orgUnitId": "garbage"}}],
)
async def test_bad_connection_arguments_are_bad_user_input(demo_api: Api, variables: dict[str, Any]) -> None:
    errors = await demo_api.errors(INDICATORS, variables)
    assert [e["extensions"]["code"] for e in errors] == ["BAD_USER_INPUT"]


async def test_cascade_runs_from_agency_to_kota_to_province(demo_api: Api) -> None:
    dinkes = await pontianak_unit(demo_api, "DINKES")
    page = (await demo_api.execute(INDICATORS, {"filter": {"orgUnitId": dinkes, "isKey": True}}))["indicators"]
    node = (await demo_api.execute(CASCADE, {"id": page["edges"][0]["node"]["id"]}))["node"]
    assert (node["code"], node["polarity"], node["achievementMethod"]) == ("DINKES-01", "LOWER_IS_BETTER", "MIRROR")
    assert node["parent"]["code"] == "IKU-01"
    assert node["parent"]["orgUnit"]["name"] == "Pemerintah Kota Pontianak"
    assert node["parent"]["parent"]["orgUnit"]["name"] == "Pemerintah Provinsi Kalimantan Barat"
    assert {c["orgUnit"]["kind"] for c in node["children"]} == {"ESELON_III"}


async def achievement(api: Api, indicator: str, year: int, quarter: int | None) -> dict[str, Any]:
    data = await api.execute(ACHIEVEMENT, {"id": indicator, "year": year, "quarter": quarter})
    result: dict[str, Any] = data["node"]["achievement"]
    return result


async def test_quarterly_achievement_is_year_to_date_against_the_quarter_target(fresh_api: Api) -> None:
    ids = await government_ids(fresh_api, "61.72")
    count = await create_indicator(fresh_api, ids.root_unit, "A-01", periodAggregation="SUM", unitOfMeasure="orang")
    await set_targets(
        fresh_api,
        [
            {"indicatorId": count, "year": 2026, "value": "100"},
            {"indicatorId": count, "year": 2026, "quarter": 2, "value": "40"},
        ],
    )
    await submit(
        fresh_api,
        [{"indicatorId": count, "year": 2026, "quarter": q, "value": v} for q, v in ((1, "10"), (2, "20"), (3, "30"))],
        key="a-01",
    )
    assert await achievement(fresh_api, count, 2026, 2) == {
        "year": 2026,
        "quarter": 2,
        "target": "40",
        "targetHigh": None,
        "realisation": "30",
        "percent": "75",
        "category": "SEDANG",
        "reason": None,
    }
    q3 = await achievement(fresh_api, count, 2026, 3)
    assert (q3["target"], q3["realisation"], q3["percent"], q3["category"]) == ("100", "60", "60", "RENDAH")
    year = await achievement(fresh_api, count, 2026, None)
    assert (year["percent"], year["reason"]) == (None, "NO_REALISATION")


async def test_mirror_ordinal_range_and_zero_cases(fresh_api: Api) -> None:
    ids = await government_ids(fresh_api, "61.72")
    poverty = await create_indicator(fresh_api, ids.root_unit, "M-01", polarity="LOWER_IS_BETTER")
    grade = await create_indicator(fresh_api, ids.root_unit, "O-01", ordinalScale="SAKIP_GRADE")
    band = await create_indicator(fresh_api, ids.root_unit, "G-01", achievementMethod="RANGE")
    cases = await create_indicator(
        fresh_api, ids.root_unit, "Z-01", polarity="LOWER_IS_BETTER", achievementMethod="INVERSE"
    )
    await set_targets(
        fresh_api,
        [
            {"indicatorId": poverty, "year": 2025, "value": "10"},
            {"indicatorId": grade, "year": 2025, "grade": "BB"},
            {"indicatorId": band, "year": 2025, "value": "70", "high": "80"},
            {"indicatorId": cases, "year": 2025, "value": "5"},
        ],
    )
    await submit(
        fresh_api,
        [
            {"indicatorId": poverty, "year": 2025, "quarter": 4, "value": "8"},
            {"indicatorId": grade, "year": 2025, "quarter": 4, "grade": "B"},
            {"indicatorId": band, "year": 2025, "quarter": 4, "value": "88"},
            {"indicatorId": cases, "year": 2025, "quarter": 4, "value": "0"},
        ],
        key="mixed",
    )
    assert (await achievement(fresh_api, poverty, 2025, None))["percent"] == "120"
    assert (await achievement(fresh_api, grade, 2025, None))["percent"] == "80"
    assert (await achievement(fresh_api, band, 2025, None))["percent"] == "110"
    zero = await achievement(fresh_api, cases, 2025, None)
    assert (zero["percent"], zero["category"], zero["reason"]) == (None, None, "ZERO_REALISATION")


async def test_computed_realisation_comes_from_cascade_children(fresh_api: Api) -> None:
    ids = await government_ids(fresh_api, "61.72")
    total = await create_indicator(
        fresh_api, ids.root_unit, "C-01", periodAggregation="SUM", rollupFromChildren="SUM", unitOfMeasure="keluarga"
    )
    agency = (await fresh_api.execute('query { government(code: "61.72") { rootUnit { children { id } } } }'))[
        "government"
    ]["rootUnit"]["children"][0]["id"]
    first = await create_indicator(fresh_api, agency, "C-01a", periodAggregation="SUM", parentId=total)
    second = await create_indicator(fresh_api, agency, "C-01b", periodAggregation="SUM", parentId=total)
    await set_targets(fresh_api, [{"indicatorId": total, "year": 2026, "value": "200"}])
    await submit(
        fresh_api,
        [
            {"indicatorId": first, "year": 2026, "quarter": 1, "value": "30"},
            {"indicatorId": second, "year": 2026, "quarter": 1, "value": "20"},
            {"indicatorId": first, "year": 2026, "quarter": 2, "value": "40"},
        ],
        key="children",
    )
    q1 = await achievement(fresh_api, total, 2026, 1)
    assert (q1["realisation"], q1["percent"]) == ("50", "25")
    # Q2 lacks the second child's figure: the parent is missing rather than silently partial.
    assert (await achievement(fresh_api, total, 2026, 2))["reason"] == "NO_REALISATION"


@pytest.mark.parametrize(("year", "quarter"), [(2026, 5), (2026, 0), (1800, None)])
async def test_achievement_for_an_impossible_period_is_bad_user_input(
    demo_api: Api, year: int, quarter: int | None
) -> None:
    pontianak = await government_ids(demo_api, "61.71")
    page = await demo_api.execute(INDICATORS, {"filter": {"subtreeOf": pontianak.government}, "first": 1})
    indicator = page["indicators"]["edges"][0]["node"]["id"]
    errors = await demo_api.errors(ACHIEVEMENT, {"id": indicator, "year": year, "quarter": quarter})
    assert [e["extensions"]["code"] for e in errors] == ["BAD_USER_INPUT"]
