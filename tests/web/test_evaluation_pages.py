"""Evaluasi SAKIP pages over HTTP: the list in scope, the unit's self-assessment form with errors
beside their criterion and nothing written, the evaluator's view of a FINAL result, and nothing
for a user outside the scope."""

import hashlib
import re
from collections.abc import AsyncIterator
from dataclasses import dataclass

import httpx
import pytest

from tests.api.client import Api
from tests.api.test_evidence_upload import LISTED
from tests.api.test_sakip_evaluation import ACK, ADVANCE, ASSESS, PDF, SCHEDULE, SELF, START, SUBMIT, _models, _root
from tests.web.facts import government_id, unit_id
from tests.web.pages import Pages

LIST = "query($scope: ID!) { evaluations(scope: $scope) { id year answeredSelf } }"


@dataclass
class Served:
    pages: Pages
    api: Api  # the same database, as evaluator.61
    evaluations: dict[int, str]


@pytest.fixture
async def served(fresh_url: str) -> AsyncIterator[Served]:
    async with Pages.serving(fresh_url) as pages, Api.serving(fresh_url) as api:
        evaluator = await api.as_user("evaluator.61")
        scope = await government_id(api, "61.71")
        found = (await evaluator.execute(LIST, {"scope": scope}))["evaluations"]
        yield Served(pages, evaluator, {e["year"]: e["id"] for e in found})


async def _answered(served: Served, year: int) -> int:
    scope = await government_id(served.api, "61.71")
    found = (await served.api.execute(LIST, {"scope": scope}))["evaluations"]
    return int(next(e["answeredSelf"] for e in found if e["year"] == year))


async def test_the_unit_fills_its_self_assessment_with_errors_beside_the_criterion(served: Served) -> None:
    pages = served.pages
    await pages.sign_in("operator.61.71")
    listed = await pages.get("/evaluasi")
    assert listed.status_code == 200 and 'href="/evaluasi"' in listed.text
    assert "Pemerintah Kota Pontianak" in listed.text or "Kota Pontianak" in listed.text
    assert "65,68" in listed.text and "B (Baik)" in listed.text and "Penilaian mandiri" in listed.text
    path = f"/evaluasi/{served.evaluations[2026]}"
    form = await pages.get(path)
    assert form.status_code == 200 and 'name="jawaban-1.a.1"' in form.text
    assert "Simpan penilaian mandiri" in form.text and "Nilai evaluator 1.a.1" not in form.text
    # Last year's recommendations are followed up: the proposal of 4.c.1 comes from them.
    assert re.search(r"2 dari 3 rekomendasi evaluasi 2025 selesai ditindaklanjuti", form.text)

    wrong = {"aksi": "mandiri", "jawaban-1.a.1": "A", "catatan-1.a.1": "Ada pedoman.", "jawaban-1.a.2": "Z"}
    refused = await pages.post(path, wrong, csrf_from=path)
    assert refused.status_code == 400
    error = re.search(r'<p class="field-error" id="galat-1\.a\.2">([^<]*)</p>', refused.text)
    assert error and "Jawaban kriteria 1.a.2 harus salah satu dari: A, B, C, D, E." in error.group(1)
    assert 'aria-describedby="galat-1.a.2"' in refused.text
    assert await _answered(served, 2026) == 0  # all or nothing

    saved = await pages.post(path, {**wrong, "jawaban-1.a.2": "B"}, csrf_from=path)
    assert saved.status_code == 303 and saved.headers["location"].endswith("?pesan=mandiri")
    shown = await pages.get(saved.headers["location"])
    assert "Penilaian mandiri tersimpan." in shown.text and "dijawab unit 2/80" in shown.text
    assert await _answered(served, 2026) == 2
    early = await pages.post(path, {"aksi": "kirim"}, csrf_from=path)
    assert early.status_code == 400 and "78 kriteria belum dijawab." in early.text


