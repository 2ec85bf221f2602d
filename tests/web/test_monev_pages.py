"""Monev pages over HTTP (issue 20): the demo's published August ranking of Kota Pontianak with
its zones and confirmed list, September's live ranking published by the leader from the page,
a follow-up refused inline and then recorded, and nothing for the public."""

import re
from collections.abc import AsyncIterator

import pytest

from tests.api.client import Api
from tests.web.facts import government_id
from tests.web.pages import Pages


@pytest.fixture
async def pages(fresh_url: str) -> AsyncIterator[Pages]:
    async with Pages.serving(fresh_url) as served:
        yield served


async def test_the_leader_reads_a_published_month_and_publishes_the_next(pages: Pages, demo_api: Api) -> None:
    pontianak = await government_id(demo_api, "61.71")
    await pages.sign_in("leader.61.71")
    august = await pages.get("/monev?tahun=2026&bulan=8")
    assert august.status_code == 200 and 'href="/monev"' in august.text
    assert "Peringkat Agustus 2026" in august.text and "Diterbitkan" in august.text
    assert re.search(r'<span class="badge TINGGI">Hijau</span>', august.text)
    assert re.search(r'<span class="badge SANGAT_RENDAH">Merah</span>', august.text)
    assert "Zona Merah 2 periode berturut-turut (Juli 2026, Agustus 2026)." in august.text
    assert "Selesai 18 September 2026" in august.text and "Terbitkan peringkat" not in august.text
    assert "Tetapkan daftar" not in august.text, "August's list is already confirmed"

    september = await pages.get(f"/monev?lingkup={pontianak}&tahun=2026&bulan=9")
    assert "Sementara" in september.text and "Terbitkan peringkat" in september.text
    path = f"/monev?lingkup={pontianak}&tahun=2026&bulan=9"
    form = {"aksi": "terbitkan", "lingkup": pontianak, "tahun": "2026", "bulan": "9"}
    published = await pages.post("/monev", form, csrf_from=path)
    assert published.status_code == 303 and "pesan=terbitkan" in published.headers["location"]
    after = await pages.get(published.headers["location"])
    assert "Peringkat diterbitkan dan dibekukan." in after.text
    assert "Diterbitkan" in after.text and "Tetapkan daftar" in after.text
    again = await pages.post("/monev", form, csrf_from=path)
    assert again.status_code == 400 and "Peringkat September 2026 sudah diterbitkan." in again.text

    confirmed = await pages.post("/monev", {**form, "aksi": "tetapkan"}, csrf_from=path)
    assert confirmed.status_code == 303
    listed = await pages.get(path)
    assert "Ditetapkan oleh leader.61.71" in listed.text and "Catat tindak lanjut" in listed.text


async def test_a_follow_up_is_refused_beside_its_item_and_then_recorded(pages: Pages, demo_api: Api) -> None:
    pontianak = await government_id(demo_api, "61.71")
    await pages.sign_in("reviewer.61.71")
    path = f"/monev?lingkup={pontianak}&tahun=2026&bulan=8"
    shown = await pages.get(path)
    item = re.search(r'name="butir" value="([^"]+)"', shown.text)
    assert item and "Terbitkan peringkat" not in shown.text
    base = {"aksi": "tindak-lanjut", "lingkup": pontianak, "tahun": "2026", "bulan": "8", "butir": item.group(1)}
    undated = await pages.post("/monev", {**base, "selesai": "ya", "catatan": "Rapat"}, csrf_from=path)
    assert undated.status_code == 400
    assert '<p class="field-error">Isi tanggal tindak lanjut selesai.</p>' in undated.text
    assert 'value="Rapat"' in undated.text, "what was typed stays"
    recorded = await pages.post(
        "/monev", {**base, "selesai": "ya", "tanggal": "2026-09-20", "catatan": "Rapat kedua"}, csrf_from=path
    )
    assert recorded.status_code == 303
    assert (
        "Selesai 20 September 2026: Rapat kedua" in (await pages.get(path)).text
        or "Rapat kedua" in (await pages.get(path)).text
    )


async def test_the_public_is_sent_to_sign_in(pages: Pages) -> None:
    visitor = pages.another_browser()
    response = await visitor.get("/monev")
    assert response.status_code in (302, 303) and "/masuk" in response.headers["location"]


async def test_a_province_chooses_what_it_ranks(pages: Pages, demo_api: Api) -> None:
    province = await government_id(demo_api, "61")
    await pages.sign_in("admin.61")
    every = await pages.get(f"/monev?lingkup={province}&tahun=2026&bulan=8&unit=PERANGKAT_DAERAH")
    assert every.status_code == 200
    assert '<option value="PERANGKAT_DAERAH" selected>Seluruh perangkat daerah</option>' in every.text
    assert "Kalimantan Barat belum menetapkan aturan monev 2026." in every.text
    pontianak = await pages.get("/monev?tahun=2026&bulan=8&lingkup=" + await government_id(demo_api, "61.71"))
    assert "Yang diperingkat" not in pontianak.text, "a pemda ranks its perangkat daerah only"


async def test_the_monev_page_links_the_rpjmd_results_form_of_the_year(pages: Pages) -> None:
    await pages.sign_in("leader.61.71")
    page = await pages.get("/monev?tahun=2025&bulan=12")
    found = re.search(r'href="(/dokumen/rencana/[^"]+/hasil-2025\.xlsx)">Unduh formulir E\.78 tahun 2025', page.text)
    assert found, "the city's RPJMD 2025–2029 covers 2025"
    workbook = await pages.get(found.group(1))
    assert workbook.status_code == 200 and workbook.headers["content-type"].startswith("application/vnd.openxml")
    assert "E.78" not in (await pages.get("/monev?tahun=2030&bulan=1")).text  # outside the plan's years
