"""The reporting workflow over HTTP, as the people of Kota Pontianak and the province live it."""

import asyncio
from typing import Any

import pytest
from sqlalchemy import text

from store.database import create_engine
from tests.api.client import Api
from tests.api.factories import government_ids

UNIT_OF = """query($code: String!) { government(code: $code) { rootUnit { id children { id code } } } }"""
REPORT = """query($unit: ID!, $year: Int!, $quarter: Int) { report(orgUnitId: $unit, year: $year, quarter: $quarter) {
  id state year quarter submittedAt deadline reviewedBy orgUnit { code }
  history { action state actor reason } comments { id body author resolved parentId indicator { code } } } }"""
FIELDS = "report { id state reviewedBy history { action state actor } } userErrors { code field message }"
SUBMIT = f"mutation($i: SubmitReportInput!) {{ submitReport(input: $i) {{ {FIELDS} }} }}"
RETURN = f"mutation($i: ReviewReportInput!) {{ returnReport(input: $i) {{ {FIELDS} comment {{ id }} }} }}"
APPROVE = f"mutation($i: ReviewReportInput!) {{ approveReport(input: $i) {{ {FIELDS} }} }}"
PUBLISH = f"mutation($i: PublishReportInput!) {{ publishReport(input: $i) {{ {FIELDS} }} }}"
UNLOCK = f"mutation($i: UnlockReportInput!) {{ unlockReport(input: $i) {{ {FIELDS} }} }}"
COMMENT = f"mutation($i: AddCommentInput!) {{ addComment(input: $i) {{ {FIELDS} comment {{ id parentId }} }} }}"
RESOLVE = f"mutation($i: ResolveCommentInput!) {{ resolveComment(input: $i) {{ {FIELDS} comment {{ resolved }} }} }}"
CORRECT = f"""mutation($i: CorrectRealisationInput!) {{ correctRealisation(input: $i) {{ {FIELDS}
  realisation {{ value version correction {{ by reason previousValue }} }} }} }}"""
SUBMIT_VALUES = (
    """mutation($i: SubmitRealisationsInput!) { submitRealisations(input: $i) { userErrors { code field } } }"""
)
INDICATORS_OF = """query($id: ID!) { indicators(filter: {orgUnitId: $id}) { edges { node { id code
  realisations(year: 2026) { quarter value version } achievement(year: 2026, quarter: 3) { realisation } } } } }"""
COMPLIANCE = """query($scope: ID!, $year: Int!, $quarter: Int) {
  reportingCompliance(scope: $scope, year: $year, quarter: $quarter) {
    orgUnit { id code } state submittedAt deadline status reviewer } }"""
AUDIT = """query($filter: AuditLogFilter) { auditLog(filter: $filter, first: 100) { totalCount
  edges { node { actor action entityType entityId old new reason requestId } } } }"""


async def unit_id(api: Api, code: str, agency: str | None = None) -> str:
    root = (await api.execute(UNIT_OF, {"code": code}))["government"]["rootUnit"]
    if agency is None:
        found: str = root["id"]
        return found
    return next(str(u["id"]) for u in root["children"] if u["code"] == agency)


async def run(api: Api, mutation: str, values: dict[str, Any]) -> dict[str, Any]:
    data = await api.execute(mutation, {"i": values})
    payload: dict[str, Any] = next(iter(data.values()))
    return payload


def ok(payload: dict[str, Any]) -> dict[str, Any]:
    assert payload["userErrors"] == [], payload["userErrors"]
    report: dict[str, Any] = payload["report"]
    return report


def codes(payload: dict[str, Any]) -> list[str]:
    return [e["code"] for e in payload["userErrors"]]