async def test_the_evaluator_reads_the_final_result_and_others_see_nothing(served: Served) -> None:
    pages = served.pages
    await pages.sign_in("evaluator.61")
    path = f"/evaluasi/{served.evaluations[2025]}"
    final = await pages.get(path)
    assert final.status_code == 200 and "Final" in final.text and 'id="predikat">B (Baik)' in final.text
    assert "<select" not in final.text and "Unduh LHE (DOCX)" in final.text
    assert "Tetapkan hasil akhir" not in final.text and "Publikasikan hasil" not in final.text
    outsider = pages.another_browser()
    await outsider.sign_in("operator.61.72")
    assert (await outsider.get(path)).status_code == 404
    assert (await outsider.get("/evaluasi/bukan-id")).status_code == 404


async def test_a_scan_up_to_20_mb_is_added_from_the_page_and_a_larger_one_refused_as_a_page(served: Served) -> None:
    pages = served.pages
    await pages.sign_in("operator.61.71")
    path = f"/evaluasi/{served.evaluations[2026]}"
    form = await pages.get(path)
    assert "paling besar 20 MB" in form.text and 'data-max-bytes="20971520"' in form.text
    fields = {"aksi": "bukti", "kriteria": "1.a.2", "judul": "Perwako pindaian"}

    async def send(content: bytes, **headers: str) -> httpx.Response:
        data = {"csrf": await pages.csrf_of(path), **fields}
        files = {"berkas": ("perwako.pdf", content, "application/pdf")}
        return await pages.client.post(path, data=data, files=files, headers=headers)

    scanned = PDF + b"%" + b"0" * (3 * 1024 * 1024)  # past what a GraphQL request's base64 carries
    added = await send(scanned)
    assert added.status_code == 303 and added.headers["location"].endswith("?pesan=bukti")
    assert "Perwako pindaian" in (await pages.get(path)).text
    listed = (await served.api.execute(LISTED, {"id": served.evaluations[2026]}))["evaluation"]["evidence"]
    (item,) = [e for e in listed if e["criterionCode"] == "1.a.2"]
    assert (item["kind"], item["size"], item["sha256"]) == ("FILE", len(scanned), hashlib.sha256(scanned).hexdigest())

    wrong = await send(b"bukan dokumen")
    assert wrong.status_code == 400 and "Jenis berkas harus PDF, PNG, JPEG" in wrong.text
    # Past the form's limit the body is not read: the browser gets a page that says why.
    too_large = await send(PDF + b"0" * (22 * 1024 * 1024), accept="text/html")
    assert too_large.status_code == 413 and "Berkas terlalu besar" in too_large.text
    assert "melebihi batas 21 MB" in too_large.text
    listed = (await served.api.execute(LISTED, {"id": served.evaluations[2026]}))["evaluation"]["evidence"]
    assert len([e for e in listed if e["criterionCode"] == "1.a.2"]) == 1


async def _to_result_sent(api: Api, unit: str) -> str:
    """The Dinas Kesehatan's 2025 evaluation by Kota Pontianak's Inspektorat, through the API, up
    to the result sent to the unit."""
    inspektorat = await api.as_user("evaluator.61.71")
    operator = await api.as_user("operator.61.71.dinkes")
    started = await inspektorat.execute(START, {"input": {"orgUnitId": unit, "year": 2025, **SCHEDULE}})
    evaluation: str = started["startEvaluation"]["evaluation"]["id"]
    codes = [code for group in (await _models(api)).values() for code in group]
    answers = [{"criterionCode": code, "answer": "B", "note": "Bukti tersedia."} for code in codes]
    await operator.execute(SELF, {"input": {"evaluationId": evaluation, "answers": answers}})
    await operator.execute(SUBMIT, {"input": {"evaluationId": evaluation}})
    for stage in ("VERIFICATION", "QUALITY_ASSURANCE"):
        await inspektorat.execute(ADVANCE, {"input": {"evaluationId": evaluation, "fromStage": stage}})
    await inspektorat.execute(ASSESS, {"input": {"evaluationId": evaluation, "answers": answers}})
    await inspektorat.execute(ACK, {"input": {"evaluationId": evaluation}})
    sent = await inspektorat.execute(ADVANCE, {"input": {"evaluationId": evaluation, "fromStage": "SCORING"}})
    assert sent["advanceEvaluation"]["evaluation"]["state"] == "RESULT_SENT", sent
    return evaluation


