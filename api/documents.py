"""Downloads of generated documents: a signed Perjanjian Kinerja as Word (documents/agreement.py).

Signed versions are public documents (docs/authorisation.md), so a download needs no sign-in;
the frozen snapshot is all it reads, so a version prints the same every time.
"""

from collections.abc import Awaitable, Callable

from sqlalchemy.ext.asyncio import AsyncEngine
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response

from documents.agreement import agreement_document
from schema.ids import decode_id_of
from store import agreements

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
AGREEMENT_PATH = "/dokumen/perjanjian-kinerja/{agreement}/{number:int}.docx"  # documents.agreement.agreement_url


def agreement_download(engine: AsyncEngine) -> Callable[[Request], Awaitable[Response]]:
    async def download(request: Request) -> Response:
        agreement_id = decode_id_of(request.path_params["agreement"], "PerformanceAgreement")
        number: int = request.path_params["number"]
        if agreement_id is None:
            return PlainTextResponse("Perjanjian kinerja tidak ditemukan.", status_code=404)
        async with engine.connect() as conn:
            record = await agreements.agreement(conn, agreement_id=agreement_id)
            versions = await agreements.versions_of(conn, [agreement_id])
        version = next((v for v in versions if v.number == number), None)
        if record is None or version is None:
            return PlainTextResponse("Versi perjanjian kinerja ini tidak ditemukan.", status_code=404)
        name = f"perjanjian-kinerja-{record.year}-{record.org_unit_id}-v{number}.docx"
        return Response(
            agreement_document(version.snapshot),
            media_type=DOCX,
            headers={"content-disposition": f'attachment; filename="{name}"', "cache-control": "public, max-age=86400"},
        )

    return download
