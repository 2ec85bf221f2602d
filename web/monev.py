"""Monev (pages): a government's ranking for a month or a quarter with its zones and early
warnings, the leader's publication, the reward and punishment list with its confirmation and the
follow-up of each item. Every write is the API's mutation; its userErrors show inline."""

from dataclasses import dataclass
from datetime import date
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from domain.notation import MONTHS
from policies.permissions import Permission
from schema.context import today
from web.dashboard import home_scope
from web.figures import YEARS
from web.graphql import PageGraphQL, UserError
from web.rendering import page, refused, see_other
from web.sessions import PageUser, Sessions

# The badge a zone wears: the five Permendagri categories keep their own colours; the traffic
# lights borrow them; any other zone a rule names is shown plain; incomplete data is hatched grey.
ZONE_BADGES = {"HIJAU": "TINGGI", "KUNING": "SEDANG", "MERAH": "SANGAT_RENDAH", "DATA_BELUM_LENGKAP": "incomplete"}
PRESET_BADGES = {"SANGAT_TINGGI", "TINGGI", "SEDANG", "RENDAH", "SANGAT_RENDAH"}
WARNINGS = {
    "BELOW_THRESHOLD": "di bawah ambang",
    "INCOMPLETE": "data belum lengkap",
    "NOT_REPORTED": "belum update",
}


def zone_badge(code: str) -> str:
    return ZONE_BADGES.get(code, code if code in PRESET_BADGES else "zone")


@dataclass(frozen=True)
class Period:
    year: int
    quarter: int | None
    month: int | None
    units: str | None = None  # a province's ranking of every perangkat daerah: PERANGKAT_DAERAH

    @property
    def variables(self) -> dict[str, int | str | None]:
        return {"year": self.year, "quarter": self.quarter, "month": self.month, "units": self.units}

    @property
    def query(self) -> str:
        units = f"&unit={self.units}" if self.units else ""
        return f"tahun={self.year}&" + (f"bulan={self.month}" if self.month else f"triwulan={self.quarter}") + units


def month_asked(values: Any, today: date) -> tuple[int, int]:
    """`?tahun=&bulan=`; by default the month last ended."""
    year = today.year if today.month > 1 else today.year - 1
    month = today.month - 1 or 12
    given_year, given_month = str(values.get("tahun", "")), str(values.get("bulan", ""))
    if given_year.isdigit() and int(given_year) in YEARS:
        year = int(given_year)
    if given_month.isdigit() and 1 <= int(given_month) <= 12:
        month = int(given_month)
    return year, month


def period_asked(values: Any, today: date) -> Period:
    """A month (`month_asked`), or `?triwulan=` without `bulan`; `&unit=PERANGKAT_DAERAH` for a
    province's every perangkat daerah."""
    year, month = month_asked(values, today)
    given_quarter = str(values.get("triwulan", ""))
    units = "PERANGKAT_DAERAH" if values.get("unit") == "PERANGKAT_DAERAH" else None
    if given_quarter in ("1", "2", "3", "4") and not values.get("bulan"):
        return Period(year, int(given_quarter), None, units)
    return Period(year, None, month, units)


async def _government(graphql: PageGraphQL, request: Request, user: PageUser, asked: str | None) -> str | None:
    scope = asked or await home_scope(graphql, request, user)
    if scope is None:
        return None
    node = (await graphql.run(request, user.viewer, "MonevScope", {"scope": scope})).data["node"]
    if not node:
        return None
    return str(node["id"]) if "id" in node else str((node.get("government") or {}).get("id") or "") or None


async def _show(
    graphql: PageGraphQL, request: Request, user: PageUser, values: Any, errors: list[UserError], status: int = 200
) -> Response:
    scope = await _government(graphql, request, user, str(values.get("lingkup") or "") or None)
    if scope is None:
        return refused(request, user, "Akun ini belum memiliki wilayah kerja.")
    period = period_asked(values, today())
    answer = await graphql.run(request, user.viewer, "MonevPage", {"scope": scope, **period.variables})
    government = answer.data["government"]
    if not government:
        return refused(request, user)
    ranking = answer.data["ranking"]
    viewer = user.viewer
    root = (government.get("rootUnit") or {}).get("id")
    own = [p for p in answer.data["plans"] or [] if (p["orgUnit"] or {}).get("id") == root and p["currentVersion"]]
    return page(
        request, user, "monev.html", status_code=status, scope=scope, government=government, period=period,
        ranking=ranking, rewards=answer.data["rewardList"], problems=[e.message for e in answer.errors],
        errors=errors, posted=values if errors else None, months=MONTHS, years=list(YEARS), zone_badge=zone_badge,
        warning_names=WARNINGS, warned=[row for row in (ranking or {}).get("rows", []) if row["warnings"]],
        may_publish=viewer.may_anywhere(Permission.PUBLISH_RANKINGS),
        may_confirm=viewer.may_anywhere(Permission.CONFIRM_REWARDS),
        may_follow_up=viewer.may_anywhere(Permission.FOLLOW_UP_REWARDS),
        may_enter=viewer.may_anywhere(Permission.WRITE_MONEV),
        rpjmd=next((p for p in own if p["startYear"] <= period.year <= p["endYear"]), None),
    )  # fmt: skip


async def overview(graphql: PageGraphQL, sessions: Sessions, request: Request, user: PageUser) -> Response:
    return await _show(graphql, request, user, request.query_params, [])


async def act(graphql: PageGraphQL, sessions: Sessions, request: Request, user: PageUser) -> Response:
    """Terbitkan peringkat, tetapkan daftar, or a follow-up: the API's mutation, then back to the
    period; refused input shows beside the form that sent it."""
    posted = await request.form()
    scope = str(posted.get("lingkup", ""))
    period = period_asked(posted, today())
    action = posted.get("aksi")
    if action == "terbitkan":
        errors = await graphql.mutate(
            request, user.viewer, "PublishRanking", {"input": {"scope": scope, **period.variables}}
        )
    elif action == "tetapkan":
        errors = await graphql.mutate(
            request, user.viewer, "ConfirmRewardList", {"input": {"scope": scope, **period.variables}}
        )
    elif action == "tindak-lanjut":
        errors = await _follow_up(graphql, request, user, posted)
    else:
        errors = [UserError("INVALID", None, "Tindakan tidak dikenal.")]
    if errors:
        return await _show(graphql, request, user, posted, errors, status=400)
    return see_other(f"/monev?lingkup={scope}&{period.query}&pesan={action}")


async def _follow_up(graphql: PageGraphQL, request: Request, user: PageUser, posted: Any) -> list[UserError]:
    version = str(posted.get("versi", ""))
    done_on = str(posted.get("tanggal", "")).strip()
    given = {
        "itemId": str(posted.get("butir", "")),
        "done": posted.get("selesai") == "ya",
        "doneOn": done_on or None,
        "note": str(posted.get("catatan", "")),
        "expectedVersion": int(version) if version.isdigit() else None,
    }
    if done_on:
        try:
            date.fromisoformat(done_on)
        except ValueError:
            return [UserError("INVALID_DATE", "doneOn", "Tanggal tidak sah; gunakan format tahun-bulan-hari.")]
    return await graphql.mutate(request, user.viewer, "RecordRewardFollowUp", {"input": given})
