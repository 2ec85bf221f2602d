"""Verifikasi kinerja (pages, the verification unit, BKPSDM): a perangkat daerah's month, each
employee's entries by state; one employee's entries of the month, each scored 0–10 or rejected
with a note (ScoreActivities, all or none; "isi yang kosong" gives every unscored approved entry
one score), and "Tutup bulan" (CloseActivityMonth), after which the month is frozen. The API's
userErrors show beside the entry they name."""

import re
from datetime import date
from decimal import Decimal
from typing import Any

from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import Response

from domain.activity import VERIFIABLE
from domain.progress import month_end
from policies.permissions import Permission
from schema.context import today
from web.daily_work import KINDS, STATES
from web.entry import parse_number
from web.granted import agencies_granted
from web.graphql import PageGraphQL, UserError
from web.monev import month_asked
from web.rendering import page, refused, see_other
from web.sessions import PageUser, Sessions

SCORED = {state.value for state in VERIFIABLE}  # the entries the verifier decides
SCORE_AT = re.compile(r"^scores\.(\d+)\.(\w+)$")
MESSAGES = {"dinilai": "Penilaian tersimpan.", "ditutup": "Bulan ditutup: kegiatan dan nilainya kini beku."}
NOT_A_SCORE = "Nilai 0–10, paling banyak dua desimal (mis. 8,5)."


def _asked(values: Any) -> tuple[int, int, str, str]:
    year, month = month_asked(values, today())
    return year, month, str(values.get("unit", "")), str(values.get("pegawai", ""))


def _path(year: int, month: int, agency: str, employee: str = "") -> str:
    chosen = f"&pegawai={employee}" if employee else ""
    return f"/verifikasi-kinerja?unit={agency}&tahun={year}&bulan={month}{chosen}"


async def form(graphql: PageGraphQL, sessions: Sessions, request: Request, user: PageUser) -> Response:
    if not user.viewer.may_anywhere(Permission.VERIFY_ACTIVITY):
        return refused(request, user)
    year, month, agency, employee = _asked(request.query_params)
    message = MESSAGES.get(request.query_params.get("pesan", ""))
    return await _show(graphql, request, user, year, month, agency, employee, message=message)


async def _show(
    graphql: PageGraphQL,
    request: Request,
    user: PageUser,
    year: int,
    month: int,
    agency: str,
    employee: str,
    *,
    message: str | None = None,
    errors: list[UserError] | None = None,
    posted: FormData | None = None,
    sent: list[str] | None = None,
) -> Response:
    me = (await graphql.run(request, user.viewer, "Me", {})).data["me"]
    agencies = await agencies_granted(graphql, request, user, me, "VERIFIER")
    span = {"from": date(year, month, 1).isoformat(), "to": month_end(year, month).isoformat()}
    unit, rows, person, entries = None, [], None, []
    closed = False
    if agency:
        found = await graphql.run(request, user.viewer, "VerificationMonth", {**span, "agency": agency, "year": year})
        unit = found.data["node"]
        if not unit:
            return refused(request, user)
        rows = [_counted(e, month) for e in found.data["employees"]]
        closed = any(r["closed"] for r in rows)
    if agency and employee:
        answer = await graphql.run(request, user.viewer, "VerificationEmployee", {**span, "employee": employee})
        person = answer.data["employee"]
        if not person:
            return refused(request, user)
        entries = [{**e, "decided": _decided(e)} for e in person["activityLogs"] if e["state"] in SCORED]
    placed, general = _placed(errors or [], sent or [])
    totals = {state: sum(r["counts"].get(state, 0) for r in rows) for state in STATES}
    return page(
        request, user, "verifikasi_kinerja.html", status_code=400 if errors else 200, agencies=agencies, unit=unit,
        year=year, month=month, rows=rows, totals=totals, closed=closed, person=person, entries=entries,
        unscored_elsewhere=_others(person), kinds=KINDS, states=STATES, message=message, placed=placed,
        general=general, posted=posted,
    )  # fmt: skip


def _counted(employee: dict[str, Any], month: int) -> dict[str, Any]:
    counts = {c["state"]: c["count"] for c in employee["activityCounts"]}
    score = next((m for m in employee["monthlyScores"] if m["month"] == month), None)
    return {**employee, "counts": counts, "score": score, "closed": bool(score and score["closed"])}


