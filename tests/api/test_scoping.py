"""Nothing outside a caller's grants leaks: not through counts, child rows, values or statements."""

from typing import Any

from tests.api.client import Api
from tests.api.factories import government_ids
from tests.api.test_statement_counts import NESTED_TREE, VARIABLES

ROLLUP = """query($id: ID!) { rollup(scope: $id, year: 2026, quarter: 2) {
  percent indicatorCount countedCount missingCount byCategory { category count }
  children { scope { code } indicatorCount countedCount percent } } }"""

GRANT = """mutation($input: GrantRoleInput!) { grantRole(input: $input) { grant { role scope { code } }
           userErrors { code field } } }"""
REVOKE = """mutation($input: GrantRoleInput!) { revokeRole(input: $input) { grant { role } userErrors { code } } }"""


async def rollup(api: Api, scope: str) -> dict[str, Any]:
    result: dict[str, Any] = (await api.execute(ROLLUP, {"id": scope}))["rollup"]
    return result


async def test_a_kota_operator_s_province_rollup_counts_its_kota_only(demo_api: Api) -> None:
    operator = await demo_api.as_user("operator.61.71")
    province = await government_ids(demo_api, "61")
    pontianak = await government_ids(demo_api, "61.71")
    as_operator = await rollup(operator, province.government)
    own_kota = await rollup(operator, pontianak.government)
    province_wide = await rollup(demo_api, province.government)
    assert [c["scope"]["code"] for c in as_operator["children"]] == ["61.71"]
    for figure in ("percent", "indicatorCount", "countedCount", "missingCount", "byCategory"):
        assert as_operator[figure] == own_kota[figure]
    assert province_wide["indicatorCount"] > as_operator["indicatorCount"]


async def test_an_agency_operator_sees_its_agency_inside_the_kota(demo_api: Api) -> None:
    operator = await demo_api.as_user("operator.61.71.dinkes")
    pontianak = await government_ids(demo_api, "61.71")
    result = await rollup(operator, pontianak.government)
    assert [c["scope"]["code"] for c in result["children"]] == ["DINKES"]
    assert result["indicatorCount"] == result["children"][0]["indicatorCount"]


async def test_an_admin_grants_inside_its_scope_and_only_roles_it_holds(fresh_api: Api) -> None:
    pontianak = await government_ids(fresh_api, "61.71")
    admin = await fresh_api.as_user("admin.61.71")
    ok = await admin.execute(
        GRANT, {"input": {"username": "operator.61.72", "role": "REVIEWER", "scope": pontianak.government}}
    )
    assert ok["grantRole"] == {"grant": {"role": "REVIEWER", "scope": {"code": "61.71"}}, "userErrors": []}
    evaluator = await admin.execute(
        GRANT, {"input": {"username": "operator.61.72", "role": "EVALUATOR", "scope": pontianak.government}}
    )
    assert evaluator["grantRole"]["userErrors"] == [{"code": "ROLE_NOT_HELD", "field": "role"}]
    unknown = await admin.execute(
        GRANT, {"input": {"username": "tidak.ada", "role": "OPERATOR", "scope": pontianak.government}}
    )
    assert unknown["grantRole"]["userErrors"] == [{"code": "NOT_FOUND", "field": "username"}]
    # The grant is live on the grantee's next request: Singkawang's operator now reads Pontianak.
    grantee = await fresh_api.as_user("operator.61.72")
    assert (await rollup(grantee, pontianak.government)) is not None
    revoked = await admin.execute(
        REVOKE, {"input": {"username": "operator.61.72", "role": "REVIEWER", "scope": pontianak.government}}
    )
    assert revoked["revokeRole"]["userErrors"] == []
    assert (await grantee.execute(ROLLUP, {"id": pontianak.government}))["rollup"] is None


async def test_authorisation_does_not_change_the_shape_of_the_sql(demo_api: Api) -> None:
    operator = await demo_api.as_user("operator.61.71")
    _, province_wide = await demo_api.count_statements(NESTED_TREE, VARIABLES)
    scoped_data, scoped = await operator.count_statements(NESTED_TREE, VARIABLES)
    assert scoped == province_wide
    kotas = {g["code"]: g["rollup"] for g in scoped_data["governments"]}
    assert kotas["61.71"] is not None and kotas["61.72"] is None
