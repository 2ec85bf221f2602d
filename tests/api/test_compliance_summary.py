"""reportingComplianceSummary: the same reports as reportingCompliance, counted per government,
inside the caller's grants, in a constant number of statements."""

from collections import Counter
from typing import Any

from tests.api.client import Api
from tests.api.factories import government_ids

ROWS = """query($scope: ID!, $year: Int!, $quarter: Int) {
  reportingCompliance(scope: $scope, year: $year, quarter: $quarter) { orgUnit { government { code } } status }
}"""
SUMMARY = """query($scope: ID!, $year: Int!, $quarter: Int) {
  reportingComplianceSummary(scope: $scope, year: $year, quarter: $quarter) {
    government { code name } expected submitted onTime late missing notDue
  }
}"""


def counted(rows: list[dict[str, Any]]) -> dict[str, Counter[str]]:
    by_government: dict[str, Counter[str]] = {}
    for row in rows:
        by_government.setdefault(row["orgUnit"]["government"]["code"], Counter())[row["status"]] += 1
    return by_government


async def test_the_summary_counts_the_rows_per_government(demo_api: Api) -> None:
    reviewer = await demo_api.as_user("reviewer.61")
    province = await government_ids(demo_api, "61")
    variables = {"scope": province.government, "year": 2026, "quarter": 3}
    rows = (await reviewer.execute(ROWS, variables))["reportingCompliance"]
    summary, statements = await reviewer.count_statements(SUMMARY, variables)
    lines = summary["reportingComplianceSummary"]
    assert [line["government"]["code"] for line in lines][:2] == ["61", "61.01"]
    assert len(lines) == 15
    expected = counted(rows)
    for line in lines:
        tally = expected[line["government"]["code"]]
        assert line["expected"] == sum(tally.values())
        assert (line["onTime"], line["late"], line["missing"], line["notDue"]) == (
            tally["ON_TIME"], tally["LATE"], tally["MISSING"], tally["NOT_DUE"]
        )  # fmt: skip
        assert line["submitted"] == line["onTime"] + line["late"]
    kayong_utara = next(line for line in lines if line["government"]["code"] == "61.11")
    assert kayong_utara["submitted"] == 0 and kayong_utara["missing"] == kayong_utara["expected"] > 0
    # The caller, the scope, the units with their reports, and the fifteen governments in one
    # statement; a kabupaten/kota's own government is already known from its scope.
    kota = await government_ids(demo_api, "61.71")
    _, for_one = await reviewer.count_statements(SUMMARY, {**variables, "scope": kota.government})
    assert (statements, for_one) == (4, 3)


async def test_the_summary_stays_inside_the_callers_grants(demo_api: Api) -> None:
    operator = await demo_api.as_user("operator.61.71.dinkes")
    province = await government_ids(demo_api, "61")
    lines = (await operator.execute(SUMMARY, {"scope": province.government, "year": 2026, "quarter": 3}))[
        "reportingComplianceSummary"
    ]
    assert [(line["government"]["code"], line["expected"]) for line in lines] == [("61.71", 1)]
    anonymous = demo_api.anonymous()
    nothing = await anonymous.execute(SUMMARY, {"scope": province.government, "year": 2026, "quarter": 3})
    assert nothing["reportingComplianceSummary"] == []
