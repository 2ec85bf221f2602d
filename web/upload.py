"""Isian by Excel: the unit's template for a quarter, and an upload checked row by row by a dry run
of the very submission that would write it (SaveRealisations with dryRun), shown as a list and
downloadable as the same workbook annotated; once nothing is wrong, the operator confirms and the
batch is written at once, all or nothing."""

import json
import uuid
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from starlette.datastructures import FormData, UploadFile
from starlette.requests import Request
from starlette.responses import Response

from documents.realisation_workbook import (
    NOTE_COLUMN,
    VALUE_COLUMN,
    Period,
    TemplateRow,
    Upload,
    WorkbookRefused,
    annotated,
    read_upload,
    template,
)
from web.entry import NOT_A_NUMBER, NotANumber, Row, batch_item, load_entry, rows_of
from web.figures import YEARS, period_of
from web.format import number
from web.graphql import PageGraphQL
from web.rendering import page, refused, see_other
from web.sessions import PageUser, Sessions

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
UNKNOWN_CODE = "Kode indikator {code} tidak ada di unit ini; baris ini tidak dibaca."


@dataclass
class Checked:
    """What an upload would do, and what stops it."""

    batch: list[dict[str, Any]] = field(default_factory=list)
    lines: list[int] = field(default_factory=list)  # the worksheet row of each batch item
    problems: dict[tuple[int, str], str] = field(default_factory=dict)  # (row, column) → message
    blank: int = 0
    unchanged: int = 0


def target_text(row: Row) -> str:
    chosen = row.target or row.annual_target
    if chosen is None:
        return ""
    if chosen.get("grade"):
        return str(chosen["grade"])
    low = number(chosen["value"])
    return f"{low}–{number(chosen['high'])}" if chosen.get("high") else low


async def download(graphql: PageGraphQL, sessions: Sessions, request: Request, user: PageUser) -> Response:
    unit = request.query_params.get("unit", "")
    year, quarter = period_of(request, date.today())
    loaded = await load_entry(graphql, request, user, unit, year, quarter or 1)
    if loaded is None:
        return refused(request, user)
    found, _, indicators = loaded
    rows = [
        TemplateRow(row.indicator["code"], row.indicator["name"], row.indicator["unitOfMeasure"], target_text(row),
                    row.entered_value, row.entered_note)
        for row in rows_of(indicators, year, quarter or 1, None)
    ]  # fmt: skip
    data = template(Period(unit, found["name"], year, quarter or 1), rows)
    name = f"realisasi-{found['code'].lower() or 'pemda'}-{year}-tw{quarter or 1}.xlsx"
    return Response(data, media_type=XLSX, headers={"content-disposition": f'attachment; filename="{name}"'})


async def upload(graphql: PageGraphQL, sessions: Sessions, request: Request, user: PageUser) -> Response:
    posted = await request.form()
    if posted.get("aksi") == "simpan":
        return await _confirm(graphql, request, user, posted)
    chosen = posted.get("berkas")
    if not isinstance(chosen, UploadFile):
        return _report(request, user, refusal="Pilih berkas Excel yang akan diunggah.")
    data = await chosen.read()
    try:
        uploaded = read_upload(data)
    except WorkbookRefused as refusal:
        return _report(request, user, refusal=str(refusal))
    period = uploaded.period
    loaded = await load_entry(graphql, request, user, period.unit_id, period.year, period.quarter)
    if loaded is None:
        return refused(request, user, "Berkas ini untuk unit yang tidak dapat Anda isi.")
    found, _, indicators = loaded
    checked = check(uploaded, rows_of(indicators, period.year, period.quarter, None))
    if checked.batch and not checked.problems:
        variables = {"key": uuid.uuid4().hex, "realisations": checked.batch, "dryRun": True}
        for error in await graphql.mutate(request, user.viewer, "SaveRealisations", variables):
            checked.problems[_cell_of(error.field, checked.lines)] = error.message
    if posted.get("aksi") == "anotasi":
        name = (chosen.filename or "realisasi.xlsx").removesuffix(".xlsx") + "-catatan.xlsx"
        return Response(annotated(data, checked.problems), media_type=XLSX,
                        headers={"content-disposition": f'attachment; filename="{name}"'})  # fmt: skip
    return _report(request, user, unit=found, period=period, checked=checked)


def check(uploaded: Upload, rows: list[Row]) -> Checked:
    """Each worksheet row against the unit's indicators: unknown codes and unreadable cells are
    problems, blanks are not reported, unchanged values are left alone, the rest is the batch."""
    by_code = {row.indicator["code"]: row for row in rows}
    checked = Checked()
    period = uploaded.period
    for line in uploaded.rows:
        known = by_code.get(line.code)
        if known is None:
            checked.problems[(line.line, "A")] = UNKNOWN_CODE.format(code=line.code or "(kosong)")
            continue
        if line.problem is not None:
            checked.problems[(line.line, VALUE_COLUMN)] = line.problem
            continue
        if line.value is None:
            checked.blank += 1
            continue
        try:
            item = batch_item(known, line.value, line.note, period.year, period.quarter)
        except NotANumber:
            checked.problems[(line.line, VALUE_COLUMN)] = NOT_A_NUMBER
            continue
        if item is None:
            checked.unchanged += 1
            continue
        checked.batch.append(item)
        checked.lines.append(line.line)
    return checked


def _cell_of(path: str | None, lines: list[int]) -> tuple[int, str]:
    """`realisations.N.note` → (the N-th item's worksheet row, its column)."""
    parts = (path or "").split(".")
    index = int(parts[1]) if len(parts) >= 2 and parts[1].isdigit() else 0
    line = lines[index] if index < len(lines) else (lines[0] if lines else 1)
    return line, NOTE_COLUMN if parts[-1] == "note" else VALUE_COLUMN


async def _confirm(graphql: PageGraphQL, request: Request, user: PageUser, posted: FormData) -> Response:
    unit, year, quarter = str(posted.get("unit", "")), str(posted.get("tahun", "")), str(posted.get("triwulan", ""))
    try:
        batch = json.loads(str(posted.get("batch", "")))
    except ValueError:
        batch = None
    if not isinstance(batch, list) or not year.isdigit() or int(year) not in YEARS or quarter not in "1234":
        return _report(request, user, refusal="Konfirmasi tidak lengkap: unggah berkasnya lagi.")
    key = str(posted.get("kunci", "")) or uuid.uuid4().hex
    errors = await graphql.mutate(request, user.viewer, "SaveRealisations", {"key": key, "realisations": batch})
    if errors:
        return _report(request, user, refusal="Tidak ada yang disimpan: " + " ".join(e.message for e in errors))
    return see_other(f"/isian?unit={unit}&tahun={year}&triwulan={quarter}&pesan=diimpor&jumlah={len(batch)}")


def _report(request: Request, user: PageUser, *, refusal: str | None = None, **found: Any) -> Response:
    checked = found.get("checked")
    failed = refusal is not None or (checked is not None and bool(checked.problems))
    return page(request, user, "isian_unggah.html", status_code=400 if failed else 200, refusal=refusal,
                key=uuid.uuid4().hex, batch_json=json.dumps(checked.batch) if checked else "[]",
                problems=sorted(checked.problems.items()) if checked else [], **found)  # fmt: skip