def _decided(entry: dict[str, Any]) -> str:
    """The verifier's decision as it stands (the form sends it back, so that an unchanged row is
    not sent again): "" while unscored."""
    if entry["state"] == "REJECTED":
        return _verdict(None, entry["verifyNote"])
    if entry["state"] == "VERIFIED":
        return _verdict(Decimal(entry["score"]), entry["verifyNote"])
    return ""


def _verdict(score: Decimal | None, note: str | None) -> str:
    shown = "tolak" if score is None else format(score.normalize(), "f")
    return f"{shown}|{note or ''}"


def _others(person: dict[str, Any] | None) -> int:
    """The month's entries the superior has not approved yet: nothing to score until then."""
    return sum(e["state"] not in SCORED for e in (person or {}).get("activityLogs", []))


def _placed(errors: list[UserError], sent: list[str]) -> tuple[dict[str, list[str]], list[str]]:
    """Each error of a score beside its entry (`sent`: the entry ids in the order of the rows
    sent, `scores.N` the N-th); the rest above the table."""
    placed: dict[str, list[str]] = {}
    general: list[str] = []
    for error in errors:
        found = SCORE_AT.match(error.field or "")
        if found and int(found.group(1)) < len(sent):
            placed.setdefault(sent[int(found.group(1))], []).append(error.message)
        else:
            general.append(error.message)
    return placed, general


async def act(graphql: PageGraphQL, sessions: Sessions, request: Request, user: PageUser) -> Response:
    if not user.viewer.may_anywhere(Permission.VERIFY_ACTIVITY):
        return refused(request, user)
    posted = await request.form()
    year, month, agency, employee = _asked(posted)
    action = posted.get("aksi")
    sent: list[str] = []
    if action == "nilai":
        scores, invalid = _scores(posted)
        sent = [row["entryId"] for row in scores]
        if invalid:
            return await _show(
                graphql, request, user, year, month, agency, employee, errors=invalid, posted=posted, sent=sent
            )
        if not scores:
            errors = [UserError("NOTHING_SCORED", None, "Isi nilai atau centang tolak pada kegiatan yang dinilai.")]
        else:
            errors = await graphql.mutate(request, user.viewer, "ScoreActivities", {"scores": scores})
        done = "dinilai"
    elif action == "tutup":
        errors = await graphql.mutate(
            request, user.viewer, "CloseActivityMonth", {"agency": agency, "year": year, "month": month}
        )
        done, employee = "ditutup", ""
    else:
        return refused(request, user, "Tindakan tidak dikenal.")
    if errors:
        return await _show(
            graphql, request, user, year, month, agency, employee, errors=errors, posted=posted, sent=sent
        )
    return see_other(_path(year, month, agency, employee) + f"&pesan={done}")


def _scores(posted: FormData) -> tuple[list[dict[str, Any]], list[UserError]]:
    """The form's rows as scoreActivities' input. A row with neither a score nor a rejection is
    left out, unless "isi yang kosong" gives an unscored one that score; a decimal comma is read.
    A row as it already stands (`lama_…`) is not sent again. Errors are at `scores.N`, N the
    index among the rows sent (`_placed` maps it back)."""
    fill = str(posted.get("isi_kosong", "")).strip()
    rows: list[dict[str, Any]] = []
    invalid: list[UserError] = []
    for entry in [str(v) for v in posted.getlist("entri")]:
        note = str(posted.get(f"catatan_{entry}", "")).strip() or None
        was = str(posted.get(f"lama_{entry}", ""))
        if posted.get(f"tolak_{entry}") == "ya":
            if was != _verdict(None, note):
                rows.append({"entryId": entry, "score": None, "note": note})
            continue
        typed = str(posted.get(f"nilai_{entry}", "")).strip()
        text = typed or (fill if posted.get(f"belum_{entry}") == "ya" else "")
        if not text:
            continue
        score = parse_number(text)
        if score is not None and was == _verdict(score, note):
            continue
        if score is None:
            invalid.append(UserError("INVALID_SCORE", f"scores.{len(rows)}.score", NOT_A_SCORE))
        rows.append({"entryId": entry, "score": str(score) if score is not None else text, "note": note})
    return rows, invalid
