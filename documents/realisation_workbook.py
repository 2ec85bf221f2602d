"""The realisation workbook of a unit and quarter (issue 18, "Excel in"): a template pre-filled
with the unit's indicators, read back when the operator uploads it, and annotated with the
problems a check found.

The template's reference columns (kode, indikator, satuan, target) are locked, the code column is
text, and the sheet `Petunjuk` explains the rest in Bahasa Indonesia. The unit and period are
kept on a hidden sheet, so that an upload names what it fills. Reading refuses, with a message an
operator can act on: a file that is too large, not an XLSX, password-protected (an encrypted
workbook is an OLE file, not a zip), carrying macros, or not made from this template. A formula is
read as the value Excel saved with it; one without a saved value is a problem of its row.
"""

import io
import itertools
import re
import zipfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from openpyxl import Workbook, load_workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.utils.exceptions import InvalidFileException

from domain.notation import MONTHS

SHEET = "Realisasi"
GUIDE = "Petunjuk"
META = "_kinerja"
HEADERS = ("Kode", "Indikator", "Satuan", "Target", "Realisasi", "Catatan", "Periode")
CODE, NAME, UNIT, TARGET, VALUE, NOTE, PERIOD = range(1, 8)  # columns
VALUE_COLUMN, NOTE_COLUMN, PERIOD_COLUMN = "E", "F", "G"
MAX_BYTES = 2 * 1024 * 1024
NOT_THE_TEMPLATE = "Berkas ini bukan templat realisasi Kinerja: unduh templatnya dari halaman Isian."
MAX_ROWS = 5_000
OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
GUIDANCE = (
    "Petunjuk pengisian realisasi",
    "",
    "1. Isi kolom Realisasi (angka, misalnya 87,5 atau 1250; untuk indikator berpredikat isi predikatnya, "
    "misalnya BB) dan, bila perlu, kolom Catatan.",
    "2. Jangan mengubah kolom Kode, Indikator, Satuan dan Target: kolom itu dikunci dan menjadi acuan.",
    "3. Baris yang kolom Realisasinya kosong dianggap belum dilaporkan (bukan nol) dan tidak diubah.",
    "4. Unggah berkas di halaman Isian. Kinerja memeriksa setiap baris lebih dahulu tanpa menyimpan apa pun; "
    "bila semua baris benar, Anda mengonfirmasi dan semua nilai disimpan sekaligus.",
    "5. Rumus boleh dipakai asalkan berkas disimpan di Excel (nilainya ikut tersimpan).",
    "6. Indikator yang dilaporkan bulanan punya satu baris per bulan (kolom Periode: Juli, Agustus, "
    "September); realisasi triwulannya dihitung dari bulan-bulan itu. Jangan mengubah kolom Periode.",
)
PROBLEM = PatternFill(start_color="FFF2CC", end_color="FFF2CC", fill_type="solid")


class WorkbookRefused(Exception):
    """The file as a whole cannot be read as this template (the message says why, in Indonesian)."""


@dataclass(frozen=True)
class TemplateRow:
    code: str
    name: str
    unit_of_measure: str
    target: str  # as printed: `22`, `80–90`, `BB`, or empty
    value: str  # the value entered so far, as printed
    note: str
    period: str  # "Triwulan 3", or the month's name for an indicator that reports monthly


@dataclass(frozen=True)
class Period:
    unit_id: str  # the unit's global id
    unit_name: str
    year: int
    quarter: int


@dataclass(frozen=True)
class UploadedRow:
    line: int  # the worksheet's row number, as Excel shows it
    code: str
    value: str | None  # None: blank, not reported
    note: str
    problem: str | None = None  # a cell the file itself makes unreadable
    month: int | None = None  # the month of a monthly indicator's row (column Periode)
    problem_column: str = VALUE_COLUMN


@dataclass(frozen=True)
class Upload:
    period: Period
    rows: list[UploadedRow]


def headed_sheet(title: str, headers: tuple[str, ...]) -> tuple[Workbook, Any]:
    """A new workbook whose first sheet is `title` with its header row in bold (every template's start)."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = title
    sheet.append(headers)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    return book, sheet


def template(period: Period, rows: Iterable[TemplateRow]) -> bytes:
    book, sheet = headed_sheet(SHEET, HEADERS)
    for row in rows:
        sheet.append([row.code, row.name, row.unit_of_measure, row.target, row.value, row.note, row.period])
    for line in sheet.iter_rows(min_row=2):
        line[CODE - 1].number_format = "@"  # codes stay text: 01 is not 1
        line[VALUE - 1].protection = Protection(locked=False)
        line[NOTE - 1].protection = Protection(locked=False)
        line[NAME - 1].alignment = Alignment(wrap_text=True)
    for column, width in zip("ABCDEFG", (18, 60, 12, 14, 16, 40, 14), strict=True):
        sheet.column_dimensions[column].width = width
    sheet.freeze_panes = "A2"
    sheet.protection.sheet = True  # the reference columns; no password: a guard, not a secret
    guide = book.create_sheet(GUIDE)
    for line in (*GUIDANCE, "", f"Unit: {period.unit_name}", f"Periode: Triwulan {period.quarter} {period.year}"):
        guide.append([line])
    guide.column_dimensions["A"].width = 120
    meta = book.create_sheet(META)
    meta.append(["unit", period.unit_id])
    meta.append(["tahun", period.year])
    meta.append(["triwulan", period.quarter])
    meta.sheet_state = "veryHidden"
    output = io.BytesIO()
    book.save(output)
    return output.getvalue()


def opened(data: bytes, sheet: str, meta: str, headers: tuple[str, ...], not_template: str) -> tuple[Any, Any]:
    """A template's workbook (values as Excel saved them) and its sheet's rows after the header,
    once the file passes `check_file`, has the template's sheets and the header is its own."""
    check_file(data)
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, ValueError, OSError) as error:
        raise WorkbookRefused("Berkas tidak dapat dibaca sebagai buku kerja Excel (.xlsx).") from error
    if sheet not in book.sheetnames or meta not in book.sheetnames:
        raise WorkbookRefused(not_template)
    rows = book[sheet].iter_rows(values_only=True)
    header = next(rows, None)
    if header is None or tuple(str(cell or "").strip() for cell in header[: len(headers)]) != headers:
        raise WorkbookRefused(f"Baris pertama lembar {sheet} harus berjudul: {', '.join(headers)}.")
    return book, rows


