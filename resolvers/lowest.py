"""The indicators furthest below target under a kab/kota or an org unit (capaian terendah), for
dashboards: lowest achievement first, among the indicators the caller may read."""

import strawberry

from resolvers.scopes import scope_path
from schema.errors import bad_input
from schema.types import Achievement, Indicator, IndicatorAchievement, Info, checked_period
from store.lowest import lowest_achievements as lowest

MAX_FIRST = 50


async def lowest_achievements(
    info: Info, scope: strawberry.ID, year: int, quarter: int | None = None, first: int = 10
) -> list[IndicatorAchievement]:
    period = checked_period(year, quarter)
    if not 1 <= first <= MAX_FIRST:
        raise bad_input(f"first harus antara 1 dan {MAX_FIRST}.")
    path = await scope_path(info, scope, argument="scope")
    if path is None:
        return []
    if path.count("/") < 2:
        # A province's indicators are every kab/kota's: ranked per kab/kota instead (docs/pages.md).
        raise bad_input("Capaian terendah dihitung per kabupaten/kota atau unit kerja, bukan untuk satu provinsi.")
    found = await lowest(await info.context.connection(), info.context.viewer, path, period, first)
    records = await info.context.loaders.indicator_by_id.load_many([indicator_id for indicator_id, _ in found])
    return [
        IndicatorAchievement(indicator=Indicator.of(record), achievement=Achievement.of(evaluation))
        for record, (_, evaluation) in zip(records, found, strict=True)
        if record is not None
    ]
