"""TPP (pages): every employee's own statements of the year, each component and deduction; and
for the finance unit, a perangkat daerah's month: every employee's statement, "Hitung TPP"
(ComputeTppStatements) and "Bayar" (PayTppMonth, which freezes the month). Errors are the API's
userErrors, shown above the table."""

from datetime import date
from decimal import Decimal
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from policies.permissions import Permission
from web.graphql import PageGraphQL, UserError
from web.monev import month_asked
from web.rendering import page, refused, see_other
from web.sessions import PageUser, Sessions

MESSAGES = {"dihitung": "Rincian TPP bulan ini dihitung.", "dibayar": "TPP bulan ini tercatat dibayar dan dibekukan."}


async def form(graphql: PageGraphQL, sessions: Sessions, request: Request, user: PageUser) -> Response:
    year, month = month_asked(request.query_params, date.today())
    agency = request.query_params.get("unit")
    return await _show(graphql, request, user, year, month, agency, MESSAGES.get(request.query_params.get("pesan", "")))


async def _show(
    graphql: PageGraphQL,
    request: Request,
    user: PageUser,
    year: int,
    month: int,
    agency: str | None,
    message: str | None = None,
    errors: list[UserError] | None = None,
) -> Response:
    found = (await graphql.run(request, user.viewer, "TppPage", {"year": year})).data
    finance = user.viewer.may_anywhere(Permission.COMPUTE_TPP)
    agencies: list[dict[str, Any]] = []
    rows: list[dict[str, Any]] = []
    unit = None
    if finance:
        agencies = await _agencies(graphql, request, user, found["me"])
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
        total=sum(amounts, Decimal(0)), message=message,
        errors=[e.message for e in errors or []],
    )  # fmt: skip


async def _agencies(graphql: PageGraphQL, request: Request, user: PageUser, me: dict[str, Any] | None) -> list[Any]:
    """The perangkat daerah of the governments of the user's FINANCE grants."""
    governments = [
        g["scope"]["id"] for g in (me or {}).get("grants", [])
        if g["role"] == "FINANCE" and g["scope"] and g["scope"]["__typename"] == "Government"
    ]  # fmt: skip
    units: list[Any] = []
    for government in governments:
        node = (await graphql.run(request, user.viewer, "EntryUnits", {"government": government})).data["node"]
        root = (node or {}).get("rootUnit") or {}
        units += [u for u in root.get("children", []) if u["kind"] == "PERANGKAT_DAERAH"]
    return units


async def act(graphql: PageGraphQL, sessions: Sessions, request: Request, user: PageUser) -> Response:
    posted = await request.form()
    year, month = month_asked(posted, date.today())
    agency = str(posted.get("unit", ""))
    action = posted.get("aksi")
    variables = {"agency": agency, "year": year, "month": month}
    if action == "hitung":
        errors, done = await graphql.mutate(request, user.viewer, "ComputeTppStatements", variables), "dihitung"
    elif action == "bayar":
        errors, done = await graphql.mutate(request, user.viewer, "PayTppMonth", variables), "dibayar"
    else:
        return refused(request, user, "Tindakan tidak dikenal.")
    if errors:
        return await _show(graphql, request, user, year, month, agency, errors=errors)
    return see_other(f"/tpp?unit={agency}&tahun={year}&bulan={month}&pesan={done}")
