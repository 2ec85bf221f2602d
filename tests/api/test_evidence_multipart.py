"""An evidence file as a file of a GraphQL multipart request (the GraphQL multipart request spec):
up to 20 MB through addEvaluationEvidence itself, with the mutation's checks and errors; the body
limit lets such a request through only where it declares its length within the upload limit."""

import base64
import hashlib
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import orjson

from store.files import DirectoryFiles
from tests.api.client import Api
from tests.api.test_evidence_upload import LISTED, _rows, started_in_singkawang
from tests.api.test_sakip_evaluation import EVIDENCE, PDF

MIB = 1024 * 1024


def _form(evaluation: str, *, name: str = "rpjmd.pdf", base64_too: bytes | None = None) -> dict[str, str]:
    file: dict[str, Any] = {"name": name, "upload": None}
    if base64_too is not None:
        file["contentBase64"] = base64.b64encode(base64_too).decode()
    given = {"evaluationId": evaluation, "criterionCode": "1.a.3", "title": "Perda RPJMD 2025-2029", "file": file}
    operations = {"query": EVIDENCE, "variables": {"input": given}}
    return {"operations": orjson.dumps(operations).decode(), "map": '{"0": ["variables.input.file.upload"]}'}


async def _send(api: Api, evaluation: str, content: bytes, **options: Any) -> tuple[int, dict[str, Any]]:
    answer = await api.client.post(
        "/graphql",
        data=_form(evaluation, **options),
        files={"0": ("rpjmd.pdf", content, "application/pdf")},
        headers={"authorization": f"Bearer {api.token}"} if api.token else {},
    )
    return answer.status_code, answer.json()


def _errors(body: dict[str, Any]) -> list[tuple[str, str | None]]:
    return [(e["code"], e["field"]) for e in body["data"]["addEvaluationEvidence"]["userErrors"]]


async def test_a_scan_larger_than_base64_carries_goes_as_a_multipart_file(fresh_url: str, tmp_path: Path) -> None:
    async with Api.serving(fresh_url, files=DirectoryFiles(tmp_path)) as api:
        operator, evaluation = await started_in_singkawang(api)
        scanned = PDF + b"%" + b"0" * (3 * MIB)  # past the 4 MB body limit once base64-encoded

        status, body = await _send(operator, evaluation, scanned)
        assert status == 200 and _errors(body) == []
        item = body["data"]["addEvaluationEvidence"]["evidence"]
        sha = hashlib.sha256(scanned).hexdigest()
        assert (item["kind"], item["size"], item["sha256"], item["mediaType"]) == (
            "FILE",
            len(scanned),
            sha,
            "application/pdf",
        )
        (listed,) = (await operator.execute(LISTED, {"id": evaluation}))["evaluation"]["evidence"]
        assert listed["id"] == item["id"]
        download = await operator.client.get(item["url"], headers={"authorization": f"Bearer {operator.token}"})
        assert download.status_code == 200 and download.content == scanned
        assert DirectoryFiles(tmp_path).path_of(sha).stat().st_size == len(scanned)

        before = _rows(fresh_url)
        # Past 20 MB of file, within the request's room for the form: the mutation refuses it.
        status, body = await _send(operator, evaluation, PDF + b"0" * (20 * MIB))
        assert status == 200 and _errors(body) == [("FILE_TOO_LARGE", "evidence.file.content")]
        # Past the request's limit: refused before it is read, as any body too large is.
        status, body = await _send(operator, evaluation, PDF + b"0" * (22 * MIB))
        assert status == 413 and body["errors"][0]["extensions"]["code"] == "PAYLOAD_TOO_LARGE"
        assert str(20 * MIB + MIB) in body["errors"][0]["message"]
        # Both ways of sending the bytes at once, or a string where the file belongs.
        status, body = await _send(operator, evaluation, scanned, base64_too=PDF)
        assert _errors(body) == [("FILE_CONTENT_REQUIRED", "file.contentBase64")]
        neither = {"evaluationId": evaluation, "criterionCode": "1.a.3", "title": "x", "file": {"name": "a.pdf"}}
        answer = await operator.execute(EVIDENCE, {"input": neither})
        assert [e["code"] for e in answer["addEvaluationEvidence"]["userErrors"]] == ["FILE_CONTENT_REQUIRED"]
        forged = {**neither, "file": {"name": "a.pdf", "upload": "bukan berkas"}}
        answer = await operator.execute(EVIDENCE, {"input": forged})
        assert [(e["code"], e["field"]) for e in answer["addEvaluationEvidence"]["userErrors"]] == [
            ("FILE_CONTENT_REQUIRED", "file.upload")
        ]
        # A file mapped onto a field that is not a file: the variables are refused, as any wrong type.
        mapped = await operator.client.post(
            "/graphql",
            data={**_form(evaluation), "map": '{"0": ["variables.input.title"]}'},
            files={"0": ("rpjmd.pdf", PDF, "application/pdf")},
            headers={"authorization": f"Bearer {operator.token}"},
        )
        assert mapped.status_code == 200 and mapped.json()["data"] is None and mapped.json()["errors"]
        # Not a PDF by its content, another kota's operator, nobody signed in: refused, nothing written.
        status, body = await _send(operator, evaluation, b"bukan dokumen")
        assert _errors(body) == [("UNSUPPORTED_FILE_TYPE", "evidence.file.content")]
        status, body = await _send(await api.as_user("operator.61.71"), evaluation, scanned)
        assert [code for code, _ in _errors(body)] in (["FORBIDDEN"], ["NOT_FOUND"])
        status, body = await _send(api.anonymous(), evaluation, scanned)
        assert _errors(body) == [("NOT_FOUND", "evaluationId")]  # what nobody may read is not there
        assert _rows(fresh_url) == before


async def test_only_uploads_that_declare_their_length_pass_the_body_limit(fresh_url: str) -> None:
    async with Api.serving(fresh_url) as api:
        operator = await api.as_user("operator.61.71")
        bearer = {"authorization": f"Bearer {operator.token}"}
        large = b"0" * (5 * MIB)

        async def chunked() -> AsyncIterator[bytes]:
            yield b'--x\r\nContent-Disposition: form-data; name="operations"\r\n\r\n{}\r\n--x--\r\n' + large

        # Without a declared length a multipart body is held to the 4 MB of any request.
        streamed = await api.client.post(
            "/graphql", content=chunked(), headers={**bearer, "content-type": "multipart/form-data; boundary=x"}
        )
        assert streamed.status_code == 413 and str(4 * MIB) in streamed.json()["errors"][0]["message"]
        # A body that is not multipart as it says, or a form part past Starlette's 1 MB: 400, not 500.
        broken = await api.client.post(
            "/graphql", content=b"--x\r\nbukan", headers={**bearer, "content-type": "multipart/form-data; boundary=x"}
        )
        assert broken.status_code == 400
        operations = '{"query": "' + "#" * (1024 * 1024 + 1) + '"}'
        oversized = await api.client.post("/graphql", data={"operations": operations, "map": "{}"}, headers=bearer,
                                          files={"0": ("a.pdf", b"%PDF-")})  # fmt: skip
        assert oversized.status_code == 400
        # A multipart post elsewhere (a workbook upload page) keeps the 4 MB too; a browser gets a page.
        page = await api.client.post(
            "/isian/unggah", files={"berkas": ("isian.xlsx", large)}, headers={"accept": "text/html"}
        )
        assert page.status_code == 413 and page.headers["content-type"].startswith("text/html")
        assert "Berkas terlalu besar" in page.text and "melebihi batas 4 MB" in page.text
