"""Indicators that report monthly, over HTTP: months entered with the rules of realisations,
each quarter derived from its months by the indicator's periodAggregation, the quarterly
achievement computed from it exactly as for a quarterly indicator, corrections per month."""

from decimal import Decimal as D
from typing import Any

from schema.ids import decode_id_of
from tests.api.client import Api
from tests.api.factories import create_indicator, create_unit, government_ids, set_targets, submit
from tests.api.test_workflow import AUDIT, SUBMIT, run
from tests.web.facts import unit_id

SUBMIT_MONTHS = """mutation($i: SubmitMonthlyRealisationsInput!) { submitMonthlyRealisations(input: $i) {
  realisations { indicatorId year month value note indicator { code reportingFrequency } }
  quarters { year quarter value note } replayed userErrors { code field message } } }"""
MONTHS = """query($id: ID!) { node(id: $id) { ... on Indicator { reportingFrequency
  monthlyRealisations(year: 2026) { month value note version correction { by reason previousValue } }
  realisations(year: 2026) { quarter value note version correction { by reason previousValue } }
  achievement(year: 2026, quarter: 3) { target realisation percent category } } } }"""
CORRECT = """mutation($i: CorrectRealisationInput!) { correctRealisation(input: $i) {
  realisation { value version correction { by reason previousValue } } userErrors { code field message } } }"""
FREQUENCY = """mutation($i: SetIndicatorReportingFrequencyInput!) { setIndicatorReportingFrequency(input: $i) {
  indicator { code reportingFrequency } userErrors { code field message } } }"""


async def months(api: Api, rows: list[dict[str, Any]], key: str) -> dict[str, Any]:
    return await run(api, SUBMIT_MONTHS, {"idempotencyKey": key, "realisations": rows})


def decoded(global_id: str) -> str:
    return str(decode_id_of(global_id, "Indicator"))


def codes(payload: dict[str, Any]) -> list[tuple[str, str]]:
    return [(e["code"], e["field"]) for e in payload["userErrors"]]


async def monthly_indicator(api: Api, code: str, **fields: Any) -> tuple[str, str]:
    """A new perangkat daerah of Kota Pontianak (no report of 2026 yet) with a monthly count."""
    city = await government_ids(api, "61.71")
    unit = await create_unit(api, city.root_unit, f"UNIT-{code}")
    indicator = await create_indicator(
        api,
        unit,
        code,
        name="Jumlah bayi diimunisasi dasar lengkap",
        unitOfMeasure="bayi",
        periodAggregation="SUM",
        reportingFrequency="MONTHLY",
        **fields,
    )
    targets = [
        {"indicatorId": indicator, "year": 2026, "value": "1200"},
        {"indicatorId": indicator, "year": 2026, "quarter": 3, "value": "1500"},
    ]
    assert (await set_targets(api, targets))["userErrors"] == []
    return indicator, unit


