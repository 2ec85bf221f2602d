"""The LKjIP page's background generation (issue 18): a pemda's admin starts the LKjIP of the
pemda and its perangkat daerah, follows the progress page (refreshed while it runs) and
downloads each document; a refusal is shown on the LKjIP page; nobody else sees the job."""

import asyncio
import html
import re

import httpx

from tests.web.pages import Pages
from tests.web.test_lkjip_page import text_of

ROOT = 'query { government(code: "61.71") { rootUnit { id } } }'


async def _finished(pages: Pages, path: str) -> httpx.Response:
    for _ in range(600):
        shown = await pages.get(path)
        assert shown.status_code == 200
        if "Sedang dibuat" not in shown.text and "Menunggu giliran" not in shown.text:
            return shown
        assert '<meta http-equiv="refresh" content="2">' in shown.text
        await asyncio.sleep(0.1)
    raise AssertionError("the job did not finish in a minute")


async def test_an_admin_generates_the_pemda_and_its_agencies_in_the_background(fresh_url: str) -> None:
    async with Pages.serving(fresh_url) as admin, Pages.serving(fresh_url) as operator:
        await admin.sign_in("admin.61.71")
        await operator.sign_in("operator.61.71.dinkes")
        choose = await admin.get("/lkjip?tahun=2025")
        root = re.search(r'href="/lkjip\?unit=([^&"]+)&(?:amp;)?tahun=2025"', choose.text)
        assert root, choose.text
        path = f"/lkjip?unit={root.group(1)}&tahun=2025"
        shown = text_of(await admin.get(path))
        assert "Beserta LKjIP setiap perangkat daerah" in shown and "setiap kabupaten/kota" not in shown

        started = await admin.post(
            "/lkjip/tugas", {"unit": root.group(1), "tahun": "2025", "cakupan": "AGENCIES", "kertas": "A4"},
            csrf_from=path,
        )  # fmt: skip
        wrong = await admin.post("/lkjip/tugas", {"unit": root.group(1), "tahun": "2025", "cakupan": "PEMDA"},
                                 csrf_from=path)  # fmt: skip
        assert wrong.status_code == 400 and "Hanya provinsi yang memiliki kabupaten/kota" in text_of(wrong)
        assert started.status_code == 303 and started.headers["location"].startswith("/lkjip/tugas/")
        job_page = started.headers["location"]
        done = await _finished(admin, job_page)
        text = text_of(done)
        assert "Selesai" in text and "(100%)" in text and 'http-equiv="refresh"' not in done.text
        assert "Dinas Kesehatan" in text and "belum ditandatangani" in text  # the others' agreements
        links = re.findall(r'href="(/dokumen/lkjip/tugas/[^"]+\.pdf)"', done.text)
        assert len(links) == 2  # the Wali Kota's and the Dinas Kesehatan's
        pdf = await admin.get(html.unescape(links[0]))
        assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")

        # The Dinas Kesehatan's operator may not start the pemda's, nor see the admin's job.
        refused = await operator.post("/lkjip/tugas", {"unit": root.group(1), "tahun": "2025", "cakupan": "UNIT"},
                                      csrf_from="/lkjip")  # fmt: skip
        assert refused.status_code == 403 and "Akses ditolak" in refused.text
        assert "Tugas pembuatan LKjIP ini tidak ditemukan" in text_of(await operator.get(job_page))
