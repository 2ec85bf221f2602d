"""DataLoaders, one per key, created per request so nothing is cached across viewers."""

import functools
from collections import defaultdict
from collections.abc import Awaitable, Callable, Hashable, Sequence
from dataclasses import dataclass
from datetime import date
from operator import attrgetter
from typing import TypeVar

from sqlalchemy.ext.asyncio import AsyncConnection
from strawberry.dataloader import DataLoader

from domain.evaluation import Evaluation
from domain.periods import Period
from policies.viewer import Viewer
from store import hierarchy, indicators, monthly, reports, values
from store.aggregates import AggregateWindow
from store.evaluation import ASKED_IDS, load_year
from store.grouping import many_each, one_each
from store.indicators import DefinitionRecord
from store.individual_loaders import IndividualLoaders
from store.lke_loaders import EvaluationLoaders
from store.planning_loaders import PlanningLoaders
from store.records import (
    GovernmentRecord,
    IndicatorRecord,
    MonthlyRealisationRecord,
    OrgUnitRecord,
    RealisationRecord,
    TargetRecord,
)
from store.reports import CommentRecord, ReportKey, ReportRecord, TransitionRecord
from store.rollups import RollupResult, ScopeKey, load_rollups

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")
Connect = Callable[[], Awaitable[AsyncConnection]]


ValuesKey = tuple[int, int | None]  # an indicator, and a year (None: every year)
# A store read of the values of some indicators, of one year or (None) of every year.
YearRead = Callable[[AsyncConnection, Viewer, Sequence[int], int | None], Awaitable[list[V]]]


def _ids_by_year(keys: Sequence[ValuesKey]) -> dict[int | None, list[int]]:
    by_year: dict[int | None, list[int]] = defaultdict(list)
    for indicator_id, year in keys:
        by_year[year].append(indicator_id)
    return by_year


@dataclass(frozen=True)
class AchievementKey:
    indicator_id: int
    period: Period


class Loaders:
    """Every loader a request may use, sharing the request's connection and viewer. Each is made
    on first use (a rollup uses one of sixteen). The loaders refer to their sources and nothing
    refers back, so a finished request's loaded records are freed at once rather than left to
    the cyclic garbage collector (~800 objects a kabupaten/kota rollup)."""

    def __init__(self, connect: Connect, viewer: Viewer, today: date, window: AggregateWindow) -> None:
        self._sources = _Sources(connect, viewer, today, window)

    @functools.cached_property
    def planning(self) -> PlanningLoaders:
        return PlanningLoaders(self._sources.connect, self._sources.viewer)

    @functools.cached_property
    def individual(self) -> IndividualLoaders:
        return IndividualLoaders(self._sources.connect)

    @functools.cached_property
    def evaluations(self) -> EvaluationLoaders:
        return EvaluationLoaders(self._sources.connect, self._sources.viewer, self._sources.today)

    @functools.cached_property
    def government_by_id(self) -> DataLoader[int, GovernmentRecord | None]:
        return DataLoader(self._sources.governments_by_id)

    @functools.cached_property
    def government_by_code(self) -> DataLoader[str, GovernmentRecord | None]:
        return DataLoader(self._sources.governments_by_code)

    @functools.cached_property
    def governments_by_parent_id(self) -> DataLoader[int, list[GovernmentRecord]]:
        return DataLoader(self._sources.governments_by_parent_id)

    @functools.cached_property
    def root_unit_by_government_id(self) -> DataLoader[int, OrgUnitRecord | None]:
        return DataLoader(self._sources.root_unit_by_government_id)

    @functools.cached_property
    def org_unit_by_id(self) -> DataLoader[int, OrgUnitRecord | None]:
        return DataLoader(self._sources.org_units_by_id)

    @functools.cached_property
    def child_units_by_parent_id(self) -> DataLoader[tuple[int, Period | None], list[OrgUnitRecord]]:
        return DataLoader(self._sources.child_units_by_parent_id)

    @functools.cached_property
    def indicator_by_id(self) -> DataLoader[int, IndicatorRecord | None]:
        return DataLoader(self._sources.indicators_by_id)

    @functools.cached_property
    def indicators_by_org_unit_id(self) -> DataLoader[int, list[IndicatorRecord]]:
        return DataLoader(self._sources.indicators_by_org_unit_id)

    @functools.cached_property
    def indicators_by_parent_id(self) -> DataLoader[int, list[IndicatorRecord]]:
        return DataLoader(self._sources.indicators_by_parent_id)

    @functools.cached_property
    def superseded_definitions_by_indicator_id(self) -> DataLoader[int, list[DefinitionRecord]]:
        return DataLoader(self._sources.superseded_definitions_by_indicator_id)

    @functools.cached_property
    def targets_by_indicator_year(self) -> DataLoader[ValuesKey, list[TargetRecord]]:
        """An indicator's targets of a year, or (None) of every year."""
        return DataLoader(self._sources.targets_by_indicator_year)

    @functools.cached_property
    def realisations_by_indicator_year(self) -> DataLoader[ValuesKey, list[RealisationRecord]]:
        """An indicator's realisations of a year, or (None) of every year."""
        return DataLoader(self._sources.realisations_by_indicator_year)

    @functools.cached_property
    def monthly_realisations_by_indicator_id(self) -> DataLoader[int, list[MonthlyRealisationRecord]]:
        return DataLoader(self._sources.monthly_realisations_by_indicator_id)

    @functools.cached_property
    def achievement_by_indicator_period(self) -> DataLoader[AchievementKey, Evaluation | None]:
        return DataLoader(self._sources.achievements)

    @functools.cached_property
    def rollup_by_scope_period(self) -> DataLoader[tuple[ScopeKey, Period], RollupResult | None]:
        return DataLoader(self._sources.rollups)

    @functools.cached_property
    def report_by_key(self) -> DataLoader[ReportKey, ReportRecord]:
        return DataLoader(self._sources.reports_by_key)

    @functools.cached_property
    def history_by_report_id(self) -> DataLoader[int, list[TransitionRecord]]:
        return DataLoader(self._sources.history_by_report_id)

    @functools.cached_property
    def comments_by_report_id(self) -> DataLoader[int, list[CommentRecord]]:
        return DataLoader(self._sources.comments_by_report_id)


