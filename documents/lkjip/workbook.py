"""Every Bab III table of the LKjIP as a sheet of one workbook (openpyxl, write-only so that a
large report is streamed to the file, not held): numbers stay numbers, in Indonesian formats."""

import io

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.worksheet.worksheet import Worksheet

from documents.lkjip import tables
from domain.lkjip import LkjipFigures

FORMATS = {
    tables.Kind.NUMBER: "#,##0.######",
    tables.Kind.PERCENT: "0.00",
    tables.Kind.RUPIAH: "#,##0",
}
HEADER_FILL = PatternFill("solid", fgColor="E8E8E8")


def _sheet(book: Workbook, name: str, table: tables.Table, figures: LkjipFigures) -> None:
    sheet: Worksheet = book.create_sheet(name[:31])
    sheet.freeze_panes = "A4"
    for index, column in enumerate(table.columns):
        sheet.column_dimensions[chr(ord("A") + index)].width = 45 if column.kind is tables.Kind.TEXT else 18
    title = WriteOnlyCell(sheet, f"{table.title} — {figures.unit_name} {figures.year}")
    title.font = Font(bold=True)
    sheet.append([title])
    sheet.append([])
    header = []
    for column in table.columns:
        cell = WriteOnlyCell(sheet, column.title)
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        header.append(cell)
    sheet.append(header)
    for row in (*table.rows, *((table.total,) if table.total else ())):
        cells = []
        for value, column in zip(row, table.columns, strict=True):
            # An empty figure stays empty: a benchmark not recorded is not 0.
            cell = WriteOnlyCell(sheet, tables.EMPTY if value is None else value)
            if column.kind in FORMATS and value is not None and not isinstance(value, str):
                cell.number_format = FORMATS[column.kind]
            elif column.kind is tables.Kind.TEXT:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
            cells.append(cell)
        sheet.append(cells)


def workbook(figures: LkjipFigures) -> bytes:
    book = Workbook(write_only=True)
    for name, table in tables.workbook_tables(figures):
        _sheet(book, name, table, figures)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
