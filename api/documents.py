"""Downloads of generated documents: a signed Perjanjian Kinerja as Word or PDF
(documents/agreement.py, documents/agreement_pdf.py), the LKjIP (documents/lkjip/) as PDF, Word
and Excel, a plan's results form E.78 / E.79 as Excel (documents/plan_results.py); and the files an evaluated unit
uploaded as evidence of its SAKIP evaluation (bukti dukung), for those who may read it.

Signed versions are public documents (docs/authorisation.md), so their download needs no
sign-in and serves the stored bytes, the same every time. A draft LKjIP is generated on request
from the current figures as the caller may read them: it needs the caller's bearer token (the
API's) or page session, the same grants as GraphQL.
"""

import asyncio
from collections.abc import Awaitable, Callable

import structlog
from sqlalchemy.ext.asyncio import AsyncEngine
from starlette.authentication import AuthenticationError
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response

from documents.agreement import agreement_document
from documents.agreement_pdf import agreement_pdf
from documents.apbd_file import read_apbd_file
from documents.lhe import lhe_docx, lhe_figures, lhe_pdf
from documents.lkjip.render import render_format
from documents.plan_results import workbook as plan_results_workbook
from documents.realisation_workbook import MAX_BYTES, WorkbookRefused
from domain.errors import DomainError
from domain.lke_stages import Stage
from domain.lkjip import EXTENSIONS, MEDIA_TYPES, DocumentFormat, Paper
from domain.periods import FIRST_YEAR, LAST_YEAR
from policies.permissions import Permission
from policies.scopes import may_read_evaluation
from policies.viewer import Viewer
from schema.ids import decode_id_of
from store import agreements, lke, lkjip, lkjip_jobs, plan_results
from store.files import FileCorrupt, FileMissing, FileStore
from web.apbd import asked, import_variables
from web.graphql import PageGraphQL
from web.upload import NOT_YOURS, checked_upload, workbook_of

log = structlog.get_logger()
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
AGREEMENT_PATH = "/dokumen/perjanjian-kinerja/{agreement}/{number:int}.{extension}"  # documents.agreement.agreement_url
PDF = "application/pdf"
# domain.lkjip.draft_url and signed_url
LKJIP_DRAFT_PATH = "/dokumen/lkjip/{unit}/{year:int}.{extension}"
LKJIP_JOB_PATH = "/dokumen/lkjip/tugas/{job}/{position:int}.{extension}"  # domain.lkjip_jobs.job_file_url
LKJIP_SIGNED_PATH = "/dokumen/lkjip/{unit}/{year:int}/v{number:int}.{extension}"
EVIDENCE_PATH = "/dokumen/bukti/{evidence}"  # schema.lke.Evidence.url
LHE_PATH = "/dokumen/lhe/{evaluation}.{extension}"  # schema.lke.Evaluation.documents
PLAN_RESULTS_PATH = "/dokumen/rencana/{version}/hasil-{year:int}.xlsx"  # Query.planResults
# The realisation workbook for API clients: the unit's template, and the check of a filled one.
TEMPLATE_PATH = "/dokumen/isian/{unit}/{year:int}/tw{quarter:int}.xlsx"
CHECK_PATH = "/dokumen/isian/periksa"
# SIPD's Lampiran APBD for API clients: the file checked as the Anggaran page checks it.
APBD_CHECK_PATH = "/dokumen/apbd/periksa"
FORMAT_OF_EXTENSION = {extension: format for format, extension in EXTENSIONS.items()}
COLUMN_OF_FORMAT = {DocumentFormat.PDF: "pdf", DocumentFormat.DOCX: "docx", DocumentFormat.XLSX: "xlsx"}

ViewerOf = Callable[[Request], Awaitable[Viewer]]


