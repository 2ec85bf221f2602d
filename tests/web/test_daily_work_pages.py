"""Kinerja harian over HTTP: an employee logs the day (errors beside the field, in Bahasa
Indonesia, nothing written), submits the week; the kepala seksi sees it waiting, returns an
entry with a note, then approves the fixed week; an account that is no employee is told so."""

import re

from schema.context import today
from tests.web.facts import last_month_monday
from tests.web.pages import Pages, text_of


async def test_a_week_is_logged_submitted_returned_and_approved_on_the_page(pages: Pages) -> None:
    monday = last_month_monday()
    await pages.sign_in("staf.61.71.dinkes")
    path = f"/kinerja-harian?minggu={monday.isoformat()}"
    opened = await pages.get(path)
    assert opened.status_code == 200 and 'href="/kinerja-harian" aria-current="page"' in opened.text
    assert "Belum ada kegiatan tercatat minggu ini." in text_of(opened)
    rhk = re.findall(r'<option value="(UmhrO[^"]+)"', opened.text)
    assert len(rhk) == 2  # the employee's two RHK of the year to choose from

    entry = {"aksi": "catat", "minggu": monday.isoformat(), "tanggal": monday.isoformat(), "mulai": "10:00",
             "selesai": "09:00", "jenis": "HADIR", "uraian": " ", "rhk": rhk[0], "bukti": ""}  # fmt: skip
    bad = await pages.post("/kinerja-harian", entry, csrf_from=path)
    assert bad.status_code == 400
    assert 'id="selesai" name="selesai" inputmode="numeric" size="5" value="09:00" aria-invalid="true"' in bad.text
    assert "Jam selesai harus sesudah jam mulai." in text_of(bad)
    garbled = await pages.post("/kinerja-harian", {**entry, "mulai": "25:99"}, csrf_from=path)
    assert garbled.status_code == 400 and "Isi jam mulai (JJ:MM)." in text_of(garbled)
    assert "Belum ada kegiatan tercatat minggu ini." in text_of(await pages.get(path))  # nothing written

    good = {**entry, "mulai": "08:00", "selesai": "10:00", "uraian": "Merekap laporan imunisasi"}
    logged = await pages.post("/kinerja-harian", good, csrf_from=path)
    assert logged.status_code == 303 and "pesan=dicatat" in logged.headers["location"]
    shown = text_of(await pages.get(logged.headers["location"]))
    assert "Kegiatan tercatat." in shown and "Merekap laporan imunisasi" in shown and "Draf" in shown
    submitted = await pages.post("/kinerja-harian", {"aksi": "ajukan", "minggu": monday.isoformat()}, csrf_from=path)
    assert submitted.status_code == 303
    assert "Status minggu ini: Diajukan" in text_of(await pages.get(path))

    kasi = pages.another_browser()
    await kasi.sign_in("kasi.61.71.dinkes")
    queue = await kasi.get("/kinerja-harian")
    assert "Menunggu persetujuan Anda" in text_of(queue) and "Merekap laporan imunisasi" in text_of(queue)
    employee_id = re.search(r'name="pegawai" value="([^"]+)"', queue.text)
    entry_id = re.search(r'name="kembalikan" value="([^"]+)"', queue.text)
    assert employee_id and entry_id
    decision = {"aksi": "kembalikan", "minggu": today().isoformat(), "pegawai": employee_id.group(1),
                "pekan": monday.isoformat(), "catatan": ""}  # fmt: skip
    nothing = await kasi.post("/kinerja-harian", decision, csrf_from="/kinerja-harian")
    assert nothing.status_code == 400 and "Centang kegiatan yang dikembalikan." in text_of(nothing)
    no_note = await kasi.client.post(
        "/kinerja-harian",
        data={**decision, "kembalikan": [entry_id.group(1)], "csrf": await kasi.csrf_of("/kinerja-harian")},
    )
    assert no_note.status_code == 400 and "Tuliskan catatan untuk kegiatan yang dikembalikan." in text_of(no_note)
    returned = await kasi.client.post(
        "/kinerja-harian",
        data={**decision, "kembalikan": [entry_id.group(1)], "catatan": "Lengkapi nama puskesmas.",
              "csrf": await kasi.csrf_of("/kinerja-harian")},
    )  # fmt: skip
    assert returned.status_code == 303
    after = text_of(await pages.get(path))
    assert "Dikembalikan" in after and "Catatan atasan: Lengkapi nama puskesmas." in after

    fixed_submit = await pages.post("/kinerja-harian", {"aksi": "ajukan", "minggu": monday.isoformat()}, csrf_from=path)
    assert fixed_submit.status_code == 303
    approve = {**decision, "aksi": "setujui"}
    approved = await kasi.post("/kinerja-harian", approve, csrf_from="/kinerja-harian")
    assert approved.status_code == 303
    assert "Status minggu ini: Disetujui" in text_of(await pages.get(path))


async def test_an_account_that_is_no_employee_is_told_so(pages: Pages) -> None:
    await pages.sign_in("operator.61.71")
    shown = await pages.get("/kinerja-harian")
    assert shown.status_code == 200
    assert "Akun Anda tidak terhubung dengan data pegawai" in text_of(shown)
    assert "Catat kegiatan" not in shown.text
    anonymous = pages.another_browser()
    assert (await anonymous.get("/kinerja-harian")).status_code in (302, 303)
