"""Monev rankings through the API (issue 20): a government's rule validated when saved, the live
ranking from the platform's own data and entered scores, incomplete data never ranked or
coloured, publication frozen in the database, corrections noted and never applied to it."""

from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import text

from store.database import create_engine
from tests.api.client import Api
from tests.api.factories import government_ids
from tests.api.test_prepared_completion import both_ways

SET_RULE = """
mutation($input: SetMonevRuleInput!) {
  setMonevRule(input: $input) {
    rule { version method zonePreset reason groups { code source weight } zonesFor(quarter: 2) { code lower upper } }
    userErrors { code field message }
  }
}
"""

RANKING = """
query($scope: ID!, $quarter: Int!) {
  ranking(scope: $scope, year: 2026, quarter: $quarter) {
    state ruleVersion tieBreak sha256 publishedBy correctionsSincePublished
    rows { code rank composite basis movement reportsDue reportsIn reportingRate onTimeRate warnings
           zone { code name } scores { group value } orgUnit { id code } }
  }
}
"""

EVERY_AGENCY = """
query($scope: ID!) {
  ranking(scope: $scope, year: 2026, quarter: 2, units: PERANGKAT_DAERAH) {
    units rows { code name rank orgUnit { code government { code } } }
  }
}
"""

ENTER = """
mutation($input: EnterMonevFiguresInput!) {
  enterMonevFigures(input: $input) { written userErrors { code field message } }
}
"""

FIGURES = """
query($scope: ID!) { monevFigures(scope: $scope, year: 2026, quarter: 2) { orgUnit { code } group value version } }
"""

PUBLISH = """
mutation($scope: ID!) {
  publishRanking(input: {scope: $scope, year: 2026, quarter: 2}) {
    ranking { state sha256 publishedBy rows { code rank composite } }
    userErrors { code field message }
  }
}
"""

WARNINGS = """
query($scope: ID!) { earlyWarnings(scope: $scope, year: 2026, quarter: 2) { code warnings zone { code } } }
"""

# Reporting discipline from the platform, the audit follow-up entered: every unit of the demo has
# its reports, so only the entered figures decide whether a row is complete.
RULE: dict[str, Any] = {
    "governmentCode": "61.72",
    "year": 2026,
    "method": "WEIGHTED",
    "groups": [
        {"code": "ON_TIME_REPORTING", "name": "Ketepatan waktu", "source": "PLATFORM", "weight": "50"},
        {"code": "AUDIT_FOLLOW_UP", "name": "Tindak lanjut temuan", "source": "ENTERED", "weight": "50"},
    ],
}


async def _rule(api: Api, **changes: Any) -> dict[str, Any]:
    result: dict[str, Any] = (await api.execute(SET_RULE, {"input": {**RULE, **changes}}))["setMonevRule"]
    return result


async def _ranking(api: Api, scope: str, quarter: int = 2) -> dict[str, Any] | None:
    ranking: dict[str, Any] | None = (await api.execute(RANKING, {"scope": scope, "quarter": quarter}))["ranking"]
    return ranking


def _figures(rows: list[dict[str, Any]], values: dict[str, str]) -> list[dict[str, Any]]:
    return [
        {"orgUnitId": row["orgUnit"]["id"], "group": "AUDIT_FOLLOW_UP", "value": values[row["code"]]}
        for row in rows
        if row["code"] in values
    ]


async def test_a_rule_is_validated_when_saved_and_changed_only_with_a_reason(fresh_api: Api) -> None:
    planner = await fresh_api.as_user("admin.61")
    weights = await _rule(planner, groups=[{**g, "weight": "40"} for g in RULE["groups"]])
    assert weights["userErrors"] == [
        {"code": "WEIGHTS_NOT_100", "field": "groups", "message": "Jumlah bobot harus 100, bukan 80."}
    ]
    gap = await _rule(
        planner,
        zones=[
            {"code": "MERAH", "name": "Merah", "lower": "0", "upper": "60"},
            {"code": "HIJAU", "name": "Hijau", "lower": "61", "upper": None},
        ],
    )
    assert [(e["code"], e["field"]) for e in gap["userErrors"]] == [("ZONE_GAP", "zones.1.lower")]
    assert "60" in gap["userErrors"][0]["message"] and "61" in gap["userErrors"][0]["message"]
    first = await _rule(planner)
    assert first["userErrors"] == []
    assert first["rule"]["version"] == 1 and first["rule"]["zonePreset"] == "TRIWULAN_PERMENDAGRI"
    assert [z["lower"] for z in first["rule"]["zonesFor"]] == ["0", "26", "33", "39", "45"]
    unexplained = await _rule(planner, method="SORT_KEYS", groups=[{**g, "weight": None} for g in RULE["groups"]])
    assert [(e["code"], e["field"]) for e in unexplained["userErrors"]] == [("REASON_REQUIRED", "reason")]
    explained = await _rule(
        planner,
        method="SORT_KEYS",
        groups=[{**g, "weight": None} for g in RULE["groups"]],
        reason="Rapat Sekda 2 Desember: urutkan, tidak dibobot",
    )
    assert explained["userErrors"] == [] and explained["rule"]["version"] == 2
    public = await fresh_api.anonymous().execute(
        '{ monevRule(governmentCode: "61.72", year: 2026) { version method reason } }'
    )
    assert public["monevRule"] == {"version": 2, "method": "SORT_KEYS", "reason": explained["rule"]["reason"]}
    operator = await fresh_api.as_user("operator.61.72")
    refused = await _rule(operator, reason="x")
    assert [(e["code"], e["field"]) for e in refused["userErrors"]] == [("FORBIDDEN", "governmentCode")]


