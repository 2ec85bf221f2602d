"""SQL of the SAKIP evaluation (domain/lke.py): models, evaluations, both sides' answers,
evidence, disputes and recommendations. Lists filter in SQL by policies.scopes."""

import functools
import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import Select, SmallInteger, String, Text, and_, any_, bindparam, func, select, text
from sqlalchemy.dialects.postgresql import Insert, insert
from sqlalchemy.ext.asyncio import AsyncConnection

from domain.enums import OrgUnitKind
from domain.lke import Model, parse_model
from domain.lke_stages import Schedule, Stage
from policies.scopes import EvaluationScope, evaluation_scope, evaluations_visible, prefix_pattern
from policies.viewer import Viewer
from store.tables import (
    ID_ARRAY,
    evaluation_answer,
    evaluation_dispute,
    evaluation_evidence,
    evaluation_model,
    evaluation_recommendation,
    evaluation_report,
    government,
    org_unit,
    sakip_evaluation,
)

# Models are append-only (migration 0017): a parsed model never goes stale.
_PARSED: dict[int, Model] = {}


@dataclass(frozen=True)
class ModelRecord:
    id: int
    code: str
    model: Model


async def models(conn: AsyncConnection) -> list[ModelRecord]:
    rows = await conn.execute(select(evaluation_model.c.id, evaluation_model.c.code).order_by(evaluation_model.c.id))
    found = [(row.id, row.code) for row in rows]
    return [ModelRecord(id, code, await model(conn, id)) for id, code in found]


async def model(conn: AsyncConnection, model_id: int) -> Model:
    parsed = _PARSED.get(model_id)
    if parsed is None:
        query = select(evaluation_model.c.definition).where(evaluation_model.c.id == model_id)
        parsed = _PARSED[model_id] = parse_model((await conn.execute(query)).scalar_one())
    return parsed


async def model_id_by_code(conn: AsyncConnection, code: str) -> int | None:
    query = select(evaluation_model.c.id).where(evaluation_model.c.code == code)
    return (await conn.execute(query)).scalar_one_or_none()


async def add_model(conn: AsyncConnection, definition: Mapping[str, Any]) -> int:
    query = (
        evaluation_model.insert()
        .values(
            code=definition["code"],
            name=definition["name"],
            legal_basis=definition.get("legalBasis", ""),
            definition=definition,
        )
        .returning(evaluation_model.c.id)
    )
    return int((await conn.execute(query)).scalar_one())


@dataclass(frozen=True)
class EvaluationRecord:
    id: int
    org_unit_id: int
    unit_path: str
    unit_name: str
    unit_kind: OrgUnitKind
    government_id: int
    year: int
    model_id: int
    evaluating_path: str
    state: Stage
    schedule: Schedule
    result_sent_on: date | None
    total: Decimal
    self_total: Decimal
    grade: str
    answered_self: int
    assessed: int
    criteria: int
    warnings_acknowledged_at: datetime | None
    component_notes: dict[str, str]
    component_scores: list[dict[str, Any]]
    revision: int
    created_by: str
    created_at: datetime
    finalised_by: str | None
    finalised_at: datetime | None
    published_at: datetime | None
    government_path: str
    version: int = 1
    corrects_id: int | None = None
    correction_reason: str | None = None
    superseded_at: datetime | None = None
    quality_assured_by: str | None = None
    quality_assured_at: datetime | None = None
    quality_note: str | None = None

    @property
    def province_code(self) -> str:
        return self.unit_path.split("/", 1)[0]


