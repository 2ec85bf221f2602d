"""The demo's planning documents (demo/planning.py), read as users would: Kota Pontianak's RPJMD
with its perubahan, every agency's Renstra, the 2026 agreements at every level, and the gaps."""

from collections import Counter

from tests.api.client import Api
from tests.api.factories import government_ids

PLANS = """
query($scope: ID!) {
  strategicPlans(scope: $scope) {
    kind name startYear endYear orgUnit { code }
    versions { id number state reason legalBasis { kind number } effectiveFrom
               goals { objectives { code alignedTo { code } indicators { indicator { code } } } } }
  }
}
"""
AGREEMENTS = """
query($scope: ID!) {
  performanceAgreements(scope: $scope, year: 2026) {
    level state orgUnit { code } superior { level }
    versions { kind title budgetTotal firstParty { nip title } secondParty { title } items { target } }
  }
}
"""


async def test_the_demo_holds_kota_pontianaks_plans_and_a_perubahan(demo_api: Api) -> None:
    ids = await government_ids(demo_api, "61.71")
    plans = (await demo_api.anonymous().execute(PLANS, {"scope": ids.government}))["strategicPlans"]
    kinds = Counter(plan["kind"] for plan in plans)
    assert kinds["RPJMD"] == 1 and kinds["RENSTRA"] >= 5
    (rpjmd,) = [plan for plan in plans if plan["kind"] == "RPJMD"]
    first, perubahan = rpjmd["versions"]
    assert (first["state"], first["effectiveFrom"]) == ("PUBLISHED", "2025-01-01")
    assert (perubahan["state"], perubahan["effectiveFrom"]) == ("PUBLISHED", "2027-01-01")
    assert perubahan["legalBasis"] == {"kind": "Peraturan Daerah Kota Pontianak", "number": "3 Tahun 2026"}
    assert perubahan["reason"].startswith("Penyesuaian target kemiskinan")
    for plan in plans:
        if plan["kind"] == "RENSTRA":
            (version,) = plan["versions"]
            objective = version["goals"][0]["objectives"][0]
            assert objective["alignedTo"]["code"].startswith("T"), plan["name"]
            assert objective["indicators"], plan["name"]
    compared = await demo_api.anonymous().execute(
        "query($id: ID!, $to: ID!) { node(id: $id) { ... on PlanVersion { compare(to: $to) { kind subject key } } } }",
        {"id": perubahan["id"], "to": first["id"]},
    )
    changes = compared["node"]["compare"]
    assert changes and {(change["kind"], change["subject"]) for change in changes} == {("CHANGED", "TARGET")}


async def test_the_demo_holds_signed_agreements_at_every_level_with_a_plt(demo_api: Api) -> None:
    ids = await government_ids(demo_api, "61.71")
    agreements = (await demo_api.anonymous().execute(AGREEMENTS, {"scope": ids.government}))["performanceAgreements"]
    levels = Counter(agreement["level"] for agreement in agreements)
    assert levels["KEPALA_DAERAH"] == 1
    assert levels["JPT"] >= 5 and levels["ADMINISTRATOR"] >= 2 and levels["PENGAWAS"] >= 1
    assert {agreement["state"] for agreement in agreements} == {"SIGNED"}
    titles = [agreement["versions"][0]["firstParty"]["title"] for agreement in agreements]
    assert any(title.startswith("Plt. Kepala Dinas Kesehatan") for title in titles)
    for agreement in agreements:
        (murni,) = agreement["versions"]
        assert murni["kind"] == "MURNI" and murni["items"], agreement
        printed_nip = murni["firstParty"]["nip"] is not None
        assert printed_nip == (agreement["level"] in ("ADMINISTRATOR", "PENGAWAS"))
    (head,) = [a for a in agreements if a["level"] == "KEPALA_DAERAH"]
    assert head["versions"][0]["secondParty"] is None
    jpt_total = sum(int(a["versions"][0]["budgetTotal"]) for a in agreements if a["level"] == "JPT")
    assert int(head["versions"][0]["budgetTotal"]) == jpt_total


async def test_planning_gaps_name_what_the_evaluation_will_score(demo_api: Api) -> None:
    query = (
        "query($code: String!) { planningGaps(governmentCode: $code, year: 2026) { kind message orgUnit { code } } }"
    )
    evaluator = await demo_api.as_user("evaluator.61")
    gaps = (await evaluator.execute(query, {"code": "61.71"}))["planningGaps"]
    kinds = Counter(gap["kind"] for gap in gaps)
    assert kinds["AGREEMENT_MISSING"] == 0  # every Pontianak unit heading a level signed its 2026 PK
    singkawang = Counter(gap["kind"] for gap in (await evaluator.execute(query, {"code": "61.72"}))["planningGaps"])
    assert singkawang["AGREEMENT_MISSING"] >= 1 and singkawang["RPJMD_OBJECTIVE_UNALIGNED"] >= 1
    assert singkawang["IKU_WITHOUT_AGREEMENT"] >= 1
    refused = await demo_api.anonymous().errors(query, {"code": "61.71"})
    assert refused[0]["extensions"]["code"] == "FORBIDDEN"


RKT = """
query($unit: ID!, $year: Int!) {
  annualPlan(orgUnitId: $unit, year: $year) {
    year editable source { number plan { kind } }
    rows { objective { code } indicator { code } planTarget target }
    programs { code budget activities { code } }
    agreement { level state }
  }
}
"""


async def test_the_rkt_follows_the_plan_in_force_and_locks_with_the_agreement(demo_api: Api) -> None:
    tree = await demo_api.execute('query { government(code: "61.71") { rootUnit { id children { id code } } } }')
    root = tree["government"]["rootUnit"]
    dinkes = next(unit["id"] for unit in root["children"] if unit["code"] == "DINKES")
    agency = (await demo_api.execute(RKT, {"unit": dinkes, "year": 2026}))["annualPlan"]
    assert agency["source"] == {"number": 1, "plan": {"kind": "RENSTRA"}}
    assert agency["rows"] and all(row["target"] == row["planTarget"] for row in agency["rows"])
    assert agency["programs"][0]["code"] == "1.02.02" and agency["programs"][0]["activities"]
    assert (agency["agreement"], agency["editable"]) == ({"level": "JPT", "state": "SIGNED"}, False)
    pemda = (await demo_api.execute(RKT, {"unit": root["id"], "year": 2027}))["annualPlan"]
    assert pemda["source"] == {"number": 2, "plan": {"kind": "RPJMD"}}  # the perubahan, in force from 2027
    assert (pemda["agreement"], pemda["editable"]) == (None, True)
    before = (await demo_api.execute(RKT, {"unit": root["id"], "year": 2026}))["annualPlan"]
    assert before["source"]["number"] == 1
