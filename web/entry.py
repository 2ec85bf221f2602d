"""Isian (operator): a unit's indicators for one quarter in a form, the target beside each
field; saved as a draft through SaveRealisations (the API's batch: all or nothing, errors per
field), submitted through SubmitReport; the report's comments and a reviewer's corrections shown
with each value."""

import functools
import uuid
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import Response

from domain.enums import OrgUnitKind
from domain.months import month_name, months_of
from domain.workflow import EDITABLE, REPORTING_UNIT_KINDS, ReportState, report_covers_subtree
from policies.viewer import Viewer
from schema.context import today
from web.figures import YEARS, period_of
from web.format import number
from web.graphql import PageGraphQL, UserError
from web.rendering import page, refused, see_other
from web.sessions import PageUser, Sessions

NOT_A_NUMBER = "Isi dengan angka, misalnya 87,5 atau 1.250."
EMPTIED = "Realisasi yang sudah tersimpan tidak dapat dikosongkan; isi nilainya, atau minta reviewer mengoreksinya."


@dataclass
class MonthRow:
    """A month of the quarter, for an indicator that reports monthly: its own field and note."""

    month: int
    name: str
    stored: dict[str, Any] | None
    entered_value: str
    entered_note: str
    errors: list[str] = field(default_factory=list)


@dataclass
class Row:
    """One indicator's line in the form; a monthly indicator's has a field per month of the
    quarter, and its quarter (`realisation`) is derived from them, shown, never typed."""

    indicator: dict[str, Any]
    target: dict[str, Any] | None
    annual_target: dict[str, Any] | None
    realisation: dict[str, Any] | None
    entered_value: str
    entered_note: str
    errors: list[str] = field(default_factory=list)
    months: list[MonthRow] = field(default_factory=list)

    @property
    def monthly(self) -> bool:
        return bool(self.indicator.get("reportingFrequency") == "MONTHLY")


@dataclass
class Changes:
    """What a form (or an upload) would send: the quarters and months that differ from what is
    stored, the field each item came from (to place its errors), and the fields that are not numbers."""

    quarters: list[dict[str, Any]] = field(default_factory=list)
    sent: list[str] = field(default_factory=list)  # the indicator of each quarter sent
    months: list[dict[str, Any]] = field(default_factory=list)
    months_sent: list[tuple[str, int]] = field(default_factory=list)  # (indicator, month) of each month sent
    invalid: list[UserError] = field(default_factory=list)


def parse_number(text: str) -> Decimal | None:
    """What an operator types: `87,5`, `1.250`, `1.250,75` or `87.5`; None when it is not a number.
    With a comma, dots group thousands; without one, a single dot is the decimal point."""
    cleaned = text.strip().replace(" ", "")
    if "," in cleaned:
        cleaned = cleaned.replace(".", "").replace(",", ".")
    elif cleaned.count(".") > 1:
        cleaned = cleaned.replace(".", "")
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        return None
    return value if value.is_finite() else None


def _shown(value: object) -> str:
    return "" if value is None else number(value)


async def _unit_and_period(
    graphql: PageGraphQL, request: Request, user: PageUser
) -> tuple[str | None, str | None, int, int]:
    """(unit, government to choose a unit in, year, quarter): the unit asked for, or the user's
    own when they operate a unit, or their government's units to choose from."""
    year, quarter = period_of(request, today())
    unit = request.query_params.get("unit")
    if unit is not None:
        return unit, None, year, quarter or 1
    first = await operated_scope(graphql, request, user)
    if first is None:
        return None, None, year, quarter or 1
    if first["__typename"] == "OrgUnit":
        return first["id"], None, year, quarter or 1
    return None, first["id"], year, quarter or 1


async def operated_scope(graphql: PageGraphQL, request: Request, user: PageUser) -> dict[str, Any] | None:
    """The scope of the user's first OPERATOR or ADMIN grant: the unit, or the government, the
    user enters values for; None when there is none."""
    me = (await graphql.run(request, user.viewer, "Me", {})).data["me"] or {}
    operating = [g["scope"] for g in me.get("grants", []) if g["role"] in ("OPERATOR", "ADMIN") and g["scope"]]
    return operating[0] if operating else None


