"""A GraphQL client over HTTP (httpx against the ASGI app) that counts SQL statements."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any, Self

import httpx
from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncEngine

from server import DEFAULT_ANSWER_CACHE_SIZE, create_app
from store.database import create_engine
from store.roles import as_role

TEST_SECRET = "test-secret-not-for-production-" + "0123456789" * 4
DEMO_PASSWORD = "kinerja-demo"

LOGIN = """
mutation Login($username: String!, $password: String!) {
  login(input: {username: $username, password: $password}) { token expiresAt userErrors { code field message } }
}
"""


def counted_engine(url: str) -> tuple[AsyncEngine, list[int]]:
    """An engine connecting as the app's role, and a counter of the statements it runs."""
    engine = create_engine(as_role(url), pool_size=4)
    counter = [0]

    def count(*_: object) -> None:
        counter[0] += 1

    event.listen(engine.sync_engine, "before_cursor_execute", count)
    return engine, counter


class GraphQLFailure(AssertionError):
    pass


class Api:
    """One server; each Api value speaks as one caller (anonymous until `as_user`)."""

    def __init__(self, client: httpx.AsyncClient, counter: list[int], token: str | None = None) -> None:
        self.client = client
        self._counter = counter
        self.token = token

    @asynccontextmanager
    async def from_address(self, address: str) -> AsyncIterator[Self]:
        """The same server and caller, from another client address."""
        app = self.client._transport.app  # type: ignore[attr-defined]
        transport = httpx.ASGITransport(app=app, client=(address, 40000))
        async with httpx.AsyncClient(transport=transport, base_url=self.client.base_url) as client:
            yield type(self)(client, self._counter, self.token)

    @classmethod
    @asynccontextmanager
    async def serving(
        cls,
        url: str,
        *,
        username: str | None = "admin.61",
        answer_cache_size: int = DEFAULT_ANSWER_CACHE_SIZE,
        **options: Any,
    ) -> AsyncIterator[Self]:
        """Serve the database at `url`, as `username` (a demo user) or anonymously (None);
        `options` go to server.create_app. The server connects as the app's role, as `make run`
        does (store/roles.py), so every test exercises its grants."""
        engine, counter = counted_engine(url)
        try:
            app = create_app(engine, secret=TEST_SECRET, answer_cache_size=answer_cache_size, **options)
            transport = httpx.ASGITransport(app=app)
            async with httpx.AsyncClient(transport=transport, base_url="http://kinerja.test") as client:
                api = cls(client, counter)
                yield await api.as_user(username) if username else api
        finally:
            await engine.dispose()

    @property
    def statements(self) -> int:
        return self._counter[0]

    def anonymous(self) -> Self:
        return type(self)(self.client, self._counter)

    def with_token(self, token: str) -> Self:
        return type(self)(self.client, self._counter, token)

    async def as_user(self, username: str, password: str = DEMO_PASSWORD) -> Self:
        payload = (await self.anonymous().execute(LOGIN, {"username": username, "password": password}))["login"]
        assert payload["userErrors"] == [], payload
        return self.with_token(payload["token"])

    async def post(self, query: str, variables: dict[str, Any] | None = None, **headers: str) -> httpx.Response:
        if self.token and "authorization" not in headers:
            headers["authorization"] = f"Bearer {self.token}"
        return await self.client.post("/graphql", json={"query": query, "variables": variables or {}}, headers=headers)

    async def execute(self, query: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
        """The response's data, failing the test on any top-level error."""
        body = (await self.post(query, variables)).json()
        if body.get("errors"):
            raise GraphQLFailure(body["errors"])
        data: dict[str, Any] = body["data"]
        return data

    async def errors(self, query: str, variables: dict[str, Any] | None = None) -> list[dict[str, Any]]:
        body = (await self.post(query, variables)).json()
        errors: list[dict[str, Any]] = body.get("errors") or []
        assert errors, f"expected errors, got {body}"
        return errors

    async def count_statements(self, query: str, variables: dict[str, Any] | None = None) -> tuple[dict[str, Any], int]:
        before = self.statements
        data = await self.execute(query, variables)
        return data, self.statements - before
