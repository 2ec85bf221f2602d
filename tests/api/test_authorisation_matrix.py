"""Every role × scope × operation, over HTTP: allowed or denied as policies/policy.csv says.

Values are probed in 2026 Q2, which is locked but not published (published data is public and
is checked in test_visibility_by_state.py). Scopes are Kalimantan Barat (province), Kota
Pontianak (a kota), its Dinas Kesehatan (an agency) and Kota Singkawang (a sibling kota).
Definitions and the hierarchy are public; values, writes, grants and tokens follow the
caller's grants.
"""

import base64
import itertools
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from tests.api.client import Api
from tests.conftest import TEMPLATE, Cluster

SCOPES = ("province", "kota", "agency", "sibling")
PATHS = {"province": "61/", "kota": "61/61.71/", "agency": "61/61.71/DINKES/", "sibling": "61/61.72/"}
ROLE_OF = {
    "admin.61": ("ADMIN", "province"),
    "reviewer.61": ("REVIEWER", "province"),
    "leader.61": ("LEADER", "province"),
    "evaluator.61": ("EVALUATOR", "province"),
    "admin.61.71": ("ADMIN", "kota"),
    "reviewer.61.71": ("REVIEWER", "kota"),
    "operator.61.71": ("OPERATOR", "kota"),
    "planner.61.71": ("PLANNER", "kota"),
    "leader.61.71": ("LEADER", "kota"),
    "operator.61.72": ("OPERATOR", "sibling"),
    "operator.61.71.dinkes": ("OPERATOR", "agency"),
    "api-token.61.71": ("API_CLIENT", "kota"),
    "anonymous": (None, None),
}
CALLERS = tuple(ROLE_OF)
CAN_WRITE_VALUES = {"ADMIN", "OPERATOR"}
CAN_CREATE_TOKENS = {"ADMIN", "OPERATOR", "REVIEWER", "LEADER", "EVALUATOR"}
CAN_COMMENT = CAN_CREATE_TOKENS
CAN_CREATE_TOKENS_PLANNING = CAN_CREATE_TOKENS | {"PLANNER"}
CAN_READ_PLANNING_DRAFTS = {"ADMIN", "PLANNER", "OPERATOR", "REVIEWER", "LEADER", "EVALUATOR"}


def covers(caller: str, scope: str) -> bool:
    granted = ROLE_OF[caller][1]
    return granted is not None and PATHS[scope].startswith(PATHS[granted])


def overlaps(caller: str, scope: str) -> bool:
    granted = ROLE_OF[caller][1]
    return granted is not None and (covers(caller, scope) or PATHS[granted].startswith(PATHS[scope]))


def expected(caller: str, operation: str, scope: str) -> bool:
    role = ROLE_OF[caller][0]
    rules: dict[str, bool] = {
        "node": True,
        "list": True,
        "read_values": covers(caller, scope),
        "rollup": overlaps(caller, scope),
        "submit_realisation": covers(caller, scope) and role in CAN_WRITE_VALUES,
        "set_target": covers(caller, scope) and role in CAN_WRITE_VALUES,
        "create_unit": covers(caller, scope) and role == "ADMIN",
        "grant_role": covers(caller, scope) and role == "ADMIN",
        "create_token": covers(caller, scope) and role in CAN_CREATE_TOKENS_PLANNING,
        "submit_report": covers(caller, scope) and role in CAN_WRITE_VALUES,
        "comment_report": covers(caller, scope) and role in CAN_COMMENT,
        # The RPJMD of a pemda (the agency: its Renstra, which an operator drafts too).
        "create_plan": covers(caller, scope)
        and (role in {"ADMIN", "PLANNER"} or (role, scope) == ("OPERATOR", "agency")),
        "read_plan_draft": covers(caller, scope) and role in CAN_READ_PLANNING_DRAFTS,
        "save_agreement": covers(caller, scope) and role in CAN_WRITE_VALUES,
    }
    return rules[operation]