def agreement_download(engine: AsyncEngine) -> Callable[[Request], Awaitable[Response]]:
    async def download(request: Request) -> Response:
        agreement_id = decode_id_of(request.path_params["agreement"], "PerformanceAgreement")
        number: int = request.path_params["number"]
        extension = request.path_params["extension"]
        if agreement_id is None or extension not in ("docx", "pdf"):
            return PlainTextResponse("Perjanjian kinerja tidak ditemukan.", status_code=404)
        async with engine.connect() as conn:
            record = await agreements.agreement(conn, agreement_id=agreement_id)
            versions = await agreements.versions_of(conn, [agreement_id])
        version = next((v for v in versions if v.number == number), None)
        if record is None or version is None:
            return PlainTextResponse("Versi perjanjian kinerja ini tidak ditemukan.", status_code=404)
        name = f"perjanjian-kinerja-{record.year}-{record.org_unit_id}-v{number}.{extension}"
        # Both print the frozen snapshot only, so a version always prints the same text.
        if extension == "pdf":
            content, media_type = await asyncio.to_thread(agreement_pdf, version.snapshot), PDF
        else:
            content, media_type = agreement_document(version.snapshot), DOCX
        return Response(
            content,
            media_type=media_type,
            headers={"content-disposition": f'attachment; filename="{name}"', "cache-control": "public, max-age=86400"},
        )

    return download


def _file(content: bytes, format: DocumentFormat, name: str, *, public: bool, sha256: str | None = None) -> Response:
    headers = {
        "content-disposition": f'attachment; filename="{name}.{EXTENSIONS[format]}"',
        # A signed version never changes; a draft is the caller's own view of today's figures.
        "cache-control": "public, max-age=86400, immutable" if public else "private, no-store",
    }
    if sha256:
        headers["x-content-sha256"] = sha256
    return Response(content, media_type=MEDIA_TYPES[format], headers=headers)


def _asked(request: Request) -> tuple[int, int, DocumentFormat] | Response:
    unit_id = decode_id_of(request.path_params["unit"], "OrgUnit")
    format = FORMAT_OF_EXTENSION.get(request.path_params["extension"])
    if unit_id is None or format is None:
        return PlainTextResponse("Dokumen tidak ditemukan: unit atau format (pdf, docx, xlsx) tidak dikenal.", 404)
    return unit_id, request.path_params["year"], format


def lkjip_signed_download(engine: AsyncEngine) -> Callable[[Request], Awaitable[Response]]:
    async def download(request: Request) -> Response:
        asked = _asked(request)
        if isinstance(asked, Response):
            return asked
        unit_id, year, format = asked
        number: int = request.path_params["number"]
        async with engine.connect() as conn:
            found = await lkjip.version_file(conn, unit_id, year, number, COLUMN_OF_FORMAT[format])
        if found is None:
            return PlainTextResponse("Versi LKjIP ini tidak ditemukan.", status_code=404)
        content, digest = found
        return _file(content, format, f"lkjip-{year}-{unit_id}-v{number}", public=True, sha256=digest)

    return download


def lkjip_job_download(engine: AsyncEngine, viewer_of: ViewerOf) -> Callable[[Request], Awaitable[Response]]:
    """A document a background job generated (actions/lkjip_jobs.py): a draft, for those who may
    read its unit, as a draft LKjIP is."""

    async def download(request: Request) -> Response:
        job_id = decode_id_of(request.path_params["job"], "LkjipJob")
        format = FORMAT_OF_EXTENSION.get(request.path_params["extension"])
        if job_id is None or format is None:
            return PlainTextResponse("Dokumen tidak ditemukan: tugas atau format (pdf, docx, xlsx) tidak dikenal.", 404)
        try:
            viewer = await viewer_of(request)
        except AuthenticationError as error:
            return PlainTextResponse(str(error), status_code=401, headers={"WWW-Authenticate": "Bearer"})
        position: int = request.path_params["position"]
        async with engine.connect() as conn:
            found = await lkjip_jobs.document_file(conn, job_id, position, COLUMN_OF_FORMAT[format])
        if found is None or not viewer.may(Permission.READ_VALUES, found[0].unit_path):
            # The same answer for a file that does not exist (or is not yet done) and one the
            # caller may not read.
            status = 404 if viewer.is_authenticated else 401
            return PlainTextResponse("Dokumen tugas ini hanya untuk pengguna yang berwenang atas unitnya.", status)
        record, content = found
        digest = getattr(record, f"{COLUMN_OF_FORMAT[format]}_sha256")
        return _file(content, format, f"lkjip-tugas-{job_id}-{record.org_unit_id}", public=False, sha256=digest)

    return download


