"""Writing through mutations: results, typed userErrors, and nothing written on bad input."""

from typing import Any

import pytest

from tests.api.client import Api
from tests.api.factories import (
    CREATE_INDICATOR,
    CREATE_ORG_UNIT,
    create_indicator,
    create_unit,
    government_ids,
    set_targets,
    submit,
)

INDICATOR_VALUES = """
query IndicatorValues($id: ID!) {
  node(id: $id) {
    ... on Indicator {
      targets { year quarter value high grade version }
      realisations { year quarter value note grade }
    }
  }
}
"""


async def values_of(api: Api, indicator_id: str) -> dict[str, Any]:
    node: dict[str, Any] = (await api.execute(INDICATOR_VALUES, {"id": indicator_id}))["node"]
    return node


async def test_create_org_unit_under_a_pemda_and_an_agency(fresh_api: Api) -> None:
    ids = await government_ids(fresh_api, "61.72")
    payload = (
        await fresh_api.execute(
            CREATE_ORG_UNIT,
            {
                "input": {
                    "parentId": ids.root_unit,
                    "code": "DISPERKIM",
                    "name": "Dinas Perumahan dan Kawasan Permukiman",
                    "kind": "PERANGKAT_DAERAH",
                    "validFrom": "2026-01-01",
                }
            },
        )
    )["createOrgUnit"]
    assert payload["userErrors"] == []
    unit = payload["orgUnit"]
    assert (unit["code"], unit["kind"], unit["validFrom"], unit["government"]) == (
        "DISPERKIM",
        "PERANGKAT_DAERAH",
        "2026-01-01",
        {"code": "61.72"},
    )
    bidang = await create_unit(fresh_api, unit["id"], "DISPERKIM.1", "ESELON_III", validFrom="2026-01-01")
    assert bidang


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({"kind": "ESELON_IV", "parentId": None, "governmentCode": "61.72"}, ("INVALID_PARENT", "parentId")),
        ({"kind": "ESELON_III"}, ("INVALID_PARENT", "parentId")),
        ({"parentId": "T3JnVW5pdDo5OTk5OTk5"}, ("NOT_FOUND", "parentId")),
        ({"parentId": "garbage"}, ("NOT_FOUND", "parentId")),
        ({"code": "DINKES"}, ("DUPLICATE_CODE", "code")),
        ({"name": "x" * 301}, ("TOO_LONG", "name")),
        ({"name": "   "}, ("REQUIRED", "name")),
        ({"validFrom": "2026-01-01", "validTo": "2025-01-01"}, ("INVALID_VALIDITY", "validTo")),
        ({"parentId": None}, ("REQUIRED", "parentId")),
    ],
)
async def test_create_org_unit_refuses_bad_input(
    fresh_api: Api, change: dict[str, Any], expected: tuple[str, str]
) -> None:
    ids = await government_ids(fresh_api, "61.72")
    values = {
        "parentId": ids.root_unit,
        "code": "BARU",
        "name": "Unit Baru",
        "kind": "PERANGKAT_DAERAH",
        "validFrom": "2025-01-01",
        **change,
    }
    payload = (await fresh_api.execute(CREATE_ORG_UNIT, {"input": values}))["createOrgUnit"]
    assert payload["orgUnit"] is None
    assert [(e["code"], e["field"]) for e in payload["userErrors"]] == [expected]
    assert payload["userErrors"][0]["message"]


