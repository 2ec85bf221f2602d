"""Isian monev over HTTP (issue 20): an agency starts October from September's programs, a
figure that is not a number is refused beside its row with nothing written, the month is saved
and corrected with its versions; the Excel template downloaded, filled and uploaded, its
problems named by worksheet row."""

import io
import re
from collections.abc import AsyncIterator

import pytest
from openpyxl import load_workbook

from tests.api.client import Api
from tests.web.facts import unit_id
from tests.web.pages import Pages

LINES = """
query($unit: ID!, $month: Int!) {
  monevProgress(scope: $unit, year: 2026, month: $month) { code pagu physicalRealisation version budgetKind }
}
"""


@pytest.fixture
async def pages(fresh_url: str) -> AsyncIterator[Pages]:
    async with Pages.serving(fresh_url) as served:
        yield served


def _row(text: str, index: int) -> dict[str, str]:
    fields = {}
    for name in ("kode", "nama", "pagu", "tf", "rf", "tk", "rk", "versi"):
        found = re.search(rf'name="{name}-{index}" value="([^"]*)"', text)
        fields[f"{name}-{index}"] = found.group(1) if found else ""
    return fields


async def test_an_agency_fills_its_month_with_errors_beside_the_row(pages: Pages, fresh_url: str) -> None:
    async with Api.serving(fresh_url) as api:
        admin = await api.as_user("admin.61.71")
        dinkes = await unit_id(api, "61.71", "DINKES")
        await pages.sign_in("admin.61.71")
        path = f"/monev/isian?unit={dinkes}&tahun=2026&bulan=10&anggaran=PERUBAHAN"
        shown = await pages.get(path)
        assert shown.status_code == 200 and "Isian monev Dinas Kesehatan" in shown.text
        started = [_row(shown.text, i) for i in range(3)]
        assert all(r[f"kode-{i}"].endswith(f".000{i + 1}") for i, r in enumerate(started)), "September's programs"
        assert all(r[f"pagu-{i}"] and not r[f"rf-{i}"] for i, r in enumerate(started)), "figures start blank"
        form = {"unit": dinkes, "tahun": "2026", "bulan": "10", "anggaran": "PERUBAHAN", "baris": "3"}
        for i, row in enumerate(started):
            form |= row | {f"tf-{i}": "80", f"rf-{i}": "78,5", f"tk-{i}": "1.000", f"rk-{i}": "900"}
        wrong = await pages.post("/monev/isian", {**form, "rf-1": "abc"}, csrf_from=path)
        assert wrong.status_code == 400
        assert re.search(r'<p class="field-error" id="galat-baris-1">Bukan angka: abc\.</p>', wrong.text)
        assert 'value="abc"' in wrong.text, "what was typed stays"
        assert (await admin.execute(LINES, {"unit": dinkes, "month": 10}))["monevProgress"] == []
        over = await pages.post("/monev/isian", {**form, "rk-2": "999.999.999.999"}, csrf_from=path)
        assert over.status_code == 400
        assert re.search(r'id="galat-baris-2">Nilai keuangan melebihi pagu', over.text)
        saved = await pages.post("/monev/isian", form, csrf_from=path)
        assert saved.status_code == 303 and "pesan=simpan" in saved.headers["location"]
        stored = (await admin.execute(LINES, {"unit": dinkes, "month": 10}))["monevProgress"]
        assert {(line["physicalRealisation"], line["version"], line["budgetKind"]) for line in stored} == {
            ("78.5", 1, "PERUBAHAN")
        }
        again = await pages.get(path)
        assert _row(again.text, 0)["versi-0"] == "1" and _row(again.text, 0)["rf-0"] == "78,5"


async def test_the_excel_template_is_filled_and_uploaded(pages: Pages, fresh_url: str) -> None:
    async with Api.serving(fresh_url) as api:
        admin = await api.as_user("admin.61.71")
        dinkes = await unit_id(api, "61.71", "DINKES")
        await pages.sign_in("admin.61.71")
        path = f"/monev/isian?unit={dinkes}&tahun=2026&bulan=10&anggaran=MURNI"
        downloaded = await pages.get(f"/monev/isian/templat?unit={dinkes}&tahun=2026&bulan=10&anggaran=MURNI")
        assert downloaded.status_code == 200 and downloaded.headers["content-type"].startswith("application/vnd")
        book = load_workbook(io.BytesIO(downloaded.content))
        sheet = book["Progres"]
        assert sheet["A2"].value and sheet["C2"].value is not None and sheet["E2"].value is None
        for row in range(2, sheet.max_row + 1):
            if sheet.cell(row, 1).value:
                sheet.cell(row, 4).value, sheet.cell(row, 5).value = 90, 88.25
                sheet.cell(row, 6).value, sheet.cell(row, 7).value = 100, 95
        sheet.cell(3, 7).value = 10**15  # beyond any pagu: refused, named by its row
        bad = io.BytesIO()
        book.save(bad)
        csrf = await pages.csrf_of(path)
        refused = await pages.client.post(
            "/monev/isian/unggah",
            data={"csrf": csrf, "unit": dinkes},
            files={"berkas": ("monev.xlsx", bad.getvalue(), "application/octet-stream")},
        )
        assert refused.status_code == 400 and "Baris 3:" in refused.text
        assert (await admin.execute(LINES, {"unit": dinkes, "month": 10}))["monevProgress"] == []
        sheet.cell(3, 7).value = 95
        good = io.BytesIO()
        book.save(good)
        uploaded = await pages.client.post(
            "/monev/isian/unggah",
            data={"csrf": csrf, "unit": dinkes},
            files={"berkas": ("monev.xlsx", good.getvalue(), "application/octet-stream")},
        )
        assert uploaded.status_code == 303 and "pesan=unggah" in uploaded.headers["location"]
        stored = (await admin.execute(LINES, {"unit": dinkes, "month": 10}))["monevProgress"]
        assert stored and {line["physicalRealisation"] for line in stored} == {"88.25"}
        # Uploaded again with a code written short (`5.5.1.2.1.1`): the same line, corrected.
        code = str(sheet["A2"].value)
        short = ".".join(part.lstrip("0") or "0" for part in code.split("."))
        assert short != code
        sheet["A2"].value, sheet["E2"].value = short, 89
        again = io.BytesIO()
        book.save(again)
        corrected = await pages.client.post(
            "/monev/isian/unggah",
            data={"csrf": csrf, "unit": dinkes},
            files={"berkas": ("monev.xlsx", again.getvalue(), "application/octet-stream")},
        )
        assert corrected.status_code == 303, corrected.text[-2000:]
        stored = {
            line["code"]: line for line in (await admin.execute(LINES, {"unit": dinkes, "month": 10}))["monevProgress"]
        }
        assert (stored[code]["physicalRealisation"], stored[code]["version"]) == ("89", 2)
        not_excel = await pages.client.post(
            "/monev/isian/unggah",
            data={"csrf": csrf, "unit": dinkes},
            files={"berkas": ("monev.xlsx", b"not a workbook", "application/octet-stream")},
        )
        assert not_excel.status_code == 400 and "bukan buku kerja Excel" in not_excel.text
