"""Reward and punishment through the API (issue 20): clauses in the monev rule, a list proposed
from the published rankings (the top two rewarded; red two months in a row reprimanded with a
meeting), confirmed by the leader and frozen, and each item's follow-up recorded."""

from typing import Any

import pytest
from sqlalchemy import text

from store.database import create_engine
from tests.api.client import Api
from tests.api.factories import government_ids

RULE = """
mutation($input: SetMonevRuleInput!) {
  setMonevRule(input: $input) { rule { version rewards { category trigger rankAtMost zones inARow action } }
                                userErrors { code field message } }
}
"""
UNITS = """query($s: ID!) { ranking(scope: $s, year: 2026, month: 6) { rows { code orgUnit { id } } } }"""
SUBMIT = """
mutation($input: SubmitMonevProgressInput!) { submitMonevProgress(input: $input) { userErrors { code field } } }
"""
PUBLISH = """
mutation($s: ID!, $m: Int!) { publishRanking(input: {scope: $s, year: 2026, month: $m}) { userErrors { code } } }
"""
LIST = """
query($s: ID!, $m: Int!) {
  rewardList(scope: $s, year: 2026, month: $m) {
    state label ruleVersion confirmedBy
    items { id code category categoryName action reason orgUnit { code } followUp { done doneOn note version } }
  }
}
"""
CONFIRM = """
mutation($s: ID!, $m: Int!) {
  confirmRewardList(input: {scope: $s, year: 2026, month: $m}) {
    rewardList { state confirmedBy items { id code category } } userErrors { code field }
  }
}
"""
FOLLOW_UP = """
mutation($input: RecordRewardFollowUpInput!) {
  recordRewardFollowUp(input: $input) { followUp { done doneOn note version updatedBy } userErrors { code field } }
}
"""

CLAUSES = [
    {"category": "PENGHARGAAN", "name": "Penghargaan", "trigger": "RANK_AT_MOST", "rankAtMost": 2},
    {"category": "TEGURAN", "name": "Teguran tertulis", "trigger": "ZONE", "zones": ["MERAH"], "inARow": 2,
     "action": "Rapat dengan Sekda"},
]  # fmt: skip
MONTHLY: dict[str, Any] = {
    "governmentCode": "61.72",
    "year": 2026,
    "method": "WEIGHTED",
    "groups": [{"code": "PHYSICAL_PROGRESS", "name": "Realisasi fisik", "source": "PLATFORM", "weight": "100"}],
    "zones": [
        {"code": "MERAH", "name": "Merah", "lower": "0", "upper": "61"},
        {"code": "KUNING", "name": "Kuning", "lower": "61", "upper": "81"},
        {"code": "HIJAU", "name": "Hijau", "lower": "81", "upper": None},
    ],
    "rewards": CLAUSES,
}


async def _two_published_months(fresh_api: Api) -> tuple[str, list[str]]:
    """June and July published, the same order both months: the last unit red both times."""
    kota = await government_ids(fresh_api, "61.72")
    admin = await fresh_api.as_user("admin.61")
    saved = await admin.execute(RULE, {"input": MONTHLY})
    assert saved["setMonevRule"]["userErrors"] == []
    units = [
        (r["code"], r["orgUnit"]["id"]) for r in (await admin.execute(UNITS, {"s": kota.government}))["ranking"]["rows"]
    ]
    physical = ["95", "90", *(["70"] * (len(units) - 3)), "30"]
    leader = await fresh_api.as_user("leader.61")
    for month in (6, 7):
        lines = [
            {"orgUnitId": unit, "code": "5.01.01", "name": "Program utama", "pagu": "1000", "physicalTarget": "50",
             "physicalRealisation": value, "financialTarget": "500", "financialRealisation": "400"}
            for (_, unit), value in zip(units, physical, strict=True)
        ]  # fmt: skip
        submitted = await admin.execute(SUBMIT, {"input": {"year": 2026, "month": month, "lines": lines}})
        assert submitted["submitMonevProgress"]["userErrors"] == []
        assert (await leader.execute(PUBLISH, {"s": kota.government, "m": month}))["publishRanking"]["userErrors"] == []
    return kota.government, [code for code, _ in units]


async def test_clauses_are_checked_with_the_rule(fresh_api: Api) -> None:
    admin = await fresh_api.as_user("admin.61")
    bad = {**MONTHLY, "rewards": [{**CLAUSES[1], "zones": ["UNGU"]}, {**CLAUSES[0], "rankAtMost": 0}]}
    refused = await admin.execute(RULE, {"input": bad})
    assert [(e["code"], e["field"]) for e in refused["setMonevRule"]["userErrors"]] == [
        ("UNKNOWN_ZONE", "rewards.0.zones"),
        ("RANK_REQUIRED", "rewards.1.rankAtMost"),
    ]
    saved = await admin.execute(RULE, {"input": MONTHLY})
    assert saved["setMonevRule"]["rule"]["rewards"][1] == {
        "category": "TEGURAN", "trigger": "ZONE", "rankAtMost": None, "zones": ["MERAH"], "inARow": 2,
        "action": "Rapat dengan Sekda",
    }  # fmt: skip


