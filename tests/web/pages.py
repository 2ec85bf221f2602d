"""A page client over HTTP (httpx against the ASGI app, cookies kept): signs in through the
form as a browser would, and reads the CSRF token out of the pages it is given."""

import html
import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any, Self

import httpx

from server import create_app
from tests.api.client import DEMO_PASSWORD, TEST_SECRET, counted_engine

CSRF = re.compile(r'name="csrf" value="([^"]*)"')


def text_of(response: httpx.Response) -> str:
    """A page's words: tags dropped, entities read, spaces collapsed."""
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", response.text)))


class Pages:
    def __init__(self, client: httpx.AsyncClient, counter: list[int] | None = None) -> None:
        self.client = client
        self._counter = counter if counter is not None else [0]

    @property
    def statements(self) -> int:
        """SQL statements the server ran so far (all browsers of this server)."""
        return self._counter[0]

    @classmethod
    @asynccontextmanager
    async def serving(cls, url: str, **options: Any) -> AsyncIterator[Self]:
        engine, counter = counted_engine(url)
        try:
            app = create_app(engine, secret=TEST_SECRET, **options)
            transport = httpx.ASGITransport(app=app)
            async with httpx.AsyncClient(transport=transport, base_url="http://kinerja.test") as client:
                yield cls(client, counter)
        finally:
            await engine.dispose()

    def another_browser(self) -> Self:
        """The same server, a browser with no cookies."""
        transport = self.client._transport
        return type(self)(httpx.AsyncClient(transport=transport, base_url=self.client.base_url), self._counter)

    async def get(self, path: str) -> httpx.Response:
        return await self.client.get(path)

    async def csrf_of(self, path: str) -> str:
        response = await self.get(path)
        found = CSRF.search(response.text)
        assert found, f"no CSRF token on {path}: {response.status_code}"
        return found.group(1)

    async def post(self, path: str, data: dict[str, str], *, csrf_from: str | None = None) -> httpx.Response:
        """A form post with the token of the page it was on (`csrf_from`, default `path`)."""
        form = {"csrf": await self.csrf_of(csrf_from or path), **data}
        return await self.client.post(path, data=form)

    async def sign_in(self, username: str, password: str = DEMO_PASSWORD) -> httpx.Response:
        response = await self.post("/masuk", {"username": username, "password": password})
        assert response.status_code == 303, response.text
        return response

    async def statements_of(self, path: str) -> int:
        before = self.statements
        response = await self.get(path)
        assert response.status_code == 200, path
        return self.statements - before
