"""Individual e-Kinerja over the API, end to end on the demo's Dinas Kesehatan Kota Pontianak:
an employee logs, submits the week; the kepala seksi returns an entry, it is fixed and approved;
BKPSDM's verifier scores and closes the month, which is then frozen in the database. Who reads
what follows policies/individual.py; bad input gets typed errors and writes nothing."""

import base64
from collections import Counter
from datetime import UTC, date, datetime, timedelta
from typing import Any

import psycopg
import pytest

from schema.context import today
from tests.api.client import Api

MY = """{ myEmployee { id nip name golongan position { code kind jobClass superiorId orgUnit { code } } } }"""
LOG = """mutation($input: LogActivityInput!) { logActivity(input: $input) {
  activityLog { id state version workDate } userErrors { code field message } } }"""
SUBMIT = """mutation($week: Date!) { submitActivityWeek(input: {weekStart: $week}) {
  weeklyApproval { state entries { id state } } userErrors { code field message } } }"""
REVIEW = """mutation($input: ReviewActivityWeekInput!) { reviewActivityWeek(input: $input) {
  weeklyApproval { state note entries { id state reviewNote } } userErrors { code field message } } }"""
PENDING = """{ pendingApprovals { weekStart state deadline employee { id name } entries { id description } } }"""
SCORE = """mutation($scores: [ActivityScoreInput!]!) { scoreActivities(input: {scores: $scores}) {
  activityLogs { id state score } userErrors { code field message } } }"""
CLOSE = """mutation($agency: ID!, $year: Int!, $month: Int!) { closeActivityMonth(input: {agencyId: $agency,
  year: $year, month: $month}) { closed counts { state count } userErrors { code field message } } }"""
EMPLOYEES = """query($scope: ID!) { employees(scope: $scope, first: 500) { name position { code } } }"""


def last_month_monday() -> date:
    """The first Monday of the month before this one: a week in a month that is over."""
    first = (today().replace(day=1) - timedelta(days=1)).replace(day=1)
    return first + timedelta(days=(7 - first.weekday()) % 7)


def entry(
    day: date, start: str, end: str, text: str = "Merekap laporan imunisasi", **more: object
) -> dict[str, object]:
    return {"workDate": day.isoformat(), "startsAt": start, "endsAt": end, "kind": "HADIR", "description": text, **more}


def codes(payload: dict[str, Any]) -> list[tuple[str, str | None]]:
    return [(e["code"], e["field"]) for e in payload["userErrors"]]


