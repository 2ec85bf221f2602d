"""The TPP allowance over the API, end to end on the demo's Dinas Kesehatan Kota Pontianak
(demo/tpp.py): the pemda's formula versions, a month's attendance and compliance recorded by
NIP, statements computed from them and the closed month's scores (each component and deduction,
the amount as domain/tpp.py computes it), the month paid and frozen in the database. Who reads
what follows policies/individual.py; bad input writes nothing."""

import asyncio
from decimal import Decimal
from typing import Any

import psycopg
import pytest

from actions import tpp
from demo.tpp import FORMULA
from domain.tpp import ComplianceItem, Duty, MonthFacts, statement
from store.database import create_engine
from store.roles import as_role
from tests.api.client import Api
from tests.api.test_skp import MY_SKP

STATEMENTS = """query($scope: ID!) { employees(scope: $scope, first: 100) { nip position { code kind jobClass }
  tppStatements(year: 2026) { month jobClass formulaVersion attendance performance compliance total base gross
  deductions { code label count percent amount } amount paidAt }
  monthlyScores(year: 2026) { month verifiedEntries scoreSum closed } } }"""
FORMULAS = """query($code: String!) { tppFormulas(governmentCode: $code) { version effectiveYear effectiveMonth reason
  attendanceWeight performanceWeight complianceWeight baseAmounts { jobClass amount } lateness { fromMinutes
  toMinutes percent } rounding } }"""
SAVE = """mutation($input: SaveTppFormulaInput!) { saveTppFormula(input: $input) { formula { version }
  userErrors { code field message } } }"""
FACTS = """mutation($input: RecordTppFactsInput!) { recordTppFacts(input: $input) { recorded
  userErrors { code field message } } }"""
COMPUTE = """mutation($input: TppMonthInput!) { computeTppStatements(input: $input) { statements withoutFacts total
  formulaVersion userErrors { code field message } } }"""
PAY = """mutation($input: TppMonthInput!) { payTppMonth(input: $input) { statements total
  userErrors { code field message } } }"""
CLOSE = """mutation($agency: ID!) { closeActivityMonth(input: {agencyId: $agency, year: 2026, month: 10}) {
  closed userErrors { code field message } } }"""


def codes(payload: dict[str, Any]) -> list[tuple[str, str | None]]:
    return [(e["code"], e["field"]) for e in payload["userErrors"]]


async def _scope(api: Api) -> tuple[str, str]:
    """Kota Pontianak and its Dinas Kesehatan."""
    scope = (await api.execute('{ governments(kind: KOTA, parentCode: "61") { id code } }'))["governments"]
    kadis = await api.as_user("kadis.61.71.dinkes")
    unit = (await kadis.execute(MY_SKP))["myEmployee"]["position"]["orgUnit"]["id"]
    return next(g["id"] for g in scope if g["code"] == "61.71"), unit


async def test_the_paid_september_is_read_by_the_employee_the_superior_and_finance(demo_api: Api) -> None:
    pontianak, _ = await _scope(demo_api)

    async def seen(username: str) -> list[dict[str, Any]]:
        answer = (await (await demo_api.as_user(username)).execute(STATEMENTS, {"scope": pontianak}))["employees"]
        return [e for e in answer if e["tppStatements"]]

    assert len(await seen("finance.61.71")) == 60
    assert len(await seen("kasi.61.71.dinkes")) == 11  # their own and their staff's
    for outsider in ("verifier.61.71", "admin.61.71", "operator.61.71.dinkes"):
        assert await seen(outsider) == [], outsider
    (mine,) = await seen("staf.61.71.dinkes")
    (september,) = mine["tppStatements"]
    assert (september["month"], september["jobClass"], september["formulaVersion"]) == (9, 7, 1)
    assert september["paidAt"] is not None and Decimal(september["base"]) == 2_500_000
    (scores,) = mine["monthlyScores"]
    assert (scores["month"], scores["closed"]) == (9, True) and scores["verifiedEntries"] > 30
    # The amount is domain/tpp.py's over the facts behind it: 22 working days, the scores summed.
    assert Decimal(september["performance"]) == min(Decimal(100), Decimal(scores["scoreSum"]) / 220 * 100)
    gross = Decimal(september["total"]) * Decimal(september["base"]) / 100
    assert Decimal(september["gross"]) == gross
    net = gross - sum((Decimal(d["amount"]) for d in september["deductions"]), Decimal(0))
    assert Decimal(september["amount"]) == net.quantize(Decimal(1))
    formulas = (await demo_api.anonymous().execute(FORMULAS, {"code": "61.71"}))["tppFormulas"]
    assert [(f["version"], f["attendanceWeight"], f["performanceWeight"], f["complianceWeight"]) for f in formulas] == [
        (1, "30", "50", "20")
    ]
    assert [b["jobClass"] for b in formulas[0]["baseAmounts"]] == [7, 9, 11, 14]
    token_free = await demo_api.anonymous().execute(STATEMENTS, {"scope": pontianak})
    assert token_free["employees"] == []


