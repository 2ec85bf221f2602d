"""SIPD's Lampiran APBD (the "format SIPD" sheet of Lampiran 8, sakip-wave2.md §6.2), CSV or XLSX,
read by position as SIPD lays it out: A kode unit, B urusan, C bidang, D program, E kegiatan
(`2.01`), F sub-kegiatan, G uraian, K pagu. A row with a program is a budget line (program, + the
kegiatan, + the sub-kegiatan); a row with a unit code and only an uraian names the unit; urusan
and bidang headings (no program, or program `00`), headers, TOTAL/JUMLAH and signature rows are
skipped. An empty pagu stays empty. A cell that cannot be read is named by line before anything is
sent to importApbdBudget, which checks the rest."""

import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from documents.realisation_workbook import WorkbookRefused
from documents.tabular import cell_text, read_table
from domain.apbd import MAX_APBD_LINES, normalise_unit_code

UNIT, URUSAN, BIDANG, PROGRAM, KEGIATAN, SUB_KEGIATAN, URAIAN, PAGU = 0, 1, 2, 3, 4, 5, 6, 10
SKIPPED_URAIAN = ("total", "jumlah")
# Dots grouping thousands in a typed amount: `1.250.000.000` (a single `1.5` is a decimal point).
GROUPED = re.compile(r"^-?\d{1,3}(\.\d{3})+$")


@dataclass(frozen=True)
class ApbdFileLine:
    line: int  # the row's line in the file (the first row is line 1)
    unit_code: str
    code: str  # urusan.bidang.program[.kegiatan[.sub]] as typed; importApbdBudget normalises it
    name: str
    pagu: Decimal | None


@dataclass
class ApbdFile:
    lines: list[ApbdFileLine] = field(default_factory=list)
    unit_names: dict[str, str] = field(default_factory=dict)  # normalised unit code → the sheet's name
    problems: list[str] = field(default_factory=list)  # "Baris N: …"


def _cell(cells: list[Any], index: int) -> str:
    return cell_text(cells[index]) if index < len(cells) else ""


def pagu_of(value: object) -> Decimal | str | None:
    """A pagu cell: a number as Excel stored it, or typed Indonesian style (`1.250.000.000,50`,
    `1250000000`); None when empty; the text itself when it is no number."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int | Decimal):
        return Decimal(value)
    if isinstance(value, float):
        return Decimal(repr(value))  # the shortest text that is this float: 750500000.5, not its binary tail
    text = str(value).strip().replace(" ", "").removeprefix("Rp").removeprefix("rp")
    if "," in text:
        text = text.replace(".", "").replace(",", ".")
    elif GROUPED.match(text):
        text = text.replace(".", "")
    try:
        amount = Decimal(text)
    except InvalidOperation:
        return str(value).strip()
    return amount if amount.is_finite() else str(value).strip()


def _is_code(text: str) -> bool:
    return bool(text) and text[0].isdigit()


def read_apbd_file(data: bytes, filename: str, content_type: str = "") -> ApbdFile:
    """The sheet's budget lines and unit names; WorkbookRefused when it cannot be read or holds
    no budget line."""
    table = read_table(data, filename, content_type)
    read = ApbdFile()
    for line, cells in enumerate(table, start=1):
        unit = _cell(cells, UNIT)
        uraian = " ".join(_cell(cells, URAIAN).split())
        if not _is_code(unit) or uraian.lower().startswith(SKIPPED_URAIAN):
            continue
        segments = [_cell(cells, index) for index in (URUSAN, BIDANG, PROGRAM, KEGIATAN, SUB_KEGIATAN)]
        unit_code = normalise_unit_code(unit)
        if not any(segments):
            if uraian:
                read.unit_names.setdefault(unit_code, uraian)
            continue
        if segments[2].strip("0") == "":
            continue  # an urusan or bidang heading
        if isinstance(cells[KEGIATAN], float) and not cells[KEGIATAN].is_integer():
            read.problems.append(
                f"Baris {line}: Kegiatan (kolom E) harus teks seperti 2.01; sel angka {cells[KEGIATAN]} bisa berarti "
                "2.01 atau 2.10. Format kolom sebagai teks."
            )
            continue
        pagu = pagu_of(cells[PAGU] if len(cells) > PAGU else None)
        if isinstance(pagu, str):
            read.problems.append(f"Baris {line}: Pagu (kolom K) harus angka Rupiah, bukan '{pagu}'.")
            continue
        if len(read.lines) >= MAX_APBD_LINES:
            raise WorkbookRefused(f"Berkas berisi lebih dari {MAX_APBD_LINES:,} baris anggaran.".replace(",", "."))
        code = ".".join(segment for segment in segments if segment)
        read.lines.append(ApbdFileLine(line, unit_code, code, uraian, pagu))
    if not read.lines and not read.problems:
        raise WorkbookRefused(
            "Berkas tidak berisi baris anggaran: kolom A kode unit, B–F kode urusan sampai sub kegiatan, G uraian, "
            "K pagu (format Lampiran APBD SIPD)."
        )
    return read
