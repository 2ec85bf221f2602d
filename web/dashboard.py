"""Dasbor: a government's or unit's achievement for a year and quarter, one tile per child,
the trend over the quarters, the distribution by category, reporting compliance and the
indicators furthest below target; each tile drills down one level, a unit to its indicators.
The rollup downloads as a workbook or PDF (rekap), and a unit's quarterly measurement form
(formulir pengukuran kinerja) likewise."""

import asyncio
from decimal import Decimal
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from documents.measurement import MeasuredIndicator, MeasurementForm, measurement_pdf, measurement_workbook
from documents.rollup import RollupRow, RollupSheet, rollup_pdf, rollup_workbook
from domain.notation import MONTHS
from policies.permissions import Permission
from schema.context import today
from schema.ids import decode_id_of
from web.entry import REPORTING_KINDS
from web.figures import YEARS, figure, period_of, tiles, trend
from web.format import category
from web.graphql import PageGraphQL
from web.rendering import navigation, not_found, page, refused
from web.sessions import PageUser, Sessions
from web.tile_map import positions


async def overview(graphql: PageGraphQL, sessions: Sessions, request: Request, user: PageUser) -> Response:
    if not user.viewer.may_anywhere(Permission.READ_VALUES):
        # Where signing in leads everyone: a quality assurer, a BKPSDM verifier, a finance officer
        # or an employee without a grant reads no achievement, so it is shown its workspaces.
        workspaces = [(href, label) for href, label in navigation(user) if href not in ("/", "/dasbor", "/pengembang")]
        return page(request, user, "ruang_kerja.html", workspaces=workspaces)
    scope = request.query_params.get("lingkup") or await home_scope(graphql, request, user)
    if scope is None:
        return refused(request, user, "Akun ini belum memiliki wilayah kerja.")
    year, quarter = period_of(request, today())
    variables = {"scope": scope, "year": year, "quarter": quarter}
    answer = await graphql.run(request, user.viewer, "Dashboard", variables)
    rollup = answer.data["rollup"]
    if rollup is None:
        return refused(request, user)
    here = rollup["scope"]
    province = here.get("governmentKind") == "PROVINSI"
    summary: list[dict[str, Any]] = []
    compliance: list[dict[str, Any]] = []
    if quarter is not None:
        counted = await graphql.run(request, user.viewer, "DashboardComplianceSummary", variables)
        summary = counted.data["reportingComplianceSummary"]
        if not province:  # a province's hundreds of units are counted per kabupaten/kota instead
            listed = await graphql.run(request, user.viewer, "Compliance", variables)
            compliance = listed.data["reportingCompliance"]
    furthest: list[dict[str, Any]] = []
    if not province:  # a province's are asked per kab/kota (its tiles lead there)
        furthest = (await graphql.run(request, user.viewer, "LowestAchievements", variables)).data["lowestAchievements"]
    indicators: list[dict[str, Any]] = []
    if rollup["scope"]["__typename"] == "OrgUnit":
        unit = (await graphql.run(request, user.viewer, "UnitIndicators", {**variables, "unit": scope})).data["node"]
        indicators = lowest_first((unit or {}).get("indicators", []))
    rows = tiles(rollup)
    period = f"&tahun={year}&triwulan={quarter or 0}"

    def drill(row: dict[str, Any]) -> str:
        return f"/dasbor?lingkup={row['scope']['id']}{period}"

    return page(request, user, "dasbor.html", rollup=rollup, overall=figure(rollup), rows=rows,
                trend=trend(answer.data), compliance=compliance, indicators=indicators, furthest=furthest,
                late=[row for row in compliance if row["status"] in ("LATE", "MISSING")],
                compliance_summary=summary, province=province,
                lowest=lowest_first_tiles(rows), year=year, quarter=quarter, years=YEARS, scope=scope,
                drill=drill, placed=positions(here["code"]) if here["__typename"] == "Government" else None,
                distribution_chart=distribution_chart(rollup))  # fmt: skip