async def test_a_quarter_is_derived_from_its_months_and_achieves_like_any_quarter(fresh_api: Api) -> None:
    indicator, unit = await monthly_indicator(fresh_api, "IMUN-01")
    operator = await fresh_api.as_user("operator.61.71")
    row = {"indicatorId": indicator, "year": 2026}

    half = await months(operator, [{**row, "month": m, "value": "100"} for m in range(1, 7)], "m-0")
    assert [(q["quarter"], q["value"]) for q in half["quarters"]] == [(1, "300"), (2, "300")]
    two = await months(operator, [{**row, "month": 7, "value": "300"}, {**row, "month": 8, "value": "280"}], "m-1")
    assert two["userErrors"] == [] and two["quarters"] == []  # a count of two months is not the quarter's
    assert [(r["month"], r["value"], r["indicator"]["reportingFrequency"]) for r in two["realisations"]] == [
        (7, "300", "MONTHLY"),
        (8, "280", "MONTHLY"),
    ]
    third = await months(operator, [{**row, "month": 9, "value": "310", "note": "Sweeping BIAN"}], "m-2")
    assert third["quarters"] == [{"year": 2026, "quarter": 3, "value": "890", "note": "September: Sweeping BIAN"}]

    read = (await operator.execute(MONTHS, {"id": indicator}))["node"]
    assert [(m["month"], m["value"], m["version"]) for m in read["monthlyRealisations"]][6:] == [
        (7, "300", 1),
        (8, "280", 1),
        (9, "310", 1),
    ]
    assert [(r["quarter"], r["value"]) for r in read["realisations"]] == [(1, "300"), (2, "300"), (3, "890")]
    # The quarterly rule, unchanged: year-to-date SUM through Q3 against the Q3 (s.d. triwulan) target.
    assert read["achievement"] == {
        "target": "1500",
        "realisation": "1490",
        "percent": "99.33",
        "category": "SANGAT_TINGGI",
    }

    # A change needs the version seen; the quarter follows the month, audited both.
    stale = await months(operator, [{**row, "month": 8, "value": "290"}], "m-3")
    assert codes(stale) == [("CONFLICT", "realisations.0.expectedVersion")]
    changed = await months(operator, [{**row, "month": 8, "value": "290", "expectedVersion": 1}], "m-4")
    assert [(q["quarter"], q["value"]) for q in changed["quarters"]] == [(3, "900")]
    again = await months(operator, [{**row, "month": 8, "value": "290", "expectedVersion": 1}], "m-4")
    assert again["replayed"] is True and again["quarters"] == changed["quarters"]
    read = (await operator.execute(MONTHS, {"id": indicator}))["node"]
    assert read["achievement"]["percent"] == "100"
    assert [(m["month"], m["version"]) for m in read["monthlyRealisations"]][6:] == [(7, 1), (8, 2), (9, 1)]
    log = [e["node"] for e in (await fresh_api.execute(AUDIT, {"filter": {"scope": unit}}))["auditLog"]["edges"]]
    months_logged = [e for e in log if e["action"] == "monthly_realisation.set"]
    assert len(months_logged) == 10 and months_logged[0]["entityId"].endswith(":2026:M08")  # newest first
    assert (D(months_logged[0]["old"]["value"]), D(months_logged[0]["new"]["value"])) == (D(280), D(290))
    derived = [
        (e["old"] and D(e["old"]["value"]), D(e["new"]["value"])) for e in log if e["action"] == "realisation.derive"
    ]
    assert derived[:2] == [(D(890), D(900)), (None, D(890))]


async def test_months_are_refused_at_their_field_and_nothing_is_written(fresh_api: Api) -> None:
    indicator, _ = await monthly_indicator(fresh_api, "IMUN-02")
    operator = await fresh_api.as_user("operator.61.71")
    row = {"indicatorId": indicator, "year": 2026}
    bad = await months(
        operator,
        [{**row, "month": 7, "value": "10"}, {**row, "month": 13, "value": "5"}, {**row, "month": 8, "value": "-1"}],
        "bad-1",
    )
    assert codes(bad) == [("INVALID_MONTH", "realisations.1.month"), ("NEGATIVE_VALUE", "realisations.2.value")]
    assert (await operator.execute(MONTHS, {"id": indicator}))["node"]["monthlyRealisations"] == []

    quarterly = await submit(operator, [{**row, "quarter": 3, "value": "900"}], "q-1")
    assert codes(quarterly) == [("MONTHLY_INDICATOR", "realisations.0.quarter")]
    dinkes = await unit_id(fresh_api, "61.71", "DINKES")
    other = (
        await fresh_api.execute(
            "query($u: ID!) { indicators(filter: {orgUnitId: $u}) { edges { node { id code } } } }", {"u": dinkes}
        )
    )["indicators"]["edges"]
    stunting = next(e["node"]["id"] for e in other if e["node"]["code"] == "DINKES-01")
    assert codes(
        await months(operator, [{"indicatorId": stunting, "year": 2026, "month": 7, "value": "1"}], "q-2")
    ) == [("QUARTERLY_INDICATOR", "realisations.0.month")]
    singkawang = await fresh_api.as_user("operator.61.72")
    assert codes(await months(singkawang, [{**row, "month": 7, "value": "1"}], "q-3")) == [
        ("FORBIDDEN", "realisations.0.indicatorId")
    ]