async def test_a_week_goes_from_log_to_score_and_its_month_freezes(fresh_api: Api, fresh_url: str) -> None:
    staf = await fresh_api.as_user("staf.61.71.dinkes")
    kasi = await fresh_api.as_user("kasi.61.71.dinkes")
    kabid = await fresh_api.as_user("kabid.61.71.dinkes")
    verifier = await fresh_api.as_user("verifier.61.71")
    me = (await staf.execute(MY))["myEmployee"]
    assert me["position"] == {
        "code": "STAF-3.1-01", "kind": "PELAKSANA", "jobClass": 7, "superiorId": me["position"]["superiorId"],
        "orgUnit": {"code": "DINKES.3.1"},
    }  # fmt: skip
    assert len(me["nip"]) == 18
    monday = last_month_monday()

    first = (await staf.execute(LOG, {"input": entry(monday, "08:00", "10:00")}))["logActivity"]
    assert first["activityLog"]["state"] == "DRAFT" and first["userErrors"] == []
    clash = (await staf.execute(LOG, {"input": entry(monday, "09:30", "11:00")}))["logActivity"]
    assert codes(clash) == [("OVERLAPPING_ENTRY", "startsAt")] and clash["activityLog"] is None
    ahead = today() + timedelta(days=1)
    bad = (await staf.execute(LOG, {"input": entry(ahead, "10:00", "09:00", " ")}))["logActivity"]
    assert codes(bad) == [("FUTURE_DATE", "workDate"), ("INVALID_TIME", "endsAt"), ("REQUIRED", "description")]
    closed = (await staf.execute(LOG, {"input": entry(date(2026, 9, 14), "17:00", "18:00")}))["logActivity"]
    assert ("MONTH_CLOSED", "workDate") in codes(closed)
    second = await staf.execute(LOG, {"input": entry(monday, "10:00", "12:00", "Memverifikasi data kasus")})
    second_id = second["logActivity"]["activityLog"]["id"]

    submitted = (await staf.execute(SUBMIT, {"week": monday.isoformat()}))["submitActivityWeek"]
    assert submitted["weeklyApproval"]["state"] == "SUBMITTED"
    late = (await staf.execute(LOG, {"input": entry(monday, "13:00", "15:00")}))["logActivity"]
    assert codes(late) == [("WEEK_SUBMITTED", "workDate")]

    queue = (await kasi.execute(PENDING))["pendingApprovals"]
    assert [(w["weekStart"], w["employee"]["id"], len(w["entries"])) for w in queue] == [
        (monday.isoformat(), me["id"], 2)
    ]
    review = {"employeeId": me["id"], "weekStart": monday.isoformat(), "returnedEntryIds": [second_id]}
    if today() <= monday + timedelta(days=9):  # the kabid may decide only past the deadline
        refused = (await kabid.execute(REVIEW, {"input": {**review, "note": "x"}}))["reviewActivityWeek"]
        assert codes(refused) == [("FORBIDDEN", "employeeId")]
    no_note = (await kasi.execute(REVIEW, {"input": review}))["reviewActivityWeek"]
    assert codes(no_note) == [("NOTE_REQUIRED", "note")]
    returned = await kasi.execute(REVIEW, {"input": {**review, "note": "Sebutkan puskesmasnya."}})
    week = returned["reviewActivityWeek"]["weeklyApproval"]
    assert week["state"] == "RETURNED"
    assert {e["id"]: e["state"] for e in week["entries"]} == {
        first["activityLog"]["id"]: "APPROVED",
        second_id: "RETURNED",
    }

    fixed = entry(monday, "10:00", "12:00", "Memverifikasi data kasus Puskesmas Alianyang", entryId=second_id,
                  expectedVersion=3)  # fmt: skip
    assert (await staf.execute(LOG, {"input": fixed}))["logActivity"]["userErrors"] == []
    assert (await staf.execute(SUBMIT, {"week": monday.isoformat()}))["submitActivityWeek"]["userErrors"] == []
    approved = await kasi.execute(REVIEW, {"input": {"employeeId": me["id"], "weekStart": monday.isoformat()}})
    assert approved["reviewActivityWeek"]["weeklyApproval"]["state"] == "APPROVED"

    ids = [first["activityLog"]["id"], second_id]
    out_of_range = await verifier.execute(SCORE, {"scores": [{"entryId": ids[0], "score": "10.5"}]})
    assert codes(out_of_range["scoreActivities"]) == [("INVALID_SCORE", "scores.0.score")]
    by_kasi = (await kasi.execute(SCORE, {"scores": [{"entryId": ids[0], "score": "8"}]}))["scoreActivities"]
    assert codes(by_kasi) == [("NOT_FOUND", "scores.0.entryId")]
    scored = (await verifier.execute(
        SCORE, {"scores": [{"entryId": ids[0], "score": "8.5"}, {"entryId": ids[1], "note": "Tanpa bukti dukung"}]}
    ))["scoreActivities"]  # fmt: skip
    assert [(log["state"], log["score"]) for log in scored["activityLogs"]] == [("VERIFIED", "8.5"), ("REJECTED", "0")]

    agency_id = base64.urlsafe_b64encode(f"OrgUnit:{me_agency(fresh_url)}".encode()).decode()
    month = {"agency": agency_id, "year": monday.year, "month": monday.month}
    closing = (await verifier.execute(CLOSE, month))["closeActivityMonth"]
    assert closing["closed"] and closing["userErrors"] == []
    again = (await verifier.execute(CLOSE, month))["closeActivityMonth"]
    assert codes(again) == [("ALREADY_CLOSED", "month")]
    frozen = await staf.execute(LOG, {"input": entry(monday + timedelta(days=1), "08:00", "09:00")})
    assert ("MONTH_CLOSED", "workDate") in codes(frozen["logActivity"])
    with psycopg.connect(fresh_url) as conn, pytest.raises(psycopg.errors.InsufficientPrivilege):
        conn.execute("UPDATE activity_log SET score = 10 WHERE work_date = %s", (monday,))


def me_agency(url: str) -> int:
    with psycopg.connect(url) as conn:
        row = conn.execute("SELECT agency_id FROM position WHERE code = 'STAF-3.1-01'").fetchone()
    assert row is not None
    return int(row[0])


