"""Perjanjian Kinerja through the API: the worked examples of the budget annex (W1–W3), the
signing flow and its frozen versions, revisions (PK Perubahan), and refused input."""

import asyncio
from typing import Any

import psycopg
import pytest

from domain.personnel import rank_of
from schema.ids import encode_id
from store.roles import as_role
from tests.api.client import Api
from tests.api.planning_client import (
    REVISE_AGREEMENT,
    SAVE_AGREEMENT,
    SIGN_AGREEMENT,
    Hierarchy,
    errors_of,
    mutate,
    ok,
    party,
)

YEAR = 2027
WALI_KOTA = party("Tjhai Chui Mie", "Wali Kota Singkawang")
KEPALA_DINAS = party("Budi Santoso", "Kepala Dinas Perencanaan", nip="198001012005011001")
KEPALA_BIDANG = party("Siti Aminah", "Kepala Bidang Program", nip="198502022010012002")
KEPALA_SEKSI = party("Andi Wijaya", "Kepala Seksi Data", nip="199003032015031003")


async def save(api: Api, unit: str, **fields: Any) -> dict[str, Any]:
    return await mutate(api, SAVE_AGREEMENT, "savePerformanceAgreement", {"orgUnitId": unit, "year": YEAR, **fields})


async def saved(api: Api, unit: str, **fields: Any) -> dict[str, Any]:
    payload = await save(api, unit, **fields)
    assert payload["userErrors"] == [], payload["userErrors"]
    agreement: dict[str, Any] = payload["agreement"]
    return agreement


async def sign(api: Api, agreement_id: str, signing_party: str) -> dict[str, Any]:
    return await mutate(
        api, SIGN_AGREEMENT, "signPerformanceAgreement", {"agreementId": agreement_id, "party": signing_party}
    )


async def signed(api: Api, agreement_id: str, *parties: str) -> dict[str, Any]:
    payload: dict[str, Any] = {}
    for signing_party in parties:
        payload = await sign(api, agreement_id, signing_party)
        assert payload["userErrors"] == [], payload["userErrors"]
    agreement: dict[str, Any] = payload["agreement"]
    return agreement


async def kepala_daerah(api: Api, hierarchy: Hierarchy) -> dict[str, Any]:
    return await saved(
        api,
        hierarchy.root,
        firstParty={**WALI_KOTA, "username": "admin.61"},
        items=[{"indicatorId": hierarchy.indicators["root"], "target": "75", "objective": "Meningkatnya IPM"}],
    )


async def test_w1_a_jpt_agreement_totals_its_programs_and_freezes_when_signed(fresh_api: Api) -> None:
    hierarchy = await Hierarchy.build(fresh_api)
    await kepala_daerah(fresh_api, hierarchy)
    jpt = await saved(
        fresh_api,
        hierarchy.agency,
        firstParty={**KEPALA_DINAS, "acting": "PLT", "username": "admin.61"},
        secondParty=WALI_KOTA,
        items=[
            {
                "indicatorId": hierarchy.indicators["agency"],
                "target": "90",
                "objective": "Meningkatnya kualitas perencanaan",
            },
        ],
        budgetLines=[
            {"code": "5.1.1", "name": "Program Penunjang Urusan Pemerintahan", "amount": "1250000000"},
            {"code": "5.01.02", "name": "Program Perencanaan Pembangunan Daerah", "amount": "750500000"},
        ],
    )
    assert (jpt["level"], jpt["state"], jpt["superior"]["level"]) == ("JPT", "DRAFT", "KEPALA_DAERAH")
    assert [line["code"] for line in jpt["budgetLines"]] == ["5.01.01", "5.01.02"]
    assert jpt["budgetTotal"] == "2000500000"
    assert jpt["firstParty"]["title"] == "Plt. Kepala Dinas Perencanaan"
    assert jpt["items"] == [
        {
            "indicator": {"id": hierarchy.indicators["agency"], "code": "PLAN-01"},
            "objective": "Meningkatnya kualitas perencanaan",
            "target": "90",
        }
    ]
    assert jpt["objectives"] == [
        {"name": "Meningkatnya kualitas perencanaan", "items": [{"indicator": {"code": "PLAN-01"}, "target": "90"}]}
    ]
    half = await signed(fresh_api, jpt["id"], "FIRST")
    assert (half["state"], half["versions"]) == ("DRAFT", [])
    done = await signed(fresh_api, jpt["id"], "SECOND")
    assert done["state"] == "SIGNED"
    (murni,) = done["versions"]
    assert (murni["number"], murni["kind"], murni["title"]) == (1, "MURNI", f"PERJANJIAN KINERJA TAHUN {YEAR}")
    assert (murni["budgetTotal"], murni["budgetTotalText"]) == ("2000500000", "2.000.500.000")
    assert {line["level"] for line in murni["budgetLines"]} == {"PROGRAM"}
    # A JPT's NIP is not printed; the title carries the Plt. prefix.
    assert murni["firstParty"] == {"name": "Budi Santoso", "nip": None, "title": "Plt. Kepala Dinas Perencanaan"}
    assert murni["items"] == [
        {
            "objective": "Meningkatnya kualitas perencanaan",
            "indicatorCode": "PLAN-01",
            "target": "90",
            "unitOfMeasure": "%",
        }
    ]


