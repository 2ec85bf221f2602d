"""What a page costs: bytes on first load (issue 17: at most 300 KB compressed, assets
included) and SQL statements, which must not grow with the data a page shows (no N+1)."""

import re
from collections.abc import AsyncIterator

import pytest

from tests.api.client import Api
from tests.web.facts import government_id, unit_id
from tests.web.pages import Pages

FIRST_LOAD_LIMIT = 300 * 1024
ASSET = re.compile(r'(?:src|href)="(/aset/[^"]+)"')


@pytest.fixture(scope="module")
async def pages(demo_url: str) -> AsyncIterator[Pages]:
    async with Pages.serving(demo_url) as served:
        yield served


async def compressed_size(pages: Pages, path: str) -> int:
    response = await pages.client.get(path, headers={"accept-encoding": "gzip"})
    assert response.status_code == 200, path
    return response.num_bytes_downloaded


async def first_load(pages: Pages, path: str) -> int:
    page = await pages.client.get(path, headers={"accept-encoding": "gzip"})
    assert page.status_code == 200, path
    assets = sorted(set(ASSET.findall(page.text)))
    return page.num_bytes_downloaded + sum([await compressed_size(pages, asset) for asset in assets])


async def test_every_page_loads_within_300_kb_compressed(pages: Pages, demo_api: Api) -> None:
    anonymous = pages.another_browser()
    for path in ("/", "/publik/61.71", "/masuk", "/pengembang"):
        assert await first_load(anonymous, path) <= FIRST_LOAD_LIMIT, path
    await pages.sign_in("admin.61")
    dinkes = await unit_id(demo_api, "61.71", "DINKES")
    for path in (
        "/dasbor",
        f"/dasbor?lingkup={dinkes}",
        f"/isian?unit={dinkes}",
        "/asistensi",
        "/monev?bulan=8",
        f"/lkjip?unit={dinkes}",
    ):
        size = await first_load(pages, path)
        assert size <= FIRST_LOAD_LIMIT, (path, size)
    staff = pages.another_browser()
    await staff.sign_in("kasi.61.71.dinkes")
    assert await first_load(staff, "/kinerja-harian?minggu=2026-09-14") <= FIRST_LOAD_LIMIT
    assert await first_load(staff, "/skp?tahun=2026") <= FIRST_LOAD_LIMIT
    finance = pages.another_browser()
    await finance.sign_in("finance.61.71")
    assert await first_load(finance, f"/tpp?unit={dinkes}&tahun=2026&bulan=9") <= FIRST_LOAD_LIMIT
    verifier = pages.another_browser()
    await verifier.sign_in("verifier.61.71")
    assert await first_load(verifier, f"/verifikasi-kinerja?unit={dinkes}&tahun=2026&bulan=9") <= FIRST_LOAD_LIMIT


async def test_assets_are_compressed_and_cached(pages: Pages) -> None:
    chart = await pages.client.get("/aset/vendor/chart.umd.min.js", headers={"accept-encoding": "gzip"})
    assert chart.headers["content-encoding"] == "gzip"
    assert chart.headers["cache-control"] == "public, max-age=86400"
    assert chart.num_bytes_downloaded < 100_000 < len(chart.content)
    page = await pages.client.get("/", headers={"accept-encoding": "gzip"})
    assert page.headers["content-encoding"] == "gzip" and page.headers["cache-control"] == "no-store"
    policy = page.headers["content-security-policy"]
    assert "script-src 'self';" in policy and "frame-ancestors 'none'" in policy


async def test_pages_run_as_many_statements_whatever_they_show(pages: Pages, demo_api: Api) -> None:
    browser = pages.another_browser()
    await browser.sign_in("admin.61")
    pontianak, singkawang = await government_id(demo_api, "61.71"), await government_id(demo_api, "61.72")
    dinkes, disdik = await unit_id(demo_api, "61.71", "DINKES"), await unit_id(demo_api, "61.71", "DISDIK")
    await browser.statements_of("/dasbor")  # warms the session's once-a-minute touch
    for first, second in ((pontianak, singkawang), (dinkes, disdik)):
        assert await browser.statements_of(f"/dasbor?lingkup={first}&tahun=2026&triwulan=3") == (
            await browser.statements_of(f"/dasbor?lingkup={second}&tahun=2026&triwulan=3")
        )
    # Two submitted reports (a report never written costs no statement for its history).
    pupr = await unit_id(demo_api, "61.71", "PUPR")
    assert await browser.statements_of(f"/isian?unit={pupr}&tahun=2026&triwulan=3") == (
        await browser.statements_of(f"/isian?unit={disdik}&tahun=2026&triwulan=3")
    )
    province = await browser.statements_of("/dasbor?tahun=2026&triwulan=3")
    assert province <= 40, province


async def test_the_portal_is_answered_from_kept_pages_until_the_next_commit(pages: Pages) -> None:
    visitor = pages.another_browser()
    first = await visitor.statements_of("/publik/61.72?tahun=2025&triwulan=2")
    again = await visitor.statements_of("/publik/61.72?tahun=2025&triwulan=2")
    # Again: the snapshot's version alone; the page, rollups and all, is kept for anonymous visitors.
    assert (again, first > 5) == (1, True)
    await pages.another_browser().sign_in("reviewer.61")  # a commit (a session row): a new snapshot
    assert await visitor.statements_of("/publik/61.72?tahun=2025&triwulan=2") > 1
    signed_in = pages.another_browser()
    await signed_in.sign_in("admin.61")
    assert await signed_in.statements_of("/publik/61.72?tahun=2025&triwulan=2") > 1  # their own navigation