async def test_create_indicator_with_cascade_parent_and_default_method(fresh_api: Api) -> None:
    ids = await government_ids(fresh_api, "61.72")
    agency = await create_unit(fresh_api, ids.root_unit, "DISPERKIM")
    parent = await create_indicator(fresh_api, ids.root_unit, "IKU-99", polarity="LOWER_IS_BETTER")
    payload = (
        await fresh_api.execute(
            CREATE_INDICATOR,
            {
                "input": {
                    "orgUnitId": agency,
                    "code": "RTLH-01",
                    "name": "Persentase rumah tidak layak huni",
                    "unitOfMeasure": "%",
                    "polarity": "LOWER_IS_BETTER",
                    "type": "OUTCOME",
                    "periodAggregation": "LAST",
                    "weight": "2.5",
                    "parentId": parent,
                }
            },
        )
    )["createIndicator"]
    assert payload["userErrors"] == []
    indicator = payload["indicator"]
    assert indicator["achievementMethod"] == "MIRROR"  # the government's default for LOWER_IS_BETTER
    assert indicator["weight"] == "2.5"
    assert indicator["parent"] == {"id": parent}


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (
            {"polarity": "HIGHER_IS_BETTER", "achievementMethod": "MIRROR"},
            ("METHOD_POLARITY_MISMATCH", "achievementMethod"),
        ),
        ({"weight": "0"}, ("INVALID_WEIGHT", "weight")),
        ({"weight": "NaN"}, ("INVALID_WEIGHT", "weight")),
        ({"ordinalScale": "BINTANG"}, ("UNKNOWN_SCALE", "ordinalScale")),
        ({"code": "x" * 51}, ("TOO_LONG", "code")),
        ({"orgUnitId": "T3JnVW5pdDo5OTk5OTk5"}, ("NOT_FOUND", "orgUnitId")),
        ({"code": "DINKES-01"}, ("DUPLICATE_CODE", "code")),
    ],
)
async def test_create_indicator_refuses_bad_input(
    fresh_api: Api, change: dict[str, Any], expected: tuple[str, str]
) -> None:
    tree = await fresh_api.execute('query { government(code: "61.72") { rootUnit { children { id code } } } }')
    dinkes = next(u["id"] for u in tree["government"]["rootUnit"]["children"] if u["code"] == "DINKES")
    values = {
        "orgUnitId": dinkes,
        "code": "BARU-01",
        "name": "Indikator baru",
        "unitOfMeasure": "%",
        "polarity": "HIGHER_IS_BETTER",
        "type": "OUTPUT",
        "periodAggregation": "LAST",
        **change,
    }
    payload = (await fresh_api.execute(CREATE_INDICATOR, {"input": values}))["createIndicator"]
    assert payload["indicator"] is None
    assert [(e["code"], e["field"]) for e in payload["userErrors"]] == [expected]


async def test_cascade_parent_must_be_in_an_ancestor_unit(fresh_api: Api) -> None:
    ids = await government_ids(fresh_api, "61.72")
    first = await create_unit(fresh_api, ids.root_unit, "SATU")
    second = await create_unit(fresh_api, ids.root_unit, "DUA")
    sibling_indicator = await create_indicator(fresh_api, first, "S-01")
    province = await government_ids(fresh_api, "61")
    province_indicator = await create_indicator(fresh_api, province.root_unit, "PROV-99")
    refused = (
        await fresh_api.execute(
            CREATE_INDICATOR,
            {
                "input": {
                    "orgUnitId": second,
                    "code": "D-01",
                    "name": "x",
                    "unitOfMeasure": "%",
                    "polarity": "HIGHER_IS_BETTER",
                    "type": "OUTPUT",
                    "periodAggregation": "LAST",
                    "parentId": sibling_indicator,
                }
            },
        )
    )["createIndicator"]
    assert [(e["code"], e["field"]) for e in refused["userErrors"]] == [("INVALID_PARENT", "parentId")]
    # Aligning with the province is the kabupaten/kota's own choice (design.md): the province's
    # admin proposes it instead (tests/api/test_cascade_consent.py), the kota's admin makes it.
    proposed = await fresh_api.execute(
        CREATE_INDICATOR,
        {
            "input": {
                "orgUnitId": second,
                "code": "D-02",
                "name": "x",
                "unitOfMeasure": "%",
                "polarity": "HIGHER_IS_BETTER",
                "type": "OUTPUT",
                "periodAggregation": "LAST",
                "parentId": province_indicator,
            }
        },
    )
    assert [(e["code"], e["field"]) for e in proposed["createIndicator"]["userErrors"]] == [
        ("CONSENT_REQUIRED", "parentId")
    ]
    pontianak = await government_ids(fresh_api, "61.71")
    own = await create_unit(fresh_api, pontianak.root_unit, "TIGA")
    kota_admin = await fresh_api.as_user("admin.61.71")
    assert await create_indicator(kota_admin, own, "D-03", parentId=province_indicator)


async def test_set_targets_annual_quarterly_range_and_grade(fresh_api: Api) -> None:
    ids = await government_ids(fresh_api, "61.72")
    plain = await create_indicator(fresh_api, ids.root_unit, "T-01", periodAggregation="SUM")
    band = await create_indicator(fresh_api, ids.root_unit, "T-02", achievementMethod="RANGE")
    graded = await create_indicator(fresh_api, ids.root_unit, "T-03", ordinalScale="SAKIP_GRADE")
    payload = await set_targets(
        fresh_api,
        [
            {"indicatorId": plain, "year": 2026, "value": "100"},
            {"indicatorId": plain, "year": 2026, "quarter": 2, "value": "50"},
            {"indicatorId": band, "year": 2026, "value": "90", "high": "98"},
            {"indicatorId": graded, "year": 2026, "grade": "BB"},
        ],
    )
    assert payload["userErrors"] == []
    assert len(payload["targets"]) == 4
    assert (await values_of(fresh_api, plain))["targets"] == [
        {"year": 2026, "quarter": None, "value": "100", "high": None, "grade": None, "version": 1},
        {"year": 2026, "quarter": 2, "value": "50", "high": None, "grade": None, "version": 1},
    ]
    assert (await values_of(fresh_api, band))["targets"][0]["high"] == "98"
    assert (await values_of(fresh_api, graded))["targets"][0]["grade"] == "BB"


