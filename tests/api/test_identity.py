"""Sign-in, tokens and their failure modes: every bad credential is UNAUTHENTICATED."""

from datetime import UTC, datetime, timedelta
from typing import Any

import jwt
import pytest
from sqlalchemy import update

from store.database import create_engine
from store.tables import api_token
from tests.api.client import LOGIN, TEST_SECRET, Api
from tests.api.factories import government_ids

ME = "query Me { me { username displayName grants { role scope { __typename code name } } } }"
VALUES = 'query Values { government(code: "61.71") { rollup(year: 2025) { indicatorCount } } }'

CREATE_TOKEN = """
mutation CreateToken($input: CreateApiTokenInput!) {
  createApiToken(input: $input) {
    token apiToken { id name expiresAt revokedAt scope { code } }
    userErrors { code field message }
  }
}
"""
REVOKE_TOKEN = """
mutation Revoke($id: ID!) { revokeApiToken(input: {id: $id}) { apiToken { revokedAt } userErrors { code } } }
"""
API_TOKENS = "query Tokens { apiTokens { id name scope { code } revokedAt } }"


def in_days(days: int) -> str:
    return (datetime.now(UTC) + timedelta(days=days)).isoformat()


async def login(api: Api, username: str, password: str) -> dict[str, Any]:
    payload: dict[str, Any] = (await api.anonymous().execute(LOGIN, {"username": username, "password": password}))[
        "login"
    ]
    return payload


async def test_login_issues_a_short_lived_token_and_me_shows_grants(demo_api: Api) -> None:
    payload = await login(demo_api, "operator.61.71", "kinerja-demo")
    assert payload["userErrors"] == []
    expires = datetime.fromisoformat(payload["expiresAt"])
    assert timedelta(minutes=5) < expires - datetime.now(UTC) <= timedelta(hours=1)
    me = (await demo_api.with_token(payload["token"]).execute(ME))["me"]
    assert me == {
        "username": "operator.61.71",
        "displayName": "Operator Kota Pontianak",
        "grants": [
            {"role": "OPERATOR", "scope": {"__typename": "Government", "code": "61.71", "name": "Kota Pontianak"}}
        ],
    }


async def test_anonymous_me_is_null(demo_api: Api) -> None:
    assert (await demo_api.anonymous().execute(ME))["me"] is None


async def test_wrong_password_and_unknown_user_get_the_same_answer(demo_api: Api) -> None:
    wrong = await login(demo_api, "reviewer.61", "salah")
    unknown = await login(demo_api, "tidak.ada", "salah")
    assert (
        wrong
        == unknown
        == {
            "token": None,
            "expiresAt": None,
            "userErrors": [
                {"code": "INVALID_CREDENTIALS", "field": None, "message": "Nama pengguna atau kata sandi salah."}
            ],
        }
    )


async def test_failed_logins_are_throttled_per_username(fresh_api: Api) -> None:
    for _ in range(5):
        assert (await login(fresh_api, "leader.61", "salah"))["userErrors"][0]["code"] == "INVALID_CREDENTIALS"
    # Even the right password is refused while throttled, and an unknown name is throttled alike.
    assert (await login(fresh_api, "leader.61", "kinerja-demo"))["userErrors"][0]["code"] == "RATE_LIMITED"
    for _ in range(5):
        await login(fresh_api, "nobody.here", "salah")
    assert (await login(fresh_api, "nobody.here", "salah"))["userErrors"][0]["code"] == "RATE_LIMITED"
    assert (await login(fresh_api, "admin.61.71", "kinerja-demo"))["userErrors"] == []


async def test_guesses_from_one_address_never_lock_the_real_user_out_from_another(fresh_api: Api) -> None:
    """OWASP: a lockout by username is a denial of service; throttling is by username and address."""
    for _ in range(6):
        await login(fresh_api, "leader.61", "salah")
    assert (await login(fresh_api, "leader.61", "kinerja-demo"))["userErrors"][0]["code"] == "RATE_LIMITED"
    async with fresh_api.from_address("10.20.30.40") as elsewhere:
        signed_in = await login(elsewhere, "leader.61", "kinerja-demo")
    assert signed_in["userErrors"] == [] and signed_in["token"]


async def test_a_throttled_sign_in_says_how_long_to_wait(fresh_api: Api) -> None:
    for _ in range(5):
        await login(fresh_api, "nobody.here", "salah")
    [refused] = (await login(fresh_api, "nobody.here", "salah"))["userErrors"]
    assert refused["code"] == "RATE_LIMITED" and "detik" in refused["message"]


async def test_failed_logins_are_throttled_per_client_address(fresh_api: Api) -> None:
    for attempt in range(20):
        await login(fresh_api, f"guess.{attempt}", "salah")
    assert (await login(fresh_api, "admin.61.71", "kinerja-demo"))["userErrors"][0]["code"] == "RATE_LIMITED"


def forged(claims: dict[str, Any], key: str = TEST_SECRET, algorithm: str = "HS256") -> str:
    return jwt.encode(claims, None if algorithm == "none" else key, algorithm=algorithm)


NOW = datetime.now(UTC)
VALID_CLAIMS = {"sub": "1", "name": "admin.61", "iat": NOW, "exp": NOW + timedelta(minutes=5), "typ": "access"}


