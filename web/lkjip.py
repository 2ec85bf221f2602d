"""LKjIP (operator of a perangkat daerah or a pemda): the year's report as the platform generates
it, with the two things the unit writes itself (docs/lkjip.md): the narrative (chapter texts and
each indicator's supporting and inhibiting factors and actions, SaveLkjipNarrative) and the
budget realisation of each agreement item per quarter (SubmitBudgetRealisations, all or nothing,
errors beside the line). The drafts download as PDF, Word and Excel; signing is the leader's."""

import re
import uuid
from datetime import date
from decimal import Decimal
from typing import Any

from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import Response

from domain.lkjip import SECTION_TITLES, Section
from schema.context import today
from web.entry import NOT_A_NUMBER, operated_scope, parse_number
from web.figures import YEARS
from web.graphql import PageGraphQL, UserError
from web.rendering import page, refused, see_other
from web.sessions import PageUser, Sessions

AT_INDEX = re.compile(r"^(sections|analyses|lines)\.(\d+)")
ANALYSIS_FIELDS = (("pendukung", "supportingFactors"), ("penghambat", "inhibitingFactors"), ("upaya", "actions"))


def _year(values: Any, today: date) -> int:
    """The year asked for (`tahun`), by default the year just ended: its LKjIP is due by March."""
    text = str(values.get("tahun", ""))
    year = int(text) if text.isdigit() and len(text) == 4 else today.year - 1
    return year if year in YEARS else today.year - 1


async def form(graphql: PageGraphQL, sessions: Sessions, request: Request, user: PageUser) -> Response:
    year = _year(request.query_params, today())
    unit = request.query_params.get("unit")
    if unit is None:
        scope = await operated_scope(graphql, request, user)
        if scope is None:
            return refused(request, user, "Akun ini tidak menyusun LKjIP unit mana pun.")
        if scope["__typename"] != "OrgUnit":
            return await _choose(graphql, request, user, scope["id"], year)
        unit = str(scope["id"])
    return await _show(graphql, request, user, unit, year, message=request.query_params.get("pesan"))


async def _choose(graphql: PageGraphQL, request: Request, user: PageUser, government: str, year: int) -> Response:
    found = (await graphql.run(request, user.viewer, "EntryUnits", {"government": government})).data["node"]
    root = (found or {}).get("rootUnit")
    if root is None:
        return refused(request, user)
    units = [root, *(u for u in root["children"] if u["kind"] == "PERANGKAT_DAERAH")]
    return page(request, user, "lkjip.html", choose=units, government=found, year=year, years=YEARS)


async def _show(
    graphql: PageGraphQL,
    request: Request,
    user: PageUser,
    unit: str,
    year: int,
    *,
    message: str | None = None,
    errors: list[UserError] | None = None,
    posted: FormData | None = None,
    sent: list[str] | None = None,
) -> Response:
    answer = await graphql.run(request, user.viewer, "LkjipPage", {"unit": unit, "year": year})
    found, report = answer.data.get("node"), answer.data.get("performanceReport")
    problems = [e.message for e in answer.errors]
    # Figures withheld without a reason given: the unit's values are not the caller's to read
    # (its signed versions are public on the portal, not in this workspace).
    withheld = not problems and (report is None or report["summary"] is None)
    if not found or "code" not in found or withheld:
        return refused(request, user)
    placed, general = _placed(errors or [], sent or [])
    texts = {s["section"]: s["body"] for s in (report or {}).get("sections", [])}
    sections = [(s.value, SECTION_TITLES[s], _typed(posted, f"bab-{s.value}", texts.get(s.value, ""))) for s in Section]
    return page(
        request, user, "lkjip.html", status_code=400 if errors else 200, unit=found, report=report, year=year,
        years=YEARS, sections=sections, problems=problems, message=message, placed=placed, general=general,
        posted=posted, key=uuid.uuid4().hex, quarter=_quarter(posted),
    )  # fmt: skip


def _typed(posted: FormData | None, name: str, stored: str) -> str:
    return str(posted[name]) if posted is not None and name in posted else stored


def _quarter(posted: FormData | None) -> int:
    text = str(posted.get("triwulan", "")) if posted is not None else ""
    return int(text) if text in ("1", "2", "3", "4") else 4


def _placed(errors: list[UserError], sent: list[str]) -> tuple[dict[str, list[str]], list[str]]:
    """Each error beside the field it names (`analyses.N.…` → the N-th indicator sent,
    `lines.N.amount` → the N-th budget line sent, `anggaran-<code>` for the page's own check);
    the rest above the forms. `sent`: the indicators or budget codes, in the order sent."""
    placed: dict[str, list[str]] = {}
    general: list[str] = []
    for error in errors:
        found = AT_INDEX.match(error.field or "")
        key = None
        if error.field and error.field.startswith("anggaran-"):
            key = error.field
        elif found and found.group(1) == "analyses" and int(found.group(2)) < len(sent):
            key = f"indikator-{sent[int(found.group(2))]}"
        elif found and found.group(1) == "lines" and int(found.group(2)) < len(sent):
            key = f"anggaran-{sent[int(found.group(2))]}"
        elif found and found.group(1) == "sections":
            key = f"bab-{list(Section)[int(found.group(2))].value}" if int(found.group(2)) < len(Section) else None
        if key is None:
            general.append(error.message)
        else:
            placed.setdefault(key, []).append(error.message)
    return placed, general


