"""A GraphQL client over HTTP (httpx against the ASGI app) that counts SQL statements."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any, Self

import httpx
from sqlalchemy import event

from server import create_app
from store.database import create_engine


class GraphQLFailure(AssertionError):
    pass


class Api:
    def __init__(self, client: httpx.AsyncClient) -> None:
        self.client = client
        self.statements = 0

    @classmethod
    @asynccontextmanager
    async def serving(cls, url: str) -> AsyncIterator[Self]:
        engine = create_engine(url, pool_size=4)
        async with httpx.AsyncClient(
            transport=httpx.ASGITransport(app=create_app(engine)), base_url="http://kinerja.test"
        ) as client:
            api = cls(client)

            def count(*_: object) -> None:
                api.statements += 1

            event.listen(engine.sync_engine, "before_cursor_execute", count)
            try:
                yield api
            finally:
                await engine.dispose()

    async def post(self, query: str, variables: dict[str, Any] | None = None, **headers: str) -> httpx.Response:
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