async def test_w2_the_kepala_daerah_annex_is_the_union_of_the_jpt_programs(fresh_api: Api) -> None:
    first = await Hierarchy.build(fresh_api, "PLANA")
    second = await Hierarchy.build(fresh_api, "PLANB")
    head = await kepala_daerah(fresh_api, first)
    for hierarchy, lines in [
        (first, [("5.01.01", "1250000000"), ("5.01.02", "750500000")]),
        (second, [("1.02.01", "2000000000")]),
    ]:
        await saved(
            fresh_api,
            hierarchy.agency,
            firstParty=KEPALA_DINAS,
            secondParty=WALI_KOTA,
            items=[{"indicatorId": hierarchy.indicators["agency"], "target": "90"}],
            budgetLines=[{"code": code, "name": f"Program {code}", "amount": amount} for code, amount in lines],
        )
    read = await fresh_api.execute(
        "query($id: ID!) { node(id: $id) { ... on PerformanceAgreement { budgetTotal subordinates { level } "
        "budgetLines { code amount level } } } }",
        {"id": head["id"]},
    )
    node = read["node"]
    assert node["budgetTotal"] == "4000500000"
    assert [line["code"] for line in node["budgetLines"]] == ["1.02.01", "5.01.01", "5.01.02"]
    assert node["subordinates"] == [{"level": "JPT"}, {"level": "JPT"}]
    refused = await save(
        fresh_api,
        first.root,
        firstParty=WALI_KOTA,
        budgetLines=[{"code": "5.01.01", "name": "Program", "amount": "1"}],
    )
    assert errors_of(refused) == {("ANNEX_DERIVED", "budgetLines.0.code")}
    signed_head = await signed(fresh_api, head["id"], "FIRST")
    assert signed_head["versions"][0]["budgetTotalText"] == "4.000.500.000"
    assert signed_head["versions"][0]["secondParty"] is None


