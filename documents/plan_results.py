"""The results form of a plan (Permendagri 86/2017 E.78 for an RPJMD, E.79 for a Renstra) as a
workbook: numbers stay numbers in Indonesian formats, a figure that does not exist is "-" (never
0), each indicator's K columns beside its program's Rp columns (domain/plan_results.py)."""

import io
from collections.abc import Sequence
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from domain.plan_results import BudgetResult, IndicatorResult, PlanResults

EMPTY = "-"
NUMBER, PERCENT, RUPIAH = "#,##0.######", "0.00", "#,##0"
HEADER_FILL = PatternFill("solid", fgColor="E8E8E8")
KIND_NAMES = {"OBJECTIVE": "Sasaran", "PROGRAM": "Program"}


def _groups(results: PlanResults) -> list[tuple[str, int]]:
    """The form's column groups and their widths (2: a K column and an Rp column)."""
    n = results.year_of_plan
    return [
        ("No", 1),
        ("Sasaran / Program", 1),
        ("Indikator Kinerja", 1),
        ("Satuan", 1),
        ("Data Capaian Awal Tahun Perencanaan", 1),
        (f"Target Akhir Tahun Perencanaan ({results.last_year})", 2),
        (f"Target Tahun ke-{n} ({results.year})", 2),
        (f"Capaian Target Tahun ke-{n}", 2),
        (f"Tingkat Capaian Target Tahun ke-{n} (%)", 2),
        (f"Capaian s.d. Tahun ke-{n}", 2),
        ("Rasio Capaian Akhir (%)", 2),
    ]


def _pairs(indicator: IndicatorResult | None, budget: BudgetResult | None) -> list[Decimal | None]:
    """The six K / Rp pairs of a row, in the form's order."""
    k: Sequence[Decimal | None] = (None,) * 6
    if indicator:
        k = (indicator.end_target, indicator.year_target, indicator.realisation, indicator.achievement,
             indicator.to_date, indicator.end_ratio)  # fmt: skip
    rp: Sequence[Decimal | None] = (None,) * 6
    if budget:
        rp = (budget.end_budget, budget.year_budget, budget.year_spending, budget.year_absorption,
              budget.spending_to_date, budget.end_absorption)  # fmt: skip
    return [value for pair in zip(k, rp, strict=True) for value in pair]


PAIR_FORMATS = (NUMBER, RUPIAH, NUMBER, RUPIAH, NUMBER, RUPIAH, PERCENT, PERCENT, NUMBER, RUPIAH, PERCENT, PERCENT)


def workbook(results: PlanResults) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = results.form
    title = (
        f"Formulir {results.form}: Evaluasi terhadap Hasil {'RPJMD' if results.form == 'E.78' else 'Renstra'} "
        f"{results.unit_name}, Tahun ke-{results.year_of_plan} ({results.year}) {results.plan_name}"
    )
    sheet.append([title])
    sheet["A1"].font = Font(bold=True)
    sheet.append(["Permendagri 86/2017. K: kinerja; Rp: anggaran. '-': tidak ada data (bukan nol)."])
    column = 1
    for heading, width in _groups(results):
        sheet.cell(3, column, heading)
        if width == 2:
            sheet.cell(4, column, "K")
            sheet.cell(4, column + 1, "Rp")
            sheet.merge_cells(start_row=3, start_column=column, end_row=3, end_column=column + 1)
        else:
            sheet.merge_cells(start_row=3, start_column=column, end_row=4, end_column=column)
        column += width
    for row in (3, 4):
        for cell in sheet[row]:
            cell.font, cell.fill = Font(bold=True), HEADER_FILL
            cell.alignment = Alignment(wrap_text=True, vertical="top", horizontal="center")
    for number, result in enumerate(results.rows, start=1):
        label = f"{KIND_NAMES[result.kind]} {result.code}: {result.name}"
        lines: list[IndicatorResult | None] = [*result.indicators] or [None]
        for index, indicator in enumerate(lines):
            budget = result.budget if index == 0 else None
            head: list[object] = [number if index == 0 else "", label if index == 0 else ""]
            head += [indicator.name, indicator.unit_of_measure, indicator.baseline] if indicator else ["", "", None]
            values = [*head, *_pairs(indicator, budget)]
            sheet.append([EMPTY if value is None else value for value in values])
            line = sheet.max_row
            sheet.cell(line, 5).number_format = NUMBER
            for offset, format in enumerate(PAIR_FORMATS):
                sheet.cell(line, 6 + offset).number_format = format
            for col in (2, 3):
                sheet.cell(line, col).alignment = Alignment(wrap_text=True, vertical="top")
    for index, width in enumerate((5, 45, 40, 10, 14, *([14] * 12)), start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "C5"
    output = io.BytesIO()
    book.save(output)
    return output.getvalue()