async def form(graphql: PageGraphQL, sessions: Sessions, request: Request, user: PageUser) -> Response:
    unit, government, year, quarter = await _unit_and_period(graphql, request, user)
    if government is not None:
        return await _choose_unit(graphql, request, user, government, year, quarter)
    if unit is None:
        return refused(request, user, "Akun ini tidak mengisi realisasi unit mana pun.")
    return await _render(graphql, request, user, unit, year, quarter, saved=request.query_params.get("pesan"))


async def _choose_unit(
    graphql: PageGraphQL, request: Request, user: PageUser, government: str, year: int, quarter: int
) -> Response:
    found = (await graphql.run(request, user.viewer, "EntryUnits", {"government": government})).data["node"]
    root = (found or {}).get("rootUnit")
    if root is None:
        return refused(request, user)
    return page(request, user, "isian_pilih.html", government=found, units=[root, *root["children"]], year=year,
                quarter=quarter)  # fmt: skip


async def _render(
    graphql: PageGraphQL,
    request: Request,
    user: PageUser,
    unit: str,
    year: int,
    quarter: int,
    *,
    saved: str | None = None,
    entered: FormData | None = None,
    errors: list[UserError] | None = None,
    sent: list[str] | None = None,
    months_sent: list[tuple[str, int]] | None = None,
) -> Response:
    loaded = await load_entry(graphql, request, user.viewer, unit, year, quarter)
    if loaded is None:
        return refused(request, user)
    found, report, indicators = loaded
    rows = rows_of(indicators, year, quarter, entered)
    general = place_errors(rows, errors or [], sent or [], months_sent)
    editable = ReportState(report["state"]) in EDITABLE
    return page(request, user, "isian.html", status_code=400 if errors else 200, unit=found, report=report,
                rows=rows, general_errors=general, editable=editable, year=year, quarter=quarter, years=YEARS,
                saved=saved, key=uuid.uuid4().hex)  # fmt: skip


REPORTING_KINDS = {kind.value for kind in REPORTING_UNIT_KINDS}


def reported_by(unit: str, kind: str | None) -> dict[str, str] | None:
    """The indicator filter of what a unit's report covers (domain.workflow.report_covers_subtree);
    None for a unit that does not report."""
    if kind not in REPORTING_KINDS:
        return None
    return {"subtreeOf": unit} if report_covers_subtree(OrgUnitKind(kind)) else {"orgUnitId": unit}


async def load_entry(
    graphql: PageGraphQL, request: Request, viewer: Viewer, unit: str, year: int, quarter: int
) -> tuple[dict[str, Any], dict[str, Any], list[dict[str, Any]]] | None:
    """The unit, its report for the quarter and every indicator it reports (page by page); None
    for a unit that does not report, or whose report is not the viewer's to see (another
    government's unit, say)."""
    kind = ((await graphql.run(request, viewer, "UnitKind", {"unit": unit})).data["node"] or {}).get("kind")
    reported = reported_by(unit, kind)
    if reported is None:
        return None
    variables = {"unit": unit, "indicators": reported, "year": year, "quarter": quarter}
    answer, indicators = await graphql.with_all_indicators(request, viewer, "Entry", variables)
    found, report = answer["node"], answer["report"]
    if not found or "code" not in found or report is None:
        return None
    return found, report, indicators


def rows_of(indicators: list[dict[str, Any]], year: int, quarter: int, entered: FormData | None) -> list[Row]:
    rows = []
    for indicator in indicators:
        retired = indicator["retiredFromYear"]
        if retired is not None and retired <= year:
            continue
        realisation = next((r for r in indicator["realisations"] if r["quarter"] == quarter), None)
        stored = realisation or {}
        rows.append(
            Row(
                indicator=indicator,
                target=next((t for t in indicator["targets"] if t["quarter"] == quarter), None),
                annual_target=next((t for t in indicator["targets"] if t["quarter"] is None), None),
                realisation=realisation,
                # A field the post does not carry is unchanged (an emptied one is carried, empty).
                entered_value=_field(entered, f"nilai-{indicator['id']}", _stored_text(indicator, stored)),
                entered_note=_field(entered, f"catatan-{indicator['id']}", stored.get("note", "")),
                months=_months_of(indicator, quarter, entered),
            )
        )
    return rows