_E = sakip_evaluation
# Made once: an alias made per call costs its ~40 column proxies each time.
_CORRECTION = sakip_evaluation.alias("correction")
_ASKED, _VERSION = sakip_evaluation.alias("asked"), sakip_evaluation.alias("version")
_COLUMNS = (
    _E.c.id,
    _E.c.org_unit_id,
    org_unit.c.path,
    org_unit.c.name,
    org_unit.c.kind,
    org_unit.c.government_id,
    _E.c.year,
    _E.c.model_id,
    _E.c.evaluating_path,
    _E.c.state,
    _E.c.self_assessment_due,
    _E.c.verification_due,
    _E.c.quality_assurance_due,
    _E.c.dispute_days,
    _E.c.verifier_dues,
    _E.c.result_sent_on,
    _E.c.total,
    _E.c.self_total,
    _E.c.grade,
    _E.c.answered_self,
    _E.c.assessed,
    _E.c.criteria,
    _E.c.warnings_acknowledged_at,
    _E.c.component_notes,
    _E.c.component_scores,
    _E.c.revision,
    _E.c.created_by,
    _E.c.created_at,
    _E.c.finalised_by,
    _E.c.finalised_at,
    _E.c.published_at,
    government.c.path.label("government_path"),
    _E.c.version,
    _E.c.corrects_id,
    _E.c.correction_reason,
    _E.c.superseded_at,
    _E.c.quality_assurance_required,
    _E.c.quality_assured_by,
    _E.c.quality_assured_at,
    _E.c.quality_note,
)
_FROM = _E.join(org_unit, and_(org_unit.c.id == _E.c.org_unit_id, org_unit.c.province_code == _E.c.province_code)).join(
    government, government.c.id == org_unit.c.government_id
)


def _record(row: Any) -> EvaluationRecord:
    return EvaluationRecord(
        id=row.id,
        org_unit_id=row.org_unit_id,
        unit_path=row.path,
        unit_name=row.name,
        unit_kind=OrgUnitKind(row.kind),
        government_id=row.government_id,
        year=row.year,
        model_id=row.model_id,
        evaluating_path=row.evaluating_path,
        state=Stage(row.state),
        schedule=Schedule(
            row.self_assessment_due,
            row.verification_due,
            row.quality_assurance_due,
            row.dispute_days,
            tuple((verifier, date.fromisoformat(due)) for verifier, due in sorted(row.verifier_dues.items())),
            row.quality_assurance_required,
        ),
        result_sent_on=row.result_sent_on,
        total=row.total,
        self_total=row.self_total,
        grade=row.grade,
        answered_self=row.answered_self,
        assessed=row.assessed,
        criteria=row.criteria,
        warnings_acknowledged_at=row.warnings_acknowledged_at,
        component_notes=dict(row.component_notes),
        component_scores=list(row.component_scores),
        revision=row.revision,
        created_by=row.created_by,
        created_at=row.created_at,
        finalised_by=row.finalised_by,
        finalised_at=row.finalised_at,
        published_at=row.published_at,
        government_path=row.government_path,
        version=row.version,
        corrects_id=row.corrects_id,
        correction_reason=row.correction_reason,
        superseded_at=row.superseded_at,
        quality_assured_by=row.quality_assured_by,
        quality_assured_at=row.quality_assured_at,
        quality_note=row.quality_note,
    )


@functools.cache
def _evaluation_query(lock: bool) -> Select[Any]:
    """Built once (every write reads its evaluation first): the id is bound."""
    query = select(*_COLUMNS).select_from(_FROM).where(_E.c.id == bindparam("id"))
    return query.with_for_update(of=_E) if lock else query


async def evaluation(conn: AsyncConnection, evaluation_id: int, *, lock: bool = False) -> EvaluationRecord | None:
    row = (await conn.execute(_evaluation_query(lock), {"id": evaluation_id})).one_or_none()
    return _record(row) if row else None


async def evaluation_of(conn: AsyncConnection, org_unit_id: int, year: int) -> EvaluationRecord | None:
    """The unit's evaluation of the year that stands: its FINAL version not superseded by a
    correction, or else (none is FINAL yet) its latest version."""
    standing = and_(_E.c.state == Stage.FINAL.value, _E.c.superseded_at.is_(None))
    query = (
        select(*_COLUMNS)
        .select_from(_FROM)
        .where(_E.c.org_unit_id == org_unit_id, _E.c.year == year)
        .order_by(standing.desc(), _E.c.version.desc())
        .limit(1)
    )
    row = (await conn.execute(query)).one_or_none()
    return _record(row) if row else None


async def correction_of(conn: AsyncConnection, record: EvaluationRecord) -> int | None:
    """The id of the version that corrects this one, if one was started."""
    query = select(_E.c.id).where(_E.c.corrects_id == record.id, _E.c.province_code == record.province_code)
    return (await conn.execute(query)).scalar_one_or_none()


