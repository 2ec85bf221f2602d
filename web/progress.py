"""Isian monev (pages): a perangkat daerah's programs, kegiatan and sub-kegiatan for a month and
budget, as a form of its lines (those entered, or last month's programs to start from, and blank
rows to add), and as the Excel template with its upload. Every write is submitMonevProgress; its
userErrors show beside the row they name (`lines.N.field`), or as the worksheet's row."""

import re
import uuid
from dataclasses import dataclass, field
from typing import Any

from starlette.datastructures import FormData, UploadFile
from starlette.requests import Request
from starlette.responses import Response

from documents.progress_workbook import FIGURES, Month, TemplateLine, read_upload, template
from documents.realisation_workbook import WorkbookRefused
from domain.budget import sipd_code
from domain.errors import DomainError
from domain.notation import MONTHS
from schema.context import today
from web.entry import operated_scope, parse_number
from web.format import number
from web.graphql import PageGraphQL, UserError
from web.monev import month_asked
from web.rendering import page, refused, see_other
from web.sessions import PageUser, Sessions

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
BLANK_ROWS = 5
KINDS = ("MURNI", "PERUBAHAN")
LINE_AT = re.compile(r"^lines\.(\d+)\.?")
# Form field of each figure (FIGURES' order).
FIELD_NAMES = dict(zip(FIGURES, ("pagu", "tf", "rf", "tk", "rk"), strict=True))


@dataclass
class Line:
    code: str = ""
    name: str = ""
    figures: dict[str, str] = field(default_factory=lambda: dict.fromkeys(FIGURES, ""))
    version: str = ""
    errors: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Asked:
    unit: str
    year: int
    month: int
    kind: str

    @property
    def query(self) -> str:
        return f"unit={self.unit}&tahun={self.year}&bulan={self.month}&anggaran={self.kind}"


def _asked(values: Any, unit: str) -> Asked:
    year, month = month_asked(values, today())
    kind = str(values.get("anggaran", "MURNI"))
    return Asked(unit, year, month, kind if kind in KINDS else "MURNI")


async def _unit(graphql: PageGraphQL, request: Request, user: PageUser, asked: str | None) -> tuple[str | None, Any]:
    """The unit asked for, or the user's own; else the perangkat daerah of the user's government
    to choose from."""
    if asked:
        return asked, None
    first = await operated_scope(graphql, request, user)
    if first is None:
        return None, None
    if first["__typename"] == "OrgUnit":
        return first["id"], None
    found = (await graphql.run(request, user.viewer, "EntryUnits", {"government": first["id"]})).data["node"]
    return None, found


async def _load(graphql: PageGraphQL, request: Request, user: PageUser, asked: Asked) -> dict[str, Any] | None:
    variables = {"unit": asked.unit, "year": asked.year, "month": asked.month, "previous": max(asked.month - 1, 1)}
    found = (await graphql.run(request, user.viewer, "MonevUnitLines", variables)).data
    if not found["unit"]:
        return None
    own = [line for line in found["lines"] if line["orgUnit"]["id"] == asked.unit]
    earlier = [line for line in found["earlier"] if line["orgUnit"]["id"] == asked.unit] if asked.month > 1 else []
    return {"unit": found["unit"], "lines": own, "earlier": earlier}


def stored_lines(loaded: dict[str, Any], kind: str) -> list[Line]:
    """This month's lines of the budget; or else last month's programs (this budget's, or the
    murni's when the perubahan starts), figures blank: they are cumulative and must be new."""
    month = [line for line in loaded["lines"] if line["budgetKind"] == kind]
    if month:
        return [
            Line(line["code"], line["name"], {
                "pagu": number(line["pagu"]), "physicalTarget": number(line["physicalTarget"]),
                "physicalRealisation": number(line["physicalRealisation"]),
                "financialTarget": number(line["financialTarget"]),
                "financialRealisation": number(line["financialRealisation"]),
            }, str(line["version"]))
            for line in month
        ]  # fmt: skip
    earlier = [line for line in loaded["earlier"] if line["budgetKind"] == kind] or [
        line for line in loaded["earlier"] if line["budgetKind"] == "MURNI"
    ]
    return [
        Line(line["code"], line["name"], {**dict.fromkeys(FIGURES, ""), "pagu": number(line["pagu"])})
        for line in earlier
    ]


