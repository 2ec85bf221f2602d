"""Whatever a browser sends, a page answers with a page: 400, 403 or 404 in Bahasa Indonesia,
never a 500, and nothing is written."""

from collections.abc import AsyncIterator

import pytest

from tests.web.pages import Pages


@pytest.fixture(scope="module")
async def pages(demo_url: str) -> AsyncIterator[Pages]:
    async with Pages.serving(demo_url) as served:
        await served.sign_in("operator.61.71.dinkes")
        yield served


@pytest.mark.parametrize(
    "path",
    [
        "/dasbor?lingkup=bukan-id&tahun=2026&triwulan=3",
        "/dasbor?lingkup=T3JnVW5pdDo5OTk5OTk=&tahun=abc&triwulan=9",
        "/dasbor?tahun=99999&triwulan=-1",
        "/dasbor/indikator/bukan-id",
        "/dasbor/indikator/SW5kaWNhdG9yOjk5OTk5OQ==?tahun=2026",
        "/isian?unit=bukan-id&tahun=2026&triwulan=3",
        "/isian?unit=%00&tahun=%00",
        "/asistensi/laporan/bukan-id",
        "/asistensi/laporan/UmVwb3J0Ojk5OTk5OS4yMDI2LjM=",
        "/publik/%00",
        "/publik/61?tahun=1900&triwulan=x",
        "/tidak-ada",
    ],
)
async def test_odd_addresses_get_a_page_not_a_server_error(pages: Pages, path: str) -> None:
    answer = await pages.get(path)
    assert answer.status_code in (200, 400, 403, 404), (path, answer.status_code)
    assert 'lang="id"' in answer.text


@pytest.mark.parametrize(
    "form",
    [
        {"tahun": "abc", "triwulan": "3", "unit": "x", "aksi": "simpan"},
        {"tahun": "2026", "triwulan": "7", "unit": "x", "aksi": "simpan"},
        {"tahun": "2026", "triwulan": "3", "unit": "bukan-id", "aksi": "ajukan"},
        {"tahun": "2026", "triwulan": "3", "unit": "T3JnVW5pdDo5MTc=", "aksi": "komentar", "isi": ""},
        {
            "tahun": "2026",
            "triwulan": "3",
            "unit": "T3JnVW5pdDo5MTc=",
            "aksi": "komentar",
            "isi": "x",
            "balasan": "abc",
        },
    ],
)
async def test_odd_forms_get_a_page_not_a_server_error(pages: Pages, form: dict[str, str]) -> None:
    answer = await pages.post("/isian", form, csrf_from="/dasbor")
    assert answer.status_code in (303, 400, 403), (form, answer.status_code)


async def test_an_unknown_review_action_is_refused(pages: Pages) -> None:
    answer = await pages.post("/asistensi/laporan/bukan-id", {"aksi": "hapus"}, csrf_from="/dasbor")
    assert answer.status_code == 403
