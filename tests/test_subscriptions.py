"""reportStatusChanged over graphql-transport-ws against a real server process: transitions
arrive as they commit (PostgreSQL LISTEN/NOTIFY), filtered by what each subscriber may see."""

import asyncio
import json
from typing import Any

import httpx
import pytest
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed

from tests.served import serving

LOGIN = 'mutation { login(input: {username: "%s", password: "kinerja-demo"}) { token } }'
IDS = """{ government(code: "61.71") { id rootUnit { id children { id code } } } }"""
SUBSCRIBE = "subscription($scope: ID!) { reportStatusChanged(scope: $scope) { reportId year quarter state } }"
SUBMIT = "mutation($i: SubmitReportInput!) { submitReport(input: $i) { report { id state } userErrors { code } } }"
APPROVE = "mutation($i: ReviewReportInput!) { approveReport(input: $i) { report { state } userErrors { code } } }"
PUBLISH = "mutation($i: PublishReportInput!) { publishReport(input: $i) { report { state } userErrors { code } } }"


async def post(
    client: httpx.AsyncClient, query: str, variables: dict[str, Any] | None = None, token: str | None = None
) -> dict[str, Any]:
    headers = {"authorization": f"Bearer {token}"} if token else {}
    body = (await client.post("/graphql", json={"query": query, "variables": variables or {}}, headers=headers)).json()
    assert "errors" not in body, body
    data: dict[str, Any] = body["data"]
    return data


async def subscribe(ws_url: str, scope: str, token: str | None) -> ClientConnection:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    socket = await connect(ws_url, subprotocols=["graphql-transport-ws"], additional_headers=headers)  # type: ignore[list-item]
    await socket.send(json.dumps({"type": "connection_init"}))
    assert json.loads(await socket.recv())["type"] == "connection_ack"
    await socket.send(
        json.dumps({"id": "1", "type": "subscribe", "payload": {"query": SUBSCRIBE, "variables": {"scope": scope}}})
    )
    return socket


async def next_event(socket: ClientConnection) -> dict[str, Any]:
    message = json.loads(await asyncio.wait_for(socket.recv(), 10))
    assert message["type"] == "next", message
    event: dict[str, Any] = message["payload"]["data"]["reportStatusChanged"]
    return event


async def nothing_arrives(socket: ClientConnection) -> bool:
    try:
        await asyncio.wait_for(socket.recv(), 1.5)
    except TimeoutError:
        return True
    return False


async def test_report_status_changes_reach_the_subscribers_who_may_see_them(fresh_url: str) -> None:
    with serving(fresh_url) as served:
        ws_url = served.base.replace("http", "ws") + "/graphql"
        async with httpx.AsyncClient(base_url=served.base) as client:
            tokens = {
                name: (await post(client, LOGIN % name))["login"]["token"]
                for name in ("operator.61.71", "reviewer.61.71", "operator.61.72", "reviewer.61", "leader.61")
            }
            city = (await post(client, IDS))["government"]
            dinkes = next(u["id"] for u in city["rootUnit"]["children"] if u["code"] == "DINKES")
            reviewer = await subscribe(ws_url, city["id"], tokens["reviewer.61.71"])
            sibling = await subscribe(ws_url, city["id"], tokens["operator.61.72"])
            public = await subscribe(ws_url, city["id"], None)
            await asyncio.sleep(0.5)  # the server's LISTEN connection is up once the first subscriber is

            submitted = await post(
                client, SUBMIT, {"i": {"orgUnitId": dinkes, "year": 2026, "quarter": 3}}, tokens["operator.61.71"]
            )
            assert submitted["submitReport"]["userErrors"] == []
            event = await next_event(reviewer)
            assert (event["state"], event["year"], event["quarter"]) == ("SUBMITTED", 2026, 3)
            assert event["reportId"] == submitted["submitReport"]["report"]["id"]

            city_report = await post(
                client,
                SUBMIT,
                {"i": {"orgUnitId": city["rootUnit"]["id"], "year": 2026, "quarter": 3}},
                tokens["operator.61.71"],
            )
            report_id = city_report["submitReport"]["report"]["id"]
            await post(client, APPROVE, {"i": {"reportId": report_id}}, tokens["reviewer.61"])
            await post(client, PUBLISH, {"i": {"reportId": report_id}}, tokens["leader.61"])
            states = [(await next_event(reviewer))["state"] for _ in range(3)]
            assert states == ["SUBMITTED", "LOCKED", "PUBLISHED"]
            # The public hears only the publication; a sibling kota's operator hears it too (it is public).
            assert (await next_event(public))["state"] == "PUBLISHED"
            assert (await next_event(sibling))["state"] == "PUBLISHED"
            assert await nothing_arrives(public)
            for socket in (reviewer, sibling, public):
                await socket.close()


