"""Monthly monev through the API (issue 20): progress lines of programs and sub-kegiatan entered
in batches like realisations, and a month's ranking read from them, with the month's reporting
discipline, the revised budget once it is entered, publication and movement."""

from decimal import Decimal
from typing import Any

from tests.api.client import Api
from tests.api.factories import government_ids

SUBMIT = """
mutation($input: SubmitMonevProgressInput!) {
  submitMonevProgress(input: $input) { written userErrors { code field message } }
}
"""

PROGRESS = """
query($scope: ID!, $month: Int!) {
  monevProgress(scope: $scope, year: 2026, month: $month) {
    orgUnit { code } budgetKind code level name pagu physicalRealisation financialRealisation version
  }
}
"""

RULE = """
mutation($input: SetMonevRuleInput!) { setMonevRule(input: $input) { userErrors { code field message } } }
"""

MONTH_RANKING = """
query($scope: ID!, $month: Int!) {
  ranking(scope: $scope, year: 2026, month: $month) {
    state quarter month label sha256
    rows { code rank composite movement reportsDue reportsIn onTimeRate warnings budgetKind
           zone { code } scores { group value } orgUnit { id } }
  }
}
"""

UNITS = """
query($scope: ID!) { ranking(scope: $scope, year: 2026, month: 7) { rows { code orgUnit { id } } } }
"""

# Physical progress and absorption weigh the same; the zones are Bolmong's, made contiguous.
MONTHLY_RULE: dict[str, Any] = {
    "governmentCode": "61.72",
    "year": 2026,
    "method": "WEIGHTED",
    "groups": [
        {"code": "PHYSICAL_PROGRESS", "name": "Realisasi fisik", "source": "PLATFORM", "weight": "50"},
        {"code": "BUDGET_ABSORPTION", "name": "Penyerapan anggaran", "source": "PLATFORM", "weight": "50"},
    ],
    "zones": [
        {"code": "MERAH", "name": "Merah", "lower": "0", "upper": "61"},
        {"code": "KUNING", "name": "Kuning", "lower": "61", "upper": "81"},
        {"code": "HIJAU", "name": "Hijau", "lower": "81", "upper": None},
    ],
}