def _stored_text(indicator: dict[str, Any], stored: dict[str, Any]) -> str:
    return (stored.get("grade") or "") if indicator["ordinalScale"] else _shown(stored.get("value"))


def _months_of(indicator: dict[str, Any], quarter: int, entered: FormData | None) -> list[MonthRow]:
    if indicator.get("reportingFrequency") != "MONTHLY":
        return []
    months = []
    for month in months_of(quarter):
        stored = next((m for m in indicator["monthlyRealisations"] if m["month"] == month), None)
        name = f"{indicator['id']}-{month}"
        months.append(
            MonthRow(
                month=month,
                name=month_name(month),
                stored=stored,
                entered_value=_field(entered, f"nilai-{name}", _stored_text(indicator, stored or {})),
                entered_note=_field(entered, f"catatan-{name}", (stored or {}).get("note", "")),
            )
        )
    return months


def _field(entered: FormData | None, name: str, stored: str) -> str:
    if entered is None or name not in entered:
        return stored
    return str(entered[name])


def place_errors(
    rows: list[Row], errors: list[UserError], sent: list[str], months_sent: list[tuple[str, int]] | None = None
) -> list[UserError]:
    """Each error beside the field it names (`realisations.N.value` → the N-th quarter sent,
    `months.N.value` → the N-th month sent, `nilai-<indicator id>[-<month>]` for the page's own
    check); the rest above the form."""
    by_indicator = {row.indicator["id"]: row for row in rows}
    general = []
    for error in errors:
        messages = _errors_of(error.field or "", by_indicator, sent, months_sent or [])
        if messages is None:
            general.append(error)
        else:
            messages.append(error.message)
    return general


def _errors_of(
    path: str, by_indicator: dict[str, Row], sent: list[str], months_sent: list[tuple[str, int]]
) -> list[str] | None:
    """The error list of the field a path names, if it is on the page."""
    parts = path.split(".")
    if len(parts) >= 2 and parts[1].isdigit():
        index = int(parts[1])
        if parts[0] == "realisations" and index < len(sent):
            row = by_indicator.get(sent[index])
            return row.errors if row else None
        if parts[0] == "months" and index < len(months_sent):
            return _month_errors(by_indicator, *months_sent[index])
    if path.startswith("nilai-"):
        indicator, _, month = path.removeprefix("nilai-").partition("-")
        if month.isdigit():
            return _month_errors(by_indicator, indicator, int(month))
        row = by_indicator.get(indicator)
        return row.errors if row else None
    return None


def _month_errors(by_indicator: dict[str, Row], indicator: str, month: int) -> list[str] | None:
    row = by_indicator.get(indicator)
    found = next((m for m in row.months if m.month == month), None) if row else None
    return found.errors if found else None


class NotANumber(Exception):
    """What was typed for a numeric indicator is not a number."""


def batch_item(
    indicator: dict[str, Any], stored: dict[str, Any] | None, text: str, note: str, year: int, period: dict[str, int]
) -> dict[str, Any] | None:
    """The realisation to send for a typed value and note (`period`: {"quarter": q} or, for an
    indicator that reports monthly, {"month": m}), naming the stored version it replaces; None
    when they are what is stored. The form and an Excel upload both send these."""
    stored = stored or {}
    item: dict[str, Any] = {"indicatorId": indicator["id"], "year": year, **period, "note": note}
    if indicator["ordinalScale"]:
        if text == (stored.get("grade") or "") and note == stored.get("note", ""):
            return None
        item["grade"] = text
    else:
        value = parse_number(text)
        if value is None:
            raise NotANumber
        if stored and Decimal(stored["value"]) == value and note == stored.get("note", ""):
            return None
        item["value"] = str(value)
    if stored:
        item["expectedVersion"] = stored["version"]
    return item


