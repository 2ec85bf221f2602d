"""Values by report state: the public sees published periods, API tokens released ones in their
scope, people in their grants everything including drafts (design.md, issue "Reporting workflow").

Demo states: 2025 published; 2026 Q1–Q2 locked; 2026 Q3 mixed; Kota Singkawang reported nothing.
"""

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from tests.api.client import Api
from tests.api.factories import government_ids

VALUES_OF = """query($id: ID!, $year: Int!, $quarter: Int) { indicators(filter: {orgUnitId: $id}) { totalCount
  edges { node { code targets { year quarter } realisations { year quarter }
                 achievement(year: $year, quarter: $quarter) { percent reason } } } } }"""
ROLLUP = """query($id: ID!, $year: Int!, $quarter: Int) {
  rollup(scope: $id, year: $year, quarter: $quarter) { indicatorCount children { scope { code } } } }"""


async def values_of(api: Api, unit: str, year: int, quarter: int | None) -> list[dict[str, Any]]:
    data = await api.execute(VALUES_OF, {"id": unit, "year": year, "quarter": quarter})
    return [edge["node"] for edge in data["indicators"]["edges"]]


async def rollup(api: Api, scope: str, year: int, quarter: int | None) -> dict[str, Any] | None:
    result: dict[str, Any] | None = (await api.execute(ROLLUP, {"id": scope, "year": year, "quarter": quarter}))[
        "rollup"
    ]
    return result


async def test_the_public_sees_published_periods_only(demo_api: Api) -> None:
    anonymous = demo_api.anonymous()
    pontianak = await government_ids(demo_api, "61.71")
    nodes = await values_of(anonymous, pontianak.root_unit, 2025, None)
    assert len(nodes) == 6  # definitions are public
    assert all({r["year"] for r in n["realisations"]} <= {2025} for n in nodes)
    assert any(n["realisations"] for n in nodes)
    assert any(n["achievement"] is not None for n in nodes)
    locked = await values_of(anonymous, pontianak.root_unit, 2026, 2)
    assert all(n["achievement"] is None for n in locked)
    assert await rollup(anonymous, pontianak.government, 2025, None) is not None
    assert await rollup(anonymous, pontianak.government, 2026, 2) is None


async def test_the_public_province_rollup_leaves_out_what_is_not_published(demo_api: Api) -> None:
    province = await government_ids(demo_api, "61")
    public = await rollup(demo_api.anonymous(), province.government, 2025, None)
    full = await rollup(demo_api, province.government, 2025, None)
    assert public is not None and full is not None
    codes = [c["scope"]["code"] for c in public["children"]]
    assert "61.71" in codes and "61.72" not in codes  # Kota Singkawang has published nothing
    assert public["indicatorCount"] < full["indicatorCount"]


async def test_a_person_sees_published_data_beyond_its_grants(demo_api: Api) -> None:
    operator = await demo_api.as_user("operator.61.72")
    pontianak = await government_ids(demo_api, "61.71")
    assert await rollup(operator, pontianak.government, 2025, None) is not None
    assert await rollup(operator, pontianak.government, 2026, 2) is None


@pytest.fixture
async def token_61_71(demo_api: Api) -> Api:
    reviewer = await demo_api.as_user("reviewer.61.71")
    pontianak = await government_ids(demo_api, "61.71")
    created = await reviewer.execute(
        """mutation($scope: ID!, $expires: DateTime!) { createApiToken(input: {name: "state", scope: $scope,
           expiresAt: $expires}) { token } }""",
        {"scope": pontianak.government, "expires": (datetime.now(UTC) + timedelta(days=1)).isoformat()},
    )
    return demo_api.with_token(created["createApiToken"]["token"])


async def test_an_api_token_sees_released_data_in_its_scope_only(demo_api: Api, token_61_71: Api) -> None:
    pontianak = await government_ids(demo_api, "61.71")
    singkawang = await government_ids(demo_api, "61.72")
    assert await rollup(token_61_71, pontianak.government, 2026, 2) is not None  # locked: released
    # 2026 Q3 of the city itself is still a draft: not released.
    q3 = await values_of(token_61_71, pontianak.root_unit, 2026, 3)
    assert all(n["achievement"] is None for n in q3)
    assert await rollup(token_61_71, singkawang.government, 2025, None) is None  # outside its scope


async def test_people_in_scope_see_drafts(demo_api: Api) -> None:
    operator = await demo_api.as_user("operator.61.71")
    pontianak = await government_ids(demo_api, "61.71")
    q3 = await values_of(operator, pontianak.root_unit, 2026, 3)
    assert any(n["achievement"] is not None for n in q3)
