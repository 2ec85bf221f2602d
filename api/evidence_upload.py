"""An evidence file sent alone (POST /dokumen/bukti): the file as the request body, up to 20 MB,
which the base64 of a GraphQL request cannot carry (scanned regulations and reports are often
larger than its 2 MB). It is added by the same action as addEvaluationEvidence, with the same
checks, errors and audit; the answer is the item as JSON, or its userErrors.

    POST /dokumen/bukti?evaluasi=<Evaluation id>&kriteria=1.a.1&judul=…&nama=renstra.pdf[&mengganti=<Evidence id>]
    Authorization: Bearer …
"""

from collections.abc import Awaitable, Callable, Sequence

from sqlalchemy.ext.asyncio import AsyncEngine
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from actions import lke
from actions.caller import Caller
from actions.lke import EvidenceInput
from api.documents import EVIDENCE_PATH, ViewerOf, bearer_body
from domain.errors import DomainError, DomainErrors
from domain.evidence import MAX_UPLOADED_EVIDENCE_BYTES, EvidenceFile, too_large
from schema.context import today
from schema.ids import decode_id_of, encode_id
from store import lke as lke_store
from store.files import FileStore
from store.lke import EvidenceRecord

EVIDENCE_UPLOAD_PATH = "/dokumen/bukti"
NO_HEADERS = {"cache-control": "no-store"}


def _refused(errors: Sequence[DomainError], status: int = 422) -> JSONResponse:
    body = {"evidence": None, "userErrors": [{"code": e.code, "field": e.field, "message": e.message} for e in errors]}
    return JSONResponse(body, status_code=status, headers=NO_HEADERS)


def _item(record: EvidenceRecord) -> dict[str, object]:
    encoded = encode_id("Evidence", record.id)
    return {
        "id": encoded,
        "criterionCode": record.criterion_code,
        "kind": record.kind,
        "title": record.title,
        "fileName": record.file_name,
        "mediaType": record.media_type,
        "size": record.size,
        "sha256": record.sha256,
        "verifier": record.verifier,
        "state": record.state,
        "replacesId": encode_id("Evidence", record.replaces_id) if record.replaces_id else None,
        "url": EVIDENCE_PATH.format(evidence=encoded),
    }


def evidence_upload(
    engine: AsyncEngine, viewer_of: ViewerOf, files: FileStore
) -> Callable[[Request], Awaitable[Response]]:
    async def upload(request: Request) -> Response:
        why = too_large(MAX_UPLOADED_EVIDENCE_BYTES)
        oversized = _refused([DomainError("FILE_TOO_LARGE", why, "evidence.file.content")], 413)
        sent = await bearer_body(request, viewer_of, limit=MAX_UPLOADED_EVIDENCE_BYTES, too_large=oversized)
        if isinstance(sent, Response):
            return sent
        viewer, content = sent
        asked = request.query_params
        evaluation_id = decode_id_of(asked.get("evaluasi", ""), "Evaluation")
        if evaluation_id is None:
            return _refused([DomainError("NOT_FOUND", "Evaluasi tidak ditemukan.", "evaluationId")])
        replaces_id = decode_id_of(asked["mengganti"], "Evidence") if asked.get("mengganti") else None
        if asked.get("mengganti") and replaces_id is None:
            return _refused(
                [DomainError("NOT_FOUND", "Bukti dukung yang diperbaiki tidak ditemukan.", "replacesEvidenceId")]
            )
        given = EvidenceInput(
            asked.get("kriteria", ""),
            asked.get("judul", ""),
            file=EvidenceFile(asked.get("nama", ""), content, limit=MAX_UPLOADED_EVIDENCE_BYTES),
            replaces_id=replaces_id,
        )
        caller = Caller(viewer=viewer, request_id=request.scope.get("state", {}).get("request_id", "-"))
        try:
            async with engine.begin() as conn:
                evidence_id = await lke.add_evidence(
                    conn, caller=caller, evaluation_id=evaluation_id, given=given, today=today(), files=files
                )
                (record,) = await lke_store.evidence(conn, ids=[evidence_id])
        except DomainError as error:
            return _refused([error])
        except DomainErrors as errors:
            return _refused(errors.errors)
        return JSONResponse({"evidence": _item(record), "userErrors": []}, headers=NO_HEADERS)

    return upload
