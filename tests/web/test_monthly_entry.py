"""Isian of an indicator that reports monthly (Kota Pontianak's Seksi Surveilans dan Imunisasi in
the demo): a field per month of the quarter, the quarter shown as derived, errors beside the
month, and the Excel template with a row per month, checked and written like any other."""

import html
import io
import re
from decimal import Decimal
from typing import Any

from openpyxl import load_workbook

from tests.api.client import Api
from tests.web.test_excel import Served, filled, served, template_of, uploaded
from tests.web.test_workspaces import entry_form

__all__ = ["served"]
CODE = "DINKES.3.1-01"
MONTHS = """query($unit: ID!) { indicators(filter: {subtreeOf: $unit}) { edges { node { id code reportingFrequency
  monthlyRealisations(year: 2026) { month value note version } realisations(year: 2026) { quarter value } } } } }"""


async def monthly_of(api: Api, unit: str) -> dict[str, Any]:
    edges = (await api.execute(MONTHS, {"unit": unit}))["indicators"]["edges"]
    found: dict[str, Any] = next(e["node"] for e in edges if e["node"]["code"] == CODE)
    return found


def quarter_of(node: dict[str, Any], quarter: int) -> Decimal | None:
    value = next((r["value"] for r in node["realisations"] if r["quarter"] == quarter), None)
    return None if value is None else Decimal(value)


async def test_a_monthly_indicator_is_entered_month_by_month_on_the_form(served: Served) -> None:
    before = await monthly_of(served.api, served.dinkes)
    assert before["reportingFrequency"] == "MONTHLY"
    months = {m["month"]: Decimal(m["value"]) for m in before["monthlyRealisations"]}
    assert sorted(months) == list(range(1, 10))  # the demo's series, January to September
    assert quarter_of(before, 3) == months[7] + months[8] + months[9]  # SUM: the quarter is its months

    path = f"/isian?unit={served.dinkes}&tahun=2026&triwulan=3"
    page = await served.pages.get(path)
    assert page.status_code == 200
    text = html.unescape(page.text)
    indicator = before["id"]
    for month, name in ((7, "Juli"), (8, "Agustus"), (9, "September")):
        assert f'for="nilai-{indicator}-{month}"><span class="vh">Realisasi {CODE} </span>{name}</label>' in text
    assert f'name="nilai-{indicator}"' not in text  # its quarter is not typed in
    assert "Dilaporkan bulanan · triwulan 3:" in text

    fields = entry_form(page.text)
    fields[f"nilai-{indicator}-8"] = "7"
    fields[f"catatan-{indicator}-8"] = "Dua kegiatan tambahan"
    csrf = await served.pages.csrf_of(path)
    hidden = {"csrf": csrf, "unit": served.dinkes, "tahun": "2026", "triwulan": "3", "aksi": "simpan"}
    saved = await served.pages.client.post("/isian", data={**fields, **hidden})
    assert saved.status_code == 303, saved.text
    after = await monthly_of(served.api, served.dinkes)
    august = next(m for m in after["monthlyRealisations"] if m["month"] == 8)
    assert (Decimal(august["value"]), august["note"], august["version"]) == (Decimal(7), "Dua kegiatan tambahan", 2)
    assert quarter_of(after, 3) == months[7] + 7 + months[9]
    shown = html.unescape((await served.pages.get(path)).text)
    assert f'name="nilai-{indicator}-8" value="7"' in shown


async def test_a_wrong_month_is_shown_beside_it_and_nothing_is_written(served: Served) -> None:
    before = await monthly_of(served.api, served.dinkes)
    indicator = before["id"]
    path = f"/isian?unit={served.dinkes}&tahun=2026&triwulan=3"
    page = await served.pages.get(path)
    csrf = await served.pages.csrf_of(path)
    hidden = {"csrf": csrf, "unit": served.dinkes, "tahun": "2026", "triwulan": "3", "aksi": "simpan"}
    fields = entry_form(page.text)

    typed = await served.pages.client.post("/isian", data={**fields, **hidden, f"nilai-{indicator}-9": "dua"})
    assert typed.status_code == 400
    assert re.search(rf'id="galat-{re.escape(indicator)}-9">Isi dengan angka', typed.text)

    # The API's rule (no negative count) comes back at months.N and lands beside September.
    negative = {**fields, **hidden, f"nilai-{indicator}-9": "-2", f"nilai-{indicator}-7": "4"}
    refused = await served.pages.client.post("/isian", data=negative)
    assert refused.status_code == 400
    assert re.search(rf'id="galat-{re.escape(indicator)}-9">[^<]*negatif', refused.text)
    assert f'id="galat-{indicator}-7"' not in refused.text
    assert await monthly_of(served.api, served.dinkes) == before


