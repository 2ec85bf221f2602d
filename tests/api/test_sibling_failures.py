"""A field that fails while its siblings run SQL on the request's connection: the siblings are
settled, not cancelled mid-statement, so the answer carries the field's own error, never
INTERNAL, and the connection goes back to the pool usable (found by tests/api/test_fuzz.py)."""

import pytest

from tests.api.client import Api
from tests.api.factories import government_ids

FAILING_BESIDE_READS = [
    "query($s: ID!) { strategicPlans(scope: $s) { name versions { number goals { code } } } "
    'planningGaps(governmentCode: "", year: 0) { message } }',
    "query($s: ID!) { rollup(scope: $s, year: 2026) { percent children { percent } } "
    'planningGaps(governmentCode: "61.71", year: 0) { message } }',
    "query($s: ID!) { performanceAgreements(scope: $s, year: 2026) { level items { target } } "
    "indicators(first: 101) { totalCount } }",
]


@pytest.mark.parametrize("document", FAILING_BESIDE_READS)
async def test_a_failing_field_leaves_its_siblings_and_the_connection_intact(demo_api: Api, document: str) -> None:
    ids = await government_ids(demo_api, "61.71")
    for _ in range(3):  # the pool's connections are reused: each must still work
        body = (await demo_api.post(document, {"s": ids.government})).json()
        assert [error["extensions"]["code"] for error in body["errors"]] == ["BAD_USER_INPUT"], body
    assert (await demo_api.execute('query { government(code: "61.71") { code } }'))["government"] == {"code": "61.71"}
