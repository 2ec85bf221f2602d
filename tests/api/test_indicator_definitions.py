"""Indicator definitions as versions (issue 16, one indicator master): a new definition applies
from a year, earlier years keep theirs (history, achievements and the kept aggregates alike), and
changing how an indicator with approved values scores needs a reason."""

from typing import Any

from tests.api.client import Api
from tests.api.factories import create_indicator, set_targets, submit
from tests.api.reconciled import assert_aggregates_reconcile

UPDATE = """
mutation($input: UpdateIndicatorDefinitionInput!) {
  updateIndicatorDefinition(input: $input) {
    indicator { id polarity achievementMethod name }
    userErrors { code field message }
  }
}
"""
READ = """
query($id: ID!) {
  node(id: $id) {
    ... on Indicator {
      code polarity
      before: achievement(year: 2025, quarter: 4) { percent }
      after: achievement(year: 2026, quarter: 2) { percent }
      definitionHistory { fromYear untilYear name polarity achievementMethod replacedBecause replacedBy }
    }
  }
}
"""


async def approved_indicator(api: Api) -> str:
    """A HIGHER_IS_BETTER indicator of a Pontianak agency with values in approved 2025 and 2026 reports."""
    page = await api.execute(
        """query { government(code: "61.71") { rootUnit { children { code indicators {
             id code polarity achievementMethod ordinalScale
             a: achievement(year: 2025, quarter: 4) { percent } b: achievement(year: 2026, quarter: 2) { percent }
           } } } } }"""
    )
    for unit in page["government"]["rootUnit"]["children"]:
        for indicator in unit["indicators"]:
            if (
                indicator["polarity"] == "HIGHER_IS_BETTER"
                and indicator["achievementMethod"] == "RATIO"
                and indicator["ordinalScale"] is None
                and indicator["a"]["percent"]
                and indicator["b"]["percent"]
            ):
                indicator_id: str = indicator["id"]
                return indicator_id
    raise AssertionError("the demo has no such indicator")


async def update(api: Api, **fields: Any) -> dict[str, Any]:
    payload: dict[str, Any] = (await api.execute(UPDATE, {"input": fields}))["updateIndicatorDefinition"]
    return payload


async def test_a_new_definition_applies_from_its_year_and_keeps_the_years_before(
    fresh_api: Api, fresh_url: str
) -> None:
    indicator_id = await approved_indicator(fresh_api)
    before = (await fresh_api.execute(READ, {"id": indicator_id}))["node"]
    refused = await update(fresh_api, indicatorId=indicator_id, fromYear=2026, polarity="LOWER_IS_BETTER")
    assert [(e["code"], e["field"]) for e in refused["userErrors"]] == [("REASON_REQUIRED", "reason")]
    mismatched = await update(
        fresh_api, indicatorId=indicator_id, fromYear=2026, achievementMethod="MIRROR", reason="x"
    )
    assert [e["code"] for e in mismatched["userErrors"]] == ["METHOD_POLARITY_MISMATCH"]
    done = await update(
        fresh_api,
        indicatorId=indicator_id,
        fromYear=2026,
        polarity="LOWER_IS_BETTER",
        reason="Polaritas keliru sejak RPJMD ditetapkan",
    )
    assert done["userErrors"] == []
    assert (done["indicator"]["polarity"], done["indicator"]["achievementMethod"]) == ("LOWER_IS_BETTER", "MIRROR")
    after = (await fresh_api.execute(READ, {"id": indicator_id}))["node"]
    assert after["before"] == before["before"]  # 2025 is measured by the definition of 2025
    assert after["after"] != before["after"]
    assert after["definitionHistory"] == [
        {
            "fromYear": 2000,
            "untilYear": 2025,
            "name": before["definitionHistory"][0]["name"],
            "polarity": "HIGHER_IS_BETTER",
            "achievementMethod": "RATIO",
            "replacedBecause": "Polaritas keliru sejak RPJMD ditetapkan",
            "replacedBy": "admin.61",
        },
        {
            "fromYear": 2026,
            "untilYear": None,
            "name": before["definitionHistory"][0]["name"],
            "polarity": "LOWER_IS_BETTER",
            "achievementMethod": "MIRROR",
            "replacedBecause": None,
            "replacedBy": None,
        },
    ]
    overlapping = await update(fresh_api, indicatorId=indicator_id, fromYear=2026, name="Nama baru")
    assert [e["code"] for e in overlapping["userErrors"]] == ["OVERLAPPING_EFFECTIVE_YEAR"]
    renamed = await update(fresh_api, indicatorId=indicator_id, fromYear=2027, name="Nama baru")
    assert renamed["indicator"]["name"] == "Nama baru"
    await assert_aggregates_reconcile(fresh_url)


async def test_only_admins_in_scope_redefine_indicators(fresh_api: Api) -> None:
    indicator_id = await approved_indicator(fresh_api)
    operator = await fresh_api.as_user("operator.61.71")
    refused = await update(operator, indicatorId=indicator_id, fromYear=2027, name="Nama")
    assert [(e["code"], e["field"]) for e in refused["userErrors"]] == [("FORBIDDEN", "indicatorId")]
    unknown = await update(fresh_api, indicatorId="bogus", fromYear=2027, name="Nama")
    assert [(e["code"], e["field"]) for e in unknown["userErrors"]] == [("NOT_FOUND", "indicatorId")]


