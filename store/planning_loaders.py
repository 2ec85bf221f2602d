"""DataLoaders of the planning chain (plans, versions, their content, agreements), per request."""

import functools
from collections.abc import Awaitable, Callable
from decimal import Decimal

from sqlalchemy.ext.asyncio import AsyncConnection
from strawberry.dataloader import DataLoader

from policies.viewer import Viewer
from store import agreements, apbd, planning
from store.agreements import AgreementRecord, AgreementVersionRecord, BudgetLineRecord, ItemRecord
from store.grouping import many_each, one_each
from store.planning import ElementRecord, PlanRecord, VersionContent, VersionRecord

Connect = Callable[[], Awaitable[AsyncConnection]]


class PlanningLoaders:
    def __init__(self, connect: Connect, viewer: Viewer) -> None:
        self._connect = connect
        self._viewer = viewer

    @functools.cached_property
    def plan_by_id(self) -> DataLoader[int, PlanRecord | None]:
        async def load(ids: list[int]) -> list[PlanRecord | None]:
            return one_each(ids, await planning.plans_by_ids(await self._connect(), ids), lambda r: r.id)

        return DataLoader(load)

    @functools.cached_property
    def versions_by_plan_id(self) -> DataLoader[int, list[VersionRecord]]:
        async def load(ids: list[int]) -> list[list[VersionRecord]]:
            found = await planning.versions_of_plans(await self._connect(), self._viewer, ids)
            return many_each(ids, found, lambda r: r.plan_id)

        return DataLoader(load)

    @functools.cached_property
    def version_by_id(self) -> DataLoader[int, VersionRecord | None]:
        async def load(ids: list[int]) -> list[VersionRecord | None]:
            found = await planning.visible_versions(await self._connect(), self._viewer, ids)
            return one_each(ids, found, lambda r: r.id)

        return DataLoader(load)

    @functools.cached_property
    def content_by_version_id(self) -> DataLoader[int, VersionContent]:
        """Only for versions already loaded through a visible path."""

        async def load(ids: list[int]) -> list[VersionContent]:
            found = await planning.contents(await self._connect(), ids)
            return [found[version_id] for version_id in ids]

        return DataLoader(load)

    @functools.cached_property
    def objective_by_indicator_id(self) -> DataLoader[int, ElementRecord | None]:
        async def load(ids: list[int]) -> list[ElementRecord | None]:
            found = await planning.objectives_of_indicators(await self._connect(), ids)
            return [found.get(indicator_id) for indicator_id in ids]

        return DataLoader(load)

    @functools.cached_property
    def element_by_id(self) -> DataLoader[int, ElementRecord | None]:
        async def load(ids: list[int]) -> list[ElementRecord | None]:
            return one_each(ids, await planning.published_elements(await self._connect(), ids), lambda r: r.id)

        return DataLoader(load)

    @functools.cached_property
    def agreement_by_id(self) -> DataLoader[int, AgreementRecord | None]:
        async def load(ids: list[int]) -> list[AgreementRecord | None]:
            found = await agreements.visible_agreements(await self._connect(), self._viewer, ids)
            return one_each(ids, found, lambda r: r.id)

        return DataLoader(load)

    @functools.cached_property
    def subordinates_by_agreement_id(self) -> DataLoader[int, list[AgreementRecord]]:
        async def load(ids: list[int]) -> list[list[AgreementRecord]]:
            found = await agreements.subordinates(await self._connect(), self._viewer, ids)
            return many_each(ids, found, lambda r: r.superior_id)

        return DataLoader(load)

    @functools.cached_property
    def items_by_agreement_id(self) -> DataLoader[int, list[ItemRecord]]:
        async def load(ids: list[int]) -> list[list[ItemRecord]]:
            return many_each(ids, await agreements.items_of(await self._connect(), ids), lambda r: r.agreement_id)

        return DataLoader(load)

    @functools.cached_property
    def lines_by_agreement_id(self) -> DataLoader[int, list[BudgetLineRecord]]:
        async def load(ids: list[int]) -> list[list[BudgetLineRecord]]:
            found = await agreements.budget_lines_of(await self._connect(), ids)
            return many_each(ids, found, lambda r: r.agreement_id)

        return DataLoader(load)

    @functools.cached_property
    def apbd_pagu_by_unit_year(self) -> DataLoader[tuple[int, int], dict[str, Decimal | None]]:
        """Each code's pagu in the unit's APBD in force for the year (store.apbd.pagu_in_force); the
        APBD is a Perda, public like the hierarchy."""

        async def load(keys: list[tuple[int, int]]) -> list[dict[str, Decimal | None]]:
            found = await apbd.pagu_in_force(await self._connect(), keys)
            return [found.get(key, {}) for key in keys]

        return DataLoader(load)

    @functools.cached_property
    def versions_by_agreement_id(self) -> DataLoader[int, list[AgreementVersionRecord]]:
        async def load(ids: list[int]) -> list[list[AgreementVersionRecord]]:
            return many_each(ids, await agreements.versions_of(await self._connect(), ids), lambda r: r.agreement_id)

        return DataLoader(load)
