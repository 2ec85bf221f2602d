"""The pages' routes, and the rules every page follows: who may open it (signed in, or the
public), the CSRF check of every post, and the answer when an operation fails as a whole."""

from collections.abc import Awaitable, Callable

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Mount, Route
from starlette.types import Receive, Scope, Send

from web import (
    apbd,
    daily_work,
    dashboard,
    entry,
    evaluation,
    lkjip,
    monev,
    portal,
    progress,
    review,
    signin,
    skp,
    staff,
    tpp,
    upload,
    verification,
)
from web.graphql import PageFailure, PageGraphQL
from web.rendering import not_found, page, refused, to_sign_in
from web.sessions import CSRF_FIELD, PageUser, Sessions, csrf_holds
from web.static import assets

PageHandler = Callable[[PageGraphQL, Sessions, Request, PageUser], Awaitable[Response]]
EXPIRED_FORM = "Formulir kedaluwarsa atau tidak berasal dari Kinerja; muat ulang halaman lalu coba lagi."


class Pages:
    def __init__(self, graphql: PageGraphQL, sessions: Sessions) -> None:
        self.graphql = graphql
        self.sessions = sessions

    def routes(self) -> list[BaseRoute]:
        public, signed_in, posted = self.public, self.signed_in, self.posted
        return [
            Route("/", public(portal.overview)),
            Route("/publik/{code}", public(portal.overview)),
            Route("/masuk", public(signin.form), methods=["GET"]),
            Route("/masuk", posted(signin.submit, signed_in=False), methods=["POST"]),
            Route("/keluar", posted(signin.leave, signed_in=False), methods=["POST"]),
            Route("/dasbor", signed_in(dashboard.overview)),
            Route("/dasbor/indikator/{id}", signed_in(dashboard.indicator)),
            Route("/dasbor/rekap.{format}", signed_in(dashboard.export)),
            Route("/dasbor/pengukuran.{format}", signed_in(dashboard.measurement)),
            Route("/isian", signed_in(entry.form), methods=["GET"]),
            Route("/isian", posted(entry.save), methods=["POST"]),
            Route("/isian/templat", signed_in(upload.download), methods=["GET"]),
            Route("/isian/unggah", posted(upload.upload), methods=["POST"]),
            Route("/asistensi", signed_in(review.queue), methods=["GET"]),
            Route("/asistensi/antrean", signed_in(review.queue_rows), methods=["GET"]),
            Route("/asistensi/peristiwa", signed_in(review.live), methods=["GET"]),
            Route("/asistensi/laporan/{id}", signed_in(review.report), methods=["GET"]),
            Route("/asistensi/laporan/{id}", posted(review.act), methods=["POST"]),
            Route("/evaluasi", signed_in(evaluation.overview), methods=["GET"]),
            Route("/evaluasi", posted(evaluation.start), methods=["POST"]),
            Route("/evaluasi/{id}", signed_in(evaluation.detail), methods=["GET"]),
            Route("/evaluasi/{id}", posted(evaluation.act), methods=["POST"]),
            Route("/lkjip", signed_in(lkjip.form), methods=["GET"]),
            Route("/lkjip", posted(lkjip.save), methods=["POST"]),
            Route("/lkjip/tugas", posted(lkjip.start_job), methods=["POST"]),
            Route("/lkjip/tugas/{id}", signed_in(lkjip.job), methods=["GET"]),
            Route("/monev", signed_in(monev.overview), methods=["GET"]),
            Route("/monev/isian", signed_in(progress.form), methods=["GET"]),
            Route("/monev/isian", posted(progress.save), methods=["POST"]),
            Route("/monev/isian/templat", signed_in(progress.download), methods=["GET"]),
            Route("/monev/isian/unggah", posted(progress.upload), methods=["POST"]),
            Route("/monev", posted(monev.act), methods=["POST"]),
            Route("/kinerja-harian", signed_in(daily_work.form), methods=["GET"]),
            Route("/kinerja-harian", posted(daily_work.save), methods=["POST"]),
            Route("/anggaran", signed_in(apbd.form), methods=["GET"]),
            Route("/anggaran/unggah", posted(apbd.upload), methods=["POST"]),
            Route("/pegawai/impor", signed_in(staff.form), methods=["GET"]),
            Route("/pegawai/impor", posted(staff.upload), methods=["POST"]),
            Route("/skp", signed_in(skp.form), methods=["GET"]),
            Route("/skp", posted(skp.act), methods=["POST"]),
            Route("/verifikasi-kinerja", signed_in(verification.form), methods=["GET"]),
            Route("/verifikasi-kinerja", posted(verification.act), methods=["POST"]),
            Route("/tpp", signed_in(tpp.form), methods=["GET"]),
            Route("/tpp", posted(tpp.act), methods=["POST"]),
            Route("/tpp/kehadiran.xlsx", signed_in(tpp.facts_template), methods=["GET"]),
            Route("/tpp/kehadiran", posted(tpp.facts_upload), methods=["POST"]),
            Route("/pengembang", public(portal.developers)),
            Route("/skema.graphql", public(portal.schema_text)),
            Mount("/aset", app=assets()),
        ]

    async def missing(self, scope: Scope, receive: Receive, send: Send) -> None:
        """The pages' 404, for any path no page or API answers."""
        request = Request(scope, receive)
        response = not_found(request, await self.sessions.user_of(request))
        await response(scope, receive, send)

    def public(self, handler: PageHandler) -> Callable[[Request], Awaitable[Response]]:
        async def handle(request: Request) -> Response:
            return await self._answer(request, await self.sessions.user_of(request), handler)

        return handle

    def signed_in(self, handler: PageHandler) -> Callable[[Request], Awaitable[Response]]:
        async def handle(request: Request) -> Response:
            user = await self.sessions.user_of(request)
            if not user.signed_in:
                return to_sign_in(request)
            return await self._answer(request, user, handler)

        return handle

    def posted(self, handler: PageHandler, *, signed_in: bool = True) -> Callable[[Request], Awaitable[Response]]:
        """A form post: refused without the form's CSRF token (signed out: the cookie's)."""

        async def handle(request: Request) -> Response:
            user = await self.sessions.user_of(request)
            if signed_in and not user.signed_in:
                return to_sign_in(request)
            # The form's uploaded files are closed when the answer is ready.
            async with request.form() as form:
                if not csrf_holds(user, form.get(CSRF_FIELD)):
                    return refused(request, user, EXPIRED_FORM)
                return await self._answer(request, user, handler)

        return handle

    async def _answer(self, request: Request, user: PageUser, handler: PageHandler) -> Response:
        try:
            return await handler(self.graphql, self.sessions, request, user)
        except PageFailure as failure:
            return page(request, user, "galat.html", status_code=400, title="Permintaan tidak dapat dilayani",
                        message=str(failure))  # fmt: skip