RETIRE = """
mutation($input: RetireIndicatorInput!) {
  retireIndicator(input: $input) { indicator { retiredFromYear } userErrors { code field } }
}
"""
MOVE = """
mutation($input: MoveIndicatorInput!) {
  moveIndicator(input: $input) { indicator { orgUnit { code } } userErrors { code field } }
}
"""
UNIT_ROLLUP = """
query($id: ID!) {
  a: rollup(scope: $id, year: 2025, quarter: 4) { indicatorCount }
  b: rollup(scope: $id, year: 2026, quarter: 2) { indicatorCount }
}
"""


async def test_a_retired_indicator_leaves_the_rollups_of_its_years_and_takes_no_values(
    fresh_api: Api, fresh_url: str
) -> None:
    indicator_id = await approved_indicator(fresh_api)
    unit = (
        await fresh_api.execute(
            "query($id: ID!) { node(id: $id) { ... on Indicator { orgUnit { id } } } }", {"id": indicator_id}
        )
    )["node"]["orgUnit"]["id"]
    before = await fresh_api.execute(UNIT_ROLLUP, {"id": unit})
    unreasoned = await fresh_api.execute(
        RETIRE, {"input": {"indicatorId": indicator_id, "fromYear": 2026, "reason": ""}}
    )
    assert unreasoned["retireIndicator"]["userErrors"] == [{"code": "REQUIRED", "field": "reason"}]
    retired = await fresh_api.execute(
        RETIRE, {"input": {"indicatorId": indicator_id, "fromYear": 2026, "reason": "Diganti indikator baru"}}
    )
    assert retired["retireIndicator"]["indicator"] == {"retiredFromYear": 2026}
    after = await fresh_api.execute(UNIT_ROLLUP, {"id": unit})
    assert after["a"] == before["a"]  # 2025 still counts it
    assert after["b"]["indicatorCount"] == before["b"]["indicatorCount"] - 1
    refused = await fresh_api.execute(
        "mutation($input: SetTargetsInput!) { setTargets(input: $input) { userErrors { code field } } }",
        {"input": {"targets": [{"indicatorId": indicator_id, "year": 2027, "value": "1"}]}},
    )
    assert refused["setTargets"]["userErrors"] == [{"code": "RETIRED", "field": "targets.0"}]
    again = await fresh_api.execute(RETIRE, {"input": {"indicatorId": indicator_id, "fromYear": 2027, "reason": "x"}})
    assert again["retireIndicator"]["userErrors"] == [{"code": "ALREADY_RETIRED", "field": "fromYear"}]
    await assert_aggregates_reconcile(fresh_url)


async def test_an_indicator_moves_within_its_government_and_the_aggregates_follow(
    fresh_api: Api, fresh_url: str
) -> None:
    tree = await fresh_api.execute(
        'query { government(code: "61.71") { rootUnit { children { id code indicators { id children { id } } } } } }'
    )
    source, target = tree["government"]["rootUnit"]["children"][:2]
    moving = await create_indicator(fresh_api, source["id"], "PINDAH-1")
    await set_targets(fresh_api, [{"indicatorId": moving, "year": 2026, "value": "10"}])
    await submit(fresh_api, [{"indicatorId": moving, "year": 2026, "quarter": 4, "value": "9"}], key="move-1")
    moved = await fresh_api.execute(
        MOVE, {"input": {"indicatorId": moving, "orgUnitId": target["id"], "reason": "SOTK baru"}}
    )
    assert moved["moveIndicator"] == {"indicator": {"orgUnit": {"code": target["code"]}}, "userErrors": []}
    other = await government_ids_of(fresh_api, "61.72")
    refused = await fresh_api.execute(MOVE, {"input": {"indicatorId": moving, "orgUnitId": other, "reason": "salah"}})
    assert refused["moveIndicator"]["userErrors"] == [{"code": "OTHER_GOVERNMENT", "field": "orgUnitId"}]
    # An indicator its divisions cascade from cannot leave their agency: the tree would break.
    agencies = tree["government"]["rootUnit"]["children"]
    lead = next(i for a in agencies if a["id"] != target["id"] for i in a["indicators"] if i["children"])
    broken = await fresh_api.execute(
        MOVE, {"input": {"indicatorId": lead["id"], "orgUnitId": target["id"], "reason": "x"}}
    )
    assert broken["moveIndicator"]["userErrors"] == [{"code": "CASCADE_BROKEN", "field": "orgUnitId"}]
    await assert_aggregates_reconcile(fresh_url)


async def government_ids_of(api: Api, code: str) -> str:
    data = await api.execute("query($code: String!) { government(code: $code) { rootUnit { id } } }", {"code": code})
    unit_id: str = data["government"]["rootUnit"]["id"]
    return unit_id