@pytest.mark.parametrize(
    "token",
    [
        forged({**VALID_CLAIMS, "exp": NOW - timedelta(seconds=1)}),  # expired
        forged(VALID_CLAIMS, key="another-secret-" * 5),  # signed with another key
        forged(VALID_CLAIMS, algorithm="none"),  # alg: none
        forged(VALID_CLAIMS, algorithm="HS512"),  # an algorithm not accepted
        forged({k: v for k, v in VALID_CLAIMS.items() if k != "exp"}),  # no expiry
        forged({**VALID_CLAIMS, "sub": "999999"}),  # no such user
        "kinerja_1_not-the-secret",  # API token with a wrong secret
        "kinerja_garbage",
        "garbage",
    ],
)
async def test_bad_tokens_are_unauthenticated(demo_api: Api, token: str) -> None:
    response = await demo_api.with_token(token).post(VALUES)
    assert response.status_code == 401
    assert [e["extensions"]["code"] for e in response.json()["errors"]] == ["UNAUTHENTICATED"]


async def test_a_tampered_payload_is_unauthenticated(demo_api: Api) -> None:
    header, _, signature = demo_api.token.split(".")  # type: ignore[union-attr]
    other = forged({**VALID_CLAIMS, "sub": "2"}).split(".")[1]
    response = await demo_api.with_token(f"{header}.{other}.{signature}").post(VALUES)
    assert response.status_code == 401


async def test_a_non_bearer_authorization_header_is_refused(demo_api: Api) -> None:
    response = await demo_api.anonymous().post(VALUES, authorization="Basic YWRtaW46YWRtaW4=")
    assert response.status_code == 401


async def test_api_token_reads_its_scope_only_and_stops_when_revoked(fresh_api: Api) -> None:
    reviewer = await fresh_api.as_user("reviewer.61.71")
    pontianak = await government_ids(fresh_api, "61.71")
    created = (
        await reviewer.execute(
            CREATE_TOKEN, {"input": {"name": "Dasbor Bappeda", "scope": pontianak.government, "expiresAt": in_days(30)}}
        )
    )["createApiToken"]
    assert created["userErrors"] == []
    secret = created["token"]
    assert secret.startswith("kinerja_")
    tool = fresh_api.with_token(secret)
    assert (await tool.execute(VALUES))["government"]["rollup"]["indicatorCount"] > 0
    singkawang = await tool.execute('query { government(code: "61.72") { rollup(year: 2025) { indicatorCount } } }')
    assert singkawang["government"]["rollup"] is None
    # Read-only: a write with the token is refused.
    assert (await tool.errors(API_TOKENS))[0]["extensions"]["code"] == "FORBIDDEN"
    listed = (await reviewer.execute(API_TOKENS))["apiTokens"]
    assert [(t["name"], t["scope"]["code"], t["revokedAt"]) for t in listed] == [("Dasbor Bappeda", "61.71", None)]
    revoked = (await reviewer.execute(REVOKE_TOKEN, {"id": created["apiToken"]["id"]}))["revokeApiToken"]
    assert revoked["apiToken"]["revokedAt"] is not None
    assert (await tool.post(VALUES)).status_code == 401


async def test_an_expired_api_token_is_unauthenticated(fresh_api: Api, fresh_url: str) -> None:
    pontianak = await government_ids(fresh_api, "61.71")
    created = (
        await fresh_api.execute(
            CREATE_TOKEN, {"input": {"name": "x", "scope": pontianak.government, "expiresAt": in_days(1)}}
        )
    )["createApiToken"]
    engine = create_engine(fresh_url)
    async with engine.begin() as conn:
        await conn.execute(update(api_token).values(expires_at=datetime.now(UTC) - timedelta(seconds=1)))
    await engine.dispose()
    assert (await fresh_api.with_token(created["token"]).post(VALUES)).status_code == 401


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({"expiresAt": in_days(-1)}, ("INVALID_EXPIRY", "expiresAt")),
        ({"expiresAt": in_days(400)}, ("INVALID_EXPIRY", "expiresAt")),
        ({"name": " "}, ("REQUIRED", "name")),
        ({"scope": "R292ZXJubWVudDo5OTk5OTk="}, ("FORBIDDEN", "scope")),
    ],
)
async def test_bad_token_requests_are_user_errors(fresh_api: Api, change: dict[str, Any], expected: tuple) -> None:  # type: ignore[type-arg]
    pontianak = await government_ids(fresh_api, "61.71")
    values = {"name": "x", "scope": pontianak.government, "expiresAt": in_days(1), **change}
    payload = (await fresh_api.execute(CREATE_TOKEN, {"input": values}))["createApiToken"]
    assert (payload["token"], [(e["code"], e["field"]) for e in payload["userErrors"]]) == (None, [expected])


async def test_revoking_someone_elses_token_is_not_found(fresh_api: Api) -> None:
    pontianak = await government_ids(fresh_api, "61.71")
    created = (
        await fresh_api.execute(
            CREATE_TOKEN, {"input": {"name": "x", "scope": pontianak.government, "expiresAt": in_days(1)}}
        )
    )["createApiToken"]
    other = await fresh_api.as_user("reviewer.61")
    payload = (await other.execute(REVOKE_TOKEN, {"id": created["apiToken"]["id"]}))["revokeApiToken"]
    assert [e["code"] for e in payload["userErrors"]] == ["NOT_FOUND"]
