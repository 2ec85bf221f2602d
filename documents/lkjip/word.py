"""The LKjIP as a Word document officials finish in Word (python-docx): the same chapters and
tables as the PDF, headers of every table repeated across pages, on A4 or F4."""

import io
from typing import Any

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from lxml.etree import SubElement

from documents.lkjip import tables
from domain.budget import rupiah
from domain.lkjip import PAPER_MM, SECTION_TITLES, LkjipFigures, Paper, Section
from domain.notation import CATEGORY_NAMES, indonesian_fixed


def _heading(document: Any, text: str, level: int) -> None:
    document.add_heading(text, level=level).alignment = WD_ALIGN_PARAGRAPH.CENTER if level == 1 else None


def _page_break(document: Any) -> None:
    document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)


def _text(document: Any, text: str) -> None:
    for part in [p.strip() for p in text.split("\n\n") if p.strip()] or ["-"]:
        document.add_paragraph(part).alignment = WD_ALIGN_PARAGRAPH.JUSTIFY


def _run(paragraph: Any, text: str, *, bold: bool = False, right: bool = False) -> None:
    """A paragraph's text written straight into its XML: python-docx's cell API (`cell.text`,
    `add_row`) re-reads the table's XML for every cell, which made a 50-indicator LKjIP's tables
    1.4 s of its Word document (bench/documents.py)."""
    if right:
        alignment = SubElement(paragraph.get_or_add_pPr(), qn("w:jc"))
        alignment.set(qn("w:val"), "right")
    run = SubElement(paragraph, qn("w:r"))
    if bold:
        SubElement(SubElement(run, qn("w:rPr")), qn("w:b"))
    written = SubElement(run, qn("w:t"))
    written.text = text
    written.set(qn("xml:space"), "preserve")


def _table(document: Any, table: tables.Table, style_id: str) -> None:
    document.add_paragraph().add_run(table.title).bold = True
    body = (*table.rows, *((table.total,) if table.total else ()))
    # Every row at once (python-docx writes the new table's XML in one piece), then the cells.
    grid = document.add_table(rows=1 + len(body), cols=len(table.columns))
    grid._tbl.tblStyle_val = style_id
    header, *rows = grid._tbl.tr_lst
    SubElement(header.get_or_add_trPr(), qn("w:tblHeader")).set(qn("w:val"), "true")  # repeated on every page
    for cell, column in zip(header.tc_lst, table.columns, strict=True):
        _run(cell.p_lst[0], column.title, bold=True)
    for tr, row in zip(rows, body, strict=True):
        for cell, value, column in zip(tr.tc_lst, row, table.columns, strict=True):
            _run(cell.p_lst[0], tables.printed(value, column.kind), right=column.kind is not tables.Kind.TEXT)


def _category(value: object) -> str:
    return CATEGORY_NAMES.get(str(getattr(value, "value", value)), "data belum lengkap")


def word(figures: LkjipFigures, paper: Paper) -> bytes:
    document = Document()
    section = document.sections[0]
    width, height = PAPER_MM[paper]
    section.page_width, section.page_height = Mm(width), Mm(height)
    section.left_margin, section.right_margin = Mm(25), Mm(20)
    style = document.styles["Normal"]
    style.font.name = "Times New Roman"
    style.font.size = Pt(11)
    summary = figures.summary
    grid = document.styles["Table Grid"].style_id

    for line in (figures.government_name.upper(), figures.unit_name.upper(), ""):
        document.add_paragraph(line).alignment = WD_ALIGN_PARAGRAPH.CENTER
    _heading(document, "LAPORAN KINERJA INSTANSI PEMERINTAH (LKjIP)", 0)
    document.add_paragraph(f"TAHUN {figures.year}").alignment = WD_ALIGN_PARAGRAPH.CENTER
    _page_break(document)

    _heading(document, "KATA PENGANTAR", 1)
    _text(document, figures.section(Section.FOREWORD) or "-")
    _heading(document, "RINGKASAN EKSEKUTIF", 1)
    achieved = (
        f" dengan rata-rata capaian {indonesian_fixed(summary.achievement, 2)}% ({_category(summary.category)})"
        if summary.achievement is not None
        else ""
    )
    _text(
        document,
        f"Pada tahun {figures.year}, {figures.unit_name} memperjanjikan {summary.indicators} indikator kinerja; "
        f"{summary.measured} telah terukur{achieved}. Pagu anggaran Rp{rupiah(summary.budget)}, realisasi "
        f"Rp{rupiah(summary.realised)}"
        + (f" (penyerapan {indonesian_fixed(summary.absorption, 2)}%)." if summary.absorption is not None else "."),
    )
    _page_break(document)

    _heading(document, "BAB I PENDAHULUAN", 1)
    for section_kind in (Section.BACKGROUND, Section.DUTIES):
        _heading(document, SECTION_TITLES[section_kind], 2)
        _text(document, figures.section(section_kind))
    _heading(document, "Struktur Organisasi", 2)
    # A pemda's structure is a thousand lines: the style is looked up once (by name, python-docx
    # reads every style of the document each time: 2 s of a pemda's LKjIP).
    bullet = document.styles["List Bullet"].style_id
    for line in figures.structure:
        paragraph = document.add_paragraph(line.strip())
        if line.startswith(" "):
            paragraph._p.style = bullet
    _heading(document, SECTION_TITLES[Section.STRATEGIC_ISSUES], 2)
    _text(document, figures.section(Section.STRATEGIC_ISSUES))
    _page_break(document)

    _heading(document, "BAB II PERENCANAAN KINERJA", 1)
    if figures.plan:
        _text(document, f"Perjanjian kinerja disusun berdasarkan {figures.plan.name} (versi {figures.plan.version}).")
        if figures.plan.vision:
            _text(document, f"Visi: {figures.plan.vision}")
    _table(document, tables.agreement(figures.objectives), grid)
    _page_break(document)

    _heading(document, "BAB III AKUNTABILITAS KINERJA", 1)
    _heading(document, "A. Capaian Kinerja Organisasi", 2)
    for number, objective in enumerate(figures.objectives, start=1):
        _heading(document, f"Sasaran {number}: {objective.name}", 3)
        for table in tables.objective_tables(objective, figures.year):
            _table(document, table, grid)
        for account in objective.indicators:
            paragraph = document.add_paragraph()
            paragraph.add_run(f"{account.name}. ").bold = True
            paragraph.add_run(
                f"Faktor pendukung: {account.analysis.supporting or '-'} "
                f"Faktor penghambat: {account.analysis.inhibiting or '-'} "
                f"Upaya yang dilakukan: {account.analysis.actions or '-'}"
            )
    _heading(document, "B. Realisasi Anggaran", 2)
    _table(document, tables.budget_realisation(figures), grid)
    _page_break(document)

    _heading(document, "BAB IV PENUTUP", 1)
    for section_kind in (Section.CONCLUSION, Section.NEXT_STEPS):
        _heading(document, SECTION_TITLES[section_kind], 2)
        _text(document, figures.section(section_kind))
    for line in (
        "",
        figures.head.title,
        "",
        "",
        figures.head.name,
        f"NIP. {figures.head.nip}" if figures.head.nip else "",
    ):
        document.add_paragraph(line).alignment = WD_ALIGN_PARAGRAPH.RIGHT
    _page_break(document)

    _heading(document, "LAMPIRAN", 1)
    _table(document, tables.agreement(figures.objectives), grid)
    _table(document, tables.agreement_budget(figures), grid)
    _table(document, tables.key_indicators(figures.objectives), grid)
    _table(document, tables.measurement(figures.objectives, objective_column=True), grid)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
