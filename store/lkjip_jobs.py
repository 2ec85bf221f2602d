"""The LKjIP job queue (domain/lkjip_jobs.py) in PostgreSQL: jobs, their documents and the files
each one produced. Servers take jobs with `FOR UPDATE SKIP LOCKED`, so two servers never run one
job, and a job whose heartbeat went stale is taken up again where it stopped."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import and_, func, or_, select, tuple_, update
from sqlalchemy.ext.asyncio import AsyncConnection

from domain.enums import OrgUnitKind
from domain.lkjip_jobs import STEPS_PER_DOCUMENT, DocumentOutcome, JobState, LkjipReach
from policies.paths import province_code
from store.hierarchy import valid_between
from store.lkjip import sha256
from store.records import ORG_UNIT, OrgUnitRecord
from store.tables import government, lkjip_job, lkjip_job_document, org_unit


@dataclass(frozen=True)
class JobRecord:
    id: int
    province_code: str
    org_unit_id: int
    year: int
    paper: str
    reach: LkjipReach
    state: JobState
    steps_total: int
    steps_done: int
    error: str | None
    started_by: str
    started_at: datetime
    updated_at: datetime
    finished_at: datetime | None


@dataclass(frozen=True)
class DocumentRecord:
    job_id: int
    position: int
    org_unit_id: int
    outcome: DocumentOutcome
    code: str | None
    message: str | None
    pdf_sha256: str | None
    docx_sha256: str | None
    xlsx_sha256: str | None
    unit_path: str  # whose grants a reader needs


@dataclass(frozen=True)
class Files:
    pdf: bytes
    docx: bytes
    xlsx: bytes


def _job(row: Any, *extra: str) -> JobRecord:
    """A job's record from its row, leaving out the `extra` columns read with it."""
    values = {name: value for name, value in row._mapping.items() if name not in extra}
    return JobRecord(**{**values, "reach": LkjipReach(values["reach"]), "state": JobState(values["state"])})


DOCUMENT_COLUMNS = [
    lkjip_job_document.c[name]
    for name in (
        "job_id", "position", "org_unit_id", "outcome", "code", "message", "pdf_sha256", "docx_sha256", "xlsx_sha256"
    )
] + [org_unit.c.path.label("unit_path")]  # fmt: skip
# A document with its unit, for the path its reader's grants are checked against.
WITH_UNIT = lkjip_job_document.join(
    org_unit,
    and_(
        org_unit.c.id == lkjip_job_document.c.org_unit_id,
        org_unit.c.province_code == lkjip_job_document.c.province_code,
    ),
)


def _document(row: Any, *extra: str) -> DocumentRecord:
    values = {name: value for name, value in row._mapping.items() if name not in extra}
    return DocumentRecord(**{**values, "outcome": DocumentOutcome(values["outcome"])})


async def units_below(conn: AsyncConnection, unit: OrgUnitRecord, reach: LkjipReach, year: int) -> list[OrgUnitRecord]:
    """The units whose LKjIP a reach adds, valid in the year: the root units of the kab/kota whose
    government is under the province's (by code), or a pemda's perangkat daerah (by code)."""
    if reach is LkjipReach.UNIT:
        return []
    in_year = valid_between(date(year, 1, 1), date(year, 12, 31))
    query = select(*ORG_UNIT.columns(org_unit)).where(in_year, org_unit.c.province_code == province_code(unit.path))
    if reach is LkjipReach.PEMDA:
        query = (
            query.join(government, government.c.id == org_unit.c.government_id)
            .where(org_unit.c.kind == OrgUnitKind.PEMDA.value, government.c.parent_id == unit.government_id)
            .order_by(government.c.code)
        )
    else:
        query = query.where(
            org_unit.c.kind == OrgUnitKind.PERANGKAT_DAERAH.value, org_unit.c.government_id == unit.government_id
        ).order_by(org_unit.c.code)
    return [ORG_UNIT.read(row) for row in await conn.execute(query)]


async def insert_job(
    conn: AsyncConnection, unit: OrgUnitRecord, *, year: int, paper: str, reach: LkjipReach,
    unit_ids: Sequence[int], actor: str,
) -> JobRecord:  # fmt: skip
    """A queued job with one pending document per unit, in that order."""
    province = province_code(unit.path)
    statement = (
        lkjip_job.insert()
        .values(
            province_code=province,
            org_unit_id=unit.id,
            year=year,
            paper=paper,
            reach=reach.value,
            steps_total=len(unit_ids) * STEPS_PER_DOCUMENT,
            started_by=actor,
        )
        .returning(*lkjip_job.c)
    )
    job = _job((await conn.execute(statement)).one())
    await conn.execute(
        lkjip_job_document.insert(),
        [
            {"job_id": job.id, "province_code": province, "position": position, "org_unit_id": unit_id}
            for position, unit_id in enumerate(unit_ids)
        ],
    )
    return job


async def job(conn: AsyncConnection, job_id: int) -> tuple[JobRecord, str] | None:
    """A job and its unit's path (whose grants a reader needs)."""
    query = select(*lkjip_job.c, org_unit.c.path.label("unit_path")).join(
        org_unit, and_(org_unit.c.id == lkjip_job.c.org_unit_id, org_unit.c.province_code == lkjip_job.c.province_code)
    )
    row = (await conn.execute(query.where(lkjip_job.c.id == job_id))).first()
    return None if row is None else (_job(row, "unit_path"), row.unit_path)


