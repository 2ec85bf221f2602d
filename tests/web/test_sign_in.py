"""Masuk and keluar: session cookies, CSRF, session fixation, open redirects and idle sessions."""

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import text

from actions import sessions
from domain.sessions import ABSOLUTE_TIMEOUT, IDLE_TIMEOUT, SessionTimes, is_live
from store import identity
from store.database import create_engine
from store.roles import as_role
from tests.web.pages import Pages
from web.sessions import CSRF_COOKIE, SESSION_COOKIE


@pytest.fixture
async def pages(fresh_url: str) -> AsyncIterator[Pages]:
    async with Pages.serving(fresh_url) as served:
        yield served


async def test_signing_in_sets_an_http_only_lax_session_cookie_and_opens_the_dashboard(pages: Pages) -> None:
    form = await pages.get("/masuk")
    assert form.status_code == 200 and 'lang="id"' in form.text
    assert CSRF_COOKIE in pages.client.cookies
    response = await pages.sign_in("admin.61")
    assert response.headers["location"] == "/dasbor"
    cookie = next(h for h in response.headers.get_list("set-cookie") if h.startswith(SESSION_COOKIE))
    assert "HttpOnly" in cookie and "SameSite=lax" in cookie and "Secure" not in cookie
    dashboard = await pages.get("/dasbor")
    assert dashboard.status_code == 200
    assert "Dasbor Kalimantan Barat" in dashboard.text and "Admin Biro Organisasi" in dashboard.text


@pytest.mark.parametrize(
    ("username", "workspace"),
    [("quality_assurer.61", "/evaluasi"), ("verifier.61.71", "/verifikasi-kinerja"), ("staf.61.71.dinkes", "/skp")],
)
async def test_signing_in_without_reading_values_opens_the_users_workspaces(
    pages: Pages, username: str, workspace: str
) -> None:
    """Signing in leads to the dashboard; one who reads no achievement sees its workspaces there
    instead of a refusal."""
    assert (await pages.sign_in(username)).headers["location"] == "/dasbor"
    landing = await pages.get("/dasbor")
    assert landing.status_code == 200 and "Akses ditolak" not in landing.text
    assert f'<li><a href="{workspace}">' in landing.text and 'href="/isian"' not in landing.text


async def test_a_wrong_password_is_shown_inline_and_starts_no_session(pages: Pages) -> None:
    response = await pages.post("/masuk", {"username": "admin.61", "password": "salah"})
    assert response.status_code == 400
    assert "Nama pengguna atau kata sandi salah." in response.text
    assert 'aria-invalid="true"' in response.text and 'value="admin.61"' in response.text
    assert SESSION_COOKIE not in pages.client.cookies
    assert (await pages.get("/dasbor")).headers["location"] == "/masuk?lanjut=%2Fdasbor"


async def test_a_form_without_its_csrf_token_is_refused(pages: Pages) -> None:
    await pages.get("/masuk")
    refused = await pages.client.post("/masuk", data={"username": "admin.61", "password": "kinerja-demo"})
    assert refused.status_code == 403 and "Formulir kedaluwarsa" in refused.text
    forged = await pages.client.post(
        "/masuk", data={"username": "admin.61", "password": "kinerja-demo", "csrf": "tebakan"}
    )
    assert forged.status_code == 403
    assert SESSION_COOKIE not in pages.client.cookies


async def test_signed_in_posts_need_the_session_token_not_the_signed_out_one(pages: Pages) -> None:
    signed_out_token = await pages.csrf_of("/masuk")
    await pages.sign_in("operator.61.71.dinkes")
    refused = await pages.client.post("/keluar", data={"csrf": signed_out_token})
    assert refused.status_code == 403
    assert (await pages.get("/dasbor")).status_code == 200


async def test_a_session_id_planted_before_sign_in_is_worth_nothing_after_it(pages: Pages) -> None:
    """Session fixation: the attacker's cookie value is replaced, and a session the browser had
    before signing in again ends."""
    pages.client.cookies.set(SESSION_COOKIE, "dipasang-penyerang", domain="kinerja.test")
    await pages.sign_in("operator.61.71")
    first = pages.client.cookies[SESSION_COOKIE]
    assert first != "dipasang-penyerang"
    await pages.sign_in("admin.61.71")
    second = pages.client.cookies[SESSION_COOKIE]
    assert second != first
    stale = pages.another_browser()
    stale.client.cookies.set(SESSION_COOKIE, first, domain="kinerja.test")
    assert (await stale.get("/dasbor")).status_code == 303


