"""A finished request's objects are freed by reference counting, not left in reference cycles
for the cyclic garbage collector: its passes over a rollup's ~800 objects took ~5 ms, pauses
that land on whichever request is running then (docs/scaling.md, "Sixth session")."""

import gc
from collections.abc import Iterator
from contextlib import contextmanager

from tests.api.client import Api
from tests.api.factories import government_ids
from tests.api.test_rollup import ROLLUP

# The request's own objects: the context, its loaders, graphql-core's execution context and
# what was loaded. Libraries beneath (httpx's test transport, anyio) may keep cycles of their own.
OWN_TYPES = frozenset({"Context", "LazyConnection", "Loaders", "DataLoader", "CompletingExecutionContext",
                       "RollupResult", "OrgUnitRecord", "GovernmentRecord", "IndicatorRecord", "Rollup"})  # fmt: skip


@contextmanager
def cyclic_garbage() -> Iterator[list[object]]:
    """Everything the cyclic collector would have had to free, collected while the block ran."""
    found: list[object] = []
    gc.collect()
    gc.set_debug(gc.DEBUG_SAVEALL)
    try:
        yield found
        gc.collect()
        found.extend(gc.garbage)
    finally:
        gc.set_debug(0)
        gc.garbage.clear()


def own(garbage: list[object]) -> list[str]:
    return sorted(type(o).__name__ for o in garbage if type(o).__name__ in OWN_TYPES)


async def test_a_rollup_request_leaves_no_cycles(demo_api: Api) -> None:
    province = await government_ids(demo_api, "61")
    variables = {"scope": province.government, "year": 2026, "quarter": 3}
    with cyclic_garbage() as garbage:
        data = await demo_api.execute(ROLLUP, variables)
    assert data["rollup"]["children"]
    assert own(garbage) == []


async def test_a_nested_tree_request_leaves_no_cycles(demo_api: Api) -> None:
    kota = await government_ids(demo_api, "61.71")
    query = """query($id: ID!) { node(id: $id) { ... on OrgUnit { code indicators { code
        achievement(year: 2026, quarter: 3) { percent } } children { code } } } }"""
    with cyclic_garbage() as garbage:
        data = await demo_api.execute(query, {"id": kota.root_unit})
    assert data["node"]["indicators"]
    assert own(garbage) == []