def verifier_dues_value(schedule: Schedule) -> dict[str, str]:
    """The verifier agencies' own due dates as kept (ISO dates by agency)."""
    return {verifier: due.isoformat() for verifier, due in schedule.verifier_dues}


@functools.lru_cache(maxsize=512)
def _visible_query(
    scope: EvaluationScope, *, by_path: bool, by_year: bool, by_units: bool, by_ids: bool, latest: bool
) -> Select[Any]:
    """The list statement of a scope and a shape of filters, built once: building it and its cache
    key took ~0.6 ms a request, a tenth of the province's dashboard. The filters' values are bound
    (`under`, `year`, `units`, `ids`)."""
    conditions = [evaluations_visible(scope, org_unit.c.path, _E.c.evaluating_path, _E.c.published_at.is_not(None))]
    if latest:
        conditions.append(
            ~select(_CORRECTION.c.id)
            .where(
                _CORRECTION.c.corrects_id == _E.c.id,
                _CORRECTION.c.province_code == _E.c.province_code,
                evaluations_visible(
                    scope, org_unit.c.path, _CORRECTION.c.evaluating_path, _CORRECTION.c.published_at.is_not(None)
                ),
            )
            .exists()
        )
    if by_path:
        conditions.append(org_unit.c.path.like(bindparam("under", type_=Text)))
    if by_year:
        conditions.append(_E.c.year == bindparam("year", type_=SmallInteger))
    if by_units:
        conditions.append(_E.c.org_unit_id == any_(bindparam("units", type_=ID_ARRAY)))
    if by_ids:
        conditions.append(_E.c.id == any_(bindparam("ids", type_=ID_ARRAY)))
    return (
        select(*_COLUMNS)
        .select_from(_FROM)
        .where(*conditions)
        .order_by(org_unit.c.path, _E.c.year.desc(), _E.c.version)
    )


async def visible_evaluations(
    conn: AsyncConnection,
    viewer: Viewer,
    *,
    under_path: str | None = None,
    year: int | None = None,
    org_unit_ids: Sequence[int] | None = None,
    ids: Sequence[int] | None = None,
    every_version: bool = False,
) -> list[EvaluationRecord]:
    """Evaluations the viewer may see (policies.scopes.evaluations_visible), by unit path, newest
    year first: one statement whatever the count. Of a unit's year, the latest version the viewer
    may see (a correction in progress for its evaluators, the published FINAL for the public),
    unless asked by id or for `every_version` (oldest first)."""
    query = _visible_query(
        evaluation_scope(viewer),
        by_path=under_path is not None,
        by_year=year is not None,
        by_units=org_unit_ids is not None,
        by_ids=ids is not None,
        latest=ids is None and not every_version,
    )
    values: dict[str, object] = {}
    if under_path is not None:
        values["under"] = prefix_pattern(under_path)
    if year is not None:
        values["year"] = year
    if org_unit_ids is not None:
        values["units"] = list(org_unit_ids)
    if ids is not None:
        values["ids"] = list(ids)
    return [_record(row) for row in await conn.execute(query, values)]


async def insert_evaluation(
    conn: AsyncConnection,
    *,
    unit_id: int,
    province_code: str,
    year: int,
    model_id: int,
    evaluating_path: str,
    schedule: Schedule,
    criteria: int,
    actor: str,
) -> int:
    query = (
        _E.insert()
        .values(
            org_unit_id=unit_id,
            province_code=province_code,
            year=year,
            model_id=model_id,
            evaluating_path=evaluating_path,
            self_assessment_due=schedule.self_assessment_due,
            verification_due=schedule.verification_due,
            quality_assurance_due=schedule.quality_assurance_due,
            dispute_days=schedule.dispute_days,
            verifier_dues=verifier_dues_value(schedule),
            quality_assurance_required=schedule.quality_assurance_required,
            criteria=criteria,
            created_by=actor,
        )
        .returning(_E.c.id)
    )
    return int((await conn.execute(query)).scalar_one())