def read_upload(data: bytes) -> Upload:
    values, rows_of_values = opened(data, SHEET, META, HEADERS, NOT_THE_TEMPLATE)
    period = _period(values[META])
    # A formula's text is read only from a workbook that has one: reading every cell twice took
    # half of a 5,000-row upload's check (bench/workbook.py).
    formulas = load_workbook(io.BytesIO(data), read_only=True, data_only=False) if _has_formulas(data) else None
    rows = []
    formula_rows = formulas[SHEET].iter_rows(min_row=2, values_only=True) if formulas else itertools.repeat(())
    for line, (cells, written) in enumerate(zip(rows_of_values, formula_rows, strict=False), start=2):
        if line - 1 > MAX_ROWS:
            raise WorkbookRefused(f"Berkas berisi lebih dari {MAX_ROWS:,} baris.".replace(",", "."))
        code = _text(_cell(cells, CODE))
        value, entered = _cell(cells, VALUE), _cell(written, VALUE)
        note = _text(_cell(cells, NOTE))
        if not code and value is None and not note:
            continue
        if value is None and isinstance(entered, str) and entered.startswith("="):
            problem = (
                f"Sel {VALUE_COLUMN}{line} berisi rumus tanpa nilai tersimpan: buka dan simpan berkas di Excel, "
                "atau ketik nilainya."
            )
            rows.append(UploadedRow(line, code, None, note, problem))
            continue
        month, unknown = _month(_text(_cell(cells, PERIOD)))
        if unknown:
            problem = (
                f"Kolom Periode baris {line} tidak dikenal: isi nama bulan (mis. Juli) atau biarkan seperti di templat."
            )
            rows.append(UploadedRow(line, code, None, note, problem))
            continue
        rows.append(UploadedRow(line, code, typed(value), note, month=month))
    values.close()
    if formulas:
        formulas.close()
    return Upload(period, rows)


FORMULA_ELEMENT = re.compile(rb"<(?:\w+:)?f[\s>/]")


def _has_formulas(data: bytes) -> bool:
    """Whether any worksheet of the file holds a formula (an `<f>` element, with any prefix)."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        sheets = [name for name in archive.namelist() if name.startswith("xl/worksheets/") and name.endswith(".xml")]
        return any(FORMULA_ELEMENT.search(archive.read(name)) for name in sheets)


def annotated(data: bytes, problems: Mapping[tuple[int, str], str]) -> bytes:
    """The uploaded workbook with each problem as a comment on its cell (`(line, column)`), the
    cell shaded: the operator fixes the same file and uploads it again."""
    book = load_workbook(io.BytesIO(data))
    sheet = book[SHEET]
    for (line, column), message in problems.items():
        cell = sheet[f"{column}{line}"]
        cell.comment = Comment(message, "Kinerja")
        cell.fill = PROBLEM
    output = io.BytesIO()
    book.save(output)
    return output.getvalue()


def check_file(data: bytes) -> None:
    if len(data) > MAX_BYTES:
        raise WorkbookRefused(f"Berkas melebihi {MAX_BYTES // (1024 * 1024)} MB.")
    if data.startswith(OLE_SIGNATURE):
        raise WorkbookRefused(
            "Berkas dilindungi kata sandi atau berformat Excel lama (.xls): simpan tanpa kata sandi sebagai .xlsx."
        )
    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise WorkbookRefused("Berkas bukan buku kerja Excel (.xlsx).")
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        if any(name.lower().endswith("vbaproject.bin") for name in archive.namelist()):
            raise WorkbookRefused("Berkas berisi makro: simpan sebagai .xlsx (tanpa makro) lalu unggah lagi.")


def _period(meta: Any) -> Period:
    found = {str(row[0]): row[1] for row in meta.iter_rows(values_only=True) if row and row[0] is not None}
    try:
        return Period(str(found["unit"]), "", int(found["tahun"]), int(found["triwulan"]))
    except (KeyError, TypeError, ValueError) as error:
        raise WorkbookRefused(
            "Berkas ini bukan templat realisasi Kinerja: unduh templatnya dari halaman Isian."
        ) from error


MONTH_NUMBERS = {name.lower(): number for number, name in enumerate(MONTHS, start=1)}


def _month(text: str) -> tuple[int | None, bool]:
    """Column Periode: (the month named, whether the text names no period at all). A quarter's
    row reads "Triwulan 3" (or nothing); a monthly indicator's the month's name."""
    lowered = text.lower()
    if not lowered or lowered.startswith("triwulan"):
        return None, False
    month = MONTH_NUMBERS.get(lowered)
    return month, month is None


def _cell(cells: tuple[Any, ...], column: int) -> Any:
    return cells[column - 1] if len(cells) >= column else None


def _text(value: Any) -> str:
    return "" if value is None else str(value).strip()


def typed(value: Any) -> str | None:
    """A cell as typed: numbers exactly as Excel keeps them (no float noise), text as written."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int | float):
        return format(Decimal(repr(value)).normalize(), "f")
    return str(value).strip()
