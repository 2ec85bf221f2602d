"""The SKP page over HTTP: an employee drafts their SKP (an RHK under one of the superior's RHK,
with its targets; a target that is no number and a missing intervensi shown beside their fields,
nothing written), removes an RHK; the superior agrees the draft and rates the team, a unit head's
results coming from the unit; the agency head's finalising is refused with the numbers while
someone is unrated."""

import re

import psycopg

from tests.web.pages import Pages, text_of

# The demo's staff of Subbagian Umum (STAF-1.1-01) drafts anew: their SKP removed, the staff
# account moved to them, the kepala seksi's account to their superior, the kepala subbagian.
REDRAFT = [
    "UPDATE employee SET user_id = NULL WHERE user_id IN (SELECT id FROM app_user WHERE username IN "
    "('staf.61.71.dinkes', 'kasi.61.71.dinkes'))",
    "UPDATE employee SET user_id = (SELECT id FROM app_user WHERE username = 'staf.61.71.dinkes') "
    "WHERE position_id = (SELECT id FROM position WHERE code = 'STAF-1.1-01')",
    "UPDATE employee SET user_id = (SELECT id FROM app_user WHERE username = 'kasi.61.71.dinkes') "
    "WHERE position_id = (SELECT id FROM position WHERE code = 'KASI-1.1')",
    "UPDATE skp SET state = 'DRAFT' WHERE position_id = (SELECT id FROM position WHERE code = 'STAF-1.1-01')",
    "DELETE FROM skp_rhk_target WHERE rhk_id IN (SELECT r.id FROM skp_rhk r JOIN skp s ON s.id = r.skp_id "
    "JOIN position p ON p.id = s.position_id WHERE p.code = 'STAF-1.1-01')",
    "DELETE FROM skp_rhk WHERE skp_id IN (SELECT s.id FROM skp s JOIN position p ON p.id = s.position_id "
    "WHERE p.code = 'STAF-1.1-01')",
    "DELETE FROM skp WHERE position_id = (SELECT id FROM position WHERE code = 'STAF-1.1-01')",
]


async def test_an_employee_drafts_and_the_superior_agrees_on_the_page(pages: Pages, fresh_url: str) -> None:
    with psycopg.connect(fresh_url) as conn:
        for statement in REDRAFT:
            conn.execute(statement)
    await pages.sign_in("staf.61.71.dinkes")
    opened = await pages.get("/skp?tahun=2026")
    assert opened.status_code == 200 and 'href="/skp" aria-current="page"' in opened.text
    assert "status: Belum disusun" in text_of(opened)
    parents = re.findall(r'<option value="(UmhrO[^"]+)">([^<]+)</option>', opened.text)
    assert parents, "the superior's RHK to choose from"

    rhk = {"tahun": "2026", "aksi": "tambah", "uraian": "Arsip surat tertata", "indicator_KUANTITAS": "Arsip",
           "target_KUANTITAS": "dua belas", "unit_KUANTITAS": "berkas"}  # fmt: skip
    not_a_number = await pages.post("/skp", rhk, csrf_from="/skp")
    assert not_a_number.status_code == 400
    assert re.search(r'id="target-KUANTITAS"[^>]*aria-invalid="true"', not_a_number.text)
    assert "Target Kuantitas berupa angka, mis. 12 atau 99,5." in text_of(not_a_number)
    orphan = await pages.post("/skp", {**rhk, "target_KUANTITAS": "12"}, csrf_from="/skp")
    assert orphan.status_code == 400 and re.search(r'id="atasan"[^>]*aria-invalid="true"', orphan.text)
    assert "status: Belum disusun" in text_of(orphan)  # nothing written

    added = await pages.post("/skp", {**rhk, "target_KUANTITAS": "12", "atasan": parents[0][0]}, csrf_from="/skp")
    assert added.status_code == 303
    drafted = text_of(await pages.get("/skp?tahun=2026"))
    assert "status: Draf" in drafted and "Arsip surat tertata" in drafted and "Kuantitas: Arsip 12 berkas" in drafted
    second = {**rhk, "uraian": "Surat masuk terdisposisi", "target_KUANTITAS": "200", "atasan": parents[0][0]}
    assert (await pages.post("/skp", second, csrf_from="/skp")).status_code == 303
    page = await pages.get("/skp?tahun=2026")
    removed = re.search(r'name="rhk" value="([^"]+)"><button type="submit" name="aksi" value="hapus">Hapus<span '
                        r'class="vh"> RHK Surat masuk', page.text)  # fmt: skip
    assert removed
    gone = await pages.post("/skp", {"tahun": "2026", "aksi": "hapus", "rhk": removed.group(1)}, csrf_from="/skp")
    assert gone.status_code == 303 and "Surat masuk terdisposisi" not in text_of(await pages.get("/skp?tahun=2026"))

    superior = pages.another_browser()
    await superior.sign_in("kasi.61.71.dinkes")
    team = await superior.get("/skp?tahun=2026")
    assert "SKP bawahan 2026" in text_of(team) and "Arsip surat tertata" in text_of(team)
    skp, version = re.findall(r'name="skp" value="([^"]+)"><input type="hidden" name="versi" value="(\d+)">\s*'
                              r'<button type="submit" name="aksi" value="setujui"', team.text)[0]  # fmt: skip
    agreed = await superior.post("/skp", {"tahun": "2026", "aksi": "setujui", "skp": skp, "versi": version},
                                 csrf_from="/skp")  # fmt: skip
    assert agreed.status_code == 303
    assert "SKP disetujui: RHK dan targetnya kini tetap." in text_of(await superior.get(agreed.headers["location"]))
    assert "status: Disetujui atasan" in text_of(await pages.get("/skp?tahun=2026"))
    stale = await superior.post("/skp", {"tahun": "2026", "aksi": "setujui", "skp": skp, "versi": version},
                                csrf_from="/skp")  # fmt: skip
    assert stale.status_code == 400


