"""Evaluasi SAKIP pages over HTTP: the list in scope, the unit's self-assessment form with errors
beside their criterion and nothing written, the evaluator's view of a FINAL result, and nothing
for a user outside the scope."""

import re
from collections.abc import AsyncIterator
from dataclasses import dataclass

import pytest

from tests.api.client import Api
from tests.web.facts import government_id
from tests.web.pages import Pages

LIST = "query($scope: ID!) { evaluations(scope: $scope) { id year answeredSelf } }"


@dataclass
class Served:
    pages: Pages
    api: Api  # the same database, as evaluator.61
    evaluations: dict[int, str]


@pytest.fixture
async def served(fresh_url: str) -> AsyncIterator[Served]:
    async with Pages.serving(fresh_url) as pages, Api.serving(fresh_url) as api:
        evaluator = await api.as_user("evaluator.61")
        scope = await government_id(api, "61.71")
        found = (await evaluator.execute(LIST, {"scope": scope}))["evaluations"]
        yield Served(pages, evaluator, {e["year"]: e["id"] for e in found})


async def _answered(served: Served, year: int) -> int:
    scope = await government_id(served.api, "61.71")
    found = (await served.api.execute(LIST, {"scope": scope}))["evaluations"]
    return int(next(e["answeredSelf"] for e in found if e["year"] == year))


async def test_the_unit_fills_its_self_assessment_with_errors_beside_the_criterion(served: Served) -> None:
    pages = served.pages
    await pages.sign_in("operator.61.71")
    listed = await pages.get("/evaluasi")
    assert listed.status_code == 200 and 'href="/evaluasi"' in listed.text
    assert "Pemerintah Kota Pontianak" in listed.text or "Kota Pontianak" in listed.text
    assert "65,68" in listed.text and "B (Baik)" in listed.text and "Penilaian mandiri" in listed.text
    path = f"/evaluasi/{served.evaluations[2026]}"
    form = await pages.get(path)
    assert form.status_code == 200 and 'name="jawaban-1.a.1"' in form.text
    assert "Simpan penilaian mandiri" in form.text and "Nilai evaluator 1.a.1" not in form.text
    # Last year's recommendations are followed up: the proposal of 4.c.1 comes from them.
    assert re.search(r"2 dari 3 rekomendasi evaluasi 2025 selesai ditindaklanjuti", form.text)

    wrong = {"aksi": "mandiri", "jawaban-1.a.1": "A", "catatan-1.a.1": "Ada pedoman.", "jawaban-1.a.2": "Z"}
    refused = await pages.post(path, wrong, csrf_from=path)
    assert refused.status_code == 400
    error = re.search(r'<p class="field-error" id="galat-1\.a\.2">([^<]*)</p>', refused.text)
    assert error and "Jawaban kriteria 1.a.2 harus salah satu dari: A, B, C, D, E." in error.group(1)
    assert 'aria-describedby="galat-1.a.2"' in refused.text
    assert await _answered(served, 2026) == 0  # all or nothing

    saved = await pages.post(path, {**wrong, "jawaban-1.a.2": "B"}, csrf_from=path)
    assert saved.status_code == 303 and saved.headers["location"].endswith("?pesan=mandiri")
    shown = await pages.get(saved.headers["location"])
    assert "Penilaian mandiri tersimpan." in shown.text and "dijawab unit 2/80" in shown.text
    assert await _answered(served, 2026) == 2
    early = await pages.post(path, {"aksi": "kirim"}, csrf_from=path)
    assert early.status_code == 400 and "78 kriteria belum dijawab." in early.text


async def test_the_evaluator_reads_the_final_result_and_others_see_nothing(served: Served) -> None:
    pages = served.pages
    await pages.sign_in("evaluator.61")
    path = f"/evaluasi/{served.evaluations[2025]}"
    final = await pages.get(path)
    assert final.status_code == 200 and "Final" in final.text and 'id="predikat">B (Baik)' in final.text
    assert "<select" not in final.text and "Unduh LHE (DOCX)" in final.text
    assert "Tetapkan hasil akhir" not in final.text and "Publikasikan hasil" not in final.text
    outsider = pages.another_browser()
    await outsider.sign_in("operator.61.72")
    assert (await outsider.get(path)).status_code == 404
    assert (await outsider.get("/evaluasi/bukan-id")).status_code == 404
