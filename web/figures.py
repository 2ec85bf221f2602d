"""What several pages share: the period asked for in the address, and a rollup as a tile."""

from datetime import date
from typing import Any

from starlette.requests import Request

from domain.completeness import Coverage, shown_category
from domain.periods import last_ended_quarter

YEARS = range(2020, 2036)


def period_of(request: Request, today: date) -> tuple[int, int | None]:
    """`?tahun=&triwulan=` (triwulan 0: the whole year); by default the quarter last ended."""
    year, quarter = last_ended_quarter(today)
    given_year = request.query_params.get("tahun", "")
    if given_year.isdigit() and int(given_year) in YEARS:
        year = int(given_year)
    given_quarter = request.query_params.get("triwulan")
    if given_quarter is None:
        return year, quarter
    return year, int(given_quarter) if given_quarter in ("1", "2", "3", "4") else None


def figure(rollup: dict[str, Any] | None) -> dict[str, Any]:
    """A rollup as a tile shows it: its category only when every indicator counted."""
    if rollup is None:
        return {"percent": None, "shown": None, "indicatorCount": 0, "countedCount": 0, "missingCount": 0}
    coverage = Coverage(rollup["indicatorCount"], rollup["countedCount"])
    return {**rollup, "shown": shown_category(rollup["category"], coverage)}


def tiles(rollup: dict[str, Any] | None) -> list[dict[str, Any]]:
    return [{**figure(child), "scope": child["scope"]} for child in (rollup or {}).get("children", [])]


def trend(holder: dict[str, Any]) -> list[dict[str, Any]]:
    """The q1…q4 aliases of an answer, in order (no figure where a quarter has none)."""
    return [holder[f"q{quarter}"] or {"percent": None, "category": None} for quarter in (1, 2, 3, 4)]
