"""TPP (pages): every employee's own statements of the year, each component and deduction; and
for the finance unit, a perangkat daerah's month: the month's attendance and compliance file
(a workbook to fill in with the agency's NIP and names; the upload checked whole by
RecordTppFacts with dryRun, every bad cell or row named by its line, then written whole), every
employee's statement, "Hitung TPP" (ComputeTppStatements) and "Bayar" (PayTppMonth, which
freezes the month); and the whole pemda's month as a background job (StartTppMonthJob), its
progress shown agency by agency (TppJob) until it is done. Errors are the API's userErrors, shown above the table."""

from decimal import Decimal
from typing import Any

from starlette.datastructures import UploadFile
from starlette.requests import Request
from starlette.responses import Response

from documents.realisation_workbook import WorkbookRefused
from documents.tpp_facts_file import FactsFileRow, read_facts_file, template
from policies.permissions import Permission
from schema.context import today
from web.file_rows import by_line
from web.granted import agencies_granted, governments_granted
from web.graphql import PageGraphQL, UserError
from web.monev import month_asked
from web.rendering import page, refused, see_other
from web.sessions import PageUser, Sessions
from web.upload import XLSX

MESSAGES = {"dihitung": "Rincian TPP bulan ini dihitung.", "dibayar": "TPP bulan ini tercatat dibayar dan dibekukan."}


async def form(graphql: PageGraphQL, sessions: Sessions, request: Request, user: PageUser) -> Response:
    year, month = month_asked(request.query_params, today())
    agency = request.query_params.get("unit")
    message = MESSAGES.get(request.query_params.get("pesan", ""))
    return await _show(graphql, request, user, year, month, agency, message, job=request.query_params.get("tugas"))


async def _show(
    graphql: PageGraphQL,
    request: Request,
    user: PageUser,
    year: int,
    month: int,
    agency: str | None,
    message: str | None = None,
    errors: list[str] | None = None,
    job: str | None = None,
) -> Response:
    found = (await graphql.run(request, user.viewer, "TppPage", {"year": year})).data
    finance = user.viewer.may_anywhere(Permission.COMPUTE_TPP)
    running = None
    if finance and job:
        running = (await graphql.run(request, user.viewer, "TppJob", {"id": job})).data["tppJob"]
    agencies: list[dict[str, Any]] = []
    rows: list[dict[str, Any]] = []
    unit = None
    if finance:
        agencies = await agencies_granted(graphql, request, user, found["me"], "FINANCE")
        if agency:
            answer = (await graphql.run(request, user.viewer, "TppAgency", {"agency": agency, "year": year})).data
            unit = answer["node"]
            if not unit:
                return refused(request, user)
            rows = [
                {**e, "statement": next((s for s in e["tppStatements"] if s["month"] == month), None)}
                for e in answer["employees"]
            ]
    mine = (found["myEmployee"] or {}).get("tppStatements", [])
    amounts = [Decimal(r["statement"]["amount"]) for r in rows if r["statement"]]
    return page(
        request, user, "tpp.html", status_code=400 if errors else 200, me=found["myEmployee"], mine=mine, year=year,
        month=month, finance=finance, agencies=agencies, unit=unit, rows=rows, computed=len(amounts),
        total=sum(amounts, Decimal(0)), message=message, errors=errors or [], job=running,
        governments=governments_granted(found["me"], "FINANCE") if finance else [],
    )  # fmt: skip