async def test_the_whole_story_from_agency_draft_to_public(fresh_api: Api) -> None:
    operator = await fresh_api.as_user("operator.61.71.dinkes")
    city_reviewer = await fresh_api.as_user("reviewer.61.71")
    city_operator = await fresh_api.as_user("operator.61.71")
    province_reviewer = await fresh_api.as_user("reviewer.61")
    leader = await fresh_api.as_user("leader.61")
    dinkes = await unit_id(fresh_api, "61.71", "DINKES")
    city = await unit_id(fresh_api, "61.71")

    draft = (await operator.execute(REPORT, {"unit": dinkes, "year": 2026, "quarter": 3}))["report"]
    assert (draft["state"], draft["deadline"], draft["history"]) == ("DRAFT", "2026-10-10", [])

    submitted = ok(await run(operator, SUBMIT, {"orgUnitId": dinkes, "year": 2026, "quarter": 3}))
    report_id = submitted["id"]
    assert submitted["state"] == "SUBMITTED"
    # Submitted data is frozen for the operator.
    indicators = (await operator.execute(INDICATORS_OF, {"id": dinkes}))["indicators"]["edges"]
    first = indicators[0]["node"]
    frozen = await run(
        operator, SUBMIT_VALUES, {"idempotencyKey": "frozen", "realisations": [
            {"indicatorId": first["id"], "year": 2026, "quarter": 3, "value": "1"}]},
    )  # fmt: skip
    assert codes(frozen) == ["REPORT_NOT_EDITABLE"]

    returned = await run(city_reviewer, RETURN, {"reportId": report_id, "comment": "Lengkapi bukti dukung TW III."})
    assert ok(returned)["state"] == "RETURNED"
    reply = await run(
        operator, COMMENT, {"reportId": report_id, "body": "Sudah dilengkapi.", "parentId": returned["comment"]["id"]}
    )
    assert reply["comment"]["parentId"] == returned["comment"]["id"]
    assert ok(await run(city_reviewer, RESOLVE, {"commentId": returned["comment"]["id"]}))
    q3 = next(r for r in first["realisations"] if r["quarter"] == 3)
    row = {"indicatorId": first["id"], "year": 2026, "quarter": 3, "value": "20.5", "expectedVersion": q3["version"]}
    fixed = await run(operator, SUBMIT_VALUES, {"idempotencyKey": "fix", "realisations": [row]})
    assert fixed["userErrors"] == []
    assert ok(await run(operator, SUBMIT, {"orgUnitId": dinkes, "year": 2026, "quarter": 3}))["state"] == "SUBMITTED"

    approved = ok(await run(city_reviewer, APPROVE, {"reportId": report_id}))
    assert (approved["state"], approved["reviewedBy"]) == ("LOCKED", "reviewer.61.71")

    city_report = ok(await run(city_operator, SUBMIT, {"orgUnitId": city, "year": 2026, "quarter": 3}))
    # The city's own reviewers do not approve the consolidated report: the province does.
    assert codes(await run(city_reviewer, APPROVE, {"reportId": city_report["id"]})) == ["FORBIDDEN"]
    assert ok(await run(province_reviewer, APPROVE, {"reportId": city_report["id"]}))["state"] == "LOCKED"
    assert codes(await run(city_operator, PUBLISH, {"reportId": city_report["id"]})) == ["FORBIDDEN"]
    published = ok(await run(leader, PUBLISH, {"reportId": city_report["id"]}))
    assert published["state"] == "PUBLISHED"
    assert [(s["action"], s["state"]) for s in published["history"]] == [
        ("SUBMIT", "SUBMITTED"),
        ("APPROVE", "APPROVED"),
        ("APPROVE", "LOCKED"),
        ("PUBLISH", "PUBLISHED"),
    ]

    # The public now sees the city's published Q3 report and its own figures.
    public = fresh_api.anonymous()
    seen = (await public.execute(REPORT, {"unit": city, "year": 2026, "quarter": 3}))["report"]
    assert seen["state"] == "PUBLISHED"
    assert (await public.execute(REPORT, {"unit": dinkes, "year": 2026, "quarter": 3}))["report"] is None  # locked only
    city_values = (await public.execute(INDICATORS_OF, {"id": city}))["indicators"]["edges"]
    assert any(e["node"]["achievement"] is not None for e in city_values)

    # Every step is in the audit log, with who did it.
    trail = (await province_reviewer.execute(AUDIT, {"filter": {"entityId": report_id}}))["auditLog"]
    assert [(e["node"]["actor"], e["node"]["action"]) for e in reversed(trail["edges"])] == [
        ("operator.61.71.dinkes", "report.submit"),
        ("reviewer.61.71", "report.return"),
        ("operator.61.71.dinkes", "report.submit"),
        ("reviewer.61.71", "report.approve"),
    ]
    value_trail = await province_reviewer.execute(AUDIT, {"filter": {"entityId": f"{first['id']}"}})
    assert value_trail["auditLog"]["totalCount"] == 0  # entity ids are database keys, not global ids
    everything = (await province_reviewer.execute(AUDIT, {"filter": {"actor": "operator.61.71.dinkes"}}))["auditLog"]
    actions = [e["node"]["action"] for e in everything["edges"]]
    assert {"report.submit", "comment.add", "realisation.set"} <= set(actions)
    realisation_change = next(e["node"] for e in everything["edges"] if e["node"]["action"] == "realisation.set")
    assert realisation_change["new"]["value"] == "20.5"
    assert realisation_change["old"]["version"] == q3["version"]