async def documents(conn: AsyncConnection, job_ids: Sequence[int]) -> dict[int, list[DocumentRecord]]:
    """The documents of the jobs, in order, without their files."""
    query = (
        select(*DOCUMENT_COLUMNS)
        .select_from(WITH_UNIT)
        .where(lkjip_job_document.c.job_id.in_(list(job_ids)))
        .order_by(lkjip_job_document.c.job_id, lkjip_job_document.c.position)
    )
    found: dict[int, list[DocumentRecord]] = {job_id: [] for job_id in job_ids}
    for row in await conn.execute(query):
        found[row.job_id].append(_document(row))
    return found


async def claim_next(conn: AsyncConnection, stale_before: datetime) -> JobRecord | None:
    """The oldest queued job, or a running one whose server stopped, marked RUNNING with a fresh
    heartbeat; a job another server holds (locked) or runs (fresh heartbeat) is left alone. Steps
    of a document interrupted midway are counted again from its start."""
    waiting = (
        select(lkjip_job.c.id, lkjip_job.c.province_code)
        .where(
            or_(
                lkjip_job.c.state == JobState.QUEUED.value,
                and_(lkjip_job.c.state == JobState.RUNNING.value, lkjip_job.c.updated_at < stale_before),
            )
        )
        .order_by(lkjip_job.c.updated_at)
        .limit(1)
        .with_for_update(skip_locked=True)
    )
    finished = (
        select(func.count() * STEPS_PER_DOCUMENT)
        .where(
            lkjip_job_document.c.job_id == lkjip_job.c.id,
            lkjip_job_document.c.province_code == lkjip_job.c.province_code,
            lkjip_job_document.c.outcome != DocumentOutcome.PENDING.value,
        )
        .scalar_subquery()
    )
    statement = (
        update(lkjip_job)
        .where(tuple_(lkjip_job.c.id, lkjip_job.c.province_code).in_(waiting))
        .values(state=JobState.RUNNING.value, updated_at=func.now(), steps_done=finished)
        .returning(*lkjip_job.c)
    )
    row = (await conn.execute(statement)).first()
    return None if row is None else _job(row)


async def pending(conn: AsyncConnection, job: JobRecord) -> list[tuple[int, int]]:
    """(position, unit) of the documents still to generate, in order."""
    query = (
        select(lkjip_job_document.c.position, lkjip_job_document.c.org_unit_id)
        .where(
            lkjip_job_document.c.job_id == job.id,
            lkjip_job_document.c.province_code == job.province_code,
            lkjip_job_document.c.outcome == DocumentOutcome.PENDING.value,
        )
        .order_by(lkjip_job_document.c.position)
    )
    return [(row.position, row.org_unit_id) for row in await conn.execute(query)]


def _this(job: JobRecord) -> Any:
    return and_(lkjip_job.c.id == job.id, lkjip_job.c.province_code == job.province_code)


async def step(conn: AsyncConnection, job: JobRecord, steps: int = 1) -> None:
    """Steps done: the progress, and the heartbeat that says the job's server is alive."""
    await conn.execute(
        update(lkjip_job).where(_this(job)).values(steps_done=lkjip_job.c.steps_done + steps, updated_at=func.now())
    )


async def store_document(
    conn: AsyncConnection, job: JobRecord, position: int, *, files: Files | None, refusal: tuple[str, str] | None
) -> None:
    """A document's outcome: its three files (with their SHA-256), or why the unit has none."""
    where = and_(
        lkjip_job_document.c.job_id == job.id,
        lkjip_job_document.c.province_code == job.province_code,
        lkjip_job_document.c.position == position,
    )
    if files is not None:
        values: dict[str, Any] = {"outcome": DocumentOutcome.DONE.value}
        for name, content in (("pdf", files.pdf), ("docx", files.docx), ("xlsx", files.xlsx)):
            values[name] = content
            values[f"{name}_sha256"] = sha256(content)
    else:
        assert refusal is not None
        values = {"outcome": DocumentOutcome.REFUSED.value, "code": refusal[0], "message": refusal[1]}
    await conn.execute(update(lkjip_job_document).where(where).values(**values))


async def finish(conn: AsyncConnection, job: JobRecord, error: str | None) -> None:
    state = JobState.DONE if error is None else JobState.FAILED
    await conn.execute(
        update(lkjip_job)
        .where(_this(job))
        .values(state=state.value, error=error, updated_at=func.now(), finished_at=func.now())
    )


async def document_file(
    conn: AsyncConnection, job_id: int, position: int, format_column: str
) -> tuple[DocumentRecord, bytes] | None:
    """One stored file of a job's document, with the document (whose unit the download checks)."""
    content = lkjip_job_document.c[format_column]
    query = (
        select(*DOCUMENT_COLUMNS, content.label("content"))
        .select_from(WITH_UNIT)
        .where(lkjip_job_document.c.job_id == job_id, lkjip_job_document.c.position == position, content.is_not(None))
    )
    row = (await conn.execute(query)).first()
    return None if row is None else (_document(row, "content"), bytes(row.content))
