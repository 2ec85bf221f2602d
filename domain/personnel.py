"""Employees (pegawai) and positions (jabatan) in the effective-dated org units, as a SIMPEG
exports them, and the checks an import makes before anything is written.

Wrong superior data is the top complaint about the national e-Kinerja (../shared/sakip-wave2.md
§5.2): every position names its superior position, and a position without a valid one (unknown,
itself, a loop) is reported row by row. Only the head of a perangkat daerah
(a JPT) may have no superior inside the pemda's data: above them is the Sekda or the Kepala
Daerah, who sign agreements but log no activities here.
"""

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from enum import Enum

from domain.errors import DomainError

MAX_ROWS = 20_000
NIP = re.compile(r"^\d{18}$")
GOLONGAN = re.compile(r"^(I|II|III|IV)/[a-e]$")
# The pangkat of each golongan ruang of a PNS (PP 99/2000, lampiran I), as a Perjanjian Kinerja
# prints a party's rank: "Pembina (IV/a)".
PANGKAT = {
    "I/a": "Juru Muda", "I/b": "Juru Muda Tingkat I", "I/c": "Juru", "I/d": "Juru Tingkat I",
    "II/a": "Pengatur Muda", "II/b": "Pengatur Muda Tingkat I", "II/c": "Pengatur", "II/d": "Pengatur Tingkat I",
    "III/a": "Penata Muda", "III/b": "Penata Muda Tingkat I", "III/c": "Penata", "III/d": "Penata Tingkat I",
    "IV/a": "Pembina", "IV/b": "Pembina Tingkat I", "IV/c": "Pembina Utama Muda", "IV/d": "Pembina Utama Madya",
    "IV/e": "Pembina Utama",
}  # fmt: skip


def rank_of(golongan: str) -> str:
    """`Pembina (IV/a)` for IV/a; a golongan outside PP 99/2000 (a PPPK's, say) as recorded."""
    pangkat = PANGKAT.get(golongan.strip())
    return f"{pangkat} ({golongan.strip()})" if pangkat else golongan.strip()


MAX_NAME = 200
MAX_CODE = 50


class PositionKind(Enum):
    """Jabatan kinds of UU 5/2014 (ASN)."""

    JPT = "JPT"  # jabatan pimpinan tinggi (eselon II)
    ADMINISTRATOR = "ADMINISTRATOR"  # eselon III
    PENGAWAS = "PENGAWAS"  # eselon IV
    PELAKSANA = "PELAKSANA"
    FUNGSIONAL = "FUNGSIONAL"


# Structural positions (eselon II, III, IV) head an org unit: their SKP's work results are the
# unit's Perjanjian Kinerja (PermenPANRB 6/2022), and they file the LHKPN (UU 28/1999).
UNIT_HEADS = frozenset({PositionKind.JPT, PositionKind.ADMINISTRATOR, PositionKind.PENGAWAS})


class ActingKind(Enum):
    PLT = "PLT"  # pelaksana tugas: the position is vacant
    PLH = "PLH"  # pelaksana harian: the holder is away for a while


def normalise_nip(raw: str) -> str:
    """NIPs arrive with spaces ('19800101 200501 1 001'), as SIMPEG prints them."""
    return re.sub(r"\s+", "", raw or "")


def nip_error(nip: str) -> DomainError | None:
    """An 18-digit NIP: birth date (yyyymmdd), TMT CPNS (yyyymm), sex (1 or 2), a number."""
    if not NIP.match(nip):
        return DomainError("INVALID_NIP", "NIP harus 18 angka.", "nip")
    try:
        date(int(nip[0:4]), int(nip[4:6]), int(nip[6:8]))
        if not 1 <= int(nip[12:14]) <= 12:
            raise ValueError
    except ValueError:
        return DomainError("INVALID_NIP", "NIP memuat tanggal lahir atau TMT yang tidak ada.", "nip")
    if nip[14] not in "12":
        return DomainError("INVALID_NIP", "Digit ke-15 NIP (jenis kelamin) harus 1 atau 2.", "nip")
    return None


@dataclass(frozen=True)
class StaffRow:
    """One row of a staff file: an employee and the position they hold."""

    nip: str
    name: str
    golongan: str
    position_code: str
    position_name: str
    position_kind: PositionKind | None
    job_class: int | None
    unit_code: str
    superior_code: str  # the superior position's code; empty for the head of a perangkat daerah
    username: str = ""


