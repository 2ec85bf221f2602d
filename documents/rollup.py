"""The rollup of a government or unit for a year and quarter, one row per child (a province's
kabupaten/kota, a pemda's perangkat daerah, a unit's sub-units), as a workbook and as PDF: what
the dasbor shows, for leaders to file or forward. A category is printed only when every
indicator counted; otherwise "data belum lengkap" (domain/completeness.py)."""

import functools
import io
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from documents.pdf_layout import write_pdf
from domain.notation import CATEGORY_NAMES, indonesian_fixed, indonesian_number

TEMPLATES = Path(__file__).resolve().parent / "templates"
INCOMPLETE = "data belum lengkap"
HEADINGS = ("No", "Kode", "Nama", "Capaian (%)", "Kategori", "Indikator", "Terukur", "Belum dilaporkan")


@dataclass(frozen=True)
class RollupRow:
    code: str
    name: str
    percent: Decimal | None
    category: str | None  # None when not every indicator counted
    indicators: int
    counted: int
    missing: int

    @property
    def category_name(self) -> str:
        return CATEGORY_NAMES.get(self.category, INCOMPLETE) if self.category else INCOMPLETE

    @property
    def percent_text(self) -> str:
        return indonesian_fixed(self.percent, 2) if self.percent is not None else "-"


@dataclass(frozen=True)
class RollupSheet:
    scope_name: str
    year: int
    quarter: int | None  # None: the whole year
    overall: RollupRow
    rows: tuple[RollupRow, ...]

    @property
    def period(self) -> str:
        return f"Triwulan {self.quarter} Tahun {self.year}" if self.quarter else f"Tahun {self.year}"

    @property
    def title(self) -> str:
        return f"Rekapitulasi Capaian Kinerja {self.scope_name} {self.period}"


def rollup_workbook(sheet: RollupSheet) -> bytes:
    """One sheet: the title, a row per child, the overall row in bold; numbers as numbers."""
    book = Workbook(write_only=True)
    out = book.create_sheet("Rekap")
    for width, letter in zip((6, 12, 44, 13, 22, 11, 10, 17), "ABCDEFGH", strict=True):
        out.column_dimensions[letter].width = width
    out.append([_bold(out, sheet.title)])
    out.append([])
    out.append([_bold(out, heading) for heading in HEADINGS])
    for number, row in enumerate(sheet.rows, start=1):
        out.append([number, *_cells(row)])
    out.append([_bold(out, "TOTAL"), *(_bold(out, value) for value in _cells(sheet.overall))])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _bold(sheet: WriteOnlyWorksheet, value: object) -> WriteOnlyCell:
    cell = WriteOnlyCell(sheet, value=value)
    cell.font = Font(bold=True)
    return cell


def _cells(row: RollupRow) -> list[object]:
    return [row.code, row.name, row.percent, row.category_name, row.indicators, row.counted, row.missing]


@functools.cache
def _environment() -> Environment:
    environment = Environment(
        loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(default=True), auto_reload=False
    )
    environment.filters["count"] = lambda value: indonesian_number(Decimal(value))  # 1.680
    return environment


def rollup_pdf(sheet: RollupSheet) -> bytes:
    html = _environment().get_template("rekap/rekap.html").render(sheet=sheet, headings=HEADINGS)
    return write_pdf(html, str(TEMPLATES))