async def insert_correction(conn: AsyncConnection, record: EvaluationRecord, *, reason: str, actor: str) -> int:
    """The next version of a FINAL evaluation, at final scoring: its answers, score, notes and
    the evidence that stands (not replaced) copied, disputes left with the version they were
    raised on. Recommendations belong to the unit's year across its versions (recommendations)."""
    copied = [
        "org_unit_id",
        "province_code",
        "year",
        "model_id",
        "evaluating_path",
        "self_assessment_due",
        "verification_due",
        "quality_assurance_due",
        "dispute_days",
        "verifier_dues",
        "quality_assurance_required",
        "total",
        "self_total",
        "grade",
        "answered_self",
        "assessed",
        "criteria",
        "component_notes",
        "component_scores",
    ]
    source = select(
        *(_E.c[name] for name in copied),
        (_E.c.version + 1).label("version"),
        _E.c.id.label("corrects_id"),
        bindparam("reason", reason, type_=Text).label("correction_reason"),
        bindparam("state", Stage.SCORING.value, type_=String).label("state"),
        bindparam("actor", actor, type_=String).label("created_by"),
    ).where(_E.c.id == record.id, _E.c.province_code == record.province_code)
    names = [*copied, "version", "corrects_id", "correction_reason", "state", "created_by"]
    inserted = await conn.execute(_E.insert().from_select(names, source).returning(_E.c.id))
    correction_id = int(inserted.scalar_one())
    parameters = {"source": record.id, "target": correction_id, "province": record.province_code}
    await conn.execute(_COPY_ANSWERS, parameters)
    await conn.execute(_COPY_EVIDENCE, parameters)
    return correction_id


_ANSWER_COLUMNS = (
    "criterion_code, province_code, self_answer, self_note, self_by, self_at, "
    "assessor_answer, assessor_note, assessor_by, assessor_at"
)
_COPY_ANSWERS = text(
    f"INSERT INTO evaluation_answer (evaluation_id, {_ANSWER_COLUMNS}) "
    f"SELECT :target, {_ANSWER_COLUMNS} FROM evaluation_answer "
    "WHERE evaluation_id = :source AND province_code = :province"
)
_EVIDENCE_COPIED = (
    "province_code, criterion_code, kind, title, url, document_kind, document_id, file_name, media_type, "
    "content, in_file_store, size, sha256, verifier, state, rejection_reason, verified_by, verified_at, added_by, "
    "added_at"
)
_COPY_EVIDENCE = text(
    f"INSERT INTO evaluation_evidence (evaluation_id, {_EVIDENCE_COPIED}) "
    f"SELECT :target, {_EVIDENCE_COPIED} FROM evaluation_evidence e "
    "WHERE e.evaluation_id = :source AND e.province_code = :province AND NOT EXISTS ("
    "SELECT 1 FROM evaluation_evidence later WHERE later.replaces_id = e.id "
    "AND later.province_code = e.province_code) ORDER BY e.id"
)


async def mark_superseded(conn: AsyncConnection, corrected_id: int, province_code: str) -> None:
    """The FINAL version a FINAL correction replaces (its trigger allows this once)."""
    await conn.execute(
        _E.update().where(_E.c.id == corrected_id, _E.c.province_code == province_code).values(superseded_at=func.now())
    )


async def mark_published(conn: AsyncConnection, record: EvaluationRecord) -> None:
    """The one change a FINAL evaluation still takes (its trigger refuses any other)."""
    await conn.execute(
        _E.update()
        .where(_E.c.id == record.id, _E.c.province_code == record.province_code)
        .values(published_at=func.now())
    )


# Where a platform document that evidence may name belongs (the unit path of its owner).
DOCUMENT_PATHS = {
    "LKJIP": "SELECT u.path FROM lkjip_version d JOIN org_unit u ON u.id = d.org_unit_id "
    "AND u.province_code = d.province_code WHERE d.id = :id",
    "AGREEMENT": "SELECT u.path FROM agreement_version d JOIN performance_agreement a ON a.id = d.agreement_id "
    "AND a.province_code = d.province_code JOIN org_unit u ON u.id = a.org_unit_id "
    "AND u.province_code = a.province_code WHERE d.id = :id",
    "PLAN": "SELECT u.path FROM plan_version d JOIN strategic_plan p ON p.id = d.plan_id "
    "AND p.province_code = d.province_code JOIN org_unit u ON u.id = p.org_unit_id "
    "AND u.province_code = p.province_code WHERE d.id = :id AND d.state = 'PUBLISHED'",
}


