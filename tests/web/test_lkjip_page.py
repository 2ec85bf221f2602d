"""The LKjIP page (issue 18's "operator page for the narrative and the budget"): a unit's report
of the year with its figures and documents, the narrative written and saved whole, a quarter's
budget realisation entered with errors beside the line, and nothing for another government."""

import html
import re
from typing import Any

from tests.web.test_excel import Served, served

__all__ = ["served"]  # the operator of Kota Pontianak's Dinas Kesehatan, signed in

REPORT = """query($u: ID!, $y: Int!) { performanceReport(orgUnitId: $u, year: $y) {
  sections { section body } budgetItems { code realisedByQuarter }
  objectives { indicators { code supportingFactors inhibitingFactors actions indicator { id } } } } }"""


async def report(served: Served, year: int) -> dict[str, Any]:
    found: dict[str, Any] = (await served.api.execute(REPORT, {"u": served.dinkes, "y": year}))["performanceReport"]
    return found


def text_of(response: Any) -> str:
    return re.sub(r"\s+", " ", html.unescape(response.text))


async def test_the_signed_year_shows_its_figures_and_documents(served: Served) -> None:
    page = await served.pages.get("/lkjip")  # the year just ended: 2025, signed
    assert page.status_code == 200 and 'href="/lkjip"' in page.text
    text = text_of(page)
    assert "LKjIP Dinas Kesehatan tahun 2025" in text and "1 dari 1 indikator terukur" in text
    assert "capaian rata-rata <strong>94,42%</strong>" in text and "pagu Rp 1.650.000.000" in text
    assert f'href="/dokumen/lkjip/{served.dinkes}/2025.pdf?kertas=F4"' in page.text
    assert f'href="/dokumen/lkjip/{served.dinkes}/2025/v1.pdf"' in page.text
    unsigned = await served.pages.get("/lkjip?tahun=2027")  # no agreement signed for 2027 yet
    assert unsigned.status_code == 200 and "belum ditandatangani" in text_of(unsigned)
    assert "Simpan narasi" not in unsigned.text


async def test_the_narrative_is_saved_whole(served: Served) -> None:
    path = "/lkjip?tahun=2026"
    stunting = (await report(served, 2026))["objectives"][0]["indicators"][0]["indicator"]["id"]
    form = {
        "aksi": "narasi",
        "unit": served.dinkes,
        "tahun": "2026",
        "bab-FOREWORD": "Puji syukur, LKjIP 2026.",
        "bab-CONCLUSION": "Stunting turun.",
        f"pendukung-{stunting}": "Posyandu aktif",
        f"penghambat-{stunting}": "Data terlambat",
        f"upaya-{stunting}": "Pendampingan keluarga",
    }
    saved = await served.pages.post("/lkjip", form, csrf_from=path)
    assert saved.status_code == 303 and saved.headers["location"].endswith("pesan=narasi")
    after = await report(served, 2026)
    texts = {s["section"]: s["body"] for s in after["sections"]}
    assert (texts["FOREWORD"], texts["CONCLUSION"]) == ("Puji syukur, LKjIP 2026.", "Stunting turun.")
    (indicator,) = after["objectives"][0]["indicators"]
    assert (indicator["supportingFactors"], indicator["inhibitingFactors"], indicator["actions"]) == (
        "Posyandu aktif",
        "Data terlambat",
        "Pendampingan keluarga",
    )
    shown = text_of(await served.pages.get(path))
    assert "Narasi tersimpan." not in shown and ">Posyandu aktif</textarea>" in shown


async def test_a_quarters_budget_is_entered_with_errors_beside_the_line(served: Served) -> None:
    path = "/lkjip?tahun=2026"
    base = {"aksi": "anggaran", "unit": served.dinkes, "tahun": "2026", "triwulan": "3"}
    before = await report(served, 2026)

    typed = await served.pages.post("/lkjip", {**base, "anggaran-1.02.02": "seratus"}, csrf_from=path)
    assert typed.status_code == 400
    assert re.search(r'id="galat-anggaran-1\.02\.02">Isi dengan angka', typed.text)
    over = {**base, "anggaran-1.02.01": "1.000.000", "anggaran-1.02.02": "2.000.000.000"}
    refused = await served.pages.post("/lkjip", over, csrf_from=path)
    assert refused.status_code == 400 and 'id="galat-anggaran-1.02.02"' in refused.text
    assert 'id="galat-anggaran-1.02.01"' not in refused.text and 'value="2.000.000.000"' in refused.text
    assert await report(served, 2026) == before  # all or nothing

    good = {**base, "anggaran-1.02.02": "100.000.000", "anggaran-1.02.01": "25.000.000,50"}
    saved = await served.pages.post("/lkjip", good, csrf_from=path)
    assert saved.status_code == 303 and saved.headers["location"].endswith("pesan=anggaran")
    items = {item["code"]: item["realisedByQuarter"] for item in (await report(served, 2026))["budgetItems"]}
    assert items["1.02.02"][2] == "100000000" and items["1.02.01"][2] == "25000000.5"


async def test_another_governments_operator_gets_nothing(served: Served) -> None:
    other = served.pages.another_browser()
    await other.sign_in("operator.61.72")
    answer = await other.get(f"/lkjip?unit={served.dinkes}&tahun=2025")
    assert answer.status_code == 403 and "Dinas Kesehatan" not in answer.text
