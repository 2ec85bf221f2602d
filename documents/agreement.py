"""A signed Perjanjian Kinerja as the Word document officials sign (sakip-wave2.md §1.2–1.3).

Built from the frozen snapshot of the signed version only (store/agreements.py), so the same
version always prints the same text: FOLIO paper (215 × 330 mm); page 1 the statement of both
parties and their signatures, page 2 the annex: Sasaran | Indikator | Target | Satuan, then the
programs, kegiatan or sub kegiatan with their anggaran and the TOTAL, then the signatures again.
"""

import io
from collections.abc import Mapping
from datetime import datetime
from decimal import Decimal
from typing import Any

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.shared import Mm, Pt
from docx.table import Table

from domain.budget import LEVEL_NAMES, BudgetLevel, rupiah
from domain.notation import indonesian_date, indonesian_number

FIRST_PARTY_PROMISE = (
    "Pihak kesatu berjanji akan mewujudkan target kinerja yang seharusnya sesuai lampiran perjanjian ini, "
    "dalam rangka mencapai target kinerja jangka menengah seperti yang telah ditetapkan dalam dokumen "
    "perencanaan. Keberhasilan dan kegagalan pencapaian target kinerja tersebut menjadi tanggung jawab kami."
)
SECOND_PARTY_PROMISE = (
    "Pihak kedua akan memberikan supervisi yang diperlukan serta akan melakukan evaluasi terhadap capaian "
    "kinerja dari perjanjian ini dan mengambil tindakan yang diperlukan dalam rangka pemberian penghargaan "
    "dan sanksi."
)
SINGLE_PARTY_PROMISE = (
    "Berjanji akan mewujudkan target kinerja yang seharusnya sesuai lampiran perjanjian ini, dalam rangka "
    "mencapai target kinerja jangka menengah seperti yang telah ditetapkan dalam dokumen perencanaan. "
    "Keberhasilan dan kegagalan pencapaian target kinerja tersebut menjadi tanggung jawab saya."
)


def agreement_url(agreement_global_id: str, number: int, extension: str = "docx") -> str:
    """Where a signed version is downloaded as docx or pdf (api/documents.py serves it)."""
    return f"/dokumen/perjanjian-kinerja/{agreement_global_id}/{number}.{extension}"


def agreement_document(snapshot: Mapping[str, Any]) -> bytes:
    """The .docx of one signed version."""
    document = Document()
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(215), Mm(330)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Mm(25))
    style = document.styles["Normal"]
    style.font.name = "Times New Roman"
    style.font.size = Pt(12)
    _statement(document, snapshot)
    document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    _annex(document, snapshot)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _centred(document: Any, text: str, *, bold: bool = True) -> None:
    paragraph = document.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    paragraph.add_run(text).bold = bold


def _statement(document: Any, snapshot: Mapping[str, Any]) -> None:
    _centred(document, str(snapshot["title"]))
    _centred(document, str(snapshot["unit"]).upper())
    first, second = snapshot["first_party"], snapshot["second_party"]
    document.add_paragraph(
        "Dalam rangka mewujudkan manajemen pemerintahan yang efektif, transparan dan akuntabel serta "
        "berorientasi pada hasil, kami yang bertanda tangan di bawah ini:"
        if second
        else "Dalam rangka mewujudkan manajemen pemerintahan yang efektif, transparan dan akuntabel serta "
        "berorientasi pada hasil, yang bertanda tangan di bawah ini:"
    )
    _party(document, first, "selanjutnya disebut pihak kesatu." if second else "")
    if second:
        _party(document, second, "selaku atasan pihak kesatu, selanjutnya disebut pihak kedua.")
        document.add_paragraph(FIRST_PARTY_PROMISE)
        document.add_paragraph(SECOND_PARTY_PROMISE)
    else:
        document.add_paragraph(SINGLE_PARTY_PROMISE)
    _signatures(document, snapshot)


def _party(document: Any, party: Mapping[str, Any], role: str) -> None:
    table = document.add_table(rows=2, cols=3)
    for row, (label, value) in zip(table.rows, (("Nama", party["name"]), ("Jabatan", party["title"])), strict=True):
        row.cells[0].text, row.cells[1].text, row.cells[2].text = label, ":", str(value)
    if role:
        document.add_paragraph(role)


def signed_on(snapshot: Mapping[str, Any]) -> str:
    signed = snapshot.get("signed") or {}
    moments = [s.get("at") for s in signed.values() if s and s.get("at")]
    return indonesian_date(max(datetime.fromisoformat(m) for m in moments).date()) if moments else ""


def _signatures(document: Any, snapshot: Mapping[str, Any]) -> None:
    paragraph = document.add_paragraph(signed_on(snapshot))
    paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    first, second = snapshot["first_party"], snapshot["second_party"]
    columns = [("PIHAK KEDUA", second), ("PIHAK KESATU", first)] if second else [("", None), ("", first)]
    table = document.add_table(rows=4, cols=2)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for column, (heading, party) in enumerate(columns):
        if party is None:
            continue
        cells = [table.rows[row].cells[column] for row in range(4)]
        cells[0].text = heading or str(party["title"]).upper()
        cells[1].text = "\n\n\n"
        cells[2].text = str(party["name"])
        cells[3].text = f"NIP. {party['nip']}" if party.get("nip") else ""
        for cell in cells:
            cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER


def _annex(document: Any, snapshot: Mapping[str, Any]) -> None:
    _centred(document, f"LAMPIRAN {snapshot['title']}")
    _centred(document, str(snapshot["unit"]).upper())
    items = list(snapshot["items"])
    table = document.add_table(rows=1, cols=5)
    table.style = "Table Grid"
    _header(table, ("No", "Sasaran Strategis", "Indikator Sasaran", "Target", "Satuan"))
    number = 0
    previous: str | None = None
    first_row_of_objective = None
    for item in items:
        cells = table.add_row().cells
        if item["objective"] != previous:
            number += 1
            cells[0].text, cells[1].text = str(number), str(item["objective"])
            first_row_of_objective = cells
            previous = item["objective"]
        elif first_row_of_objective is not None:
            # The sasaran spans the rows of its indicators, as the printed form has it.
            first_row_of_objective[0].merge(cells[0])
            first_row_of_objective[1].merge(cells[1])
        target = indonesian_number(Decimal(item["target"]))
        if item.get("high") is not None:
            target = f"{target} – {indonesian_number(Decimal(item['high']))}"
        cells[2].text, cells[3].text, cells[4].text = str(item["indicator"]), target, str(item["unit_of_measure"])
    document.add_paragraph()
    level = LEVEL_NAMES[BudgetLevel(snapshot["budget_level"])].upper()
    budget = document.add_table(rows=1, cols=3)
    budget.style = "Table Grid"
    _header(budget, ("No", level, "ANGGARAN (Rp)"))
    for number, line in enumerate(snapshot["budget_lines"], start=1):
        cells = budget.add_row().cells
        cells[0].text, cells[1].text = str(number), f"{line['code']} {line['name']}"
        cells[2].text = rupiah(Decimal(line["amount"]))
        cells[2].paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
    total = budget.add_row().cells
    total[0].merge(total[1]).text = "TOTAL"
    total[2].text = str(snapshot["budget_total_text"])
    total[2].paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
    _signatures(document, snapshot)


def _header(table: Table, titles: tuple[str, ...]) -> None:
    for cell, title in zip(table.rows[0].cells, titles, strict=True):
        cell.text = ""
        cell.paragraphs[0].add_run(title).bold = True
        cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