class _Sources:
    """The batch functions behind the loaders: one statement (or a few) per batch of keys."""

    def __init__(self, connect: Connect, viewer: Viewer, today: date, window: AggregateWindow) -> None:
        self.connect = connect
        self.viewer = viewer
        self.today = today
        self._window = window

    async def governments_by_id(self, ids: list[int]) -> list[GovernmentRecord | None]:
        records = await hierarchy.governments_by_ids(await self.connect(), self.viewer, ids)
        return one_each(ids, records, lambda g: g.id)

    async def governments_by_code(self, codes: list[str]) -> list[GovernmentRecord | None]:
        records = await hierarchy.governments_by_codes(await self.connect(), self.viewer, codes)
        return one_each(codes, records, lambda g: g.code)

    async def governments_by_parent_id(self, ids: list[int]) -> list[list[GovernmentRecord]]:
        records = await hierarchy.governments_by_parent_ids(await self.connect(), self.viewer, ids)
        return many_each(ids, records, lambda g: g.parent_id)

    async def root_unit_by_government_id(self, ids: list[int]) -> list[OrgUnitRecord | None]:
        records = await hierarchy.root_units_by_government_ids(
            await self.connect(), self.viewer, ids, starts_on=self.today, ends_on=self.today
        )
        return one_each(ids, records, lambda u: u.government_id)

    async def org_units_by_id(self, ids: list[int]) -> list[OrgUnitRecord | None]:
        records = await hierarchy.units_by_ids(await self.connect(), self.viewer, ids)
        return one_each(ids, records, lambda u: u.id)

    async def child_units_by_parent_id(self, keys: list[tuple[int, Period | None]]) -> list[list[OrgUnitRecord]]:
        """Children valid in a year when one is asked for, else those valid today."""
        by_window: dict[Period | None, list[int]] = defaultdict(list)
        for parent_id, period in keys:
            by_window[period].append(parent_id)
        found: dict[tuple[int, Period | None], list[OrgUnitRecord]] = defaultdict(list)
        for period, parent_ids in by_window.items():
            starts_on, ends_on = (self.today, self.today) if period is None else (period.starts_on, period.ends_on)
            records = await hierarchy.child_units_by_parent_ids(
                await self.connect(), self.viewer, parent_ids, starts_on=starts_on, ends_on=ends_on
            )
            for record in records:
                assert record.parent_id is not None
                found[(record.parent_id, period)].append(record)
        return [found.get(key, []) for key in keys]

    async def indicators_by_id(self, ids: list[int]) -> list[IndicatorRecord | None]:
        records = await indicators.indicators_by_ids(await self.connect(), self.viewer, ids)
        return one_each(ids, records, lambda i: i.id)

    async def indicators_by_org_unit_id(self, ids: list[int]) -> list[list[IndicatorRecord]]:
        records = await indicators.indicators_by_unit_ids(await self.connect(), self.viewer, ids)
        return many_each(ids, records, lambda i: i.org_unit_id)

    async def indicators_by_parent_id(self, ids: list[int]) -> list[list[IndicatorRecord]]:
        records = await indicators.indicators_by_parent_ids(await self.connect(), self.viewer, ids)
        return many_each(ids, records, lambda i: i.parent_id)

    async def superseded_definitions_by_indicator_id(self, ids: list[int]) -> list[list[DefinitionRecord]]:
        records = await indicators.superseded_definitions(await self.connect(), ids)
        return many_each(ids, records, lambda d: d.indicator_id)

    async def targets_by_indicator_year(self, keys: list[ValuesKey]) -> list[list[TargetRecord]]:
        return await self._by_year(keys, values.targets_by_indicator_ids)

    async def realisations_by_indicator_year(self, keys: list[ValuesKey]) -> list[list[RealisationRecord]]:
        return await self._by_year(keys, values.realisations_by_indicator_ids)

    async def _by_year(self, keys: list[ValuesKey], read: YearRead[V]) -> list[list[V]]:
        """One statement per year asked for (a year's rows only, not every year's filtered here)."""
        found: dict[ValuesKey, list[V]] = {}
        for year, ids in _ids_by_year(keys).items():
            records = await read(await self.connect(), self.viewer, ids, year)
            found.update(
                zip(((i, year) for i in ids), many_each(ids, records, attrgetter("indicator_id")), strict=True)
            )
        return [found[key] for key in keys]

    async def monthly_realisations_by_indicator_id(self, ids: list[int]) -> list[list[MonthlyRealisationRecord]]:
        records = await monthly.monthly_by_indicator_ids(await self.connect(), self.viewer, ids)
        return many_each(ids, records, lambda r: r.indicator_id)

    async def achievements(self, keys: list[AchievementKey]) -> list[Evaluation | None]:
        """Grouped by period: three statements per distinct period asked for, whatever the count."""
        by_period: dict[Period, set[int]] = defaultdict(set)
        for key in keys:
            by_period[key.period].add(key.indicator_id)
        evaluators = {}
        for period, ids in by_period.items():
            inputs = await load_year(await self.connect(), self.viewer, ASKED_IDS, period, {"asked_ids": sorted(ids)})
            evaluators[period] = inputs.evaluator
        # An indicator whose values the viewer may not read was not loaded: no achievement.
        return [
            evaluators[k.period].evaluate(k.indicator_id, k.period.quarter)
            if k.indicator_id in evaluators[k.period].rules
            else None
            for k in keys
        ]

    async def reports_by_key(self, keys: list[ReportKey]) -> list[ReportRecord]:
        found = await reports.reports_by_keys(await self.connect(), keys)
        return [found[key] for key in keys]

    async def history_by_report_id(self, ids: list[int]) -> list[list[TransitionRecord]]:
        records = await reports.history_of(await self.connect(), ids)
        return many_each(ids, records, lambda t: t.report_id)

    async def comments_by_report_id(self, ids: list[int]) -> list[list[CommentRecord]]:
        records = await reports.comments_of(await self.connect(), ids)
        return many_each(ids, records, lambda c: c.report_id)

    async def rollups(self, keys: list[tuple[ScopeKey, Period]]) -> list[RollupResult | None]:
        by_period: dict[Period, list[ScopeKey]] = defaultdict(list)
        for scope, period in keys:
            by_period[period].append(scope)
        found: dict[tuple[ScopeKey, Period], RollupResult] = {}
        for period, scopes in by_period.items():
            results = await load_rollups(await self.connect(), self.viewer, scopes, period, self._window)
            found.update({(scope, period): result for scope, result in results.items()})
        return [found.get(key) for key in keys]
