"""The SKP over the API, end to end on the demo's Dinas Kesehatan Kota Pontianak (demo/skp.py):
RHK under the superior's, a unit head's RHK from the signed agreement with the platform's own
achievement, the superior's rating by the 6/2022 matrix, the distribution's room and caps, and
finalising, refused with the numbers until every cap holds, after which the SKP are frozen in
the database. Who reads what follows policies/individual.py; bad input writes nothing."""

import base64
from decimal import Decimal
from typing import Any

import psycopg
import pytest

from domain.skp import OrganisationRating, Predikat, check_distribution
from tests.api.client import Api

MY_SKP = """{ myEmployee { id position { orgUnit { id code } } skp(year: 2026) { id state version rating
  resultsRating rhk { id description parent { id description } indicators { code } achievement { percent
  asOfQuarter } targets { aspect indicator target unitOfMeasure } } } } }"""
TEAM = """query($scope: ID!) { employees(scope: $scope, first: 500) { id position { code kind }
  skp(year: 2026) { id state version rating rhk { id } } } }"""
DISTRIBUTION = """query($unit: ID!) { ratingDistribution(unit: $unit, year: 2026) { year employees assessed final
  organisation { rating meanAchievement indicators measured asOfQuarter thresholds rounding }
  counts { rating count } caps { ratings bound percent limit actual room met description } } }"""
DRAFT = """mutation($input: DraftSkpInput!) { draftSkp(input: $input) { skp { id state version rhk { id description
  parent { id } indicators { code } targets { aspect target } } } userErrors { code field message } } }"""
AGREE = """mutation($id: ID!, $v: Int!) { agreeSkp(input: {skpId: $id, expectedVersion: $v}) {
  skp { id state version agreedBy } userErrors { code field message } } }"""
ASSESS = """mutation($input: AssessSkpInput!) { assessSkp(input: $input) { skp { id state version rating
  resultsRating behaviourRating } distribution { assessed caps { ratings bound limit actual room met } }
  userErrors { code field message } } }"""
FINALISE = """mutation($unit: ID!) { finaliseRatingDistribution(input: {unitId: $unit, year: 2026}) {
  distribution { final finalisedBy assessed } userErrors { code field message } } }"""
RULE = """mutation($input: SetOrganisationRatingRuleInput!) { setOrganisationRatingRule(input: $input) {
  rule { thresholds rounding } userErrors { code field message } } }"""


def codes(payload: dict[str, Any]) -> list[tuple[str, str | None]]:
    return [(e["code"], e["field"]) for e in payload["userErrors"]]


def target(aspect: str, value: str) -> dict[str, str]:
    return {"aspect": aspect, "indicator": "Laporan", "target": value, "unitOfMeasure": "laporan"}


async def _pontianak(api: Api) -> str:
    scope = (await api.execute('{ governments(kind: KOTA, parentCode: "61") { id code } }'))["governments"]
    return str(next(g["id"] for g in scope if g["code"] == "61.71"))


