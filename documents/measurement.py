"""The quarterly measurement form of a unit (formulir pengukuran kinerja, PermenPANRB 53/2014):
each of its indicators with the year's target, the realisation of every quarter reported so far,
and the capaian and category through the quarter asked for, as a workbook and as PDF. Built from
the page's own operation as the signed-in user, so it holds only what the dasbor would show."""

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
from domain.notation import CATEGORY_NAMES, MISSING_REASON_NAMES, indonesian_fixed, indonesian_number

TEMPLATES = Path(__file__).resolve().parent / "templates"
QUARTERS = (1, 2, 3, 4)
HEADINGS = (
    "No",
    "Kode",
    "Indikator",
    "Satuan",
    "Target",
    "Realisasi TW I",
    "Realisasi TW II",
    "Realisasi TW III",
    "Realisasi TW IV",
    "Capaian (%)",
    "Kategori",
)


@dataclass(frozen=True)
class MeasuredIndicator:
    code: str
    name: str
    unit_of_measure: str
    target: str | None  # a number, or a predikat of an ordinal scale, as entered
    realisations: tuple[str | None, ...]  # per quarter, None when not reported
    percent: Decimal | None
    category: str | None
    reason: str | None

    @property
    def percent_text(self) -> str:
        return indonesian_fixed(self.percent, 2) if self.percent is not None else "-"

    @property
    def category_name(self) -> str:
        if self.category:
            return CATEGORY_NAMES.get(self.category, self.category)
        return MISSING_REASON_NAMES.get(self.reason or "", "-")


@dataclass(frozen=True)
class MeasurementForm:
    unit_name: str
    year: int
    quarter: int
    indicators: tuple[MeasuredIndicator, ...]

    @property
    def title(self) -> str:
        return f"Formulir Pengukuran Kinerja {self.unit_name} Triwulan {self.quarter} Tahun {self.year}"


def shown(value: str | None) -> str:
    """A figure as officials write it (`1.234,5`), a predikat as it is, `-` for none."""
    if value is None:
        return "-"
    try:
        return indonesian_number(Decimal(value))
    except ArithmeticError:
        return value


def _number(value: str | None) -> object:
    """A cell's value: a number where it is one (sums work in Excel), else the text."""
    if value is None:
        return None
    try:
        return Decimal(value)
    except ArithmeticError:
        return value


def measurement_workbook(form: MeasurementForm) -> bytes:
    book = Workbook(write_only=True)
    out = book.create_sheet("Pengukuran")
    for width, letter in zip((5, 14, 48, 12, 11, 13, 13, 13, 13, 12, 20), "ABCDEFGHIJK", strict=True):
        out.column_dimensions[letter].width = width
    out.append([_bold(out, form.title)])
    out.append([f"Capaian dan kategori sampai dengan triwulan {form.quarter}"])
    out.append([_bold(out, heading) for heading in HEADINGS])
    for number, row in enumerate(form.indicators, start=1):
        out.append(
            [
                number,
                row.code,
                row.name,
                row.unit_of_measure,
                _number(row.target),
                *(_number(value) for value in row.realisations),
                row.percent,
                row.category_name,
            ]
        )
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _bold(sheet: WriteOnlyWorksheet, value: object) -> WriteOnlyCell:
    cell = WriteOnlyCell(sheet, value=value)
    cell.font = Font(bold=True)
    return cell


@functools.cache
def _environment() -> Environment:
    environment = Environment(
        loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(default=True), auto_reload=False
    )
    environment.filters["shown"] = shown
    return environment


def measurement_pdf(form: MeasurementForm) -> bytes:
    html = _environment().get_template("pengukuran/pengukuran.html").render(form=form, headings=HEADINGS)
    return write_pdf(html, str(TEMPLATES))
