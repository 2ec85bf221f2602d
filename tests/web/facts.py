"""Ids and values of the demo the page tests start from, read through the API."""

from datetime import date, timedelta
from typing import Any

from schema.context import today
from tests.api.client import Api

UNITS = """
query Units($code: String!) {
  government(code: $code) { id rootUnit { id children { id code name } } }
}
"""
VALUES = """
query Values($unit: ID!, $year: Int!) {
  indicators(filter: {subtreeOf: $unit}, first: 100) {
    edges { node { id code realisations(year: $year) { quarter value version } } }
  }
}
"""


LOG = (
    """mutation($input: LogActivityInput!) { logActivity(input: $input) { activityLog { id } userErrors { code } } }"""
)
SUBMIT = """mutation($week: Date!) { submitActivityWeek(input: {weekStart: $week}) { userErrors { code } } }"""
APPROVE = """mutation($employee: ID!, $week: Date!) { reviewActivityWeek(input: {employeeId: $employee,
  weekStart: $week}) { userErrors { code } } }"""


async def government_id(api: Api, code: str) -> str:
    found: str = (await api.execute(UNITS, {"code": code}))["government"]["id"]
    return found


async def unit_id(api: Api, government: str, code: str) -> str:
    units = (await api.execute(UNITS, {"code": government}))["government"]["rootUnit"]["children"]
    found: str = next(unit["id"] for unit in units if unit["code"] == code)
    return found


async def quarter_values(api: Api, unit: str, year: int, quarter: int) -> dict[str, dict[str, Any] | None]:
    """Each indicator's code → its stored realisation of the quarter (None when there is none)."""
    edges = (await api.execute(VALUES, {"unit": unit, "year": year}))["indicators"]["edges"]
    return {
        edge["node"]["code"]: next((r for r in edge["node"]["realisations"] if r["quarter"] == quarter), None)
        for edge in edges
    }


def last_month_monday() -> date:
    first = (today().replace(day=1) - timedelta(days=1)).replace(day=1)
    return first + timedelta(days=(7 - first.weekday()) % 7)


async def approved_week(api: Api, monday: date) -> tuple[str, list[str]]:
    """Two entries of the demo's first staff member on `monday`, submitted and approved by the kasi."""
    staf = await api.as_user("staf.61.71.dinkes")
    me = (await staf.execute("{ myEmployee { id } }"))["myEmployee"]["id"]
    ids = []
    for start, end, text in (("08:00", "10:00", "Merekap laporan imunisasi"), ("10:00", "12:00", "Rapat teknis")):
        entry = {"workDate": monday.isoformat(), "startsAt": start, "endsAt": end, "kind": "HADIR", "description": text}
        ids.append((await staf.execute(LOG, {"input": entry}))["logActivity"]["activityLog"]["id"])
    assert (await staf.execute(SUBMIT, {"week": monday.isoformat()}))["submitActivityWeek"]["userErrors"] == []
    kasi = await api.as_user("kasi.61.71.dinkes")
    decided = await kasi.execute(APPROVE, {"employee": me, "week": monday.isoformat()})
    assert decided["reviewActivityWeek"]["userErrors"] == []
    return me, ids