async def document_path(conn: AsyncConnection, kind: str, document_id: int) -> str | None:
    found = await conn.execute(text(DOCUMENT_PATHS[kind]), {"id": document_id})
    return found.scalar_one_or_none()


async def update_evaluation(conn: AsyncConnection, record: EvaluationRecord, **values: Any) -> None:
    """Any change of an evaluation bumps its revision (what a form's expectedRevision compares)."""
    await conn.execute(
        _E.update()
        .where(_E.c.id == record.id, _E.c.province_code == record.province_code)
        .values(revision=_E.c.revision + 1, **values)
    )


@dataclass(frozen=True)
class AnswerRecord:
    evaluation_id: int
    criterion_code: str
    self_answer: str | None
    self_note: str
    self_by: str | None
    self_at: datetime | None
    assessor_answer: str | None
    assessor_note: str
    assessor_by: str | None
    assessor_at: datetime | None


_A = evaluation_answer


@functools.cache
def _answers_query() -> Select[Any]:
    """Built once (it has no shape to vary): its columns in AnswerRecord's order."""
    return (
        select(
            _A.c.evaluation_id,
            _A.c.criterion_code,
            _A.c.self_answer,
            _A.c.self_note,
            _A.c.self_by,
            _A.c.self_at,
            _A.c.assessor_answer,
            _A.c.assessor_note,
            _A.c.assessor_by,
            _A.c.assessor_at,
        )
        .where(_A.c.evaluation_id == any_(bindparam("ids", type_=ID_ARRAY)))
        .order_by(_A.c.evaluation_id, _A.c.criterion_code)
    )


async def answers(conn: AsyncConnection, evaluation_ids: Sequence[int]) -> list[AnswerRecord]:
    rows = await conn.execute(_answers_query(), {"ids": list(evaluation_ids)})
    return [AnswerRecord(*row) for row in rows]


@functools.cache
def _answer_upsert(prefix: str) -> Insert:
    """One side's upsert, built once per side: building `excluded` (an alias of the whole table)
    and the statement's cache key on every save was the largest part of a one-answer assessment
    (docs/scaling.md). Rows are its parameters (`answer`, `note`, `actor` and the keys)."""
    statement = insert(_A).values(
        evaluation_id=bindparam("evaluation_id"),
        criterion_code=bindparam("criterion_code"),
        province_code=bindparam("province_code"),
        **{
            f"{prefix}_answer": bindparam("answer"),
            f"{prefix}_note": bindparam("note"),
            f"{prefix}_by": bindparam("actor"),
            f"{prefix}_at": func.now(),
        },
    )
    return statement.on_conflict_do_update(
        index_elements=[_A.c.evaluation_id, _A.c.criterion_code, _A.c.province_code],
        set_={
            name: statement.excluded[name]
            for name in (f"{prefix}_answer", f"{prefix}_note", f"{prefix}_by", f"{prefix}_at")
        },
    )


async def save_answers(
    conn: AsyncConnection,
    record: EvaluationRecord,
    given: Mapping[str, tuple[str, str]],
    *,
    assessor: bool,
    actor: str,
) -> None:
    """Upsert one side's answer and note per criterion; the other side's stays as it is."""
    if not given:
        return
    keys = {"evaluation_id": record.id, "province_code": record.province_code, "actor": actor}
    rows = [{**keys, "criterion_code": code, "answer": answer, "note": note} for code, (answer, note) in given.items()]
    await conn.execute(_answer_upsert("assessor" if assessor else "self"), rows)


@dataclass(frozen=True)
class EvidenceRecord:
    id: int
    evaluation_id: int
    criterion_code: str
    kind: str
    title: str
    url: str | None
    document_kind: str | None
    document_id: int | None
    file_name: str | None
    media_type: str | None
    size: int | None
    sha256: str | None
    verifier: str
    state: str
    rejection_reason: str | None
    verified_by: str | None
    verified_at: datetime | None
    replaces_id: int | None
    added_by: str
    added_at: datetime


