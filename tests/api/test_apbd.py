"""The APBD from SIPD's Lampiran through the API (issue 18's SIPD budget import): a dry run that
matches each SIPD unit and reconciles the totals, then each unit's lines of the year replaced
whole; W4's codes are one key whatever their zeros, W5's difference is reported, unmatched units
write nothing and come back with suggestions, a mapping is remembered as an alias."""

from decimal import Decimal
from typing import Any

from tests.api.client import Api

IMPORT = """
mutation($input: ImportApbdBudgetInput!) {
  importApbdBudget(input: $input) {
    written lines differenceCount
    units { unitCode name matchedBy orgUnit { code } suggestions { code } }
    differences { unitCode code level pagu below difference }
    userErrors { code field message }
  }
}
"""

BUDGET = """
query($unit: ID!, $kind: BudgetKind) {
  apbdBudget(orgUnitId: $unit, year: 2027, budgetKind: $kind) {
    orgUnit { code } budgetKind sipdUnitCode total importedBy
    lines { code level name pagu unallocated }
  }
}
"""

UNITS = """query { government(code: "61.71") { rootUnit { children(year: 2027) { id code } } } }"""

DINKES, DISDIK, DINSOS = "1.02.0.00.0.00.01.0000", "1.01.0.00.0.00.01.0000", "1.06.0.00.0.00.01.0000"


def _line(unit: str, code: str, pagu: str | None, name: str = "") -> dict[str, Any]:
    return {"unitCode": unit, "code": code, "name": name or f"Uraian {code}", "pagu": pagu}


# Dinas Kesehatan: W5's program short of its kegiatan by a million; Dinas Pendidikan typed without zeros.
LINES = [
    _line(DINKES, "1.02.02", "500000000", "Program Pemenuhan Upaya Kesehatan"),
    _line(DINKES, "1.02.02.2.01", "300000000"),
    _line(DINKES, "1.02.02.2.01.0001", "300000000"),
    _line(DINKES, "1.02.02.2.02", "199000000"),
    _line(DINKES, "1.02.02.2.02.0001", None),
    _line(DISDIK, "1.1.2", "750500000.50"),
    _line(DISDIK, "1.1.2.2.1", "750500000.50"),
]
NAMES = [
    {"unitCode": DINKES, "name": "DINAS KESEHATAN"},
    {"unitCode": DISDIK, "name": "Dinas Pendidikan dan Kebudayaan"},
]


def _input(lines: list[dict[str, Any]], **extra: Any) -> dict[str, Any]:
    return {"input": {"governmentCode": "61.71", "year": 2027, "lines": lines, "units": NAMES, **extra}}


async def _unit_ids(api: Api) -> dict[str, str]:
    children = (await api.execute(UNITS))["government"]["rootUnit"]["children"]
    return {unit["code"]: unit["id"] for unit in children}


