"""Asistensi (reviewer): the queue of submitted reports in scope, refreshed in place while the
page is open; a report beside last quarter's figures, its threads of comments; return with a
comment, approve, correct a value with a reason."""

import asyncio
import json
from collections.abc import AsyncIterator
from decimal import Decimal
from typing import Any

from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import Response, StreamingResponse

from domain.months import month_name, months_of
from policies.viewer import Viewer
from schema.context import today
from web.dashboard import home_scope
from web.entry import NOT_A_NUMBER, parse_number, reported_by
from web.figures import YEARS, period_of
from web.graphql import PageGraphQL, UserError
from web.rendering import page, refused, see_other
from web.sessions import PageUser, Sessions

WAITING = ("SUBMITTED",)


async def _queue(graphql: PageGraphQL, request: Request, user: PageUser) -> dict[str, Any] | None:
    scope = request.query_params.get("lingkup") or await home_scope(graphql, request, user)
    if scope is None:
        return None
    year, quarter = period_of(request, today())
    quarter = quarter or 1
    answer = await graphql.run(request, user.viewer, "Compliance", {"scope": scope, "year": year, "quarter": quarter})
    rows = answer.data["reportingCompliance"]
    waiting = sorted((row for row in rows if row["state"] in WAITING), key=lambda row: row["submittedAt"] or "")
    return {"scope": scope, "year": year, "quarter": quarter, "waiting": waiting, "rows": rows, "years": YEARS}


async def queue(graphql: PageGraphQL, sessions: Sessions, request: Request, user: PageUser) -> Response:
    found = await _queue(graphql, request, user)
    if found is None:
        return refused(request, user, "Akun ini belum memiliki wilayah kerja.")
    return page(request, user, "asistensi.html", **found)


async def queue_rows(graphql: PageGraphQL, sessions: Sessions, request: Request, user: PageUser) -> Response:
    """The queue's table alone: the page's script swaps it in every few seconds."""
    found = await _queue(graphql, request, user)
    if found is None:
        return refused(request, user)
    return page(request, user, "asistensi_antrean.html", **found)


KEEP_ALIVE_SECONDS = 15.0  # a comment line, so that proxies keep an idle stream open


async def live(graphql: PageGraphQL, sessions: Sessions, request: Request, user: PageUser) -> Response:
    """Server-sent events: one `laporan` event per report transition under the queue's scope (the
    ReportEvents subscription, with its authorisation); the page's script then fetches the queue."""
    scope = request.query_params.get("lingkup") or await home_scope(graphql, request, user)
    if scope is None:
        return refused(request, user)

    async def still_signed_in() -> Viewer | None:
        current = await sessions.user_of(request, activity=False)
        return current.viewer if current.signed_in else None

    events = graphql.events(request, user.viewer, "ReportEvents", {"scope": scope}, still_signed_in)
    return StreamingResponse(
        with_keep_alive(events), media_type="text/event-stream", headers={"cache-control": "no-store"}
    )


async def with_keep_alive(events: AsyncIterator[dict[str, Any]]) -> AsyncIterator[str]:
    yield "retry: 5000\n\n"
    upcoming: asyncio.Future[dict[str, Any]] | None = None
    try:
        while True:
            upcoming = upcoming or asyncio.ensure_future(anext(events))
            done, _ = await asyncio.wait({upcoming}, timeout=KEEP_ALIVE_SECONDS)
            if not done:
                yield ": tetap terhubung\n\n"
                continue
            try:
                event = upcoming.result()
            except StopAsyncIteration:
                return
            upcoming = None
            yield f"event: laporan\ndata: {json.dumps(event['reportStatusChanged'])}\n\n"
    finally:
        if upcoming is not None:
            upcoming.cancel()


async def _report(graphql: PageGraphQL, request: Request, user: PageUser, report_id: str) -> dict[str, Any] | None:
    period = (await graphql.run(request, user.viewer, "ReportPeriod", {"report": report_id})).data["node"]
    if not period or "year" not in period or period["quarter"] is None or period["orgUnit"] is None:
        return None
    reported = reported_by(period["orgUnit"]["id"], period["orgUnit"]["kind"])
    if reported is None:
        return None
    year, quarter = period["year"], period["quarter"]
    previous_year, previous_quarter = (year - 1, 4) if quarter == 1 else (year, quarter - 1)
    variables = {"report": report_id, "indicators": reported, "year": year, "previousYear": previous_year}
    answer, indicators = await graphql.with_all_indicators(request, user.viewer, "ReviewReport", variables)
    report = answer["node"]
    if not report or report.get("orgUnit") is None:
        return None
    about = comment_subjects(report["comments"])
    rows = []
    for indicator in indicators:
        if indicator["retiredFromYear"] is not None and indicator["retiredFromYear"] <= year:
            continue
        rows.append(
            {
                "indicator": indicator,
                "target": next((t for t in indicator["targets"] if t["quarter"] == quarter), None),
                "annual_target": next((t for t in indicator["targets"] if t["quarter"] is None), None),
                "current": next((r for r in indicator["current"] if r["quarter"] == quarter), None),
                "previous": next((r for r in indicator["previous"] if r["quarter"] == previous_quarter), None),
                "months": _months(indicator, quarter),
                "comments": [c for c in report["comments"] if about.get(c["id"]) == indicator["id"]],
            }
        )
    general = [c for c in report["comments"] if about.get(c["id"]) is None]
    return {"report": report, "rows": rows, "general_comments": general, "previous_quarter": previous_quarter,
            "previous_year": previous_year}  # fmt: skip