def plan_results_download(engine: AsyncEngine, viewer_of: ViewerOf) -> Callable[[Request], Awaitable[Response]]:
    """Form E.78 / E.79 of a plan version and year, generated from today's figures as the caller
    may read them (like a draft LKjIP: the API's token or the page session)."""

    async def download(request: Request) -> Response:
        version_id = decode_id_of(request.path_params["version"], "PlanVersion")
        year: int = request.path_params["year"]
        try:
            viewer = await viewer_of(request)
        except AuthenticationError as error:
            return PlainTextResponse(str(error), status_code=401, headers={"WWW-Authenticate": "Bearer"})
        async with engine.connect() as conn:
            try:
                found = None if version_id is None else await plan_results.gather(conn, viewer, version_id, year)
            except DomainError as error:
                return PlainTextResponse(error.message, status_code=400)
        if found is None:
            status = 404 if viewer.is_authenticated else 401
            return PlainTextResponse("Rencana ini tidak ditemukan atau bukan wewenang Anda.", status_code=status)
        name = f"{found.form.lower().replace('.', '')}-{year}-{version_id}"
        return _file(plan_results_workbook(found), DocumentFormat.XLSX, name, public=False)

    return download


def realisation_template(graphql: PageGraphQL, viewer_of: ViewerOf) -> Callable[[Request], Awaitable[Response]]:
    """The unit's realisation template for a quarter, as the page /isian/templat gives it."""

    async def download(request: Request) -> Response:
        quarter: int = request.path_params["quarter"]
        year: int = request.path_params["year"]
        try:
            viewer = await viewer_of(request)
        except AuthenticationError as error:
            return PlainTextResponse(str(error), status_code=401, headers={"WWW-Authenticate": "Bearer"})
        made = None
        if quarter in (1, 2, 3, 4) and FIRST_YEAR <= year <= LAST_YEAR:
            made = await workbook_of(graphql, request, viewer, request.path_params["unit"], year, quarter)
        if made is None:
            status = 404 if viewer.is_authenticated else 401
            return PlainTextResponse("Templat ini hanya untuk pengguna yang mengisi unit ini.", status_code=status)
        name, data = made
        headers = {"content-disposition": f'attachment; filename="{name}"', "cache-control": "private, no-store"}
        return Response(data, media_type=MEDIA_TYPES[DocumentFormat.XLSX], headers=headers)

    return download


def realisation_check(graphql: PageGraphQL, viewer_of: ViewerOf) -> Callable[[Request], Awaitable[Response]]:
    """A filled template, sent as the request body, checked as the page's upload checks it (every
    cell, then a dry run of the submission that would write it), answered as JSON: the batch to
    send to submitRealisations (realisations and months) and every problem by row and column.
    Nothing is written."""

    async def check(request: Request) -> Response:
        sent = await bearer_body(request, viewer_of)  # a page's session posts through /isian/unggah
        if isinstance(sent, Response):
            return sent
        viewer, data = sent
        try:
            found = await checked_upload(graphql, request, viewer, data)
        except WorkbookRefused as refusal:
            return JSONResponse({"error": str(refusal)}, status_code=400)
        if found is None:
            return JSONResponse({"error": NOT_YOURS}, status_code=404)
        checked, period = found.checked, found.period
        return JSONResponse(
            {
                "unit": period.unit_id,
                "year": period.year,
                "quarter": period.quarter,
                "realisations": checked.batch,
                "months": checked.months,
                "unchanged": checked.unchanged,
                "blank": checked.blank,
                "problems": [
                    {"row": row, "column": column, "message": message}
                    for (row, column), message in sorted(checked.problems.items())
                ],
            },
            status_code=200 if not checked.problems else 422,
            headers={"cache-control": "no-store"},
        )

    return check