async def test_w3_administrator_and_pengawas_annexes_list_kegiatan_and_sub_kegiatan(fresh_api: Api) -> None:
    hierarchy = await Hierarchy.build(fresh_api)
    await kepala_daerah(fresh_api, hierarchy)
    await saved(fresh_api, hierarchy.agency, firstParty=KEPALA_DINAS, secondParty=WALI_KOTA)
    wrong = await save(
        fresh_api,
        hierarchy.division,
        firstParty=KEPALA_BIDANG,
        secondParty=KEPALA_DINAS,
        budgetLines=[{"code": "5.01.02", "name": "Program", "amount": "1"}],
    )
    assert errors_of(wrong) == {("WRONG_BUDGET_LEVEL", "budgetLines.0.code")}
    administrator = await saved(
        fresh_api,
        hierarchy.division,
        firstParty=KEPALA_BIDANG,
        secondParty=KEPALA_DINAS,
        items=[{"indicatorId": hierarchy.indicators["division"], "target": "12"}],
        budgetLines=[
            {"code": "5.01.02.2.01", "name": "Penyusunan Dokumen Perencanaan", "amount": "300000000"},
            {"code": "5.01.02.2.02", "name": "Koordinasi Perencanaan", "amount": "199000000"},
        ],
    )
    assert administrator["level"] == "ADMINISTRATOR"
    assert {line["level"] for line in administrator["budgetLines"]} == {"ACTIVITY"}
    assert administrator["budgetTotal"] == "499000000"
    pengawas = await saved(
        fresh_api,
        hierarchy.section,
        firstParty=KEPALA_SEKSI,
        secondParty=KEPALA_BIDANG,
        items=[{"indicatorId": hierarchy.indicators["section"], "target": "4"}],
        budgetLines=[{"code": "5.1.2.2.1.1", "name": "Penyusunan Dokumen RKPD", "amount": "99000000.50"}],
    )
    assert pengawas["level"] == "PENGAWAS"
    assert pengawas["budgetLines"] == [
        {
            "code": "5.01.02.2.01.0001",
            "name": "Penyusunan Dokumen RKPD",
            "amount": "99000000.5",
            "level": "SUB_ACTIVITY",
        }
    ]
    done = await signed(fresh_api, pengawas["id"], "SECOND")
    assert done["state"] == "DRAFT"  # pihak kesatu has no linked account yet
    refused = await sign(fresh_api, pengawas["id"], "FIRST")
    assert errors_of(refused) == {("NO_SIGNATORY_ACCOUNT", "party")}


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ({"items": [{"indicatorId": "root", "target": "1"}]}, ("INDICATOR_OF_ANOTHER_UNIT", "items.0.indicatorId")),
        ({"budgetLines": [{"code": "5.01", "name": "P", "amount": "1"}]}, ("INVALID_SIPD_CODE", "budgetLines.0.code")),
        (
            {"budgetLines": [{"code": "5.01.01", "name": "P", "amount": "-5"}]},
            ("NEGATIVE_BUDGET", "budgetLines.0.amount"),
        ),
        (
            {"budgetLines": [{"code": "5.01.01", "name": "P", "amount": "0.001"}]},
            ("TOO_MANY_DECIMALS", "budgetLines.0.amount"),
        ),
        ({"secondParty": None}, ("REQUIRED", "secondParty")),
        ({"firstParty": {**KEPALA_DINAS, "nip": "123"}}, ("INVALID_NIP", "firstParty.nip")),
        ({"firstParty": {**KEPALA_DINAS, "username": "nobody"}}, ("NOT_FOUND", "firstParty.username")),
        ({"year": 1999}, ("INVALID_YEAR", "year")),
    ],
)
async def test_bad_agreements_are_refused_and_nothing_is_written(
    fresh_api: Api, fields: dict[str, Any], expected: tuple[str, str]
) -> None:
    hierarchy = await Hierarchy.build(fresh_api)
    await kepala_daerah(fresh_api, hierarchy)
    if "items" in fields:
        fields = {"items": [{"indicatorId": hierarchy.indicators["root"], "target": "1"}]}
    payload = await save(
        fresh_api, hierarchy.agency, **{"firstParty": KEPALA_DINAS, "secondParty": WALI_KOTA, **fields}
    )
    assert expected in errors_of(payload)
    listed = await fresh_api.execute(
        "query($scope: ID!) { performanceAgreements(scope: $scope, year: 2027) { level } }", {"scope": hierarchy.agency}
    )
    assert listed["performanceAgreements"] == []


async def test_an_agreement_needs_its_superiors_first(fresh_api: Api) -> None:
    hierarchy = await Hierarchy.build(fresh_api)
    payload = await save(fresh_api, hierarchy.agency, firstParty=KEPALA_DINAS, secondParty=WALI_KOTA)
    assert errors_of(payload) == {("SUPERIOR_AGREEMENT_MISSING", "orgUnitId")}


async def signed_jpt(api: Api, hierarchy: Hierarchy) -> dict[str, Any]:
    await kepala_daerah(api, hierarchy)
    jpt = await saved(
        api,
        hierarchy.agency,
        firstParty={**KEPALA_DINAS, "username": "admin.61"},
        secondParty=WALI_KOTA,
        items=[{"indicatorId": hierarchy.indicators["agency"], "target": "90"}],
        budgetLines=[{"code": "5.01.01", "name": "Program", "amount": "1000"}],
    )
    return await signed(api, jpt["id"], "FIRST", "SECOND")