_V = evaluation_evidence
_EVIDENCE_COLUMNS = tuple(_V.c[name] for name in EvidenceRecord.__dataclass_fields__)


async def evidence(
    conn: AsyncConnection, evaluation_ids: Sequence[int] = (), *, ids: Sequence[int] = (), lock: bool = False
) -> list[EvidenceRecord]:
    """Evidence of evaluations, or by id, without the file bytes."""
    condition = (
        _V.c.id == any_(bindparam("ids", list(ids), type_=ID_ARRAY))
        if ids
        else _V.c.evaluation_id == any_(bindparam("evaluations", list(evaluation_ids), type_=ID_ARRAY))
    )
    query = select(*_EVIDENCE_COLUMNS).where(condition).order_by(_V.c.evaluation_id, _V.c.criterion_code, _V.c.id)
    if lock:
        query = query.with_for_update()
    return [EvidenceRecord(*row) for row in await conn.execute(query)]


async def evidence_file(conn: AsyncConnection, evidence_id: int) -> tuple[EvidenceRecord, bytes | None] | None:
    """A file's record and its bytes when the row holds them (None: in the file directory)."""
    query = select(*_EVIDENCE_COLUMNS, _V.c.content).where(_V.c.id == evidence_id, _V.c.kind == "FILE")
    row = (await conn.execute(query)).one_or_none()
    if row is None:
        return None
    return EvidenceRecord(*row[:-1]), None if row[-1] is None else bytes(row[-1])


async def add_evidence(conn: AsyncConnection, record: EvaluationRecord, values: Mapping[str, Any]) -> int:
    query = _V.insert().values(evaluation_id=record.id, province_code=record.province_code, **values).returning(_V.c.id)
    return int((await conn.execute(query)).scalar_one())


async def set_evidence_verification(
    conn: AsyncConnection, evidence_id: int, *, state: str, reason: str | None, actor: str
) -> None:
    await conn.execute(
        _V.update()
        .where(_V.c.id == evidence_id)
        .values(state=state, rejection_reason=reason, verified_by=actor, verified_at=func.now())
    )


@dataclass(frozen=True)
class DisputeRecord:
    id: int
    evaluation_id: int
    criterion_code: str
    reason: str
    raised_by: str
    raised_at: datetime
    outcome: str | None
    answer_before: str | None
    answer_after: str | None
    rebuttal: str | None
    resolved_by: str | None
    resolved_at: datetime | None


_D = evaluation_dispute
_DISPUTE_COLUMNS = tuple(_D.c[name] for name in DisputeRecord.__dataclass_fields__)


async def disputes(conn: AsyncConnection, evaluation_ids: Sequence[int]) -> list[DisputeRecord]:
    query = (
        select(*_DISPUTE_COLUMNS)
        .where(_D.c.evaluation_id == any_(bindparam("ids", list(evaluation_ids), type_=ID_ARRAY)))
        .order_by(_D.c.evaluation_id, _D.c.criterion_code)
    )
    return [DisputeRecord(*row) for row in await conn.execute(query)]


async def add_disputes(
    conn: AsyncConnection, record: EvaluationRecord, reasons: Mapping[str, tuple[str, str | None]], actor: str
) -> None:
    province = record.province_code
    rows = [
        {
            "evaluation_id": record.id,
            "province_code": province,
            "criterion_code": code,
            "reason": reason,
            "answer_before": before,
            "raised_by": actor,
        }
        for code, (reason, before) in reasons.items()
    ]
    await conn.execute(_D.insert().values(rows))


async def resolve_dispute(
    conn: AsyncConnection, dispute_id: int, *, outcome: str, answer_after: str, rebuttal: str, actor: str
) -> None:
    await conn.execute(
        _D.update()
        .where(_D.c.id == dispute_id)
        .values(
            outcome=outcome, answer_after=answer_after, rebuttal=rebuttal, resolved_by=actor, resolved_at=func.now()
        )
    )


@dataclass(frozen=True)
class RecommendationRecord:
    id: int
    evaluation_id: int
    criterion_code: str | None
    component_code: str | None
    text: str
    created_by: str
    created_at: datetime
    action_plan: str
    target_date: date | None
    person_in_charge: str
    progress: int
    follow_up_evidence_url: str | None
    follow_up_by: str | None
    follow_up_at: datetime | None


