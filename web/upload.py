"""Isian by Excel: the unit's template for a quarter, and an upload checked row by row by a dry run
of the very submission that would write it (SaveRealisations with dryRun), shown as a list and
downloadable as the same workbook annotated; once nothing is wrong, the operator confirms and the
batch is written at once, all or nothing."""

import json
import uuid
from dataclasses import dataclass, field
from typing import Any

from starlette.datastructures import FormData, UploadFile
from starlette.requests import Request
from starlette.responses import Response

from documents.realisation_workbook import (
    NOTE_COLUMN,
    PERIOD_COLUMN,
    VALUE_COLUMN,
    Period,
    TemplateRow,
    Upload,
    WorkbookRefused,
    annotated,
    read_upload,
    template,
)
from domain.months import month_name, quarter_of
from policies.viewer import Viewer
from schema.context import today
from web.entry import NOT_A_NUMBER, NotANumber, Row, batch_item, load_entry, rows_of
from web.figures import YEARS, period_of
from web.format import number
from web.graphql import PageGraphQL
from web.rendering import page, refused, see_other
from web.sessions import PageUser, Sessions

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
UNKNOWN_CODE = "Kode indikator {code} tidak ada di unit ini; baris ini tidak dibaca."
NOT_YOURS = "Berkas ini untuk unit yang tidak dapat Anda isi."
MONTH_EXPECTED = "Indikator {code} dilaporkan bulanan: isi per bulan pada baris-baris bulannya (kolom Periode)."
QUARTER_EXPECTED = "Indikator {code} dilaporkan per triwulan: kolom Periode harus Triwulan {quarter}."
MONTH_OUTSIDE = "{month} bukan bulan triwulan {quarter}; baris ini tidak dibaca."


@dataclass
class Checked:
    """What an upload would do, and what stops it."""

    batch: list[dict[str, Any]] = field(default_factory=list)  # quarters
    lines: list[int] = field(default_factory=list)  # the worksheet row of each batch item
    months: list[dict[str, Any]] = field(default_factory=list)  # months of monthly indicators
    month_lines: list[int] = field(default_factory=list)
    problems: dict[tuple[int, str], str] = field(default_factory=dict)  # (row, column) → message
    blank: int = 0
    unchanged: int = 0

    @property
    def count(self) -> int:
        return len(self.batch) + len(self.months)


def target_text(row: Row) -> str:
    chosen = row.target or row.annual_target
    if chosen is None:
        return ""
    if chosen.get("grade"):
        return str(chosen["grade"])
    low = number(chosen["value"])
    return f"{low}–{number(chosen['high'])}" if chosen.get("high") else low


async def download(graphql: PageGraphQL, sessions: Sessions, request: Request, user: PageUser) -> Response:
    year, quarter = period_of(request, today())
    made = await workbook_of(graphql, request, user.viewer, request.query_params.get("unit", ""), year, quarter or 1)
    if made is None:
        return refused(request, user)
    name, data = made
    return Response(data, media_type=XLSX, headers={"content-disposition": f'attachment; filename="{name}"'})


async def workbook_of(
    graphql: PageGraphQL, request: Request, viewer: Viewer, unit: str, year: int, quarter: int
) -> tuple[str, bytes] | None:
    """The unit's template for the quarter (file name and bytes), with the values entered so
    far; None when the unit does not report or is not the viewer's."""
    loaded = await load_entry(graphql, request, viewer, unit, year, quarter)
    if loaded is None:
        return None
    found, _, indicators = loaded
    rows = [
        TemplateRow(row.indicator["code"], row.indicator["name"], row.indicator["unitOfMeasure"], target_text(row),
                    value, note, period)
        for row in rows_of(indicators, year, quarter, None)
        for value, note, period in _lines_of(row, quarter)
    ]  # fmt: skip
    data = template(Period(unit, found["name"], year, quarter), rows)
    return f"realisasi-{found['code'].lower() or 'pemda'}-{year}-tw{quarter}.xlsx", data


def _lines_of(row: Row, quarter: int) -> list[tuple[str, str, str]]:
    """(value, note, period) of each worksheet row of an indicator: one for the quarter, or one
    per month of it for an indicator that reports monthly."""
    if row.monthly:
        return [(m.entered_value, m.entered_note, m.name) for m in row.months]
    return [(row.entered_value, row.entered_note, f"Triwulan {quarter}")]


async def upload(graphql: PageGraphQL, sessions: Sessions, request: Request, user: PageUser) -> Response:
    posted = await request.form()
    if posted.get("aksi") == "simpan":
        return await _confirm(graphql, request, user, posted)
    chosen = posted.get("berkas")
    if not isinstance(chosen, UploadFile):
        return _report(request, user, refusal="Pilih berkas Excel yang akan diunggah.")
    data = await chosen.read()
    try:
        found = await checked_upload(graphql, request, user.viewer, data)
    except WorkbookRefused as refusal:
        return _report(request, user, refusal=str(refusal))
    if found is None:
        return refused(request, user, NOT_YOURS)
    if posted.get("aksi") == "anotasi":
        name = (chosen.filename or "realisasi.xlsx").removesuffix(".xlsx") + "-catatan.xlsx"
        return Response(annotated(data, found.checked.problems), media_type=XLSX,
                        headers={"content-disposition": f'attachment; filename="{name}"'})  # fmt: skip
    return _report(request, user, unit=found.unit, period=found.period, checked=found.checked)


