"""The TPP page: an employee reads their own statement with each component and deduction; the
finance unit reads a perangkat daerah's month, computes it and records it paid, the API's
refusals shown on the page; nobody else sees the finance part."""

import asyncio
import re
from decimal import Decimal

from tests.api.client import Api
from tests.web.facts import unit_id
from tests.web.pages import Pages, text_of
from web.format import number

CLOSE = """mutation($agency: ID!) { closeActivityMonth(input: {agencyId: $agency, year: 2026, month: 10}) {
  closed userErrors { code } } }"""
AMOUNTS = (
    """query($scope: ID!) { employees(scope: $scope, first: 100) { tppStatements(year: 2026) { month amount } } }"""
)


async def test_an_employee_reads_their_statement_and_finance_its_agencys_month(pages: Pages, fresh_url: str) -> None:
    await pages.sign_in("staf.61.71.dinkes")
    own = text_of(await pages.get("/tpp?tahun=2026&bulan=9"))
    assert "TPP Anda tahun 2026" in own and "September 2026: Rp" in own and "dibayar" in own
    assert "Kehadiran" in own and "Besaran kelas jabatan Rp 2.500.000" in own
    assert "TPP perangkat daerah" not in own

    async with Api.serving(fresh_url) as api:
        dinkes = await unit_id(api, "61.71", "DINKES")
        finance_api = await api.as_user("finance.61.71")
        answer = (await finance_api.execute(AMOUNTS, {"scope": dinkes}))["employees"]
        september = sum(Decimal(s["amount"]) for e in answer for s in e["tppStatements"] if s["month"] == 9)
        verifier = await api.as_user("verifier.61.71")
        assert (await verifier.execute(CLOSE, {"agency": dinkes}))["closeActivityMonth"]["closed"] is True

    finance = pages.another_browser()
    await finance.sign_in("finance.61.71")
    path = f"/tpp?unit={dinkes}&tahun=2026&bulan=9"
    shown = text_of(await finance.get(path))
    assert f"60 dari 60 pegawai memiliki rincian; jumlah Rp {number(september)}." in shown
    paid = {"unit": dinkes, "tahun": "2026", "bulan": "9"}
    again = await finance.post("/tpp", {**paid, "aksi": "hitung"}, csrf_from=path)
    assert again.status_code == 400 and "TPP bulan ini sudah dibayar" in text_of(again)

    october = {**paid, "bulan": "10"}
    computed = await finance.post("/tpp", {**october, "aksi": "hitung"}, csrf_from=path)
    assert computed.status_code == 303 and "pesan=dihitung" in computed.headers["location"]
    assert "0 dari 60 pegawai memiliki rincian" in text_of(await finance.get(computed.headers["location"]))
    unpaid = await finance.post("/tpp", {**october, "aksi": "bayar"}, csrf_from=path)
    assert unpaid.status_code == 400 and "Rincian TPP baru ada untuk 0 dari 60 pegawai" in text_of(unpaid)


async def test_the_finance_part_is_for_finance_only(pages: Pages) -> None:
    await pages.sign_in("operator.61.71")
    shown = text_of(await pages.get("/tpp"))
    assert "Akun Anda tidak terhubung dengan data pegawai." in shown and "TPP perangkat daerah" not in shown
    refused = await pages.post("/tpp", {"unit": "x", "tahun": "2026", "bulan": "9", "aksi": "bayar"})
    assert refused.status_code == 400 and "Perangkat daerah tidak ditemukan." in text_of(refused)


async def test_finance_computes_the_whole_pemda_in_the_background_and_follows_it(pages: Pages, fresh_url: str) -> None:
    async with Api.serving(fresh_url) as api:
        dinkes = await unit_id(api, "61.71", "DINKES")
        verifier = await api.as_user("verifier.61.71")
        assert (await verifier.execute(CLOSE, {"agency": dinkes}))["closeActivityMonth"]["closed"] is True
    await pages.sign_in("finance.61.71")
    path = f"/tpp?unit={dinkes}&tahun=2026&bulan=10"
    assert "TPP seluruh pemda" in text_of(await pages.get(path))
    form = {"unit": dinkes, "tahun": "2026", "bulan": "10", "pemda": "61.71", "aksi": "hitung_pemda"}
    started = await pages.post("/tpp", form, csrf_from=path)
    assert started.status_code == 303 and "tugas=" in started.headers["location"]
    for _ in range(100):
        shown = text_of(await pages.get(started.headers["location"]))
        if "sedang berjalan" not in shown:
            break
        await asyncio.sleep(0.1)
    assert "Perhitungan TPP Oktober 2026 (dimulai finance.61.71): selesai" in shown
    # Every agency gone through; the Dinas Kesehatan's October is closed (its attendance not yet
    # recorded: no statement), the others' are not and are skipped with the reason.
    assert re.search(r"selesai ?, (\d+) dari \1 perangkat daerah", shown)
    assert "Dilewati:" in shown and "BAPENDA: Bulan kegiatan belum ditutup verifikator" in shown
    assert "DINKES:" not in shown
    unknown = await pages.post("/tpp", {**form, "pemda": "99.99"}, csrf_from=path)
    assert unknown.status_code == 400
