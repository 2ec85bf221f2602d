"""LKjIP generated in the background (issue 18: "generation of a pemda LKjIP runs as a background
job with progress visible (state, percent) when it takes more than a second; jobs survive a
server restart"). A job renders the LKjIP of one unit, or of a unit and the units below it (a
province's kab/kota, a pemda's perangkat daerah), each document in turn; the queue is in
PostgreSQL (store/lkjip_jobs.py) and a server that stops leaves its job to be taken up again.
Pure rules: the states, which units a reach covers, and the progress."""

from datetime import timedelta
from enum import Enum

from domain.enums import OrgUnitKind
from domain.errors import DomainError


class JobState(Enum):
    QUEUED = "QUEUED"  # written, waiting for a server to take it
    RUNNING = "RUNNING"  # taken: its heartbeat (the progress) moves at each step
    DONE = "DONE"  # every document generated or refused
    FAILED = "FAILED"  # stopped by an error of the platform (each document done so far is kept)


class DocumentOutcome(Enum):
    PENDING = "PENDING"
    DONE = "DONE"  # the three files are stored
    REFUSED = "REFUSED"  # the unit has no LKjIP to generate (e.g. no signed Perjanjian Kinerja)


class LkjipReach(Enum):
    """Whose LKjIP a job generates besides the asked unit's."""

    UNIT = "UNIT"  # the unit alone
    PEMDA = "PEMDA"  # and each kabupaten/kota below a province (their pemda's LKjIP)
    AGENCIES = "AGENCIES"  # and each perangkat daerah of the pemda


# Gathering the figures, then the PDF, the Word document and the workbook: the steps of one
# document, each one heartbeat.
STEPS_PER_DOCUMENT = 4
# A running job whose heartbeat is older than this lost its server (a step is seconds at most:
# a 50-indicator PDF is the longest, bench/documents.py) and is taken up by another.
STALE_AFTER = timedelta(minutes=2)
# A province of 14 kab/kota with 60 perangkat daerah each stays well under it; more is a mistake.
MAX_DOCUMENTS = 1_000


def check_reach(kind: OrgUnitKind, is_province: bool, reach: LkjipReach) -> None:
    """A perangkat daerah's LKjIP has no units below; a pemda's has its perangkat daerah; only a
    province has kab/kota."""
    if reach is LkjipReach.UNIT:
        return
    if kind is not OrgUnitKind.PEMDA:
        raise DomainError("INVALID_REACH", "Perangkat daerah tidak memiliki LKjIP unit di bawahnya.", "reach")
    if reach is LkjipReach.PEMDA and not is_province:
        raise DomainError("INVALID_REACH", "Hanya provinsi yang memiliki kabupaten/kota di bawahnya.", "reach")


def percent(steps_done: int, steps_total: int, state: JobState) -> int:
    """Whole percent of the steps done; 100 only once the job is done (the last step's write
    is part of it)."""
    if state is JobState.DONE:
        return 100
    if steps_total <= 0:
        return 0
    return min(99, steps_done * 100 // steps_total)


def job_file_url(job_global_id: str, position: int, extension: str) -> str:
    """Where a job's generated document is downloaded (with the bearer token or page session of
    someone who may read its unit)."""
    return f"/dokumen/lkjip/tugas/{job_global_id}/{position}.{extension}"
