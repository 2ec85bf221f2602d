"""Anggaran APBD over HTTP: SIPD's Lampiran as SIPD lays it out (headers, urusan and bidang
headings, a unit row naming the SKPD, a TOTAL row, a signature), checked whole with each
unreadable cell named by its line, the unit nobody matched mapped beside its suggestion, then
written; the perangkat daerah's budget read back line by line with the difference W5 reports."""

import io
from typing import Any

import httpx
import openpyxl

from tests.web.pages import Pages, text_of

DINKES, DINSOS = "1.02.0.00.0.00.01.0000", "1.06.0.00.0.00.01.0000"


def _row(unit: str, cells: tuple[str, ...], uraian: str, pagu: Any = None) -> list[Any]:
    b, c, d, e, f = (*cells, "", "", "", "", "")[:5]
    return [unit, b, c, d, e, f, uraian, None, None, None, pagu]


def lampiran(*extra: list[Any]) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["LAMPIRAN APBD TAHUN ANGGARAN 2027"])
    sheet.append(["Kode Unit", "Urusan", "Bidang", "Program", "Kegiatan", "Sub Kegiatan", "Uraian", "", "", "", "Pagu"])
    rows = [
        _row(DINKES, (), "DINAS KESEHATAN"),
        _row(DINKES, ("1",), "URUSAN WAJIB PELAYANAN DASAR"),
        _row(DINKES, ("1", "2"), "KESEHATAN"),
        _row(DINKES, ("1", "2", "2"), "Program Pemenuhan Upaya Kesehatan", 500_000_000),
        _row(DINKES, ("1", "2", "2", "2.1"), "Penyediaan Fasilitas Pelayanan Kesehatan", 300_000_000),
        _row(DINKES, ("1", "2", "2", "2.1", "1"), "Pembangunan Puskesmas", 300_000_000),
        _row(DINKES, ("1", "2", "2", "2.02"), "Penyediaan Layanan Kesehatan", "199.000.000"),
        _row(DINSOS, (), "DINAS SOSIAL KOTA PONTIANAK"),
        _row(DINSOS, ("1", "6", "2"), "Program Rehabilitasi Sosial", 75_000_000.0),
        *extra,
        ["", "", "", "", "", "", "TOTAL", None, None, None, 1_074_000_000],
        ["", "", "", "", "", "", "Pontianak, 2 Januari 2027 — Kepala BPKAD"],
    ]
    for row in rows:
        sheet.append(row)
    for line in sheet.iter_rows(min_row=3):
        for cell in line[:6]:
            cell.number_format = "@"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


async def upload(pages: Pages, data: bytes, *, write: bool = False, **fields: str) -> httpx.Response:
    form = {"csrf": await pages.csrf_of("/anggaran"), "pemda": "61.71", "tahun": "2027", "jenis": "MURNI", **fields}
    if write:
        form["tulis"] = "ya"
    return await pages.client.post("/anggaran/unggah", data=form, files={"berkas": ("lampiran.xlsx", data)})


async def test_the_lampiran_is_checked_mapped_and_written_then_read_per_agency(pages: Pages) -> None:
    await pages.sign_in("planner.61.71")
    opened = await pages.get("/anggaran")
    assert opened.status_code == 200 and 'href="/anggaran" aria-current="page"' in opened.text

    bad = await upload(pages, lampiran(_row(DINSOS, ("1", "6", "2", "2.1"), "Kegiatan", "tujuh juta")))
    assert bad.status_code == 400
    assert "Baris 12: Pagu (kolom K) harus angka Rupiah, bukan 'tujuh juta'." in text_of(bad)

    checked = await upload(pages, lampiran(), write=True)
    assert checked.status_code == 400  # Dinas Sosial's name is only similar: nothing is written
    shown = text_of(checked)
    assert f"Baris 11: Unit SIPD {DINSOS} (DINAS SOSIAL KOTA PONTIANAK) belum dipasangkan" in shown
    assert "Dinas Kesehatan (nama sama)" in shown
    assert "Dinas Sosial (mirip)" in checked.text
    assert "Selisih pagu (1)" in shown and "1.000.000" in shown  # W5, kept as SIPD has it

    units = dict(_options(checked.text, f"padanan:{DINSOS}"))
    written = await upload(pages, lampiran(), write=True, **{f"padanan:{DINSOS}": units["Dinas Sosial (mirip)"]})
    assert written.status_code == 200, text_of(written)
    assert "Tersimpan: 5 baris anggaran dari lampiran.xlsx." in text_of(written)

    agencies = dict(_options(written.text, "unit"))
    budget = await pages.get(f"/anggaran?pemda=61.71&tahun=2027&jenis=MURNI&unit={agencies['Dinas Kesehatan']}")
    table = text_of(budget)
    assert "total pagu program Rp 500.000.000" in table
    assert "1.02.02.2.01.0001" in table and "Pembangunan Puskesmas" in table
    again = await upload(pages, lampiran())  # the alias recorded by the mapping now matches it
    assert "Pemeriksaan berhasil: 5 baris" in text_of(again) and "padanan tersimpan" in text_of(again)


async def test_only_planners_and_admins_open_it_and_a_file_without_budget_lines_is_refused(pages: Pages) -> None:
    await pages.sign_in("operator.61.71")
    assert (await pages.get("/anggaran")).status_code == 403
    assert 'href="/anggaran"' not in (await pages.get("/dasbor")).text
    admin = pages.another_browser()
    await admin.sign_in("admin.61.71")
    not_a_book = await upload(admin, b"not a workbook")
    assert not_a_book.status_code == 400 and "bukan buku kerja Excel" in text_of(not_a_book)
    empty = await admin.client.post(
        "/anggaran/unggah",
        data={"csrf": await admin.csrf_of("/anggaran"), "pemda": "61.71"},
        files={"berkas": ("lampiran.csv", b"Kode Unit;Uraian\n;TOTAL\n")},
    )
    assert "Berkas tidak berisi baris anggaran" in text_of(empty)


def _options(html: str, name: str) -> list[tuple[str, str]]:
    """(label, value) of each option of the select named `name`."""
    start = html.index(f'name="{name}"')
    block = html[start : html.index("</select>", start)]
    found = []
    for piece in block.split("<option")[1:]:
        value = piece.split('value="', 1)[1].split('"', 1)[0]
        label = piece.split(">", 1)[1].split("<", 1)[0].strip()
        found.append((label, value))
    return found
