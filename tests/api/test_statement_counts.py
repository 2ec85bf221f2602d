"""No N+1: the number of SQL statements of a request does not grow with the data."""

from tests.api.client import Api
from tests.api.factories import create_indicator, create_unit, government_ids, set_targets, submit

NESTED_TREE = """
query NestedTree($parentCode: String!, $year: Int!, $quarter: Int) {
  governments(parentCode: $parentCode) {
    code
    rootUnit {
      name
      indicators { code achievement(year: $year, quarter: $quarter) { percent category } }
      children {
        code
        indicators {
          code weight parent { code }
          achievement(year: $year, quarter: $quarter) { percent category reason }
        }
        children {
          code
          indicators { code achievement(year: $year, quarter: $quarter) { percent } }
          children { code indicators { code achievement(year: $year, quarter: $quarter) { percent } } }
        }
      }
    }
    rollup(year: $year, quarter: $quarter) { percent children { percent } }
  }
}
"""

VARIABLES = {"parentCode": "61", "year": 2026, "quarter": 2}


def indicators_in(data: dict) -> int:  # type: ignore[type-arg]
    def count(unit: dict) -> int:  # type: ignore[type-arg]
        return len(unit["indicators"]) + sum(count(child) for child in unit.get("children", []))

    return sum(count(g["rootUnit"]) for g in data["governments"])


async def test_nested_province_tree_runs_a_fixed_number_of_statements(fresh_api: Api) -> None:
    data, before = await fresh_api.count_statements(NESTED_TREE, VARIABLES)
    assert indicators_in(data) > 1000
    # Statements per level of the tree, not per row: DataLoaders batch each level once
    # (units, indicators, parents, three for achievements), plus the rollup's shapes and inputs.
    assert before <= 30

    # Grow the data: a new agency with eselon units and valued indicators in two kabupaten.
    for code in ("61.01", "61.72"):
        ids = await government_ids(fresh_api, code)
        agency = await create_unit(fresh_api, ids.root_unit, "DPMD", validFrom="2025-01-01")
        division = await create_unit(fresh_api, agency, "DPMD.1", "ESELON_III", validFrom="2025-01-01")
        for unit in (agency, division):
            indicator = await create_indicator(fresh_api, unit, f"DPMD-{unit[-4:]}")
            await set_targets(fresh_api, [{"indicatorId": indicator, "year": 2026, "value": "10"}])
            await submit(
                fresh_api, [{"indicatorId": indicator, "year": 2026, "quarter": 2, "value": "9"}], key=indicator
            )

    grown, after = await fresh_api.count_statements(NESTED_TREE, VARIABLES)
    assert indicators_in(grown) == indicators_in(data) + 4
    assert after == before


async def test_a_connection_page_with_achievements_is_constant_in_page_size(demo_api: Api) -> None:
    query = """query($first: Int!) { indicators(first: $first) { totalCount edges { node {
                 code orgUnit { name government { code } } parent { code }
                 achievement(year: 2025) { percent } } } } }"""
    _, small = await demo_api.count_statements(query, {"first": 20})
    _, large = await demo_api.count_statements(query, {"first": 100})
    assert small == large


PLAN_TREE = """
query PlanTree($scope: ID!) {
  strategicPlans(scope: $scope) {
    kind name orgUnit { code }
    versions {
      number state
      goals {
        code indicators { indicator { code } }
        objectives {
          code alignedTo { code }
          indicators { baseline endTarget targets { year value } indicator { code objective { code } } }
          programs { code budget activities { code budget subActivities { code budget } } }
        }
      }
    }
  }
  performanceAgreements(scope: $scope, year: 2026) {
    level orgUnit { code } superior { level }
    items { objective target indicator { code } }
    budgetLines { code amount }
    versions { kind budgetTotal items { target } }
  }
}
"""


async def test_a_pemdas_plans_and_agreements_read_in_a_fixed_number_of_statements(fresh_api: Api) -> None:
    """Kota Pontianak holds an RPJMD with a perubahan, a Renstra per agency and 2026 agreements at
    every level. One more agency with its Renstra and agreement adds rows, not statements."""
    pontianak = await government_ids(fresh_api, "61.71")
    variables = {"scope": pontianak.government}
    before, before_count = await fresh_api.count_statements(PLAN_TREE, variables)
    assert len(before["performanceAgreements"]) > 10
    agency = await create_unit(fresh_api, pontianak.root_unit, "DPMPTSP", validFrom="2025-01-01")
    indicator = await create_indicator(fresh_api, agency, "DPMPTSP-01", isKey=True)
    await _renstra_with_agreement(fresh_api, agency, indicator)
    after, after_count = await fresh_api.count_statements(PLAN_TREE, variables)
    assert len(after["strategicPlans"]) == len(before["strategicPlans"]) + 1
    assert len(after["performanceAgreements"]) == len(before["performanceAgreements"]) + 1
    assert after_count == before_count <= 25


async def _renstra_with_agreement(api: Api, agency: str, indicator: str) -> None:
    created = await api.execute(
        """mutation($input: CreateStrategicPlanInput!) { createStrategicPlan(input: $input) {
           userErrors { code } } }""",
        {"input": {"orgUnitId": agency, "kind": "RENSTRA", "name": "Renstra", "startYear": 2025, "endYear": 2029}},
    )
    assert created["createStrategicPlan"]["userErrors"] == []
    saved = await api.execute(
        """mutation($input: SaveAgreementInput!) { savePerformanceAgreement(input: $input) { userErrors { code } } }""",
        {
            "input": {
                "orgUnitId": agency,
                "year": 2026,
                "firstParty": {"name": "Kepala", "rank": "Pembina", "position": "Kepala Dinas"},
                "secondParty": {"name": "Wali Kota", "rank": "-", "position": "Wali Kota"},
                "items": [{"indicatorId": indicator, "target": "10"}],
                "budgetLines": [{"code": "2.18.02", "name": "Program", "amount": "1000"}],
            }
        },
    )
    assert saved["savePerformanceAgreement"]["userErrors"] == []
