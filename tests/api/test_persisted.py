"""Persisted operations: registered documents run by their SHA-256, tokens held to them, and
Automatic Persisted Queries (Apollo's protocol) for clients that use them."""

import hashlib
from datetime import UTC, datetime, timedelta
from typing import Any

from tests.api.client import Api
from tests.api.factories import government_ids

PROVINCES = "query Provinces { governments(kind: PROVINSI) { code } }"
REGISTER = """mutation($input: RegisterOperationsInput!) { registerOperations(input: $input) {
  operations { sha256 name registeredBy } userErrors { code field } } }"""
CREATE_TOKEN = """mutation($input: CreateApiTokenInput!) { createApiToken(input: $input) {
  token apiToken { registeredOnly } userErrors { code } } }"""


def sha256(document: str) -> str:
    return hashlib.sha256(document.encode()).hexdigest()


def persisted(digest: str, query: str | None = None) -> dict[str, Any]:
    body: dict[str, Any] = {"extensions": {"persistedQuery": {"version": 1, "sha256Hash": digest}}}
    return body | ({"query": query} if query is not None else {})


async def send(api: Api, body: dict[str, Any]) -> dict[str, Any]:
    headers = {"authorization": f"Bearer {api.token}"} if api.token else {}
    answer: dict[str, Any] = (await api.client.post("/graphql", json=body, headers=headers)).json()
    return answer


async def test_automatic_persisted_queries_follow_the_apollo_protocol(demo_api: Api) -> None:
    anonymous = demo_api.anonymous()
    document = "query { governments(kind: PROVINSI) { name } }"
    missing = await send(anonymous, persisted(sha256(document)))
    assert missing["errors"][0]["extensions"]["code"] == "PERSISTED_QUERY_NOT_FOUND"
    assert missing["errors"][0]["message"] == "PersistedQueryNotFound"
    first = await send(anonymous, persisted(sha256(document), document))
    again = await send(anonymous, persisted(sha256(document)))
    assert first["data"] == again["data"] and len(again["data"]["governments"]) == 38
    wrong = await send(anonymous, persisted("0" * 64, document))
    assert wrong["errors"][0]["extensions"]["code"] == "PERSISTED_QUERY_HASH_MISMATCH"
    bad = await send(anonymous, persisted("abc"))
    assert bad["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"


async def test_an_admin_registers_documents_and_others_may_not(fresh_api: Api) -> None:
    registered = (await fresh_api.execute(REGISTER, {"input": {"documents": [PROVINCES]}}))["registerOperations"]
    assert registered == {
        "operations": [{"sha256": sha256(PROVINCES), "name": "Provinces", "registeredBy": "admin.61"}],
        "userErrors": [],
    }
    again = (await fresh_api.execute(REGISTER, {"input": {"documents": [PROVINCES]}}))["registerOperations"]
    assert again == registered
    broken = await fresh_api.execute(REGISTER, {"input": {"documents": [PROVINCES, "query {"]}})
    assert broken["registerOperations"]["userErrors"] == [{"code": "INVALID_DOCUMENT", "field": "documents.1"}]
    operator = await fresh_api.as_user("operator.61.71")
    refused = (await operator.execute(REGISTER, {"input": {"documents": [PROVINCES]}}))["registerOperations"]
    assert refused["userErrors"] == [{"code": "FORBIDDEN", "field": "documents"}]
    # A registered document runs by its hash alone.
    answer = await send(fresh_api.anonymous(), persisted(sha256(PROVINCES)))
    assert len(answer["data"]["governments"]) == 38


async def test_a_token_held_to_registered_operations_runs_nothing_else(fresh_api: Api) -> None:
    await fresh_api.execute(REGISTER, {"input": {"documents": [PROVINCES]}})
    reviewer = await fresh_api.as_user("reviewer.61")
    scope = (await government_ids(fresh_api, "61")).government
    expires = (datetime.now(UTC) + timedelta(days=30)).isoformat()
    created = await reviewer.execute(
        CREATE_TOKEN, {"input": {"name": "Dasbor", "scope": scope, "expiresAt": expires, "registeredOnly": True}}
    )
    assert created["createApiToken"]["apiToken"] == {"registeredOnly": True}
    tool = fresh_api.with_token(created["createApiToken"]["token"])
    refused = (await tool.post("{ governments(kind: PROVINSI) { code } }")).json()
    assert refused["errors"][0]["extensions"]["code"] == "FORBIDDEN" and "data" in refused
    assert len((await send(tool, persisted(sha256(PROVINCES))))["data"]["governments"]) == 38
    assert len((await tool.execute(PROVINCES))["governments"]) == 38  # the registered text itself
