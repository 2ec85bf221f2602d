"""Bearer authentication: a JWT (people) or an API token (third-party tools) becomes a Viewer.

No header means the anonymous public viewer; a header that does not authenticate is refused
with 401 before any GraphQL runs, never silently downgraded to anonymous.
"""

import dataclasses

from sqlalchemy.ext.asyncio import AsyncEngine
from starlette.authentication import AuthCredentials, AuthenticationBackend, AuthenticationError, BaseUser
from starlette.requests import HTTPConnection
from starlette.responses import JSONResponse

from identity.tokens import (
    API_TOKEN_PREFIX,
    InvalidToken,
    parse_api_token,
    read_access_token,
    same_secret,
    utcnow,
)
from policies.authoriser import Authoriser
from policies.individual import TokenGrant, token_reads
from policies.permissions import Role
from policies.viewer import Grant, Viewer, ViewerKind
from store import identity

GRAPHQL_PATH = "/graphql"


class ViewerUser(BaseUser):
    def __init__(self, viewer: Viewer) -> None:
        self.viewer = viewer

    @property
    def is_authenticated(self) -> bool:
        return self.viewer.is_authenticated

    @property
    def display_name(self) -> str:
        return self.viewer.username or ""


class BearerAuthentication(AuthenticationBackend):
    def __init__(self, *, engine: AsyncEngine, authoriser: Authoriser, secret: str) -> None:
        self.engine = engine
        self.authoriser = authoriser
        self.secret = secret
        self.anonymous = authoriser.viewer(kind=ViewerKind.ANONYMOUS, user_id=None, username=None, grants=())

    async def authenticate(self, conn: HTTPConnection) -> tuple[AuthCredentials, BaseUser]:
        if conn.scope.get("path") != GRAPHQL_PATH:
            # Only the API reads the caller; /metrics takes its own bearer token, /health none.
            return AuthCredentials(), ViewerUser(self.anonymous)
        viewer = await self.viewer_of(conn.headers.get("authorization"))
        return AuthCredentials(["authenticated"] if viewer.is_authenticated else []), ViewerUser(viewer)

    async def viewer_of(self, authorization: str | None) -> Viewer:
        """The caller named by an `Authorization` value (a header, or a WebSocket's
        connection_init payload); anonymous without one."""
        if authorization is None:
            return self.anonymous
        scheme, _, token = authorization.partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise AuthenticationError("Gunakan header Authorization: Bearer <token>.")
        try:
            return await self._viewer(token.strip())
        except InvalidToken as error:
            raise AuthenticationError("Token tidak sah atau sudah kedaluwarsa.") from error

    async def _viewer(self, token: str) -> Viewer:
        if token.startswith(API_TOKEN_PREFIX):
            return await self._api_client(token)
        user_id = read_access_token(token, secret=self.secret)
        async with self.engine.connect() as conn:
            found = await identity.user_with_grants(conn, user_id)
        if found is None or not found[0].is_active:
            raise InvalidToken("unknown or inactive user")
        user, grants = found
        return self.authoriser.viewer(kind=ViewerKind.USER, user_id=user.id, username=user.username, grants=grants)

    async def _api_client(self, token: str) -> Viewer:
        parsed = parse_api_token(token)
        async with self.engine.connect() as conn:
            record = await identity.api_token_by_id(conn, parsed.token_id)
            if record is None or not same_secret(record.secret_hash, parsed.secret):
                raise InvalidToken("unknown API token")
            if record.revoked_at is not None or record.expires_at <= utcnow():
                raise InvalidToken("revoked or expired API token")
            found = await identity.user_with_grants(conn, record.user_id)
        if found is None or not found[0].is_active:
            raise InvalidToken("the token's owner is no longer active")
        owner, owner_grants = found
        owner_view = self.authoriser.viewer(
            kind=ViewerKind.USER, user_id=owner.id, username=owner.username, grants=owner_grants
        )
        reads = token_reads(owner_view, record.scope_path, [TokenGrant(v) for v in record.individual_grants])
        if reads.unheld:
            raise InvalidToken("the token's owner lost a read of individual data it was granted")
        if not reads.anything:
            raise InvalidToken("the token's owner lost access to its scope")
        viewer = self.authoriser.viewer(
            kind=ViewerKind.API_CLIENT,
            user_id=owner.id,
            username=owner.username,
            grants=(Grant(Role.API_CLIENT, record.scope_path),) if reads.values else (),
        )
        scopes = {**viewer.scopes, **dict.fromkeys(reads.granted, (record.scope_path,))}
        return dataclasses.replace(viewer, scopes=scopes, registered_operations_only=record.registered_only)


def unauthenticated(_: HTTPConnection, error: Exception) -> JSONResponse:
    body = {"errors": [{"message": str(error), "extensions": {"code": "UNAUTHENTICATED"}}]}
    return JSONResponse(body, status_code=401, headers={"WWW-Authenticate": "Bearer"})