def _months(indicator: dict[str, Any], quarter: int) -> list[dict[str, Any]]:
    """The months of the quarter of an indicator that reports monthly (each with its stored
    value, if any); none for a quarterly one."""
    if indicator.get("reportingFrequency") != "MONTHLY":
        return []
    stored = {m["month"]: m for m in indicator["monthlyRealisations"]}
    return [{"month": month, "name": month_name(month), "stored": stored.get(month)} for month in months_of(quarter)]


def comment_subjects(comments: list[dict[str, Any]]) -> dict[str, str | None]:
    """Each comment's indicator id, a reply's being its thread's (a reply may name none)."""
    by_id = {comment["id"]: comment for comment in comments}

    def subject(comment: dict[str, Any]) -> str | None:
        if comment["indicator"] is not None:
            return str(comment["indicator"]["id"])
        parent = by_id.get(comment["parentId"] or "")
        return subject(parent) if parent is not None and parent is not comment else None

    return {comment["id"]: subject(comment) for comment in comments}


async def report(graphql: PageGraphQL, sessions: Sessions, request: Request, user: PageUser) -> Response:
    found = await _report(graphql, request, user, request.path_params["id"])
    if found is None:
        return refused(request, user)
    return page(request, user, "laporan.html", errors=[], message=request.query_params.get("pesan"), **found)


async def act(graphql: PageGraphQL, sessions: Sessions, request: Request, user: PageUser) -> Response:
    report_id = request.path_params["id"]
    found = await _report(graphql, request, user, report_id)
    if found is None:
        return refused(request, user)
    posted = await request.form()
    action = str(posted.get("aksi", ""))
    comment = str(posted.get("komentar", "")).strip()
    errors: list[UserError]
    if action == "kembalikan":
        errors = await graphql.mutate(request, user.viewer, "ReturnReport", {"report": report_id, "comment": comment})
    elif action == "setujui":
        errors = await graphql.mutate(
            request, user.viewer, "ApproveReport", {"report": report_id, "comment": comment or None}
        )
    elif action == "komentar":
        variables = {"report": report_id, "body": comment, "indicator": str(posted.get("indikator") or "") or None,
                     "parent": str(posted.get("balasan") or "") or None}  # fmt: skip
        errors = await graphql.mutate(request, user.viewer, "AddComment", variables)
    elif action == "koreksi":
        errors = await _correct(graphql, request, user, posted, found)
    else:
        return refused(request, user, "Tindakan tidak dikenal.")
    if errors:
        return page(request, user, "laporan.html", status_code=400, errors=errors, message=None, posted=posted,
                    **found)  # fmt: skip
    return see_other(f"/asistensi/laporan/{report_id}?pesan={action}")


async def _correct(
    graphql: PageGraphQL, request: Request, user: PageUser, posted: FormData, found: dict[str, Any]
) -> list[UserError]:
    indicator = str(posted.get("indikator", ""))
    row = next((r for r in found["rows"] if r["indicator"]["id"] == indicator), None)
    # A monthly indicator is corrected a month at a time (`bulan`), a quarterly one as a whole.
    asked = str(posted.get("bulan", ""))
    month = next((m for m in (row or {}).get("months", []) if str(m["month"]) == asked), None)
    corrected = month["stored"] if month else (None if row is None or row["months"] else row["current"])
    if row is None or corrected is None:
        return [UserError("NOT_FOUND", "indikator", "Realisasi yang dikoreksi tidak ditemukan.")]
    value = parse_number(str(posted.get("nilai", "")))
    if value is None:
        return [UserError("INVALID_NUMBER", "nilai", NOT_A_NUMBER)]
    variables = {
        "indicator": indicator,
        "year": found["report"]["year"],
        "quarter": found["report"]["quarter"],
        "value": str(Decimal(value)),
        "reason": str(posted.get("alasan", "")),
        "expectedVersion": corrected["version"],
        "month": month["month"] if month else None,
    }
    return await graphql.mutate(request, user.viewer, "CorrectRealisation", variables)