async def test_a_signed_agreement_is_frozen_and_revised_into_a_new_version(fresh_api: Api, fresh_url: str) -> None:
    hierarchy = await Hierarchy.build(fresh_api)
    jpt = await signed_jpt(fresh_api, hierarchy)
    edit = await save(fresh_api, hierarchy.agency, firstParty=KEPALA_DINAS, secondParty=WALI_KOTA)
    assert errors_of(edit) == {("AGREEMENT_SIGNED", "orgUnitId")}
    # The target of a signed agreement is its indicator's annual target: it stays as signed.
    target = await fresh_api.execute(
        "mutation($input: SetTargetsInput!) { setTargets(input: $input) { userErrors { code field } } }",
        {"input": {"targets": [{"indicatorId": hierarchy.indicators["agency"], "year": YEAR, "value": "95"}]}},
    )
    assert target["setTargets"]["userErrors"] == [{"code": "AGREEMENT_SIGNED", "field": "targets.0.value"}]
    plain = as_role(fresh_url).replace("postgresql+psycopg", "postgresql")
    for statement in [
        "UPDATE agreement_version SET snapshot = '{}'",
        "DELETE FROM agreement_version",
        "UPDATE agreement_budget_line SET amount = 1",
        "DELETE FROM agreement_item",
        "UPDATE performance_agreement SET first_party = '{}' WHERE state = 'SIGNED'",
        "UPDATE performance_agreement SET state = 'DRAFT' WHERE state = 'SIGNED'",
    ]:
        with psycopg.connect(plain) as conn, pytest.raises(psycopg.Error):
            conn.execute(statement)
    unreasoned = await mutate(
        fresh_api,
        REVISE_AGREEMENT,
        "revisePerformanceAgreement",
        {"agreementId": jpt["id"], "reason": " ", "ground": "STRATEGY_OR_BUDGET_CHANGED"},
    )
    assert errors_of(unreasoned) == {("REASON_REQUIRED", "reason")}
    reopened = (
        await ok(
            fresh_api,
            REVISE_AGREEMENT,
            "revisePerformanceAgreement",
            {"agreementId": jpt["id"], "reason": "APBD Perubahan 2027", "ground": "STRATEGY_OR_BUDGET_CHANGED"},
        )
    )["agreement"]
    assert (reopened["state"], reopened["revisionReason"]) == ("DRAFT", "APBD Perubahan 2027")
    await saved(
        fresh_api,
        hierarchy.agency,
        firstParty={**KEPALA_DINAS, "username": "admin.61"},
        secondParty=WALI_KOTA,
        items=[{"indicatorId": hierarchy.indicators["agency"], "target": "92"}],
        budgetLines=[{"code": "5.01.01", "name": "Program", "amount": "1500"}],
    )
    revised = await signed(fresh_api, jpt["id"], "FIRST", "SECOND")
    murni, perubahan = revised["versions"]
    assert (murni["kind"], murni["budgetTotal"], murni["items"][0]["target"]) == ("MURNI", "1000", "90")
    assert (perubahan["kind"], perubahan["budgetTotal"], perubahan["items"][0]["target"]) == ("PERUBAHAN", "1500", "92")
    assert (perubahan["reason"], perubahan["ground"]) == ("APBD Perubahan 2027", "STRATEGY_OR_BUDGET_CHANGED")
    assert perubahan["title"] == f"PERJANJIAN KINERJA PERUBAHAN TAHUN {YEAR}"