async def test_individual_records_are_read_by_the_employee_their_superiors_and_the_units_in_scope(
    demo_api: Api,
) -> None:
    scope = (await demo_api.execute('{ governments(kind: KOTA, parentCode: "61") { id code } }'))["governments"]
    pontianak = next(g["id"] for g in scope if g["code"] == "61.71")

    async def seen(api: Api) -> list[str]:
        return [e["position"]["code"] for e in (await api.execute(EMPLOYEES, {"scope": pontianak}))["employees"]]

    assert len(await seen(await demo_api.as_user("verifier.61.71"))) == 60
    assert len(await seen(await demo_api.as_user("finance.61.71"))) == 60
    assert len(await seen(await demo_api.as_user("admin.61.71"))) == 60
    assert sorted(await seen(await demo_api.as_user("kasi.61.71.dinkes"))) == [
        "KASI-3.1",
        *[f"STAF-3.1-{n:02d}" for n in range(1, 11)],
    ]
    assert await seen(await demo_api.as_user("staf.61.71.dinkes")) == ["STAF-3.1-01"]
    for outsider in ("operator.61.71.dinkes", "reviewer.61.71", "leader.61.71", "operator.61.72"):
        assert await seen(await demo_api.as_user(outsider)) == [], outsider
    assert await seen(demo_api.anonymous()) == []
    logs = """query($scope: ID!) { employees(scope: $scope, first: 500) { position { code }
      activityLogs(from: "2026-09-01", to: "2026-09-30") { id } } }"""

    async def logs_of(username: str) -> int:
        answer = (await (await demo_api.as_user(username)).execute(logs, {"scope": pontianak}))["employees"]
        return sum(len(e["activityLogs"]) for e in answer)

    assert await logs_of("verifier.61.71") == 484  # the demo seksi's September
    assert await logs_of("kasi.61.71.dinkes") == 484  # their own and their ten staff's
    assert await logs_of("staf.61.71.dinkes") == 44  # their own: two a working day
    for master_only in ("admin.61.71", "finance.61.71"):  # the employee master, not the logs
        assert await logs_of(master_only) == 0, master_only
    reviewer = await demo_api.as_user("reviewer.61.71")
    created = await reviewer.execute(
        """mutation($scope: ID!, $expires: DateTime!) { createApiToken(input: {name: "t", scope: $scope,
           expiresAt: $expires}) { token } }""",
        {"scope": pontianak, "expires": (datetime.now(UTC) + timedelta(days=1)).isoformat()},
    )
    token = demo_api.with_token(created["createApiToken"]["token"])
    assert await seen(token) == []
    assert (await token.execute(MY))["myEmployee"] is None
    assert (await demo_api.anonymous().execute(PENDING))["pendingApprovals"] == []


async def test_a_staff_file_is_checked_row_by_row_and_written_whole_or_not_at_all(fresh_api: Api) -> None:
    admin = await fresh_api.as_user("admin.61.71")
    mutation = """mutation($rows: [StaffRowInput!]!, $dry: Boolean!) { importStaff(input: {governmentCode: "61.71",
      rows: $rows, dryRun: $dry}) { positions employees created userErrors { code field message } } }"""
    good = {"nip": "19900202 201501 2 077", "name": "Rina Oktaviani", "golongan": "III/a", "positionCode": "STAF-4-99",
            "positionName": "Pengelola Data", "positionKind": "PELAKSANA", "jobClass": 7, "unitCode": "DINKES.4",
            "superiorCode": "KABID-4"}  # fmt: skip
    orphan = {**good, "nip": "199002022015012078", "positionCode": "STAF-4-98", "superiorCode": "TIDAK-ADA"}
    loop = {**good, "nip": "199002022015012079", "positionCode": "STAF-4-97", "superiorCode": "STAF-4-97"}
    refused = (await admin.execute(mutation, {"rows": [good, orphan, loop], "dry": False}))["importStaff"]
    assert codes(refused) == [("UNKNOWN_SUPERIOR", "rows.1.superiorCode"), ("INVALID_SUPERIOR", "rows.2.superiorCode")]
    assert refused["employees"] is None
    dry = (await admin.execute(mutation, {"rows": [good], "dry": True}))["importStaff"]
    assert (dry["employees"], dry["created"], dry["userErrors"]) == (1, 1, [])
    written = (await admin.execute(mutation, {"rows": [good], "dry": False}))["importStaff"]
    assert (written["employees"], written["created"]) == (1, 1)
    replayed = (await admin.execute(mutation, {"rows": [good], "dry": False}))["importStaff"]
    assert (replayed["employees"], replayed["created"]) == (1, 0)
    operator = await fresh_api.as_user("operator.61.71")
    forbidden = (await operator.execute(mutation, {"rows": [good], "dry": True}))["importStaff"]
    assert codes(forbidden) == [("FORBIDDEN", "governmentCode")]


