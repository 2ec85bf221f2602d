"""The LKjIP as PDF: a Jinja2 template (documents/templates/lkjip/) rendered by WeasyPrint on
A4 or F4, page numbers at the foot, table headers repeated on every page, the pemda's own
letterhead where it has one (kop/<government code>.html)."""

import functools
from decimal import Decimal
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape

from documents.lkjip import tables
from documents.lkjip.pdf_parts import lkjip_pdf
from domain.budget import rupiah
from domain.efficiency import METHOD_NAMES
from domain.lkjip import PAPER_CSS, LkjipFigures, Paper
from domain.notation import CATEGORY_NAMES, indonesian_fixed

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"


def _category(value: object) -> str:
    return CATEGORY_NAMES.get(str(getattr(value, "value", value)), tables.EMPTY)


def _paragraphs(text: str) -> list[str]:
    return [part.strip() for part in text.split("\n\n") if part.strip()]


@functools.cache
def _environment() -> Environment:
    environment = Environment(
        loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(default=True), auto_reload=False
    )
    environment.filters.update(
        cell=tables.printed,
        percent=lambda value: indonesian_fixed(Decimal(value), 2),
        rupiah=rupiah,
        category=_category,
        paragraphs=_paragraphs,
        widths=tables.Table.widths,
    )
    return environment


def html(figures: LkjipFigures, paper: Paper) -> str:
    environment = _environment()
    kop = environment.select_template([f"lkjip/kop/{figures.government_code}.html", "lkjip/kop/default.html"])
    return environment.get_template("lkjip/laporan.html").render(
        f=figures,
        s=figures.summary,
        kop=kop,
        paper_css=PAPER_CSS[paper],
        method_name=METHOD_NAMES[figures.efficiency_method].split(" (")[0].lower(),
        objective_tables=[tables.objective_tables(o, figures.year) for o in figures.objectives],
        agreement_table=tables.agreement(figures.objectives),
        agreement_budget=tables.agreement_budget(figures),
        iku_table=tables.key_indicators(figures.objectives),
        measurement_table=tables.measurement(figures.objectives, objective_column=True),
        budget_table=tables.budget_realisation(figures),
        default_foreword=(
            f"Laporan Kinerja Instansi Pemerintah (LKjIP) {figures.unit_name} Tahun {figures.year} disusun "
            "sebagai wujud pertanggungjawaban atas pelaksanaan tugas dan fungsi dalam mencapai sasaran "
            "strategis yang ditetapkan dalam perjanjian kinerja, sesuai Peraturan Presiden Nomor 29 Tahun "
            "2014 dan Peraturan Menteri PANRB Nomor 53 Tahun 2014."
        ),
        default_background=(
            "Sistem Akuntabilitas Kinerja Instansi Pemerintah (SAKIP) mewajibkan setiap instansi pemerintah "
            "melaporkan capaian kinerjanya setiap tahun. Laporan ini menyajikan capaian kinerja dibandingkan "
            "dengan perjanjian kinerja, tahun-tahun sebelumnya, target jangka menengah dan pembanding yang tersedia."
        ),
        default_conclusion=(
            f"Dari {figures.summary.indicators} indikator kinerja yang diperjanjikan, {figures.summary.measured} "
            "telah terukur pada akhir tahun."
        ),
    )


def pdf(figures: LkjipFigures, paper: Paper) -> bytes:
    return lkjip_pdf(html(figures, paper), str(TEMPLATES))