_R = evaluation_recommendation
_RECOMMENDATION_COLUMNS = tuple(_R.c[name] for name in RecommendationRecord.__dataclass_fields__)


# Built once (a statement and its cache key built per call were ~0.3 ms of every evaluation list).
_RECOMMENDATIONS = (
    select(_ASKED.c.id, *_RECOMMENDATION_COLUMNS)
    .select_from(
        _ASKED.join(
            _VERSION,
            and_(
                _VERSION.c.org_unit_id == _ASKED.c.org_unit_id,
                _VERSION.c.year == _ASKED.c.year,
                _VERSION.c.province_code == _ASKED.c.province_code,
                _VERSION.c.version <= _ASKED.c.version,
            ),
        ).join(_R, and_(_R.c.evaluation_id == _VERSION.c.id, _R.c.province_code == _VERSION.c.province_code))
    )
    .where(_ASKED.c.id == any_(bindparam("evaluations", type_=ID_ARRAY)))
    .order_by(_ASKED.c.id, _R.c.id)
)


async def recommendations(
    conn: AsyncConnection, evaluation_ids: Sequence[int]
) -> list[tuple[int, RecommendationRecord]]:
    """Per evaluation asked, the recommendations of its unit's year given on it or on a version
    it corrects (a correction keeps them and their follow-up where they were made), oldest first."""
    rows = await conn.execute(_RECOMMENDATIONS, {"evaluations": list(evaluation_ids)})
    return [(row[0], RecommendationRecord(*row[1:])) for row in rows]


async def recommendations_by_id(
    conn: AsyncConnection, ids: Sequence[int], *, lock: bool = False
) -> list[RecommendationRecord]:
    query = (
        select(*_RECOMMENDATION_COLUMNS)
        .where(_R.c.id == any_(bindparam("ids", list(ids), type_=ID_ARRAY)))
        .order_by(_R.c.id)
    )
    if lock:
        query = query.with_for_update()
    return [RecommendationRecord(*row) for row in await conn.execute(query)]


async def add_recommendation(conn: AsyncConnection, record: EvaluationRecord, values: Mapping[str, Any]) -> int:
    query = _R.insert().values(evaluation_id=record.id, province_code=record.province_code, **values).returning(_R.c.id)
    return int((await conn.execute(query)).scalar_one())


async def record_follow_up(conn: AsyncConnection, recommendation_id: int, values: Mapping[str, Any]) -> None:
    await conn.execute(_R.update().where(_R.c.id == recommendation_id).values(follow_up_at=func.now(), **values))


async def save_report(conn: AsyncConnection, record: EvaluationRecord, docx: bytes, pdf: bytes) -> None:
    await conn.execute(
        evaluation_report.insert().values(
            evaluation_id=record.id,
            province_code=record.province_code,
            docx=docx,
            docx_sha256=hashlib.sha256(docx).hexdigest(),
            pdf=pdf,
            pdf_sha256=hashlib.sha256(pdf).hexdigest(),
        )
    )


async def report_file(conn: AsyncConnection, evaluation_id: int, extension: str) -> tuple[bytes, str] | None:
    """The frozen LHE of a FINAL evaluation as docx or pdf, with its SHA-256."""
    content, digest = evaluation_report.c[extension], evaluation_report.c[f"{extension}_sha256"]
    row = (
        await conn.execute(select(content, digest).where(evaluation_report.c.evaluation_id == evaluation_id))
    ).first()
    return (bytes(row[0]), str(row[1])) if row else None


async def report_digests(conn: AsyncConnection, evaluation_ids: Sequence[int]) -> dict[int, dict[str, str]]:
    """Each frozen LHE's SHA-256 per format (DOCX, PDF)."""
    query = select(
        evaluation_report.c.evaluation_id, evaluation_report.c.docx_sha256, evaluation_report.c.pdf_sha256
    ).where(evaluation_report.c.evaluation_id == any_(bindparam("ids", list(evaluation_ids), type_=ID_ARRAY)))
    return {row[0]: {"DOCX": row[1], "PDF": row[2]} for row in await conn.execute(query)}