async def test_a_submitted_quarter_closes_its_months_and_a_reviewer_corrects_one(fresh_api: Api) -> None:
    indicator, unit = await monthly_indicator(fresh_api, "IMUN-03")
    operator = await fresh_api.as_user("operator.61.71")
    reviewer = await fresh_api.as_user("reviewer.61.71")
    row = {"indicatorId": indicator, "year": 2026}
    entered = [{**row, "month": m, "value": v} for m, v in ((7, "300"), (8, "280"), (9, "310"))]
    assert (await months(operator, entered, "c-1"))["userErrors"] == []
    assert (await run(operator, SUBMIT, {"orgUnitId": unit, "year": 2026, "quarter": 3}))["userErrors"] == []

    closed = await months(operator, [{**row, "month": 9, "value": "1", "expectedVersion": 1}], "c-2")
    assert codes(closed) == [("REPORT_NOT_EDITABLE", "realisations.0")]
    october = await months(operator, [{**row, "month": 10, "value": "305"}], "c-3")  # the next quarter is open
    assert october["userErrors"] == [] and october["quarters"] == []

    correction = {
        **row,
        "quarter": 3,
        "value": "320",
        "reason": "Data puskesmas terlambat masuk.",
        "expectedVersion": 1,
    }
    assert codes(await run(reviewer, CORRECT, correction)) == [("MONTHLY_INDICATOR", "month")]
    assert codes(await run(reviewer, CORRECT, {**correction, "month": 10})) == [("MONTH_NOT_IN_QUARTER", "month")]
    assert codes(await run(reviewer, CORRECT, {**correction, "month": 8, "expectedVersion": 5})) == [
        ("CONFLICT", "expectedVersion")
    ]
    corrected = await run(reviewer, CORRECT, {**correction, "month": 8})
    assert corrected["userErrors"] == []
    assert corrected["realisation"]["value"] == "930"
    assert corrected["realisation"]["correction"] == {
        "by": "reviewer.61.71",
        "reason": "Agustus: Data puskesmas terlambat masuk.",
        "previousValue": "890",
    }
    read = (await operator.execute(MONTHS, {"id": indicator}))["node"]
    august = next(m for m in read["monthlyRealisations"] if m["month"] == 8)
    assert (august["value"], august["version"], august["correction"]) == (
        "320",
        2,
        {"by": "reviewer.61.71", "reason": "Data puskesmas terlambat masuk.", "previousValue": "280"},
    )
    assert [(r["quarter"], r["value"], r["version"]) for r in read["realisations"]] == [(3, "930", 2)]


async def test_months_are_read_where_their_quarter_is(fresh_api: Api) -> None:
    """A draft quarter's months are the unit's own: the public and another pemda read none."""
    indicator, _ = await monthly_indicator(fresh_api, "IMUN-04")
    operator = await fresh_api.as_user("operator.61.71")
    assert (await months(operator, [{"indicatorId": indicator, "year": 2026, "month": 7, "value": "3"}], "v-1"))[
        "userErrors"
    ] == []
    for reader in (fresh_api.anonymous(), await fresh_api.as_user("operator.61.72")):
        node = (await reader.execute(MONTHS, {"id": indicator}))["node"]
        assert node is None or node["monthlyRealisations"] == []


async def test_the_reporting_frequency_is_set_per_indicator(fresh_api: Api) -> None:
    dinkes = await unit_id(fresh_api, "61.71", "DINKES")
    indicator = await create_indicator(fresh_api, dinkes, "FREQ-01")
    switched = await run(fresh_api, FREQUENCY, {"indicatorId": indicator, "reportingFrequency": "MONTHLY"})
    assert switched == {"indicator": {"code": "FREQ-01", "reportingFrequency": "MONTHLY"}, "userErrors": []}
    log = (await fresh_api.execute(AUDIT, {"filter": {"entityId": decoded(indicator)}}))["auditLog"]["edges"]
    assert next((e["node"]["action"], e["node"]["new"]) for e in log) == (
        "indicator.reporting_frequency",
        {"reporting_frequency": "MONTHLY"},
    )
    operator = await fresh_api.as_user("operator.61.71.dinkes")
    refused = await run(operator, FREQUENCY, {"indicatorId": indicator, "reportingFrequency": "QUARTERLY"})
    assert codes(refused) == [("FORBIDDEN", "indicatorId")]
    computed = await create_indicator(fresh_api, dinkes, "FREQ-02", rollupFromChildren="SUM")
    assert codes(await run(fresh_api, FREQUENCY, {"indicatorId": computed, "reportingFrequency": "MONTHLY"})) == [
        ("COMPUTED_INDICATOR", "reportingFrequency")
    ]