async def test_evidence_disputes_recommendations_and_follow_up_on_the_pages(served: Served) -> None:
    pages = served.pages
    operator = pages
    await operator.sign_in("operator.61.71")
    path = f"/evaluasi/{served.evaluations[2026]}"
    added = await operator.post(
        path,
        {"aksi": "bukti", "kriteria": "1.a.1", "judul": "Perwako pedoman", "tautan": "https://jdih.pontianak.go.id/1"},
        csrf_from=path,
    )
    assert added.status_code == 303
    bad = await operator.post(path, {"aksi": "bukti", "kriteria": "1.a.1", "judul": "x", "tautan": "ftp://x"},
                              csrf_from=path)  # fmt: skip
    assert bad.status_code == 400 and "Tautan harus alamat http(s) yang lengkap." in bad.text
    planner = pages.another_browser()
    await planner.sign_in("planner.61.71")  # Bappeda verifies Perencanaan's evidence
    page = await planner.get(path)
    assert "Verifikasi: <a" in page.text and "Perwako pedoman" in page.text
    # The demo's 2026 verification stage ends 31 March 2027: Bappeda's item is due then, not late.
    assert "menunggu verifikasi, batas 31 Maret 2027)" in page.text and "terlambat diverifikasi" not in page.text
    evidence = re.search(r'name="bukti" value="([^"]+)"', page.text)
    assert evidence
    verified = await planner.post(path, {"aksi": "verifikasi", "bukti": evidence.group(1), "keputusan": "terima"},
                                  csrf_from=path)  # fmt: skip
    assert verified.status_code == 303
    assert "diterima" in (await planner.get(path)).text

    dinkes = await _unit(served, "DINKES")
    evaluation = await _to_result_sent(served.api, dinkes)
    unit_path = f"/evaluasi/{evaluation}"
    unit_page = pages.another_browser()
    await unit_page.sign_in("operator.61.71.dinkes")
    no_reason = await unit_page.post(unit_path, {"aksi": "sanggah", "kriteria": "2.a.1", "alasan": ""},
                                     csrf_from=unit_path)  # fmt: skip
    assert no_reason.status_code == 400 and "Alasan sanggahan wajib diisi." in no_reason.text
    disputed = await unit_page.post(
        unit_path, {"aksi": "sanggah", "kriteria": "2.a.1", "alasan": "Pedoman sudah ditetapkan."}, csrf_from=unit_path
    )
    assert disputed.status_code == 303
    inspektorat = pages.another_browser()
    await inspektorat.sign_in("evaluator.61.71")
    shown = await inspektorat.get(unit_path)
    assert "Tanggapi sanggahan 2.a.1" in shown.text and "Sanggahan" in shown.text
    resolved = await inspektorat.post(
        unit_path,
        {"aksi": "tanggapi", "kriteria": "2.a.1", "jawaban": "A", "tanggapan": "Diterima."},
        csrf_from=unit_path,
    )
    assert resolved.status_code == 303
    recommended = await inspektorat.post(
        unit_path,
        {"aksi": "rekomendasi", "pokok": "komponen:2", "teks": "Tetapkan pedoman pengukuran kinerja."},
        csrf_from=unit_path,
    )
    assert recommended.status_code == 303
    finalised = await inspektorat.post(unit_path, {"aksi": "final"}, csrf_from=unit_path)
    assert finalised.status_code == 303
    final_page = await unit_page.get(unit_path)
    assert 'id="tahap">Final' in final_page.text and "Simpan tindak lanjut" in final_page.text
    recommendation = re.search(r'name="rekomendasi" value="([^"]+)"', final_page.text)
    assert recommendation
    fields = {"aksi": "tindak-lanjut", "rekomendasi": recommendation.group(1), "rencana": "SK Kepala Dinas",
              "penanggung-jawab": "Sekretaris Dinas", "kemajuan": "50", "target": "2026-06-30"}  # fmt: skip
    followed = await unit_page.post(unit_path, fields, csrf_from=unit_path)
    assert followed.status_code == 303
    assert "tindak lanjut 50%: SK Kepala Dinas, Sekretaris Dinas" in (await unit_page.get(unit_path)).text
    over = await unit_page.post(unit_path, {**fields, "kemajuan": "150"}, csrf_from=unit_path)
    assert over.status_code == 400 and "Kemajuan tindak lanjut 0 sampai 100 %." in over.text