async def test_the_leader_confirms_the_list_and_its_follow_up_is_recorded(fresh_url: str, fresh_api: Api) -> None:
    admin = await fresh_api.as_user("admin.61")
    kota = await government_ids(fresh_api, "61.72")
    assert (await admin.execute(LIST, {"s": kota.government, "m": 6}))["rewardList"] is None, "nothing published yet"
    scope, codes = await _two_published_months(fresh_api)

    june = (await admin.execute(LIST, {"s": scope, "m": 6}))["rewardList"]
    assert [(i["code"], i["category"]) for i in june["items"]] == [(codes[0], "PENGHARGAAN"), (codes[1], "PENGHARGAAN")]
    proposed = (await admin.execute(LIST, {"s": scope, "m": 7}))["rewardList"]
    assert proposed["state"] == "PROPOSED" and proposed["label"] == "Juli 2026"
    assert [(i["id"], i["code"], i["category"]) for i in proposed["items"]] == [
        (None, codes[0], "PENGHARGAAN"), (None, codes[1], "PENGHARGAAN"), (None, codes[-1], "TEGURAN"),
    ]  # fmt: skip
    reprimand = proposed["items"][2]
    assert reprimand["reason"] == "Zona Merah 2 periode berturut-turut (Juni 2026, Juli 2026)."
    assert reprimand["action"] == "Rapat dengan Sekda" and reprimand["orgUnit"]["code"] == codes[-1]
    assert (await fresh_api.anonymous().execute(LIST, {"s": scope, "m": 7}))["rewardList"] is None

    operator = await fresh_api.as_user("operator.61.72")
    refused = await operator.execute(CONFIRM, {"s": scope, "m": 7})
    assert refused["confirmRewardList"]["userErrors"] == [{"code": "FORBIDDEN", "field": "scope"}]
    leader = await fresh_api.as_user("leader.61")
    unpublished = await leader.execute(CONFIRM, {"s": scope, "m": 8})
    assert unpublished["confirmRewardList"]["userErrors"] == [{"code": "NOT_PUBLISHED", "field": "month"}]
    confirmed = (await leader.execute(CONFIRM, {"s": scope, "m": 7}))["confirmRewardList"]
    assert confirmed["userErrors"] == [] and confirmed["rewardList"]["state"] == "CONFIRMED"
    items = confirmed["rewardList"]["items"]
    assert [(i["code"], i["category"]) for i in items] == [(i["code"], i["category"]) for i in proposed["items"]]
    assert all(i["id"] for i in items)
    again = await leader.execute(CONFIRM, {"s": scope, "m": 7})
    assert again["confirmRewardList"]["userErrors"] == [{"code": "ALREADY_CONFIRMED", "field": "month"}]

    # A later change of the clauses leaves the confirmed list as it was.
    changed = {**MONTHLY, "rewards": [CLAUSES[0]], "reason": "Teguran lewat rapat pimpinan saja"}
    assert (await admin.execute(RULE, {"input": changed}))["setMonevRule"]["userErrors"] == []
    kept = (await admin.execute(LIST, {"s": scope, "m": 7}))["rewardList"]
    assert kept["state"] == "CONFIRMED" and len(kept["items"]) == 3 and kept["ruleVersion"] == 1

    reviewer = await fresh_api.as_user("reviewer.61")
    item = items[2]["id"]
    undated = await reviewer.execute(FOLLOW_UP, {"input": {"itemId": item, "done": True}})
    assert undated["recordRewardFollowUp"]["userErrors"] == [{"code": "DATE_REQUIRED", "field": "doneOn"}]
    future = await reviewer.execute(FOLLOW_UP, {"input": {"itemId": item, "done": True, "doneOn": "2099-01-01"}})
    assert future["recordRewardFollowUp"]["userErrors"] == [{"code": "FUTURE_DATE", "field": "doneOn"}]
    planned = await reviewer.execute(FOLLOW_UP, {"input": {"itemId": item, "done": False, "note": "Dijadwalkan"}})
    assert planned["recordRewardFollowUp"]["followUp"] == {
        "done": False, "doneOn": None, "note": "Dijadwalkan", "version": 1, "updatedBy": "reviewer.61",
    }  # fmt: skip
    stale = await reviewer.execute(FOLLOW_UP, {"input": {"itemId": item, "done": False, "note": "lagi"}})
    assert stale["recordRewardFollowUp"]["userErrors"] == [{"code": "CONFLICT", "field": "expectedVersion"}]
    held = {"itemId": item, "done": True, "doneOn": "2026-08-20", "note": "Rapat dengan Sekda", "expectedVersion": 1}
    assert (await reviewer.execute(FOLLOW_UP, {"input": held}))["recordRewardFollowUp"]["followUp"]["version"] == 2
    shown = (await admin.execute(LIST, {"s": scope, "m": 7}))["rewardList"]["items"][2]["followUp"]
    assert shown == {"done": True, "doneOn": "2026-08-20", "note": "Rapat dengan Sekda", "version": 2}
    outsider = await fresh_api.as_user("operator.61.71")
    assert [
        e["code"]
        for e in (await outsider.execute(FOLLOW_UP, {"input": {**held, "expectedVersion": 2}}))["recordRewardFollowUp"][
            "userErrors"
        ]
    ] == ["FORBIDDEN"]

    engine = create_engine(fresh_url)
    try:
        async with engine.connect() as conn:
            for statement in ("UPDATE monev_reward_item SET category = 'X'", "DELETE FROM monev_reward_list"):
                with pytest.raises(Exception, match="append-only"):
                    await conn.execute(text(statement))
                await conn.rollback()
    finally:
        await engine.dispose()
