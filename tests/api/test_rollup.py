"""Rollups of a province, a kota and a unit: counts, child rows and the weighted, capped mean."""

from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from tests.api.client import Api
from tests.api.factories import government_ids, submit

ROLLUP = """
fragment Figures on Rollup { year quarter percent category indicatorCount countedCount missingCount
                             byCategory { category count } }
query Rollup($scope: ID!, $year: Int!, $quarter: Int) {
  rollup(scope: $scope, year: $year, quarter: $quarter) {
    ...Figures
    scope { id __typename ... on Government { code } ... on OrgUnit { code kind } }
    children {
      ...Figures
      scope { id __typename ... on Government { code } ... on OrgUnit { code kind } }
      children { ...Figures }
    }
  }
}
"""

SUBTREE_ACHIEVEMENTS = """
query SubtreeAchievements($scope: ID!, $year: Int!, $quarter: Int, $after: String) {
  indicators(filter: {subtreeOf: $scope}, first: 100, after: $after) {
    pageInfo { hasNextPage endCursor }
    edges { node { weight orgUnit { validFrom validTo }
                   achievement(year: $year, quarter: $quarter) { percent category } } }
  }
}
"""


async def rollup(api: Api, scope: str, year: int, quarter: int | None = None) -> dict[str, Any]:
    result: dict[str, Any] = (await api.execute(ROLLUP, {"scope": scope, "year": year, "quarter": quarter}))["rollup"]
    return result


def assert_counts_add_up(row: dict[str, Any]) -> None:
    assert row["countedCount"] + row["missingCount"] == row["indicatorCount"]
    assert sum(c["count"] for c in row["byCategory"]) == row["countedCount"]


async def test_province_rollup_has_administration_and_each_kabupaten_kota(demo_api: Api) -> None:
    province = await government_ids(demo_api, "61")
    result = await rollup(demo_api, province.government, 2025, 4)
    assert result["scope"] == {"id": province.government, "__typename": "Government", "code": "61"}
    children = result["children"]
    assert children[0]["scope"]["__typename"] == "OrgUnit"
    assert children[0]["scope"]["kind"] == "PEMDA"
    assert [c["scope"]["code"] for c in children[1:]] == [f"61.{n:02d}" for n in range(1, 13)] + ["61.71", "61.72"]
    # A province has no indicators of its own beside its administration's.
    assert result["indicatorCount"] == sum(c["indicatorCount"] for c in children)
    assert result["countedCount"] == sum(c["countedCount"] for c in children)
    for row in [result, *children]:
        assert_counts_add_up(row)
    assert result["percent"] is not None


async def test_kota_rollup_rows_are_its_perangkat_daerah_in_the_structure_of_the_year(demo_api: Api) -> None:
    pontianak = await government_ids(demo_api, "61.71")
    in_2025 = await rollup(demo_api, pontianak.government, 2025)
    in_2026 = await rollup(demo_api, pontianak.government, 2026, 3)
    assert {c["scope"]["kind"] for c in in_2025["children"]} == {"PERANGKAT_DAERAH"}
    assert len(in_2025["children"]) == len(in_2026["children"]) == 10
    assert {c["scope"]["id"] for c in in_2025["children"]} != {c["scope"]["id"] for c in in_2026["children"]}
    own = 6  # the Wali Kota's IKU belong to the root unit itself
    for result in (in_2025, in_2026):
        assert result["indicatorCount"] == own + sum(c["indicatorCount"] for c in result["children"])


def expected_rollup(nodes: list[dict[str, Any]], year: int, cap: Decimal = Decimal(120)) -> tuple[str | None, int]:
    """The design's formula, computed independently from each indicator's achievement."""
    weighted, weights, count = Decimal(0), Decimal(0), 0
    for node in nodes:
        unit = node["orgUnit"]
        if unit["validFrom"] > f"{year}-12-31" or (unit["validTo"] and unit["validTo"] < f"{year}-01-01"):
            continue
        count += 1
        if node["achievement"]["percent"] is not None:
            weight = Decimal(node["weight"])
            weighted += weight * min(Decimal(node["achievement"]["percent"]), cap)
            weights += weight
    if not weights:
        return None, count
    mean = (weighted / weights).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    return format(mean.normalize(), "f"), count