async def test_incomplete_data_is_never_ranked_or_coloured(fresh_api: Api) -> None:
    kota = await government_ids(fresh_api, "61.72")
    admin = await fresh_api.as_user("admin.61")
    assert (await _rule(admin))["userErrors"] == []
    before = await _ranking(admin, kota.government)
    assert before is not None and before["state"] == "LIVE" and before["sha256"] is None
    rows = before["rows"]
    assert len(rows) >= 3
    assert {row["zone"]["code"] for row in rows} == {"DATA_BELUM_LENGKAP"}
    assert all(row["rank"] is None and row["composite"] is None and "INCOMPLETE" in row["warnings"] for row in rows)
    codes = [row["code"] for row in rows]
    values = {code: str(90 - 10 * index) for index, code in enumerate(codes[:-1])}  # the last one left out
    entered = await admin.execute(ENTER, {"input": {"year": 2026, "quarter": 2, "figures": _figures(rows, values)}})
    assert entered["enterMonevFigures"] == {"written": len(values), "userErrors": []}
    after = await _ranking(admin, kota.government)
    assert after is not None
    by_code = {row["code"]: row for row in after["rows"]}
    left_out = by_code[codes[-1]]
    assert left_out["rank"] is None and left_out["zone"]["code"] == "DATA_BELUM_LENGKAP"
    ranked = [row for row in after["rows"] if row["rank"] is not None]
    assert len(ranked) == len(values)
    for row in ranked:
        on_time = Decimal(row["onTimeRate"])
        expected = (on_time * 50 / 100 + Decimal(values[row["code"]]) * 50 / 100).quantize(Decimal("0.01"))
        assert Decimal(row["composite"]) == expected
        assert row["zone"]["code"] != "DATA_BELUM_LENGKAP"
        assert row["reportingRate"] is not None and row["reportsDue"] >= row["reportsIn"]
    composites = [Decimal(row["composite"]) for row in ranked]
    assert composites == sorted(composites, reverse=True) and ranked[0]["rank"] == 1
    assert after["rows"][-1]["code"] == codes[-1], "unranked rows are listed after the ranked"
    warned = await admin.execute(WARNINGS, {"scope": kota.government})
    silent = [row for row in warned["earlyWarnings"] if row["code"] == codes[-1]]
    assert len(silent) == 1 and "INCOMPLETE" in silent[0]["warnings"]
    assert silent[0]["zone"] == {"code": "DATA_BELUM_LENGKAP"}


