"""A staff file as a SIMPEG exports it, CSV or XLSX: one row per employee with the position held,
read by its header (any column order; the usual Indonesian headings and their variants), so that
the import (actions/personnel.import_staff) can name every bad row by its line in the file."""

from dataclasses import dataclass
from typing import Any

from documents.realisation_workbook import WorkbookRefused
from documents.tabular import cell_text, columns_of, heading_key, read_table
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
    for line, cells in enumerate(table[1:], start=2):
        if all(cell_text(cell) == "" for cell in cells):
            continue
        if len(rows) >= MAX_ROWS:
            raise WorkbookRefused(f"Berkas berisi lebih dari {MAX_ROWS:,} baris.".replace(",", "."))
        values: dict[str, Any] = {
            field: cell_text(cells[index]) if index < len(cells) else "" for field, index in columns.items()
        }
        kind = heading_key(values.get("position_kind", ""))
        values["position_kind"] = KINDS.get(kind, values.get("position_kind", "").upper())
        job_class = values.get("job_class", "")
        values["job_class"] = int(job_class) if job_class.isdigit() else None
        rows.append(StaffFileRow(line, values))
    return rows


def read_staff_file(data: bytes, filename: str, content_type: str = "") -> list[StaffFileRow]:
    """The file's rows (blank rows skipped); WorkbookRefused when it cannot be read as either."""
    return _rows(read_table(data, filename, content_type))