async def test_the_superior_rates_the_team_and_the_head_cannot_finalise_with_some_unrated(pages: Pages) -> None:
    await pages.sign_in("kasi.61.71.dinkes")
    team = await pages.get("/skp?tahun=2026")
    rows = re.findall(
        r'name="skp" value="([^"]+)"><input type="hidden" name="versi" value="(\d+)">\s*<label for="hasil-\d+">'
        r'Hasil kerja<span class="vh"> ([^<]+)</span>', team.text,
    )  # fmt: skip
    unrated = [row for row in rows if row[2] == "Oktavia Santoso"]
    assert unrated, "an agreed SKP to rate"
    skp, version, _ = unrated[0]
    missing = await pages.post("/skp", {"tahun": "2026", "aksi": "nilai", "skp": skp, "versi": version},
                               csrf_from="/skp")  # fmt: skip
    assert missing.status_code == 400 and "Pilih rating perilaku kerja" in text_of(missing)
    rated = {"tahun": "2026", "aksi": "nilai", "skp": skp, "versi": version, "hasil": "ABOVE",
             "perilaku": "AS_EXPECTED"}  # fmt: skip
    done = await pages.post("/skp", rated, csrf_from="/skp")
    assert done.status_code == 303
    shown = text_of(await pages.get(done.headers["location"]))
    assert "Penilaian SKP tersimpan." in shown
    assert re.search(r"Oktavia Santoso Epidemiolog Kesehatan Ahli Muda .*? Dinilai Baik", shown)

    head = pages.another_browser()
    await head.sign_in("kadis.61.71.dinkes")
    page = await head.get("/skp?tahun=2026")
    assert "Distribusi predikat Dinas Kesehatan 2026" in text_of(page)
    assert "Hasil kerja: dari predikat organisasi unitnya" in text_of(page)  # the kabid are unit heads
    unit = re.search(r'name="unit" value="([^"]+)">\s*<p><button type="submit" name="aksi" value="finalkan"', page.text)
    assert unit
    refused = await head.post("/skp", {"tahun": "2026", "aksi": "finalkan", "unit": unit.group(1)}, csrf_from="/skp")
    assert refused.status_code == 400 and "4 dari 59 pegawai belum dinilai" in text_of(refused)


async def test_an_account_that_is_no_employee_is_told_so(pages: Pages) -> None:
    await pages.sign_in("operator.61.71")
    shown = text_of(await pages.get("/skp"))
    assert "Akun Anda tidak terhubung dengan data pegawai" in shown
    refused = await pages.post("/skp", {"tahun": "2026", "aksi": "tambah", "uraian": "x"}, csrf_from="/skp")
    assert refused.status_code == 403


async def test_a_year_whose_superior_has_no_skp_yet_says_so_beside_the_choice(pages: Pages) -> None:
    await pages.sign_in("staf.61.71.dinkes")
    shown = text_of(await pages.get("/skp?tahun=2027"))
    assert "status: Belum disusun" in shown and "Atasan Anda belum menyusun SKP tahun ini." in shown
