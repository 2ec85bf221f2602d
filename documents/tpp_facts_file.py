"""The month's attendance and compliance file, CSV or XLSX, as an attendance machine's export or
the BKPSDM's recap gives it: one row per employee (by NIP) with the month's working days, days
present, apel held and attended, the minutes late on each late day, and whether BMD, TPTGR and
LHKPN were met. Read by its header (any order, documents/tabular.py); a cell that is not what
its column needs is named by line and heading before anything is sent to recordTppFacts."""

import io
import re
from dataclasses import dataclass, field

from documents.realisation_workbook import WorkbookRefused, headed_sheet
from documents.tabular import columns_of, filled_rows, heading_key, read_table
from domain.tpp import MAX_FACT_ROWS

SHEET = "Kehadiran"
HEADINGS: dict[str, tuple[str, ...]] = {
    "nip": ("nip", "nipbaru"),
    "working_days": ("harikerja", "jumlahharikerja"),
    "days_present": ("harihadir", "hadir", "jumlahhadir"),
    "apel_held": ("apel", "jumlahapel", "apeldilaksanakan"),
    "apel_attended": ("apeldiikuti", "ikutapel", "hadirapel"),
    "late_minutes": ("terlambatmenit", "terlambat", "keterlambatan", "menitterlambat"),
    "bmd": ("bmd", "laporanbmd"),
    "tptgr": ("tptgr",),
    "lhkpn": ("lhkpn",),
}
LABELS = {
    "nip": "NIP", "working_days": "Hari Kerja", "days_present": "Hari Hadir", "apel_held": "Apel",
    "apel_attended": "Apel Diikuti", "late_minutes": "Terlambat (menit)", "bmd": "BMD", "tptgr": "TPTGR",
    "lhkpn": "LHKPN",
}  # fmt: skip
COUNTS = ("working_days", "days_present", "apel_held", "apel_attended")
REQUIRED = {name: LABELS[name] for name in ("nip", *COUNTS)}
ITEMS = ("bmd", "tptgr", "lhkpn")
YES = {"ya", "y", "1", "true", "sudah", "memenuhi", "v", "✓", "√"}
NO = {"tidak", "t", "0", "false", "belum", "tidakmemenuhi", "-"}
LATE_SEPARATORS = re.compile(r"[;,/\s]+")


@dataclass(frozen=True)
class FactsFileRow:
    line: int  # the row's line in the file (the header is line 1)
    nip: str
    counts: dict[str, int]  # COUNTS → value
    late_minutes: list[int]
    compliance: dict[str, bool | None]  # ITEMS → met, not met, or no record


@dataclass
class FactsFile:
    rows: list[FactsFileRow] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)  # "Baris N: …", each cell that cannot be read


def _count(text: str) -> int | None:
    return int(text) if text.isdigit() else None


def _met(text: str) -> bool | str | None:
    """True or False, None for an empty cell, the text itself when it is neither."""
    key = heading_key(text) or text.strip()
    if not key:
        return None
    if key in YES:
        return True
    if key in NO:
        return False
    return text


def _row(line: int, values: dict[str, str], problems: list[str]) -> FactsFileRow | None:
    found = len(problems)
    counts = {}
    for name in COUNTS:
        counted = _count(values[name])
        if counted is None:
            problems.append(f"Baris {line}: {LABELS[name]} harus bilangan bulat 0 atau lebih, bukan '{values[name]}'.")
        else:
            counts[name] = counted
    late_text = values.get("late_minutes", "")
    pieces = [piece for piece in LATE_SEPARATORS.split(late_text) if piece]
    if any(not piece.isdigit() for piece in pieces):
        problems.append(
            f"Baris {line}: {LABELS['late_minutes']} berisi menit keterlambatan tiap hari, dipisah koma "
            f"(mis. 15, 40), bukan '{late_text}'."
        )
    compliance: dict[str, bool | None] = {}
    for name in ITEMS:
        met = _met(values.get(name, ""))
        if isinstance(met, str):
            problems.append(f"Baris {line}: {LABELS[name]} diisi Ya, Tidak atau kosong, bukan '{met}'.")
        else:
            compliance[name] = met
    if len(problems) > found:
        return None
    late = [int(piece) for piece in pieces]
    return FactsFileRow(line, values["nip"], counts, late, compliance)


def read_facts_file(data: bytes, filename: str, content_type: str = "") -> FactsFile:
    """The file's rows and the cells that cannot be read (blank rows skipped); WorkbookRefused
    when the file cannot be read at all or lacks a required heading."""
    table = read_table(data, filename, content_type)
    if not table:
        raise WorkbookRefused("Berkas kosong.")
    columns = columns_of(table[0], HEADINGS, REQUIRED)
    read = FactsFile()
    for line, values in filled_rows(table, columns, MAX_FACT_ROWS):
        row = _row(line, values, read.problems)
        if row is not None:
            read.rows.append(row)
    return read


def template(employees: list[tuple[str, str]]) -> bytes:
    """A workbook to fill in: the header, then one row per employee (NIP, name), NIP as text."""
    header = ("NIP", "Nama", *(LABELS[name] for name in (*COUNTS, "late_minutes", *ITEMS)))
    book, sheet = headed_sheet(SHEET, header)
    for nip, name in employees:
        sheet.append([nip, name])
    for line in sheet.iter_rows(min_row=2, max_col=1):
        line[0].number_format = "@"  # an 18-digit NIP is no number: Excel would round it
    for column, width in zip("ABCDEFGHIJ", (22, 36, 10, 10, 8, 12, 18, 8, 8, 8), strict=True):
        sheet.column_dimensions[column].width = width
    sheet.freeze_panes = "C2"
    output = io.BytesIO()
    book.save(output)
    return output.getvalue()
