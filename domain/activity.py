"""Daily activity logs (LKH, Laporan Kinerja Harian), their weekly approval and monthly score.

Banda Aceh's e-Kinerja (../shared/sakip-wave2.md §5.1): every employee logs the day's activities;
the superior approves them weekly (or returns them with a note, to be fixed and resubmitted); an
independent verification unit verifies the approved entries, scores each 0–10 or rejects it, and
closes the month, which is then frozen. An entry is editable by its employee until its week is
submitted, and again once returned.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, time, timedelta
from decimal import Decimal
from enum import Enum

from domain.errors import DomainError

MAX_DESCRIPTION = 2000
MAX_NOTE = 1000
MAX_SCORE = Decimal(10)
# The superior approves a week by the Wednesday after it; a week still pending then is listed
# for the superior's superior (a per-government setting would go here; none asked for yet).
APPROVAL_DAYS_AFTER_WEEK = 3


class ActivityKind(Enum):
    HADIR = "HADIR"  # at work
    DINAS_LUAR = "DINAS_LUAR"  # official travel
    CUTI = "CUTI"  # leave
    IZIN = "IZIN"  # permitted absence
    SAKIT = "SAKIT"  # sick


class EntryState(Enum):
    DRAFT = "DRAFT"  # the employee may still edit it
    SUBMITTED = "SUBMITTED"  # its week awaits the superior
    RETURNED = "RETURNED"  # the superior returned it with a note: fix and resubmit
    APPROVED = "APPROVED"  # the superior approved it: awaits the verifier
    VERIFIED = "VERIFIED"  # scored 0–10 by the verification unit
    REJECTED = "REJECTED"  # rejected by the verification unit (scores 0)


EDITABLE = frozenset({EntryState.DRAFT, EntryState.RETURNED})
# What the verification unit decides: approved entries, and its own scores or rejections until
# the month is closed.
VERIFIABLE = frozenset({EntryState.APPROVED, EntryState.VERIFIED, EntryState.REJECTED})


def week_of(day: date) -> date:
    """The Monday that starts the day's week (ISO weeks)."""
    return day - timedelta(days=day.weekday())


def week_end(week_start: date) -> date:
    """The Sunday that ends the week."""
    return week_start + timedelta(days=6)


def approval_deadline(week_start: date) -> date:
    return week_end(week_start) + timedelta(days=APPROVAL_DAYS_AFTER_WEEK)


@dataclass(frozen=True)
class Span:
    id: int | None
    starts_at: time
    ends_at: time


def check_entry(*, work_date: date, starts_at: time, ends_at: time, description: str, today: date) -> list[DomainError]:
    errors = []
    if work_date > today:
        errors.append(
            DomainError("FUTURE_DATE", "Kegiatan tidak boleh dicatat untuk tanggal yang akan datang.", "workDate")
        )
    if ends_at <= starts_at:
        errors.append(DomainError("INVALID_TIME", "Jam selesai harus sesudah jam mulai.", "endsAt"))
    text = description.strip()
    if not text:
        errors.append(DomainError("REQUIRED", "Uraian kegiatan wajib diisi.", "description"))
    elif len(text) > MAX_DESCRIPTION:
        errors.append(DomainError("TOO_LONG", f"Uraian paling banyak {MAX_DESCRIPTION} karakter.", "description"))
    return errors


def overlapping(entry: Span, others: Iterable[Span]) -> Span | None:
    """The first other entry of the same day whose time overlaps the entry's (touching ends do
    not overlap: 08.00–10.00 then 10.00–12.00 is fine)."""
    for other in others:
        if other.id != entry.id and other.starts_at < entry.ends_at and entry.starts_at < other.ends_at:
            return other
    return None


def check_score(score: Decimal) -> DomainError | None:
    if score < 0 or score > MAX_SCORE:
        return DomainError("INVALID_SCORE", "Nilai kegiatan harus antara 0 dan 10.", "score")
    if score != score.quantize(Decimal("0.01")):
        return DomainError("INVALID_SCORE", "Nilai kegiatan paling banyak dua angka desimal.", "score")
    return None
