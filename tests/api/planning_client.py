"""Documents and helpers of the planning tests: plans, versions, agreements through the API."""

from typing import Any

from tests.api.client import Api
from tests.api.factories import create_indicator, create_unit, government_ids

VERSION_FIELDS = """
id number state vision missions reason effectiveFrom revision
legalBasis { kind number date }
plan { id kind name startYear endYear }
goals {
  id code name missionNumber
  indicators { indicator { id code } baseline endTarget targets { year value } }
  objectives {
    id code name alignedTo { id code }
    indicators { indicator { id code } baseline endTarget targets { year value } }
    programs {
      id code name budget unallocatedBudget
      activities { id code name budget unallocatedBudget subActivities { id code name budget } }
    }
  }
}
"""

CREATE_PLAN = f"""
mutation CreatePlan($input: CreateStrategicPlanInput!) {{
  createStrategicPlan(input: $input) {{ version {{ {VERSION_FIELDS} }} userErrors {{ code field message }} }}
}}
"""
UPDATE_DRAFT = f"""
mutation UpdateDraft($input: UpdatePlanDraftInput!) {{
  updatePlanDraft(input: $input) {{ version {{ {VERSION_FIELDS} }} userErrors {{ code field message }} }}
}}
"""
TRANSITIONS = {
    name: f"""
mutation {name.title()}($input: PlanVersionTransitionInput!) {{
  {name}PlanVersion(input: $input) {{ version {{ id state revision }} userErrors {{ code field message }} }}
}}
"""
    for name in ("submit", "return", "publish")
}
REVISE_PLAN = f"""
mutation RevisePlan($input: RevisePlanInput!) {{
  revisePlan(input: $input) {{ version {{ {VERSION_FIELDS} copiedFrom {{ id }} }} userErrors {{ code field message }} }}
}}
"""
AGREEMENT_FIELDS = """
id year level state revision revisionReason
orgUnit { id code }
firstParty { name nip rank position acting title }
secondParty { name nip title }
superior { id level }
subordinates { id level }
items { indicator { id code } objective target }
objectives { name items { indicator { code } target } }
budgetLines { code name amount level }
budgetTotal
versions {
  number kind reason ground title budgetTotal budgetTotalText
  firstParty { name nip title } secondParty { name nip title }
  items { objective indicatorCode target unitOfMeasure }
  budgetLines { code name amount level }
}
"""
SAVE_AGREEMENT = f"""
mutation SaveAgreement($input: SaveAgreementInput!) {{
  savePerformanceAgreement(input: $input) {{ agreement {{ {AGREEMENT_FIELDS} }} userErrors {{ code field message }} }}
}}
"""
SIGN_AGREEMENT = f"""
mutation SignAgreement($input: SignAgreementInput!) {{
  signPerformanceAgreement(input: $input) {{ agreement {{ {AGREEMENT_FIELDS} }} userErrors {{ code field message }} }}
}}
"""
REVISE_AGREEMENT = f"""
mutation ReviseAgreement($input: ReviseAgreementInput!) {{
  revisePerformanceAgreement(input: $input) {{ agreement {{ {AGREEMENT_FIELDS} }} userErrors {{ code field message }} }}
}}
"""
NODE_VERSION = f"""query Version($id: ID!) {{ node(id: $id) {{ ... on PlanVersion {{ {VERSION_FIELDS} }} }} }}"""


async def mutate(api: Api, document: str, payload_field: str, input: dict[str, Any]) -> dict[str, Any]:
    payload: dict[str, Any] = (await api.execute(document, {"input": input}))[payload_field]
    return payload


async def ok(api: Api, document: str, payload_field: str, input: dict[str, Any]) -> dict[str, Any]:
    payload = await mutate(api, document, payload_field, input)
    assert payload["userErrors"] == [], payload["userErrors"]
    return payload


def errors_of(payload: dict[str, Any]) -> set[tuple[str, str | None]]:
    return {(error["code"], error["field"]) for error in payload["userErrors"]}


async def published_plan(api: Api, input: dict[str, Any], draft: dict[str, Any]) -> dict[str, Any]:
    """A plan whose first version holds `draft`, submitted and published; the version."""
    created = await ok(api, CREATE_PLAN, "createStrategicPlan", input)
    version_id = created["version"]["id"]
    updated = await ok(api, UPDATE_DRAFT, "updatePlanDraft", {"versionId": version_id, **draft})
    await ok(api, TRANSITIONS["submit"], "submitPlanVersion", {"versionId": version_id})
    await ok(api, TRANSITIONS["publish"], "publishPlanVersion", {"versionId": version_id})
    version: dict[str, Any] = updated["version"]
    version["state"] = "PUBLISHED"
    return version


class Hierarchy:
    """A small pemda structure of Kota Singkawang built through the API: the root unit, an
    agency (JPT), a bidang (Administrator) and a seksi (Pengawas), each with an indicator."""

    def __init__(self, root: str, agency: str, division: str, section: str, indicators: dict[str, str]) -> None:
        self.root = root
        self.agency = agency
        self.division = division
        self.section = section
        self.indicators = indicators

    @classmethod
    async def build(cls, api: Api, prefix: str = "PLAN") -> "Hierarchy":
        ids = await government_ids(api, "61.72")
        agency = await create_unit(api, ids.root_unit, prefix, validFrom="2025-01-01")
        division = await create_unit(api, agency, f"{prefix}.1", "ESELON_III", validFrom="2025-01-01")
        section = await create_unit(api, division, f"{prefix}.1.1", "ESELON_IV", validFrom="2025-01-01")
        indicators = {
            "root": await create_indicator(api, ids.root_unit, f"{prefix}-IKU", isKey=True),
            "agency": await create_indicator(api, agency, f"{prefix}-01", isKey=True),
            "agency2": await create_indicator(api, agency, f"{prefix}-02", isKey=True),
            "division": await create_indicator(api, division, f"{prefix}.1-01"),
            "section": await create_indicator(api, section, f"{prefix}.1.1-01"),
        }
        return cls(ids.root_unit, agency, division, section, indicators)


def party(name: str, position: str, **extra: Any) -> dict[str, Any]:
    return {"name": name, "rank": "Pembina (IV/a)", "position": position, **extra}
