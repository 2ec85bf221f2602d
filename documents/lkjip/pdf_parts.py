"""A long LKjIP laid out in parallel: split where a new page may start, each part laid out by
WeasyPrint in a process of its own, the parts joined and numbered.

An agency's LKjIP of 50 indicators took 4.3–6.5 s to lay out on one core of this 2-core machine,
against issue 18's 3 s (docs/scaling.md). Layout is CPU work that WeasyPrint does in one thread,
so the document is laid out in as many parts as the machine has cores (at most two), split at the
marks the template leaves where a part may begin (`PART_MARK`: before each chapter, which starts
a page anyway, and before each sasaran of Bab III, which then starts a page where the split falls).
The first part is numbered as a whole report would be; the others are laid out without numbers,
and a blank document of as many pages carrying only the numbers that follow the first part's,
laid out with the report's own page rules, is laid over them page by page (pypdf). The outline
(bookmarks) is built again over the joined pages from every part's headings at their own levels,
as the whole report's would be: a part beginning at a sasaran would otherwise put it at the top of
the outline, outside its chapter. A short report is laid out whole, in this process.
"""

import io
import multiprocessing
import os
import threading
from concurrent.futures import Executor, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from itertools import repeat

import structlog
from pypdf import PdfReader, PdfWriter
from pypdf.generic import Fit, IndirectObject
from weasyprint import HTML

from documents.pdf_layout import write_pdf

log = structlog.get_logger()
PART_MARK = "<!-- part -->"
# Below this an LKjIP (~12 indicators) lays out in about a second: a process hop would not pay.
PARALLEL_FROM_CHARS = 40_000
PARTS = max(1, min(2, os.cpu_count() or 1))
_WITHOUT_NUMBERS = "<style>@page { @bottom-center { content: none; } }</style>"
# The numbers alone, each page's given by its blank block (the page counter of this document
# would start again at 1); every other margin box empty.
_NUMBERS_ONLY = (
    "<style>@page { @top-right { content: none; } @bottom-center { content: string(number); } }"
    " .blank { page-break-after: always; } .blank:last-child { page-break-after: auto; }</style>"
)

_pool: Executor | None = None
_pool_lock = threading.Lock()
_broken = threading.Event()  # set once the workers could not run: lay out here from then on


def _executor() -> Executor:
    """Worker processes, started once and kept (each imports WeasyPrint once). Spawned, not
    forked: the server process runs threads (the event loop's executor) that a fork would copy
    mid-flight."""
    global _pool
    with _pool_lock:
        if _pool is None:
            _pool = ProcessPoolExecutor(max_workers=PARTS, mp_context=multiprocessing.get_context("spawn"))
        return _pool


def _give_up_workers() -> None:
    """A worker died or could not start (a main module a spawned process cannot import, out of
    memory): the report is laid out in this process, now and from then on."""
    global _pool
    with _pool_lock:
        if _pool is not None:
            _pool.shutdown(wait=False, cancel_futures=True)
        _pool = None
        _broken.set()
    log.warning("lkjip_parallel_layout_off")


# WeasyPrint lays out in CSS pixels from the top of the page; PDF places in points from the foot.
POINTS_PER_PIXEL = 0.75


@dataclass(frozen=True)
class Bookmark:
    """A heading of a part as WeasyPrint marks it: its level (h1 = 1, …), its text, the page of
    the part it is on and how far down that page, in points."""

    level: int
    label: str
    page: int
    top: float


def _lay_out(html: str, base_url: str) -> tuple[bytes, list[Bookmark]]:
    """One part, in a worker process: its PDF and its headings."""
    document = HTML(string=html, base_url=base_url).render()
    marks = [
        Bookmark(level, label, number, y * POINTS_PER_PIXEL)
        for number, page in enumerate(document.pages)
        for level, label, (_, y), _ in page.bookmarks
    ]
    return bytes(document.write_pdf()), marks


def add_outline(writer: PdfWriter, parts: list[list[Bookmark]], pages_before: list[int]) -> None:
    """The outline of the joined document: each heading under the nearest heading before it of a
    lower level, across the parts (the rule WeasyPrint applies within one document)."""
    open_at: list[tuple[int, IndirectObject | None]] = []  # (level, outline item) from the root down
    for marks, offset in zip(parts, pages_before, strict=True):
        for mark in marks:
            while open_at and open_at[-1][0] >= mark.level:
                open_at.pop()
            parent = open_at[-1][1] if open_at else None
            page = offset + mark.page
            height = float(writer.pages[page].mediabox.height)
            item = writer.add_outline_item(
                title=mark.label, page_number=page, parent=parent, fit=Fit.xyz(0, height - mark.top)
            )
            open_at.append((mark.level, item))


def split(html: str, parts: int) -> list[str]:
    """The document as up to `parts` documents of about equal length, cut at part marks, each with
    the whole head and without page numbers (one document, unchanged, when it cannot be cut)."""
    head, _, rest = html.partition("<body>")
    body, _, tail = rest.rpartition("</body>")
    pieces = body.split(PART_MARK)
    if parts < 2 or len(pieces) < 2:
        return [html]
    total = sum(map(len, pieces))
    groups: list[list[str]] = [[]]
    done = 0
    for piece in pieces:
        if groups[-1] and len(groups) < parts and done >= total * len(groups) / parts:
            groups.append([])
        groups[-1].append(piece)
        done += len(piece)
    if len(groups) < 2:
        return [html]
    unnumbered = head.replace("</head>", f"{_WITHOUT_NUMBERS}</head>", 1)
    return [f"{head if n == 0 else unnumbered}<body>{''.join(group)}</body>{tail}" for n, group in enumerate(groups)]


def numbers_html(html: str, first: int, pages: int) -> str:
    """A blank document of `pages` pages laid out with the report's page rules, numbered from
    `first`: only the numbers."""
    head = html.partition("<body>")[0].replace("</head>", f"{_NUMBERS_ONLY}</head>", 1)
    blanks = "".join(
        f'<div class="blank" style="string-set: number \'{n}\'"></div>' for n in range(first, first + pages)
    )
    return f"{head}<body>{blanks}</body></html>"


def lkjip_pdf(html: str, base_url: str) -> bytes:
    """The LKjIP's PDF: laid out whole when short, in parallel parts when long."""
    parts = split(html, PARTS) if len(html) >= PARALLEL_FROM_CHARS and not _broken.is_set() else [html]
    if len(parts) == 1:
        return write_pdf(html, base_url)
    try:
        laid_out = list(_executor().map(_lay_out, parts, repeat(base_url)))
    except BrokenProcessPool:
        _give_up_workers()
        return write_pdf(html, base_url)
    readers = [PdfReader(io.BytesIO(pdf)) for pdf, _ in laid_out]
    joined = PdfWriter()
    for reader in readers:
        joined.append(reader, import_outline=False)
    starts = [sum(len(reader.pages) for reader in readers[:n]) for n in range(len(readers))]
    add_outline(joined, [marks for _, marks in laid_out], starts)
    numbered = len(readers[0].pages)
    following = joined.pages[numbered:]
    numbers = PdfReader(io.BytesIO(write_pdf(numbers_html(html, numbered + 1, len(following)), base_url)))
    for page, number in zip(following, numbers.pages, strict=True):
        page.merge_page(number)
        page.compress_content_streams()  # merging leaves the page's drawing uncompressed
    if readers[0].metadata:
        joined.add_metadata({key: str(value) for key, value in readers[0].metadata.items()})
    out = io.BytesIO()
    joined.write(out)
    return out.getvalue()