async def test_the_excel_template_has_a_row_per_month_and_an_upload_writes_them(served: Served) -> None:
    data = await template_of(served)
    sheet = load_workbook(io.BytesIO(data))["Realisasi"]
    lines = {row[6].value: row[0].row for row in sheet.iter_rows(min_row=2) if row[0].value == CODE}
    assert list(lines) == ["Juli", "Agustus", "September"]
    before = await monthly_of(served.api, served.dinkes)

    # A quarterly row for it, or a month of another quarter, is refused at column Periode.
    wrong = filled(data, {f"G{lines['Juli']}": "Triwulan 3", f"G{lines['Agustus']}": "Oktober"})
    answer = html.unescape((await uploaded(served, wrong)).text)
    assert f"Indikator {CODE} dilaporkan bulanan" in answer and "Oktober bukan bulan triwulan 3" in answer

    good = filled(data, {f"E{lines['September']}": 9, f"F{lines['September']}": "Sweeping"})
    checked = await uploaded(served, good)
    assert checked.status_code == 200, checked.text
    assert re.search(r'id="akan-disimpan">1<', checked.text)
    form = {name: html.unescape(value) for name, value in re.findall(r'name="([a-z]+)" value="([^"]*)"', checked.text)}
    assert (await served.pages.client.post("/isian/unggah", data=form)).status_code == 303
    after = await monthly_of(served.api, served.dinkes)
    september = next(m for m in after["monthlyRealisations"] if m["month"] == 9)
    assert (Decimal(september["value"]), september["note"]) == (Decimal(9), "Sweeping")
    months = {m["month"]: Decimal(m["value"]) for m in before["monthlyRealisations"]}
    assert quarter_of(after, 3) == months[7] + months[8] + 9


REPORT = """query($u: ID!) { report(orgUnitId: $u, year: 2026, quarter: 3) { id state } }"""
SUBMIT = (
    """mutation($u: ID!) { submitReport(input: {orgUnitId: $u, year: 2026, quarter: 3}) { userErrors { code } } }"""
)


async def test_a_reviewer_reads_the_months_and_corrects_one(served: Served) -> None:
    before = await monthly_of(served.api, served.dinkes)
    indicator = before["id"]
    operator = await served.api.as_user("operator.61.71.dinkes")
    assert (await operator.execute(SUBMIT, {"u": served.dinkes}))["submitReport"]["userErrors"] == []
    report = (await served.api.execute(REPORT, {"u": served.dinkes}))["report"]
    await served.pages.sign_in("reviewer.61.71")
    path = f"/asistensi/laporan/{report['id']}"
    page = html.unescape((await served.pages.get(path)).text)
    assert f'aria-label="Realisasi bulanan {CODE}"' in page and "dilaporkan bulanan" in page
    assert f'<select id="bulan-{indicator}" name="bulan">' in page

    form = {"aksi": "koreksi", "indikator": indicator, "bulan": "8", "nilai": "6", "alasan": "Salah ketik"}
    corrected = await served.pages.post(path, form)
    assert corrected.status_code == 303, corrected.text
    after = await monthly_of(served.api, served.dinkes)
    august = next(m for m in after["monthlyRealisations"] if m["month"] == 8)
    assert (Decimal(august["value"]), august["version"]) == (Decimal(6), 2)
    months = {m["month"]: Decimal(m["value"]) for m in before["monthlyRealisations"]}
    assert quarter_of(after, 3) == months[7] + 6 + months[9]
    shown = html.unescape((await served.pages.get(path)).text)
    assert re.search(r"<li>Agustus: 6 <span class=\"correction\">\(dikoreksi; semula [0-9,]+\)</span></li>", shown)
    assert "Dikoreksi reviewer.61.71: Agustus: Salah ketik" in shown

    detail = html.unescape((await served.pages.get(f"/dasbor/indikator/{indicator}?tahun=2026")).text)
    assert "<h2>Realisasi bulanan</h2>" in detail and "jumlah ketiga bulan" in detail
    assert "Dikoreksi reviewer.61.71" in detail and "Salah ketik" in detail
