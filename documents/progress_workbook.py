"""The monthly progress workbook of a perangkat daerah (issue 20, "Excel template"): a template of
the unit's programs, kegiatan and sub-kegiatan for a month and budget, read back when the
operator uploads it. It follows the realisation workbook (documents/realisation_workbook.py):
the same file checks, a locked code column kept as text, a `Petunjuk` sheet in Bahasa Indonesia
and the unit, month and budget on a hidden sheet, so that an upload names what it fills.

Pre-filled: the month's lines as entered so far, or else last month's programs with their codes,
names and pagu and the figures left blank (figures are cumulative: last month's numbers sent
again would report no progress). A row whose figures are all blank is not reported.
"""

import io
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from openpyxl.styles import Alignment, Protection

from documents.realisation_workbook import WorkbookRefused, headed_sheet, opened, typed

SHEET = "Progres"
GUIDE = "Petunjuk"
META = "_kinerja_monev"
HEADERS = (
    "Kode",
    "Program / kegiatan / sub kegiatan",
    "Pagu (Rp)",
    "Target fisik (%)",
    "Realisasi fisik (%)",
    "Target keuangan (Rp)",
    "Realisasi keuangan (Rp)",
)
FIGURES = ("pagu", "physicalTarget", "physicalRealisation", "financialTarget", "financialRealisation")
MAX_ROWS = 2_000  # actions.progress.MAX_LINES
NOT_THE_TEMPLATE = "Berkas ini bukan templat monev Kinerja: unduh templatnya dari halaman Isian monev."
GUIDANCE = (
    "Petunjuk pengisian monev bulanan",
    "",
    "1. Satu baris untuk setiap program, kegiatan atau sub kegiatan, dengan kode SIPD (misalnya 5.01.01.2.01.0001).",
    "2. Semua angka kumulatif sampai akhir bulan ini (s.d. bulan ini): persentase fisik 0 sampai 100, "
    "nilai keuangan dalam Rupiah dan tidak melebihi pagu.",
    "3. Baris yang semua angkanya kosong tidak dilaporkan. Baris boleh ditambah di bawah.",
    "4. Unggah berkas di halaman Isian monev: semua baris diperiksa dan disimpan sekaligus, atau tidak sama sekali; "
    "kesalahan disebut per baris.",
)


@dataclass(frozen=True)
class Month:
    unit_id: str  # the unit's global id
    unit_name: str
    year: int
    month: int
    budget_kind: str  # MURNI or PERUBAHAN


@dataclass(frozen=True)
class TemplateLine:
    code: str
    name: str
    figures: tuple[str, ...]  # as printed, in FIGURES' order; empty: blank


@dataclass(frozen=True)
class UploadedLine:
    row: int  # the worksheet's row number, as Excel shows it
    code: str
    name: str
    figures: dict[str, str | None]  # by FIGURES name; None: blank


def template(month: Month, lines: Iterable[TemplateLine]) -> bytes:
    book, sheet = headed_sheet(SHEET, HEADERS)
    written = 0
    for line in lines:
        sheet.append([line.code, line.name, *(figure or None for figure in line.figures)])
        written += 1
    for row in sheet.iter_rows(min_row=2, max_row=written + 201, max_col=len(HEADERS)):
        row[0].number_format = "@"  # codes stay text: 01 is not 1
        for cell in row:
            cell.protection = Protection(locked=False)
        row[1].alignment = Alignment(wrap_text=True)
    for column, width in zip("ABCDEFG", (22, 50, 18, 14, 16, 20, 20), strict=True):
        sheet.column_dimensions[column].width = width
    sheet.freeze_panes = "A2"
    guide = book.create_sheet(GUIDE)
    kind = "APBD Perubahan" if month.budget_kind == "PERUBAHAN" else "APBD murni"
    for text in (*GUIDANCE, "", f"Unit: {month.unit_name}", f"Bulan: {month.month}/{month.year}", f"Anggaran: {kind}"):
        guide.append([text])
    guide.column_dimensions["A"].width = 120
    meta = book.create_sheet(META)
    for key, value in (("unit", month.unit_id), ("tahun", month.year), ("bulan", month.month),
                       ("anggaran", month.budget_kind)):  # fmt: skip
        meta.append([key, value])
    meta.sheet_state = "veryHidden"
    output = io.BytesIO()
    book.save(output)
    return output.getvalue()


def read_upload(data: bytes) -> tuple[Month, list[UploadedLine]]:
    book, rows = opened(data, SHEET, META, HEADERS, NOT_THE_TEMPLATE)
    month = _month(book[META])
    lines: list[UploadedLine] = []
    for number, cells in enumerate(rows, start=2):
        if number - 1 > MAX_ROWS:
            raise WorkbookRefused(f"Berkas berisi lebih dari {MAX_ROWS:,} baris.".replace(",", "."))
        padded = [*cells, *([None] * len(HEADERS))][: len(HEADERS)]
        figures = {name: typed(value) for name, value in zip(FIGURES, padded[2:], strict=True)}
        if all(value is None for value in figures.values()):
            continue
        lines.append(UploadedLine(number, _text(padded[0]), _text(padded[1]), figures))
    book.close()
    return month, lines


def _month(meta: Any) -> Month:
    found = {str(row[0]): row[1] for row in meta.iter_rows(values_only=True) if row and row[0] is not None}
    try:
        kind = str(found["anggaran"])
        if kind not in ("MURNI", "PERUBAHAN"):
            raise ValueError(kind)
        return Month(str(found["unit"]), "", int(found["tahun"]), int(found["bulan"]), kind)
    except (KeyError, TypeError, ValueError) as error:
        raise WorkbookRefused(NOT_THE_TEMPLATE) from error


def _text(value: Any) -> str:
    return "" if value is None else str(value).strip()
