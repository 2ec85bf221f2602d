"""A staff file as a SIMPEG exports it, CSV or XLSX: one row per employee with the position held,
read by its header (any column order; the usual Indonesian headings and their variants), so that
the import (actions/personnel.import_staff) can name every bad row by its line in the file."""

from dataclasses import dataclass
from typing import Any

from documents.realisation_workbook import WorkbookRefused
from documents.tabular import columns_of, filled_rows, heading_key, read_table
from domain.personnel import MAX_ROWS

# Each field of a staff row and the headings that name it (documents.tabular.heading_key).
HEADINGS: dict[str, tuple[str, ...]] = {
    "nip": ("nip", "nipbaru"),
    "name": ("nama", "namapegawai", "namalengkap"),
    "golongan": ("golongan", "gol", "pangkatgolongan", "golruang"),
    "position_code": ("kodejabatan", "idjabatan"),
    "position_name": ("namajabatan", "jabatan"),
    "position_kind": ("jenisjabatan",),
    "job_class": ("kelasjabatan", "kelas"),
    "unit_code": ("kodeunit", "kodeunitkerja", "unitkerja"),
    "superior_code": ("kodeatasan", "kodejabatanatasan", "atasan"),
    "username": ("akun", "username", "namapengguna"),
}
REQUIRED = {"nip": "NIP", "name": "Nama", "position_code": "Kode Jabatan", "unit_code": "Kode Unit"}
# SIMPEG prints the jenis jabatan in words.
KINDS = {
    "jpt": "JPT", "jabatanpimpinantinggi": "JPT", "struktural": "JPT", "administrator": "ADMINISTRATOR",
    "pengawas": "PENGAWAS", "pelaksana": "PELAKSANA", "fungsional": "FUNGSIONAL", "jft": "FUNGSIONAL",
    "jfu": "PELAKSANA",
}  # fmt: skip


@dataclass(frozen=True)
class StaffFileRow:
    line: int  # the row's line in the file (the header is line 1)
    values: dict[str, Any]  # field → text, job_class an int or None


def _rows(table: list[list[Any]]) -> list[StaffFileRow]:
    if not table:
        raise WorkbookRefused("Berkas kosong.")
    columns = columns_of(table[0], HEADINGS, REQUIRED)
    rows: list[StaffFileRow] = []
    for line, values in filled_rows(table, columns, MAX_ROWS):
        row: dict[str, Any] = dict(values)
        kind = heading_key(row.get("position_kind", ""))
        row["position_kind"] = KINDS.get(kind, row.get("position_kind", "").upper())
        job_class = row.get("job_class", "")
        row["job_class"] = int(job_class) if job_class.isdigit() else None
        rows.append(StaffFileRow(line, row))
    return rows


def read_staff_file(data: bytes, filename: str, content_type: str = "") -> list[StaffFileRow]:
    """The file's rows (blank rows skipped); WorkbookRefused when it cannot be read as either."""
    return _rows(read_table(data, filename, content_type))
