"""Isian, asistensi, dasbor and the portal over HTTP: what each user may open, inline errors,
all-or-nothing saves, and published data only in public."""

import hashlib
import io
import re
from collections.abc import AsyncIterator
from dataclasses import dataclass
from decimal import Decimal

import openpyxl
import pytest
from graphql import parse, validate
from pypdf import PdfReader

from api.schema import schema
from domain.notation import indonesian_fixed
from tests.api.client import Api
from tests.web.facts import government_id, quarter_values, unit_id
from tests.web.pages import Pages
from web.graphql import operation_documents


@dataclass
class Served:
    pages: Pages
    api: Api  # the same database, as admin.61, to check what was written
    dinkes: str


@pytest.fixture
async def served(fresh_url: str) -> AsyncIterator[Served]:
    async with Pages.serving(fresh_url) as pages, Api.serving(fresh_url) as api:
        yield Served(pages, api, await unit_id(api, "61.71", "DINKES"))


def entry_form(page: str) -> dict[str, str]:
    """The form's fields as the page filled them (inputs and textareas)."""
    fields = dict(re.findall(r'<input[^>]*name="((?:nilai|catatan)-[^"]+)" value="([^"]*)"', page, re.S))
    fields.update(re.findall(r'<textarea[^>]*name="(catatan-[^"]+)"[^>]*>([^<]*)</textarea>', page, re.S))
    return fields


def field_of(page: str, code: str) -> str:
    found = re.search(rf'for="(nilai-[^"]+)">Realisasi {re.escape(code)}\b', page)
    assert found, code
    return found.group(1)


def test_every_page_operation_is_valid_against_the_schema() -> None:
    documents = operation_documents()
    assert len(documents) >= 15
    for name, text in documents.items():
        assert validate(schema._schema, parse(text)) == [], name
        assert f" {name}" in text.split("{")[0], f"{name}.graphql must hold the operation {name}"


async def test_an_invalid_value_is_shown_beside_its_field_and_nothing_is_written(served: Served) -> None:
    pages = served.pages
    await pages.sign_in("operator.61.71.dinkes")
    path = f"/isian?unit={served.dinkes}&tahun=2026&triwulan=3"
    form_page = await pages.get(path)
    assert (
        form_page.status_code == 200
        and "Dinas Kesehatan" in form_page.text
        and "batas waktu 10 Oktober 2026" in form_page.text
    )
    before = await quarter_values(served.api, served.dinkes, 2026, 3)
    fields = entry_form(form_page.text)
    stunting, uci, planning = (field_of(form_page.text, code) for code in ("DINKES-01", "DINKES-02", "SEK-DINKES"))
    fields.update({stunting: "20,5", uci: "sembilan puluh", planning: "97"})
    common = {"unit": served.dinkes, "tahun": "2026", "triwulan": "3", "aksi": "simpan", "kunci": "uji-1"}
    refused = await pages.post("/isian", {**fields, **common}, csrf_from=path)
    assert refused.status_code == 400
    assert 'aria-invalid="true"' in refused.text and "Isi dengan angka, misalnya 87,5 atau 1.250." in refused.text
    assert 'value="sembilan puluh"' in refused.text  # what was typed stays in the form
    assert await quarter_values(served.api, served.dinkes, 2026, 3) == before

    fields[uci] = "90"
    saved = await pages.post("/isian", {**fields, **common, "kunci": "uji-2"}, csrf_from=path)
    assert saved.status_code == 303, saved.text
    after = await quarter_values(served.api, served.dinkes, 2026, 3)
    assert (after["DINKES-01"] or {})["value"] == "20.5"
    assert (after["DINKES-02"] or {})["value"] == "90"
    assert (after["SEK-DINKES"] or {})["value"] == "97"
    shown = await pages.get(saved.headers["location"])
    assert "Draf tersimpan." in shown.text and 'value="20,5"' in shown.text