EXPORTS = {
    "xlsx": (rollup_workbook, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    "pdf": (rollup_pdf, "application/pdf"),
}


async def export(graphql: PageGraphQL, sessions: Sessions, request: Request, user: PageUser) -> Response:
    """The dasbor's rollup, one row per child, as a workbook or PDF: the same operation as the
    page, so the same grants and the same figures."""
    made = EXPORTS.get(request.path_params["format"])
    scope = request.query_params.get("lingkup") or await home_scope(graphql, request, user)
    if made is None or scope is None:
        return not_found(request, user)
    year, quarter = period_of(request, today())
    answer = await graphql.run(request, user.viewer, "Dashboard", {"scope": scope, "year": year, "quarter": quarter})
    rollup = answer.data["rollup"]
    if rollup is None:
        return refused(request, user)
    here = rollup["scope"]
    sheet = RollupSheet(here["name"], year, quarter, rollup_row(here, rollup),
                        tuple(rollup_row(child["scope"], child) for child in rollup["children"]))  # fmt: skip
    build, media_type = made
    content = await asyncio.to_thread(build, sheet)  # layout is CPU work: off the event loop
    name = f"rekap-{(here['code'] or 'capaian').lower()}-{year}-tw{quarter or 0}.{request.path_params['format']}"
    return Response(content, media_type=media_type, headers={"content-disposition": f'attachment; filename="{name}"',
                                                             "cache-control": "private, no-store"})  # fmt: skip


def rollup_row(scope: dict[str, Any], rollup: dict[str, Any]) -> RollupRow:
    shown = figure(rollup)
    percent = shown["percent"]
    return RollupRow(scope["code"] or "", scope["name"], Decimal(str(percent)) if percent is not None else None,
                     shown["shown"], shown["indicatorCount"], shown["countedCount"], shown["missingCount"])  # fmt: skip


async def home_scope(graphql: PageGraphQL, request: Request, user: PageUser) -> str | None:
    """The scope of the user's first grant (the widest, as the demo and admins grant them)."""
    me = (await graphql.run(request, user.viewer, "Me", {})).data["me"]
    scopes = [grant["scope"]["id"] for grant in (me or {}).get("grants", []) if grant["scope"]]
    return scopes[0] if scopes else None


async def indicator(graphql: PageGraphQL, sessions: Sessions, request: Request, user: PageUser) -> Response:
    year, _ = period_of(request, today())
    answer = await graphql.run(request, user.viewer, "IndicatorDetail", {"id": request.path_params["id"], "year": year})
    found = answer.data["node"]
    if not found or "code" not in found:
        return not_found(request, user)
    if found["annual"] is None:  # the values are not the viewer's to read
        return refused(request, user)
    quarters = [
        {
            "quarter": quarter,
            "target": next((t for t in found["targets"] if t["quarter"] == quarter), None),
            "realisation": next((r for r in found["realisations"] if r["quarter"] == quarter), None),
            "achievement": found[f"a{quarter}"],
        }
        for quarter in (1, 2, 3, 4)
    ]
    annual_target = next((t for t in found["targets"] if t["quarter"] is None), None)
    comments, trail = await activity(graphql, request, user, found, year)
    targets = [chart_value((q["achievement"] or {}).get("target")) for q in quarters]
    values = [chart_value((q["realisation"] or {}).get("value")) for q in quarters]
    chart = {
        "type": "bar",
        "labels": ["TW I", "TW II", "TW III", "TW IV"],
        "series": [
            {"label": "Target s.d. triwulan", "values": targets, "colors": "#8c959f", "border": "#57606a"},
            {"label": "Realisasi", "values": values},
        ],
    }
    return page(request, user, "indikator.html", indicator=found, quarters=quarters, annual_target=annual_target,
                year=year, years=YEARS, chart=chart, comments=comments, trail=trail, month_names=MONTHS,
                aggregation_names=AGGREGATION_NAMES)  # fmt: skip


# How a monthly indicator's quarter is made (domain/months.py), as the indicator page says it.
AGGREGATION_NAMES = {"SUM": "jumlah ketiga bulan", "LAST": "nilai bulan terakhir", "AVERAGE": "rata-rata ketiga bulan"}


TRAIL_ACTIONS = {"realisation.set": "Realisasi diisi", "realisation.correct": "Realisasi dikoreksi",
                 "realisation.derive": "Realisasi triwulan dihitung dari bulan-bulannya",
                 "target.set": "Target ditetapkan"}  # fmt: skip


def reporting_unit(unit: dict[str, Any]) -> str | None:
    """The perangkat daerah (or pemda) whose reports carry a unit's indicators."""
    current: dict[str, Any] | None = unit
    while current is not None:
        if current.get("kind") in REPORTING_KINDS:
            return str(current["id"])
        current = current.get("parent")
    return None


async def activity(
    graphql: PageGraphQL, request: Request, user: PageUser, found: dict[str, Any], year: int
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The indicator's comments in the year's quarterly reports, and its audit trail, newest first."""
    unit = reporting_unit(found["orgUnit"])
    pk = decode_id_of(found["id"], "Indicator")
    if unit is None or pk is None:
        return [], []
    keys = {"annual": f"{pk}:{year}:0", **{f"q{q}": f"{pk}:{year}:{q}" for q in (1, 2, 3, 4)}}
    data = (await graphql.run(request, user.viewer, "IndicatorActivity", {"unit": unit, "year": year, **keys})).data
    comments = [
        {**comment, "quarter": report["quarter"]}
        for report in (data[f"r{q}"] for q in (1, 2, 3, 4))
        if report
        for comment in report["comments"]
        if (comment["indicator"] or {}).get("id") == found["id"]
    ]
    trail = sorted(
        (
            {**edge["node"], "label": TRAIL_ACTIONS.get(edge["node"]["action"], edge["node"]["action"])}
            for key in ("h0", "h1", "h2", "h3", "h4")
            for edge in data[key]["edges"]
        ),
        key=lambda entry: entry["at"],
        reverse=True,
    )
    return comments, trail


CATEGORY_COLOURS = {
    "SANGAT_TINGGI": "#14532d",
    "TINGGI": "#15803d",
    "SEDANG": "#a16207",
    "RENDAH": "#c2410c",
    "SANGAT_RENDAH": "#991b1b",
}


def distribution_chart(rollup: dict[str, Any]) -> dict[str, Any]:
    """Indicators per category and those not yet measured, as a doughnut."""
    counts = rollup["byCategory"]
    return {
        "type": "doughnut",
        "labels": [category(item["category"]) for item in counts] + ["Belum terukur"],
        "series": [
            {
                "label": "Indikator",
                "values": [item["count"] for item in counts] + [rollup["missingCount"]],
                "colors": [CATEGORY_COLOURS[item["category"]] for item in counts] + ["#d0d7de"],
            }
        ],
    }


def chart_value(value: object) -> float | None:
    return None if value is None else float(str(value))


def lowest_first(indicators: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Indicators furthest below target first; those without an achievement last."""

    def key(item: dict[str, Any]) -> tuple[int, float]:
        percent = (item.get("achievement") or {}).get("percent")
        return (1, 0.0) if percent is None else (0, float(percent))

    return sorted(indicators, key=key)


def lowest_first_tiles(rows: list[dict[str, Any]], count: int = 5) -> list[dict[str, Any]]:
    return sorted((row for row in rows if row["percent"] is not None), key=lambda row: float(row["percent"]))[:count]


async def measurement(graphql: PageGraphQL, sessions: Sessions, request: Request, user: PageUser) -> Response:
    """A unit's quarterly measurement form (formulir pengukuran kinerja) as a workbook or PDF, from
    the MeasurementForm operation as the signed-in user."""
    made = MEASUREMENT_EXPORTS.get(request.path_params["format"])
    scope = request.query_params.get("lingkup")
    if made is None or scope is None:
        return not_found(request, user)
    year, quarter = period_of(request, today())
    quarter = quarter or 4  # the whole year: through the fourth quarter
    answer = await graphql.run(
        request, user.viewer, "MeasurementForm", {"unit": scope, "year": year, "quarter": quarter}
    )
    unit = answer.data["node"]
    if not unit or "indicators" not in unit:
        return not_found(request, user)
    measured = [measured_indicator(i, quarter) for i in unit["indicators"] if active_in(i, year)]
    if measured and all(row is None for row in measured):
        return refused(request, user)  # the unit's values are not the viewer's to read
    form = MeasurementForm(unit["name"], year, quarter, tuple(row for row in measured if row is not None))
    build, media_type = made
    content = await asyncio.to_thread(build, form)
    name = f"pengukuran-{year}-tw{quarter}.{request.path_params['format']}"
    return Response(content, media_type=media_type, headers={"content-disposition": f'attachment; filename="{name}"',
                                                             "cache-control": "private, no-store"})  # fmt: skip


def active_in(indicator: dict[str, Any], year: int) -> bool:
    retired = indicator["retiredFromYear"]
    return retired is None or retired > year


def measured_indicator(indicator: dict[str, Any], quarter: int) -> MeasuredIndicator | None:
    """A row of the form; None when the achievement is hidden from the viewer."""
    achievement = indicator["achievement"]
    if achievement is None:
        return None
    targets = {t["quarter"]: t for t in indicator["targets"]}
    target = targets.get(quarter) or targets.get(None)
    realised = {r["quarter"]: r["grade"] or r["value"] for r in indicator["realisations"]}
    percent = achievement["percent"]
    return MeasuredIndicator(
        code=indicator["code"],
        name=indicator["name"],
        unit_of_measure=indicator["unitOfMeasure"],
        target=None if target is None else (target["grade"] or target["value"]),
        realisations=tuple(realised.get(q) for q in (1, 2, 3, 4)),
        percent=Decimal(str(percent)) if percent is not None else None,
        category=achievement["category"],
        reason=achievement["reason"],
    )


MEASUREMENT_EXPORTS = {
    "xlsx": (measurement_workbook, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    "pdf": (measurement_pdf, "application/pdf"),
}