async def test_a_formula_is_checked_and_versioned(fresh_api: Api) -> None:
    admin = await fresh_api.as_user("admin.61.71")
    formula = {
        "governmentCode": "61.71", "effectiveYear": 2026, "effectiveMonth": 11, "reason": "Perwa perubahan",
        "attendanceWeight": "60", "performanceWeight": "50", "complianceWeight": "10",
        "baseAmounts": [{"jobClass": 7, "amount": "2500000.50"}],
        "lateness": [{"fromMinutes": 1, "toMinutes": 30, "percent": "0.5"}, {"fromMinutes": 20, "percent": "1"}],
    }  # fmt: skip
    refused = (await admin.execute(SAVE, {"input": formula}))["saveTppFormula"]
    assert codes(refused) == [
        ("WEIGHTS_OVER_100", "weights"), ("INVALID_BAND", "lateness.1"), ("INVALID_AMOUNT", "baseAmounts"),
    ]  # fmt: skip
    finance = await fresh_api.as_user("finance.61.71")
    assert codes((await finance.execute(SAVE, {"input": formula}))["saveTppFormula"])[0] == (
        "FORBIDDEN",
        "governmentCode",
    )
    fixed = {
        **formula,
        "attendanceWeight": "40",
        "baseAmounts": [{"jobClass": 7, "amount": "2600000"}],
        "lateness": None,
    }
    saved = (await admin.execute(SAVE, {"input": fixed}))["saveTppFormula"]
    assert saved == {"formula": {"version": 2}, "userErrors": []}
    versions = (await fresh_api.anonymous().execute(FORMULAS, {"code": "61.71"}))["tppFormulas"]
    assert [(f["version"], f["effectiveMonth"], len(f["lateness"])) for f in versions] == [(1, 1, 4), (2, 11, 4)]