async def test_a_dry_run_matches_and_reconciles_then_the_write_replaces_each_units_lines(fresh_api: Api) -> None:
    planner = await fresh_api.as_user("planner.61.71")
    dry = (await planner.execute(IMPORT, _input(LINES, dryRun=True)))["importApbdBudget"]
    assert dry["userErrors"] == [] and dry["written"] is False and dry["lines"] == 7
    assert [(u["unitCode"], u["matchedBy"], u["orgUnit"]["code"]) for u in dry["units"]] == [
        (DINKES, "NAME", "DINKES"),
        (DISDIK, "NAME", "DISDIK"),
    ]
    assert dry["differences"] == [
        {"unitCode": DINKES, "code": "1.02.02", "level": "PROGRAM", "pagu": "500000000", "below": "499000000",
         "difference": "1000000"}
    ]  # fmt: skip
    ids = await _unit_ids(planner)
    assert (await planner.execute(BUDGET, {"unit": ids["DINKES"]}))["apbdBudget"] is None

    done = (await planner.execute(IMPORT, _input(LINES)))["importApbdBudget"]
    assert (done["written"], done["userErrors"], done["differenceCount"]) == (True, [], 1)
    budget = (await fresh_api.anonymous().execute(BUDGET, {"unit": ids["DINKES"]}))["apbdBudget"]
    assert (budget["budgetKind"], budget["sipdUnitCode"], budget["total"], budget["importedBy"]) == (
        "MURNI", DINKES, "500000000", "planner.61.71"
    )  # fmt: skip
    assert [(line["code"], line["level"], line["pagu"], line["unallocated"]) for line in budget["lines"]] == [
        ("1.02.02", "PROGRAM", "500000000", "1000000"),
        ("1.02.02.2.01", "ACTIVITY", "300000000", "0"),
        ("1.02.02.2.01.0001", "SUB_ACTIVITY", "300000000", None),
        ("1.02.02.2.02", "ACTIVITY", "199000000", None),  # its sub-kegiatan has no pagu: nothing to compare
        ("1.02.02.2.02.0001", "SUB_ACTIVITY", None, None),  # empty stays empty, never 0
    ]
    disdik = (await planner.execute(BUDGET, {"unit": ids["DISDIK"]}))["apbdBudget"]
    assert [(line["code"], line["pagu"]) for line in disdik["lines"]] == [
        ("1.01.02", "750500000.5"),
        ("1.01.02.2.01", "750500000.5"),
    ]

    # W4: the same codes typed with zeros are the same keys: replaced, not duplicated.
    again = [_line(DISDIK, "1.01.02", "800000000"), _line(DISDIK, "1.01.02.2.01", "800000000")]
    assert (await planner.execute(IMPORT, _input(again)))["importApbdBudget"]["userErrors"] == []
    disdik = (await planner.execute(BUDGET, {"unit": ids["DISDIK"]}))["apbdBudget"]
    assert [(line["code"], line["pagu"]) for line in disdik["lines"]] == [
        ("1.01.02", "800000000"),
        ("1.01.02.2.01", "800000000"),
    ]
    dinkes = (await planner.execute(BUDGET, {"unit": ids["DINKES"]}))["apbdBudget"]
    assert len(dinkes["lines"]) == 5  # a unit the file does not name keeps its lines

    # The revised budget is another budget of the year: read by default once imported.
    revised = [_line(DINKES, "1.02.02", "550000000")]
    assert (await planner.execute(IMPORT, _input(revised, budgetKind="PERUBAHAN")))["importApbdBudget"][
        "userErrors"
    ] == []
    latest = (await planner.execute(BUDGET, {"unit": ids["DINKES"]}))["apbdBudget"]
    assert (latest["budgetKind"], latest["total"]) == ("PERUBAHAN", "550000000")
    original = (await planner.execute(BUDGET, {"unit": ids["DINKES"], "kind": "MURNI"}))["apbdBudget"]
    assert original["total"] == "500000000"


async def test_an_unmatched_unit_writes_nothing_until_mapped_and_then_matches_by_alias(fresh_api: Api) -> None:
    planner = await fresh_api.as_user("planner.61.71")
    ids = await _unit_ids(planner)
    lines = [*LINES[:1], _line(DINSOS, "1.06.02", "75000000")]
    names = [*NAMES, {"unitCode": DINSOS, "name": "Dinas Sosial Kota Pontianak"}]
    refused = (await planner.execute(IMPORT, _input(lines, units=names)))["importApbdBudget"]
    assert refused["written"] is False
    assert [(e["code"], e["field"]) for e in refused["userErrors"]] == [("UNMATCHED_UNIT", "lines.1.unitCode")]
    assert "belum dipasangkan" in refused["userErrors"][0]["message"]
    unmatched = refused["units"][1]
    assert (unmatched["orgUnit"], unmatched["matchedBy"]) == (None, None)
    assert unmatched["suggestions"][0]["code"] == "DINSOS"  # only suggested
    assert (await planner.execute(BUDGET, {"unit": ids["DINKES"]}))["apbdBudget"] is None  # nothing written

    mapping = [{"unitCode": DINSOS, "orgUnitId": ids["DINSOS"]}]
    mapped = (await planner.execute(IMPORT, _input(lines, units=names, mappings=mapping)))["importApbdBudget"]
    assert (mapped["written"], mapped["userErrors"], mapped["units"][1]["matchedBy"]) == (True, [], "MAPPED")
    # Next year's file names the unit by its SIPD code only: the alias recorded above matches it.
    later = (await planner.execute(IMPORT, _input(lines[1:], units=[], dryRun=True)))["importApbdBudget"]
    assert [(u["matchedBy"], u["orgUnit"]["code"]) for u in later["units"]] == [("ALIAS", "DINSOS")]