async def save(graphql: PageGraphQL, sessions: Sessions, request: Request, user: PageUser) -> Response:
    posted = await request.form()
    unit, year = str(posted.get("unit", "")), _year(posted, today())
    answer = await graphql.run(request, user.viewer, "LkjipPage", {"unit": unit, "year": year})
    report = answer.data.get("performanceReport")
    if not (answer.data.get("node") or {}).get("code") or report is None or report["summary"] is None:
        return refused(request, user)
    action = posted.get("aksi")
    if action == "narasi":
        errors, sent = await _save_narrative(graphql, request, user, posted, unit, year, report)
    elif action == "anggaran":
        errors, sent = await _save_budget(graphql, request, user, posted, unit, year, report)
    else:
        return refused(request, user, "Tindakan tidak dikenal.")
    if errors:
        return await _show(graphql, request, user, unit, year, errors=errors, posted=posted, sent=sent)
    return see_other(f"/lkjip?unit={unit}&tahun={year}&pesan={action}")


async def _save_narrative(
    graphql: PageGraphQL, request: Request, user: PageUser, posted: FormData, unit: str, year: int,
    report: dict[str, Any],
) -> tuple[list[UserError], list[str]]:  # fmt: skip
    """Every chapter text and every indicator's analysis as typed: the narrative is saved whole.
    Returns the errors and the indicators in the order sent."""
    sections = [{"section": s.value, "body": str(posted.get(f"bab-{s.value}", ""))} for s in Section]
    analyses = []
    for objective in report["objectives"]:
        for indicator in objective["indicators"]:
            if indicator["indicator"] is None:
                continue
            identity = indicator["indicator"]["id"]
            analysis = {"indicatorId": identity}
            for name, field in ANALYSIS_FIELDS:
                analysis[field] = str(posted.get(f"{name}-{identity}", ""))
            analyses.append(analysis)
    variables = {"unit": unit, "year": year, "sections": sections, "analyses": analyses}
    errors = await graphql.mutate(request, user.viewer, "SaveLkjipNarrative", variables)
    return errors, [str(a["indicatorId"]) for a in analyses]


async def _save_budget(
    graphql: PageGraphQL, request: Request, user: PageUser, posted: FormData, unit: str, year: int,
    report: dict[str, Any],
) -> tuple[list[UserError], list[str]]:  # fmt: skip
    """The quarter's amounts typed (`1.250.000`, `1.250.000,50`); a blank line is not entered.
    Returns the errors and the budget codes in the order sent."""
    lines: list[dict[str, str]] = []
    invalid: list[UserError] = []
    for item in report["budgetItems"]:
        text = str(posted.get(f"anggaran-{item['code']}", "")).strip()
        if not text:
            continue
        amount = parse_number(text)
        if amount is None:
            invalid.append(UserError("INVALID_NUMBER", f"anggaran-{item['code']}", NOT_A_NUMBER))
            continue
        lines.append({"code": item["code"], "amount": str(Decimal(amount))})
    if invalid:
        return invalid, []
    if not lines:
        return [UserError("EMPTY_BATCH", None, "Isi realisasi paling sedikit satu butir anggaran.")], []
    variables = {"unit": unit, "year": year, "quarter": _quarter(posted), "lines": lines,
                 "key": str(posted.get("kunci", "")) or uuid.uuid4().hex}  # fmt: skip
    errors = await graphql.mutate(request, user.viewer, "SubmitBudgetRealisations", variables)
    return errors, [line["code"] for line in lines]


REACHES = ("UNIT", "AGENCIES", "PEMDA")


async def start_job(graphql: PageGraphQL, sessions: Sessions, request: Request, user: PageUser) -> Response:
    """LKjIP generated in the background (StartLkjipJob), then its progress page; a refusal is
    shown on the LKjIP page above the forms."""
    posted = await request.form()
    unit, year = str(posted.get("unit", "")), _year(posted, today())
    reach = str(posted.get("cakupan", "UNIT"))
    paper = "A4" if posted.get("kertas") == "A4" else "F4"
    variables = {"unit": unit, "year": year, "paper": paper, "reach": reach if reach in REACHES else "UNIT"}
    answer = await graphql.run(request, user.viewer, "StartLkjipJob", variables)
    payload = answer.data.get("startLkjipJob") or {}
    errors = [UserError(e["code"], e.get("field"), e["message"]) for e in payload.get("userErrors", [])]
    if answer.errors or errors or not payload.get("job"):
        problems = errors or [UserError("FAILED", None, "Pembuatan LKjIP tidak dapat dimulai.")]
        return await _show(graphql, request, user, unit, year, errors=problems)
    return see_other(f"/lkjip/tugas/{payload['job']['id']}")


async def job(graphql: PageGraphQL, sessions: Sessions, request: Request, user: PageUser) -> Response:
    """A job's progress, refreshed every two seconds until it ends, and its documents."""
    answer = await graphql.run(request, user.viewer, "LkjipJobPage", {"id": request.path_params["id"]})
    found = answer.data.get("lkjipJob")
    if found is None:
        return refused(request, user, "Tugas pembuatan LKjIP ini tidak ditemukan untuk akun Anda.")
    return page(request, user, "lkjip_tugas.html", job=found, running=found["state"] in ("QUEUED", "RUNNING"))
