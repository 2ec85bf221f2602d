"""A headed table from a file people export, CSV or XLSX: the cells of its first sheet (or the
CSV's rows, any of `;`, `,` or tab), and its columns found by their headings in any order (the
usual Indonesian headings and their variants, compared lower-case with spaces and punctuation
ignored). The staff file (documents/staff_file.py) and the month's attendance file
(documents/tpp_facts_file.py) are read through it, so that each bad row is named by its line."""

import csv
import io
from collections.abc import Iterator, Mapping
from typing import Any

from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from documents.realisation_workbook import WorkbookRefused, check_file

MAX_CSV_BYTES = 10 * 1024 * 1024


def heading_key(heading: object) -> str:
    return "".join(ch for ch in str(heading or "").lower() if ch.isalnum())


def cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # a NIP or a count Excel stored as a number
    return str(value).strip()


def columns_of(
    header: list[Any], headings: Mapping[str, tuple[str, ...]], required: Mapping[str, str]
) -> dict[str, int]:
    """Each field's column index (the first heading that names it); WorkbookRefused naming the
    required headings (`required`: field → the heading to print) that are missing."""
    keys = [heading_key(cell) for cell in header]
    found: dict[str, int] = {}
    for field, names in headings.items():
        for index, key in enumerate(keys):
            if key in names and field not in found:
                found[field] = index
    missing = [label for field, label in required.items() if field not in found]
    if missing:
        raise WorkbookRefused(f"Baris pertama harus memuat judul kolom: {', '.join(missing)}.")
    return found


def filled_rows(
    table: list[list[Any]], columns: Mapping[str, int], max_rows: int
) -> Iterator[tuple[int, dict[str, str]]]:
    """Each row after the header that is not blank: its line in the file (the header is line 1)
    and its cells' text by field; WorkbookRefused past `max_rows`."""
    filled = 0
    for line, cells in enumerate(table[1:], start=2):
        if all(cell_text(cell) == "" for cell in cells):
            continue
        filled += 1
        if filled > max_rows:
            raise WorkbookRefused(f"Berkas berisi lebih dari {max_rows:,} baris.".replace(",", "."))
        yield line, {field: cell_text(cells[index]) if index < len(cells) else "" for field, index in columns.items()}


def read_table(data: bytes, filename: str, content_type: str = "") -> list[list[Any]]:
    """The file's rows of cells, header first; WorkbookRefused when it is neither CSV nor XLSX."""
    if filename.lower().endswith(".csv") or content_type.startswith("text/csv"):
        if len(data) > MAX_CSV_BYTES:
            raise WorkbookRefused("Berkas melebihi 10 MB.")
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = data.decode("cp1252")  # an older Excel's "CSV"
        try:
            dialect: Any = csv.Sniffer().sniff(text[:4096], delimiters=";,\t")
        except csv.Error:
            dialect = csv.excel
        return [list(row) for row in csv.reader(io.StringIO(text), dialect)]
    check_file(data)
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (InvalidFileException, KeyError, ValueError, OSError) as error:
        raise WorkbookRefused("Berkas tidak dapat dibaca sebagai CSV atau buku kerja Excel (.xlsx).") from error
    try:
        return [list(row) for row in book.worksheets[0].iter_rows(values_only=True)]
    finally:
        book.close()
