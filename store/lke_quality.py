"""Quality assurance findings of SAKIP evaluations (temuan penjaminan kualitas) and the
assessor's answers to them. A FINAL evaluation's findings are frozen by migration 0017's trigger."""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import any_, bindparam, select
from sqlalchemy.ext.asyncio import AsyncConnection
from sqlalchemy.sql import func

from store.lke import EvaluationRecord
from store.tables import ID_ARRAY, evaluation_quality_finding


@dataclass(frozen=True)
class FindingRecord:
    id: int
    evaluation_id: int
    criterion_code: str
    note: str
    raised_by: str
    raised_at: datetime
    outcome: str | None  # KEPT | CHANGED once answered
    answer_before: str | None
    answer_after: str | None
    response: str | None
    responded_by: str | None
    responded_at: datetime | None

    @property
    def open(self) -> bool:
        return self.responded_at is None


_F = evaluation_quality_finding
_COLUMNS = tuple(_F.c[name] for name in FindingRecord.__dataclass_fields__)


async def findings(conn: AsyncConnection, evaluation_ids: Sequence[int]) -> list[FindingRecord]:
    """Of each evaluation, its findings in the order they were raised."""
    query = (
        select(*_COLUMNS)
        .where(_F.c.evaluation_id == any_(bindparam("ids", list(evaluation_ids), type_=ID_ARRAY)))
        .order_by(_F.c.evaluation_id, _F.c.id)
    )
    return [FindingRecord(*row) for row in await conn.execute(query)]


async def add_findings(
    conn: AsyncConnection, record: EvaluationRecord, notes: Mapping[str, tuple[str, str | None]], actor: str
) -> None:
    """New open findings: by criterion code, the note and the assessor's answer it is raised on."""
    rows = [
        {
            "evaluation_id": record.id,
            "province_code": record.province_code,
            "criterion_code": code,
            "note": note,
            "answer_before": before,
            "raised_by": actor,
        }
        for code, (note, before) in notes.items()
    ]
    await conn.execute(_F.insert().values(rows))


async def answer_finding(
    conn: AsyncConnection,
    finding: FindingRecord,
    province_code: str,
    *,
    outcome: str,
    answer_after: str | None,
    response: str,
    actor: str,
) -> None:
    await conn.execute(
        _F.update()
        .where(_F.c.id == finding.id, _F.c.province_code == province_code)
        .values(
            outcome=outcome,
            answer_after=answer_after,
            response=response,
            responded_by=actor,
            responded_at=func.now(),
        )
    )