async def test_changing_a_target_names_the_version_it_replaces(fresh_api: Api) -> None:
    ids = await government_ids(fresh_api, "61.72")
    indicator = await create_indicator(fresh_api, ids.root_unit, "T-01")
    await set_targets(fresh_api, [{"indicatorId": indicator, "year": 2026, "value": "80"}])
    blind = await set_targets(fresh_api, [{"indicatorId": indicator, "year": 2026, "value": "85"}])
    assert [(e["code"], e["field"]) for e in blind["userErrors"]] == [("CONFLICT", "targets.0.expectedVersion")]
    version = (await values_of(fresh_api, indicator))["targets"][0]["version"]
    await set_targets(fresh_api, [{"indicatorId": indicator, "year": 2026, "value": "85", "expectedVersion": version}])
    assert [(t["value"], t["version"]) for t in (await values_of(fresh_api, indicator))["targets"]] == [("85", 2)]


@pytest.mark.parametrize(
    ("row", "expected"),
    [
        ({"value": "0"}, ("ZERO_TARGET", "targets.1.value")),
        ({"value": "-5"}, ("NEGATIVE_VALUE", "targets.1.value")),
        ({"value": "NaN"}, ("NOT_FINITE", "targets.1.value")),
        ({"value": "Infinity"}, ("NOT_FINITE", "targets.1.value")),
        ({"value": "5", "quarter": 5}, ("INVALID_QUARTER", "targets.1.quarter")),
        ({"value": "5", "high": "6"}, ("NOT_RANGE", "targets.1.high")),
        ({"value": "5", "indicatorId": "SW5kaWNhdG9yOjk5OTk5OTk="}, ("NOT_FOUND", "targets.1.indicatorId")),
        ({"value": "5", "quarter": None, "year": 2026}, ("DUPLICATE_ROW", "targets.1")),
    ],
)
async def test_a_bad_target_row_writes_nothing(fresh_api: Api, row: dict[str, Any], expected: tuple[str, str]) -> None:
    ids = await government_ids(fresh_api, "61.72")
    indicator = await create_indicator(fresh_api, ids.root_unit, "T-01")
    good = {"indicatorId": indicator, "year": 2026, "value": "80"}
    payload = await set_targets(fresh_api, [good, {"indicatorId": indicator, "year": 2026, **row}])
    assert [(e["code"], e["field"]) for e in payload["userErrors"]] == [expected]
    assert payload["targets"] == []
    assert (await values_of(fresh_api, indicator))["targets"] == []


async def test_submit_realisations_writes_the_batch(fresh_api: Api) -> None:
    ids = await government_ids(fresh_api, "61.72")
    indicator = await create_indicator(fresh_api, ids.root_unit, "R-01", periodAggregation="SUM")
    graded = await create_indicator(fresh_api, ids.root_unit, "R-02", ordinalScale="BPK_OPINION")
    payload = await submit(
        fresh_api,
        [
            {"indicatorId": indicator, "year": 2026, "quarter": 1, "value": "12.5", "note": "Sesuai rencana"},
            {"indicatorId": indicator, "year": 2026, "quarter": 2, "value": 14},
            {"indicatorId": graded, "year": 2026, "quarter": 4, "grade": "WTP"},
        ],
        key="batch-1",
    )
    assert payload["userErrors"] == []
    assert payload["replayed"] is False
    assert [(r["quarter"], r["value"], r["indicator"]["code"]) for r in payload["realisations"]] == [
        (1, "12.5", "R-01"),
        (2, "14", "R-01"),
        (4, "4", "R-02"),
    ]
    stored = await values_of(fresh_api, indicator)
    assert [(r["quarter"], r["value"], r["note"]) for r in stored["realisations"]] == [
        (1, "12.5", "Sesuai rencana"),
        (2, "14", ""),
    ]
    assert (await values_of(fresh_api, graded))["realisations"][0]["grade"] == "WTP"


async def test_repeating_a_submission_with_its_key_returns_the_same_result_and_writes_once(fresh_api: Api) -> None:
    ids = await government_ids(fresh_api, "61.72")
    indicator = await create_indicator(fresh_api, ids.root_unit, "R-01")
    rows = [{"indicatorId": indicator, "year": 2026, "quarter": 1, "value": "10"}]
    first = await submit(fresh_api, rows, key="same-key")
    # Someone corrects the value with another request in between; the replay must not undo it.
    await submit(fresh_api, [{**rows[0], "value": "11", "expectedVersion": 1}], key="correction")
    again = await submit(fresh_api, rows, key="same-key")
    assert again["replayed"] is True
    assert again["realisations"] == first["realisations"]
    assert [r["value"] for r in (await values_of(fresh_api, indicator))["realisations"]] == ["11"]


