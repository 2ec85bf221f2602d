"""A long LKjIP laid out in parallel parts (documents/lkjip/pdf_parts.py) reads as the same report
laid out whole: every page numbered in sequence at the foot, the same headings and tables in the
same order, the same outline (bookmarks) each leading to its heading's page, the title kept; the
only difference is that the second part begins on a new page at a sasaran."""

import io
import re
from typing import Any

import pytest
from pypdf import PdfReader

from bench.documents import agency_figures
from documents.lkjip import pdf_parts
from documents.lkjip.pdf import TEMPLATES, html
from documents.pdf_layout import write_pdf
from domain.lkjip import Paper


def _pages(content: bytes) -> list[list[str]]:
    return [page.extract_text().strip().splitlines() for page in PdfReader(io.BytesIO(content)).pages]


def _headings(pages: list[list[str]]) -> list[str]:
    return [line for page in pages for line in page if re.match(r"^(BAB [IV]+|Sasaran \d+:|Lampiran \d)", line)]


def _outline(reader: PdfReader) -> list[tuple[int, str, int]]:
    """Every bookmark as (depth, title, page index), in order."""
    found: list[tuple[int, str, int]] = []

    def walk(items: list[Any], depth: int) -> None:
        for item in items:
            if isinstance(item, list):
                walk(item, depth + 1)
            else:
                page = reader.get_destination_page_number(item)
                assert page is not None, item.title  # every bookmark leads to a page
                found.append((depth, item.title, page))

    walk(reader.outline, 0)
    return found


@pytest.fixture(scope="module")
def report() -> str:
    return html(agency_figures(), Paper.F4)  # 50 indicators over 10 sasaran


def test_a_long_report_is_cut_at_a_sasaran_into_parts_of_about_equal_length(report: str) -> None:
    first, second = pdf_parts.split(report, 2)
    unnumbered = "<style>@page { @bottom-center { content: none; } }</style>"
    assert unnumbered not in first and unnumbered in second  # the first part numbers its own pages
    assert re.match(r"\s*<h4>Sasaran \d+:", second.partition("<body>")[2])
    assert 0.6 < len(first) / len(second) < 1.6
    assert pdf_parts.split(report, 1) == [report]
    assert pdf_parts.split("<html><body><p>tanpa tanda</p></body></html>", 2) == [
        "<html><body><p>tanpa tanda</p></body></html>"
    ]


def test_the_parts_read_as_the_whole_report_numbered_in_sequence(report: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pdf_parts, "PARTS", 2)  # as on a 2-core machine, whatever this one has
    assert len(report) >= pdf_parts.PARALLEL_FROM_CHARS
    whole = write_pdf(report, str(TEMPLATES))
    parallel = pdf_parts.lkjip_pdf(report, str(TEMPLATES))
    whole_pages, parallel_pages = _pages(whole), _pages(parallel)
    # Every page after the cover carries its number at the foot, running on across the parts.
    assert [page[-1] for page in parallel_pages[1:]] == [str(n) for n in range(2, len(parallel_pages) + 1)]
    assert _headings(parallel_pages) == _headings(whole_pages) and len(_headings(whole_pages)) > 10
    # At most the page the second part starts on is added.
    assert len(whole_pages) <= len(parallel_pages) <= len(whole_pages) + 1
    # The same lines of text (the running header and the numbers aside): the pages break
    # differently after the cut, so a table's repeated header row may show once more or less.
    lines, expected = ({line for page in pages[1:] for line in page[:-2]} for pages in (parallel_pages, whole_pages))
    assert lines == expected and len(lines) > 500
    metadata = PdfReader(io.BytesIO(parallel)).metadata
    assert metadata is not None and metadata.title == "LKjIP Dinas Kesehatan Tahun 2025"
    # The same outline, every sasaran under its chapter, each bookmark on its heading's page.
    outline = _outline(PdfReader(io.BytesIO(parallel)))
    expected_outline = _outline(PdfReader(io.BytesIO(whole)))
    assert [(depth, title) for depth, title, _ in outline] == [(depth, title) for depth, title, _ in expected_outline]
    sasaran = [(depth, title) for depth, title, _ in outline if title.startswith("Sasaran ")]
    assert len(sasaran) == 10 and len({depth for depth, _ in sasaran}) == 1 and sasaran[0][0] > 0
    for _, title, page in outline:
        text = "".join(parallel_pages[page]).replace(" ", "")  # a heading's line breaks aside
        assert title.split(":")[0].replace(" ", "") in text, (title, page)


def test_a_short_report_is_laid_out_whole_here(report: str, monkeypatch: pytest.MonkeyPatch) -> None:
    laid_out: list[str] = []

    def lay_out_here(html: str, base_url: str) -> bytes:
        laid_out.append(html)
        return b"%PDF"

    monkeypatch.setattr(pdf_parts, "write_pdf", lay_out_here)
    short = html(agency_figures(indicators=5, objectives=1, lines=2), Paper.A4)
    assert len(short) < pdf_parts.PARALLEL_FROM_CHARS
    assert pdf_parts.lkjip_pdf(short, str(TEMPLATES)) == b"%PDF" and laid_out == [short]
