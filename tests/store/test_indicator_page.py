"""store/indicators.indicator_page: the page is the same whichever plan its total chooses."""

import pytest

from policies.viewer import SYSTEM
from store.database import create_engine
from store.indicators import IndicatorFilterSpec, indicator_page

ALWAYS_WALK, ALWAYS_SORT = 0, 10**9


async def all_pages(url: str, spec: IndicatorFilterSpec, sorted_page_limit: int) -> tuple[list[int], set[int]]:
    engine = create_engine(url, pool_size=1)
    ids: list[int] = []
    totals = set()
    try:
        async with engine.connect() as conn:
            after, more = None, True
            while more:
                records, more, total = await indicator_page(
                    conn, SYSTEM, spec, first=7, after_id=after, sorted_page_limit=sorted_page_limit
                )
                ids += [record.id for record in records]
                totals.add(total)
                after = records[-1].id if records else None
    finally:
        await engine.dispose()
    return ids, totals


@pytest.mark.parametrize(
    "spec",
    [
        IndicatorFilterSpec(subtree_path="61/61.71/"),
        IndicatorFilterSpec(subtree_path="61/"),
        IndicatorFilterSpec(subtree_path="61/61.72/", is_key=True),
        IndicatorFilterSpec(subtree_path="99/"),
    ],
    ids=["a kota", "the province", "key indicators of a kabupaten", "nothing"],
)
async def test_walking_the_ids_and_sorting_the_matches_give_the_same_pages(
    demo_url: str, spec: IndicatorFilterSpec
) -> None:
    walked, walked_totals = await all_pages(demo_url, spec, ALWAYS_WALK)
    sorted_, sorted_totals = await all_pages(demo_url, spec, ALWAYS_SORT)
    assert walked == sorted_ == sorted(set(walked))
    assert walked_totals == sorted_totals == {len(walked)}