async def _unit(served: Served, code: str) -> str:
    return await unit_id(served.api, "61.71", code)


async def test_an_inspektorat_starts_the_evaluation_of_an_agency_from_the_page(served: Served) -> None:
    pages = served.pages
    await pages.sign_in("evaluator.61.71")
    listed = await pages.get("/evaluasi")
    assert "Mulai evaluasi" in listed.text and ">Dinas Kesehatan</option>" in listed.text
    assert ">Pemerintah Kota Pontianak</option>" not in listed.text  # the province evaluates the Kota
    dinkes = await _unit(served, "DINKES")
    form = {"unit": dinkes, "tahun": "2025", "batas-mandiri": "2027-02-27", "batas-verifikasi": "2027-01-31",
            "batas-penjaminan": "2027-04-30"}  # fmt: skip
    disordered = await pages.post("/evaluasi", form, csrf_from="/evaluasi")
    assert disordered.status_code == 400 and "Batas waktu harus berurutan" in disordered.text
    assert 'value="2027-01-31"' in disordered.text  # what was typed stays
    started = await pages.post("/evaluasi", {**form, "batas-verifikasi": "2027-03-31"}, csrf_from="/evaluasi")
    assert started.status_code == 303
    shown = await pages.get(started.headers["location"])
    assert "Evaluasi dimulai." in shown.text and "Dinas Kesehatan" in shown.text
    again = await pages.post("/evaluasi", {**form, "batas-verifikasi": "2027-03-31"}, csrf_from="/evaluasi")
    assert again.status_code == 400 and "sudah ada" in again.text


async def test_the_evaluator_corrects_a_final_result_as_a_new_version_from_the_page(served: Served) -> None:
    pages = served.pages
    await pages.sign_in("evaluator.61")
    path = f"/evaluasi/{served.evaluations[2025]}"
    final = await pages.get(path)
    assert 'id="form-koreksi"' in final.text and "Koreksi hasil (versi baru)" in final.text
    no_reason = await pages.post(path, {"aksi": "koreksi", "alasan": "  "}, csrf_from=path)
    assert no_reason.status_code == 400 and "Alasan koreksi wajib diisi." in no_reason.text
    assert (await pages.get(path)).text.count("versi 2") == 0  # nothing written

    reason = "Bukti Perwako 3/2025 tidak diperhitungkan pada kriteria 2.a.1."
    started = await pages.post(path, {"aksi": "koreksi", "alasan": reason}, csrf_from=path)
    assert started.status_code == 303 and started.headers["location"].endswith("?pesan=koreksi")
    correction = await pages.get(started.headers["location"])
    assert correction.status_code == 200 and "Penilaian akhir" in correction.text
    assert f"Versi 2, koreksi atas versi 1. Alasan: {reason}" in correction.text
    assert "versi final sebelumnya tetap berlaku" in correction.text
    assert f'<a href="/evaluasi/{served.evaluations[2025]}">versi 1</a>' in correction.text
    assert 'name="jawaban-2.a.1"' in correction.text  # the assessor's form, at final scoring
    # The corrected version has no second correction form; the unit never sees one.
    assert 'id="form-koreksi"' not in (await pages.get(path)).text
    unit = pages.another_browser()
    await unit.sign_in("operator.61.71")
    assert 'id="form-koreksi"' not in (await unit.get(path)).text