async def test_october_is_recorded_computed_paid_and_frozen(fresh_api: Api, fresh_url: str) -> None:
    pontianak, agency = await _scope(fresh_api)
    finance = await fresh_api.as_user("finance.61.71")
    verifier = await fresh_api.as_user("verifier.61.71")
    staff = (await finance.execute(STATEMENTS, {"scope": pontianak}))["employees"]
    nips = [e["nip"] for e in staff]

    def row(nip: str, **more: object) -> dict[str, object]:
        return {"nip": nip, "workingDays": 22, "daysPresent": 22, "apelHeld": 4, "apelAttended": 4, "bmd": True,
                "tptgr": True, "lhkpn": True, **more}  # fmt: skip

    month = {"agencyId": agency, "year": 2026, "month": 10}
    early = (await finance.execute(COMPUTE, {"input": month}))["computeTppStatements"]
    assert codes(early) == [("MONTH_NOT_CLOSED", "month")]
    assert (await verifier.execute(CLOSE, {"agency": agency}))["closeActivityMonth"]["closed"] is True
    bad = [
        row("199901012023011999"),
        row(nips[0], daysPresent=23, lateMinutes=[0]),
        row(nips[1], apelAttended=5),
        row(nips[1]),
    ]
    refused = (await finance.execute(FACTS, {"input": {"year": 2026, "month": 10, "rows": bad}}))["recordTppFacts"]
    assert codes(refused) == [
        ("UNKNOWN_NIP", "rows.0.nip"),
        ("INVALID_COUNT", "rows.1.daysPresent"),
        ("INVALID_COUNT", "rows.1.lateMinutes"),
        ("INVALID_COUNT", "rows.2.apelAttended"),
        ("DUPLICATE_ROW", "rows.3.nip"),
    ]
    paid = await finance.execute(FACTS, {"input": {"year": 2026, "month": 9, "rows": [row(nips[0])]}})
    assert codes(paid["recordTppFacts"]) == [("MONTH_PAID", "month")]

    # Everyone but the last; the first late twice (12 and 45 minutes) and missing one apel.
    late = row(nips[0], daysPresent=21, apelAttended=3, lateMinutes=[12, 45], lhkpn=None)
    rows = [late, *[row(nip) for nip in nips[1:-1]]]
    recorded = (await finance.execute(FACTS, {"input": {"year": 2026, "month": 10, "rows": rows}}))["recordTppFacts"]
    assert recorded == {"recorded": 59, "userErrors": []}
    computed = (await finance.execute(COMPUTE, {"input": month}))["computeTppStatements"]
    assert (computed["statements"], computed["withoutFacts"], computed["formulaVersion"]) == (59, 1, 1)
    short = (await finance.execute(PAY, {"input": month}))["payTppMonth"]
    assert codes(short) == [("NOT_ALL_COMPUTED", "month")] and "59 dari 60" in short["userErrors"][0]["message"]
    await finance.execute(FACTS, {"input": {"year": 2026, "month": 10, "rows": [row(nips[-1])]}})
    computed = (await finance.execute(COMPUTE, {"input": month}))["computeTppStatements"]
    assert computed["statements"] == 60

    answer = (await finance.execute(STATEMENTS, {"scope": pontianak}))["employees"]
    first = next(e for e in answer if e["nip"] == nips[0])
    october = next(s for s in first["tppStatements"] if s["month"] == 10)
    official = first["position"]["kind"] in ("JPT", "ADMINISTRATOR", "PENGAWAS")  # they file the LHKPN
    duty = Duty.OFFICIAL if official else Duty.STAFF
    facts = MonthFacts(
        working_days=22, days_present=21, apel_held=4, apel_attended=3, late_minutes=[12, 45], score_sum=Decimal(0),
        compliance={ComplianceItem.BMD: True, ComplianceItem.TPTGR: True}, duty=duty,
    )  # fmt: skip
    expected = statement(FORMULA, first["position"]["jobClass"], facts)
    assert Decimal(october["amount"]) == expected.amount
    assert [(d["code"], d["count"]) for d in october["deductions"]] == [
        ("LATE_1", 1),
        ("LATE_31", 1),
        ("MISSED_APEL", 1),
    ]

    done = (await finance.execute(PAY, {"input": month}))["payTppMonth"]
    assert done["statements"] == 60 and done["userErrors"] == []
    assert Decimal(done["total"]) == Decimal(computed["total"])
    again = (await finance.execute(COMPUTE, {"input": month}))["computeTppStatements"]
    assert codes(again) == [("MONTH_PAID", "month")]
    assert codes((await finance.execute(PAY, {"input": month}))["payTppMonth"]) == [("ALREADY_PAID", "month")]
    admin = await fresh_api.as_user("admin.61.71")
    assert codes((await admin.execute(PAY, {"input": {**month, "month": 11}}))["payTppMonth"]) == [
        ("FORBIDDEN", "agencyId")
    ]
    with psycopg.connect(fresh_url) as conn:  # frozen in the database, whatever writes
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute("UPDATE tpp_statement SET amount = amount + 1 WHERE month = 10")
        conn.rollback()
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute("DELETE FROM tpp_payment WHERE month = 10")


START = """mutation($input: StartTppMonthJobInput!) { startTppMonthJob(input: $input) { job { id state agenciesTotal }
  userErrors { code field message } } }"""
JOB = """query($id: ID!) { tppJob(id: $id) { state agenciesTotal agenciesDone statements total error
  skipped { unit code message } finishedAt } }"""