async def test_signing_races_are_safe(fresh_api: Api) -> None:
    hierarchy = await Hierarchy.build(fresh_api)
    await kepala_daerah(fresh_api, hierarchy)
    jpt = await saved(
        fresh_api,
        hierarchy.agency,
        firstParty={**KEPALA_DINAS, "username": "admin.61"},
        secondParty=WALI_KOTA,
        items=[{"indicatorId": hierarchy.indicators["agency"], "target": "90"}],
    )
    await signed(fresh_api, jpt["id"], "FIRST")
    payloads = await asyncio.gather(*(sign(fresh_api, jpt["id"], "SECOND") for _ in range(3)))
    outcomes = sorted("ok" if not p["userErrors"] else p["userErrors"][0]["code"] for p in payloads)
    assert outcomes == ["ALREADY_SIGNED", "ALREADY_SIGNED", "ok"]
    read = await fresh_api.execute(
        "query($id: ID!) { node(id: $id) { ... on PerformanceAgreement { versions { number } } } }", {"id": jpt["id"]}
    )
    assert read["node"]["versions"] == [{"number": 1}]


async def test_a_target_is_needed_for_every_indicator_before_signing(fresh_api: Api) -> None:
    hierarchy = await Hierarchy.build(fresh_api)
    await kepala_daerah(fresh_api, hierarchy)
    jpt = await saved(
        fresh_api,
        hierarchy.agency,
        firstParty=KEPALA_DINAS,
        secondParty=WALI_KOTA,
        items=[{"indicatorId": hierarchy.indicators["agency2"]}],
    )
    refused = await sign(fresh_api, jpt["id"], "SECOND")
    assert errors_of(refused) == {("MISSING_TARGET", "items.0")}
    empty = await saved(fresh_api, hierarchy.division, firstParty=KEPALA_BIDANG, secondParty=KEPALA_DINAS)
    assert errors_of(await sign(fresh_api, empty["id"], "SECOND")) == {("EMPTY_AGREEMENT", "agreementId")}


async def test_who_signs(fresh_api: Api) -> None:
    hierarchy = await Hierarchy.build(fresh_api)
    await kepala_daerah(fresh_api, hierarchy)
    jpt = await saved(
        fresh_api,
        hierarchy.agency,
        firstParty={**KEPALA_DINAS, "username": "admin.61"},
        secondParty=WALI_KOTA,
        items=[{"indicatorId": hierarchy.indicators["agency"], "target": "90"}],
    )
    operator = await fresh_api.as_user("operator.61.72")
    assert errors_of(await sign(operator, jpt["id"], "FIRST")) == {("FORBIDDEN", "party")}
    assert errors_of(await sign(operator, jpt["id"], "SECOND")) == {("FORBIDDEN", "party")}
    outsider = await fresh_api.as_user("operator.61.71")
    assert errors_of(await sign(outsider, jpt["id"], "SECOND")) == {("NOT_FOUND", "agreementId")}
    assert (await outsider.execute("query($id: ID!) { node(id: $id) { id } }", {"id": jpt["id"]}))["node"] is None


async def test_agreement_compliance_counts_from_the_dpa_approval(fresh_api: Api) -> None:
    record = """mutation($input: RecordBudgetApprovalInput!) { recordBudgetApproval(input: $input) {
                  approvedOn agreementsDue userErrors { code field } } }"""
    query = """query($code: String!) { agreementCompliance(governmentCode: $code, year: 2026) {
                 orgUnit { code kind } state deadline status } }"""
    before = (await fresh_api.execute(query, {"code": "61.71"}))["agreementCompliance"]
    assert {row["status"] for row in before} == {"NOT_DUE"}  # no DPA date recorded yet
    wrong = await fresh_api.execute(
        record, {"input": {"governmentCode": "61.71", "year": 2026, "approvedOn": "2024-12-30"}}
    )
    assert wrong["recordBudgetApproval"]["userErrors"] == [{"code": "INVALID_DATE", "field": "approvedOn"}]
    planner = await fresh_api.as_user("planner.61.71")
    recorded = await planner.execute(
        record, {"input": {"governmentCode": "61.71", "year": 2026, "approvedOn": "2025-12-31"}}
    )
    assert recorded["recordBudgetApproval"] == {
        "approvedOn": "2025-12-31",
        "agreementsDue": "2026-01-31",
        "userErrors": [],
    }
    rows = (await fresh_api.execute(query, {"code": "61.71"}))["agreementCompliance"]
    # The demo's 2026 agreements were signed when the demo was loaded, long after 31 January 2026.
    assert {(row["state"], row["status"]) for row in rows} == {("SIGNED", "LATE")}
    assert {row["deadline"] for row in rows} == {"2026-01-31"}
    singkawang = (await fresh_api.execute(query, {"code": "61.72"}))["agreementCompliance"]
    assert {row["state"] for row in singkawang} == {None}
    outsider = await fresh_api.as_user("operator.61.72")
    refused = await outsider.execute(
        record, {"input": {"governmentCode": "61.71", "year": 2026, "approvedOn": "2025-12-31"}}
    )
    assert refused["recordBudgetApproval"]["userErrors"] == [{"code": "FORBIDDEN", "field": "governmentCode"}]
    errors = await outsider.errors(query, {"code": "61.71"})
    assert errors[0]["extensions"]["code"] == "FORBIDDEN"