async def subscribe_with_payload(ws_url: str, scope: str, token: str) -> ClientConnection:
    """As a browser must: no headers on the upgrade, the token in connection_init."""
    socket = await connect(ws_url, subprotocols=["graphql-transport-ws"])  # type: ignore[list-item]
    await socket.send(json.dumps({"type": "connection_init", "payload": {"Authorization": f"Bearer {token}"}}))
    assert json.loads(await socket.recv())["type"] == "connection_ack"
    await socket.send(
        json.dumps({"id": "1", "type": "subscribe", "payload": {"query": SUBSCRIBE, "variables": {"scope": scope}}})
    )
    return socket


async def test_a_browser_subscribes_with_its_token_in_connection_init(fresh_url: str) -> None:
    with serving(fresh_url) as served:
        ws_url = served.base.replace("http", "ws") + "/graphql"
        async with httpx.AsyncClient(base_url=served.base) as client:
            tokens = {
                name: (await post(client, LOGIN % name))["login"]["token"]
                for name in ("operator.61.71", "reviewer.61.71")
            }
            city = (await post(client, IDS))["government"]
            reviewer = await subscribe_with_payload(ws_url, city["id"], tokens["reviewer.61.71"])
            await asyncio.sleep(0.5)
            dinkes = next(u["id"] for u in city["rootUnit"]["children"] if u["code"] == "DINKES")
            submitted = await post(
                client, SUBMIT, {"i": {"orgUnitId": dinkes, "year": 2026, "quarter": 3}}, tokens["operator.61.71"]
            )
            assert submitted["submitReport"]["userErrors"] == []
            assert (await next_event(reviewer))["state"] == "SUBMITTED"  # a draft's submission: reviewers only
            await reviewer.close()
            refused = await connect(ws_url, subprotocols=["graphql-transport-ws"])  # type: ignore[list-item]
            await refused.send(json.dumps({"type": "connection_init", "payload": {"Authorization": "Bearer nonsense"}}))
            with pytest.raises(ConnectionClosed) as closed:
                await refused.recv()
            assert closed.value.rcvd is not None and closed.value.rcvd.code == 4403


REVOKE = "mutation($i: GrantRoleInput!) { revokeRole(input: $i) { grant { role } userErrors { code } } }"


async def test_a_subscriber_whose_grant_is_revoked_is_closed_with_4403(fresh_url: str) -> None:
    with serving(fresh_url) as served:
        ws_url = served.base.replace("http", "ws") + "/graphql"
        async with httpx.AsyncClient(base_url=served.base) as client:
            names = ("operator.61.71", "reviewer.61.71", "admin.61")
            tokens = {name: (await post(client, LOGIN % name))["login"]["token"] for name in names}
            city = (await post(client, IDS))["government"]
            reviewer = await subscribe_with_payload(ws_url, city["id"], tokens["reviewer.61.71"])
            await asyncio.sleep(0.5)
            revoked = await post(
                client,
                REVOKE,
                {"i": {"username": "reviewer.61.71", "role": "REVIEWER", "scope": city["id"]}},
                tokens["admin.61"],
            )
            assert revoked["revokeRole"]["userErrors"] == []
            dinkes = next(u["id"] for u in city["rootUnit"]["children"] if u["code"] == "DINKES")
            await post(
                client, SUBMIT, {"i": {"orgUnitId": dinkes, "year": 2026, "quarter": 3}}, tokens["operator.61.71"]
            )
            with pytest.raises(ConnectionClosed) as closed:
                await asyncio.wait_for(reviewer.recv(), 10)
            assert closed.value.rcvd is not None and closed.value.rcvd.code == 4403


async def test_an_idle_subscriber_whose_grant_is_revoked_is_closed_without_waiting_for_an_event(
    fresh_url: str,
) -> None:
    with serving(fresh_url, KINERJA_SUBSCRIPTION_RECHECK="1") as served:
        ws_url = served.base.replace("http", "ws") + "/graphql"
        async with httpx.AsyncClient(base_url=served.base) as client:
            tokens = {
                name: (await post(client, LOGIN % name))["login"]["token"] for name in ("reviewer.61.71", "admin.61")
            }
            city = (await post(client, IDS))["government"]
            reviewer = await subscribe_with_payload(ws_url, city["id"], tokens["reviewer.61.71"])
            assert await nothing_arrives(reviewer)  # still allowed: the re-checks close nothing
            revoked = await post(
                client,
                REVOKE,
                {"i": {"username": "reviewer.61.71", "role": "REVIEWER", "scope": city["id"]}},
                tokens["admin.61"],
            )
            assert revoked["revokeRole"]["userErrors"] == []
            with pytest.raises(ConnectionClosed) as closed:
                await asyncio.wait_for(reviewer.recv(), 5)  # no report moves: the idle re-check closes it
            assert closed.value.rcvd is not None and closed.value.rcvd.code == 4403
