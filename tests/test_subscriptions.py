"""reportStatusChanged over graphql-transport-ws against a real server process: transitions
arrive as they commit (PostgreSQL LISTEN/NOTIFY), filtered by what each subscriber may see."""

import asyncio
import json
from datetime import timedelta
from typing import Any

import httpx
import pytest
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed

from schema.context import today
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


QUEUE = "subscription { pendingApprovalsChanged { weekStart state employee { name } entries { id } } }"
LOG = """mutation($i: LogActivityInput!) { logActivity(input: $i) { activityLog { id } userErrors { code } } }"""
SUBMIT_WEEK = """mutation($w: Date!) { submitActivityWeek(input: {weekStart: $w}) { weeklyApproval { state }
  userErrors { code } } }"""
REVIEW_WEEK = """mutation($i: ReviewActivityWeekInput!) { reviewActivityWeek(input: $i) { weeklyApproval { state }
  userErrors { code } } }"""


async def queue_update(socket: ClientConnection) -> list[dict[str, Any]]:
    message = json.loads(await asyncio.wait_for(socket.recv(), 10))
    assert message["type"] == "next", message
    weeks: list[dict[str, Any]] = message["payload"]["data"]["pendingApprovalsChanged"]
    return weeks


async def test_a_superiors_queue_follows_the_weeks_submitted_and_decided(fresh_url: str) -> None:
    first = (today().replace(day=1) - timedelta(days=1)).replace(day=1)
    monday = first + timedelta(days=(7 - first.weekday()) % 7)
    with serving(fresh_url) as served:
        ws_url = served.base.replace("http", "ws") + "/graphql"
        async with httpx.AsyncClient(base_url=served.base) as client:
            tokens = {
                name: (await post(client, LOGIN % name))["login"]["token"]
                for name in ("staf.61.71.dinkes", "kasi.61.71.dinkes", "kabid.61.71.dinkes", "verifier.61.71")
            }

            async def listen(name: str) -> ClientConnection:
                socket = await connect(ws_url, subprotocols=["graphql-transport-ws"])  # type: ignore[list-item]
                init = {"Authorization": f"Bearer {tokens[name]}"}
                await socket.send(json.dumps({"type": "connection_init", "payload": init}))
                assert json.loads(await socket.recv())["type"] == "connection_ack"
                await socket.send(json.dumps({"id": "1", "type": "subscribe", "payload": {"query": QUEUE}}))
                return socket

            kasi, kabid, verifier = [
                await listen(n) for n in ("kasi.61.71.dinkes", "kabid.61.71.dinkes", "verifier.61.71")
            ]
            assert await queue_update(kasi) == [] and await queue_update(kabid) == []
            assert await queue_update(verifier) == []  # holds no position: the queue is empty, and stays so
            assert json.loads(await asyncio.wait_for(verifier.recv(), 10))["type"] == "complete"
            await asyncio.sleep(0.5)  # the server's LISTEN connection is up once the first subscriber is

            entry = {"workDate": monday.isoformat(), "startsAt": "08:00", "endsAt": "10:00", "kind": "HADIR",
                     "description": "Merekap laporan imunisasi"}  # fmt: skip
            logged = await post(client, LOG, {"i": entry}, tokens["staf.61.71.dinkes"])
            assert logged["logActivity"]["userErrors"] == []
            submitted = await post(client, SUBMIT_WEEK, {"w": monday.isoformat()}, tokens["staf.61.71.dinkes"])
            assert submitted["submitActivityWeek"]["userErrors"] == []
            (waiting,) = await queue_update(kasi)
            assert (waiting["weekStart"], waiting["state"], len(waiting["entries"])) == (
                monday.isoformat(),
                "SUBMITTED",
                1,
            )
            # The kabid, the superior's superior, hears of it (the week is past its deadline).
            assert [w["weekStart"] for w in await queue_update(kabid)] == [monday.isoformat()]

            me = await post(client, "{ myEmployee { id } }", None, tokens["staf.61.71.dinkes"])
            review = {"employeeId": me["myEmployee"]["id"], "weekStart": monday.isoformat()}
            decided = await post(client, REVIEW_WEEK, {"i": review}, tokens["kasi.61.71.dinkes"])
            assert decided["reviewActivityWeek"]["weeklyApproval"]["state"] == "APPROVED"
            assert await queue_update(kasi) == []
            assert await queue_update(kabid) == []
            for socket in (kasi, kabid, verifier):
                await socket.close()