async def test_entered_scores_are_all_or_nothing_with_the_version_read(fresh_api: Api) -> None:
    kota = await government_ids(fresh_api, "61.72")
    admin = await fresh_api.as_user("admin.61")
    assert (await _rule(admin))["userErrors"] == []
    ranking = await _ranking(admin, kota.government)
    assert ranking is not None
    first, second = ranking["rows"][0], ranking["rows"][1]
    good = {"orgUnitId": first["orgUnit"]["id"], "group": "AUDIT_FOLLOW_UP", "value": "75"}
    bad_batches = [
        ([good, {**good, "orgUnitId": second["orgUnit"]["id"], "group": "ON_TIME_REPORTING"}], "UNKNOWN_GROUP",
         "figures.1.group"),
        ([good, {**good, "orgUnitId": second["orgUnit"]["id"], "value": "-3"}], "NEGATIVE_VALUE", "figures.1.value"),
        ([good, good], "DUPLICATE", "figures.1.group"),
        ([{**good, "expectedVersion": 4}], "CONFLICT", "figures.0.expectedVersion"),
    ]  # fmt: skip
    for figures, code, field in bad_batches:
        refused = await admin.execute(ENTER, {"input": {"year": 2026, "quarter": 2, "figures": figures}})
        assert refused["enterMonevFigures"]["written"] == 0
        assert [(e["code"], e["field"]) for e in refused["enterMonevFigures"]["userErrors"]] == [(code, field)]
    assert (await admin.execute(FIGURES, {"scope": kota.government}))["monevFigures"] == []
    written = await admin.execute(
        ENTER, {"input": {"year": 2026, "quarter": 2, "figures": [good], "idempotencyKey": "monev-1"}}
    )
    assert written["enterMonevFigures"] == {"written": 1, "userErrors": []}
    again = await admin.execute(
        ENTER, {"input": {"year": 2026, "quarter": 2, "figures": [good], "idempotencyKey": "monev-1"}}
    )
    assert again["enterMonevFigures"] == {"written": 1, "userErrors": []}
    stale = await admin.execute(ENTER, {"input": {"year": 2026, "quarter": 2, "figures": [{**good, "value": "80"}]}})
    assert [e["code"] for e in stale["enterMonevFigures"]["userErrors"]] == ["CONFLICT"]
    kept = (await admin.execute(FIGURES, {"scope": kota.government}))["monevFigures"]
    assert kept == [{"orgUnit": {"code": first["code"]}, "group": "AUDIT_FOLLOW_UP", "value": "75", "version": 1}]
    changed = await admin.execute(
        ENTER, {"input": {"year": 2026, "quarter": 2, "figures": [{**good, "value": "80", "expectedVersion": 1}]}}
    )
    assert changed["enterMonevFigures"] == {"written": 1, "userErrors": []}
    other = await fresh_api.as_user("operator.61.71")
    forbidden = await other.execute(ENTER, {"input": {"year": 2026, "quarter": 2, "figures": [good]}})
    assert [e["code"] for e in forbidden["enterMonevFigures"]["userErrors"]] in (["FORBIDDEN"], ["NOT_FOUND"])
    assert (await other.execute(FIGURES, {"scope": kota.government}))["monevFigures"] == []


async def test_a_published_ranking_is_frozen_and_notes_later_corrections(fresh_url: str, fresh_api: Api) -> None:
    kota = await government_ids(fresh_api, "61.72")
    admin = await fresh_api.as_user("admin.61")
    assert (await _rule(admin))["userErrors"] == []
    live = await _ranking(admin, kota.government)
    assert live is not None
    values = {row["code"]: "80" for row in live["rows"]}
    await admin.execute(ENTER, {"input": {"year": 2026, "quarter": 2, "figures": _figures(live["rows"], values)}})
    anonymous = fresh_api.anonymous()
    assert await _ranking(anonymous, kota.government) is None, "a live ranking is not public"
    operator = await fresh_api.as_user("operator.61.72")
    refused = await operator.execute(PUBLISH, {"scope": kota.government})
    assert [(e["code"], e["field"]) for e in refused["publishRanking"]["userErrors"]] == [("FORBIDDEN", "scope")]
    leader = await fresh_api.as_user("leader.61")
    published = await leader.execute(PUBLISH, {"scope": kota.government})
    assert published["publishRanking"]["userErrors"] == []
    frozen = published["publishRanking"]["ranking"]
    assert frozen["state"] == "PUBLISHED" and frozen["publishedBy"] == "leader.61" and len(frozen["sha256"]) == 64
    twice = await leader.execute(PUBLISH, {"scope": kota.government})
    assert [(e["code"], e["field"]) for e in twice["publishRanking"]["userErrors"]] == [
        ("ALREADY_PUBLISHED", "quarter")
    ]

    engine = create_engine(fresh_url)
    try:
        async with engine.connect() as conn:
            body_before = (
                await conn.execute(text("SELECT body FROM monev_ranking WHERE sha256 = :d"), {"d": frozen["sha256"]})
            ).scalar_one()
        seen = await _ranking(admin, kota.government)
        assert seen is not None and seen["correctionsSincePublished"] is False
        first = live["rows"][0]
        corrected = await admin.execute(
            ENTER,
            {"input": {"year": 2026, "quarter": 2, "figures": [
                {"orgUnitId": first["orgUnit"]["id"], "group": "AUDIT_FOLLOW_UP", "value": "10", "expectedVersion": 1}
            ]}},
        )  # fmt: skip
        assert corrected["enterMonevFigures"]["userErrors"] == []
        after = await _ranking(admin, kota.government)
        assert after is not None and after["correctionsSincePublished"] is True
        assert after["sha256"] == frozen["sha256"]
        assert [(r["code"], r["rank"], r["composite"]) for r in after["rows"]] == [
            (r["code"], r["rank"], r["composite"]) for r in frozen["rows"]
        ]
        public = await _ranking(anonymous, kota.government)
        assert public is not None and public["state"] == "PUBLISHED" and public["correctionsSincePublished"] is None
        assert public["rows"] == after["rows"]
        async with engine.connect() as conn:
            assert (
                await conn.execute(text("SELECT body FROM monev_ranking WHERE sha256 = :d"), {"d": frozen["sha256"]})
            ).scalar_one() == body_before
            for statement in ("UPDATE monev_ranking SET body = '{}'", "DELETE FROM monev_ranking"):
                with pytest.raises(Exception, match="append-only"):
                    await conn.execute(text(statement))
                await conn.rollback()
            with pytest.raises(Exception, match="append-only"):
                await conn.execute(text("UPDATE monev_rule SET reason = 'diam-diam'"))
    finally:
        await engine.dispose()
    # The next quarter moves against the frozen ranks: the first place falls to the last.
    reversed_values = {row["code"]: str(10 + 5 * index) for index, row in enumerate(live["rows"])}
    third = {"year": 2026, "quarter": 3, "figures": _figures(live["rows"], reversed_values)}
    assert (await admin.execute(ENTER, {"input": third}))["enterMonevFigures"]["userErrors"] == []
    next_quarter = await _ranking(admin, kota.government, quarter=3)
    assert next_quarter is not None and next_quarter["state"] == "LIVE"
    frozen_ranks = {row["code"]: row["rank"] for row in frozen["rows"]}
    moved = [row for row in next_quarter["rows"] if row["rank"] is not None and frozen_ranks[row["code"]]]
    assert moved and any(row["movement"] != 0 for row in moved)
    for row in moved:
        assert row["movement"] == frozen_ranks[row["code"]] - row["rank"]