@pytest.mark.parametrize(
    ("action", "extra", "expected"),
    [
        (APPROVE, {}, "INVALID_TRANSITION"),  # a draft cannot be approved
        (PUBLISH, {}, "INVALID_TRANSITION"),
        (UNLOCK, {"reason": "x"}, "INVALID_TRANSITION"),
        (RETURN, {"comment": "x"}, "INVALID_TRANSITION"),
    ],
)
async def test_illegal_transitions_are_user_errors(fresh_api: Api, action: str, extra: dict, expected: str) -> None:  # type: ignore[type-arg]
    admin = await fresh_api.as_user("admin.61")
    dinkes = await unit_id(fresh_api, "61.71", "DINKES")
    draft = (await admin.execute(REPORT, {"unit": dinkes, "year": 2026, "quarter": 3}))["report"]
    payload = await run(admin, action, {"reportId": draft["id"], **extra})
    assert (payload["report"], codes(payload)) == (None, [expected])
    assert (await admin.execute(REPORT, {"unit": dinkes, "year": 2026, "quarter": 3}))["report"]["history"] == []


async def test_return_and_unlock_need_a_reason_and_unlock_returns_to_submitted(fresh_api: Api) -> None:
    reviewer = await fresh_api.as_user("reviewer.61.71")
    pontianak_dinsos = await unit_id(fresh_api, "61.71", "DINSOS")
    locked = (await reviewer.execute(REPORT, {"unit": pontianak_dinsos, "year": 2026, "quarter": 2}))["report"]
    assert locked["state"] == "LOCKED"
    assert codes(await run(reviewer, UNLOCK, {"reportId": locked["id"], "reason": " "})) == ["REASON_REQUIRED"]
    unlocked = ok(await run(reviewer, UNLOCK, {"reportId": locked["id"], "reason": "Data BPS direvisi."}))
    assert unlocked["state"] == "SUBMITTED"
    assert codes(await run(reviewer, RETURN, {"reportId": locked["id"]})) == ["REASON_REQUIRED"]


async def test_a_reviewer_corrects_a_submitted_value_with_a_reason(fresh_api: Api) -> None:
    reviewer = await fresh_api.as_user("reviewer.61.71")
    operator = await fresh_api.as_user("operator.61.71")
    dinkes = await unit_id(fresh_api, "61.71", "DINKES")
    ok(await run(operator, SUBMIT, {"orgUnitId": dinkes, "year": 2026, "quarter": 3}))
    node = (await operator.execute(INDICATORS_OF, {"id": dinkes}))["indicators"]["edges"][0]["node"]
    q3 = next(r for r in node["realisations"] if r["quarter"] == 3)
    values = {"indicatorId": node["id"], "year": 2026, "quarter": 3, "value": "21", "reason": "Salah ketik.",
              "expectedVersion": q3["version"]}  # fmt: skip
    assert codes(await run(operator, CORRECT, values)) == ["FORBIDDEN"]
    assert codes(await run(reviewer, CORRECT, {**values, "reason": ""})) == ["REASON_REQUIRED"]
    assert codes(await run(reviewer, CORRECT, {**values, "expectedVersion": 99})) == ["CONFLICT"]
    corrected = await run(reviewer, CORRECT, values)
    assert corrected["userErrors"] == []
    assert corrected["realisation"] == {
        "value": "21",
        "version": q3["version"] + 1,
        "correction": {"by": "reviewer.61.71", "reason": "Salah ketik.", "previousValue": q3["value"]},
    }


async def test_corrections_need_a_report_under_review(fresh_api: Api) -> None:
    reviewer = await fresh_api.as_user("reviewer.61.71")
    dinkes = await unit_id(fresh_api, "61.71", "DINKES")
    node = (await reviewer.execute(INDICATORS_OF, {"id": dinkes}))["indicators"]["edges"][0]["node"]
    q3 = next(r for r in node["realisations"] if r["quarter"] == 3)
    values = {"indicatorId": node["id"], "year": 2026, "quarter": 3, "value": "1", "reason": "x",
              "expectedVersion": q3["version"]}  # fmt: skip
    assert codes(await run(reviewer, CORRECT, values)) == ["REPORT_NOT_UNDER_REVIEW"]


async def test_compliance_shows_state_timeliness_and_reviewer(demo_api: Api) -> None:
    reviewer = await demo_api.as_user("reviewer.61")
    province = await government_ids(demo_api, "61")
    rows = (await reviewer.execute(COMPLIANCE, {"scope": province.government, "year": 2026, "quarter": 3}))[
        "reportingCompliance"
    ]
    statuses = {row["status"] for row in rows}
    assert {"ON_TIME", "LATE", "MISSING"} <= statuses
    assert all(row["deadline"] == "2026-10-10" for row in rows)
    returned = [row for row in rows if row["state"] == "RETURNED"]
    assert returned and all(row["reviewer"] for row in returned)
    singkawang = await government_ids(demo_api, "61.72")
    none_sent = await reviewer.execute(COMPLIANCE, {"scope": singkawang.government, "year": 2025, "quarter": 4})
    assert {row["status"] for row in none_sent["reportingCompliance"]} == {"MISSING"}
    operator = await demo_api.as_user("operator.61.71.dinkes")
    mine = await operator.execute(COMPLIANCE, {"scope": province.government, "year": 2026, "quarter": 3})
    assert [row["orgUnit"]["code"] for row in mine["reportingCompliance"]] == ["DINKES"]


