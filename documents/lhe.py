"""The evaluation report (LHE, Laporan Hasil Evaluasi Akuntabilitas Kinerja; sakip-wave2.md §3.4)
as Word and PDF from one set of figures: the summary with the total and predikat, Bab I the basis
and scope, Bab II the component table (No | Komponen | Bobot | Nilai | Persentase) with the total
and predikat, each component's narrative, and the comparison with the previous year's scores per
component; Bab III the recommendations (rekomendasi). An evaluation not yet FINAL prints as DRAF.
"""

import asyncio
import functools
import io
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Mm, Pt
from jinja2 import Environment, FileSystemLoader, select_autoescape
from sqlalchemy.ext.asyncio import AsyncConnection

from documents.pdf_layout import write_pdf
from domain.lke import GRADE_LABELS, grade_of, rounded
from domain.lke_stages import Stage
from domain.notation import indonesian_date, indonesian_fixed, local_date
from store import identity, lke
from store.identity import Signatory
from store.lke import EvaluationRecord

TEMPLATES = Path(__file__).resolve().parent / "templates"
MAXIMUM = Decimal(100)


@dataclass(frozen=True)
class ComponentLine:
    code: str
    name: str
    weight: Decimal
    score: Decimal
    previous: Decimal | None
    note: str

    @property
    def percent(self) -> Decimal:
        return (self.score * 100 / self.weight).quantize(Decimal("0.01")) if self.weight else Decimal(0)


@dataclass(frozen=True)
class LheFigures:
    unit: str
    year: int
    model: str
    legal_basis: str
    final: bool
    finalised_on: date | None  # in WIB, as the pages show it
    evaluator: Signatory | None  # who finalised the result, as the LHE's signature names them
    total: Decimal
    grade: str
    grade_label: str
    previous_total: Decimal | None
    previous_grade: str | None
    components: list[ComponentLine]
    recommendations: list[tuple[str, str]]
    version: int = 1
    correction_reason: str | None = None
    quality_assured_by: Signatory | None = None
    quality_assured_on: date | None = None


def _scores(record: EvaluationRecord) -> dict[str, Decimal]:
    """Component scores as kept with the total (actions/lke.kept_scores)."""
    return {c["code"]: Decimal(c["score"]) for c in record.component_scores}


async def lhe_figures(conn: AsyncConnection, record: EvaluationRecord, previous: EvaluationRecord | None) -> LheFigures:
    """The report's figures from the evaluation as it stands (FINAL: as frozen)."""
    model = await lke.model(conn, record.model_id)
    now = _scores(record)
    before = _scores(previous) if previous is not None and previous.model_id == record.model_id else {}
    components = [
        ComponentLine(
            c.code,
            c.name,
            rounded(c.weight),
            now.get(c.code, Decimal(0)),
            before.get(c.code),
            record.component_notes.get(c.code, ""),
        )
        for c in model.components
    ]
    names = {c.code: c.name for c in model.components}
    recommendations = [
        (
            f"Kriteria {r.criterion_code}" if r.criterion_code else f"Komponen {names.get(r.component_code or '', '')}",
            r.text,
        )
        for _, r in await lke.recommendations(conn, [record.id])
    ]
    grade = grade_of(record.total)
    people = await identity.signatories(
        conn, [name for name in (record.finalised_by, record.quality_assured_by) if name is not None]
    )
    return LheFigures(
        unit=record.unit_name,
        year=record.year,
        model=model.name,
        legal_basis=model.legal_basis,
        final=record.state is Stage.FINAL,
        finalised_on=local_date(record.finalised_at) if record.finalised_at else None,
        evaluator=_signatory(people, record.finalised_by),
        total=record.total,
        grade=grade.value,
        grade_label=GRADE_LABELS[grade],
        previous_total=previous.total if previous and previous.state is Stage.FINAL else None,
        previous_grade=previous.grade if previous and previous.state is Stage.FINAL else None,
        components=components,
        recommendations=recommendations,
        version=record.version,
        correction_reason=record.correction_reason,
        quality_assured_by=_signatory(people, record.quality_assured_by),
        quality_assured_on=local_date(record.quality_assured_at) if record.quality_assured_at else None,
    )


def _signatory(people: dict[str, Signatory], username: str | None) -> Signatory | None:
    """The account's holder; an account since removed is named by its username, as the audit log does."""
    if username is None:
        return None
    return people.get(username, Signatory(username, None))


def _number(value: Decimal | None) -> str:
    return "-" if value is None else indonesian_fixed(value, 2)


def _title(figures: LheFigures) -> list[str]:
    lines = [
        "LAPORAN HASIL EVALUASI",
        "AKUNTABILITAS KINERJA INSTANSI PEMERINTAH",
        figures.unit.upper(),
        f"TAHUN {figures.year}",
    ]
    return (["DRAF"] if not figures.final else []) + lines


def summary(figures: LheFigures) -> str:
    return (
        f"Hasil evaluasi atas implementasi SAKIP {figures.unit} tahun {figures.year} menunjukkan nilai "
        f'{_number(figures.total)} dari nilai maksimal 100 dengan predikat "{figures.grade}" '
        f"({figures.grade_label.upper()})."
    )


def correction_text(figures: LheFigures) -> str | None:
    """A corrected result says so on its first page: which version it is and why."""
    if figures.correction_reason is None:
        return None
    return (
        f"Laporan ini adalah versi {figures.version}, koreksi atas hasil evaluasi versi {figures.version - 1}, "
        f"dengan alasan: {figures.correction_reason}"
    )


