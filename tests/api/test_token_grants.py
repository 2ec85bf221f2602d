"""API tokens read individual data only as their owner granted it (policies.individual.TokenGrant):
a payroll system reads the TPP statements finance reads, a reporting tool of the verification unit
the logs and scores; never more than the owner holds over the token's scope, never as anybody's
employee, never a write, and never once the owner has lost that read."""

from datetime import UTC, datetime, timedelta
from typing import Any

import psycopg

from tests.api.client import Api

CREATE = """mutation($scope: ID!, $expires: DateTime!, $grants: [IndividualData!]!) { createApiToken(input: {
  name: "penggajian", scope: $scope, expiresAt: $expires, individualData: $grants }) {
  token apiToken { id individualData } userErrors { code field message } } }"""
READ = """query($scope: ID!) { employees(scope: $scope, first: 100) { nip position { code }
  tppStatements(year: 2026) { month amount }
  activityLogs(from: "2026-09-01", to: "2026-09-30") { id }
  monthlyScores(year: 2026) { month }
  skp(year: 2026) { id } } }"""
MY = "{ myEmployee { id } pendingApprovals { weekStart } }"


async def pontianak_of(api: Api) -> str:
    scope = (await api.execute('{ governments(kind: KOTA, parentCode: "61") { id code } }'))["governments"]
    return str(next(g["id"] for g in scope if g["code"] == "61.71"))


async def create(api: Api, scope: str, grants: list[str]) -> dict[str, Any]:
    expires = (datetime.now(UTC) + timedelta(days=1)).isoformat()
    return dict((await api.execute(CREATE, {"scope": scope, "expires": expires, "grants": grants}))["createApiToken"])


def totals(employees: list[dict[str, Any]]) -> dict[str, int]:
    return {
        "employees": len(employees),
        "statements": sum(len(e["tppStatements"]) for e in employees),
        "logs": sum(len(e["activityLogs"]) for e in employees),
        "scores": sum(len(e["monthlyScores"]) for e in employees),
        "skp": sum(e["skp"] is not None for e in employees),
    }


async def test_a_token_reads_only_the_individual_data_granted_to_it(demo_api: Api) -> None:
    pontianak = await pontianak_of(demo_api)
    finance = await demo_api.as_user("finance.61.71")
    payroll = await create(finance, pontianak, ["PERSONNEL", "TPP"])
    assert payroll["userErrors"] == [] and payroll["apiToken"]["individualData"] == ["PERSONNEL", "TPP"]
    employees = (await demo_api.with_token(payroll["token"]).execute(READ, {"scope": pontianak}))["employees"]
    # The demo's September is computed and paid for all 60; nothing of the logs, scores or SKP.
    assert totals(employees) == {"employees": 60, "statements": 60, "logs": 0, "scores": 0, "skp": 0}
    assert all(len(e["nip"]) == 18 for e in employees)

    verifier = await demo_api.as_user("verifier.61.71")
    monitoring = await create(verifier, pontianak, ["PERSONNEL", "ACTIVITY"])
    employees = (await demo_api.with_token(monitoring["token"]).execute(READ, {"scope": pontianak}))["employees"]
    seen = totals(employees)
    assert (seen["employees"], seen["statements"], seen["logs"]) == (60, 0, 484)  # the demo seksi's September
    assert (seen["scores"], seen["skp"]) == (11, 60)  # the seksi's scored month; every SKP of 2026

    # Without PERSONNEL the master is not listed, so no individual record is reached through it.
    statements_only = await create(finance, pontianak, ["TPP"])
    assert (await demo_api.with_token(statements_only["token"]).execute(READ, {"scope": pontianak}))["employees"] == []


async def test_a_token_is_nobody_s_employee_and_never_writes(demo_api: Api) -> None:
    pontianak = await pontianak_of(demo_api)
    kasi = await demo_api.as_user("kasi.61.71.dinkes")
    mine = await create(kasi, pontianak, [])
    token = demo_api.with_token(mine["token"])
    # The kepala seksi reads their staff's logs signed in; their token reads nothing of theirs.
    assert await token.execute(MY) == {"myEmployee": None, "pendingApprovals": []}
    assert totals((await token.execute(READ, {"scope": pontianak}))["employees"])["employees"] == 0

    verifier = await demo_api.as_user("verifier.61.71")
    granted = demo_api.with_token((await create(verifier, pontianak, ["PERSONNEL", "ACTIVITY"]))["token"])
    logs = """query($scope: ID!) { employees(scope: $scope, first: 100) {
      activityLogs(from: "2026-09-01", to: "2026-09-30") { id } } }"""
    some = next(e for e in (await granted.execute(logs, {"scope": pontianak}))["employees"] if e["activityLogs"])
    score = """mutation($id: ID!) { scoreActivities(input: {scores: [{entryId: $id, score: 9}]}) {
      userErrors { code } } }"""
    # Reading the logs is no licence to decide them: out of the token's reach, as out of scope.
    answer = await granted.execute(score, {"id": some["activityLogs"][0]["id"]})
    assert answer["scoreActivities"]["userErrors"] == [{"code": "NOT_FOUND"}]


async def test_a_grant_the_owner_does_not_hold_is_refused_and_a_lost_one_ends_the_token(
    fresh_api: Api, fresh_url: str
) -> None:
    pontianak = await pontianak_of(fresh_api)
    operator = await fresh_api.as_user("operator.61.71")
    refused = await create(operator, pontianak, ["ACTIVITY", "PERSONNEL"])
    assert refused["token"] is None
    assert [(e["code"], e["field"]) for e in refused["userErrors"]] == [("FORBIDDEN", "individualData.0")]
    assert "kinerja harian dan SKP" in refused["userErrors"][0]["message"]
    assert (await operator.execute("{ apiTokens { id } }"))["apiTokens"] == []  # nothing written

    finance = await fresh_api.as_user("finance.61.71")
    bare = await create(finance, pontianak, [])  # finance reads no performance values: a bare token reads nothing
    assert [(e["code"], e["field"]) for e in bare["userErrors"]] == [("GRANT_REQUIRED", "individualData")]
    kept = await create(finance, pontianak, ["PERSONNEL", "TPP"])
    payroll = fresh_api.with_token(kept["token"])
    assert len((await payroll.execute(READ, {"scope": pontianak}))["employees"]) == 60
    with psycopg.connect(fresh_url) as conn:  # the finance officer moves on: their role is taken away
        gone = conn.execute(
            """DELETE FROM casbin_rule WHERE ptype = 'g' AND v1 = 'FINANCE'
               AND v0 = (SELECT 'user:' || id FROM app_user WHERE username = 'finance.61.71')"""
        )
        assert gone.rowcount == 1
    assert (await payroll.post(READ, {"scope": pontianak})).status_code == 401
