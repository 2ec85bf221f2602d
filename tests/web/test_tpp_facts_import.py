"""Kehadiran dan kepatuhan on the TPP page: finance downloads the month's workbook with the
agency's NIP and names, fills it in, and uploads it; a cell that is not a count, a Ya/Tidak or a
list of minutes, and a row the API refuses, are named by their line and nothing is written; a
clean file is checked, then written, and the month's statements are computed from it."""

import io
from typing import Any

import httpx
import openpyxl

from documents.tpp_facts_file import read_facts_file
from tests.api.client import Api
from tests.web.facts import unit_id
from tests.web.pages import Pages, text_of

CLOSE = """mutation($agency: ID!) { closeActivityMonth(input: {agencyId: $agency, year: 2026, month: 10}) {
  closed userErrors { code } } }"""
OCTOBER = """query($scope: ID!) { employees(scope: $scope, first: 100) { nip
  tppStatements(year: 2026) { month attendance deductions { label count } } } }"""


def filled(template: bytes, change: dict[int, dict[int, Any]] | None = None) -> bytes:
    """The downloaded workbook with every employee's October: 22 working days, all present, 20 apel,
    one day 15 minutes late, BMD and TPTGR met, LHKPN empty; `change` per row (2 = the first)."""
    book = openpyxl.load_workbook(io.BytesIO(template))
    sheet = book.active
    assert sheet is not None
    for row in range(2, sheet.max_row + 1):
        for column, value in enumerate([22, 22, 20, 20, "15", "Ya", "ya"], start=3):
            sheet.cell(row, column, value)
        for column, value in (change or {}).get(row, {}).items():
            sheet.cell(row, column, value)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


async def upload(pages: Pages, unit: str, name: str, data: bytes, *, write: bool = False) -> httpx.Response:
    shown = f"/tpp?unit={unit}&tahun=2026&bulan=10"
    form = {"csrf": await pages.csrf_of(shown), "unit": unit, "tahun": "2026", "bulan": "10"}
    return await pages.client.post(
        "/tpp/kehadiran", data={**form, **({"tulis": "ya"} if write else {})}, files={"berkas": (name, data)}
    )


async def test_finance_fills_the_months_workbook_checks_it_and_writes_it_whole(pages: Pages, fresh_url: str) -> None:
    async with Api.serving(fresh_url) as api:
        dinkes = await unit_id(api, "61.71", "DINKES")
        verifier = await api.as_user("verifier.61.71")
        assert (await verifier.execute(CLOSE, {"agency": dinkes}))["closeActivityMonth"]["closed"] is True
        finance_api = await api.as_user("finance.61.71")

        await pages.sign_in("finance.61.71")
        page = text_of(await pages.get(f"/tpp?unit={dinkes}&tahun=2026&bulan=10"))
        assert "Kehadiran dan kepatuhan Oktober 2026" in page
        template = await pages.get(f"/tpp/kehadiran.xlsx?unit={dinkes}&tahun=2026&bulan=10")
        assert template.status_code == 200 and "kehadiran-dinas-kesehatan" in template.headers["content-disposition"]
        read = read_facts_file(filled(template.content), "k.xlsx")
        assert len(read.rows) == 60 and read.problems == []
        assert all(len(row.nip) == 18 for row in read.rows)  # the NIP stays text, not a rounded number

        # Line 3: not a count; line 5: "mungkin" is no answer; line 7: more days present than working days.
        wrong = filled(template.content, {3: {4: "dua puluh"}, 5: {8: "mungkin"}})
        refused = await upload(pages, dinkes, "oktober.xlsx", wrong, write=True)
        shown = text_of(refused)
        assert refused.status_code == 400 and "Tidak tersimpan." in shown
        assert "Baris 3: Hari Hadir harus bilangan bulat 0 atau lebih, bukan 'dua puluh'." in shown
        assert "Baris 5: BMD diisi Ya, Tidak atau kosong, bukan 'mungkin'." in shown
        impossible = await upload(pages, dinkes, "oktober.xlsx", filled(template.content, {7: {4: 23}}), write=True)
        assert "Baris 7: Hari hadir 0 sampai jumlah hari kerja." in text_of(impossible)

        checked = await upload(pages, dinkes, "oktober.xlsx", filled(template.content))
        assert checked.status_code == 200
        assert "Pemeriksaan berhasil: 60 baris oktober.xlsx benar." in text_of(checked)
        path = f"/tpp?unit={dinkes}&tahun=2026&bulan=10"
        form = {"unit": dinkes, "tahun": "2026", "bulan": "10", "aksi": "hitung"}
        nothing = await pages.post("/tpp", form, csrf_from=path)  # the check wrote no attendance
        assert "0 dari 60 pegawai memiliki rincian" in text_of(await pages.get(nothing.headers["location"]))
        written = await upload(pages, dinkes, "oktober.xlsx", filled(template.content), write=True)
        assert "Kehadiran dan kepatuhan 60 pegawai dari oktober.xlsx tersimpan." in text_of(written)

        computed = await pages.post("/tpp", form, csrf_from=path)
        assert computed.status_code == 303, text_of(computed)
        assert "60 dari 60 pegawai memiliki rincian" in text_of(await pages.get(computed.headers["location"]))
        october = [
            s for e in (await finance_api.execute(OCTOBER, {"scope": dinkes}))["employees"]
            for s in e["tppStatements"] if s["month"] == 10
        ]  # fmt: skip
        assert len(october) == 60 and {s["attendance"] for s in october} == {"100"}
        assert all({"label": "Terlambat 1–30 menit", "count": 1} in s["deductions"] for s in october)


async def test_a_semicolon_csv_in_any_column_order_and_files_that_are_no_table(pages: Pages, fresh_url: str) -> None:
    csv = "\n".join(
        [
            "Apel Diikuti;Hari Kerja;NIP;Hari Hadir;Apel;Terlambat (menit);LHKPN",
            "20;22;199001012015031001;21;20;15, 40;",
            "",
            "20;22;199001012015031002;22;20;lima belas;Tidak",
        ]
    ).encode()
    read = read_facts_file(csv, "absen.csv")
    assert [(row.line, row.counts["days_present"], row.late_minutes) for row in read.rows] == [(2, 21, [15, 40])]
    assert read.rows[0].compliance == {"bmd": None, "tptgr": None, "lhkpn": None}  # no record: not met
    assert read.problems == [
        "Baris 4: Terlambat (menit) berisi menit keterlambatan tiap hari, dipisah koma (mis. 15, 40), bukan "
        "'lima belas'."
    ]

    async with Api.serving(fresh_url) as api:
        dinkes = await unit_id(api, "61.71", "DINKES")
    await pages.sign_in("finance.61.71")
    headless = await upload(pages, dinkes, "absen.csv", b"a;b\n1;2\n")
    assert "Baris pertama harus memuat judul kolom: NIP, Hari Kerja, Hari Hadir, Apel, Apel Diikuti." in text_of(
        headless
    )
    operator = pages.another_browser()
    await operator.sign_in("operator.61.71")
    assert (await operator.get("/tpp/kehadiran.xlsx?unit=x")).status_code == 403