def check_rows(
    rows: Sequence[StaffRow],
    *,
    unit_kinds: Mapping[str, str],
    known_superiors: Mapping[str, str | None],
) -> list[DomainError]:
    """Every problem of the file, at `rows.N.field`. `unit_kinds`: the government's valid org
    units by code (their OrgUnitKind value); `known_superiors`: the government's positions
    already in the platform by code, with their superior's code. Position codes are the
    government's own (a superior is always in the same pemda)."""
    errors: list[DomainError] = []
    if len(rows) > MAX_ROWS:
        return [DomainError("TOO_MANY_ROWS", f"Paling banyak {MAX_ROWS} baris per impor.", "rows")]
    seen_nips: dict[str, int] = {}
    seen_positions: dict[str, int] = {}
    superiors: dict[str, str | None] = dict(known_superiors)
    for index, row in enumerate(rows):
        at = f"rows.{index}"
        if (error := nip_error(row.nip)) is not None:
            errors.append(error.at(f"{at}.nip"))
        elif row.nip in seen_nips:
            errors.append(
                DomainError("DUPLICATE_ROW", f"NIP sudah ada di baris {seen_nips[row.nip] + 1}.", f"{at}.nip")
            )
        seen_nips.setdefault(row.nip, index)
        if not row.name.strip() or len(row.name) > MAX_NAME:
            errors.append(
                DomainError("REQUIRED", f"Nama wajib diisi (paling banyak {MAX_NAME} karakter).", f"{at}.name")
            )
        if row.golongan and not GOLONGAN.match(row.golongan):
            errors.append(DomainError("INVALID_GOLONGAN", "Golongan ditulis seperti III/c.", f"{at}.golongan"))
        if not row.position_code or len(row.position_code) > MAX_CODE:
            errors.append(DomainError("REQUIRED", "Kode jabatan wajib diisi.", f"{at}.positionCode"))
        elif row.position_code in seen_positions:
            errors.append(
                DomainError(
                    "DUPLICATE_POSITION",
                    f"Jabatan {row.position_code} sudah dipegang di baris {seen_positions[row.position_code] + 1}.",
                    f"{at}.positionCode",
                )
            )
        seen_positions.setdefault(row.position_code, index)
        if not row.position_name.strip():
            errors.append(DomainError("REQUIRED", "Nama jabatan wajib diisi.", f"{at}.positionName"))
        if row.position_kind is None:
            errors.append(
                DomainError(
                    "INVALID_KIND",
                    "Jenis jabatan: JPT, ADMINISTRATOR, PENGAWAS, PELAKSANA atau FUNGSIONAL.",
                    f"{at}.positionKind",
                )
            )
        if row.job_class is None or not 1 <= row.job_class <= 17:
            errors.append(DomainError("INVALID_JOB_CLASS", "Kelas jabatan harus 1–17.", f"{at}.jobClass"))
        if row.unit_code not in unit_kinds:
            errors.append(
                DomainError(
                    "UNKNOWN_UNIT", f"Unit kerja {row.unit_code or '(kosong)'} tidak ditemukan.", f"{at}.unitCode"
                )
            )
        superiors[row.position_code] = row.superior_code or None
    for index, row in enumerate(rows):
        at = f"rows.{index}.superiorCode"
        if not row.superior_code:
            heads_agency = row.position_kind is PositionKind.JPT and unit_kinds.get(row.unit_code) == "PERANGKAT_DAERAH"
            if not heads_agency:
                errors.append(
                    DomainError(
                        "MISSING_SUPERIOR",
                        "Jabatan atasan wajib diisi (hanya kepala perangkat daerah boleh tanpa atasan).",
                        at,
                    )
                )
            continue
        if row.superior_code == row.position_code:
            errors.append(DomainError("INVALID_SUPERIOR", "Jabatan tidak boleh menjadi atasannya sendiri.", at))
            continue
        if row.superior_code not in superiors:
            errors.append(DomainError("UNKNOWN_SUPERIOR", f"Jabatan atasan {row.superior_code} tidak ditemukan.", at))
            continue
        if _loops(row.position_code, superiors):
            errors.append(
                DomainError("SUPERIOR_CYCLE", f"Rantai atasan jabatan {row.position_code} berputar kembali.", at)
            )
    return errors


def _loops(start: str, superiors: Mapping[str, str | None]) -> bool:
    seen = {start}
    current = superiors.get(start)
    while current is not None:
        if current in seen:
            return True
        seen.add(current)
        current = superiors.get(current)
    return False


def acting_error(kind: ActingKind, starts_on: date, ends_on: date | None) -> DomainError | None:
    if ends_on is not None and ends_on < starts_on:
        return DomainError("INVALID_PERIOD", "Tanggal selesai harus sesudah tanggal mulai.", "endsOn")
    if kind is ActingKind.PLH and ends_on is None:
        return DomainError("REQUIRED", "Plh ditugaskan untuk waktu tertentu: isi tanggal selesai.", "endsOn")
    return None