async def test_the_apis_user_errors_come_back_inline(served: Served) -> None:
    pages = served.pages
    await pages.sign_in("operator.61.71.dinkes")
    path = f"/isian?unit={served.dinkes}&tahun=2026&triwulan=3"
    form_page = await pages.get(path)
    fields = entry_form(form_page.text)
    fields[field_of(form_page.text, "DINKES-02")] = "-5"
    answer = await pages.post(
        "/isian", {**fields, "unit": served.dinkes, "tahun": "2026", "triwulan": "3", "aksi": "simpan"}, csrf_from=path
    )
    assert answer.status_code == 400
    error = re.search(r'<p class="field-error" id="galat-[^"]+">([^<]+)</p>', answer.text)
    assert error and "negatif" in error.group(1).lower()


async def test_submitting_sends_the_report_to_review(served: Served) -> None:
    pages = served.pages
    await pages.sign_in("operator.61.71.dinkes")
    path = f"/isian?unit={served.dinkes}&tahun=2026&triwulan=3"
    fields = entry_form((await pages.get(path)).text)
    submitted = await pages.post(
        "/isian", {**fields, "unit": served.dinkes, "tahun": "2026", "triwulan": "3", "aksi": "ajukan"}, csrf_from=path
    )
    assert submitted.status_code == 303
    shown = await pages.get(submitted.headers["location"])
    assert "Laporan diajukan untuk asistensi." in shown.text
    assert '<strong id="status-laporan">Diajukan</strong>' in shown.text and "readonly" in shown.text


async def test_a_post_without_the_forms_token_writes_nothing(served: Served) -> None:
    pages = served.pages
    await pages.sign_in("operator.61.71.dinkes")
    path = f"/isian?unit={served.dinkes}&tahun=2026&triwulan=3"
    form_page = await pages.get(path)
    before = await quarter_values(served.api, served.dinkes, 2026, 3)
    fields = entry_form(form_page.text)
    fields[field_of(form_page.text, "DINKES-01")] = "1"
    forged = await pages.client.post(
        "/isian", data={**fields, "unit": served.dinkes, "tahun": "2026", "triwulan": "3", "aksi": "simpan"}
    )
    assert forged.status_code == 403
    assert await quarter_values(served.api, served.dinkes, 2026, 3) == before


async def test_another_governments_operator_is_refused_by_address_and_sees_nothing(served: Served) -> None:
    pages = served.pages
    await pages.sign_in("operator.61.72")
    pontianak = await government_id(served.api, "61.71")
    for path in (
        f"/isian?unit={served.dinkes}&tahun=2026&triwulan=3",
        f"/dasbor?lingkup={pontianak}&tahun=2026&triwulan=3",
        f"/dasbor?lingkup={served.dinkes}&tahun=2026&triwulan=3",
    ):
        answer = await pages.get(path)
        assert answer.status_code == 403, path
        assert "Akses ditolak" in answer.text
        assert "Dinas Kesehatan" not in answer.text and "DINKES" not in answer.text
    values = await quarter_values(served.api, served.dinkes, 2026, 3)
    forged = await pages.post(
        "/isian",
        {"unit": served.dinkes, "tahun": "2026", "triwulan": "3", "aksi": "simpan"},
        csrf_from="/dasbor",
    )
    assert forged.status_code == 403
    assert await quarter_values(served.api, served.dinkes, 2026, 3) == values


async def test_the_portal_shows_published_figures_only_whoever_is_signed_in(served: Served) -> None:
    pages = served.pages
    published = await pages.get("/?tahun=2025")
    assert published.status_code == 200 and "99,05%" in published.text and "Kota Pontianak" in published.text
    await pages.sign_in("admin.61")
    dashboard = await pages.get("/dasbor?tahun=2026&triwulan=3")
    assert "99,61%" in dashboard.text  # the admin sees the quarter under review …
    for path in ("/?tahun=2026&triwulan=3", "/publik/61.71?tahun=2026&triwulan=3", "/publik/61.71?tahun=2026"):
        portal = await pages.get(path)  # … the portal, signed in or not, only what is published
        assert portal.status_code == 200
        assert "Belum ada data yang dipublikasikan untuk periode ini." in portal.text, path
        assert "99,61%" not in portal.text
    assert (await pages.get("/publik/99.99")).status_code == 404