def lkjip_draft_download(engine: AsyncEngine, viewer_of: ViewerOf) -> Callable[[Request], Awaitable[Response]]:
    async def download(request: Request) -> Response:
        asked = _asked(request)
        if isinstance(asked, Response):
            return asked
        unit_id, year, format = asked
        try:
            paper = Paper(request.query_params.get("kertas", Paper.F4.value).upper())
        except ValueError:
            return PlainTextResponse("Ukuran kertas harus A4 atau F4.", status_code=400)
        try:
            viewer = await viewer_of(request)
        except AuthenticationError as error:
            return PlainTextResponse(str(error), status_code=401, headers={"WWW-Authenticate": "Bearer"})
        async with engine.connect() as conn:
            unit = await lkjip.unit_path(conn, unit_id)
            if unit is None or not viewer.may(Permission.READ_VALUES, unit):
                # The same answer for a unit that does not exist and one the caller may not read.
                status = 404 if viewer.is_authenticated else 401
                return PlainTextResponse("Draf LKjIP hanya untuk pengguna yang berwenang atas unit ini.", status)
            try:
                figures = await lkjip.gather(conn, viewer, unit_id, year)
            except DomainError as error:
                return PlainTextResponse(error.message, status_code=409 if error.code != "NOT_FOUND" else 404)
        content = await render_format(figures, paper, format)
        return _file(content, format, f"lkjip-{year}-{unit_id}-draf", public=False)

    return download


def evidence_download(
    engine: AsyncEngine, viewer_of: ViewerOf, files: FileStore
) -> Callable[[Request], Awaitable[Response]]:
    async def download(request: Request) -> Response:
        evidence_id = decode_id_of(request.path_params["evidence"], "Evidence")
        try:
            viewer = await viewer_of(request)
        except AuthenticationError as error:
            return PlainTextResponse(str(error), status_code=401, headers={"WWW-Authenticate": "Bearer"})
        async with engine.connect() as conn:
            found = await lke.evidence_file(conn, evidence_id) if evidence_id is not None else None
            evaluation = await lke.evaluation(conn, found[0].evaluation_id) if found else None
        if (
            found is None
            or evaluation is None
            or not may_read_evaluation(viewer, evaluation.unit_path, evaluation.evaluating_path)
        ):
            # The same answer for a file that does not exist and one the caller may not read.
            status = 404 if viewer.is_authenticated else 401
            return PlainTextResponse("Bukti dukung hanya untuk pengguna yang berwenang atas evaluasi ini.", status)
        record, content = found
        if content is None:
            try:
                content = await files.read(record.sha256 or "")
            except FileMissing as error:
                # The directory is not mounted, or not configured here: the deployment's fault, not the caller's.
                log.error("evidence_file_missing", evidence=evidence_id, error=str(error))
                return PlainTextResponse(
                    "Berkas bukti dukung sedang tidak dapat dibaca dari penyimpanan berkas; hubungi administrator.",
                    status_code=503,
                )
            except FileCorrupt as error:
                log.error("evidence_file_corrupt", evidence=evidence_id, error=str(error))
                return PlainTextResponse(
                    "Berkas bukti dukung di penyimpanan tidak lagi sesuai SHA-256 yang tercatat; berkas tidak"
                    " disajikan. Hubungi administrator.",
                    status_code=500,
                )
        headers = {
            "content-disposition": f'attachment; filename="{record.file_name}"',
            "cache-control": "private, no-store",
            "x-content-sha256": record.sha256 or "",
            "x-content-type-options": "nosniff",
        }
        return Response(content, media_type=record.media_type or "application/octet-stream", headers=headers)

    return download


