"""Anggaran APBD (pages, the pemda's planners and admins): SIPD's Lampiran APBD uploaded (CSV or
XLSX, documents/apbd_file.py), checked whole by ImportApbdBudget with dryRun (every SIPD unit's
match, the totals that do not add up, each bad line named by its line in the file), the units no
name or alias matched mapped with a choice beside each (similar names first), then written whole
when "Tulis" is ticked; and each perangkat daerah's imported budget of the year, line by line."""

from typing import Any

from starlette.datastructures import FormData, UploadFile
from starlette.requests import Request
from starlette.responses import Response

from documents.apbd_file import ApbdFile, read_apbd_file
from documents.realisation_workbook import WorkbookRefused
from policies.permissions import Permission
from schema.context import today
from web.figures import YEARS
from web.file_rows import by_line
from web.granted import governments_granted
from web.graphql import PageGraphQL, UserError
from web.rendering import page, refused
from web.sessions import PageUser, Sessions

KINDS = {"MURNI": "APBD murni", "PERUBAHAN": "APBD perubahan"}
LEVELS = {"PROGRAM": "Program", "ACTIVITY": "Kegiatan", "SUB_ACTIVITY": "Sub kegiatan"}
MAPPING = "padanan:"  # a mapping field's name: padanan:<SIPD unit code>


def asked(values: Any) -> tuple[int, str]:
    """The year (`tahun`, this year by default) and budget (`jenis`, MURNI by default) asked for."""
    given = str(values.get("tahun", ""))
    year = int(given) if given.isdigit() and int(given) in YEARS else today().year
    kind = str(values.get("jenis", "MURNI"))
    return year, kind if kind in KINDS else "MURNI"


async def _governments(graphql: PageGraphQL, request: Request, user: PageUser) -> list[dict[str, Any]]:
    me = (await graphql.run(request, user.viewer, "Me", {})).data["me"]
    found = governments_granted(me, "PLANNER") + governments_granted(me, "ADMIN")
    return list({g["code"]: g for g in found}.values())


async def _agencies(graphql: PageGraphQL, request: Request, user: PageUser, government: dict[str, Any]) -> list[Any]:
    node = (await graphql.run(request, user.viewer, "EntryUnits", {"government": government["id"]})).data["node"]
    children = ((node or {}).get("rootUnit") or {}).get("children", [])
    return [unit for unit in children if unit["kind"] == "PERANGKAT_DAERAH"]


async def _show(
    graphql: PageGraphQL, request: Request, user: PageUser, values: Any, status_code: int = 200, **shown: Any
) -> Response:
    governments = await _governments(graphql, request, user)
    if not governments:
        return refused(request, user)
    year, kind = asked(values)
    chosen = str(values.get("pemda", ""))
    government = next((g for g in governments if g["code"] == chosen), governments[0])
    agencies = await _agencies(graphql, request, user, government)
    unit = str(values.get("unit", ""))
    budget = None
    if any(a["id"] == unit for a in agencies):
        variables = {"unit": unit, "year": year, "kind": kind}
        budget = (await graphql.run(request, user.viewer, "ApbdBudget", variables)).data["apbdBudget"]
    return page(
        request, user, "anggaran.html", status_code=status_code, governments=governments, government=government,
        agencies=agencies, year=year, kind=kind, kinds=KINDS, levels=LEVELS, years=YEARS, unit=unit, budget=budget,
        mapping=MAPPING, **shown,
    )  # fmt: skip


async def form(graphql: PageGraphQL, sessions: Sessions, request: Request, user: PageUser) -> Response:
    if not user.viewer.may_anywhere(Permission.IMPORT_BUDGET):
        return refused(request, user)
    return await _show(graphql, request, user, request.query_params)


def _mappings(posted: FormData) -> list[dict[str, str]]:
    return [
        {"unitCode": str(name).removeprefix(MAPPING), "orgUnitId": str(value)}
        for name, value in posted.multi_items()
        if str(name).startswith(MAPPING) and value
    ]


def import_variables(
    read: ApbdFile, government: str, year: int, kind: str, mappings: list[dict[str, str]], dry_run: bool
) -> dict[str, Any]:
    """ImportApbdBudget's variables for the file's lines and unit names (the page's upload and the
    API's check send the same)."""
    return {
        "government": government, "year": year, "kind": kind, "dryRun": dry_run, "mappings": mappings,
        "lines": [
            {"unitCode": line.unit_code, "code": line.code, "name": line.name,
             "pagu": None if line.pagu is None else str(line.pagu)}
            for line in read.lines
        ],
        "units": [{"unitCode": code, "name": name} for code, name in read.unit_names.items()],
    }  # fmt: skip


async def upload(graphql: PageGraphQL, sessions: Sessions, request: Request, user: PageUser) -> Response:
    """The Lampiran: checked whole, then (with "tulis") written whole."""
    if not user.viewer.may_anywhere(Permission.IMPORT_BUDGET):
        return refused(request, user)
    posted = await request.form()
    sent = posted.get("berkas")
    if not isinstance(sent, UploadFile) or not sent.filename:
        return await _show(graphql, request, user, posted, 400, problem="Pilih berkas Lampiran APBD (CSV atau XLSX).")
    try:
        read = read_apbd_file(await sent.read(), sent.filename, sent.content_type or "")
    except WorkbookRefused as refusal:
        return await _show(graphql, request, user, posted, 400, problem=str(refusal))
    if read.problems:
        return await _show(graphql, request, user, posted, 400, problems=read.problems, filename=sent.filename)
    write = posted.get("tulis") == "ya"
    year, kind = asked(posted)
    variables = import_variables(read, str(posted.get("pemda", "")), year, kind, _mappings(posted), dry_run=not write)
    answer = (await graphql.run(request, user.viewer, "ImportApbdBudget", variables)).data["importApbdBudget"]
    errors = [UserError(e["code"], e.get("field"), e["message"]) for e in answer["userErrors"]]
    return await _show(
        graphql, request, user, posted, 400 if errors else 200, filename=sent.filename, result=answer,
        problems=by_line(errors, [line.line for line in read.lines], rows="lines"), written=answer["written"],
    )  # fmt: skip
