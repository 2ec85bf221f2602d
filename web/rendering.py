"""Templates (Jinja2, autoescaped) and the answers every page shares: the layout's navigation,
the error page, redirects after a post."""

from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response

from policies.permissions import Permission
from web.format import FILTERS
from web.sessions import PageUser

TEMPLATES = Path(__file__).resolve().parent / "templates"
environment = Environment(
    loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(["html"]), trim_blocks=True, lstrip_blocks=True
)
environment.filters.update(FILTERS)
# Pages carry personal data: never kept by a shared cache, not stored for the back button. The
# policy lets a page run only this server's scripts (the chart data are JSON, not code), be framed
# by no one (clickjacking), and name no address of ours to other sites.
PAGE_HEADERS = {
    "cache-control": "no-store",
    "content-security-policy": "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; frame-ancestors 'none'; form-action 'self'; base-uri 'none'",
    "x-content-type-options": "nosniff",
    "referrer-policy": "same-origin",
}


def navigation(user: PageUser) -> list[tuple[str, str]]:
    """The workspaces the user's grants open (a link never leads to a page that would refuse)."""
    links = [("/", "Portal publik")]
    if user.signed_in:
        viewer = user.viewer
        links.append(("/dasbor", "Dasbor"))
        # Every account may be an employee's; the page says so when it is not.
        links.append(("/kinerja-harian", "Kinerja harian"))
        links.append(("/skp", "SKP"))
        links.append(("/tpp", "TPP"))
        if viewer.may_anywhere(Permission.VERIFY_ACTIVITY):
            links.append(("/verifikasi-kinerja", "Verifikasi"))
        if viewer.may_anywhere(Permission.WRITE_VALUES):
            links.append(("/isian", "Isian"))
        if viewer.may_anywhere(Permission.REVIEW_REPORTS):
            links.append(("/asistensi", "Asistensi"))
        if viewer.may_anywhere(Permission.READ_EVALUATIONS) or viewer.may_anywhere(Permission.CONDUCT_EVALUATIONS):
            links.append(("/evaluasi", "Evaluasi"))
        if viewer.may_anywhere(Permission.WRITE_LKJIP):
            links.append(("/lkjip", "LKjIP"))
        if viewer.may_anywhere(Permission.READ_VALUES):
            links.append(("/monev", "Monev"))
        if viewer.may_anywhere(Permission.MANAGE_PERSONNEL):
            links.append(("/pegawai/impor", "Pegawai"))
        if viewer.may_anywhere(Permission.IMPORT_BUDGET):
            links.append(("/anggaran", "Anggaran"))
    links.append(("/pengembang", "API"))
    return links


def page(request: Request, user: PageUser, template: str, status_code: int = 200, **values: Any) -> HTMLResponse:
    body = environment.get_template(template).render(
        request=request, user=user, navigation=navigation(user), path=request.url.path, **values
    )
    return HTMLResponse(body, status_code=status_code, headers=PAGE_HEADERS)


def refused(request: Request, user: PageUser, message: str = "Anda tidak memiliki akses ke halaman ini.") -> Response:
    """403: the same page whatever was asked for, so nothing about it leaks."""
    return page(request, user, "galat.html", status_code=403, title="Akses ditolak", message=message)


def not_found(request: Request, user: PageUser) -> Response:
    return page(request, user, "galat.html", status_code=404, title="Halaman tidak ditemukan", message=(
        "Alamat ini tidak menunjuk ke halaman Kinerja."))  # fmt: skip


def to_sign_in(request: Request) -> Response:
    target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    return RedirectResponse(f"/masuk?{urlencode({'lanjut': target})}", status_code=303)


def see_other(location: str) -> Response:
    return RedirectResponse(location, status_code=303)
