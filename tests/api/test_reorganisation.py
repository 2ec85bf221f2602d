"""Reorganisations (perubahan SOTK) from 1 January of a year: the old units keep their history,
the successors carry the structure on with copies of the sub-units and indicators, and the
rollups of each year use that year's structure (the kept aggregates reconcile)."""

from typing import Any

from tests.api.client import Api
from tests.api.factories import government_ids
from tests.api.reconciled import assert_aggregates_reconcile

REORGANIZE = """
mutation($input: ReorganizeOrgUnitsInput!) {
  reorganizeOrgUnits(input: $input) {
    successors { id code name validFrom children(year: 2029) { code } indicators { code } }
    userErrors { code field }
  }
}
"""
STRUCTURE = """
query($year: Int!) {
  government(code: "61.71") {
    rootUnit {
      id
      children(year: $year) { id code name validFrom validTo indicators { id code } children(year: $year) { code } }
    }
  }
}
"""
ROLLUP = 'query { government(code: "61.71") { r25: rollup(year: 2025, quarter: 4) { percent indicatorCount } } }'


async def structure(api: Api, year: int) -> dict[str, dict[str, Any]]:
    children = (await api.execute(STRUCTURE, {"year": year}))["government"]["rootUnit"]["children"]
    return {unit["code"]: unit for unit in children}


async def reorganize(api: Api, **fields: Any) -> dict[str, Any]:
    payload: dict[str, Any] = (await api.execute(REORGANIZE, {"input": fields}))["reorganizeOrgUnits"]
    return payload


async def test_a_renamed_agency_carries_its_units_and_indicators_from_the_new_year(
    fresh_api: Api, fresh_url: str
) -> None:
    old = (await structure(fresh_api, 2027))["DINKES"]
    rollup_before = await fresh_api.execute(ROLLUP)
    done = await reorganize(
        fresh_api,
        effectiveYear=2027,
        reason="Perda SOTK 2026",
        predecessorIds=[old["id"]],
        successors=[{"code": "DINKES", "name": "Dinas Kesehatan dan Keluarga Berencana"}],
    )
    assert done["userErrors"] == []
    (successor,) = done["successors"]
    assert (successor["validFrom"], successor["name"]) == ("2027-01-01", "Dinas Kesehatan dan Keluarga Berencana")
    assert sorted(c["code"] for c in successor["children"]) == sorted(
        old["children"][i]["code"] for i in range(len(old["children"]))
    )
    assert sorted(i["code"] for i in successor["indicators"]) == sorted(i["code"] for i in old["indicators"])
    in_2026 = (await structure(fresh_api, 2026))["DINKES"]
    assert (in_2026["id"], in_2026["validTo"]) == (old["id"], "2026-12-31")  # the old unit keeps 2026
    in_2027 = (await structure(fresh_api, 2027))["DINKES"]
    assert in_2027["id"] == successor["id"]
    assert await fresh_api.execute(ROLLUP) == rollup_before  # history is untouched
    await assert_aggregates_reconcile(fresh_url)


async def test_a_split_needs_every_sub_unit_and_indicator_mapped(fresh_api: Api, fresh_url: str) -> None:
    old = (await structure(fresh_api, 2027))["DISDIK"]
    successors = [{"code": "DISDIK", "name": "Dinas Pendidikan"}, {"code": "DISBUD", "name": "Dinas Kebudayaan"}]
    values = {"effectiveYear": 2027, "reason": "Pemekaran", "predecessorIds": [old["id"]], "successors": successors}
    unmapped = await reorganize(fresh_api, **values)
    assert unmapped["successors"] == [] and {e["code"] for e in unmapped["userErrors"]} == {"UNMAPPED"}
    detail = await fresh_api.execute(
        "query($id: ID!) { node(id: $id) { ... on OrgUnit { children(year: 2027) { id } indicators { id } } } }",
        {"id": old["id"]},
    )
    units = [{"id": c["id"], "successorCode": "DISDIK"} for c in detail["node"]["children"]]
    indicators = [
        {"id": i["id"], "successorCode": "DISBUD" if n == 0 else "DISDIK"}
        for n, i in enumerate(detail["node"]["indicators"])
    ]
    done = await reorganize(fresh_api, **values, unitMap=units, indicatorMap=indicators)
    assert done["userErrors"] == []
    by_code = {s["code"]: s for s in done["successors"]}
    assert len(by_code["DISBUD"]["indicators"]) == 1
    assert len(by_code["DISDIK"]["children"]) == len(units)
    await assert_aggregates_reconcile(fresh_url)


async def test_a_merge_and_the_refusals(fresh_api: Api, fresh_url: str) -> None:
    units = await structure(fresh_api, 2027)
    first, second = units["DINSOS"], units["DPUPR"] if "DPUPR" in units else list(units.values())[-1]
    merged = await reorganize(
        fresh_api,
        effectiveYear=2028,
        reason="Penggabungan",
        predecessorIds=[first["id"], second["id"]],
        successors=[{"code": "GABUNG", "name": "Dinas Gabungan"}],
    )
    assert merged["userErrors"] == []
    (successor,) = merged["successors"]
    assert len(successor["indicators"]) == len(first["indicators"]) + len(second["indicators"])
    singkawang = await government_ids(fresh_api, "61.72")
    refusals: list[tuple[dict[str, Any], tuple[str, str]]] = [
        ({"effectiveYear": 1990}, ("INVALID_YEAR", "effectiveYear")),
        ({"reason": " "}, ("REQUIRED", "reason")),
        ({"predecessorIds": [units["BAPPEDA"]["id"], singkawang.root_unit]}, ("OTHER_GOVERNMENT", "predecessorIds.1")),
        ({"successors": [{"code": "A", "name": "A"}, {"code": "A", "name": "B"}]}, ("DUPLICATE_CODE", "successors")),
        ({"predecessorIds": [first["id"]]}, ("NOT_VALID", "predecessorIds.0")),  # merged already from 2028
    ]
    base = {
        "effectiveYear": 2029,
        "reason": "Perubahan",
        "predecessorIds": [units["BAPPEDA"]["id"]],
        "successors": [{"code": "BAPPERIDA", "name": "Bappeda dan Riset"}],
    }
    for change, expected in refusals:
        refused = await reorganize(fresh_api, **{**base, **change})
        assert expected in {(e["code"], e["field"]) for e in refused["userErrors"]}, (change, refused)
    operator = await fresh_api.as_user("operator.61.71")
    assert ("FORBIDDEN", "predecessorIds.0") in {
        (e["code"], e["field"]) for e in (await reorganize(operator, **base))["userErrors"]
    }
    await assert_aggregates_reconcile(fresh_url)