async def test_the_demo_skp_hang_under_the_superiors_and_heads_carry_their_agreement(demo_api: Api) -> None:
    staf = await demo_api.as_user("staf.61.71.dinkes")
    mine = (await staf.execute(MY_SKP))["myEmployee"]["skp"]
    assert mine["state"] == "ASSESSED" and mine["rating"] == "SANGAT_BAIK" and mine["resultsRating"] == "ABOVE"
    assert [r["description"] for r in mine["rhk"]] == [
        "Tersusunnya laporan pengelola data tepat waktu",
        "Terlaksananya pendampingan pengelola data di puskesmas",
    ]
    first = mine["rhk"][0]
    assert [(t["aspect"], Decimal(t["target"]), t["unitOfMeasure"]) for t in first["targets"]] == [
        ("KUANTITAS", Decimal(12), "laporan"), ("KUALITAS", Decimal(100), "%"), ("WAKTU", Decimal(12), "bulan"),
    ]  # fmt: skip
    assert first["indicators"] == [] and first["achievement"] is None
    kasi = await demo_api.as_user("kasi.61.71.dinkes")
    head = (await kasi.execute(MY_SKP))["myEmployee"]
    (own,) = head["skp"]["rhk"]
    assert {r["parent"]["id"] for r in mine["rhk"]} == {own["id"]}  # intervensi: under the kasi's RHK
    # The kepala seksi's RHK is the seksi's agreement indicator, under the kabid's RHK of the
    # indicator it cascades from (pohon kinerja), with the agreement's target of the year.
    assert [i["code"] for i in own["indicators"]] == ["DINKES.3.1-01"]
    assert (
        own["parent"]["description"] == "Persentase program Bidang Pencegahan dan Pengendalian Penyakit yang terlaksana"
    )
    assert [(t["aspect"], Decimal(t["target"])) for t in own["targets"]] == [("KUANTITAS", Decimal(12))]
    # Its achievement is the platform's (the seksi's indicator to the third quarter), read by the
    # kepala seksi, who holds no grant on the values themselves.
    assert own["achievement"] == {"percent": own["achievement"]["percent"], "asOfQuarter": 3}
    assert Decimal(own["achievement"]["percent"]) > 0
    assert head["skp"]["resultsRating"] == "AS_EXPECTED" and head["skp"]["rating"] == "BAIK"
    kadis = (await (await demo_api.as_user("kadis.61.71.dinkes")).execute(MY_SKP))["myEmployee"]["skp"]
    assert kadis["state"] == "AGREED" and kadis["rhk"][0]["parent"] is None  # rated by the Wali Kota


