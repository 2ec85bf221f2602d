"""Masuk and keluar: the Login operation checks the password (with the API's throttle), then the
page keeps a session of its own instead of the token (web/sessions.py)."""

from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from web.graphql import PageGraphQL
from web.rendering import page, see_other
from web.sessions import CSRF_COOKIE, PageUser, Sessions, new_csrf_token


async def form(graphql: PageGraphQL, sessions: Sessions, request: Request, user: PageUser) -> Response:
    """Also for a signed-in user (a shared computer): signing in again ends that session."""
    return _page(request, user, errors=[], username="", next_path=safe_next(request.query_params.get("lanjut")))


async def submit(graphql: PageGraphQL, sessions: Sessions, request: Request, user: PageUser) -> Response:
    posted = await request.form()
    username, password = str(posted.get("username", "")), str(posted.get("password", ""))
    next_path = safe_next(str(posted.get("lanjut", "")))
    answer = await graphql.run(request, sessions.anonymous, "Login", {"username": username, "password": password})
    login = answer.data["login"]
    if login["token"] is None:
        return _page(request, sessions.anonymous_user(request), errors=login["userErrors"], username=username,
                     next_path=next_path)  # fmt: skip
    response = see_other(next_path or "/dasbor")
    await sessions.sign_in(request, response, sessions.user_id_of(login["token"]))
    return response


async def leave(graphql: PageGraphQL, sessions: Sessions, request: Request, user: PageUser) -> Response:
    response = see_other("/")
    await sessions.sign_out(request, response)
    return response


def _page(request: Request, user: PageUser, *, errors: list[Any], username: str, next_path: str) -> Response:
    token = user.csrf_token or new_csrf_token()
    response = page(request, user, "masuk.html", status_code=400 if errors else 200, csrf=token, errors=errors,
                    username=username, next=next_path)  # fmt: skip
    if token != request.cookies.get(CSRF_COOKIE):
        response.set_cookie(CSRF_COOKIE, token, httponly=True, samesite="lax", secure=request.url.scheme == "https")
    return response


def safe_next(target: str | None) -> str:
    """Only a path of this site (not `//host`, no scheme): anything else would be an open redirect."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return ""
    return target
