"""Isian by Excel: the template as openpyxl reads it, an upload checked row by row without
writing, the annotated workbook, the confirmed write, and files refused as a whole."""

import html
import io
import re
import zipfile
from collections.abc import AsyncIterator
from dataclasses import dataclass

import httpx
import pytest
from openpyxl import load_workbook

from tests.api.client import Api
from tests.web.facts import quarter_values, unit_id
from tests.web.pages import Pages


@dataclass
class Served:
    pages: Pages
    api: Api
    dinkes: str


@pytest.fixture
async def served(fresh_url: str) -> AsyncIterator[Served]:
    async with Pages.serving(fresh_url) as pages, Api.serving(fresh_url) as api:
        await pages.sign_in("operator.61.71.dinkes")
        yield Served(pages, api, await unit_id(api, "61.71", "DINKES"))


async def template_of(served: Served) -> bytes:
    answer = await served.pages.get(f"/isian/templat?unit={served.dinkes}&tahun=2026&triwulan=3")
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("application/vnd.openxmlformats-officedocument.spreadsheetml")
    assert 'filename="realisasi-dinkes-2026-tw3.xlsx"' in answer.headers["content-disposition"]
    return answer.content


def filled(data: bytes, changes: dict[str, object], extra: list[list[object]] | None = None) -> bytes:
    """The workbook with cells set by address (`E2`), and rows appended."""
    book = load_workbook(io.BytesIO(data))
    sheet = book["Realisasi"]
    for address, value in changes.items():
        sheet[address] = value
    for row in extra or []:
        sheet.append(row)
    output = io.BytesIO()
    book.save(output)
    return output.getvalue()


def line_of(data: bytes, code: str) -> int:
    sheet = load_workbook(io.BytesIO(data))["Realisasi"]
    found: int = next(row[0].row for row in sheet.iter_rows(min_row=2) if row[0].value == code)
    return found


async def uploaded(served: Served, data: bytes, action: str = "periksa") -> httpx.Response:
    csrf = await served.pages.csrf_of("/dasbor")
    return await served.pages.client.post(
        "/isian/unggah",
        data={"csrf": csrf, "aksi": action},
        files={"berkas": ("isian.xlsx", data, "application/octet-stream")},
    )


async def test_the_template_lists_the_units_indicators_with_locked_reference_columns(served: Served) -> None:
    book = load_workbook(io.BytesIO(await template_of(served)))
    assert book.sheetnames[:2] == ["Realisasi", "Petunjuk"]
    sheet = book["Realisasi"]
    assert [cell.value for cell in sheet[1]] == [
        "Kode",
        "Indikator",
        "Satuan",
        "Target",
        "Realisasi",
        "Catatan",
        "Periode",
    ]
    rows = {row[0].value: row for row in sheet.iter_rows(min_row=2)}
    stunting = rows["DINKES-01"]
    assert [cell.value for cell in stunting[:5]] == ["DINKES-01", "Prevalensi balita stunting", "%", "22", "21,68"]
    assert stunting[0].number_format == "@" and stunting[0].protection.locked
    assert not stunting[4].protection.locked and not stunting[5].protection.locked
    assert stunting[6].value == "Triwulan 3" and stunting[6].protection.locked
    assert sheet.protection.sheet
    assert "DINKES.1.1-01" in rows  # the bidang and seksi report with their perangkat daerah
    assert "Baris yang kolom Realisasinya kosong" in " ".join(str(c.value) for c in book["Petunjuk"]["A"])


