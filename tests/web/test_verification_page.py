"""Verifikasi kinerja over HTTP: BKPSDM's verifier opens a perangkat daerah's month, an employee's
approved entries, scores one and rejects another; a score that is no number or out of range, and a
rejection without its reason, show beside the entry and write nothing; an unchanged row is not
sent again; "Tutup bulan" freezes the month. Nobody else opens the page."""

import re

import httpx

from tests.api.client import Api
from tests.web.facts import approved_week, last_month_monday, unit_id
from tests.web.pages import Pages, text_of

STATES = """query($id: ID!, $from: Date!, $to: Date!) { employee(id: $id) { activityLogs(from: $from, to: $to) {
  id state score verifyNote } } }"""


async def test_the_verifier_scores_an_employees_month_and_closes_it(pages: Pages, fresh_url: str) -> None:
    monday = last_month_monday()
    async with Api.serving(fresh_url) as api:
        dinkes = await unit_id(api, "61.71", "DINKES")
        employee, ids = await approved_week(api, monday)
        verifier_api = await api.as_user("verifier.61.71")
        span = {"id": employee, "from": monday.isoformat(), "to": monday.isoformat()}

        await pages.sign_in("verifier.61.71")
        month = f"/verifikasi-kinerja?unit={dinkes}&tahun={monday.year}&bulan={monday.month}"
        overview = text_of(await pages.get(month))
        assert "2 kegiatan menunggu penilaian, 0 dinilai, 0 ditolak" in overview
        path = f"{month}&pegawai={employee}"
        opened = await pages.get(path)
        assert opened.status_code == 200 and "Merekap laporan imunisasi" in text_of(opened)
        assert 'href="/verifikasi-kinerja" aria-current="page"' in opened.text

        base = {"unit": dinkes, "tahun": str(monday.year), "bulan": str(monday.month), "pegawai": employee}
        rows = [("entri", ids[0]), ("entri", ids[1]), ("belum_" + ids[0], "ya"), ("belum_" + ids[1], "ya")]

        async def send(*fields: tuple[str, str]) -> httpx.Response:
            form: dict[str, list[str]] = {}
            for name, value in [("csrf", await pages.csrf_of(path)), *base.items(), ("aksi", "nilai"), *rows, *fields]:
                form.setdefault(name, []).append(value)
            return await pages.client.post("/verifikasi-kinerja", data=form)

        typed = await send((f"nilai_{ids[0]}", "delapan"), (f"tolak_{ids[1]}", "ya"))
        assert typed.status_code == 400
        shown = text_of(typed)
        assert "Nilai 0–10, paling banyak dua desimal (mis. 8,5)." in shown
        over = await send((f"nilai_{ids[0]}", "11"), (f"tolak_{ids[1]}", "ya"))
        wrong = text_of(over)
        assert "Nilai kegiatan harus antara 0 dan 10." in wrong
        assert "Tuliskan alasan penolakan." in wrong
        assert re.search(r'id="nilai-1"[^>]*aria-invalid="true"', over.text)
        assert {e["state"] for e in (await verifier_api.execute(STATES, span))["employee"]["activityLogs"]} == {
            "APPROVED"
        }

        # The first by "isi yang kosong" (8,5 for every unscored entry not rejected), the second rejected.
        saved = await send(("isi_kosong", "8,5"), (f"tolak_{ids[1]}", "ya"), (f"catatan_{ids[1]}", "Tanpa bukti"))
        assert saved.status_code == 303
        logs = (await verifier_api.execute(STATES, span))["employee"]["activityLogs"]
        assert [(e["state"], e["score"], e["verifyNote"]) for e in logs] == [
            ("VERIFIED", "8.5", None),
            ("REJECTED", "0", "Tanpa bukti"),
        ]
        after = await pages.get(path)
        decided = re.findall(r'name="lama_[^"]+" value="([^"]*)"', after.text)
        assert decided == ["8.5|", "tolak|Tanpa bukti"]
        # Sent back as shown, nothing changed: nothing to send.
        form = [(f"lama_{ids[0]}", decided[0]), (f"lama_{ids[1]}", decided[1]), (f"nilai_{ids[0]}", "8,5")]
        unchanged = await send(*form, (f"tolak_{ids[1]}", "ya"), (f"catatan_{ids[1]}", "Tanpa bukti"))
        assert "Isi nilai atau centang tolak" in text_of(unchanged)

        form_close = {**base, "aksi": "tutup"}
        closed = await pages.post("/verifikasi-kinerja", form_close, csrf_from=month)
        assert closed.status_code == 303 and "pesan=ditutup" in closed.headers["location"]
        final = text_of(await pages.get(path))
        assert "(bulan ditutup)" in final and "Simpan penilaian" not in final


async def test_the_page_is_the_verifiers_only(pages: Pages) -> None:
    await pages.sign_in("operator.61.71")
    assert (await pages.get("/verifikasi-kinerja")).status_code == 403
    refused = await pages.post("/verifikasi-kinerja", {"aksi": "tutup"}, csrf_from="/tpp")
    assert refused.status_code == 403
    finance = pages.another_browser()
    await finance.sign_in("finance.61.71")
    assert "Verifikasi" not in (await finance.get("/tpp")).text.split("<main")[0]
