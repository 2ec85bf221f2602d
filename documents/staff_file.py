"""A staff file as a SIMPEG exports it, CSV or XLSX: one row per employee with the position held,
read by its header (any column order; the usual Indonesian headings and their variants), so that
the import (actions/personnel.import_staff) can name every bad row by its line in the file."""

import csv
import io
from dataclasses import dataclass
from typing import Any

from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from documents.realisation_workbook import WorkbookRefused, check_file
from domain.personnel import MAX_ROWS

# Each field of a staff row and the headings that name it (compared lower-case, spaces and
# punctuation ignored).
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


def _key(heading: object) -> str:
    return "".join(ch for ch in str(heading or "").lower() if ch.isalnum())


def _columns(header: list[Any]) -> dict[str, int]:
    keys = [_key(cell) for cell in header]
    found = {}
    for field, names in HEADINGS.items():
        for index, key in enumerate(keys):
            if key in names and field not in found:
                found[field] = index
    missing = [REQUIRED[field] for field in REQUIRED if field not in found]
    if missing:
        raise WorkbookRefused(f"Baris pertama harus memuat judul kolom: {', '.join(missing)}.")
    return found


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # a NIP or a class Excel stored as a number
    return str(value).strip()


def _rows(table: list[list[Any]]) -> list[StaffFileRow]:
    if not table:
        raise WorkbookRefused("Berkas kosong.")
    columns = _columns(table[0])
    rows: list[StaffFileRow] = []
    for line, cells in enumerate(table[1:], start=2):
        if all(_text(cell) == "" for cell in cells):
            continue
        if len(rows) >= MAX_ROWS:
            raise WorkbookRefused(f"Berkas berisi lebih dari {MAX_ROWS:,} baris.".replace(",", "."))
        values: dict[str, Any] = {
            field: _text(cells[index]) if index < len(cells) else "" for field, index in columns.items()
        }
        kind = _key(values.get("position_kind", ""))
        values["position_kind"] = KINDS.get(kind, values.get("position_kind", "").upper())
        job_class = values.get("job_class", "")
        values["job_class"] = int(job_class) if job_class.isdigit() else None
        rows.append(StaffFileRow(line, values))
    return rows


def read_staff_file(data: bytes, filename: str, content_type: str = "") -> list[StaffFileRow]:
    """The file's rows (blank rows skipped); WorkbookRefused when it cannot be read as either."""
    if filename.lower().endswith(".csv") or content_type.startswith("text/csv"):
        if len(data) > 10 * 1024 * 1024:
            raise WorkbookRefused("Berkas melebihi 10 MB.")
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = data.decode("cp1252")  # an older Excel's "CSV"
        try:
            dialect: Any = csv.Sniffer().sniff(text[:4096], delimiters=";,\t")
        except csv.Error:
            dialect = csv.excel
        return _rows([list(row) for row in csv.reader(io.StringIO(text), dialect)])
    check_file(data)
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (InvalidFileException, KeyError, ValueError, OSError) as error:
        raise WorkbookRefused("Berkas tidak dapat dibaca sebagai CSV atau buku kerja Excel (.xlsx).") from error
    try:
        sheet = book.worksheets[0]
        return _rows([list(row) for row in sheet.iter_rows(values_only=True)])
    finally:
        book.close()