async def test_a_party_named_from_the_staff_register_signs_with_its_own_account(fresh_api: Api, fresh_url: str) -> None:
    """Kota Pontianak's 2027 Dinas Kesehatan agreement with pihak kesatu given only by NIP: the name,
    NIP, rank (PP 99/2000's pangkat) and position come from the staff register, and the account
    linked to that employee signs as pihak kesatu; an unknown NIP, or no name at all, is refused."""
    with psycopg.connect(fresh_url) as conn:
        row = conn.execute(
            """SELECT e.nip, e.name, e.golongan, p.name FROM employee e JOIN app_user u ON u.id = e.user_id
               JOIN position p ON p.id = e.position_id WHERE u.username = 'kadis.61.71.dinkes'"""
        ).fetchone()
        assert row is not None
        nip, name, golongan, position = row
        units = conn.execute(
            """SELECT u.code, u.id, (SELECT i.id FROM indicator i WHERE i.org_unit_id = u.id AND i.is_key
                                    ORDER BY i.id LIMIT 1)
               FROM org_unit u JOIN government g ON g.id = u.government_id
               WHERE g.code = '61.71' AND u.code IN ('61.71', 'DINKES') AND u.valid_to IS NULL"""
        ).fetchall()
    ids = {code: (encode_id("OrgUnit", unit), encode_id("Indicator", indicator)) for code, unit, indicator in units}
    root, dinkes = next(v for k, v in ids.items() if k != "DINKES"), ids["DINKES"]
    await saved(fresh_api, root[0], firstParty={**WALI_KOTA, "username": "leader.61.71"},
                items=[{"indicatorId": root[1], "target": "75", "objective": "Meningkatnya IPM"}])  # fmt: skip
    items = [{"indicatorId": dinkes[1], "target": "90"}]
    agreement = await saved(fresh_api, dinkes[0], firstParty={"employeeNip": nip}, secondParty=WALI_KOTA, items=items)
    assert (agreement["firstParty"]["name"], agreement["firstParty"]["nip"]) == (name, nip)
    assert agreement["firstParty"]["rank"] == rank_of(golongan) and "(" in agreement["firstParty"]["rank"]
    assert agreement["firstParty"]["position"] == position
    # The official reads the draft it is named in (and nobody else without a grant does), and signs it.
    node = "query($id: ID!) { node(id: $id) { id } }"
    kadis, kabid = await fresh_api.as_user("kadis.61.71.dinkes"), await fresh_api.as_user("kabid.61.71.dinkes")
    assert (await kadis.execute(node, {"id": agreement["id"]}))["node"] == {"id": agreement["id"]}
    assert (await kabid.execute(node, {"id": agreement["id"]}))["node"] is None
    assert (await sign(kadis, agreement["id"], "FIRST"))["userErrors"] == []

    unknown = await save(fresh_api, dinkes[0], firstParty={"employeeNip": "199001012020011999"}, secondParty=WALI_KOTA,
                         items=items)  # fmt: skip
    assert errors_of(unknown) == {("NOT_FOUND", "firstParty.employeeNip")}
    nameless = await save(fresh_api, dinkes[0], firstParty={"position": "Kepala Dinas", "rank": "Pembina (IV/a)"},
                          secondParty=WALI_KOTA, items=items)  # fmt: skip
    assert ("firstParty.name" in {field for _, field in errors_of(nameless)}) and nameless["agreement"] is None