async def test_reusing_a_key_for_a_different_batch_is_refused(fresh_api: Api) -> None:
    ids = await government_ids(fresh_api, "61.72")
    indicator = await create_indicator(fresh_api, ids.root_unit, "R-01")
    await submit(fresh_api, [{"indicatorId": indicator, "year": 2026, "quarter": 1, "value": "10"}], key="k")
    payload = await submit(fresh_api, [{"indicatorId": indicator, "year": 2026, "quarter": 2, "value": "10"}], key="k")
    assert [(e["code"], e["field"]) for e in payload["userErrors"]] == [("IDEMPOTENCY_KEY_REUSED", "idempotencyKey")]
    assert len((await values_of(fresh_api, indicator))["realisations"]) == 1


@pytest.mark.parametrize(
    ("row", "expected"),
    [
        ({"value": "-1"}, ("NEGATIVE_VALUE", "realisations.1.value")),
        ({"value": "NaN"}, ("NOT_FINITE", "realisations.1.value")),
        ({"value": "-Infinity"}, ("NOT_FINITE", "realisations.1.value")),
        ({"quarter": 5}, ("INVALID_QUARTER", "realisations.1.quarter")),
        ({"quarter": 0}, ("INVALID_QUARTER", "realisations.1.quarter")),
        ({"year": 1990}, ("INVALID_YEAR", "realisations.1.year")),
        ({"indicatorId": "SW5kaWNhdG9yOjk5OTk5OTk="}, ("NOT_FOUND", "realisations.1.indicatorId")),
        ({"indicatorId": "T3JnVW5pdDox"}, ("NOT_FOUND", "realisations.1.indicatorId")),
        ({"quarter": 1}, ("DUPLICATE_ROW", "realisations.1")),
        ({"note": "x" * 4001}, ("TOO_LONG", "realisations.1.note")),
        ({"value": "123456789012345"}, ("VALUE_TOO_LARGE", "realisations.1.value")),
    ],
)
async def test_a_bad_realisation_row_writes_nothing(
    fresh_api: Api, row: dict[str, Any], expected: tuple[str, str]
) -> None:
    ids = await government_ids(fresh_api, "61.72")
    indicator = await create_indicator(fresh_api, ids.root_unit, "R-01")
    good = {"indicatorId": indicator, "year": 2026, "quarter": 1, "value": "10"}
    payload = await submit(fresh_api, [good, {**good, "quarter": 2, **row}], key="bad")
    assert [(e["code"], e["field"]) for e in payload["userErrors"]] == [expected]
    assert payload["realisations"] == []
    assert (await values_of(fresh_api, indicator))["realisations"] == []
    # The refused key was not consumed: the corrected batch goes through under it.
    assert (await submit(fresh_api, [good], key="bad"))["userErrors"] == []


async def test_realisations_of_a_computed_indicator_are_refused(fresh_api: Api) -> None:
    ids = await government_ids(fresh_api, "61.72")
    computed = await create_indicator(fresh_api, ids.root_unit, "C-01", rollupFromChildren="SUM")
    payload = await submit(fresh_api, [{"indicatorId": computed, "year": 2026, "quarter": 1, "value": "1"}], key="c")
    assert [e["code"] for e in payload["userErrors"]] == ["COMPUTED_INDICATOR"]


async def test_an_empty_batch_and_a_blank_key_are_refused(fresh_api: Api) -> None:
    assert [e["code"] for e in (await submit(fresh_api, [], key="empty"))["userErrors"]] == ["EMPTY_BATCH"]
    ids = await government_ids(fresh_api, "61.72")
    indicator = await create_indicator(fresh_api, ids.root_unit, "R-01")
    payload = await submit(fresh_api, [{"indicatorId": indicator, "year": 2026, "quarter": 1, "value": 1}], key=" ")
    assert [(e["code"], e["field"]) for e in payload["userErrors"]] == [("REQUIRED", "idempotencyKey")]


async def test_a_value_that_is_not_a_number_is_a_typed_top_level_error(fresh_api: Api) -> None:
    ids = await government_ids(fresh_api, "61.72")
    indicator = await create_indicator(fresh_api, ids.root_unit, "R-01")
    response = await fresh_api.post(
        "mutation($input: SubmitRealisationsInput!) { submitRealisations(input: $input) { replayed } }",
        {
            "input": {
                "idempotencyKey": "x",
                "realisations": [{"indicatorId": indicator, "year": 2026, "quarter": 1, "value": "sepuluh"}],
            }
        },
    )
    assert response.status_code == 200
    errors = response.json()["errors"]
    assert [e["extensions"]["code"] for e in errors] == ["BAD_USER_INPUT"]