MONTHS_OF_UNIT = """query($u: ID!) { indicators(filter: {orgUnitId: $u}) { edges { node { code
  monthlyRealisations(year: 2026) { month value } realisations(year: 2026) { quarter value } } } } }"""


async def test_months_of_many_indicators_are_read_in_a_fixed_number_of_statements(fresh_api: Api) -> None:
    first, unit = await monthly_indicator(fresh_api, "MANY-01")
    operator = await fresh_api.as_user("operator.61.71")

    async def enter(indicator: str, key: str) -> None:
        rows = [{"indicatorId": indicator, "year": 2026, "month": m, "value": str(m)} for m in (7, 8, 9)]
        assert (await months(operator, rows, key))["userErrors"] == []

    await enter(first, "many-1")
    _data, before = await fresh_api.count_statements(MONTHS_OF_UNIT, {"u": unit})
    for number in range(2, 6):
        indicator = await create_indicator(fresh_api, unit, f"MANY-0{number}", reportingFrequency="MONTHLY")
        await enter(indicator, f"many-{number}")
    grown, after = await fresh_api.count_statements(MONTHS_OF_UNIT, {"u": unit})
    assert len(grown["indicators"]["edges"]) == 5 and after == before
    assert all(len(e["node"]["monthlyRealisations"]) == 3 for e in grown["indicators"]["edges"])


COMBINED = """mutation($i: SubmitRealisationsInput!) { submitRealisations(input: $i) {
  realisations { quarter value } months { month value } quarters { quarter value } replayed
  userErrors { code field message } } }"""


async def test_quarters_and_months_are_one_all_or_nothing_batch(fresh_api: Api) -> None:
    """A unit's form holds quarterly and monthly indicators: one batch, every error at its list."""
    monthly, unit = await monthly_indicator(fresh_api, "BOTH-01")
    quarterly = await create_indicator(fresh_api, unit, "BOTH-02")
    operator = await fresh_api.as_user("operator.61.71")
    quarter_row = {"indicatorId": quarterly, "year": 2026, "quarter": 3, "value": "75"}
    month_rows = [{"indicatorId": monthly, "year": 2026, "month": m, "value": "10"} for m in (7, 8, 9)]

    bad = {
        "idempotencyKey": "both-1",
        "realisations": [quarter_row],
        "months": [*month_rows[:2], {**month_rows[2], "value": "x1"}],
    }
    refused = (await fresh_api.post(COMBINED, {"i": bad})).json()
    assert refused["errors"]  # not a decimal: refused by the schema before any write

    wrong = {**bad, "months": [*month_rows[:2], {**month_rows[2], "month": 0}], "dryRun": False}
    failed = await run(operator, COMBINED, wrong)
    assert codes(failed) == [("INVALID_MONTH", "months.2.month")]
    node = (await operator.execute(MONTHS, {"id": monthly}))["node"]
    assert node["monthlyRealisations"] == [] and node["realisations"] == []
    assert (await operator.execute(MONTHS, {"id": quarterly}))["node"]["realisations"] == []

    good = {**bad, "idempotencyKey": "both-2", "months": month_rows}
    tried = await run(operator, COMBINED, {**good, "dryRun": True})
    assert tried["userErrors"] == [] and tried["quarters"] == [{"quarter": 3, "value": "30"}]
    assert (await operator.execute(MONTHS, {"id": monthly}))["node"]["monthlyRealisations"] == []
    written = await run(operator, COMBINED, good)
    assert (written["realisations"], written["months"], written["quarters"]) == (
        [{"quarter": 3, "value": "75"}],
        [{"month": m, "value": "10"} for m in (7, 8, 9)],
        [{"quarter": 3, "value": "30"}],
    )
    again = await run(operator, COMBINED, good)
    assert again["replayed"] is True and again["quarters"] == written["quarters"]
    node = (await operator.execute(MONTHS, {"id": monthly}))["node"]
    assert [r["value"] for r in node["realisations"]] == ["30"]