async def test_signing_out_ends_the_session_on_the_server(pages: Pages) -> None:
    await pages.sign_in("reviewer.61")
    cookie = pages.client.cookies[SESSION_COOKIE]
    response = await pages.post("/keluar", {}, csrf_from="/dasbor")
    assert response.status_code == 303 and response.headers["location"] == "/"
    replayed = pages.another_browser()
    replayed.client.cookies.set(SESSION_COOKIE, cookie, domain="kinerja.test")
    assert (await replayed.get("/dasbor")).status_code == 303


@pytest.mark.parametrize("target", ["//evil.example/", "https://evil.example/", "/\\evil.example"])
async def test_sign_in_never_redirects_off_the_site(pages: Pages, target: str) -> None:
    response = await pages.post("/masuk", {"username": "admin.61", "password": "kinerja-demo", "lanjut": target})
    assert response.headers["location"] == "/dasbor"


async def test_sign_in_returns_to_the_page_that_asked_for_it(pages: Pages) -> None:
    asked = await pages.get("/isian?tahun=2026&triwulan=3")
    assert asked.headers["location"] == "/masuk?lanjut=%2Fisian%3Ftahun%3D2026%26triwulan%3D3"
    form = await pages.get(asked.headers["location"])
    assert 'name="lanjut" value="/isian?tahun=2026&amp;triwulan=3"' in form.text
    response = await pages.post(
        "/masuk", {"username": "operator.61.71.dinkes", "password": "kinerja-demo", "lanjut": "/isian?tahun=2026"}
    )
    assert response.headers["location"] == "/isian?tahun=2026"


def test_a_session_ends_when_idle_or_a_working_day_after_sign_in() -> None:
    start = datetime(2026, 10, 1, 8, tzinfo=UTC)
    fresh = SessionTimes(created_at=start, last_seen_at=start, ended_at=None)
    assert is_live(fresh, now=start + IDLE_TIMEOUT - timedelta(seconds=1))
    assert not is_live(fresh, now=start + IDLE_TIMEOUT)
    busy = SessionTimes(created_at=start, last_seen_at=start + ABSOLUTE_TIMEOUT - timedelta(minutes=1), ended_at=None)
    assert not is_live(busy, now=start + ABSOLUTE_TIMEOUT)
    assert not is_live(SessionTimes(start, start, ended_at=start), now=start)


async def test_an_idle_session_is_ended_in_the_database(fresh_url: str) -> None:
    engine = create_engine(as_role(fresh_url), pool_size=1)
    start = datetime(2026, 10, 1, 8, tzinfo=UTC)
    try:
        async with engine.begin() as conn:
            user = await identity.user_by_username(conn, "operator.61.71")
            assert user is not None
            started = await sessions.start_session(
                conn, user_id=user.id, client_address="10.0.0.1", now=start, replacing=None
            )
            used = await sessions.resume_session(
                conn, cookie_secret=started.cookie_secret, now=start + timedelta(minutes=20)
            )
            assert used is not None and used.username == "operator.61.71"
            # Used at minute 20, so still live at minute 45; idle by minute 51.
            assert await sessions.resume_session(
                conn, cookie_secret=started.cookie_secret, now=start + timedelta(minutes=45)
            )
            assert (
                await sessions.resume_session(
                    conn, cookie_secret=started.cookie_secret, now=start + timedelta(minutes=81)
                )
                is None
            )
            assert await sessions.resume_session(conn, cookie_secret=started.cookie_secret, now=start) is None
            # A week later the next sign-in forgets the row; the fresh session stays.
            later = await sessions.start_session(
                conn, user_id=user.id, client_address="10.0.0.1", now=start + timedelta(days=8), replacing=None
            )
            count = "SELECT count(*) FROM web_session WHERE user_id = :u"
            assert (await conn.execute(text(count), {"u": user.id})).scalar_one() == 1
            assert await sessions.resume_session(conn, cookie_secret=later.cookie_secret, now=start + timedelta(days=8))
    finally:
        await engine.dispose()
