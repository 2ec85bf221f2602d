"""submitRealisations with dryRun: the same checks and userErrors as the real submission, and
nothing written (an Excel upload's check before it is confirmed)."""

from typing import Any

from tests.api.client import Api
from tests.api.factories import SUBMIT_REALISATIONS
from tests.web.facts import quarter_values, unit_id


async def submit(api: Api, rows: list[dict[str, Any]], key: str, *, dry_run: bool) -> dict[str, Any]:
    variables = {"input": {"realisations": rows, "idempotencyKey": key, "dryRun": dry_run}}
    payload: dict[str, Any] = (await api.execute(SUBMIT_REALISATIONS, variables))["submitRealisations"]
    return payload


async def test_a_dry_run_answers_as_the_submission_would_and_writes_nothing(fresh_api: Api) -> None:
    operator = await fresh_api.as_user("operator.61.71.dinkes")
    dinkes = await unit_id(fresh_api, "61.71", "DINKES")
    before = await quarter_values(fresh_api, dinkes, 2026, 3)
    edges = (
        await fresh_api.execute(
            "query($u: ID!) { indicators(filter: {orgUnitId: $u}) { edges { node { id code } } } }", {"u": dinkes}
        )
    )["indicators"]["edges"]
    ids = {edge["node"]["code"]: edge["node"]["id"] for edge in edges}
    bad = [
        {"indicatorId": ids["DINKES-01"], "year": 2026, "quarter": 3, "value": "20"},
        {"indicatorId": ids["DINKES-02"], "year": 2026, "quarter": 3, "value": "-5"},
    ]
    tried, real = (
        await submit(operator, bad, "uji-1", dry_run=True),
        await submit(operator, bad, "uji-2", dry_run=False),
    )
    assert tried["userErrors"] == real["userErrors"]
    assert {error["field"] for error in tried["userErrors"]} == {
        "realisations.0.expectedVersion",
        "realisations.1.value",
    }

    good = [{**bad[0], "expectedVersion": before["DINKES-01"]["version"]}]  # type: ignore[index]
    checked = await submit(operator, good, "uji-3", dry_run=True)
    assert checked["userErrors"] == [] and checked["realisations"][0]["value"] == "20"
    assert await quarter_values(fresh_api, dinkes, 2026, 3) == before
    # The key was not used up: the confirmed submission writes.
    written = await submit(operator, good, "uji-3", dry_run=False)
    assert written["replayed"] is False and written["userErrors"] == []
    assert (await quarter_values(fresh_api, dinkes, 2026, 3))["DINKES-01"]["value"] == "20"  # type: ignore[index]
