"""Targets and realisations inside a nested tree are loaded ahead (resolvers/subtree.py): one
statement per field and year for the whole tree, a year's rows only, the same figures as an
indicator read alone, and the count unchanged when the tree grows."""

from tests.api.client import Api
from tests.api.factories import create_indicator, create_unit, set_targets, submit
from tests.web.facts import unit_id

TREE = """query($id: ID!) { node(id: $id) { ... on OrgUnit { code
  indicators { id code targets(year: 2026) { quarter value } realisations(year: 2026) { quarter value version } }
  children { code indicators { id code targets(year: 2026) { quarter value }
                               realisations(year: 2026) { quarter value version } }
    children { code indicators { id code targets(year: 2026) { quarter value }
                                 realisations(year: 2026) { quarter value version } } } } } } }"""
ALONE = """query($id: ID!) { node(id: $id) { ... on Indicator {
  targets(year: 2026) { quarter value } realisations(year: 2026) { quarter value version } } } }"""


def indicators_of(unit: dict) -> list[dict]:  # type: ignore[type-arg]
    return [*unit["indicators"], *(i for child in unit.get("children", []) for i in indicators_of(child))]


async def test_values_in_a_tree_are_read_in_a_fixed_number_of_statements(fresh_api: Api) -> None:
    dinkes = await unit_id(fresh_api, "61.71", "DINKES")
    data, before = await fresh_api.count_statements(TREE, {"id": dinkes})
    found = indicators_of(data["node"])
    assert len(found) > 8
    for indicator in found[:3]:
        alone = (await fresh_api.execute(ALONE, {"id": indicator["id"]}))["node"]
        assert (indicator["targets"], indicator["realisations"]) == (alone["targets"], alone["realisations"])

    grown_unit = await create_unit(fresh_api, dinkes, "DINKES.9", "ESELON_III", validFrom="2025-01-01")
    for code in ("DINKES.9-01", "DINKES.9-02"):
        created = await create_indicator(fresh_api, grown_unit, code)
        await set_targets(fresh_api, [{"indicatorId": created, "year": 2026, "value": "10"}])
        await submit(fresh_api, [{"indicatorId": created, "year": 2026, "quarter": 1, "value": "9"}], key=code)
    grown, after = await fresh_api.count_statements(TREE, {"id": dinkes})
    assert len(indicators_of(grown["node"])) == len(found) + 2 and after == before