async def test_quality_assurance_on_the_pages_findings_answers_and_the_assurers_approval(served: Served) -> None:
    pages, evaluator = served.pages, served.api
    await pages.sign_in("evaluator.61")
    _, singkawang, _ = await _root(evaluator, "61.72")
    form = {"unit": singkawang, "tahun": "2025", "batas-mandiri": "2027-01-31", "batas-verifikasi": "2027-02-28",
            "batas-penjaminan": "2027-03-31", "wajib-penjaminan": "ya"}  # fmt: skip
    started = await pages.post("/evaluasi", form, csrf_from="/evaluasi")
    assert started.status_code == 303
    scope = await government_id(evaluator, "61.72")
    (evaluation,) = [e["id"] for e in (await evaluator.execute(LIST, {"scope": scope}))["evaluations"]]
    operator = await evaluator.as_user("operator.61.72")
    codes = [code for group in (await _models(evaluator)).values() for code in group]
    answers = [{"criterionCode": code, "answer": "B", "note": "Bukti tersedia."} for code in codes]
    await operator.execute(SELF, {"input": {"evaluationId": evaluation, "answers": answers}})
    await operator.execute(SUBMIT, {"input": {"evaluationId": evaluation}})
    await evaluator.execute(ASSESS, {"input": {"evaluationId": evaluation, "answers": answers}})
    await evaluator.execute(ADVANCE, {"input": {"evaluationId": evaluation, "fromStage": "VERIFICATION"}})
    path = f"/evaluasi/{evaluation}"
    at_stage = await pages.get(path)
    assert "Menunggu persetujuan penjamin kualitas." in at_stage.text
    assert "Selesaikan penjaminan kualitas" not in at_stage.text  # the assurer's to end

    assurer = pages.another_browser()
    await assurer.sign_in("quality_assurer.61")
    listed = await assurer.get("/evaluasi?lingkup=" + scope)
    assert "(menunggu persetujuan penjamin kualitas)" in listed.text and f'href="{path}"' in listed.text
    shown = await assurer.get(path)
    assert 'id="form-temuan"' in shown.text and "Setujui penjaminan kualitas" in shown.text
    empty = await assurer.post(path, {"aksi": "temuan", "kriteria": "1.b.5", "catatan": " "}, csrf_from=path)
    assert empty.status_code == 400 and "Catatan temuan wajib diisi." in empty.text
    note = "Nilai B belum didukung kertas kerja reviu indikator."
    raised = await assurer.post(path, {"aksi": "temuan", "kriteria": "1.b.5", "catatan": note}, csrf_from=path)
    assert raised.status_code == 303
    early = await assurer.post(path, {"aksi": "setujui-mutu", "tahap": "QUALITY_ASSURANCE"}, csrf_from=path)
    assert early.status_code == 400 and "1 temuan penjaminan kualitas belum ditanggapi evaluator." in early.text

    with_finding = await pages.get(path)
    assert note in with_finding.text and "Tanggapi temuan 1.b.5" in with_finding.text
    answered = await pages.post(
        path,
        {"aksi": "tanggapi-temuan", "kriteria": "1.b.5", "jawaban": "", "tanggapan": "Kertas kerja terlampir."},
        csrf_from=path,
    )
    assert answered.status_code == 303
    approved = await assurer.post(
        path, {"aksi": "setujui-mutu", "tahap": "QUALITY_ASSURANCE", "catatan": "Sesuai kertas kerja."}, csrf_from=path
    )
    assert approved.status_code == 303
    after = (await pages.get(path)).text
    assert 'id="tahap">Penilaian akhir' in after and "Disetujui oleh quality_assurer.61" in after
    assert "jawaban tetap B: Kertas kerja terlampir." in after
    unit = pages.another_browser()
    await unit.sign_in("operator.61.72")
    assert 'id="penjaminan-kualitas"' not in (await unit.get(path)).text  # the evaluating team's papers