async def test_rating_respects_the_caps_and_finalising_freezes_the_year(fresh_api: Api, fresh_url: str) -> None:
    kadis = await fresh_api.as_user("kadis.61.71.dinkes")
    kasi = await fresh_api.as_user("kasi.61.71.dinkes")
    kabid = await fresh_api.as_user("kabid.61.71.dinkes")
    unit = (await kadis.execute(MY_SKP))["myEmployee"]["position"]["orgUnit"]
    assert unit["code"] == "DINKES"
    found = (await kasi.execute(DISTRIBUTION, {"unit": unit["id"]}))["ratingDistribution"]
    assert (found["employees"], found["assessed"], found["final"]) == (59, 54, False)
    organisation = found["organisation"]
    rating = OrganisationRating(organisation["rating"])
    assert organisation["indicators"] == organisation["measured"] == 1
    assert organisation["thresholds"] == ["110", "90", "70", "50"]
    counts = {c["rating"]: c["count"] for c in found["counts"]}
    assert sum(counts.values()) == 54
    given = [Predikat(r) for r, n in counts.items() for _ in range(n)]
    expected = check_distribution(rating, given, 59)
    assert [(c["limit"], c["actual"], c["room"], c["met"]) for c in found["caps"]] == [
        (e.limit, e.actual, e.room, e.met) for e in expected
    ]

    team = (await kasi.execute(TEAM, {"scope": unit["id"]}))["employees"]
    unrated = [e for e in team if e["skp"] and e["skp"]["state"] == "AGREED"]
    assert len(unrated) == 5
    first = unrated[0]
    missing = await kasi.execute(
        ASSESS,
        {"input": {"skpId": first["skp"]["id"], "expectedVersion": first["skp"]["version"], "behaviour": "ABOVE"}},
    )
    assert codes(missing["assessSkp"]) == [("RESULTS_REQUIRED", "results")]
    stranger = await kabid.execute(
        ASSESS,
        {"input": {"skpId": first["skp"]["id"], "expectedVersion": first["skp"]["version"], "behaviour": "ABOVE",
                   "results": "ABOVE"}},
    )  # fmt: skip
    assert codes(stranger["assessSkp"]) == [("NOT_FOUND", "skpId")]  # not the kabid's direct subordinate
    kasi_skp = next(e for e in (await kabid.execute(TEAM, {"scope": unit["id"]}))["employees"]
                    if e["position"]["code"] == "KASI-3.1")["skp"]  # fmt: skip
    typed = await kabid.execute(
        ASSESS,
        {"input": {"skpId": kasi_skp["id"], "expectedVersion": kasi_skp["version"], "behaviour": "AS_EXPECTED",
                   "results": "ABOVE"}},
    )  # fmt: skip
    assert codes(typed["assessSkp"]) == [("RESULTS_FROM_ORGANISATION", "results")]

    refused = (await kadis.execute(FINALISE, {"unit": unit["id"]}))["finaliseRatingDistribution"]
    assert codes(refused) == [("NOT_ALL_ASSESSED", "year")]
    assert "5 dari 59" in refused["userErrors"][0]["message"]
    assert codes((await kasi.execute(FINALISE, {"unit": unit["id"]}))["finaliseRatingDistribution"]) == [
        ("FORBIDDEN", "unitId")
    ]
    # Rate the five as Baik: a Baik or better organisation's "at most 70 % Baik" breaks.
    for person in unrated:
        rated = await kasi.execute(
            ASSESS,
            {"input": {"skpId": person["skp"]["id"], "expectedVersion": person["skp"]["version"],
                       "behaviour": "AS_EXPECTED", "results": "AS_EXPECTED"}},
        )  # fmt: skip
        assert rated["assessSkp"]["userErrors"] == [] and rated["assessSkp"]["skp"]["rating"] == "BAIK"
    after = rated["assessSkp"]["distribution"]
    assert after["assessed"] == 59
    broken = [c for c in after["caps"] if not c["met"]]
    outcome = (await kadis.execute(FINALISE, {"unit": unit["id"]}))["finaliseRatingDistribution"]
    # The demo's Dinas is rated Baik: at most 41 of 59 Baik (70 %, rounded down); 46 now.
    assert rating is OrganisationRating.BAIK
    assert broken == [{"ratings": ["BAIK"], "bound": "AT_MOST", "limit": 41, "actual": 46, "room": -5, "met": False}]
    assert codes(outcome) == [("DISTRIBUTION_CAP", "ratings")]
    assert outcome["userErrors"][0]["message"] == (
        "Organisasi berpredikat Baik: paling banyak 41 pegawai Baik (70%), kini 46."
    )
    # The rating official moves the five to Sangat Baik (the room showed five too many Baik).
    team = (await kasi.execute(TEAM, {"scope": unit["id"]}))["employees"]
    for person in [e for e in team if e["id"] in {u["id"] for u in unrated}]:
        moved = await kasi.execute(
            ASSESS,
            {"input": {"skpId": person["skp"]["id"], "expectedVersion": person["skp"]["version"],
                       "behaviour": "ABOVE", "results": "ABOVE"}},
        )  # fmt: skip
        assert moved["assessSkp"]["skp"]["rating"] == "SANGAT_BAIK"
    outcome = (await kadis.execute(FINALISE, {"unit": unit["id"]}))["finaliseRatingDistribution"]
    assert outcome["userErrors"] == [], outcome
    assert outcome["distribution"]["final"] is True
    again = (await kadis.execute(FINALISE, {"unit": unit["id"]}))["finaliseRatingDistribution"]
    assert codes(again) == [("ALREADY_FINAL", "year")]
    team = (await kasi.execute(TEAM, {"scope": unit["id"]}))["employees"]
    assert {e["skp"]["state"] for e in team} == {"FINAL"}
    late = team[1]["skp"]
    redo = await kasi.execute(
        ASSESS,
        {"input": {"skpId": late["id"], "expectedVersion": late["version"], "behaviour": "BELOW", "results": "BELOW"}},
    )
    assert codes(redo["assessSkp"]) == [("FINAL", "skpId")]
    with psycopg.connect(fresh_url) as conn:  # frozen in the database, whatever writes
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute("UPDATE skp SET predikat = 'SANGAT_KURANG' WHERE state = 'FINAL'")
        conn.rollback()
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute("DELETE FROM skp_rhk_target WHERE rhk_id IN (SELECT id FROM skp_rhk LIMIT 1)")