async def test_a_month_of_a_pemda_is_computed_in_the_background_with_its_progress(
    fresh_api: Api, fresh_url: str
) -> None:
    pontianak, agency = await _scope(fresh_api)
    finance = await fresh_api.as_user("finance.61.71")
    verifier = await fresh_api.as_user("verifier.61.71")
    assert (await verifier.execute(CLOSE, {"agency": agency}))["closeActivityMonth"]["closed"] is True
    staff = (await finance.execute(STATEMENTS, {"scope": pontianak}))["employees"]
    rows = [{"nip": e["nip"], "workingDays": 22, "daysPresent": 22, "apelHeld": 4, "apelAttended": 4, "bmd": True,
             "tptgr": True} for e in staff]  # fmt: skip
    await finance.execute(FACTS, {"input": {"year": 2026, "month": 10, "rows": rows}})
    month = {"governmentCode": "61.71", "year": 2026, "month": 10}
    operator = await fresh_api.as_user("operator.61.71")
    assert codes((await operator.execute(START, {"input": month}))["startTppMonthJob"]) == [
        ("FORBIDDEN", "governmentCode")
    ]
    started = (await finance.execute(START, {"input": month}))["startTppMonthJob"]
    assert started["userErrors"] == [] and started["job"]["state"] == "RUNNING"
    job_id = started["job"]["id"]
    for _ in range(100):
        job = (await finance.execute(JOB, {"id": job_id}))["tppJob"]
        if job["state"] != "RUNNING":
            break
        await asyncio.sleep(0.1)
    assert job["state"] == "DONE" and job["error"] is None and job["finishedAt"] is not None
    assert job["agenciesDone"] == job["agenciesTotal"] == started["job"]["agenciesTotal"] > 1
    assert job["statements"] == 60  # the Dinas Kesehatan's; the others' months are not closed
    assert {s["code"] for s in job["skipped"]} == {"MONTH_NOT_CLOSED"}
    assert len(job["skipped"]) == job["agenciesTotal"] - 1
    computed = (await finance.execute(STATEMENTS, {"scope": pontianak}))["employees"]
    october = [s for e in computed for s in e["tppStatements"] if s["month"] == 10]
    assert len(october) == 60 and sum(Decimal(s["amount"]) for s in october) == Decimal(job["total"])
    assert (await operator.execute(JOB, {"id": job_id}))["tppJob"] is None
    assert (await fresh_api.anonymous().execute(JOB, {"id": job_id}))["tppJob"] is None


async def test_a_job_whose_server_stopped_is_taken_up_by_a_server_still_running(fresh_api: Api, fresh_url: str) -> None:
    """Two jobs left RUNNING by a server that stopped (no heartbeat for ten minutes): one that had
    done no agency, one that had done them all but not recorded its end; and one whose server
    still runs. The watch takes up the two stale ones once, where each stopped, and leaves the live one."""
    pontianak, agency = await _scope(fresh_api)
    finance = await fresh_api.as_user("finance.61.71")
    verifier = await fresh_api.as_user("verifier.61.71")
    assert (await verifier.execute(CLOSE, {"agency": agency}))["closeActivityMonth"]["closed"] is True
    staff = (await finance.execute(STATEMENTS, {"scope": pontianak}))["employees"]
    rows = [{"nip": e["nip"], "workingDays": 22, "daysPresent": 22, "apelHeld": 4, "apelAttended": 4} for e in staff]
    assert (await finance.execute(FACTS, {"input": {"year": 2026, "month": 10, "rows": rows}}))["recordTppFacts"][
        "recorded"
    ] == 60
    with psycopg.connect(fresh_url) as conn:
        government = "(SELECT id FROM government WHERE code = '61.71')"
        total = conn.execute(
            f"""SELECT count(*) FROM org_unit WHERE government_id = {government} AND kind = 'PERANGKAT_DAERAH'
                AND valid_from <= '2026-10-01' AND (valid_to IS NULL OR valid_to >= '2026-10-01')"""
        ).fetchone()
        assert total is not None
        jobs = [
            conn.execute(
                f"""INSERT INTO tpp_job (government_id, year, month, agencies_total, agencies_done, started_by,
                    updated_at) VALUES ({government}, 2026, 10, %s, %s, 'finance.61.71', now() - %s::interval)
                    RETURNING id""",
                (total[0], done, age),
            ).fetchone()
            for done, age in ((0, "10 minutes"), (total[0], "10 minutes"), (0, "1 minute"))
        ]
    fresh, finished, live = (str(job[0]) for job in jobs if job is not None)
    engine = create_engine(as_role(fresh_url), pool_size=2)
    try:
        assert await tpp.resume_stale_jobs(engine) == [int(fresh), int(finished)]
        assert await tpp.resume_stale_jobs(engine) == []  # each taken up once
    finally:
        await engine.dispose()
    with psycopg.connect(fresh_url) as conn:
        found = {
            str(row[0]): row[1:]
            for row in conn.execute("SELECT id, state, agencies_done, statements FROM tpp_job WHERE month = 10")
        }
    assert found[fresh] == ("DONE", total[0], 60)  # every agency, the Dinas Kesehatan's 60 statements
    assert found[finished] == ("DONE", total[0], 0)  # nothing left to do but record its end
    assert found[live][0] == "RUNNING"  # its server is alive: not taken from it
