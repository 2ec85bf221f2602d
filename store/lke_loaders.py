"""DataLoaders of SAKIP evaluations, per request: an evaluation's answers, evidence, disputes and
recommendations, four statements for any number of evaluations."""

import functools
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import date

from sqlalchemy.ext.asyncio import AsyncConnection
from strawberry.dataloader import DataLoader

from domain.lke import Criterion
from store import lke, lke_facts
from store.grouping import many_each
from store.lke import AnswerRecord, DisputeRecord, EvaluationRecord, EvidenceRecord, RecommendationRecord
from store.lke_facts import Fact

Connect = Callable[[], Awaitable[AsyncConnection]]


@dataclass(frozen=True)
class Details:
    answers: list[AnswerRecord]
    evidence: list[EvidenceRecord]
    disputes: list[DisputeRecord]
    recommendations: list[RecommendationRecord]


class EvaluationLoaders:
    def __init__(self, connect: Connect, today: date) -> None:
        self._connect = connect
        self._today = today

    @functools.cached_property
    def details(self) -> DataLoader[int, Details]:
        """Only for evaluations already read through a visible path."""

        async def load(ids: list[int]) -> list[Details]:
            conn = await self._connect()
            answers = many_each(ids, await lke.answers(conn, ids), lambda r: r.evaluation_id)
            evidence = many_each(ids, await lke.evidence(conn, ids), lambda r: r.evaluation_id)
            disputes = many_each(ids, await lke.disputes(conn, ids), lambda r: r.evaluation_id)
            recommendations = many_each(ids, await lke.recommendations(conn, ids), lambda r: r.evaluation_id)
            return [Details(*parts) for parts in zip(answers, evidence, disputes, recommendations, strict=True)]

        return DataLoader(load)

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
