"""The stories of issue 17 in a real browser: the operator, the reviewer, the dashboard's
drill-down and the public portal. Screenshots land in tests/artifacts/<story>/."""

import re
from pathlib import Path

from openpyxl import load_workbook
from playwright.async_api import Page, expect

from tests.web.browser import Site


async def entry_of_dinkes(site: Site) -> Page:
    operator = await site.signed_in("operator.61.71.dinkes")
    await operator.get_by_role("link", name="Isian").click()
    await expect(operator.get_by_role("heading", name="Isian realisasi Dinas Kesehatan")).to_be_visible()
    return operator


async def test_operator_fills_three_values_sees_the_inline_error_fixes_it_and_submits(site: Site) -> None:
    operator = await entry_of_dinkes(site)
    await site.shot(operator, "isian")
    await operator.get_by_label("Realisasi DINKES-01").fill("20,5")
    await operator.get_by_label("Realisasi DINKES-02").fill("sembilan puluh")
    await operator.get_by_label("Realisasi SEK-DINKES").fill("97")
    await operator.get_by_role("button", name="Simpan draf").click()

    invalid = operator.get_by_label("Realisasi DINKES-02")
    await expect(invalid).to_have_attribute("aria-invalid", "true")
    await expect(invalid).to_have_value("sembilan puluh")
    await expect(operator.get_by_text("Isi dengan angka, misalnya 87,5 atau 1.250.")).to_be_visible()
    await expect(operator.get_by_role("alert")).to_contain_text("tidak ada nilai yang ditulis")
    await site.shot(operator, "galat-inline")

    await invalid.fill("90")
    await operator.get_by_role("button", name="Simpan draf").click()
    await expect(operator.get_by_role("status")).to_have_text("Draf tersimpan.")
    await expect(operator.get_by_label("Realisasi DINKES-01")).to_have_value("20,5")
    await expect(operator.get_by_label("Realisasi DINKES-02")).to_have_value("90")
    await operator.get_by_role("button", name="Ajukan laporan").click()
    await expect(operator.locator("#status-laporan")).to_have_text("Diajukan")
    await site.shot(operator, "diajukan")


async def test_reviewer_sees_a_submission_arrive_returns_it_and_approves_the_resubmission(site: Site) -> None:
    reviewer = await site.signed_in("reviewer.61.71")
    await reviewer.goto("/asistensi?tahun=2026&triwulan=3")
    queue = reviewer.locator("#antrean")
    await expect(queue.get_by_role("link", name="Dinas Kesehatan")).to_have_count(0)

    operator = await entry_of_dinkes(site)
    await operator.get_by_role("button", name="Ajukan laporan").click()
    await expect(operator.locator("#status-laporan")).to_have_text("Diajukan")
    # The open queue shows it without a reload, on the server's event: sooner than the 5 s after
    # which a broken event stream would reconnect (and fetch the queue on opening).
    await expect(queue.get_by_role("link", name="Dinas Kesehatan")).to_be_visible(timeout=4_000)
    await site.shot(reviewer, "antrean")

    await queue.get_by_role("link", name="Dinas Kesehatan").click()
    await expect(reviewer.get_by_role("heading", name=re.compile("Laporan Dinas Kesehatan"))).to_be_visible()
    await reviewer.get_by_label("Alasan pengembalian (wajib)").fill("Lampirkan data dukung prevalensi stunting.")
    await reviewer.get_by_role("button", name="Kembalikan ke unit").click()
    await expect(reviewer.locator("#status-laporan")).to_have_text("Dikembalikan")
    await site.shot(reviewer, "dikembalikan")

    await operator.reload()
    await expect(operator.locator("#status-laporan")).to_have_text("Dikembalikan")
    await expect(operator.get_by_text("Lampirkan data dukung prevalensi stunting.").first).to_be_visible()
    await operator.get_by_label("Balas komentar terakhir").fill("Data dukung sudah dilampirkan.")
    await operator.get_by_role("button", name="Kirim komentar").click()
    await expect(operator.get_by_role("status").filter(has_text="Komentar terkirim.")).to_be_visible()
    await operator.get_by_role("button", name="Ajukan laporan").click()
    await expect(operator.locator("#status-laporan")).to_have_text("Diajukan")
    await site.shot(operator, "diajukan-ulang")

    await reviewer.reload()
    await expect(reviewer.get_by_text("Data dukung sudah dilampirkan.")).to_be_visible()
    await reviewer.get_by_role("button", name="Setujui laporan").click()
    await expect(reviewer.locator("#status-laporan")).to_have_text("Dikunci")
    await site.shot(reviewer, "disetujui")