async def test_the_audit_log_is_append_only_in_the_database(fresh_url: str, fresh_api: Api) -> None:
    pontianak = await government_ids(fresh_api, "61.71")
    await fresh_api.execute(
        """mutation($p: ID!) { createOrgUnit(input: {parentId: $p, code: "BARU", name: "Unit Baru",
           kind: PERANGKAT_DAERAH}) { userErrors { code } } }""",
        {"p": pontianak.root_unit},
    )
    engine = create_engine(fresh_url)
    try:
        for statement in ("UPDATE audit_log SET actor = 'x'", "DELETE FROM audit_log", "TRUNCATE audit_log"):
            async with engine.connect() as conn:
                with pytest.raises(Exception, match="append-only"):
                    await conn.execute(text(statement))
        async with engine.connect() as conn:
            count = (await conn.execute(text("SELECT count(*) FROM audit_log"))).scalar_one()
        assert count >= 1
    finally:
        await engine.dispose()


async def test_two_concurrent_editors_never_lose_an_update(fresh_api: Api) -> None:
    """Both read version v and both write: exactly one wins, the other gets CONFLICT."""
    operator = await fresh_api.as_user("operator.61.71")
    colleague = await fresh_api.as_user("admin.61.71")
    dinkes = await unit_id(fresh_api, "61.71", "DINKES")
    node = (await operator.execute(INDICATORS_OF, {"id": dinkes}))["indicators"]["edges"][0]["node"]
    version = next(r for r in node["realisations"] if r["quarter"] == 3)["version"]

    async def edit(api: Api, value: str, key: str) -> list[str]:
        row = {"indicatorId": node["id"], "year": 2026, "quarter": 3, "value": value, "expectedVersion": version}
        return codes(await run(api, SUBMIT_VALUES, {"idempotencyKey": key, "realisations": [row]}))

    for attempt in range(5):
        mine, theirs = str(100 + 2 * attempt), str(101 + 2 * attempt)
        first, second = await asyncio.gather(
            edit(operator, mine, f"a{attempt}"), edit(colleague, theirs, f"b{attempt}")
        )
        assert sorted([first, second]) == [[], ["CONFLICT"]]
        refreshed = (await operator.execute(INDICATORS_OF, {"id": dinkes}))["indicators"]["edges"][0]["node"]
        current = next(r for r in refreshed["realisations"] if r["quarter"] == 3)
        winner = mine if first == [] else theirs
        assert (current["value"], current["version"]) == (winner, version + 1)
        version = current["version"]


async def test_the_demos_reports_carry_the_history_of_their_state(demo_api: Api) -> None:
    """A report the demo loads published, locked or returned shows the steps that got it there,
    as a reviewer opening it would expect."""
    admin = await demo_api.as_user("admin.61")
    dinkes = await unit_id(demo_api, "61.71", "DINKES")
    published = (await admin.execute(REPORT, {"unit": dinkes, "year": 2025, "quarter": 2}))["report"]
    assert published["state"] == "PUBLISHED"
    assert [(s["action"], s["state"], s["actor"]) for s in published["history"]] == [
        ("SUBMIT", "SUBMITTED", "operator.61.71"),
        ("APPROVE", "APPROVED", "reviewer.61.71"),
        ("APPROVE", "LOCKED", "reviewer.61.71"),
        ("PUBLISH", "PUBLISHED", "leader.61.71"),
    ]
    locked = (await admin.execute(REPORT, {"unit": dinkes, "year": 2026, "quarter": 1}))["report"]
    assert [s["state"] for s in locked["history"]] == ["SUBMITTED", "APPROVED", "LOCKED"]
    # A returned report carries its reason as a comment too, as returnReport leaves it.
    province = await government_ids(demo_api, "61")
    rows = (await admin.execute(COMPLIANCE, {"scope": province.government, "year": 2026, "quarter": 3}))[
        "reportingCompliance"
    ]
    unit = next(row["orgUnit"]["id"] for row in rows if row["state"] == "RETURNED")
    returned = (await admin.execute(REPORT, {"unit": unit, "year": 2026, "quarter": 3}))["report"]
    (reason,) = {s["reason"] for s in returned["history"] if s["action"] == "RETURN"}
    assert [(c["body"], c["author"]) for c in returned["comments"]] == [(reason, returned["reviewedBy"])]