async def test_rollup_is_the_capped_weighted_mean_of_indicator_achievements(demo_api: Api) -> None:
    pontianak = await government_ids(demo_api, "61.71")
    for year, quarter in ((2025, None), (2026, 3)):
        nodes: list[dict[str, Any]] = []
        after = None
        while True:
            variables = {"scope": pontianak.government, "year": year, "quarter": quarter, "after": after}
            page = (await demo_api.execute(SUBTREE_ACHIEVEMENTS, variables))["indicators"]
            nodes += [edge["node"] for edge in page["edges"]]
            if not page["pageInfo"]["hasNextPage"]:
                break
            after = page["pageInfo"]["endCursor"]
        result = await rollup(demo_api, pontianak.government, year, quarter)
        assert (result["percent"], result["indicatorCount"]) == expected_rollup(nodes, year)


async def test_unit_rollup_rows_are_its_child_units_down_the_tree(demo_api: Api) -> None:
    tree = await demo_api.execute('query { government(code: "61.71") { rootUnit { id children { id code } } } }')
    dinkes = next(u["id"] for u in tree["government"]["rootUnit"]["children"] if u["code"] == "DINKES")
    result = await rollup(demo_api, dinkes, 2025, 2)
    assert {c["scope"]["kind"] for c in result["children"]} == {"ESELON_III"}
    assert result["indicatorCount"] == 2 + sum(c["indicatorCount"] for c in result["children"])
    nested = [grandchild for child in result["children"] for grandchild in child["children"]]
    assert len(nested) == 4  # two subbagian of the Sekretariat, a seksi in each of two bidang
    root = await rollup(demo_api, tree["government"]["rootUnit"]["id"], 2025, 2)
    assert (
        root["indicatorCount"]
        == (await rollup(demo_api, (await government_ids(demo_api, "61.71")).government, 2025, 2))["indicatorCount"]
    )


async def test_a_kabupaten_that_has_not_reported_counts_everything_missing(demo_api: Api) -> None:
    kayong_utara = await government_ids(demo_api, "61.11")
    result = await rollup(demo_api, kayong_utara.government, 2026, 3)
    assert result["countedCount"] == 0
    assert result["missingCount"] == result["indicatorCount"] > 0
    assert (result["percent"], result["category"], result["byCategory"]) == (None, None, [])


async def test_a_submission_moves_an_indicator_from_missing_to_counted(fresh_api: Api) -> None:
    kayong_utara = await government_ids(fresh_api, "61.11")
    before = await rollup(fresh_api, kayong_utara.government, 2026, 3)
    key_indicators = await fresh_api.execute(
        "query($id: ID!) { indicators(filter: {orgUnitId: $id}) { edges { node { id code } } } }",
        {"id": kayong_utara.root_unit},
    )
    tpt = next(e["node"]["id"] for e in key_indicators["indicators"]["edges"] if e["node"]["code"] == "IKU-03")
    await submit(fresh_api, [{"indicatorId": tpt, "year": 2026, "quarter": 3, "value": "4.8"}], key="tpt-q3")
    after = await rollup(fresh_api, kayong_utara.government, 2026, 3)
    assert (after["countedCount"], after["missingCount"]) == (before["countedCount"] + 1, before["missingCount"] - 1)
    assert after["percent"] is not None


async def test_rollup_fields_on_government_and_org_unit_agree_with_the_query(demo_api: Api) -> None:
    data = await demo_api.execute(
        """query { government(code: "61.72") { id rollup(year: 2025, quarter: 4) { percent indicatorCount }
                    rootUnit { rollup(year: 2025, quarter: 4) { percent indicatorCount } } } }"""
    )
    government = data["government"]
    direct = await rollup(demo_api, government["id"], 2025, 4)
    assert government["rollup"] == {"percent": direct["percent"], "indicatorCount": direct["indicatorCount"]}
    assert government["rootUnit"]["rollup"] == government["rollup"]


async def test_rollup_of_an_unknown_scope_is_null_and_a_bad_id_is_bad_input(demo_api: Api) -> None:
    assert await rollup(demo_api, "R292ZXJubWVudDo5OTk5OTk=", 2025) is None
    errors = await demo_api.errors(ROLLUP, {"scope": "SW5kaWNhdG9yOjE=", "year": 2025})
    assert [e["extensions"]["code"] for e in errors] == ["BAD_USER_INPUT"]
