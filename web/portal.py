"""Portal publik: a government's published achievement by year and quarter, and the page for
third-party developers. Always read as the anonymous viewer, whoever is signed in, so nothing
unpublished can reach it."""

from typing import Any

from starlette.requests import Request
from starlette.responses import HTMLResponse, PlainTextResponse, Response

from schema.context import today
from web.figures import YEARS, figure, period_of, tiles, trend
from web.graphql import PageGraphQL
from web.rendering import PAGE_HEADERS, not_found, page
from web.sessions import PageUser, Sessions
from web.tile_map import positions

PROVINCE = "61"


async def overview(graphql: PageGraphQL, sessions: Sessions, request: Request, user: PageUser) -> Response:
    """Signed-in visitors get the same figures with their own navigation, so only anonymous
    pages are kept."""
    if user.signed_in:
        return await _overview(graphql, sessions, request, user)
    key = (await graphql.snapshot(), str(request.url.path) + "?" + str(request.url.query), today())
    if (body := graphql.kept_pages.get(key)) is not None:
        return HTMLResponse(body, headers=PAGE_HEADERS)
    response = await _overview(graphql, sessions, request, user)
    if response.status_code == 200:
        graphql.kept_pages.keep(key, bytes(response.body))
    return response


async def _overview(graphql: PageGraphQL, sessions: Sessions, request: Request, user: PageUser) -> Response:
    code = request.path_params.get("code", PROVINCE)
    year, quarter = period_of(request, today())
    if "tahun" not in request.query_params:
        year, quarter = today().year - 1, None  # the last year whose results are published
    elif "triwulan" not in request.query_params:
        quarter = None
    named = await graphql.run(request, sessions.anonymous, "PortalGovernment", {"code": code})
    government = named.data["government"]
    if government is None:
        return not_found(request, user)
    variables = {"scope": government["id"], "year": year, "quarter": quarter}
    figures = (await graphql.run(request, sessions.anonymous, "PortalRollup", variables)).data
    rollup = figures["rollup"]
    signed = (
        await graphql.run(request, sessions.anonymous, "PortalDocuments", {"scope": government["id"], "year": year})
    ).data
    documents, reports = signed["performanceAgreements"], lkjip_files(signed["documents"])
    evaluations = signed["evaluations"]  # published FINAL results only: the anonymous viewer's
    suffix = f"?tahun={year}" + (f"&triwulan={quarter}" if quarter else "")

    def portal_link(row: dict[str, Any]) -> str | None:
        scope = row["scope"]
        return f"/publik/{scope['code']}{suffix}" if scope["__typename"] == "Government" else None

    return page(request, user, "portal.html", government=government, overall=figure(rollup), rows=tiles(rollup),
                trend=trend(figures), year=year, quarter=quarter, years=YEARS, portal_link=portal_link,
                placed=positions(code), documents=documents, reports=reports, evaluations=evaluations)  # fmt: skip


def lkjip_files(documents: list[dict[str, Any]]) -> list[tuple[str, int, list[dict[str, Any]]]]:
    """The latest signed LKjIP of each unit: (unit name, version, its files PDF, DOCX, XLSX)."""
    latest: dict[str, tuple[int, list[dict[str, Any]]]] = {}
    for document in documents:
        if document["kind"] == "LKJIP" and document["state"] == "SIGNED":
            name = document["unit"]["name"]
            latest.setdefault(name, (document["version"], []))[1].append(document)
    return [(name, version, files) for name, (version, files) in latest.items()]


async def developers(graphql: PageGraphQL, sessions: Sessions, request: Request, user: PageUser) -> Response:
    return page(request, user, "pengembang.html", digests=graphql.digests())


async def schema_text(graphql: PageGraphQL, sessions: Sessions, request: Request, user: PageUser) -> Response:
    """The schema as SDL, as `schema.graphql` in the repository holds it."""
    return PlainTextResponse(graphql.schema.as_str() + "\n", headers={"cache-control": "public, max-age=3600"})