async def test_one_employee_is_read_by_id_by_whoever_would_list_them(demo_api: Api) -> None:
    me = (await (await demo_api.as_user("staf.61.71.dinkes")).execute(MY))["myEmployee"]
    one = """query($id: ID!) { employee(id: $id) { name activityLogs(from: "2026-09-01", to: "2026-09-30") { id } } }"""
    for reader in ("staf.61.71.dinkes", "kasi.61.71.dinkes", "verifier.61.71", "admin.61.71"):
        found = (await (await demo_api.as_user(reader)).execute(one, {"id": me["id"]}))["employee"]
        assert found is not None and found["name"] == me["name"], reader
    verifier = await demo_api.as_user("verifier.61.71")
    assert len((await verifier.execute(one, {"id": me["id"]}))["employee"]["activityLogs"]) == 44
    for outsider in ("operator.61.71.dinkes", "operator.61.72"):
        assert (await (await demo_api.as_user(outsider)).execute(one, {"id": me["id"]}))["employee"] is None
    assert (await demo_api.anonymous().execute(one, {"id": me["id"]}))["employee"] is None
    assert (await verifier.execute(one, {"id": "not-an-id"}))["employee"] is None


async def test_a_page_of_employees_with_their_logs_and_scores_costs_the_same_however_long(demo_api: Api) -> None:
    scope = (await demo_api.execute('{ governments(kind: KOTA, parentCode: "61") { id code } }'))["governments"]
    pontianak = next(g["id"] for g in scope if g["code"] == "61.71")
    verifier = await demo_api.as_user("verifier.61.71")
    page = """query($scope: ID!, $first: Int!) { employees(scope: $scope, first: $first) { name
      activityLogs(from: "2026-09-01", to: "2026-09-30") { id state rhk { description } }
      activityWeeks(from: "2026-09-01", to: "2026-09-30") { weekStart state entries { id } }
      activityCounts(from: "2026-09-01", to: "2026-09-30") { state count }
      monthlyScores(year: 2026) { month scoreSum } skp(year: 2026) { state } } }"""
    await verifier.count_statements(page, {"scope": pontianak, "first": 1})  # the session's first touch
    for first in range(5, 61):  # the smallest page that reaches the employees who logged
        few, some = await verifier.count_statements(page, {"scope": pontianak, "first": first})
        if any(e["activityLogs"] for e in few["employees"]):
            break
    many, sixty = await verifier.count_statements(page, {"scope": pontianak, "first": 60})
    assert len(few["employees"]) < 60 and len(many["employees"]) == 60
    assert sum(len(e["activityLogs"]) for e in many["employees"]) == 484
    for e in many["employees"]:  # the counts per state are the entries', counted in SQL
        assert {c["state"]: c["count"] for c in e["activityCounts"]} == Counter(x["state"] for x in e["activityLogs"])
    assert sixty == some


async def test_the_personnel_admin_appoints_the_verifier_and_finance_accounts_never_itself(fresh_api: Api) -> None:
    grant = """mutation($input: GrantRoleInput!) { grantRole(input: $input) { grant { role scope { code } }
      userErrors { code field } } }"""
    revoke = """mutation($input: GrantRoleInput!) { revokeRole(input: $input) { userErrors { code field } } }"""
    scope = (await fresh_api.execute('{ governments(kind: KOTA, parentCode: "61") { id code } }'))["governments"]
    pontianak = next(g["id"] for g in scope if g["code"] == "61.71")
    singkawang = next(g["id"] for g in scope if g["code"] == "61.72")
    admin = await fresh_api.as_user("admin.61.71")
    finance = {"username": "leader.61.71", "role": "FINANCE", "scope": pontianak}
    leader = await fresh_api.as_user("leader.61.71")
    assert (await leader.execute(EMPLOYEES, {"scope": pontianak}))["employees"] == []
    given = (await admin.execute(grant, {"input": finance}))["grantRole"]
    assert given == {"grant": {"role": "FINANCE", "scope": {"code": "61.71"}}, "userErrors": []}
    assert len((await leader.execute(EMPLOYEES, {"scope": pontianak}))["employees"]) == 60  # on the next request
    myself = await admin.execute(grant, {"input": {**finance, "username": "admin.61.71", "role": "VERIFIER"}})
    assert myself["grantRole"]["userErrors"] == [{"code": "SELF_APPOINTMENT", "field": "username"}]
    elsewhere = (await admin.execute(grant, {"input": {**finance, "scope": singkawang}}))["grantRole"]
    assert elsewhere["userErrors"] == [{"code": "FORBIDDEN", "field": "scope"}]
    operator = await fresh_api.as_user("operator.61.71")
    refused = (await operator.execute(grant, {"input": {**finance, "username": "reviewer.61.71"}}))["grantRole"]
    assert refused["userErrors"] == [{"code": "FORBIDDEN", "field": "scope"}]
    assert (await admin.execute(revoke, {"input": finance}))["revokeRole"]["userErrors"] == []
    assert (await leader.execute(EMPLOYEES, {"scope": pontianak}))["employees"] == []