def lhe_download(engine: AsyncEngine, viewer_of: ViewerOf) -> Callable[[Request], Awaitable[Response]]:
    """The evaluation report of the data as it stands: a published FINAL result's for anyone, any
    other for those who read the evaluation (marked DRAF until FINAL)."""

    async def download(request: Request) -> Response:
        evaluation_id = decode_id_of(request.path_params["evaluation"], "Evaluation")
        extension = request.path_params["extension"]
        if evaluation_id is None or extension not in ("docx", "pdf"):
            return PlainTextResponse("Laporan hasil evaluasi tidak ditemukan.", status_code=404)
        try:
            viewer = await viewer_of(request)
        except AuthenticationError as error:
            return PlainTextResponse(str(error), status_code=401, headers={"WWW-Authenticate": "Bearer"})
        async with engine.connect() as conn:
            record = await lke.evaluation(conn, evaluation_id)
            readable = record is not None and (
                record.published_at is not None or may_read_evaluation(viewer, record.unit_path, record.evaluating_path)
            )
            if record is None or not readable:
                status = 404 if viewer.is_authenticated else 401
                return PlainTextResponse("Laporan hasil evaluasi hanya untuk pengguna yang berwenang.", status)
            frozen = await lke.report_file(conn, record.id, extension) if record.state is Stage.FINAL else None
            figures = None
            if frozen is None:  # not FINAL: a draft of today's data
                previous = await lke.evaluation_of(conn, record.org_unit_id, record.year - 1)
                figures = await lhe_figures(conn, record, previous)
        headers = {"cache-control": "private, no-store"}
        if frozen is not None:
            content, digest = frozen
            name = f"lhe-{record.year}-{record.org_unit_id}.{extension}"
            public = record.published_at is not None
            headers = {"x-content-sha256": digest, "cache-control": "public, max-age=86400" if public else "private"}
        else:
            assert figures is not None
            name = f"lhe-{record.year}-{record.org_unit_id}-draf.{extension}"
            content = await lhe_pdf(figures) if extension == "pdf" else lhe_docx(figures)
        headers["content-disposition"] = f'attachment; filename="{name}"'
        return Response(content, media_type=PDF if extension == "pdf" else DOCX, headers=headers)

    return download


async def bearer_body(
    request: Request, viewer_of: ViewerOf, *, limit: int = MAX_BYTES, too_large: Response | None = None
) -> tuple[Viewer, bytes] | Response:
    """The caller (a bearer token only: a page's session posts its form, with its CSRF token) and
    the request body up to `limit` bytes, or the answer refusing them (`too_large` past it)."""
    if "authorization" not in request.headers:
        return JSONResponse({"error": "Kirim token API (Authorization: Bearer …)."}, status_code=401)
    try:
        viewer = await viewer_of(request)
    except AuthenticationError as error:
        return JSONResponse({"error": str(error)}, status_code=401, headers={"WWW-Authenticate": "Bearer"})
    data = bytearray()
    async for chunk in request.stream():
        data += chunk
        if len(data) > limit:
            if too_large is not None:
                return too_large
            return JSONResponse({"error": f"Berkas melebihi {limit // (1024 * 1024)} MB."}, status_code=413)
    return viewer, bytes(data)


def apbd_check(graphql: PageGraphQL, viewer_of: ViewerOf) -> Callable[[Request], Awaitable[Response]]:
    """SIPD's Lampiran APBD (XLSX, or CSV sent as text/csv) as the request body, for a pemda
    (`pemda`), year (`tahun`) and budget (`jenis`): read as the Anggaran page reads it, then a dry
    run of importApbdBudget, answered as JSON: the batch to send (`lines`, `units`), the units'
    matches, the differences and every problem (of a cell: by line; of a line: by its field).
    Nothing is written; the client sends the batch, with `mappings` for unmatched units."""

    async def check(request: Request) -> Response:
        found = await bearer_body(request, viewer_of)
        if isinstance(found, Response):
            return found
        viewer, data = found
        csv = request.headers.get("content-type", "").startswith("text/csv")
        try:
            read = read_apbd_file(data, "lampiran.csv" if csv else "lampiran.xlsx")
        except WorkbookRefused as refusal:
            return JSONResponse({"error": str(refusal)}, status_code=400)
        if read.problems:
            return JSONResponse({"problems": read.problems}, status_code=422, headers={"cache-control": "no-store"})
        year, kind = asked(request.query_params)
        variables = import_variables(read, request.query_params.get("pemda", ""), year, kind, [], dry_run=True)
        report = (await graphql.run(request, viewer, "ImportApbdBudget", variables)).data["importApbdBudget"]
        body = {
            "governmentCode": variables["government"], "year": year, "budgetKind": kind,
            "lines": variables["lines"], "units": variables["units"], "report": report,
        }  # fmt: skip
        status = 422 if report["userErrors"] else 200
        return JSONResponse(body, status_code=status, headers={"cache-control": "no-store"})

    return check
