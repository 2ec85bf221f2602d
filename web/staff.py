"""Impor data pegawai (pages, the personnel admin of a pemda): a SIMPEG staff file, CSV or XLSX,
checked whole first (ImportStaff with dryRun: every bad row and every position without a valid
superior named by its line in the file), then written whole, matching employees by NIP."""

from typing import Any

from starlette.datastructures import UploadFile
from starlette.requests import Request
from starlette.responses import Response

from documents.realisation_workbook import WorkbookRefused
from documents.staff_file import StaffFileRow, read_staff_file
from policies.permissions import Permission
from web.file_rows import by_line
from web.granted import governments_granted
from web.graphql import PageGraphQL, UserError
from web.rendering import page, refused
from web.sessions import PageUser, Sessions

FIELDS = ("nip", "name", "golongan", "position_code", "position_name", "position_kind", "job_class", "unit_code",
          "superior_code", "username")  # fmt: skip
CAMEL = {"position_code": "positionCode", "position_name": "positionName", "position_kind": "positionKind",
         "job_class": "jobClass", "unit_code": "unitCode", "superior_code": "superiorCode"}  # fmt: skip


async def _governments(graphql: PageGraphQL, request: Request, user: PageUser) -> list[dict[str, Any]]:
    """The governments whose personnel the user manages (their ADMIN grants on a government)."""
    return governments_granted((await graphql.run(request, user.viewer, "Me", {})).data["me"], "ADMIN")


async def form(graphql: PageGraphQL, sessions: Sessions, request: Request, user: PageUser) -> Response:
    if not user.viewer.may_anywhere(Permission.MANAGE_PERSONNEL):
        return refused(request, user)
    return page(request, user, "pegawai_impor.html", governments=await _governments(graphql, request, user))


async def upload(graphql: PageGraphQL, sessions: Sessions, request: Request, user: PageUser) -> Response:
    if not user.viewer.may_anywhere(Permission.MANAGE_PERSONNEL):
        return refused(request, user)
    posted = await request.form()
    governments = await _governments(graphql, request, user)
    government = str(posted.get("pemda", ""))
    dry_run = posted.get("tulis") != "ya"
    sent = posted.get("berkas")
    shown: dict[str, Any] = {"governments": governments, "government": government}
    if not isinstance(sent, UploadFile) or not sent.filename:
        return page(
            request, user, "pegawai_impor.html", status_code=400, problem="Pilih berkas CSV atau XLSX.", **shown
        )
    try:
        rows = read_staff_file(await sent.read(), sent.filename, sent.content_type or "")
    except WorkbookRefused as refusal:
        return page(request, user, "pegawai_impor.html", status_code=400, problem=str(refusal), **shown)
    if not rows:
        return page(request, user, "pegawai_impor.html", status_code=400, problem="Berkas tidak berisi baris pegawai.",
                    **shown)  # fmt: skip
    variables = {"government": government, "dryRun": dry_run, "rows": [_row(r) for r in rows]}
    answer = (await graphql.run(request, user.viewer, "ImportStaff", variables)).data["importStaff"]
    errors = [UserError(e["code"], e.get("field"), e["message"]) for e in answer["userErrors"]]
    return page(
        request, user, "pegawai_impor.html", status_code=400 if errors else 200,
        problems=by_line(errors, [r.line for r in rows]), result=None if errors else answer,
        written=not dry_run and not errors, checked=len(rows),
        filename=sent.filename, **shown,
    )  # fmt: skip


def _row(row: StaffFileRow) -> dict[str, Any]:
    return {CAMEL.get(name, name): row.values.get(name, None if name == "job_class" else "") for name in FIELDS}
