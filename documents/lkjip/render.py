"""The three documents of one LKjIP, rendered off the event loop (layout is CPU work: a
50-indicator PDF takes seconds, docs/scaling.md) and one PDF at a time per process
(documents/pdf_layout.py)."""

import asyncio

from documents.lkjip.pdf import pdf
from documents.lkjip.word import word
from documents.lkjip.workbook import workbook
from domain.lkjip import DocumentFormat, LkjipFigures, Paper, Rendered


def render_one(figures: LkjipFigures, paper: Paper, format: DocumentFormat) -> bytes:
    if format is DocumentFormat.PDF:
        return pdf(figures, paper)
    if format is DocumentFormat.DOCX:
        return word(figures, paper)
    return workbook(figures)


async def render_format(figures: LkjipFigures, paper: Paper, format: DocumentFormat) -> bytes:
    return await asyncio.to_thread(render_one, figures, paper, format)


async def render_all(figures: LkjipFigures, paper: Paper) -> Rendered:
    """What a signature freezes: the PDF, the Word document and the workbook."""
    return Rendered(
        pdf=await render_format(figures, paper, DocumentFormat.PDF),
        docx=await render_format(figures, paper, DocumentFormat.DOCX),
        xlsx=await render_format(figures, paper, DocumentFormat.XLSX),
    )
