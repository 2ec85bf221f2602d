"""Every page against axe-core's WCAG 2.0/2.1 A and AA rules (labels, names, contrast, landmarks,
language), in the real browser, signed in as the people who use each page."""

from axe_playwright_python.async_playwright import Axe
from playwright.async_api import Page, expect

from tests.api.client import Api
from tests.web.browser import Site
from tests.web.facts import approved_week, last_month_monday, unit_id

WCAG_AA = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}


async def violations(page: Page, path: str) -> list[str]:
    await page.goto(path)
    results = await Axe().run(page, options=WCAG_AA)
    return [f"{path}: {v['id']} ({len(v['nodes'])}×) {v['help']}" for v in results.response["violations"]]


async def test_every_page_meets_wcag_aa(site: Site, fresh_url: str) -> None:
    found: list[str] = []
    visitor = await site.person()
    for path in ("/", "/publik/61.71?tahun=2025", "/masuk", "/pengembang", "/tidak-ada"):
        found += await violations(visitor, path)
    leader = await site.signed_in("admin.61")
    for path in ("/dasbor", "/dasbor?tahun=2025&triwulan=0"):
        found += await violations(leader, path)
    await leader.locator(".tile-map").get_by_role("link", name="Kota Pontianak").click()
    found += await violations(leader, leader.url)
    await leader.locator(".tiles").get_by_role("link", name="Dinas Kesehatan").click()
    found += await violations(leader, leader.url)
    await (
        leader.locator("section[aria-labelledby=indikator]")
        .get_by_role("link", name="Prevalensi balita stunting")
        .click()
    )
    found += await violations(leader, leader.url)
    operator = await site.signed_in("operator.61.71.dinkes")
    found += await violations(operator, "/isian")
    reviewer = await site.signed_in("reviewer.61.71")
    found += await violations(reviewer, "/asistensi?tahun=2026&triwulan=3")
    await reviewer.locator("#antrean").get_by_role("link").first.click()
    found += await violations(reviewer, reviewer.url)
    unit = await site.signed_in("operator.61.71")  # the self-assessment form of 2026
    found += await violations(unit, "/evaluasi")
    await unit.get_by_role("row", name="2026").get_by_role("link").click()
    found += await violations(unit, unit.url)
    inspektorat = await site.signed_in("evaluator.61.71")  # with the form that starts an evaluation
    found += await violations(inspektorat, "/evaluasi")
    assurer = await site.signed_in("quality_assurer.61")  # its workspaces, and the quality review it approved
    found += await violations(assurer, "/dasbor")
    await assurer.goto("/evaluasi")
    await assurer.get_by_role("row", name="2025").get_by_role("link").click()
    found += await violations(assurer, assurer.url)
    monev = await site.signed_in("reviewer.61.71")  # the confirmed list with its follow-up forms
    for path in ("/monev?tahun=2026&bulan=8", "/monev?tahun=2026&bulan=9", "/monev?tahun=2026&triwulan=1"):
        found += await violations(monev, path)
    agency = await site.signed_in("operator.61.71.dinkes")  # its month's lines, and a new month
    for path in ("/monev/isian?tahun=2026&bulan=9", "/monev/isian?tahun=2026&bulan=10&anggaran=PERUBAHAN"):
        found += await violations(agency, path)
    for path in ("/lkjip", "/lkjip?tahun=2026"):  # the signed 2025 report, and 2026's draft
        found += await violations(agency, path)
    staff = await site.signed_in("staf.61.71.dinkes")  # a week of September logged, scored
    found += await violations(staff, "/kinerja-harian?minggu=2026-09-14")
    kasi = await site.signed_in("kasi.61.71.dinkes")  # the week with the staff's entries and the form
    found += await violations(kasi, "/kinerja-harian")
    found += await violations(staff, "/skp?tahun=2026")  # an assessed SKP with its RHK
    found += await violations(staff, "/skp?tahun=2027")  # none yet: the form that drafts it
    found += await violations(kasi, "/skp?tahun=2026")  # the team to agree and rate
    head = await site.signed_in("kadis.61.71.dinkes")  # with the agency's distribution
    found += await violations(head, "/skp?tahun=2026")
    personnel = await site.signed_in("admin.61.71")  # the staff file's upload form
    found += await violations(personnel, "/pegawai/impor")
    await personnel.goto("/lkjip?tahun=2025")  # the pemda's LKjIP with the background form, then its job
    await personnel.get_by_role("link", name="Kota Pontianak").click()
    found += await violations(personnel, personnel.url)
    await personnel.get_by_role("button", name="Mulai pembuatan").click()
    await expect(personnel.get_by_role("status")).to_contain_text("Selesai", timeout=60_000)
    found += await violations(personnel, personnel.url)
    planner = await site.signed_in("planner.61.71")  # the Lampiran upload, then an agency's imported APBD
    found += await violations(planner, "/anggaran?tahun=2026")
    await planner.get_by_label("Perangkat daerah", exact=True).select_option(label="Dinas Kesehatan")
    await planner.get_by_role("button", name="Tampilkan").click()
    found += await violations(planner, planner.url)
    found += await violations(staff, "/tpp?tahun=2026&bulan=9")  # a paid statement
    finance = await site.signed_in("finance.61.71")  # an agency's month
    found += await violations(finance, "/tpp?tahun=2026&bulan=9")
    await finance.get_by_role("button", name="Tampilkan").click()
    found += await violations(finance, finance.url)
    verifier = await site.signed_in("verifier.61.71")  # last month's approved entries, with the scoring form
    monday = last_month_monday()
    async with Api.serving(fresh_url) as api:
        employee, _ = await approved_week(api, monday)
        dinkes = await unit_id(api, "61.71", "DINKES")
    month = f"/verifikasi-kinerja?unit={dinkes}&tahun={monday.year}&bulan={monday.month}"
    for path in ("/verifikasi-kinerja", month, f"{month}&pegawai={employee}"):
        found += await violations(verifier, path)
    assert found == []