async def test_a_draft_is_checked_against_the_superiors_skp_and_written_whole(fresh_api: Api, fresh_url: str) -> None:
    """A staff member of the Subbagian Umum drafts anew (their demo SKP removed): the parent must
    be an RHK of their own superior's SKP, every target sound; nothing is written otherwise."""
    with psycopg.connect(fresh_url) as conn:
        account = "(SELECT id FROM app_user WHERE username = 'staf.61.71.dinkes')"
        conn.execute(f"UPDATE employee SET user_id = NULL WHERE user_id = {account}")
        conn.execute(
            f"""UPDATE employee SET user_id = {account}
                WHERE position_id = (SELECT id FROM position WHERE code = 'STAF-1.1-01')"""
        )
        conn.execute(
            """UPDATE skp SET state = 'DRAFT' WHERE employee_id = (SELECT e.id FROM employee e
               JOIN position p ON p.id = e.position_id WHERE p.code = 'STAF-1.1-01')"""
        )
        conn.execute(
            """DELETE FROM skp_rhk_target WHERE rhk_id IN (SELECT r.id FROM skp_rhk r JOIN skp s ON s.id = r.skp_id
               JOIN position p ON p.id = s.position_id WHERE p.code = 'STAF-1.1-01')"""
        )
        conn.execute(
            """DELETE FROM skp_rhk WHERE skp_id IN (SELECT s.id FROM skp s JOIN position p ON p.id = s.position_id
               WHERE p.code = 'STAF-1.1-01')"""
        )
        conn.execute("""DELETE FROM skp WHERE position_id = (SELECT id FROM position WHERE code = 'STAF-1.1-01')""")
        other = conn.execute(
            """SELECT r.id FROM skp_rhk r JOIN skp s ON s.id = r.skp_id JOIN position p ON p.id = s.position_id
               WHERE p.code = 'KASI-2.1'"""
        ).fetchone()
        own = conn.execute(
            """SELECT r.id FROM skp_rhk r JOIN skp s ON s.id = r.skp_id JOIN position p ON p.id = s.position_id
               WHERE p.code = 'KASI-1.1'"""
        ).fetchone()
    assert other is not None and own is not None

    def rhk_id(pk: int) -> str:
        return base64.urlsafe_b64encode(f"Rhk:{pk}".encode()).decode()

    staf = await fresh_api.as_user("staf.61.71.dinkes")
    assert (await staf.execute(MY_SKP))["myEmployee"]["skp"] is None
    bad = await staf.execute(
        DRAFT,
        {"input": {"year": 2026, "rhk": [
            {"description": "Arsip tertata", "parentId": rhk_id(other[0]), "targets": [target("KUANTITAS", "-1")]},
            {"description": " ", "targets": [target("WAKTU", "12"), target("WAKTU", "12")]},
        ]}},
    )  # fmt: skip
    assert codes(bad["draftSkp"]) == [
        ("INVALID_VALUE", "rhk.0.targets.0.target"),
        ("PARENT_NOT_IN_SUPERIOR_SKP", "rhk.0.parentId"),
        ("INVALID_TEXT", "rhk.1.description"),
        ("DUPLICATE_ASPECT", "rhk.1.targets.1.aspect"),
        ("PARENT_REQUIRED", "rhk.1.parentId"),
    ]
    assert (await staf.execute(MY_SKP))["myEmployee"]["skp"] is None  # nothing written
    good = {"description": "Arsip tertata", "parentId": rhk_id(own[0]), "targets": [target("KUANTITAS", "12")]}
    drafted = (await staf.execute(DRAFT, {"input": {"year": 2026, "rhk": [good]}}))["draftSkp"]
    assert drafted["userErrors"] == [] and drafted["skp"]["state"] == "DRAFT"
    (kept,) = drafted["skp"]["rhk"]
    stale = await staf.execute(DRAFT, {"input": {"year": 2026, "rhk": [good], "expectedVersion": 0}})
    assert codes(stale["draftSkp"]) == [("CONFLICT", "expectedVersion")]
    second = {**good, "description": "Surat masuk terdisposisi"}
    edited = await staf.execute(
        DRAFT,
        {"input": {"year": 2026, "expectedVersion": drafted["skp"]["version"],
                   "rhk": [{**good, "id": kept["id"], "targets": [target("KUALITAS", "100")]}, second]}},
    )  # fmt: skip
    rhk = edited["draftSkp"]["skp"]["rhk"]
    assert [r["id"] == kept["id"] for r in rhk] == [True, False]
    assert rhk[0]["targets"] == [{"aspect": "KUALITAS", "target": "100"}]
    # The kepala subbagian has no account: the kepala seksi of another section is no superior here.
    kasi = await fresh_api.as_user("kasi.61.71.dinkes")
    version = edited["draftSkp"]["skp"]["version"]
    foreign = await kasi.execute(AGREE, {"id": edited["draftSkp"]["skp"]["id"], "v": version})
    assert codes(foreign["agreeSkp"]) == [("NOT_FOUND", "skpId")]

    # The kepala subbagian (the kasi's account moved to them) reopens their SKP: drafting it again
    # without listing the agreement's indicator keeps its RHK, so the staff's RHK stay under it.
    with psycopg.connect(fresh_url) as conn:
        account = "(SELECT id FROM app_user WHERE username = 'kasi.61.71.dinkes')"
        conn.execute(f"UPDATE employee SET user_id = NULL WHERE user_id = {account}")
        conn.execute(
            f"""UPDATE employee SET user_id = {account}
                WHERE position_id = (SELECT id FROM position WHERE code = 'KASI-1.1')"""
        )
        conn.execute(
            "UPDATE skp SET state = 'DRAFT' WHERE position_id = (SELECT id FROM position WHERE code = 'KASI-1.1')"
        )
    head = await fresh_api.as_user("kasi.61.71.dinkes")
    reopened = (await head.execute(MY_SKP))["myEmployee"]["skp"]
    again = await head.execute(DRAFT, {"input": {"year": 2026, "rhk": [], "expectedVersion": reopened["version"]}})
    assert again["draftSkp"]["userErrors"] == []
    assert [r["id"] for r in again["draftSkp"]["skp"]["rhk"]] == [rhk_id(own[0])]


