"""LKjIP generated in the background (issue 18): a pemda's LKjIP and its perangkat daerah's as one
job with progress, its files opened with their libraries, refusals per unit, who may see what,
and a job whose server stopped taken up where it stopped (the queue is in PostgreSQL)."""

import asyncio
import io
from typing import Any

import openpyxl
import psycopg
from docx import Document
from pypdf import PdfReader

from actions import lkjip_jobs
from documents.lkjip.render import render_format
from schema.ids import encode_id
from store.database import create_engine
from store.roles import as_role
from tests.api.client import Api

UNITS = 'query { government(code: "61.71") { rootUnit { id children { id code } } } }'
START = """
mutation($input: StartLkjipJobInput!) {
  startLkjipJob(input: $input) { job { id state percent documentsTotal reach } userErrors { code field message } }
}
"""
JOB = """
query($id: ID!) {
  lkjipJob(id: $id) {
    id year paper reach state percent documentsTotal documentsDone error startedBy finishedAt unit { code }
    documents { unit { code } outcome code message files { format state sha256 url } }
  }
}
"""


async def _units(api: Api) -> tuple[str, dict[str, str]]:
    root = (await api.execute(UNITS))["government"]["rootUnit"]
    return str(root["id"]), {c["code"]: str(c["id"]) for c in root["children"]}


async def _finished(api: Api, job_id: str) -> dict[str, Any]:
    for _ in range(600):
        job: dict[str, Any] = (await api.execute(JOB, {"id": job_id}))["lkjipJob"]
        if job["state"] not in ("QUEUED", "RUNNING"):
            return job
        assert 0 <= job["percent"] < 100
        await asyncio.sleep(0.1)
    raise AssertionError("the job did not finish in a minute")


async def test_a_pemda_and_its_perangkat_daerah_in_one_job(fresh_api: Api) -> None:
    """Kota Pontianak's 2025: the Wali Kota's and the Dinas Kesehatan's agreements are signed, the
    other perangkat daerah's are not: two documents generated, the others refused with the reason."""
    root, agencies = await _units(fresh_api)
    leader = await fresh_api.as_user("leader.61.71")
    started = (
        await leader.execute(START, {"input": {"orgUnitId": root, "year": 2025, "paper": "A4", "reach": "AGENCIES"}})
    )["startLkjipJob"]
    assert started["userErrors"] == [] and started["job"]["reach"] == "AGENCIES"
    assert started["job"]["documentsTotal"] == len(agencies) + 1
    job = await _finished(leader, started["job"]["id"])
    assert (job["state"], job["percent"], job["error"]) == ("DONE", 100, None)
    assert job["documentsDone"] == job["documentsTotal"] and job["startedBy"] == "leader.61.71"
    first, *others = job["documents"]
    assert first["unit"]["code"] == job["unit"]["code"] and first["outcome"] == "DONE"
    by_code = {d["unit"]["code"]: d for d in others}
    assert by_code["DINKES"]["outcome"] == "DONE"
    refused = [d for code, d in by_code.items() if code != "DINKES"]
    assert refused and {d["outcome"] for d in refused} == {"REFUSED"}
    assert {d["code"] for d in refused} == {"AGREEMENT_NOT_SIGNED"} and "belum ditandatangani" in refused[0]["message"]
    assert all(d["files"] == [] for d in refused)

    headers = {"authorization": f"Bearer {leader.token}"}
    files = {f["format"]: f for f in by_code["DINKES"]["files"]}
    assert {f["state"] for f in files.values()} == {"DRAFT"}
    pdf = await leader.client.get(files["PDF"]["url"], headers=headers)
    assert pdf.status_code == 200 and pdf.headers["x-content-sha256"] == files["PDF"]["sha256"]
    reader = PdfReader(io.BytesIO(pdf.content))
    box = reader.pages[0].mediabox
    assert round(float(box.width) / 72 * 25.4) == 210  # A4, as asked
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert "BAB III" in text and "Prevalensi balita stunting" in text and "94,42" in text
    word = await leader.client.get(files["DOCX"]["url"], headers=headers)
    paragraphs = "\n".join(p.text for p in Document(io.BytesIO(word.content)).paragraphs)
    assert "BAB III AKUNTABILITAS KINERJA" in paragraphs
    workbook = await leader.client.get(files["XLSX"]["url"], headers=headers)
    book = openpyxl.load_workbook(io.BytesIO(workbook.content), read_only=True)
    rows = list(book["Pengukuran"].iter_rows(min_row=4, values_only=True))
    assert rows[0][2] == "Prevalensi balita stunting"

    # The Dinas Kesehatan's operator reads neither the pemda's job nor the pemda's document (its
    # own agency's draft, which it may read anyway, it may); the public reads nothing.
    operator = await fresh_api.as_user("operator.61.71.dinkes")
    assert (await operator.execute(JOB, {"id": job["id"]}))["lkjipJob"] is None
    assert (await fresh_api.anonymous().execute(JOB, {"id": job["id"]}))["lkjipJob"] is None
    by_operator = {"authorization": f"Bearer {operator.token}"}
    pemda_pdf = next(f["url"] for f in first["files"] if f["format"] == "PDF")
    assert (await operator.client.get(pemda_pdf, headers=by_operator)).status_code == 404
    assert (await operator.client.get(files["PDF"]["url"], headers=by_operator)).status_code == 200
    assert (await fresh_api.client.get(files["PDF"]["url"])).status_code == 401
    missing = pemda_pdf.replace("/0.pdf", "/999.pdf")
    assert (await leader.client.get(missing, headers=headers)).status_code == 404


