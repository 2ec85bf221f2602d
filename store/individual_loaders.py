"""DataLoaders of individual records (SKP and their RHK), so that a page of employees with their
SKP costs a fixed number of statements."""

import functools
from collections.abc import Awaitable, Callable, Sequence
from datetime import date
from itertools import groupby
from typing import TypeVar

from sqlalchemy.ext.asyncio import AsyncConnection
from strawberry.dataloader import DataLoader

from domain.activity import EntryState
from store import activity, personnel
from store import skp as skp_store
from store import tpp as tpp_store
from store.activity import EntryRecord, MonthScore, WeekRecord
from store.personnel import PositionRecord
from store.skp import Measured, RhkRecord, SkpRecord
from store.tpp import StatementRecord

Connect = Callable[[], Awaitable[AsyncConnection]]
SkpKey = tuple[int, int]  # an employee (or an indicator), a year
RangeKey = tuple[int, date, date]  # an employee, the first and last day
V = TypeVar("V")
YearRead = Callable[[AsyncConnection, Sequence[int], int], Awaitable[dict[int, V]]]
RangeRead = Callable[[AsyncConnection, Sequence[int], date, date], Awaitable[dict[int, list[V]]]]


class IndividualLoaders:
    def __init__(self, connect: Connect) -> None:
        self._connect = connect

    @functools.cached_property
    def skp_by_employee_year(self) -> DataLoader[SkpKey, SkpRecord | None]:
        return DataLoader(functools.partial(self._one_by_year, skp_store.skps_of))

    @functools.cached_property
    def tpp_statements_by_employee_year(self) -> DataLoader[SkpKey, list[StatementRecord]]:
        return DataLoader(functools.partial(self._by_year, tpp_store.statements_of))

    @functools.cached_property
    def monthly_scores_by_employee_year(self) -> DataLoader[SkpKey, list[MonthScore]]:
        return DataLoader(functools.partial(self._by_year, activity.monthly_scores))

    async def _found_by_year(self, read: YearRead[V], keys: list[SkpKey]) -> dict[SkpKey, V]:
        """`read` once per year asked, for every id asked of that year."""
        conn = await self._connect()
        found: dict[SkpKey, V] = {}
        for year, group in groupby(sorted(set(keys), key=lambda k: k[1]), key=lambda k: k[1]):
            read_ = await read(conn, [k[0] for k in group], year)
            found.update({(key, year): value for key, value in read_.items()})
        return found

    async def _by_year(self, read: YearRead[list[V]], keys: list[SkpKey]) -> list[list[V]]:
        found = await self._found_by_year(read, keys)
        return [found.get(key, []) for key in keys]

    async def _one_by_year(self, read: YearRead[V], keys: list[SkpKey]) -> list[V | None]:
        found = await self._found_by_year(read, keys)
        return [found.get(key) for key in keys]

    async def _by_range(self, read: RangeRead[V], keys: list[RangeKey]) -> list[list[V]]:
        """`read` once per range asked, for every employee asked over it."""
        conn = await self._connect()
        found: dict[RangeKey, list[V]] = {}
        for (first, last), group in groupby(sorted(set(keys), key=lambda k: (k[1], k[2])), key=lambda k: k[1:]):
            read_ = await read(conn, [k[0] for k in group], first, last)
            found.update({(employee_id, first, last): values for employee_id, values in read_.items()})
        return [found.get(key, []) for key in keys]

    @functools.cached_property
    def entries_by_employee_range(self) -> DataLoader[RangeKey, list[EntryRecord]]:
        """An employee's activity log entries between two days: one statement per range asked,
        however many employees a page lists."""
        return DataLoader(functools.partial(self._by_range, activity.entries_between))

    @functools.cached_property
    def state_counts_by_employee_range(self) -> DataLoader[RangeKey, list[tuple[EntryState, int]]]:
        """An employee's entries between two days counted per state, as `entries_by_employee_range`."""
        return DataLoader(functools.partial(self._by_range, activity.state_counts))

    @functools.cached_property
    def weeks_by_employee_range(self) -> DataLoader[RangeKey, list[WeekRecord]]:
        """An employee's submitted weeks starting between two days, as `entries_by_employee_range`."""
        return DataLoader(functools.partial(self._by_range, activity.weeks_by_employee))

    @functools.cached_property
    def position_by_id(self) -> DataLoader[int, PositionRecord | None]:
        return DataLoader(self._positions)

    @functools.cached_property
    def rhk_by_skp_id(self) -> DataLoader[int, list[RhkRecord]]:
        return DataLoader(self._rhk_of)

    @functools.cached_property
    def achievement_by_indicator_year(self) -> DataLoader[SkpKey, Measured | None]:
        """The platform's achievement of a unit head's RHK, read by whoever reads the SKP."""
        return DataLoader(functools.partial(self._one_by_year, skp_store.latest_achievements))

    @functools.cached_property
    def rhk_by_id(self) -> DataLoader[int, RhkRecord | None]:
        return DataLoader(self._rhk)

    @functools.cached_property
    def skp_by_position_year(self) -> DataLoader[SkpKey, SkpRecord | None]:
        """The SKP drafted for a position in a year (a superior position's, for intervensi)."""
        return DataLoader(functools.partial(self._one_by_year, skp_store.skps_of_positions))

    async def _positions(self, keys: list[int]) -> list[PositionRecord | None]:
        found = await personnel.positions_by_ids(await self._connect(), keys)
        return [found.get(key) for key in keys]

    async def _rhk_of(self, keys: list[int]) -> list[list[RhkRecord]]:
        found = await skp_store.rhk_of(await self._connect(), keys)
        return [found.get(key, []) for key in keys]

    async def _rhk(self, keys: list[int]) -> list[RhkRecord | None]:
        found = await skp_store.rhk_records(await self._connect(), keys)
        return [found.get(key) for key in keys]