async def test_bad_lines_are_refused_at_their_fields_and_nothing_is_written(fresh_api: Api) -> None:
    planner = await fresh_api.as_user("planner.61.71")
    ids = await _unit_ids(planner)
    bad = [
        _line(DINKES, "1.02.02", "-5"),
        _line(DINKES, "1.02.02.2.01", "10.125"),
        _line(DINKES, "1.x.02", "1"),
        _line(DINKES, "1.02.03.2.01", "1"),
        _line("", "1.02.02.2.01.0001", "1"),
        _line(DINKES, "1.2.2", "1"),
    ]
    refused = (await planner.execute(IMPORT, _input(bad)))["importApbdBudget"]
    assert [(e["code"], e["field"]) for e in refused["userErrors"]] == [
        ("NEGATIVE_BUDGET", "lines.0.pagu"),
        ("TOO_MANY_DECIMALS", "lines.1.pagu"),
        ("INVALID_SIPD_CODE", "lines.2.code"),
        ("INVALID_UNIT_CODE", "lines.4.unitCode"),
    ]
    duplicates = (await planner.execute(IMPORT, _input([bad[3], LINES[0], bad[5]])))["importApbdBudget"]
    assert [(e["code"], e["field"]) for e in duplicates["userErrors"]] == [
        ("MISSING_PARENT", "lines.0.code"),
        ("DUPLICATE_ROW", "lines.2.code"),
    ]
    mapped_elsewhere = [{"unitCode": DINKES, "orgUnitId": ids["DISDIK"]}, {"unitCode": DISDIK, "orgUnitId": "x"}]
    twice = (await planner.execute(IMPORT, _input(LINES, mappings=mapped_elsewhere)))["importApbdBudget"]
    assert [(e["code"], e["field"]) for e in twice["userErrors"]] == [("NOT_AN_AGENCY", "mappings.1.orgUnitId")]
    twice = (await planner.execute(IMPORT, _input(LINES, mappings=mapped_elsewhere[:1])))["importApbdBudget"]
    assert [e["code"] for e in twice["userErrors"]] == ["UNIT_MATCHED_TWICE"]
    assert (await planner.execute(BUDGET, {"unit": ids["DINKES"]}))["apbdBudget"] is None


async def test_only_the_pemdas_planners_and_admins_import(fresh_api: Api) -> None:
    for username, expected in (
        ("operator.61.71", ["FORBIDDEN"]),
        ("reviewer.61.71", ["FORBIDDEN"]),
        ("planner.61.71", []),
        ("admin.61", []),
    ):
        api = await fresh_api.as_user(username)
        answer = (await api.execute(IMPORT, _input(LINES, dryRun=True)))["importApbdBudget"]
        assert [e["code"] for e in answer["userErrors"]] == expected, username
    other = await fresh_api.as_user("operator.61.72")
    sibling = (await other.execute(IMPORT, _input(LINES)))["importApbdBudget"]
    assert [e["code"] for e in sibling["userErrors"]] in (["FORBIDDEN"], ["NOT_FOUND"])
    anonymous = (await fresh_api.anonymous().execute(IMPORT, _input(LINES)))["importApbdBudget"]
    assert [e["code"] for e in anonymous["userErrors"]] in (["FORBIDDEN"], ["NOT_FOUND"], ["UNAUTHENTICATED"])


CSV_LAMPIRAN = "\n".join(
    [
        "Kode Unit;Urusan;Bidang;Program;Kegiatan;Sub Kegiatan;Uraian;;;;Pagu",
        f"{DINKES};;;;;;Dinas Kesehatan;;;;",
        f"{DINKES};1;2;2;;;Program Pemenuhan Upaya Kesehatan;;;;500.000.000",
        f"{DINKES};1;2;2;2.1;;Penyediaan Fasilitas;;;;300.000.000,00",
        f"{DINKES};1;2;2;2.1;1;Pembangunan Puskesmas;;;;",
        ";;;;;;TOTAL;;;;500.000.000",
    ]
).encode()