async def test_skp_and_distributions_are_read_only_by_those_the_rules_name(demo_api: Api) -> None:
    pontianak = await _pontianak(demo_api)
    unit = (await (await demo_api.as_user("kadis.61.71.dinkes")).execute(MY_SKP))["myEmployee"]["position"]["orgUnit"]

    async def skp_seen(username: str) -> int:
        answer = (await (await demo_api.as_user(username)).execute(TEAM, {"scope": pontianak}))["employees"]
        return sum(1 for e in answer if e["skp"] is not None)

    assert await skp_seen("verifier.61.71") == 60
    assert await skp_seen("kasi.61.71.dinkes") == 11  # their own and their ten staff's
    assert await skp_seen("staf.61.71.dinkes") == 1
    for master_only in ("admin.61.71", "finance.61.71"):
        assert await skp_seen(master_only) == 0, master_only

    async def distribution(api: Api) -> object:
        return (await api.execute(DISTRIBUTION, {"unit": unit["id"]}))["ratingDistribution"]

    for official in ("kadis.61.71.dinkes", "kabid.61.71.dinkes", "kasi.61.71.dinkes", "admin.61.71"):
        assert await distribution(await demo_api.as_user(official)) is not None, official
    for outsider in ("staf.61.71.dinkes", "operator.61.71.dinkes", "finance.61.71", "leader.61.71"):
        assert await distribution(await demo_api.as_user(outsider)) is None, outsider
    assert await distribution(demo_api.anonymous()) is None