def scope_text(figures: LheFigures) -> str:
    return (
        f"Evaluasi dilaksanakan berdasarkan {figures.legal_basis}, atas komponen "
        + ", ".join(f"{c.name} ({_number(c.weight)})" for c in figures.components)
        + ", melalui penilaian mandiri, verifikasi bukti dukung, penjaminan kualitas, dan penilaian akhir."
    )


def quality_text(figures: LheFigures) -> str | None:
    """Where the quality assurer approved the scoring (penjaminan kualitas), who and when."""
    if figures.quality_assured_by is None or figures.quality_assured_on is None:
        return None
    return (
        f"Penjaminan kualitas atas penilaian telah dilaksanakan dan disetujui oleh {figures.quality_assured_by.name} "
        f"pada {indonesian_date(figures.quality_assured_on)}."
    )


def comparison_text(figures: LheFigures) -> str:
    if figures.previous_total is None:
        return "Belum ada hasil evaluasi final tahun sebelumnya sebagai pembanding."
    change = figures.total - figures.previous_total
    direction = "naik" if change > 0 else "turun" if change < 0 else "tetap"
    return (
        f"Nilai tahun {figures.year} {direction} {_number(abs(change))} dibandingkan tahun {figures.year - 1} "
        f"({_number(figures.previous_total)}, predikat {figures.previous_grade})."
    )


def lhe_docx(figures: LheFigures) -> bytes:
    document = Document()
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Mm(25))
    style = document.styles["Normal"]
    style.font.name = "Times New Roman"
    style.font.size = Pt(12)
    for line in _title(figures):
        paragraph = document.add_paragraph()
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        paragraph.add_run(line).bold = True
    document.add_heading("Ringkasan", level=2)
    document.add_paragraph(summary(figures))
    correction = correction_text(figures)
    if correction is not None:
        document.add_paragraph(correction)
    document.add_heading("Bab I Pendahuluan", level=2)
    document.add_paragraph(scope_text(figures))
    quality = quality_text(figures)
    if quality is not None:
        document.add_paragraph(quality)
    document.add_heading("Bab II Hasil Evaluasi", level=2)
    _table(
        document,
        ["No", "Komponen", "Bobot", "Nilai", "Persentase Capaian (%)"],
        [
            [str(i), c.name, _number(c.weight), _number(c.score), _number(c.percent)]
            for i, c in enumerate(figures.components, 1)
        ]
        + [
            ["", "Jumlah", _number(MAXIMUM), _number(figures.total), ""],
            ["", "Predikat", "", f"{figures.grade} ({figures.grade_label})", ""],
        ],
    )
    for component in figures.components:
        if component.note:
            document.add_paragraph().add_run(component.name).bold = True
            document.add_paragraph(component.note)
    document.add_paragraph().add_run("Perbandingan dengan tahun sebelumnya").bold = True
    _table(
        document,
        ["No", "Komponen", "Bobot", f"Nilai Tahun {figures.year - 1}", f"Nilai Tahun {figures.year}"],
        [
            [str(i), c.name, _number(c.weight), _number(c.previous), _number(c.score)]
            for i, c in enumerate(figures.components, 1)
        ]
        + [["", "Jumlah", _number(MAXIMUM), _number(figures.previous_total), _number(figures.total)]],
    )
    document.add_paragraph(comparison_text(figures))
    document.add_heading("Bab III Rekomendasi", level=2)
    if not figures.recommendations:
        document.add_paragraph("Tidak ada rekomendasi.")
    for number, (subject, text) in enumerate(figures.recommendations, 1):
        document.add_paragraph(f"{number}. {text} ({subject})")
    _signature(document, figures)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _table(document: Any, header: list[str], rows: list[list[str]]) -> None:
    table = document.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, header, strict=True):
        cell.text = ""
        cell.paragraphs[0].add_run(text).bold = True
    for row in rows:
        cells = table.add_row().cells
        for index, (cell, text) in enumerate(zip(cells, row, strict=True)):
            cell.text = text
            if index >= 2:
                cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT


def signature_lines(figures: LheFigures) -> list[str]:
    when = indonesian_date(figures.finalised_on) if figures.finalised_on else "(belum final)"
    lines = [when, "Tim Evaluator", figures.evaluator.name if figures.evaluator else ""]
    if figures.evaluator is not None and figures.evaluator.nip:
        lines.append(f"NIP. {figures.evaluator.nip}")
    return lines


def _signature(document: Any, figures: LheFigures) -> None:
    for line in signature_lines(figures):
        paragraph = document.add_paragraph(line)
        paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT


@functools.cache
def _environment() -> Environment:
    return Environment(
        loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(default=True), auto_reload=False
    )


def lhe_html(figures: LheFigures) -> str:
    return (
        _environment()
        .get_template("lhe/lhe.html")
        .render(
            f=figures,
            title=_title(figures),
            summary=summary(figures),
            correction=correction_text(figures),
            quality=quality_text(figures),
            scope=scope_text(figures),
            comparison=comparison_text(figures),
            signature=signature_lines(figures),
            number=_number,
            maximum=MAXIMUM,
        )
    )


async def lhe_pdf(figures: LheFigures) -> bytes:
    return await asyncio.to_thread(write_pdf, lhe_html(figures), str(TEMPLATES))


async def render_lhe(conn: AsyncConnection, record: EvaluationRecord) -> tuple[bytes, bytes]:
    """The LHE as (docx, pdf) from the evaluation as it stands (actions/lke.finalise freezes it)."""
    previous = await lke.evaluation_of(conn, record.org_unit_id, record.year - 1)
    figures = await lhe_figures(conn, record, previous)
    return lhe_docx(figures), await lhe_pdf(figures)