def _line(unit: str, code: str, pagu: int, physical: str, spent: int, **extra: Any) -> dict[str, Any]:
    return {
        "orgUnitId": unit,
        "code": code,
        "name": f"Sub kegiatan {code}",
        "pagu": str(pagu),
        "physicalTarget": "60",
        "physicalRealisation": physical,
        "financialTarget": str(pagu * 6 // 10),
        "financialRealisation": str(spent),
        **extra,
    }


async def _units(api: Api, scope: str) -> list[tuple[str, str]]:
    rows = (await api.execute(UNITS, {"scope": scope}))["ranking"]["rows"]
    return [(row["code"], row["orgUnit"]["id"]) for row in rows]


async def test_progress_lines_are_checked_all_or_nothing_and_versioned(fresh_api: Api) -> None:
    kota = await government_ids(fresh_api, "61.72")
    admin = await fresh_api.as_user("admin.61")
    assert (await admin.execute(RULE, {"input": MONTHLY_RULE}))["setMonevRule"]["userErrors"] == []
    (_, unit), *_ = await _units(admin, kota.government)
    good = _line(unit, "5.2.1.2.1.1", 400_000_000, "55", 200_000_000)
    refused = await admin.execute(
        SUBMIT,
        {"input": {"year": 2026, "month": 7, "lines": [
            good,
            _line(unit, "5.2.x", 1, "1", 0),
            _line(unit, "5.02.01.2.01.0002", 100, "101", 0),
            _line(unit, "5.02.01.2.01.0003", 100, "10", 150),
            {**good, "name": "sama"},
        ]}},
    )  # fmt: skip
    assert refused["submitMonevProgress"]["written"] == 0
    assert [(e["code"], e["field"]) for e in refused["submitMonevProgress"]["userErrors"]] == [
        ("INVALID_SIPD_CODE", "lines.1.code"),
        ("OUT_OF_RANGE", "lines.2.physicalRealisation"),
        ("OVER_BUDGET", "lines.3.financialRealisation"),
        ("DUPLICATE", "lines.4.code"),
    ]
    assert (await admin.execute(PROGRESS, {"scope": kota.government, "month": 7}))["monevProgress"] == []
    keyed = {"year": 2026, "month": 7, "lines": [good], "idempotencyKey": "juli-1"}
    assert (await admin.execute(SUBMIT, {"input": keyed}))["submitMonevProgress"] == {"written": 1, "userErrors": []}
    assert (await admin.execute(SUBMIT, {"input": keyed}))["submitMonevProgress"] == {"written": 1, "userErrors": []}
    lines = (await admin.execute(PROGRESS, {"scope": kota.government, "month": 7}))["monevProgress"]
    assert [(r["code"], r["level"], r["budgetKind"], r["pagu"], r["version"]) for r in lines] == [
        ("5.02.01.2.01.0001", "SUB_ACTIVITY", "MURNI", "400000000", 1)
    ]
    stale = await admin.execute(
        SUBMIT, {"input": {"year": 2026, "month": 7, "lines": [{**good, "physicalRealisation": "60"}]}}
    )
    assert [(e["code"], e["field"]) for e in stale["submitMonevProgress"]["userErrors"]] == [
        ("CONFLICT", "lines.0.expectedVersion")
    ]
    corrected = {**good, "code": "5.02.01.2.01.0001", "physicalRealisation": "60", "expectedVersion": 1}
    fixed = await admin.execute(SUBMIT, {"input": {"year": 2026, "month": 7, "lines": [corrected]}})
    assert fixed["submitMonevProgress"] == {"written": 1, "userErrors": []}
    lines = (await admin.execute(PROGRESS, {"scope": kota.government, "month": 7}))["monevProgress"]
    assert [(Decimal(r["physicalRealisation"]), r["version"]) for r in lines] == [(Decimal(60), 2)]
    other = await fresh_api.as_user("operator.61.71")
    forbidden = await other.execute(SUBMIT, {"input": {"year": 2026, "month": 7, "lines": [good]}})
    assert [e["code"] for e in forbidden["submitMonevProgress"]["userErrors"]] in (["FORBIDDEN"], ["NOT_FOUND"])
    assert (await other.execute(PROGRESS, {"scope": kota.government, "month": 7}))["monevProgress"] == []
    assert (await fresh_api.anonymous().execute(PROGRESS, {"scope": kota.government, "month": 7}))[
        "monevProgress"
    ] == []


async def test_a_months_ranking_reads_its_progress_and_its_reporting(fresh_api: Api) -> None:
    kota = await government_ids(fresh_api, "61.72")
    admin = await fresh_api.as_user("admin.61")
    assert (await admin.execute(RULE, {"input": MONTHLY_RULE}))["setMonevRule"]["userErrors"] == []
    units = await _units(admin, kota.government)
    reported, silent = units[:-1], units[-1]
    physical = {code: 40 + 5 * index for index, (code, _) in enumerate(reported)}
    batch = [
        _line(unit, "5.01.01.2.01.0001", 1_000_000_000, str(physical[code]), 500_000_000) for code, unit in reported
    ]
    submitted = await admin.execute(SUBMIT, {"input": {"year": 2026, "month": 7, "lines": batch}})
    assert submitted["submitMonevProgress"] == {"written": len(batch), "userErrors": []}
    # The first one's APBD Perubahan: its month is read from the revised budget alone.
    first_code, first_unit = reported[0]
    revised = [_line(first_unit, "5.01.01.2.01.0001", 800_000_000, "90", 720_000_000)]
    assert (
        await admin.execute(SUBMIT, {"input": {"year": 2026, "month": 7, "budgetKind": "PERUBAHAN", "lines": revised}})
    )["submitMonevProgress"]["userErrors"] == []

    july = (await admin.execute(MONTH_RANKING, {"scope": kota.government, "month": 7}))["ranking"]
    assert (july["state"], july["quarter"], july["month"], july["label"]) == ("LIVE", 3, 7, "Juli 2026")
    rows = {row["code"]: row for row in july["rows"]}
    assert rows[first_code]["budgetKind"] == "PERUBAHAN"
    assert Decimal(rows[first_code]["composite"]) == 90 and rows[first_code]["rank"] == 1
    assert rows[first_code]["zone"]["code"] == "HIJAU"
    for code, _ in reported[1:]:
        expected = (Decimal(physical[code]) * 50 / 100 + Decimal(50) * 50 / 100).quantize(Decimal("0.01"))
        assert Decimal(rows[code]["composite"]) == expected and rows[code]["budgetKind"] == "MURNI"
        # July reported now, long after 10 August; January to June not at all.
        assert (rows[code]["reportsDue"], rows[code]["reportsIn"], rows[code]["onTimeRate"]) == (7, 1, "0")
    silent_row = rows[silent[0]]
    assert silent_row["rank"] is None and silent_row["zone"]["code"] == "DATA_BELUM_LENGKAP"
    assert silent_row["warnings"] == ["NOT_REPORTED", "INCOMPLETE"]
    assert silent_row["budgetKind"] is None
    warned = await admin.execute(
        "query($s: ID!) { earlyWarnings(scope: $s, year: 2026, month: 7) { code warnings } }", {"s": kota.government}
    )
    assert {"code": silent[0], "warnings": ["NOT_REPORTED", "INCOMPLETE"]} in warned["earlyWarnings"]

    leader = await fresh_api.as_user("leader.61")
    published = await leader.execute(
        """mutation($s: ID!) { publishRanking(input: {scope: $s, year: 2026, month: 7}) {
             ranking { state month label sha256 } userErrors { code field } } }""",
        {"s": kota.government},
    )
    assert published["publishRanking"]["userErrors"] == []
    assert published["publishRanking"]["ranking"]["month"] == 7
    assert published["publishRanking"]["ranking"]["state"] == "PUBLISHED"
    # August: the last of July climbs to the top, and its movement is counted against July's frozen places.
    last_code, last_unit = reported[-1]
    august = [_line(last_unit, "5.01.01.2.01.0001", 1_000_000_000, "99", 990_000_000)]
    august += [_line(unit, "5.01.01.2.01.0001", 1_000_000_000, "50", 500_000_000) for _, unit in reported[:-1]]
    assert (await admin.execute(SUBMIT, {"input": {"year": 2026, "month": 8, "lines": august}}))["submitMonevProgress"][
        "userErrors"
    ] == []
    moved = {
        row["code"]: row
        for row in (await admin.execute(MONTH_RANKING, {"scope": kota.government, "month": 8}))["ranking"]["rows"]
    }
    assert moved[last_code]["rank"] == 1
    assert moved[last_code]["movement"] == rows[last_code]["rank"] - 1


async def test_a_period_is_a_quarter_or_a_month_not_both(fresh_api: Api) -> None:
    kota = await government_ids(fresh_api, "61.72")
    admin = await fresh_api.as_user("admin.61")
    errors = await admin.errors(
        "query($s: ID!) { ranking(scope: $s, year: 2026, quarter: 3, month: 7) { state } }", {"s": kota.government}
    )
    assert errors[0]["extensions"]["code"] == "BAD_USER_INPUT"
    leader = await fresh_api.as_user("leader.61")
    refused = await leader.execute(
        """mutation($s: ID!) {
             publishRanking(input: {scope: $s, year: 2026, month: 13}) { userErrors { code field } } }""",
        {"s": kota.government},
    )
    assert refused["publishRanking"]["userErrors"] == [{"code": "INVALID_MONTH", "field": "month"}]
