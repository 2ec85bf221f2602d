"""Access tokens: short-lived JWTs for people, long-lived opaque secrets for third-party tools."""

import functools
import hashlib
import hmac
import secrets
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import jwt

ALGORITHM = "HS256"
ACCESS_TOKEN_LIFETIME = timedelta(hours=1)
API_TOKEN_PREFIX = "kinerja_"


class InvalidToken(Exception):
    """Expired, tampered, wrongly signed or malformed: the caller is not authenticated."""


@dataclass(frozen=True)
class IssuedToken:
    token: str
    expires_at: datetime


def issue_access_token(*, secret: str, user_id: int, username: str, now: datetime) -> IssuedToken:
    expires_at = now + ACCESS_TOKEN_LIFETIME
    claims = {"sub": str(user_id), "name": username, "iat": now, "exp": expires_at, "typ": "access"}
    return IssuedToken(jwt.encode(claims, secret, algorithm=ALGORITHM), expires_at)


def read_access_token(token: str, *, secret: str) -> int:
    """The user id of a valid token. Only HS256 is accepted: `alg: none` and others fail."""
    user_id, expires = _verified_access_token(token, secret)
    if expires <= time.time():  # as PyJWT judges it: expired from the second `exp` names
        raise InvalidToken("Signature has expired")
    return user_id


@functools.lru_cache(maxsize=4096)
def _verified_access_token(token: str, secret: str) -> tuple[int, float]:
    """A token's user id and expiry, its signature verified once per process (a dashboard
    sends the same token all hour; decoding it was ~3 % of a rollup request). Only valid tokens
    are kept, since an exception is not; expiry is checked on every use by the caller."""
    try:
        claims = jwt.decode(token, secret, algorithms=[ALGORITHM], options={"require": ["exp", "iat", "sub"]})
    except jwt.PyJWTError as error:
        raise InvalidToken(str(error)) from error
    if claims.get("typ") != "access" or not str(claims["sub"]).isdigit():
        raise InvalidToken("not an access token")
    return int(claims["sub"]), float(claims["exp"])


@dataclass(frozen=True)
class ApiSecret:
    """`kinerja_<id>_<secret>`: the id finds the row, the secret is compared by its hash."""

    token_id: int
    secret: str

    @property
    def token(self) -> str:
        return f"{API_TOKEN_PREFIX}{self.token_id}_{self.secret}"


def new_api_secret() -> str:
    return secrets.token_urlsafe(32)


def secret_hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def parse_api_token(token: str) -> ApiSecret:
    body = token.removeprefix(API_TOKEN_PREFIX)
    token_id, _, secret = body.partition("_")
    if not token.startswith(API_TOKEN_PREFIX) or not token_id.isdigit() or not secret:
        raise InvalidToken("malformed API token")
    return ApiSecret(int(token_id), secret)


def same_secret(stored_hash: str, secret: str) -> bool:
    return hmac.compare_digest(stored_hash, secret_hash(secret))


def utcnow() -> datetime:
    return datetime.now(UTC)
