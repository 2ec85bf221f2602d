"""Signing in and out of the pages: the session cookie and CSRF protection.

- The session cookie (`kinerja_sesi`) is HttpOnly and SameSite=Lax, and Secure when the page was
  served over HTTPS (behind a proxy, uvicorn's --proxy-headers makes that known); its value is a
  random secret whose hash is the session's key (actions/sessions.py).
- Every form post carries a CSRF token that must equal the session's (a signed-out form, the
  sign-in form, the `kinerja_csrf` cookie's: double submit). SameSite=Lax already keeps the
  cookie off cross-site posts; the token also stops a same-site page that is not Kinerja's.
"""

import hmac
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncEngine
from starlette.requests import Request
from starlette.responses import Response

from actions import sessions
from domain.sessions import ABSOLUTE_TIMEOUT, IDLE_TIMEOUT
from identity.tokens import read_access_token
from policies.authoriser import Authoriser
from policies.viewer import Viewer, ViewerKind

SESSION_COOKIE = "kinerja_sesi"
CSRF_COOKIE = "kinerja_csrf"
CSRF_FIELD = "csrf"


@dataclass(frozen=True)
class PageUser:
    """Who is looking at a page: a signed-in user, or the anonymous public viewer."""

    viewer: Viewer
    display_name: str | None
    csrf_token: str

    @property
    def signed_in(self) -> bool:
        return self.viewer.is_authenticated


class Sessions:
    def __init__(
        self, *, engine: AsyncEngine, authoriser: Authoriser, secret: str, idle: timedelta = IDLE_TIMEOUT
    ) -> None:
        self.engine = engine
        self.authoriser = authoriser
        self.secret = secret
        self.idle = idle
        self.anonymous = authoriser.viewer(kind=ViewerKind.ANONYMOUS, user_id=None, username=None, grants=())

    async def user_of(self, request: Request, *, activity: bool = True) -> PageUser:
        """Who sent the request; `activity=False` when it is not the user's doing (a live page's
        stream re-checking), so that it does not keep an idle session open."""
        cookie = request.cookies.get(SESSION_COOKIE)
        if cookie:
            async with self.engine.begin() as conn:
                found = await sessions.resume_session(
                    conn, cookie_secret=cookie, now=_now(), idle=self.idle, touch=activity
                )
            if found is not None:
                viewer = self.authoriser.viewer(
                    kind=ViewerKind.USER, user_id=found.user_id, username=found.username, grants=found.grants
                )
                return PageUser(viewer, found.display_name, found.csrf_token)
        return self.anonymous_user(request)

    def anonymous_user(self, request: Request) -> PageUser:
        """Signed out: forms carry the `kinerja_csrf` cookie's token (double submit)."""
        return PageUser(self.anonymous, None, request.cookies.get(CSRF_COOKIE) or "")

    def user_id_of(self, token: str) -> int:
        """The user a Login operation's token names (the pages keep a session, not the token)."""
        return read_access_token(token, secret=self.secret)

    async def sign_in(self, request: Request, response: Response, user_id: int) -> None:
        """A new session, ending the one the browser came with (no session fixation)."""
        async with self.engine.begin() as conn:
            started = await sessions.start_session(
                conn,
                user_id=user_id,
                client_address=request.client.host if request.client else "unknown",
                now=_now(),
                replacing=request.cookies.get(SESSION_COOKIE),
            )
        response.set_cookie(
            SESSION_COOKIE,
            started.cookie_secret,
            max_age=int(ABSOLUTE_TIMEOUT.total_seconds()),
            httponly=True,
            samesite="lax",
            secure=request.url.scheme == "https",
        )
        response.delete_cookie(CSRF_COOKIE)

    async def sign_out(self, request: Request, response: Response) -> None:
        cookie = request.cookies.get(SESSION_COOKIE)
        if cookie:
            async with self.engine.begin() as conn:
                await sessions.end_session(conn, cookie_secret=cookie, now=_now())
        response.delete_cookie(SESSION_COOKIE)


def new_csrf_token() -> str:
    return secrets.token_urlsafe(32)


def csrf_holds(user: PageUser, submitted: object) -> bool:
    return bool(user.csrf_token) and isinstance(submitted, str) and hmac.compare_digest(user.csrf_token, submitted)


def _now() -> datetime:
    return datetime.now(UTC)
