"""Browsing the hierarchy: governments, root units, perangkat daerah, eselon units, node()."""

from tests.api.client import Api

GOVERNMENTS = """
query Governments($kind: GovernmentKind, $parentCode: String) {
  governments(kind: $kind, parentCode: $parentCode) { id code name kind }
}
"""

GOVERNMENT_TREE = """
query GovernmentTree($code: String!) {
  government(code: $code) {
    id code name kind
    parent { code }
    rootUnit {
      id name kind
      government { code }
      children { id code name kind parent { name } children { code kind children { code kind } } }
    }
  }
}
"""

NODE = """
query Node($id: ID!) {
  node(id: $id) {
    id
    __typename
    ... on Government { code }
    ... on OrgUnit { name }
    ... on Indicator { code }
  }
}
"""

UNITS_BY_YEAR = """
query UnitsByYear($code: String!, $year: Int) {
  government(code: $code) { rootUnit { children(year: $year) { code name validFrom validTo } } }
}
"""


async def test_all_38_provinces_are_listed(demo_api: Api) -> None:
    data = await demo_api.execute(GOVERNMENTS, {"kind": "PROVINSI"})
    codes = [g["code"] for g in data["governments"]]
    assert len(codes) == 38
    assert {"11", "61", "15", "35"} <= set(codes)


async def test_kalimantan_barat_has_its_14_kabupaten_kota(demo_api: Api) -> None:
    data = await demo_api.execute(GOVERNMENTS, {"parentCode": "61"})
    kinds = {g["code"]: g["kind"] for g in data["governments"]}
    assert len(kinds) == 14
    assert kinds["61.71"] == "KOTA"
    assert kinds["61.01"] == "KABUPATEN"


async def test_reference_kabupaten_kota_outside_the_demo_are_browsable(demo_api: Api) -> None:
    jambi = await demo_api.execute(GOVERNMENTS, {"parentCode": "15"})
    tuban = await demo_api.execute(GOVERNMENT_TREE, {"code": "35.23"})
    assert len(jambi["governments"]) == 11
    assert tuban["government"]["name"] == "Kabupaten Tuban"
    assert tuban["government"]["rootUnit"]["name"] == "Pemerintah Kabupaten Tuban"


async def test_a_kota_has_root_unit_perangkat_daerah_and_eselon_units(demo_api: Api) -> None:
    data = await demo_api.execute(GOVERNMENT_TREE, {"code": "61.71"})
    government = data["government"]
    assert government["parent"] == {"code": "61"}
    root = government["rootUnit"]
    assert (root["name"], root["kind"], root["government"]) == (
        "Pemerintah Kota Pontianak",
        "PEMDA",
        {"code": "61.71"},
    )
    agencies = {unit["code"]: unit for unit in root["children"]}
    assert {"DINKES", "BAPPEDA", "PUPR", "INSPEKTORAT"} <= set(agencies)
    dinkes = agencies["DINKES"]
    assert dinkes["kind"] == "PERANGKAT_DAERAH"
    assert dinkes["parent"]["name"] == "Pemerintah Kota Pontianak"
    eselon_iii = {unit["code"]: unit for unit in dinkes["children"]}
    assert all(unit["kind"] == "ESELON_III" for unit in eselon_iii.values())
    assert [u["kind"] for u in eselon_iii["DINKES.1"]["children"]] == ["ESELON_IV", "ESELON_IV"]


async def test_structure_follows_the_year_asked_for(demo_api: Api) -> None:
    """Kota Pontianak replaced its Diskominfo from 2026 (a new SOTK)."""
    in_2025 = await demo_api.execute(UNITS_BY_YEAR, {"code": "61.71", "year": 2025})
    in_2026 = await demo_api.execute(UNITS_BY_YEAR, {"code": "61.71", "year": 2026})

    def diskominfo(data: dict) -> list[tuple[str, str | None]]:  # type: ignore[type-arg]
        units = data["government"]["rootUnit"]["children"]
        return [(u["name"], u["validTo"]) for u in units if u["code"] == "DISKOMINFO"]

    assert diskominfo(in_2025) == [("Dinas Komunikasi dan Informatika", "2025-12-31")]
    assert diskominfo(in_2026) == [("Dinas Komunikasi, Informatika dan Statistik", None)]


async def test_node_resolves_every_type_by_global_id(demo_api: Api) -> None:
    tree = await demo_api.execute(GOVERNMENT_TREE, {"code": "61.71"})
    government_id = tree["government"]["id"]
    unit_id = tree["government"]["rootUnit"]["children"][0]["id"]
    assert (await demo_api.execute(NODE, {"id": government_id}))["node"]["code"] == "61.71"
    assert (await demo_api.execute(NODE, {"id": unit_id}))["node"]["__typename"] == "OrgUnit"


async def test_node_of_unknown_or_malformed_id_is_null(demo_api: Api) -> None:
    for unknown in ("R292ZXJubWVudDo5OTk5OTk=", "not-an-id", "", "SW5kaWNhdG9yOmFiYw=="):
        assert (await demo_api.execute(NODE, {"id": unknown}))["node"] is None
