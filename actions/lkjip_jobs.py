"""LKjIP generated in the background (domain/lkjip_jobs.py): start a job, run the queue, and
take up the jobs of a server that stopped.

Starting checks who asks and which units they may read, and writes the job with its documents;
any server then takes it from the queue (store/lkjip_jobs.py). Each document is gathered and
rendered in turn, a heartbeat after each step; its files are stored in their own transaction,
so a job taken up again goes on from the first document not yet done. The job reads the figures
as the platform, within the units its starter could read when it started (checked then, each
download checked again)."""

import asyncio
import dataclasses
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime

import structlog
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from actions import audit
from actions.caller import Caller
from actions.lkjip import check_year, reporting_unit_for
from domain.enums import GovernmentKind
from domain.errors import DomainError
from domain.lkjip import DocumentFormat, LkjipFigures, Paper
from domain.lkjip_jobs import MAX_DOCUMENTS, STALE_AFTER, STEPS_PER_DOCUMENT, LkjipReach, check_reach
from policies.permissions import Permission
from policies.viewer import SYSTEM
from store import audit as audit_log
from store import lkjip
from store import lkjip_jobs as jobs
from store.lkjip_jobs import Files, JobRecord

# Renders one format of an LKjIP off the event loop (documents/lkjip/render.py, above this layer).
FormatRenderer = Callable[[LkjipFigures, Paper, DocumentFormat], Awaitable[bytes]]
log = structlog.get_logger()


async def start_job(
    conn: AsyncConnection, *, caller: Caller, org_unit_id: int, year: int, paper: Paper, reach: LkjipReach
) -> JobRecord:
    """A queued job generating the LKjIP of the unit and, by `reach`, of the units below it that
    the caller may read; any server's queue worker runs it (`run_queue`)."""
    check_year(year)
    unit, gov = await reporting_unit_for(caller, conn, org_unit_id, Permission.READ_VALUES)
    check_reach(unit.kind, gov.kind is GovernmentKind.PROVINSI and gov.parent_id is None, reach)
    below = [
        u for u in await jobs.units_below(conn, unit, reach, year) if caller.viewer.may(Permission.READ_VALUES, u.path)
    ]
    if len(below) + 1 > MAX_DOCUMENTS:
        raise DomainError("TOO_MANY_DOCUMENTS", f"Satu tugas paling banyak {MAX_DOCUMENTS} dokumen.", "reach")
    job = await jobs.insert_job(
        conn, unit, year=year, paper=paper.value, reach=reach, unit_ids=[unit.id, *(u.id for u in below)],
        actor=caller.actor,
    )  # fmt: skip
    await audit_log.append(
        conn,
        [audit.entry(caller, "lkjip_job.start", entity_id=str(job.id), scope_path=unit.path,
                     new={"year": year, "reach": reach.value, "documents": len(below) + 1, "paper": paper.value})],
    )  # fmt: skip
    return job


async def run_job(engine: AsyncEngine, job: JobRecord, render: FormatRenderer) -> None:
    """Every document still pending, in order. A unit without an LKjIP (no signed agreement, say)
    is recorded with the reason and the others go on; an error of the platform fails the job."""
    viewer = dataclasses.replace(SYSTEM, username=f"platform:lkjip_job:{job.id}")
    paper = Paper(job.paper)
    async with engine.connect() as conn:
        todo = await jobs.pending(conn, job)
    try:
        for position, unit_id in todo:
            files: Files | None = None
            refusal: tuple[str, str] | None = None
            try:
                async with engine.connect() as conn:
                    figures = await lkjip.gather(conn, viewer, unit_id, job.year)
            except DomainError as error:
                refusal = (error.code, error.message)
            if refusal is None:
                rendered = []
                for format in (DocumentFormat.PDF, DocumentFormat.DOCX, DocumentFormat.XLSX):
                    await _step(engine, job)
                    rendered.append(await render(figures, paper, format))
                files = Files(*rendered)
            async with engine.begin() as conn:
                await jobs.store_document(conn, job, position, files=files, refusal=refusal)
                # A refused document's steps are all done at once.
                await jobs.step(conn, job, 1 if files is not None else STEPS_PER_DOCUMENT)
    except Exception as error:
        async with engine.begin() as conn:
            await jobs.finish(conn, job, f"{type(error).__name__}: pembuatan LKjIP terhenti.")
        raise
    async with engine.begin() as conn:
        await jobs.finish(conn, job, None)


async def _step(engine: AsyncEngine, job: JobRecord) -> None:
    async with engine.begin() as conn:
        await jobs.step(conn, job)


async def run_queue(engine: AsyncEngine, render: FormatRenderer, *, now: datetime | None = None) -> list[int]:
    """Take jobs from the queue (queued ones, and running ones whose server stopped) one at a
    time until none is left; the ids run."""
    ran: list[int] = []
    while True:
        async with engine.begin() as conn:
            job = await jobs.claim_next(conn, (now or datetime.now(UTC)) - STALE_AFTER)
        if job is None:
            return ran
        ran.append(job.id)
        await run_job(engine, job, render)


async def drain(engine: AsyncEngine, render: FormatRenderer) -> None:
    """Run the queue to its end, logging what ran or why it stopped (a background task: nobody
    awaits it)."""
    try:
        if ran := await run_queue(engine, render):
            log.info("lkjip_jobs_run", jobs=ran)
    except Exception:
        log.exception("lkjip_jobs_failed")


async def watch_queue(engine: AsyncEngine, render: FormatRenderer, *, every: float) -> None:
    """The server's look at the queue every `every` seconds, for jobs no server runs (started
    while this one was busy, or left by one that stopped), until cancelled at shutdown. A job is
    first run by the server where it was started, at once."""
    while True:
        await drain(engine, render)
        await asyncio.sleep(every)