async def test_an_api_client_checks_the_lampiran_over_http_and_sends_the_batch(fresh_api: Api) -> None:
    planner = await fresh_api.as_user("planner.61.71")
    headers = {"authorization": f"Bearer {planner.token}", "content-type": "text/csv"}
    path = "/dokumen/apbd/periksa?pemda=61.71&tahun=2027&jenis=MURNI"
    checked = await planner.client.post(path, content=CSV_LAMPIRAN, headers=headers)
    assert checked.status_code == 200, checked.text
    body = checked.json()
    assert [(line["code"], line["pagu"]) for line in body["lines"]] == [
        ("1.2.2", "500000000"),
        ("1.2.2.2.1", "300000000.00"),
        ("1.2.2.2.1.1", None),  # empty stays empty
    ]
    assert body["report"]["written"] is False and body["report"]["units"][0]["matchedBy"] == "NAME"
    ids = await _unit_ids(planner)
    assert (await planner.execute(BUDGET, {"unit": ids["DINKES"]}))["apbdBudget"] is None  # nothing written
    batch = {"governmentCode": "61.71", "year": 2027, "lines": body["lines"], "units": body["units"]}
    assert (await planner.execute(IMPORT, {"input": batch}))["importApbdBudget"]["written"] is True

    bad = CSV_LAMPIRAN.replace(b"500.000.000\n", b"lima ratus juta\n", 1)
    refused = await planner.client.post(path, content=bad, headers=headers)
    assert refused.status_code == 422
    assert refused.json() == {"problems": ["Baris 3: Pagu (kolom K) harus angka Rupiah, bukan 'lima ratus juta'."]}
    plain = {"content-type": "text/csv"}
    anonymous = await fresh_api.anonymous().client.post(path, content=CSV_LAMPIRAN, headers=plain)
    assert anonymous.status_code == 401
    operator = await fresh_api.as_user("operator.61.71")
    forbidden = await operator.client.post(
        path, content=CSV_LAMPIRAN, headers={**headers, "authorization": f"Bearer {operator.token}"}
    )
    assert forbidden.status_code == 422 and forbidden.json()["report"]["userErrors"][0]["code"] == "FORBIDDEN"


DEMO_BUDGET = """
query($unit: ID!) {
  apbdBudget(orgUnitId: $unit, year: 2026) { sipdUnitCode total lines { code pagu unallocated } }
}
"""


async def test_the_demo_imported_kota_pontianaks_2026_apbd(demo_api: Api) -> None:
    ids = await _unit_ids(demo_api)
    dinkes = (await demo_api.execute(DEMO_BUDGET, {"unit": ids["DINKES"]}))["apbdBudget"]
    assert (dinkes["sipdUnitCode"], dinkes["total"]) == ("1.02.0.00.0.00.02.0000", "1650000000")  # two programs
    assert dinkes["lines"][0] == {"code": "1.02.02", "pagu": "1250000000", "unallocated": "1000000"}
    disdik = (await demo_api.execute(DEMO_BUDGET, {"unit": ids["DISDIK"]}))["apbdBudget"]
    assert disdik["lines"][0]["code"] == "1.01.02"  # SIPD's "Dinas Pendidikan", mapped once


ANNEXES = """
query($scope: ID!) {
  performanceAgreements(scope: $scope, year: 2026) {
    level orgUnit { code } budgetLines { code amount apbdBudget apbdDifference }
  }
}
"""


async def test_each_agreement_annex_line_is_reconciled_with_the_imported_apbd(demo_api: Api) -> None:
    """Kota Pontianak's 2026 agreements against its imported 2026 APBD murni: a JPT's programs are
    the APBD's (difference 0); the Wali Kota's annex, the union of the JPT programs, against the
    pemda's perangkat daerah summed; an Administrator's kegiatan against the APBD's kegiatan of
    the same code; a code the APBD does not have gives null, never 0. Statements do not grow with
    the agreements."""
    root = (await demo_api.execute('query { government(code: "61.71") { rootUnit { id } } }'))["government"]
    root = root["rootUnit"]["id"]
    (found, statements) = await demo_api.count_statements(ANNEXES, {"scope": root})
    agreements = found["performanceAgreements"]
    by_level: dict[str, list[dict[str, Any]]] = {}
    for agreement in agreements:
        by_level.setdefault(agreement["level"], []).append(agreement)
    dinkes = next(a for a in by_level["JPT"] if a["orgUnit"]["code"] == "DINKES")
    assert [(line["amount"], line["apbdBudget"], line["apbdDifference"]) for line in dinkes["budgetLines"]] == [
        (line["amount"], line["amount"], "0") for line in dinkes["budgetLines"]
    ]
    (head,) = by_level["KEPALA_DAERAH"]
    assert head["budgetLines"] and all(line["apbdDifference"] == "0" for line in head["budgetLines"])
    kegiatan = [line for a in by_level["ADMINISTRATOR"] for line in a["budgetLines"]]
    known = [line for line in kegiatan if line["apbdBudget"] is not None]
    assert known and any(line["apbdDifference"] != "0" for line in known)
    for line in known:
        assert Decimal(line["apbdDifference"]) == Decimal(line["amount"]) - Decimal(line["apbdBudget"])
    unknown = [line for line in kegiatan if line["apbdBudget"] is None]
    assert all(line["apbdDifference"] is None for line in unknown)
    assert statements <= 12, statements
