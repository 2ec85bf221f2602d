"""Typed factories: build small hierarchies through the public mutations."""

from dataclasses import dataclass
from typing import Any

from tests.api.client import Api

ROOT_UNIT = """
query RootUnit($code: String!) { government(code: $code) { id rootUnit { id } } }
"""

CREATE_ORG_UNIT = """
mutation CreateOrgUnit($input: CreateOrgUnitInput!) {
  createOrgUnit(input: $input) {
    orgUnit { id code name kind validFrom validTo government { code } parent { id } }
    userErrors { code field message }
  }
}
"""

CREATE_INDICATOR = """
mutation CreateIndicator($input: CreateIndicatorInput!) {
  createIndicator(input: $input) {
    indicator { id code name polarity achievementMethod periodAggregation rollupFromChildren weight
                orgUnit { id } parent { id } }
    userErrors { code field message }
  }
}
"""

SET_TARGETS = """
mutation SetTargets($input: SetTargetsInput!) {
  setTargets(input: $input) {
    targets { indicatorId year quarter value high }
    replayed
    userErrors { code field message }
  }
}
"""

SUBMIT_REALISATIONS = """
mutation SubmitRealisations($input: SubmitRealisationsInput!) {
  submitRealisations(input: $input) {
    realisations { indicatorId year quarter value note indicator { code } }
    replayed
    userErrors { code field message }
  }
}
"""


@dataclass(frozen=True)
class Ids:
    government: str
    root_unit: str


async def government_ids(api: Api, code: str) -> Ids:
    data = await api.execute(ROOT_UNIT, {"code": code})
    return Ids(government=data["government"]["id"], root_unit=data["government"]["rootUnit"]["id"])


async def create_unit(api: Api, parent_id: str, code: str, kind: str = "PERANGKAT_DAERAH", **extra: Any) -> str:
    payload = (
        await api.execute(
            CREATE_ORG_UNIT,
            {"input": {"parentId": parent_id, "code": code, "name": f"Unit {code}", "kind": kind, **extra}},
        )
    )["createOrgUnit"]
    assert payload["userErrors"] == [], payload
    unit_id: str = payload["orgUnit"]["id"]
    return unit_id


async def create_indicator(api: Api, org_unit_id: str, code: str, **fields: Any) -> str:
    values = {
        "orgUnitId": org_unit_id,
        "code": code,
        "name": f"Indikator {code}",
        "unitOfMeasure": "%",
        "polarity": "HIGHER_IS_BETTER",
        "type": "OUTPUT",
        "periodAggregation": "LAST",
        **fields,
    }
    payload = (await api.execute(CREATE_INDICATOR, {"input": values}))["createIndicator"]
    assert payload["userErrors"] == [], payload
    indicator_id: str = payload["indicator"]["id"]
    return indicator_id


async def set_targets(api: Api, rows: list[dict[str, Any]], key: str | None = None) -> dict[str, Any]:
    payload: dict[str, Any] = (await api.execute(SET_TARGETS, {"input": {"targets": rows, "idempotencyKey": key}}))[
        "setTargets"
    ]
    return payload


async def submit(api: Api, rows: list[dict[str, Any]], key: str) -> dict[str, Any]:
    payload: dict[str, Any] = (
        await api.execute(SUBMIT_REALISATIONS, {"input": {"realisations": rows, "idempotencyKey": key}})
    )["submitRealisations"]
    return payload
