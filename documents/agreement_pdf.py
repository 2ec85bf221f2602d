"""A signed Perjanjian Kinerja as PDF (sakip-wave2.md §1.2–1.3), the same pages as the Word
document (documents/agreement.py) from the same frozen snapshot: FOLIO, page 1 the statement of
the parties and their signatures, page 2 the annex (sasaran | indikator | target | satuan, then
the programs, kegiatan or sub kegiatan with their anggaran and the TOTAL) and the signatures."""

import functools
from collections.abc import Mapping
from decimal import Decimal
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape

from documents.agreement import FIRST_PARTY_PROMISE, SECOND_PARTY_PROMISE, SINGLE_PARTY_PROMISE, signed_on
from documents.pdf_layout import write_pdf
from domain.budget import LEVEL_NAMES, BudgetLevel, rupiah
from domain.notation import indonesian_number

TEMPLATES = Path(__file__).resolve().parent / "templates"


@functools.cache
def _environment() -> Environment:
    return Environment(
        loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(default=True), auto_reload=False
    )


def _target(item: Mapping[str, Any]) -> str:
    target = indonesian_number(Decimal(item["target"]))
    if item.get("high") is not None:
        target = f"{target} – {indonesian_number(Decimal(item['high']))}"
    return target


def _objectives(items: list[Mapping[str, Any]]) -> list[tuple[str, list[Mapping[str, Any]]]]:
    """Items grouped by their sasaran in the order signed (a sasaran spans its indicators' rows)."""
    grouped: list[tuple[str, list[Mapping[str, Any]]]] = []
    for item in items:
        if not grouped or grouped[-1][0] != item["objective"]:
            grouped.append((str(item["objective"]), []))
        grouped[-1][1].append(item)
    return grouped


def agreement_html(snapshot: Mapping[str, Any]) -> str:
    second = snapshot["second_party"]
    return (
        _environment()
        .get_template("perjanjian-kinerja/perjanjian.html")
        .render(
            s=snapshot,
            first=snapshot["first_party"],
            second=second,
            signed_on=signed_on(snapshot),
            promises=(FIRST_PARTY_PROMISE, SECOND_PARTY_PROMISE) if second else (SINGLE_PARTY_PROMISE,),
            objectives=[
                (name, [(i, _target(i)) for i in items]) for name, items in _objectives(list(snapshot["items"]))
            ],
            level=LEVEL_NAMES[BudgetLevel(snapshot["budget_level"])].upper(),
            budget_lines=[
                (f"{line['code']} {line['name']}", rupiah(Decimal(line["amount"]))) for line in snapshot["budget_lines"]
            ],
        )
    )


def agreement_pdf(snapshot: Mapping[str, Any]) -> bytes:
    """The .pdf of one signed version."""
    return write_pdf(agreement_html(snapshot), str(TEMPLATES))
