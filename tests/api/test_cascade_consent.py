"""Cascade links across levels with consent: the upper level proposes, the lower accepts or
rejects with a reason, and only an accepted link counts in the computed parent's realisation."""

from typing import Any

from tests.api.client import Api
from tests.api.factories import create_indicator, create_unit, government_ids, set_targets, submit
from tests.api.reconciled import assert_aggregates_reconcile

PROPOSE = """
mutation($input: ProposeCascadeLinkInput!) {
  proposeCascadeLink(input: $input) { proposal { id state child { code } parent { code } } userErrors { code field } }
}
"""
DECIDE = """
mutation($input: DecideCascadeLinkInput!) {
  decideCascadeLink(input: $input) { proposal { id state decidedBy reason } userErrors { code field } }
}
"""
COMPUTED = """
query($id: ID!) {
  node(id: $id) { ... on Indicator { children { code } achievement(year: 2026, quarter: 4) { realisation } } }
}
"""


async def propose(api: Api, child: str, parent: str) -> dict[str, Any]:
    payload: dict[str, Any] = (
        await api.execute(PROPOSE, {"input": {"childIndicatorId": child, "parentIndicatorId": parent}})
    )["proposeCascadeLink"]
    return payload


async def decide(api: Api, proposal: str, accept: bool, reason: str = "") -> dict[str, Any]:
    payload: dict[str, Any] = (
        await api.execute(DECIDE, {"input": {"proposalId": proposal, "accept": accept, "reason": reason}})
    )["decideCascadeLink"]
    return payload


def codes(payload: dict[str, Any]) -> list[tuple[str, str]]:
    return [(error["code"], error["field"]) for error in payload["userErrors"]]


async def test_a_province_iku_counts_a_kota_indicator_only_once_the_kota_accepts(
    fresh_api: Api, fresh_url: str
) -> None:
    province = await government_ids(fresh_api, "61")
    kota = await government_ids(fresh_api, "61.71")
    parent = await create_indicator(
        fresh_api, province.root_unit, "PROV-SUM", periodAggregation="LAST", rollupFromChildren="SUM"
    )
    await set_targets(fresh_api, [{"indicatorId": parent, "year": 2026, "value": "100"}])
    kota_admin = await fresh_api.as_user("admin.61.71")
    child = await create_indicator(kota_admin, kota.root_unit, "KOTA-SUM", periodAggregation="LAST")
    await set_targets(kota_admin, [{"indicatorId": child, "year": 2026, "value": "40"}])
    submitted = await submit(kota_admin, [{"indicatorId": child, "year": 2026, "quarter": 4, "value": "12"}], key="c1")
    assert submitted["userErrors"] == []
    assert codes(await propose(kota_admin, child, parent)) == [("FORBIDDEN", "parentIndicatorId")]
    proposed = await propose(fresh_api, child, parent)
    assert proposed["proposal"]["state"] == "PROPOSED" and proposed["userErrors"] == []
    assert codes(await propose(fresh_api, child, parent)) == [("CONFLICT", "childIndicatorId")]
    pending = (await fresh_api.execute(COMPUTED, {"id": parent}))["node"]
    assert (pending["children"], pending["achievement"]["realisation"]) == ([], None)  # not counted yet
    proposal = proposed["proposal"]["id"]
    assert codes(await decide(fresh_api, proposal, True)) == [("FORBIDDEN", "proposalId")]  # the proposer's level
    assert codes(await decide(kota_admin, proposal, False)) == [("REASON_REQUIRED", "reason")]
    accepted = await decide(kota_admin, proposal, True)
    assert (accepted["proposal"]["state"], accepted["proposal"]["decidedBy"]) == ("ACCEPTED", "admin.61.71")
    assert codes(await decide(kota_admin, proposal, False, "berubah pikiran")) == [("ALREADY_DECIDED", "proposalId")]
    counted = (await fresh_api.execute(COMPUTED, {"id": parent}))["node"]
    assert (counted["children"], counted["achievement"]["realisation"]) == ([{"code": "KOTA-SUM"}], "12")
    await assert_aggregates_reconcile(fresh_url)


async def test_an_agency_rejects_a_pemda_link_with_a_reason(fresh_api: Api) -> None:
    kota = await government_ids(fresh_api, "61.71")
    kota_admin = await fresh_api.as_user("admin.61.71")
    rpjmd_indicator = await create_indicator(kota_admin, kota.root_unit, "RPJMD-X")
    tree = await fresh_api.execute('query { government(code: "61.71") { rootUnit { children { id code } } } }')
    dinkes = next(u["id"] for u in tree["government"]["rootUnit"]["children"] if u["code"] == "DINKES")
    agency_indicator = await create_indicator(kota_admin, dinkes, "DINKES-X")
    proposal = (await propose(kota_admin, agency_indicator, rpjmd_indicator))["proposal"]["id"]
    assert codes(await decide(kota_admin, proposal, False, "x")) == [("FORBIDDEN", "proposalId")]
    agency_operator = await fresh_api.as_user("operator.61.71.dinkes")
    rejected = await decide(agency_operator, proposal, False, "Indikator ini mendukung sasaran lain")
    assert (rejected["proposal"]["state"], rejected["proposal"]["reason"]) == (
        "REJECTED",
        "Indikator ini mendukung sasaran lain",
    )
    listed = await fresh_api.execute(
        "query($id: ID!) { cascadeProposals(indicatorId: $id) { state child { code } } }", {"id": rpjmd_indicator}
    )
    assert listed["cascadeProposals"] == [{"state": "REJECTED", "child": {"code": "DINKES-X"}}]
    unit = await create_unit(fresh_api, kota.root_unit, "LAIN")
    sideways = await create_indicator(kota_admin, unit, "LAIN-X")
    assert codes(await propose(kota_admin, agency_indicator, sideways)) == [("INVALID_PARENT", "parentIndicatorId")]