def changes(rows: list[Row], year: int, quarter: int) -> Changes:
    """The batch to send: every field whose value or note differs from what is stored; and the
    fields that are not numbers (an emptied stored value among them)."""
    found = Changes()
    for row in rows:
        indicator = row.indicator
        fields = (
            [(f"{indicator['id']}-{m.month}", m.stored, m.entered_value, m.entered_note, {"month": m.month})
             for m in row.months]
            if row.monthly
            else [(indicator["id"], row.realisation, row.entered_value, row.entered_note, {"quarter": quarter})]
        )  # fmt: skip
        for name, stored, typed, typed_note, period in fields:
            text, note = typed.strip(), typed_note.strip()
            if not text and not stored:
                continue
            try:
                item = batch_item(indicator, stored, text, note, year, period)
            except NotANumber:
                code, message = ("INVALID_NUMBER", NOT_A_NUMBER) if text else ("VALUE_REQUIRED", EMPTIED)
                found.invalid.append(UserError(code, f"nilai-{name}", message))
                continue
            if item is None:
                continue
            if "month" in period:
                found.months.append(item)
                found.months_sent.append((indicator["id"], period["month"]))
            else:
                found.quarters.append(item)
                found.sent.append(indicator["id"])
    return found


async def save(graphql: PageGraphQL, sessions: Sessions, request: Request, user: PageUser) -> Response:
    posted = await request.form()
    unit = str(posted.get("unit", ""))
    year, quarter = _whole(posted.get("tahun")), _whole(posted.get("triwulan"))
    if year not in YEARS or quarter not in (1, 2, 3, 4):
        return refused(request, user, "Periode tidak dikenal.")
    loaded = await load_entry(graphql, request, user.viewer, unit, year, quarter)
    if loaded is None:
        return refused(request, user)
    _, report, indicators = loaded
    if posted.get("aksi") == "komentar":
        return await _comment(graphql, request, user, posted, unit, year, quarter, report["id"])
    rows = rows_of(indicators, year, quarter, posted)
    found = changes(rows, year, quarter)
    redisplay = functools.partial(_render, graphql, request, user, unit, year, quarter, entered=posted,
                                  sent=found.sent, months_sent=found.months_sent)  # fmt: skip
    if found.invalid:
        return await redisplay(errors=found.invalid)
    if found.quarters or found.months:
        key = str(posted.get("kunci", "")) or uuid.uuid4().hex
        variables = {"key": key, "realisations": found.quarters, "months": found.months}
        errors = await graphql.mutate(request, user.viewer, "SaveRealisations", variables)
        if errors:
            return await redisplay(errors=errors)
    message = "tersimpan"
    if posted.get("aksi") == "ajukan":
        errors = await graphql.mutate(request, user.viewer, "SubmitReport", {"unit": unit, "year": year,
                                                                             "quarter": quarter})  # fmt: skip
        if errors:
            return await redisplay(errors=errors)
        message = "diajukan"
    return see_other(f"/isian?unit={unit}&tahun={year}&triwulan={quarter}&pesan={message}")


def _whole(value: object) -> int:
    """A form's whole number; 0 for anything else (then refused as an unknown period)."""
    text = str(value or "")
    return int(text) if text.isdigit() and len(text) <= 4 else 0


async def _comment(
    graphql: PageGraphQL,
    request: Request,
    user: PageUser,
    posted: FormData,
    unit: str,
    year: int,
    quarter: int,
    report: str,
) -> Response:
    variables = {
        "report": report,
        "body": str(posted.get("isi", "")),
        "indicator": str(posted.get("indikator") or "") or None,
        "parent": str(posted.get("balasan") or "") or None,
    }
    errors = await graphql.mutate(request, user.viewer, "AddComment", variables)
    if errors:
        return await _render(graphql, request, user, unit, year, quarter, errors=errors)
    return see_other(f"/isian?unit={unit}&tahun={year}&triwulan={quarter}&pesan=komentar")