async def test_a_pemda_sets_its_rule_from_achievement_to_organisation_rating(fresh_api: Api) -> None:
    admin = await fresh_api.as_user("admin.61.71")
    unit = (await (await fresh_api.as_user("kadis.61.71.dinkes")).execute(MY_SKP))["myEmployee"]["position"]
    rule = {"governmentCode": "61.71", "istimewaFrom": "120", "baikFrom": "130", "butuhPerbaikanFrom": "70",
            "kurangFrom": "50"}  # fmt: skip
    refused = (await admin.execute(RULE, {"input": rule}))["setOrganisationRatingRule"]
    assert codes(refused) == [("NOT_DESCENDING", "rule")]
    operator = await fresh_api.as_user("operator.61.71")
    assert codes((await operator.execute(RULE, {"input": rule}))["setOrganisationRatingRule"]) == [
        ("FORBIDDEN", "governmentCode")
    ]
    strict = {**rule, "istimewaFrom": "1000", "baikFrom": "999", "butuhPerbaikanFrom": "998", "kurangFrom": "997",
              "rounding": "NEAREST"}  # fmt: skip
    kept = (await admin.execute(RULE, {"input": strict}))["setOrganisationRatingRule"]
    assert kept["rule"] == {"thresholds": ["1000", "999", "998", "997"], "rounding": "NEAREST"}
    found = (await admin.execute(DISTRIBUTION, {"unit": unit["orgUnit"]["id"]}))["ratingDistribution"]
    assert found["organisation"]["rating"] == "SANGAT_KURANG"
    assert Decimal(found["organisation"]["meanAchievement"]) < 997
    assert [c["ratings"] for c in found["caps"]] == [["SANGAT_KURANG"], ["KURANG", "BUTUH_PERBAIKAN"], ["SANGAT_BAIK"]]


DEEP = """query($scope: ID!) { employees(scope: $scope, first: 100) { skp(year: 2026) { state position { code }
  rhk { description parent { description } achievement { percent } targets { aspect target } } } } }"""


async def test_a_page_of_skp_costs_the_same_statements_for_eleven_people_or_sixty(demo_api: Api) -> None:
    pontianak = await _pontianak(demo_api)
    kasi = await demo_api.as_user("kasi.61.71.dinkes")
    verifier = await demo_api.as_user("verifier.61.71")
    few, few_statements = await kasi.count_statements(DEEP, {"scope": pontianak})
    many, many_statements = await verifier.count_statements(DEEP, {"scope": pontianak})
    assert (len(few["employees"]), len(many["employees"])) == (11, 60)
    assert sum(len(e["skp"]["rhk"]) for e in many["employees"]) > 100
    assert many_statements <= few_statements <= 14  # the kasi, an employee, costs one more: their positions


async def test_an_employee_reads_the_superiors_rhk_to_hang_their_own_under(demo_api: Api) -> None:
    ask = "{ myEmployee { superiorRhk(year: 2026) { id description } } }"
    staf = (await (await demo_api.as_user("staf.61.71.dinkes")).execute(ask))["myEmployee"]["superiorRhk"]
    kasi = (await (await demo_api.as_user("kasi.61.71.dinkes")).execute(MY_SKP))["myEmployee"]["skp"]["rhk"]
    assert [r["id"] for r in staf] == [r["id"] for r in kasi]  # the kepala seksi's RHK
    kadis = (await (await demo_api.as_user("kadis.61.71.dinkes")).execute(ask))["myEmployee"]["superiorRhk"]
    assert kadis == []  # the agency head answers to the Kepala Daerah, who keeps no SKP here
    none = (await (await demo_api.as_user("staf.61.71.dinkes")).execute(ask.replace("2026", "2031")))["myEmployee"]
    assert none["superiorRhk"] == []