def posted_lines(posted: FormData) -> list[Line]:
    count = int(str(posted.get("baris", "0"))) if str(posted.get("baris", "0")).isdigit() else 0
    return [
        Line(
            str(posted.get(f"kode-{i}", "")).strip(),
            str(posted.get(f"nama-{i}", "")).strip(),
            {name: str(posted.get(f"{FIELD_NAMES[name]}-{i}", "")).strip() for name in FIGURES},
            str(posted.get(f"versi-{i}", "")),
        )
        for i in range(min(count, 2000))
    ]


def batch(lines: list[Line], unit: str) -> tuple[list[dict[str, Any]], list[int]]:
    """The lines to send (any figure filled), each parsed, and the row each came from; a row's
    own problems (not a number, a figure missing) are put on it and it is not sent."""
    sent: list[dict[str, Any]] = []
    rows: list[int] = []
    for index, line in enumerate(lines):
        if not any(line.figures.values()) and not line.code:
            continue
        parsed = {name: parse_number(text) if text else None for name, text in line.figures.items()}
        wrong = [name for name, text in line.figures.items() if text and parsed[name] is None]
        if wrong:
            line.errors.append("Bukan angka: " + ", ".join(line.figures[name] for name in wrong) + ".")
        elif any(value is None for value in parsed.values()):
            line.errors.append("Isi pagu dan keempat angka fisik dan keuangan baris ini.")
        if line.errors:
            continue
        sent.append({
            "orgUnitId": unit, "code": line.code, "name": line.name, "pagu": str(parsed["pagu"]),
            "physicalTarget": str(parsed["physicalTarget"]), "physicalRealisation": str(parsed["physicalRealisation"]),
            "financialTarget": str(parsed["financialTarget"]),
            "financialRealisation": str(parsed["financialRealisation"]),
            "expectedVersion": int(line.version) if line.version.isdigit() else None,
        })  # fmt: skip
        rows.append(index)
    return sent, rows


def place(errors: list[UserError], lines: list[Line], rows: list[int]) -> list[str]:
    """Each error on the row it names; the rest for the top of the form."""
    general: list[str] = []
    for error in errors:
        found = LINE_AT.match(error.field or "")
        if found and int(found.group(1)) < len(rows):
            lines[rows[int(found.group(1))]].errors.append(error.message)
        else:
            general.append(error.message)
    return general


async def form(graphql: PageGraphQL, sessions: Sessions, request: Request, user: PageUser) -> Response:
    unit, government = await _unit(graphql, request, user, request.query_params.get("unit"))
    if unit is None:
        root = (government or {}).get("rootUnit")
        if root is None:
            return refused(request, user, "Akun ini tidak mengisi monev unit mana pun.")
        return page(request, user, "monev_isian.html", units=root["children"], asked=_asked(request.query_params, ""))
    asked = _asked(request.query_params, unit)
    loaded = await _load(graphql, request, user, asked)
    if loaded is None:
        return refused(request, user)
    return _show(request, user, asked, loaded, stored_lines(loaded, asked.kind), [])


def _show(
    request: Request, user: PageUser, asked: Asked, loaded: dict[str, Any], lines: list[Line], general: list[str],
    status: int = 200,
) -> Response:  # fmt: skip
    rows = [*lines, *(Line() for _ in range(BLANK_ROWS))]
    return page(
        request, user, "monev_isian.html", status_code=status, asked=asked, unit=loaded["unit"], lines=rows,
        general=general, months=MONTHS, kinds=KINDS, field_names=FIELD_NAMES,
        saved=request.query_params.get("pesan"),
    )  # fmt: skip


async def save(graphql: PageGraphQL, sessions: Sessions, request: Request, user: PageUser) -> Response:
    posted = await request.form()
    asked = _asked(posted, str(posted.get("unit", "")))
    loaded = await _load(graphql, request, user, asked)
    if loaded is None:
        return refused(request, user)
    lines = posted_lines(posted)
    sent, rows = batch(lines, asked.unit)
    if any(line.errors for line in lines):
        return _show(
            request, user, asked, loaded, lines, ["Periksa baris yang ditandai; belum ada yang disimpan."], 400
        )
    if not sent:
        return _show(request, user, asked, loaded, lines, ["Isi paling sedikit satu baris."], 400)
    variables = {"input": {"year": asked.year, "month": asked.month, "budgetKind": asked.kind, "lines": sent,
                           "idempotencyKey": str(posted.get("kunci", "")) or uuid.uuid4().hex}}  # fmt: skip
    errors = await graphql.mutate(request, user.viewer, "SubmitMonevProgress", variables)
    if errors:
        general = place(errors, lines, rows)
        return _show(request, user, asked, loaded, lines, general or ["Belum ada yang disimpan."], 400)
    return see_other(f"/monev/isian?{asked.query}&pesan=simpan")