async def test_the_portal_lists_signed_documents_that_anyone_can_download(served: Served) -> None:
    citizen = served.pages
    portal = await citizen.get("/publik/61.71?tahun=2025")
    assert portal.status_code == 200
    section = portal.text.split('id="lkjip"')[1]
    assert "LKjIP Dinas Kesehatan 2025:" in section
    files = re.findall(r'<a href="([^"]+)" title="SHA-256 ([0-9a-f]{64})">(PDF|Word|Excel)</a>', section)
    assert [name for _, _, name in files] == ["PDF", "Word", "Excel"]
    for url, sha256, _ in files:
        download = await citizen.get(url)  # signed versions are public: no session needed
        assert download.status_code == 200
        assert hashlib.sha256(download.content).hexdigest() == sha256
    assert "Belum ada LKjIP 2024 yang ditandatangani." in (await citizen.get("/publik/61.71?tahun=2024")).text
    # The published SAKIP result of the year, with its LHE for anyone.
    evaluated = portal.text.split('id="evaluasi"')[1]
    assert "65,68" in evaluated and "B (Baik)" in evaluated
    (report,) = re.findall(r'<a href="(/dokumen/lhe/[^"]+\.pdf)">PDF</a>', evaluated)
    assert (await citizen.get(report)).status_code == 200
    later = await citizen.get("/publik/61.71?tahun=2026")  # 2026 is still being evaluated
    assert "Belum ada hasil evaluasi SAKIP 2026 yang dipublikasikan." in later.text


ROLLUP = """
query($scope: ID!) {
  rollup(scope: $scope, year: 2025) {
    percent
    children { percent scope { ... on OrgUnit { name } ... on Government { name } } }
  }
}
"""