async def test_a_province_and_each_of_its_kabupaten_kota(fresh_api: Api) -> None:
    """Kalimantan Barat's reach PEMDA: the province's own LKjIP and each kab/kota's pemda LKjIP, in
    code order; only Kota Pontianak signed its 2025 agreement, and the province's structure
    (Bab I) is its perangkat daerah, not every section under them."""
    province = (await fresh_api.execute('query { government(code: "61") { rootUnit { id } } }'))["government"]
    admin = await fresh_api.as_user("admin.61")
    input = {"orgUnitId": province["rootUnit"]["id"], "year": 2025, "reach": "PEMDA"}
    started = (await admin.execute(START, {"input": input}))["startLkjipJob"]
    assert started["userErrors"] == []
    job = await _finished(admin, started["job"]["id"])
    codes = [d["unit"]["code"] for d in job["documents"]]
    assert job["state"] == "DONE" and len(codes) == 15  # the province and its 14 kab/kota
    outcomes = {d["outcome"] for d in job["documents"]}
    done = [d for d in job["documents"] if d["outcome"] == "DONE"]
    assert outcomes == {"DONE", "REFUSED"} and len(done) == 1
    pdf = next(f for f in done[0]["files"] if f["format"] == "PDF")
    content = (await admin.client.get(pdf["url"], headers={"authorization": f"Bearer {admin.token}"})).content
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)
    assert "Kota Pontianak" in text and "Dinas Kesehatan" in text and "Subbagian Umum" not in text