async def test_an_upload_is_checked_row_by_row_and_writes_nothing(served: Served) -> None:
    data = await template_of(served)
    before = await quarter_values(served.api, served.dinkes, 2026, 3)
    uci, planning = line_of(data, "DINKES-02"), line_of(data, "SEK-DINKES")
    wrong = filled(
        data,
        {f"E{uci}": "sembilan puluh", f"E{planning}": "=A1*2"},
        extra=[["BUKAN-KODE", "Indikator lain", "%", "", 5, ""]],
    )
    answer = await uploaded(served, wrong)
    assert answer.status_code == 400
    text = html.unescape(answer.text)
    assert "3 masalah ditemukan; tidak ada nilai yang disimpan." in text
    assert "Isi dengan angka, misalnya 87,5 atau 1.250." in text
    assert f"Sel E{planning} berisi rumus tanpa nilai tersimpan" in text
    assert "Kode indikator BUKAN-KODE tidak ada di unit ini" in text
    assert await quarter_values(served.api, served.dinkes, 2026, 3) == before

    notes = await uploaded(served, wrong, action="anotasi")
    assert notes.status_code == 200
    sheet = load_workbook(io.BytesIO(notes.content))["Realisasi"]
    assert "angka" in sheet[f"E{uci}"].comment.text and sheet[f"E{planning}"].comment is not None
    assert sheet[f"E{line_of(data, 'DINKES-01')}"].comment is None


async def test_the_apis_rules_check_an_upload_and_a_confirmed_one_is_written_at_once(served: Served) -> None:
    data = await template_of(served)
    stunting, uci, first_seksi = line_of(data, "DINKES-01"), line_of(data, "DINKES-02"), line_of(data, "DINKES.1.1-01")
    negative = await uploaded(served, filled(data, {f"E{uci}": -5}))
    assert negative.status_code == 400 and "negatif" in html.unescape(negative.text)

    before = await quarter_values(served.api, served.dinkes, 2026, 3)
    good = filled(
        data, {f"E{stunting}": 20.5, f"F{stunting}": "Data Dinkes", f"E{uci}": "91,25", f"E{first_seksi}": None}
    )
    checked = await uploaded(served, good)
    assert checked.status_code == 200, checked.text
    assert re.search(r'id="akan-disimpan">2<', checked.text)
    assert await quarter_values(served.api, served.dinkes, 2026, 3) == before  # checked, not written
    form = {name: html.unescape(value) for name, value in re.findall(r'name="([a-z]+)" value="([^"]*)"', checked.text)}
    confirmed = await served.pages.client.post("/isian/unggah", data=form)
    assert confirmed.status_code == 303
    after = await quarter_values(served.api, served.dinkes, 2026, 3)
    assert after["DINKES-01"]["value"] == "20.5" and after["DINKES-02"]["value"] == "91.25"  # type: ignore[index]
    # A blank cell is "not reported": the stored value stays, never 0.
    assert after["DINKES.1.1-01"] == before["DINKES.1.1-01"]


def macro_workbook(data: bytes) -> bytes:
    output = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(output, "w") as target:
        for item in source.infolist():
            target.writestr(item, source.read(item.filename))
        target.writestr("xl/vbaProject.bin", b"\x00")
    return output.getvalue()


async def test_files_that_are_not_the_template_are_refused_whole(served: Served) -> None:
    data = await template_of(served)
    blank = io.BytesIO()
    from openpyxl import Workbook

    Workbook().save(blank)
    cases = {
        b"kode,nilai\nDINKES-01,5\n": "bukan buku kerja Excel",
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512: "dilindungi kata sandi",
        macro_workbook(data): "berisi makro",
        blank.getvalue(): "bukan templat realisasi Kinerja",
        b"x" * (2 * 1024 * 1024 + 1): "melebihi 2 MB",
    }
    for content, message in cases.items():
        answer = await uploaded(served, content)
        assert answer.status_code == 400 and message in answer.text, message


async def test_another_governments_operator_cannot_fill_this_template(served: Served) -> None:
    data = await template_of(served)
    stranger = served.pages.another_browser()
    await stranger.sign_in("operator.61.72")
    csrf = await stranger.csrf_of("/dasbor")
    answer = await stranger.client.post(
        "/isian/unggah",
        data={"csrf": csrf, "aksi": "periksa"},
        files={"berkas": ("isian.xlsx", data, "application/octet-stream")},
    )
    assert answer.status_code == 403
    assert (await stranger.get(f"/isian/templat?unit={served.dinkes}&tahun=2026&triwulan=3")).status_code == 403
