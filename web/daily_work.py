"""Kinerja harian (pages): an employee's week of activity logs (LKH) with a form to log the day
and a button to submit the week, and, for a superior, the subordinates' weeks awaiting approval,
each approved whole or with entries returned with a note. Every write is LogActivity,
SubmitActivityWeek or ReviewActivityWeek; their userErrors show beside the field they name."""

from datetime import date, timedelta
from typing import Any

from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import Response

from domain.activity import ActivityKind, week_of
from schema.context import today
from web.graphql import PageGraphQL, UserError
from web.rendering import page, refused, see_other
from web.sessions import PageUser, Sessions

KINDS = {
    ActivityKind.HADIR.value: "Hadir",
    ActivityKind.DINAS_LUAR.value: "Dinas luar",
    ActivityKind.CUTI.value: "Cuti",
    ActivityKind.IZIN.value: "Izin",
    ActivityKind.SAKIT.value: "Sakit",
}
STATES = {
    "DRAFT": "Draf", "SUBMITTED": "Diajukan", "APPROVED": "Disetujui", "RETURNED": "Dikembalikan",
    "VERIFIED": "Dinilai", "REJECTED": "Ditolak",
}  # fmt: skip
# The form's field of each input of logActivity.
FIELDS = {"workDate": "tanggal", "startsAt": "mulai", "endsAt": "selesai", "kind": "jenis",
          "description": "uraian", "rhkId": "rhk", "evidenceUrl": "bukti"}  # fmt: skip
MESSAGES = {"dicatat": "Kegiatan tercatat.", "diajukan": "Minggu ini diajukan ke atasan.",
            "diputuskan": "Keputusan atas minggu itu tersimpan."}  # fmt: skip


def _week(values: Any, today: date) -> date:
    """The Monday of the week asked for (`minggu`, any day of it), by default this week's."""
    try:
        return week_of(date.fromisoformat(str(values.get("minggu", ""))))
    except ValueError:
        return week_of(today)


async def form(graphql: PageGraphQL, sessions: Sessions, request: Request, user: PageUser) -> Response:
    monday = _week(request.query_params, today())
    return await _show(graphql, request, user, monday, message=MESSAGES.get(request.query_params.get("pesan", "")))


async def _show(
    graphql: PageGraphQL,
    request: Request,
    user: PageUser,
    monday: date,
    *,
    message: str | None = None,
    errors: list[UserError] | None = None,
    posted: FormData | None = None,
    reviewing: str | None = None,
) -> Response:
    variables = {"from": monday.isoformat(), "to": (monday + timedelta(days=6)).isoformat(), "year": monday.year}
    found = (await graphql.run(request, user.viewer, "DailyWork", variables)).data
    placed: dict[str, list[str]] = {}
    general: list[str] = []
    for error in errors or []:
        name = FIELDS.get(error.field or "")
        if name and reviewing is None:
            placed.setdefault(name, []).append(error.message)
        else:
            general.append(error.message)
    me = found["myEmployee"]
    weeks = {w["weekStart"]: w for w in (me or {}).get("activityWeeks", [])}
    return page(
        request, user, "kinerja_harian.html", status_code=400 if errors else 200, me=me,
        week=weeks.get(monday.isoformat()), monday=monday, days=[monday + timedelta(days=n) for n in range(7)],
        previous=monday - timedelta(days=7), following=monday + timedelta(days=7), pending=found["pendingApprovals"],
        kinds=KINDS, states=STATES, message=message, placed=placed, general=general, posted=posted,
        reviewing=reviewing,
    )  # fmt: skip


async def save(graphql: PageGraphQL, sessions: Sessions, request: Request, user: PageUser) -> Response:
    posted = await request.form()
    monday = _week(posted, today())
    action = posted.get("aksi")
    reviewing = None
    if action == "catat":
        entry = {
            "workDate": str(posted.get("tanggal", "")), "startsAt": str(posted.get("mulai", "")),
            "endsAt": str(posted.get("selesai", "")), "kind": str(posted.get("jenis", "")),
            "description": str(posted.get("uraian", "")), "rhkId": str(posted.get("rhk", "")) or None,
            "evidenceUrl": str(posted.get("bukti", "")).strip() or None,
        }  # fmt: skip
        invalid = _invalid(entry)
        if invalid:
            return await _show(graphql, request, user, monday, errors=invalid, posted=posted)
        errors = await graphql.mutate(request, user.viewer, "LogActivity", {"input": entry})
        done = "dicatat"
    elif action == "ajukan":
        errors = await graphql.mutate(request, user.viewer, "SubmitActivityWeek", {"week": monday.isoformat()})
        done = "diajukan"
    elif action in ("setujui", "kembalikan"):
        reviewing = str(posted.get("pegawai", ""))
        returned = [str(v) for v in posted.getlist("kembalikan")] if action == "kembalikan" else []
        if action == "kembalikan" and not returned:
            errors = [UserError("NOTHING_RETURNED", None, "Centang kegiatan yang dikembalikan.")]
        else:
            review = {"employeeId": reviewing, "weekStart": str(posted.get("pekan", "")), "returnedEntryIds": returned,
                      "note": str(posted.get("catatan", "")).strip() or None}  # fmt: skip
            errors = await graphql.mutate(request, user.viewer, "ReviewActivityWeek", {"input": review})
        done = "diputuskan"
    else:
        return refused(request, user, "Tindakan tidak dikenal.")
    if errors:
        return await _show(graphql, request, user, monday, errors=errors, posted=posted, reviewing=reviewing)
    return see_other(f"/kinerja-harian?minggu={monday.isoformat()}&pesan={done}")


def _invalid(entry: dict[str, Any]) -> list[UserError]:
    """What the API's scalars would refuse before the action could say it in words."""
    errors = []
    try:
        date.fromisoformat(entry["workDate"])
    except ValueError:
        errors.append(UserError("INVALID_DATE", "workDate", "Isi tanggal kegiatan."))
    for name, label in (("startsAt", "mulai"), ("endsAt", "selesai")):
        text = entry[name]
        digits = text[:2] + text[3:]
        if len(text) != 5 or text[2] != ":" or not digits.isdigit() or int(text[:2]) > 23 or int(text[3:]) > 59:
            errors.append(UserError("INVALID_TIME", name, f"Isi jam {label} (JJ:MM)."))
    if entry["kind"] not in KINDS:
        errors.append(UserError("INVALID_KIND", "kind", "Pilih jenis kegiatan."))
    return errors
