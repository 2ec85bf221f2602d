"""An evidence file sent alone (POST /dokumen/bukti, api/evidence_upload.py): up to 20 MB, which a
GraphQL request's base64 cannot carry, added by the same action with the same checks and errors;
the answer is the item or its userErrors, and nothing is written on an error."""

import base64
import hashlib
from pathlib import Path
from typing import Any

import psycopg
from sqlalchemy.engine import make_url

from store.files import DirectoryFiles
from tests.api.client import Api
from tests.api.test_sakip_evaluation import EVIDENCE, PDF, SCHEDULE, START, _ok, _root

LISTED = "query($id: ID!) { evaluation(id: $id) { evidence { id criterionCode kind size sha256 url state } } }"


def _plain(url: str) -> str:
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


def _rows(url: str) -> int:
    with psycopg.connect(_plain(url)) as conn:
        row = conn.execute("SELECT count(*) FROM evaluation_evidence").fetchone()
        assert row is not None
        return int(row[0])


async def _upload(api: Api, content: bytes, **asked: str) -> tuple[int, dict[str, Any]]:
    headers = {"authorization": f"Bearer {api.token}"} if api.token else {}
    answer = await api.client.post("/dokumen/bukti", params=asked, content=content, headers=headers)
    return answer.status_code, answer.json()


async def started_in_singkawang(api: Api) -> tuple[Api, str]:
    """Kota Singkawang's 2025 evaluation, started by the province; its operator, and its id."""
    evaluator = await api.as_user("evaluator.61")
    _, root, _ = await _root(api, "61.72")
    started = await evaluator.execute(START, {"input": {"orgUnitId": root, "year": 2025, **SCHEDULE}})
    return await api.as_user("operator.61.72"), str(_ok(started["startEvaluation"])["id"])


def _codes(body: dict[str, Any]) -> list[tuple[str, str | None]]:
    return [(e["code"], e["field"]) for e in body["userErrors"]]


async def test_a_scanned_document_larger_than_graphql_carries_is_uploaded_alone(fresh_url: str, tmp_path: Path) -> None:
    async with Api.serving(fresh_url, files=DirectoryFiles(tmp_path)) as api:
        operator, evaluation = await started_in_singkawang(api)
        scanned = PDF + b"%" + b"0" * (3 * 1024 * 1024)  # a 3 MB scan: past what GraphQL takes
        asked = {"evaluasi": evaluation, "kriteria": "1.a.3", "judul": "Perda RPJMD 2025-2029", "nama": "rpjmd.pdf"}

        status, body = await _upload(operator, scanned, **asked)
        assert status == 200 and body["userErrors"] == []
        item = body["evidence"]
        sha = hashlib.sha256(scanned).hexdigest()
        assert (item["kind"], item["size"], item["sha256"], item["mediaType"], item["state"]) == (
            "FILE",
            len(scanned),
            sha,
            "application/pdf",
            "PENDING",
        )
        # The same item as GraphQL lists it, downloaded whole, kept in the directory.
        (listed,) = (await operator.execute(LISTED, {"id": evaluation}))["evaluation"]["evidence"]
        assert (listed["id"], listed["sha256"], listed["url"]) == (item["id"], sha, item["url"])
        download = await operator.client.get(item["url"], headers={"authorization": f"Bearer {operator.token}"})
        assert download.status_code == 200 and download.content == scanned
        assert DirectoryFiles(tmp_path).path_of(sha).stat().st_size == len(scanned)

        # In a GraphQL request the limit stays 2 MB, and the error says where a larger file goes.
        big = PDF + b"0" * (2 * 1024 * 1024 + 100)
        file = {"name": "besar.pdf", "contentBase64": base64.b64encode(big).decode()}
        inline = await operator.execute(
            EVIDENCE, {"input": {"evaluationId": evaluation, "criterionCode": "1.a.3", "title": "x", "file": file}}
        )
        (error,) = inline["addEvaluationEvidence"]["userErrors"]
        assert error["code"] == "FILE_TOO_LARGE" and "POST /dokumen/bukti" in error["message"]

        # Refusals: typed, in the mutation's words, and nothing written.
        before = _rows(fresh_url)
        too_big = PDF + b"0" * (20 * 1024 * 1024)
        status, body = await _upload(operator, too_big, **asked)
        assert status == 413 and _codes(body) == [("FILE_TOO_LARGE", "evidence.file.content")]
        status, body = await _upload(operator, b"bukan dokumen", **asked)
        assert status == 422 and _codes(body) == [("UNSUPPORTED_FILE_TYPE", "evidence.file.content")]
        status, body = await _upload(operator, scanned, **{**asked, "kriteria": "9.z.9"})
        assert status == 422 and [c for c, _ in _codes(body)] == ["UNKNOWN_CRITERION"]
        status, body = await _upload(operator, scanned, **{**asked, "evaluasi": "bukan-id"})
        assert status == 422 and _codes(body) == [("NOT_FOUND", "evaluationId")]
        stranger = await api.as_user("operator.61.71")  # another kota's operator
        status, body = await _upload(stranger, scanned, **asked)
        assert status == 422 and [c for c, _ in _codes(body)] in (["FORBIDDEN"], ["NOT_FOUND"])
        status, _ = await _upload(api.anonymous(), scanned, **asked)
        assert status == 401
        assert _rows(fresh_url) == before
