"""DataLoaders of SAKIP evaluations, per request: answers, evidence, disputes, quality findings and
recommendations,
one statement each for any number of evaluations, and the computed criteria of each."""

import contextlib
import functools
from collections.abc import Awaitable, Callable
from datetime import date
from typing import Any

from sqlalchemy.ext.asyncio import AsyncConnection
from strawberry.dataloader import DataLoader

from domain.lke import Criterion
from policies.viewer import Viewer
from store import lke, lke_facts, lke_quality
from store.grouping import many_each
from store.lke import AnswerRecord, DisputeRecord, EvaluationRecord, EvidenceRecord, RecommendationRecord
from store.lke_facts import Fact
from store.lke_quality import FindingRecord

Connect = Callable[[], Awaitable[AsyncConnection]]


class EvaluationLoaders:
    def __init__(self, connect: Connect, viewer: Viewer, today: date) -> None:
        self._connect = connect
        self._viewer = viewer
        self._today = today

    @functools.cached_property
    def versions(self) -> DataLoader[tuple[int, int], list[EvaluationRecord]]:
        """Every version of a unit's evaluation of a year the viewer may see, oldest first: one
        statement for any number of (unit, year)."""

        async def load(keys: list[tuple[int, int]]) -> list[list[EvaluationRecord]]:
            units = sorted({unit for unit, _ in keys})
            found = await lke.visible_evaluations(
                await self._connect(), self._viewer, org_unit_ids=units, every_version=True
            )
            return many_each(keys, found, lambda r: (r.org_unit_id, r.year))

        return DataLoader(load)

    @functools.cached_property
    def answers(self) -> DataLoader[int, list[AnswerRecord]]:
        """Each a list of evaluations already read through a visible path, one statement."""

        async def load(ids: list[int]) -> list[list[AnswerRecord]]:
            return many_each(ids, await lke.answers(await self._connect(), ids), lambda r: r.evaluation_id)

        return DataLoader(load)

    @functools.cached_property
    def evidence(self) -> DataLoader[int, list[EvidenceRecord]]:
        async def load(ids: list[int]) -> list[list[EvidenceRecord]]:
            return many_each(ids, await lke.evidence(await self._connect(), ids), lambda r: r.evaluation_id)

        return DataLoader(load)

    @functools.cached_property
    def disputes(self) -> DataLoader[int, list[DisputeRecord]]:
        async def load(ids: list[int]) -> list[list[DisputeRecord]]:
            return many_each(ids, await lke.disputes(await self._connect(), ids), lambda r: r.evaluation_id)

        return DataLoader(load)

    @functools.cached_property
    def quality_findings(self) -> DataLoader[int, list[FindingRecord]]:
        async def load(ids: list[int]) -> list[list[FindingRecord]]:
            found = await lke_quality.findings(await self._connect(), ids)
            return many_each(ids, found, lambda r: r.evaluation_id)

        return DataLoader(load)

    @functools.cached_property
    def recommendations(self) -> DataLoader[int, list[RecommendationRecord]]:
        async def load(ids: list[int]) -> list[list[RecommendationRecord]]:
            found = await lke.recommendations(await self._connect(), ids)
            return [[record for _, record in pairs] for pairs in many_each(ids, found, lambda pair: pair[0])]

        return DataLoader(load)

    @functools.cached_property
    def report_digests(self) -> DataLoader[int, dict[str, str]]:
        """The frozen LHE's SHA-256 per format; empty before FINAL."""

        async def load(ids: list[int]) -> list[dict[str, str]]:
            found = await lke.report_digests(await self._connect(), ids)
            return [found.get(i, {}) for i in ids]

        return DataLoader(load)

    def forget(self, evaluation_id: int) -> None:
        """After a write in this request, what was loaded of the evaluation is stale."""
        loaders: tuple[DataLoader[int, Any], ...] = (
            self.answers,
            self.evidence,
            self.disputes,
            self.quality_findings,
            self.recommendations,
            self.report_digests,
        )
        for loader in loaders:
            with contextlib.suppress(KeyError):  # not loaded
                loader.clear(evaluation_id)

    @functools.cached_property
    def facts(self) -> DataLoader[EvaluationRecord, dict[str, Fact]]:
        """The computed criteria of an evaluation (store/lke_facts.py)."""

        async def load(records: list[EvaluationRecord]) -> list[dict[str, Fact]]:
            conn = await self._connect()
            found = []
            for record in records:
                model = await lke.model(conn, record.model_id)
                computed: list[Criterion] = [c for c in model.criteria.values() if c.computed is not None]
                found.append(await lke_facts.facts(conn, record, computed, self._today))
            return found

        return DataLoader(load, cache_key_fn=lambda record: record.id)