@dataclass
class Target:
    scope_id: str  # a Government, or the agency's OrgUnit
    unit_id: str  # where units are created, and whose reports are submitted
    indicator_id: str
    draft_version_id: str = ""  # a draft plan version of the unit (made by the world's admin)


@dataclass
class World:
    callers: dict[str, Api]
    targets: dict[str, Target]
    counter: itertools.count  # type: ignore[type-arg]
    # Each allowed write creates a new value (an edit would need its version): a fresh period each.
    realisation_periods: itertools.count  # type: ignore[type-arg]
    target_periods: itertools.count  # type: ignore[type-arg]
    report_years: itertools.count  # type: ignore[type-arg]
    plan_years: itertools.count  # type: ignore[type-arg]
    agreement_years: itertools.count  # type: ignore[type-arg]


TREE = """query($code: String!) { government(code: $code) { id rootUnit { id children { id code }
          indicators { id code } } } }"""
UNIT_INDICATORS = "query($id: ID!) { indicators(filter: {orgUnitId: $id}) { edges { node { id code } } } }"


async def target_of(api: Api, code: str, agency: str | None = None) -> Target:
    government = (await api.execute(TREE, {"code": code}))["government"]
    root = government["rootUnit"]
    iku = next(i["id"] for i in root["indicators"] if i["code"] == "IKU-03")
    if agency is None:
        return Target(government["id"], root["id"], iku)
    unit = next(u["id"] for u in root["children"] if u["code"] == agency)
    edges = (await api.execute(UNIT_INDICATORS, {"id": unit}))["indicators"]["edges"]
    return Target(unit, unit, edges[0]["node"]["id"])


@pytest.fixture(scope="module")
async def world(cluster: Cluster, template_url: str) -> AsyncIterator[World]:
    name = f"kinerja_test_matrix_{uuid.uuid4().hex[:12]}"
    url = cluster.create(name, template=TEMPLATE)
    async with Api.serving(url) as admin:
        callers = {"anonymous": admin.anonymous()}
        for username in CALLERS:
            if username not in ("anonymous", "api-token.61.71"):
                callers[username] = await admin.as_user(username)
        targets = {
            "province": await target_of(admin, "61"),
            "kota": await target_of(admin, "61.71"),
            "agency": await target_of(admin, "61.71", agency="DINKES"),
            "sibling": await target_of(admin, "61.72"),
        }
        created = await callers["reviewer.61.71"].execute(
            """mutation($scope: ID!, $expires: DateTime!) { createApiToken(input: {name: "matrix", scope: $scope,
               expiresAt: $expires}) { token } }""",
            {"scope": targets["kota"].scope_id, "expires": (datetime.now(UTC) + timedelta(days=1)).isoformat()},
        )
        callers["api-token.61.71"] = admin.with_token(created["createApiToken"]["token"])
        for target in targets.values():
            target.draft_version_id = await draft_plan_version(admin, target, 2090)
        counters = (itertools.count(), itertools.count(), itertools.count(), itertools.count(2040))
        yield World(callers, targets, *counters, itertools.count(2030), itertools.count(2030))
    cluster.drop(name)


Operation = Callable[[Api, Target, World], Awaitable[bool]]


async def payload_ok(api: Api, query: str, variables: dict[str, Any], field: str) -> bool:
    """Allowed: the mutation ran without userErrors. Denied: FORBIDDEN (or top-level refusal)."""
    body = (await api.post(query, variables)).json()
    if body.get("errors"):
        assert body["errors"][0]["extensions"]["code"] in ("UNAUTHENTICATED", "FORBIDDEN"), body
        return False
    errors = body["data"][field]["userErrors"]
    # A report the caller may not even see answers as if it did not exist.
    assert all(e["code"] in ("FORBIDDEN", "ROLE_NOT_HELD", "NOT_FOUND") for e in errors), errors
    return not errors