async def test_the_dashboard_drills_down_from_the_province_to_an_indicator(site: Site) -> None:
    leader = await site.signed_in("admin.61")
    await expect(leader.get_by_role("heading", name="Dasbor Kalimantan Barat")).to_be_visible()
    await expect(leader.locator("canvas#grafik-tren")).to_be_visible()
    await site.shot(leader, "provinsi")
    await leader.locator(".tile-map").get_by_role("link", name="Kota Pontianak").click()
    await expect(leader.get_by_role("heading", name="Dasbor Kota Pontianak")).to_be_visible()
    await expect(leader.get_by_text("Kepatuhan pelaporan Triwulan 3 2026")).to_be_visible()
    await site.shot(leader, "kota")
    await leader.locator(".tiles").get_by_role("link", name="Dinas Kesehatan").click()
    await expect(leader.get_by_role("heading", name="Dasbor Dinas Kesehatan")).to_be_visible()
    await site.shot(leader, "perangkat-daerah")
    await (
        leader.locator("section[aria-labelledby=indikator]")
        .get_by_role("link", name="Prevalensi balita stunting")
        .click()
    )
    await expect(leader.get_by_role("heading", name="DINKES-01 · Prevalensi balita stunting")).to_be_visible()
    await expect(leader.locator("canvas#grafik-realisasi")).to_be_visible()
    await expect(leader.get_by_role("cell", name="Triwulan 3", exact=True)).to_be_visible()
    await site.shot(leader, "indikator")
    await leader.get_by_role("link", name="Kota Pontianak").click()
    await expect(leader.get_by_role("heading", name="Dasbor Kota Pontianak")).to_be_visible()


async def test_the_public_portal_reads_on_a_phone_and_without_javascript(site: Site) -> None:
    citizen = await site.person(phone=True)
    await citizen.goto("/")
    await expect(citizen.get_by_role("heading", name="Capaian kinerja Kalimantan Barat")).to_be_visible()
    await expect(citizen.get_by_text("99,05%").first).to_be_visible()
    await expect(citizen.locator("canvas#grafik-tren")).to_be_visible()
    width = await citizen.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, "the portal scrolls sideways on a phone"
    await site.shot(citizen, "ponsel")
    await citizen.locator(".tile-map").get_by_role("link", name="Kota Pontianak").click()
    await expect(citizen.get_by_role("heading", name="Capaian kinerja Kota Pontianak")).to_be_visible()
    assert "/publik/61.71" in citizen.url

    reader = await site.person(javascript=False)
    await reader.goto("/publik/61.71?tahun=2025")
    await expect(reader.get_by_role("cell", name="Triwulan 4", exact=True)).to_be_visible()
    await expect(reader.locator("canvas#grafik-tren")).to_be_hidden()  # the table stands in for the chart
    await reader.goto("/?tahun=2026&triwulan=3")
    await expect(reader.get_by_text("Belum ada data yang dipublikasikan untuk periode ini.")).to_be_visible()
    await site.shot(reader, "tanpa-javascript")


async def test_the_keyboard_reaches_the_content_first_and_focus_is_visible(site: Site) -> None:
    visitor = await site.person()
    await visitor.goto("/masuk")
    await visitor.keyboard.press("Tab")
    skip = visitor.get_by_role("link", name="Langsung ke isi")
    await expect(skip).to_be_focused()
    await visitor.keyboard.press("Enter")
    await visitor.get_by_label("Nama pengguna").focus()
    outline = await visitor.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline == "solid"


async def test_developers_find_graphiql_served_by_the_server_itself(site: Site) -> None:
    developer = await site.person()
    await developer.goto("/pengembang")
    await expect(developer.get_by_role("heading", name="Mendapatkan token API")).to_be_visible()
    await developer.get_by_role("link", name="GraphiQL").click()
    await expect(developer.locator(".graphiql-container")).to_be_visible(timeout=15_000)
    await site.shot(developer, "graphiql")
    schema = await developer.request.get("/skema.graphql")
    assert "type Query" in await schema.text()