async def test_a_ranking_costs_the_same_statements_whatever_it_ranks(fresh_api: Api) -> None:
    """A pemda's perangkat daerah before and after one more is created, and the province's
    kabupaten/kota: a fixed number of statements, however many rows."""
    admin = await fresh_api.as_user("admin.61")
    kota = await government_ids(fresh_api, "61.72")
    province = await government_ids(fresh_api, "61")
    assert (await _rule(admin))["userErrors"] == []
    assert (await _rule(admin, governmentCode="61"))["userErrors"] == []
    before, counted_before = await admin.count_statements(RANKING, {"scope": kota.government, "quarter": 2})
    created = await admin.execute(
        """mutation($p: ID!) { createOrgUnit(input: {parentId: $p, code: "BARU", name: "Badan Baru",
           kind: PERANGKAT_DAERAH}) { userErrors { code } } }""",
        {"p": kota.root_unit},
    )
    assert created["createOrgUnit"]["userErrors"] == []
    after, counted_after = await admin.count_statements(RANKING, {"scope": kota.government, "quarter": 2})
    assert len(after["ranking"]["rows"]) == len(before["ranking"]["rows"]) + 1
    assert counted_after == counted_before <= 24
    kabupaten, counted = await admin.count_statements(RANKING, {"scope": province.government, "quarter": 2})
    rows = kabupaten["ranking"]["rows"]
    assert len(rows) == 14 and all(row["orgUnit"] is None for row in rows), "a province ranks its kabupaten/kota"
    assert counted <= 24  # the period and the one before, for the movement
    # Every perangkat daerah of the province's pemda, and its own, in one ranking.
    every, counted_every = await admin.count_statements(EVERY_AGENCY, {"scope": province.government})
    agencies = every["ranking"]["rows"]
    assert every["ranking"]["units"] == "PERANGKAT_DAERAH"
    assert len(agencies) > 100 and all(row["orgUnit"] is not None for row in agencies)
    assert len({row["orgUnit"]["government"]["code"] for row in agencies}) == 15  # 14 kab/kota and the province
    assert all(row["name"].endswith(")") for row in agencies), "each named with its pemda: 15 Dinas Kesehatan"
    assert counted_every <= counted + 4
    errors = await admin.errors(
        "query($s: ID!) { ranking(scope: $s, year: 2026, quarter: 2, units: KABUPATEN_KOTA) { state } }",
        {"s": kota.government},
    )
    assert errors[0]["extensions"]["code"] == "BAD_USER_INPUT" and "provinsi" in errors[0]["message"]


async def test_a_published_ranking_completes_in_one_pass_as_the_general_path_would(
    demo_api: Api, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The demo's August 2026 of Kota Pontianak, read through the prepared completion and through
    graphql-core's general completion: the same answer, with or without what it cannot prepare."""
    admin = await demo_api.as_user("admin.61.71")
    kota = await government_ids(demo_api, "61.71")
    for selection in (
        "state label units rows { code rank composite zone { code name } scores { group name value } warnings }",
        "government { code } correctionsSincePublished rows { code orgUnit { code } }",
    ):
        query = f"query($scope: ID!) {{ ranking(scope: $scope, year: 2026, month: 8) {{ {selection} }} }}"
        prepared, general = await both_ways(admin, monkeypatch, query, kota.government)
        assert "errors" not in prepared and prepared == general
        assert len(prepared["data"]["ranking"]["rows"]) == 10