async def act(graphql: PageGraphQL, sessions: Sessions, request: Request, user: PageUser) -> Response:
    posted = await request.form()
    year, month = month_asked(posted, today())
    agency = str(posted.get("unit", ""))
    action = posted.get("aksi")
    variables = {"agency": agency, "year": year, "month": month}
    if action == "hitung_pemda":
        pemda = {"government": str(posted.get("pemda", "")), "year": year, "month": month}
        started = (await graphql.run(request, user.viewer, "StartTppMonthJob", pemda)).data["startTppMonthJob"]
        if started["userErrors"]:
            messages = [e["message"] for e in started["userErrors"]]
            return await _show(graphql, request, user, year, month, agency or None, errors=messages)
        return see_other(f"/tpp?unit={agency}&tahun={year}&bulan={month}&tugas={started['job']['id']}")
    if action == "hitung":
        errors, done = await graphql.mutate(request, user.viewer, "ComputeTppStatements", variables), "dihitung"
    elif action == "bayar":
        errors, done = await graphql.mutate(request, user.viewer, "PayTppMonth", variables), "dibayar"
    else:
        return refused(request, user, "Tindakan tidak dikenal.")
    if errors:
        return await _show(graphql, request, user, year, month, agency, errors=[e.message for e in errors])
    return see_other(f"/tpp?unit={agency}&tahun={year}&bulan={month}&pesan={done}")


async def facts_template(graphql: PageGraphQL, sessions: Sessions, request: Request, user: PageUser) -> Response:
    """The month's attendance workbook of an agency, its employees' NIP and names filled in."""
    year, month = month_asked(request.query_params, today())
    agency = request.query_params.get("unit", "")
    if not user.viewer.may_anywhere(Permission.COMPUTE_TPP):
        return refused(request, user)
    answer = (await graphql.run(request, user.viewer, "TppAgency", {"agency": agency, "year": year})).data
    if not answer["node"]:
        return refused(request, user)
    data = template([(e["nip"], e["name"]) for e in answer["employees"]])
    name = f"kehadiran-{answer['node']['name']}-{year}-{month:02d}.xlsx".replace(" ", "-").lower()
    return Response(data, media_type=XLSX, headers={"content-disposition": f'attachment; filename="{name}"'})


async def facts_upload(graphql: PageGraphQL, sessions: Sessions, request: Request, user: PageUser) -> Response:
    """The month's attendance and compliance file: checked whole, then (with "tulis") written whole."""
    posted = await request.form()
    year, month = month_asked(posted, today())
    agency = str(posted.get("unit", ""))
    sent = posted.get("berkas")
    if not user.viewer.may_anywhere(Permission.COMPUTE_TPP):
        return refused(request, user)
    if not isinstance(sent, UploadFile) or not sent.filename:
        return await _show(graphql, request, user, year, month, agency, errors=["Pilih berkas CSV atau XLSX."])
    try:
        read = read_facts_file(await sent.read(), sent.filename, sent.content_type or "")
    except WorkbookRefused as refusal:
        return await _show(graphql, request, user, year, month, agency, errors=[str(refusal)])
    if read.problems or not read.rows:
        problems = read.problems or ["Berkas tidak berisi baris pegawai."]
        return await _show(graphql, request, user, year, month, agency, errors=problems)
    write = posted.get("tulis") == "ya"
    variables = {"year": year, "month": month, "rows": [_facts(row) for row in read.rows], "dryRun": not write}
    answer = (await graphql.run(request, user.viewer, "RecordTppFacts", variables)).data["recordTppFacts"]
    errors = [UserError(e["code"], e.get("field"), e["message"]) for e in answer["userErrors"]]
    if errors:
        return await _show(
            graphql, request, user, year, month, agency, errors=by_line(errors, [row.line for row in read.rows])
        )
    done = (
        f"Kehadiran dan kepatuhan {answer['recorded']} pegawai dari {sent.filename} tersimpan."
        if write
        else f'Pemeriksaan berhasil: {answer["recorded"]} baris {sent.filename} benar. Centang "Tulis" dan '
        "unggah lagi untuk menyimpan."
    )
    return await _show(graphql, request, user, year, month, agency, done)


def _facts(row: FactsFileRow) -> dict[str, Any]:
    return {
        "nip": row.nip, "workingDays": row.counts["working_days"], "daysPresent": row.counts["days_present"],
        "apelHeld": row.counts["apel_held"], "apelAttended": row.counts["apel_attended"],
        "lateMinutes": row.late_minutes, **row.compliance,
    }  # fmt: skip