async def test_operator_fills_the_excel_template_checks_it_and_confirms(site: Site, tmp_path: Path) -> None:
    operator = await entry_of_dinkes(site)
    async with operator.expect_download() as download:
        await operator.get_by_role("link", name="Unduh templat Excel").click()
    template = tmp_path / (await download.value).suggested_filename
    await (await download.value).save_as(template)
    book = load_workbook(template)
    sheet = book["Realisasi"]
    line = next(row[0].row for row in sheet.iter_rows(min_row=2) if row[0].value == "DINKES-02")
    sheet[f"E{line}"] = "lupa"
    book.save(template)
    await operator.get_by_label("Berkas Excel").set_input_files(template)
    await operator.get_by_role("button", name="Periksa berkas").click()
    await expect(operator.get_by_role("alert")).to_contain_text("1 masalah ditemukan")
    await expect(operator.get_by_role("cell", name="Isi dengan angka, misalnya 87,5 atau 1.250.")).to_be_visible()
    await site.shot(operator, "excel-masalah")

    sheet[f"E{line}"] = 91.5
    book.save(template)
    await operator.goto("/isian")
    await operator.get_by_label("Berkas Excel").set_input_files(template)
    await operator.get_by_role("button", name="Periksa berkas").click()
    await expect(operator.get_by_text("Semua baris benar.")).to_be_visible()
    await operator.get_by_role("button", name="Simpan semua").click()
    await expect(operator.get_by_role("status")).to_have_text("Nilai dari berkas Excel tersimpan.")
    await expect(operator.get_by_label("Realisasi DINKES-02")).to_have_value("91,5")
    await site.shot(operator, "excel-tersimpan")


async def test_the_unit_answers_its_self_assessment_and_the_evaluator_reads_last_years_result(site: Site) -> None:
    operator = await site.signed_in("operator.61.71")
    await operator.get_by_role("link", name="Evaluasi").click()
    await expect(operator.get_by_role("heading", name="Evaluasi SAKIP")).to_be_visible()
    await site.shot(operator, "daftar")
    await operator.get_by_role("row", name=re.compile("2026")).get_by_role("link").click()
    await expect(operator.locator("#tahap")).to_have_text("Penilaian mandiri")
    await operator.get_by_label("Jawaban 1.a.1", exact=True).select_option("A")
    await operator.get_by_label("Catatan 1.a.1", exact=True).fill("Perwako pedoman perencanaan kinerja 2026.")
    await operator.get_by_role("button", name="Simpan penilaian mandiri").click()
    await expect(operator.get_by_role("status")).to_have_text("Penilaian mandiri tersimpan.")
    await expect(operator.get_by_label("Jawaban 1.a.1", exact=True)).to_have_value("A")
    await site.shot(operator, "mandiri")
    # Evidence: a file past 20 MB is refused beside its field before it is sent; a 3 MB scan is added.
    await operator.get_by_label("Judul bukti").fill("Perwako pedoman (pindaian)")
    scan = operator.get_by_label("atau berkas")
    pdf = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n%"
    await scan.set_input_files({"name": "besar.pdf", "mimeType": "application/pdf", "buffer": pdf + bytes(21 << 20)})
    assert "paling besar 20 MB" in await scan.evaluate("input => input.validationMessage")
    await scan.set_input_files({"name": "perwako.pdf", "mimeType": "application/pdf", "buffer": pdf + bytes(3 << 20)})
    assert await scan.evaluate("input => input.validationMessage") == ""
    await operator.get_by_role("button", name="Tambah bukti dukung").click()
    await expect(operator.get_by_role("status")).to_have_text("Bukti dukung ditambahkan.")
    await expect(operator.get_by_text("Perwako pedoman (pindaian)")).to_be_visible()

    evaluator = await site.signed_in("evaluator.61")
    await evaluator.get_by_role("link", name="Evaluasi").click()
    await evaluator.get_by_role("row", name=re.compile("2025")).get_by_role("link").click()
    await expect(evaluator.locator("#predikat")).to_have_text("B (Baik)")
    await expect(evaluator.get_by_role("link", name="Unduh LHE (PDF)")).to_be_visible()
    await site.shot(evaluator, "final")
