"""The pages' only way to the data: registered operation documents (web/operations/*.graphql),
executed in-process through the same schema, authorisation, validation and cost limits as any
third-party tool. No SQL and no action is called from the web layer."""

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from strawberry import Schema

from policies.viewer import Viewer
from schema.context import Context, Services, today
from store.operations import sha256_of
from store.snapshots import current_snapshot
from web.kept import KeptPages

OPERATIONS = Path(__file__).resolve().parent / "operations"
MAX_INDICATOR_PAGES = 20  # 2,000 indicators: more than any perangkat daerah has
TIMED_OUT = "Halaman ini terlalu lama dimuat dan dihentikan; coba lagi atau persempit periodenya."


def operation_documents() -> dict[str, str]:
    """Each file's operation by its name (the file's stem)."""
    return {path.stem: path.read_text() for path in sorted(OPERATIONS.glob("*.graphql"))}


@dataclass(frozen=True)
class UserError:
    code: str
    field: str | None
    message: str


@dataclass(frozen=True)
class Answer:
    data: dict[str, Any]
    errors: list[UserError] = field(default_factory=list)  # request- or field-level errors


class PageFailure(Exception):
    """The operation failed as a whole (a limit, a time-out): the page shows its message."""

    def __init__(self, errors: list[UserError]) -> None:
        super().__init__("; ".join(error.message for error in errors))
        self.errors = errors


class PageGraphQL:
    def __init__(self, schema: Schema, services: Services, *, request_timeout: float | None) -> None:
        self.schema = schema
        self.services = services
        self.request_timeout = request_timeout
        self.documents = operation_documents()
        self.kept_pages = KeptPages()  # per app: snapshots of two databases can look alike

    async def snapshot(self) -> str:
        """The database's snapshot now: what a page kept under it depends on (store/snapshots.py)."""
        async with self.services.read_engine.connect() as conn:
            return await current_snapshot(conn)

    def digests(self) -> dict[str, str]:
        """SHA-256 of each document, as third-party tools would send them (docs/pages.md)."""
        return {name: sha256_of(text) for name, text in self.documents.items()}

    def _context(
        self,
        request: Request,
        viewer: Viewer,
        *,
        transport: object = None,
        reauthenticate: Callable[[], Awaitable[Viewer | None]] | None = None,
    ) -> Context:
        """The context an operation runs in; `transport` is what the resolvers see as the request
        (the page's request, or a StreamEnd for a subscription)."""
        return Context(
            viewer=viewer,
            services=self.services,
            today=today(),
            client_address=request.client.host if request.client else "unknown",
            request_id=request.scope.get("state", {}).get("request_id", "-"),
            request=transport if transport is not None else request,
            response=Response(),
            reauthenticate=reauthenticate,
        )

    async def run(self, request: Request, viewer: Viewer, name: str, variables: dict[str, Any]) -> Answer:
        context = self._context(request, viewer)
        try:
            async with asyncio.timeout(self.request_timeout):
                result = await self.schema.execute(
                    self.documents[name], variable_values=variables, context_value=context, operation_name=name
                )
        except TimeoutError:
            raise PageFailure([UserError("TIMEOUT", None, TIMED_OUT)]) from None
        errors = [
            UserError(str((e.extensions or {}).get("code", "INTERNAL")), None, e.message) for e in result.errors or []
        ]
        if result.data is None:
            raise PageFailure(errors)
        return Answer(result.data, errors)

    async def with_all_indicators(
        self, request: Request, viewer: Viewer, name: str, variables: dict[str, Any]
    ) -> tuple[dict[str, Any], list[dict[str, Any]]]:
        """An operation with an `indicators(first: 100, after: $after)` connection, run until its
        last page: the first answer's data, and every indicator node."""
        answer = (await self.run(request, viewer, name, {**variables, "after": None})).data
        page = answer["indicators"]
        nodes = [edge["node"] for edge in page["edges"]]
        for _ in range(MAX_INDICATOR_PAGES - 1):
            if not page["pageInfo"]["hasNextPage"]:
                break
            following = {**variables, "after": page["pageInfo"]["endCursor"]}
            page = (await self.run(request, viewer, name, following)).data["indicators"]
            nodes += [edge["node"] for edge in page["edges"]]
        return answer, nodes

    async def mutate(self, request: Request, viewer: Viewer, name: str, variables: dict[str, Any]) -> list[UserError]:
        """A mutation's userErrors (empty when it succeeded)."""
        answer = await self.run(request, viewer, name, variables)
        if answer.errors:
            raise PageFailure(answer.errors)
        (payload,) = answer.data.values()
        return [UserError(e["code"], e.get("field"), e["message"]) for e in payload["userErrors"]]

    async def events(
        self,
        request: Request,
        viewer: Viewer,
        name: str,
        variables: dict[str, Any],
        still_signed_in: Callable[[], Awaitable[Viewer | None]],
    ) -> AsyncIterator[dict[str, Any]]:
        """A subscription's events, as long as the session that opened it still holds with the
        same grants (the subscription asks before each event, as it does over a WebSocket)."""
        ended = StreamEnd()
        context = self._context(request, viewer, transport=ended, reauthenticate=still_signed_in)
        stream = await self.schema.subscribe(
            self.documents[name], variable_values=variables, context_value=context, operation_name=name
        )
        async for result in stream:
            if result.errors or result.data is None or ended.closed:
                return
            yield result.data


class StreamEnd:
    """Stands in for a WebSocket where the subscription would close one (signed out, grants
    changed): the page's event stream then ends."""

    closed = False

    async def close(self, code: int = 1000, reason: str | None = None) -> None:
        self.closed = True