async def read_values(api: Api, target: Target, _: World) -> bool:
    data = await api.execute(
        """query($id: ID!) { node(id: $id) { ... on Indicator {
             code achievement(year: 2026, quarter: 2) { reason } } } }""",
        {"id": target.indicator_id},
    )
    assert data["node"]["code"]  # the definition itself is public
    return data["node"]["achievement"] is not None


async def list_indicators(api: Api, target: Target, _: World) -> bool:
    data = await api.execute(
        "query($id: ID!) { indicators(filter: {subtreeOf: $id}) { totalCount } }", {"id": target.scope_id}
    )
    return bool(data["indicators"]["totalCount"] > 0)


async def rollup(api: Api, target: Target, _: World) -> bool:
    data = await api.execute(
        "query($id: ID!) { rollup(scope: $id, year: 2026, quarter: 2) { indicatorCount } }", {"id": target.scope_id}
    )
    return data["rollup"] is not None


async def node(api: Api, target: Target, _: World) -> bool:
    data = await api.execute("query($id: ID!) { node(id: $id) { id } }", {"id": target.scope_id})
    return data["node"] is not None


async def submit_realisation(api: Api, target: Target, world: World) -> bool:
    query = """mutation($input: SubmitRealisationsInput!) { submitRealisations(input: $input) {
               userErrors { code } } }"""
    n = next(world.realisation_periods)
    row = {"indicatorId": target.indicator_id, "year": 2030 + n // 4, "quarter": n % 4 + 1, "value": "5"}
    variables = {"input": {"idempotencyKey": f"matrix-{next(world.counter)}", "realisations": [row]}}
    return await payload_ok(api, query, variables, "submitRealisations")


async def set_target(api: Api, target: Target, world: World) -> bool:
    query = "mutation($input: SetTargetsInput!) { setTargets(input: $input) { userErrors { code } } }"
    n = next(world.target_periods)
    row = {"indicatorId": target.indicator_id, "year": 2050 + n // 4, "quarter": n % 4 + 1, "value": "5"}
    variables = {"input": {"targets": [row]}}
    return await payload_ok(api, query, variables, "setTargets")


async def create_unit(api: Api, target: Target, world: World) -> bool:
    query = "mutation($input: CreateOrgUnitInput!) { createOrgUnit(input: $input) { userErrors { code } } }"
    kind = "ESELON_III" if target.unit_id == target.scope_id else "PERANGKAT_DAERAH"
    values = {"parentId": target.unit_id, "code": f"M{next(world.counter)}", "name": "Unit uji", "kind": kind}
    return await payload_ok(api, query, {"input": {**values, "validFrom": "2026-01-01"}}, "createOrgUnit")


async def grant_role(api: Api, target: Target, _: World) -> bool:
    query = """mutation($scope: ID!) {
               grantRole(input: {username: "operator.61.71.pupr", role: OPERATOR, scope: $scope})
               { userErrors { code } } }"""
    return await payload_ok(api, query, {"scope": target.scope_id}, "grantRole")


async def create_token(api: Api, target: Target, _: World) -> bool:
    query = """mutation($scope: ID!, $expires: DateTime!) { createApiToken(input: {name: "m", scope: $scope,
               expiresAt: $expires}) { userErrors { code } } }"""
    expires = (datetime.now(UTC) + timedelta(days=1)).isoformat()
    return await payload_ok(api, query, {"scope": target.scope_id, "expires": expires}, "createApiToken")


async def submit_report(api: Api, target: Target, world: World) -> bool:
    """Each call submits the draft annual report of a fresh year (a report is submitted once)."""
    query = "mutation($input: SubmitReportInput!) { submitReport(input: $input) { userErrors { code } } }"
    values = {"orgUnitId": target.unit_id, "year": next(world.report_years)}
    return await payload_ok(api, query, {"input": values}, "submitReport")


async def comment_report(api: Api, target: Target, _: World) -> bool:
    """Comment on the unit's 2026 Q3 report (its id is its unit and period)."""
    report_id = base64.urlsafe_b64encode(f"Report:{decode(target.unit_id)}.2026.3".encode()).decode()
    query = "mutation($input: AddCommentInput!) { addComment(input: $input) { userErrors { code } } }"
    return await payload_ok(api, query, {"input": {"reportId": report_id, "body": "Mohon dicek."}}, "addComment")


def decode(global_id: str) -> int:
    return int(base64.urlsafe_b64decode(global_id.encode()).decode().split(":")[1])


CREATE_PLAN = """mutation($input: CreateStrategicPlanInput!) { createStrategicPlan(input: $input) {
                 version { id } userErrors { code } } }"""


def plan_of(target: Target, start_year: int) -> dict[str, Any]:
    kind = "RPJMD" if target.unit_id != target.scope_id else "RENSTRA"
    return {
        "orgUnitId": target.unit_id,
        "kind": kind,
        "name": "Rencana uji",
        "startYear": start_year,
        "endYear": start_year,
    }


async def draft_plan_version(admin: Api, target: Target, start_year: int) -> str:
    payload = (await admin.execute(CREATE_PLAN, {"input": plan_of(target, start_year)}))["createStrategicPlan"]
    assert payload["userErrors"] == [], payload
    version_id: str = payload["version"]["id"]
    return version_id


async def create_plan(api: Api, target: Target, world: World) -> bool:
    return await payload_ok(api, CREATE_PLAN, {"input": plan_of(target, next(world.plan_years))}, "createStrategicPlan")


async def read_plan_draft(api: Api, target: Target, _: World) -> bool:
    data = await api.execute("query($id: ID!) { node(id: $id) { id } }", {"id": target.draft_version_id})
    return data["node"] is not None


SAVE_AGREEMENT = """mutation($input: SaveAgreementInput!) { savePerformanceAgreement(input: $input) {
                    userErrors { code } } }"""
OFFICIAL = {"name": "Pejabat", "rank": "Pembina (IV/a)", "position": "Kepala"}


async def save_agreement(api: Api, target: Target, world: World) -> bool:
    """The unit's agreement for a fresh year; an agency's needs its Kepala Daerah's first."""
    year = next(world.agreement_years)
    if target.unit_id == target.scope_id:
        root = (
            await api.execute(
                "query($id: ID!) { node(id: $id) { ... on OrgUnit { parent { id } } } }", {"id": target.unit_id}
            )
        )["node"]["parent"]["id"]
        superior = {"orgUnitId": root, "year": year, "firstParty": OFFICIAL}
        assert await payload_ok(
            world.callers["admin.61"], SAVE_AGREEMENT, {"input": superior}, "savePerformanceAgreement"
        )
    values: dict[str, Any] = {"orgUnitId": target.unit_id, "year": year, "firstParty": OFFICIAL}
    if target.unit_id == target.scope_id:
        values["secondParty"] = OFFICIAL
    return await payload_ok(api, SAVE_AGREEMENT, {"input": values}, "savePerformanceAgreement")


OPERATIONS: dict[str, Operation] = {
    "node": node,
    "list": list_indicators,
    "read_values": read_values,
    "rollup": rollup,
    "submit_realisation": submit_realisation,
    "set_target": set_target,
    "create_unit": create_unit,
    "grant_role": grant_role,
    "create_token": create_token,
    "submit_report": submit_report,
    "comment_report": comment_report,
    "create_plan": create_plan,
    "read_plan_draft": read_plan_draft,
    "save_agreement": save_agreement,
}


@pytest.mark.parametrize("operation", list(OPERATIONS))
@pytest.mark.parametrize("caller", CALLERS)
async def test_authorisation_matrix(world: World, caller: str, operation: str) -> None:
    api = world.callers[caller]
    outcome = {scope: await OPERATIONS[operation](api, world.targets[scope], world) for scope in SCOPES}
    assert outcome == {scope: expected(caller, operation, scope) for scope in SCOPES}