@dataclass(frozen=True)
class CheckedUpload:
    unit: dict[str, Any]
    period: Period
    checked: Checked


async def checked_upload(graphql: PageGraphQL, request: Request, viewer: Viewer, data: bytes) -> CheckedUpload | None:
    """An uploaded workbook read and checked row by row, then by a dry run of the very submission
    that would write it; None when it is for a unit the viewer may not fill. A file that cannot
    be read as the template raises WorkbookRefused."""
    uploaded = read_upload(data)
    period = uploaded.period
    loaded = await load_entry(graphql, request, viewer, period.unit_id, period.year, period.quarter)
    if loaded is None:
        return None
    found, _, indicators = loaded
    checked = check(uploaded, rows_of(indicators, period.year, period.quarter, None))
    if checked.count and not checked.problems:
        variables = {"key": uuid.uuid4().hex, "realisations": checked.batch, "months": checked.months, "dryRun": True}
        for error in await graphql.mutate(request, viewer, "SaveRealisations", variables):
            checked.problems[_cell_of(error.field, checked)] = error.message
    return CheckedUpload(found, period, checked)


def check(uploaded: Upload, rows: list[Row]) -> Checked:
    """Each worksheet row against the unit's indicators: unknown codes, unreadable cells and rows
    of the wrong period are problems, blanks are not reported, unchanged values are left alone,
    the rest is the batch."""
    by_code = {row.indicator["code"]: row for row in rows}
    checked = Checked()
    period = uploaded.period
    for line in uploaded.rows:
        known = by_code.get(line.code)
        if known is None:
            checked.problems[(line.line, "A")] = UNKNOWN_CODE.format(code=line.code or "(kosong)")
            continue
        if line.problem is not None:
            checked.problems[(line.line, line.problem_column)] = line.problem
            continue
        misplaced = _misplaced(known, line.month, period.quarter)
        if misplaced is not None:
            checked.problems[(line.line, PERIOD_COLUMN)] = misplaced
            continue
        if line.value is None:
            checked.blank += 1
            continue
        month = next((m for m in known.months if m.month == line.month), None)
        stored = month.stored if month else known.realisation
        at = {"month": month.month} if month else {"quarter": period.quarter}
        try:
            item = batch_item(known.indicator, stored, line.value, line.note, period.year, at)
        except NotANumber:
            checked.problems[(line.line, VALUE_COLUMN)] = NOT_A_NUMBER
            continue
        if item is None:
            checked.unchanged += 1
        elif month is not None:
            checked.months.append(item)
            checked.month_lines.append(line.line)
        else:
            checked.batch.append(item)
            checked.lines.append(line.line)
    return checked


def _misplaced(row: Row, month: int | None, quarter: int) -> str | None:
    """Why a worksheet row's period is not one its indicator reports, if it is not."""
    code = row.indicator["code"]
    if not row.monthly:
        return None if month is None else QUARTER_EXPECTED.format(code=code, quarter=quarter)
    if month is None:
        return MONTH_EXPECTED.format(code=code)
    if quarter_of(month) != quarter:
        return MONTH_OUTSIDE.format(month=month_name(month), quarter=quarter)
    return None


def _cell_of(path: str | None, checked: Checked) -> tuple[int, str]:
    """`realisations.N.note` → (the N-th quarter's worksheet row, its column); `months.N.value`
    → the N-th month's."""
    parts = (path or "").split(".")
    lines = checked.month_lines if parts[0] == "months" else checked.lines
    index = int(parts[1]) if len(parts) >= 2 and parts[1].isdigit() else 0
    line = lines[index] if index < len(lines) else (lines[0] if lines else 1)
    return line, NOTE_COLUMN if parts[-1] == "note" else VALUE_COLUMN


async def _confirm(graphql: PageGraphQL, request: Request, user: PageUser, posted: FormData) -> Response:
    unit, year, quarter = str(posted.get("unit", "")), str(posted.get("tahun", "")), str(posted.get("triwulan", ""))
    try:
        batch = json.loads(str(posted.get("batch", "")))
    except ValueError:
        batch = None
    lists = (batch.get("realisations"), batch.get("months")) if isinstance(batch, dict) else (None, None)
    if not all(isinstance(rows, list) for rows in lists) or not year.isdigit() or int(year) not in YEARS \
            or quarter not in "1234":  # fmt: skip
        return _report(request, user, refusal="Konfirmasi tidak lengkap: unggah berkasnya lagi.")
    key = str(posted.get("kunci", "")) or uuid.uuid4().hex
    variables = {"key": key, "realisations": lists[0], "months": lists[1]}
    errors = await graphql.mutate(request, user.viewer, "SaveRealisations", variables)
    if errors:
        return _report(request, user, refusal="Tidak ada yang disimpan: " + " ".join(e.message for e in errors))
    count = sum(len(rows) for rows in lists if isinstance(rows, list))
    return see_other(f"/isian?unit={unit}&tahun={year}&triwulan={quarter}&pesan=diimpor&jumlah={count}")


def _report(request: Request, user: PageUser, *, refusal: str | None = None, **found: Any) -> Response:
    checked = found.get("checked")
    failed = refusal is not None or (checked is not None and bool(checked.problems))
    return page(request, user, "isian_unggah.html", status_code=400 if failed else 200, refusal=refusal,
                key=uuid.uuid4().hex,
                batch_json=json.dumps({"realisations": checked.batch if checked else [],
                                       "months": checked.months if checked else []}),
                problems=sorted(checked.problems.items()) if checked else [], **found)  # fmt: skip