async def test_the_dashboard_rollup_downloads_as_excel_and_pdf_with_the_page_figures(served: Served) -> None:
    pages = served.pages
    pontianak = await government_id(served.api, "61.71")
    path = f"/dasbor/rekap.xlsx?lingkup={pontianak}&tahun=2025&triwulan=0"
    assert (await pages.get(path)).status_code in (302, 303)  # signed in only
    await pages.sign_in("admin.61")  # the same account as served.api, so the same figures
    dashboard = await pages.get(f"/dasbor?lingkup={pontianak}&tahun=2025&triwulan=0")
    assert path.replace("&", "&amp;") in dashboard.text
    expected = (await served.api.execute(ROLLUP, {"scope": pontianak}))["rollup"]

    workbook = await pages.get(path)
    assert workbook.status_code == 200 and workbook.headers["cache-control"] == "private, no-store"
    sheet = openpyxl.load_workbook(io.BytesIO(workbook.content), read_only=True)["Rekap"]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "Rekapitulasi Capaian Kinerja Kota Pontianak Tahun 2025"
    children, total = rows[3:-1], rows[-1]
    assert [row[2] for row in children] == [child["scope"]["name"] for child in expected["children"]]
    for row, child in zip(children, expected["children"], strict=True):
        assert (row[3] is None and child["percent"] is None) or Decimal(str(row[3])) == Decimal(child["percent"])
    assert total[0] == "TOTAL" and Decimal(str(total[3])) == Decimal(expected["percent"])

    printed = await pages.get(path.replace(".xlsx", ".pdf"))
    assert printed.status_code == 200 and printed.headers["content-type"] == "application/pdf"
    text = " ".join(" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(printed.content)).pages)
    assert "REKAPITULASI CAPAIAN KINERJA KOTA PONTIANAK" in text and "Tahun 2025" in text
    assert all(" ".join(child["scope"]["name"].split()) in text for child in expected["children"])
    assert indonesian_fixed(Decimal(expected["percent"]), 2) in text
    assert (await pages.get(path.replace(".xlsx", ".csv"))).status_code == 404


async def test_a_rollup_outside_the_callers_grants_is_refused(served: Served) -> None:
    pages = served.pages
    await pages.sign_in("operator.61.71.dinkes")
    other = await government_id(served.api, "61.72")
    refused = await pages.get(f"/dasbor/rekap.xlsx?lingkup={other}&tahun=2025&triwulan=0")
    assert refused.status_code == 403 and refused.headers["content-type"].startswith("text/html")


async def test_a_reviewer_returns_with_a_comment_and_approves(served: Served) -> None:
    operator, reviewer = served.pages, served.pages.another_browser()
    await operator.sign_in("operator.61.71.dinkes")
    path = f"/isian?unit={served.dinkes}&tahun=2026&triwulan=3"
    fields = entry_form((await operator.get(path)).text)
    common = {"unit": served.dinkes, "tahun": "2026", "triwulan": "3"}
    await operator.post("/isian", {**fields, **common, "aksi": "ajukan"}, csrf_from=path)

    await reviewer.sign_in("reviewer.61.71")
    queue = await reviewer.get("/asistensi?tahun=2026&triwulan=3")
    assert queue.status_code == 200
    link = re.search(r'href="(/asistensi/laporan/[^"]+)">Dinas Kesehatan<', queue.text)
    assert link, "Dinas Kesehatan waits in the queue"
    report = link.group(1)
    page = await reviewer.get(report)
    assert "Triwulan sebelumnya" in page.text and "Triwulan 2 2026" in page.text
    assert "DINKES.1.1-01" in page.text  # the report covers the bidang and seksi too
    no_reason = await reviewer.post(report, {"aksi": "kembalikan", "komentar": ""})
    assert no_reason.status_code == 400 and 'class="errors"' in no_reason.text
    returned = await reviewer.post(report, {"aksi": "kembalikan", "komentar": "Lampirkan data dukung stunting."})
    assert returned.status_code == 303

    seen = await operator.get(path)
    assert "Dikembalikan" in seen.text and "Lampirkan data dukung stunting." in seen.text
    await operator.post("/isian", {**entry_form(seen.text), **common, "aksi": "ajukan"}, csrf_from=path)
    approved = await reviewer.post(report, {"aksi": "setujui", "komentar": ""})
    assert approved.status_code == 303
    # The city's only approval locks the quarter (docs/workflow.md).
    assert '<strong id="status-laporan">Dikunci</strong>' in (await reviewer.get(report)).text


@dataclass
class UnderReview:
    """Dinas Kesehatan's 2026 Q3 report, submitted by its operator and opened by the city's reviewer."""

    operator: Pages
    reviewer: Pages
    entry: str  # the operator's form
    report: str  # the reviewer's page
    indicator: str  # the id of the report's first indicator


async def under_review(served: Served) -> UnderReview:
    operator, reviewer = served.pages, served.pages.another_browser()
    await operator.sign_in("operator.61.71.dinkes")
    entry = f"/isian?unit={served.dinkes}&tahun=2026&triwulan=3"
    fields = entry_form((await operator.get(entry)).text)
    common = {"unit": served.dinkes, "tahun": "2026", "triwulan": "3", "aksi": "ajukan"}
    assert (await operator.post("/isian", {**fields, **common}, csrf_from=entry)).status_code == 303
    await reviewer.sign_in("reviewer.61.71")
    queue = (await reviewer.get("/asistensi?tahun=2026&triwulan=3")).text
    report = re.search(r'href="(/asistensi/laporan/[^"]+)">Dinas Kesehatan<', queue)
    assert report, "Dinas Kesehatan waits in the queue"
    page = (await reviewer.get(report.group(1))).text
    indicator = re.search(r'name="indikator" value="([^"]+)">\s*<label for="komentar-', page)
    assert indicator
    return UnderReview(operator, reviewer, entry, report.group(1), indicator.group(1))


async def test_a_reviewer_corrects_a_value_with_a_reason_and_the_operator_sees_why(served: Served) -> None:
    review = await under_review(served)
    corrected = await review.reviewer.post(
        review.report, {"aksi": "koreksi", "indikator": review.indicator, "nilai": "21,9", "alasan": "Salah ketik"}
    )
    assert corrected.status_code == 303, corrected.text
    seen = (await review.operator.get(review.entry)).text
    assert "Dikoreksi reviewer.61.71" in seen and "Salah ketik" in seen
    history = (await review.reviewer.get(f"/dasbor/indikator/{review.indicator}?tahun=2026")).text
    assert "Realisasi dikoreksi" in history and "Salah ketik" in history and "21,9" in history


async def test_a_thread_about_an_indicator_keeps_its_replies(served: Served) -> None:
    review = await under_review(served)
    asked = await review.reviewer.post(
        review.report, {"aksi": "komentar", "indikator": review.indicator, "komentar": "Sumber datanya?"}
    )
    assert asked.status_code == 303
    seen = (await review.operator.get(review.entry)).text
    assert "Sumber datanya?" in seen
    parent = re.search(r'name="balasan" value="([^"]+)"', seen)
    assert parent
    reply = {"aksi": "komentar", "unit": served.dinkes, "tahun": "2026", "triwulan": "3", "balasan": parent.group(1),
             "isi": "Dari Dinas Kesehatan."}  # fmt: skip
    assert (await review.operator.post("/isian", reply, csrf_from=review.entry)).status_code == 303
    thread = (await review.reviewer.get(review.report)).text
    rows = re.findall(r'<tr id="indikator-[^"]+">(.*?)</tr>', thread, re.S)
    row = next(row for row in rows if f'value="{review.indicator}"' in row)
    assert "Sumber datanya?" in row and "Dari Dinas Kesehatan." in row


async def test_a_pemda_reports_its_own_indicators_not_its_agencies(served: Served) -> None:
    pages = served.pages
    await pages.sign_in("operator.61.71")
    choice = await pages.get("/isian?tahun=2026&triwulan=3")
    assert "Pilih unit" in choice.text and "Dinas Kesehatan" in choice.text
    root = re.search(r'href="(/isian\?unit=[^"&]+)[^"]*">Pemerintah Kota Pontianak<', choice.text)
    assert root
    form = await pages.get(root.group(1).replace("&amp;", "&") + "&tahun=2026&triwulan=3")
    assert form.status_code == 200
    codes = re.findall(r'for="nilai-[^"]+">Realisasi ([^<\s]+)', form.text)
    assert codes and not any(code.startswith("DINKES") for code in codes)


async def test_emptying_a_stored_value_is_refused_and_a_missing_field_is_left_alone(served: Served) -> None:
    pages = served.pages
    await pages.sign_in("operator.61.71.dinkes")
    path = f"/isian?unit={served.dinkes}&tahun=2026&triwulan=3"
    form_page = await pages.get(path)
    before = await quarter_values(served.api, served.dinkes, 2026, 3)
    common = {"unit": served.dinkes, "tahun": "2026", "triwulan": "3", "aksi": "simpan"}
    emptied = await pages.post("/isian", {**common, field_of(form_page.text, "DINKES-01"): ""}, csrf_from=path)
    assert emptied.status_code == 400 and "tidak dapat dikosongkan" in emptied.text
    untouched = await pages.post("/isian", common, csrf_from=path)  # no field at all: nothing changes
    assert untouched.status_code == 303
    assert await quarter_values(served.api, served.dinkes, 2026, 3) == before


MEASURED = """
query($unit: ID!) { node(id: $unit) { ... on OrgUnit { indicators {
  code retiredFromYear achievement(year: 2025, quarter: 4) { percent category }
  realisations(year: 2025) { quarter value grade } } } } }
"""


async def test_a_units_measurement_form_downloads_with_every_quarter_and_its_capaian(served: Served) -> None:
    pages = served.pages
    path = f"/dasbor/pengukuran.xlsx?lingkup={served.dinkes}&tahun=2025&triwulan=4"
    assert (await pages.get(path)).status_code in (302, 303)  # signed in only
    await pages.sign_in("admin.61")
    workbook = await pages.get(path)
    assert workbook.status_code == 200 and workbook.headers["cache-control"] == "private, no-store"
    sheet = openpyxl.load_workbook(io.BytesIO(workbook.content)).active
    assert sheet is not None
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert str(rows[0][0]).startswith("Formulir Pengukuran Kinerja Dinas Kesehatan Triwulan 4 Tahun 2025")
    assert rows[2][:6] == ["No", "Kode", "Indikator", "Satuan", "Target", "Realisasi TW I"]
    by_code = {row[1]: row for row in rows[3:]}
    expected = (await served.api.execute(MEASURED, {"unit": served.dinkes}))["node"]["indicators"]
    active = [i for i in expected if i["retiredFromYear"] is None or i["retiredFromYear"] > 2025]
    assert set(by_code) == {i["code"] for i in active}
    for indicator in active:
        row = by_code[indicator["code"]]
        realised = {r["quarter"]: r["value"] for r in indicator["realisations"]}
        for quarter in (1, 2, 3, 4):
            cell = row[4 + quarter]
            assert (None if cell is None else Decimal(str(cell))) == (
                Decimal(realised[quarter]) if quarter in realised else None
            ), (indicator["code"], quarter)
        percent = indicator["achievement"]["percent"]
        assert (None if row[9] is None else Decimal(str(row[9]))) == (Decimal(percent) if percent else None)
    pdf = await pages.get(path.replace(".xlsx", ".pdf"))
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.content)).pages)
    assert "FORMULIR PENGUKURAN KINERJA" in text and "DINAS KESEHATAN" in text and "DINKES-01" in text
    outsider = pages.another_browser()
    await outsider.sign_in("operator.61.72")
    assert (await outsider.get(path)).status_code == 200  # 2025 is published: anyone may read it
    unpublished = f"/dasbor/pengukuran.xlsx?lingkup={served.dinkes}&tahun=2026&triwulan=3"
    assert (await outsider.get(unpublished)).status_code == 403
    assert (await pages.get(unpublished)).status_code == 200
    assert (await pages.get(path.replace(".xlsx", ".csv"))).status_code == 404


FURTHEST = """
query($scope: ID!) { lowestAchievements(scope: $scope, year: 2026, quarter: 2) { indicator { code } } }
"""


async def test_a_kotas_dashboard_lists_the_indicators_furthest_below_target(served: Served) -> None:
    pages = served.pages
    await pages.sign_in("admin.61")  # the same account as served.api
    pontianak = await government_id(served.api, "61.71")
    dashboard = await pages.get(f"/dasbor?lingkup={pontianak}&tahun=2026&triwulan=2")
    section = dashboard.text.split('id="terjauh"')[1].split("</section>")[0]
    expected = [
        r["indicator"]["code"] for r in (await served.api.execute(FURTHEST, {"scope": pontianak}))["lowestAchievements"]
    ]
    assert len(expected) == 10
    shown = re.findall(r'<a href="/dasbor/indikator/[^"]+">(\S+) ', section)
    assert shown == expected
    province = await pages.get("/dasbor?tahun=2026&triwulan=2")  # a province's: per kab/kota, by its tiles
    assert 'id="terjauh"' not in province.text