async def test_bad_requests_are_refused_and_nothing_is_queued(fresh_api: Api, fresh_url: str) -> None:
    root, agencies = await _units(fresh_api)
    leader = await fresh_api.as_user("leader.61.71")
    operator = await fresh_api.as_user("operator.61.71.dinkes")
    cases = [
        (leader, {"orgUnitId": agencies["DINKES"], "year": 2025, "reach": "AGENCIES"}, "INVALID_REACH", "reach"),
        (leader, {"orgUnitId": root, "year": 2025, "reach": "PEMDA"}, "INVALID_REACH", "reach"),
        (leader, {"orgUnitId": root, "year": 1999}, "INVALID_YEAR", "year"),
        (leader, {"orgUnitId": "bm90LWFuLWlk", "year": 2025}, "NOT_FOUND", "orgUnitId"),
        (operator, {"orgUnitId": root, "year": 2025}, "FORBIDDEN", "orgUnitId"),
    ]
    for api, input, code, field in cases:
        errors = (await api.execute(START, {"input": input}))["startLkjipJob"]["userErrors"]
        assert [(e["code"], e["field"]) for e in errors] == [(code, field)], input
        assert errors[0]["message"]
    anonymous = (await fresh_api.anonymous().execute(START, {"input": {"orgUnitId": root, "year": 2025}}))[
        "startLkjipJob"
    ]
    assert anonymous["job"] is None and anonymous["userErrors"][0]["code"] == "FORBIDDEN"
    with psycopg.connect(fresh_url) as conn:
        assert conn.execute("SELECT count(*) FROM lkjip_job").fetchone() == (0,)


async def test_a_job_whose_server_stopped_is_taken_up_where_it_stopped(fresh_api: Api, fresh_url: str) -> None:
    """A job left RUNNING with its first document done and no heartbeat for five minutes, and one
    whose server is alive: the queue takes up the first once, generating only what was left, and
    leaves the second to its server."""
    with psycopg.connect(fresh_url) as conn:
        jobs = []
        for age in ("5 minutes", "10 seconds"):
            row = conn.execute(
                """INSERT INTO lkjip_job (province_code, org_unit_id, year, paper, reach, state, steps_total,
                   steps_done, started_by, updated_at)
                   SELECT province_code, id, 2025, 'F4', 'AGENCIES', 'RUNNING', 8, 6, 'leader.61.71',
                          now() - %s::interval
                   FROM org_unit WHERE code = 'DINKES' AND kind = 'PERANGKAT_DAERAH'
                   AND government_id = (SELECT id FROM government WHERE code = '61.71')
                   RETURNING id, province_code, org_unit_id""",
                (age,),
            ).fetchone()
            assert row is not None
            job_id, province, dinkes = row
            conn.execute(
                """INSERT INTO lkjip_job_document (job_id, province_code, position, org_unit_id, outcome, code, message)
                   VALUES (%s, %s, 0, %s, 'REFUSED', 'EARLIER', 'done before the server stopped'),
                          (%s, %s, 1, %s, 'PENDING', NULL, NULL)""",
                (job_id, province, dinkes, job_id, province, dinkes),
            )
            jobs.append(job_id)
    stale, live = jobs
    engine = create_engine(as_role(fresh_url), pool_size=2)
    try:
        assert await lkjip_jobs.run_queue(engine, render_format) == [stale]
        assert await lkjip_jobs.run_queue(engine, render_format) == []  # taken up once
    finally:
        await engine.dispose()
    with psycopg.connect(fresh_url) as conn:
        found = {
            row[0]: row[1:]
            for row in conn.execute("SELECT id, state, steps_done, steps_total FROM lkjip_job ORDER BY id")
        }
        outcomes = conn.execute(
            """SELECT position, outcome, code, pdf IS NOT NULL FROM lkjip_job_document
               WHERE job_id = %s ORDER BY position""",
            (stale,),
        ).fetchall()
    assert found[stale] == ("DONE", 8, 8)  # the interrupted document's steps counted again from its start
    assert outcomes == [(0, "REFUSED", "EARLIER", False), (1, "DONE", None, True)]  # the done one kept, not redone
    assert found[live][0] == "RUNNING"
    leader = await fresh_api.as_user("leader.61.71")
    job = (await leader.execute(JOB, {"id": encode_id("LkjipJob", stale)}))["lkjipJob"]
    assert job["state"] == "DONE" and [d["outcome"] for d in job["documents"]] == ["REFUSED", "DONE"]
    assert [d["unit"]["code"] for d in job["documents"]] == ["DINKES", "DINKES"]
