"""Ids and values of the demo the page tests start from, read through the API."""

from typing import Any

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
