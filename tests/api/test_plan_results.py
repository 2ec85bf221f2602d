"""The results form of a plan (Permendagri 86/2017 E.78 / E.79) over the API and as a workbook,
from the demo's Renstra of Kota Pontianak's Dinas Kesehatan and the city's RPJMD: the figures
are the platform's own (the same as the LKjIP's), missing ones stay missing, and only those who
may read the plan's values get them."""

import io
from typing import Any

import httpx
from openpyxl import load_workbook

from tests.api.client import Api
from tests.web.facts import government_id

PLANS = """query($s: ID!) { strategicPlans(scope: $s) { kind orgUnit { code } currentVersion { id } } }"""
RESULTS = """query($v: ID!, $y: Int!) { planResults(version: $v, year: $y) {
  form planName unitName firstYear lastYear year yearOfPlan
  rows { kind code name parent
    budget { endBudget yearBudget yearSpending yearAbsorption spendingToDate endAbsorption }
    indicators { code baseline endTarget yearTarget realisation achievement toDate endRatio } } } }"""


async def versions(api: Api) -> dict[str, str]:
    """The current version of each plan of Kota Pontianak, by its unit's code."""
    plans = (await api.execute(PLANS, {"s": await government_id(api, "61.71")}))["strategicPlans"]
    return {plan["orgUnit"]["code"]: plan["currentVersion"]["id"] for plan in plans}


async def results(api: Api, version: str, year: int) -> dict[str, Any] | None:
    found: dict[str, Any] | None = (await api.execute(RESULTS, {"v": version, "y": year}))["planResults"]
    return found


async def test_a_renstras_results_come_from_the_platform(demo_api: Api) -> None:
    operator = await demo_api.as_user("operator.61.71.dinkes")
    form = await results(operator, (await versions(demo_api))["DINKES"], 2025)
    assert form is not None
    assert (form["form"], form["unitName"], form["firstYear"], form["lastYear"], form["yearOfPlan"]) == (
        "E.79",
        "Dinas Kesehatan",
        2025,
        2029,
        1,
    )
    objective, program, support = form["rows"]
    assert (objective["kind"], objective["budget"]) == ("OBJECTIVE", None)
    # Stunting, lower is better (MIRROR): 25,34 against the year's 24 → 94,42; against the end target 16 → 41,63.
    assert objective["indicators"] == [
        {
            "code": "DINKES-01",
            "baseline": "26",
            "endTarget": "16",
            "yearTarget": "24",
            "realisation": "25.34",
            "achievement": "94.42",
            "toDate": "25.34",
            "endRatio": "41.63",
        }
    ]
    # The pagu of the signed agreement and the spending entered, as the LKjIP reports them.
    assert (program["kind"], program["code"], program["parent"]) == ("PROGRAM", "1.02.02", objective["name"])
    assert program["budget"] == {
        "endBudget": "1250000000",
        "yearBudget": "1250000000",
        "yearSpending": "1149500000",
        "yearAbsorption": "91.96",
        "spendingToDate": "1149500000",
        "endAbsorption": "91.96",
    }
    assert support["budget"]["yearAbsorption"] == "94.45"


async def test_a_year_in_progress_has_no_year_figure_yet(demo_api: Api) -> None:
    """2026 has no fourth quarter yet: a LAST indicator's year realisation is missing, and so its
    ratios; the budget of 2026 has no spending entered, the spending to date is 2025's."""
    form = await results(await demo_api.as_user("operator.61.71.dinkes"), (await versions(demo_api))["DINKES"], 2026)
    assert form is not None and form["yearOfPlan"] == 2
    (stunting,) = form["rows"][0]["indicators"]
    assert (stunting["yearTarget"], stunting["realisation"], stunting["achievement"], stunting["toDate"]) == (
        "22",
        None,
        None,
        None,
    )
    budget = form["rows"][1]["budget"]
    assert (budget["yearSpending"], budget["yearAbsorption"], budget["spendingToDate"]) == (None, None, "1149500000")


async def test_the_rpjmd_is_form_e78_and_is_read_only_by_those_who_may(demo_api: Api) -> None:
    plans = await versions(demo_api)
    leader = await demo_api.as_user("leader.61.71")
    form = await results(leader, plans["61.71"], 2025)
    assert form is not None and form["form"] == "E.78"
    assert {row["kind"] for row in form["rows"]} == {"OBJECTIVE"}
    assert all(row["indicators"] is not None for row in form["rows"])
    for reader in (demo_api.anonymous(), await demo_api.as_user("operator.61.72")):
        assert await results(reader, plans["61.71"], 2025) is None
    outside = await leader.post(RESULTS, {"v": plans["61.71"], "y": 2031})
    assert outside.json()["errors"][0]["extensions"]["code"] == "YEAR_OUTSIDE_PLAN"


async def download(api: Api, path: str) -> httpx.Response:
    headers = {"authorization": f"Bearer {api.token}"} if api.token else {}
    return await api.client.get(path, headers=headers)


async def test_the_form_downloads_as_a_workbook(demo_api: Api) -> None:
    version = (await versions(demo_api))["DINKES"]
    path = f"/dokumen/rencana/{version}/hasil-2025.xlsx"
    assert (await download(demo_api.anonymous(), path)).status_code == 401
    assert (await download(await demo_api.as_user("operator.61.72"), path)).status_code == 404
    operator = await demo_api.as_user("operator.61.71.dinkes")
    answer = await download(operator, path)
    assert answer.status_code == 200 and answer.headers["cache-control"] == "private, no-store"
    assert 'filename="e79-2025-' in answer.headers["content-disposition"]
    sheet = load_workbook(io.BytesIO(answer.content))["E.79"]
    assert "Evaluasi terhadap Hasil Renstra Dinas Kesehatan" in str(sheet["A1"].value)
    assert [sheet.cell(4, column).value for column in range(6, 18)] == ["K", "Rp"] * 6
    stunting = [cell.value for cell in sheet[5]]
    assert stunting[2:5] == ["Prevalensi balita stunting", "%", 26]
    # K beside Rp: a sasaran has no budget ("-", never 0).
    assert stunting[5:9] == [16, "-", 24, "-"] and (stunting[11], stunting[12]) == (94.42, "-")
    program = [cell.value for cell in sheet[6]]
    assert program[1].startswith("Program 1.02.02") and (program[5], program[6], program[12]) == (
        "-",
        1250000000,
        91.96,
    )
    assert sheet.cell(6, 7).number_format == "#,##0"
    assert (await download(operator, f"/dokumen/rencana/{version}/hasil-2040.xlsx")).status_code == 400
