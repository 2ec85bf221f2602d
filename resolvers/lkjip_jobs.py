"""LKjIP generated in the background: start a job (run at once by this server, from the queue
in PostgreSQL) and follow its progress."""

import asyncio
import functools

import strawberry

from actions import lkjip_jobs
from documents.lkjip.render import render_format
from policies.permissions import Permission
from resolvers.writes import in_transaction
from schema.ids import decode_id_of, pk_of
from schema.lkjip_jobs import LkjipJob, LkjipJobPayload, StartLkjipJobInput
from schema.types import Info
from store import lkjip_jobs as jobs

# The queue runs this process starts, kept so that they are not collected before they finish.
RUNNING: set[asyncio.Task[None]] = set()


async def start_lkjip_job(info: Info, input: StartLkjipJobInput) -> LkjipJobPayload:
    """The job is queued, then this server drains the queue in the background; `lkjipJob(id)`
    follows it."""
    starting = functools.partial(
        lkjip_jobs.start_job, caller=info.context.caller, org_unit_id=pk_of(input.org_unit_id, "OrgUnit"),
        year=input.year, paper=input.paper, reach=input.reach,
    )  # fmt: skip
    done = await in_transaction(info, lambda conn: starting(conn))
    if done.value is None:
        return LkjipJobPayload(job=None, user_errors=done.user_errors)
    task = asyncio.create_task(lkjip_jobs.drain(info.context.services.engine, render_format))
    RUNNING.add(task)
    task.add_done_callback(RUNNING.discard)
    return LkjipJobPayload(job=await _job(info, done.value.id), user_errors=[])


async def lkjip_job(info: Info, id: strawberry.ID) -> LkjipJob | None:
    """A job, for those who may read its unit's values; null for others."""
    job_id = decode_id_of(str(id), "LkjipJob")
    return None if job_id is None else await _job(info, job_id)


async def _job(info: Info, job_id: int) -> LkjipJob | None:
    conn = await info.context.connection()
    viewer = info.context.viewer
    found = await jobs.job(conn, job_id)
    if found is None or not viewer.may(Permission.READ_VALUES, found[1]):
        return None
    listed = (await jobs.documents(conn, [job_id]))[job_id]
    return LkjipJob(record=found[0], listed=[d for d in listed if viewer.may(Permission.READ_VALUES, d.unit_path)])