async def download(graphql: PageGraphQL, sessions: Sessions, request: Request, user: PageUser) -> Response:
    asked = _asked(request.query_params, request.query_params.get("unit", ""))
    loaded = await _load(graphql, request, user, asked) if asked.unit else None
    if loaded is None:
        return refused(request, user)
    lines = [
        TemplateLine(line.code, line.name, tuple(line.figures[name] for name in FIGURES))
        for line in stored_lines(loaded, asked.kind)
    ]
    unit = loaded["unit"]
    data = template(Month(asked.unit, unit["name"], asked.year, asked.month, asked.kind), lines)
    name = f"monev-{unit['code'].lower()}-{asked.year}-{asked.month:02d}-{asked.kind.lower()}.xlsx"
    return Response(data, media_type=XLSX, headers={"content-disposition": f'attachment; filename="{name}"'})


async def upload(graphql: PageGraphQL, sessions: Sessions, request: Request, user: PageUser) -> Response:
    """The filled template, checked and saved in one batch (all or nothing), each problem named by
    the worksheet row it is on."""
    posted = await request.form()
    chosen = posted.get("berkas")
    fallback = _asked(posted, str(posted.get("unit", "")))
    if not isinstance(chosen, UploadFile):
        return await _refuse_upload(graphql, request, user, fallback, "Pilih berkas Excel yang akan diunggah.")
    try:
        month, uploaded = read_upload(await chosen.read())
    except WorkbookRefused as refusal:
        return await _refuse_upload(graphql, request, user, fallback, str(refusal))
    asked = Asked(month.unit_id, month.year, month.month, month.budget_kind)
    loaded = await _load(graphql, request, user, asked)
    if loaded is None:
        return refused(request, user, "Berkas ini untuk unit yang tidak dapat Anda isi.")
    versions = {line["code"]: str(line["version"]) for line in loaded["lines"] if line["budgetKind"] == asked.kind}
    lines = [Line(row.code, row.name, {name: row.figures[name] or "" for name in FIGURES}, "") for row in uploaded]
    sent, rows = batch(lines, asked.unit)
    for item in sent:
        # The version held now: an upload replaces what the month holds, matched on the code as
        # the API keys it (`5.1.1` is the stored `5.01.01`); a code that is not one is the API's error.
        held = versions.get(_normalised(item["code"]))
        item["expectedVersion"] = int(held) if held else None
    problems = [f"Baris {uploaded[i].row}: {message}" for i, line in enumerate(lines) for message in line.errors]
    if not problems and sent:
        variables = {"input": {"year": asked.year, "month": asked.month, "budgetKind": asked.kind, "lines": sent}}
        errors = await graphql.mutate(request, user.viewer, "SubmitMonevProgress", variables)
        for error in errors:
            found = LINE_AT.match(error.field or "")
            at = (
                f"Baris {uploaded[rows[int(found.group(1))]].row}: "
                if found and int(found.group(1)) < len(rows)
                else ""
            )
            problems.append(at + error.message)
    if not sent and not problems:
        problems.append("Berkas tidak berisi baris yang diisi.")
    if problems:
        return _show(request, user, asked, loaded, stored_lines(loaded, asked.kind), problems, 400)
    return see_other(f"/monev/isian?{asked.query}&pesan=unggah")


def _normalised(code: str) -> str:
    try:
        return sipd_code(code).text
    except DomainError:
        return code


async def _refuse_upload(
    graphql: PageGraphQL, request: Request, user: PageUser, asked: Asked, message: str
) -> Response:
    loaded = await _load(graphql, request, user, asked) if asked.unit else None
    if loaded is None:
        return refused(request, user, message)
    return _show(request, user, asked, loaded, stored_lines(loaded, asked.kind), [message], 400)
