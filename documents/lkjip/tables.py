"""The LKjIP's tables, built once from the figures and printed alike by the PDF, the Word
document and the workbook: a cell is text, an exact number or empty ("-", never 0)."""

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import Enum

from domain.budget import rupiah
from domain.lkjip import BudgetAccount, IndicatorAccount, LkjipFigures, ObjectiveAccount
from domain.notation import CATEGORY_NAMES, indonesian_fixed, indonesian_number

Cell = str | Decimal | None
EMPTY = "-"


class Kind(Enum):
    TEXT = "TEXT"
    NUMBER = "NUMBER"  # a measured value: `1.234,5`
    PERCENT = "PERCENT"  # two places: `85,87`
    RUPIAH = "RUPIAH"  # whole Rupiah: `855.830.897.000`


@dataclass(frozen=True)
class Column:
    title: str
    kind: Kind = Kind.TEXT


@dataclass(frozen=True)
class Table:
    title: str
    columns: tuple[Column, ...]
    rows: tuple[tuple[Cell, ...], ...]
    total: tuple[Cell, ...] | None = None

    def widths(self) -> list[int]:
        """Each column's share of the page width in percent: a number or a short label takes
        less room than a name or a sentence (the PDF lays tables out with these, fixed)."""
        weights = [_WEIGHTS[column.kind] if column.title not in _NARROW else 1 for column in self.columns]
        total = sum(weights)
        return [round(weight * 100 / total) for weight in weights]


_WEIGHTS = {Kind.TEXT: 4, Kind.NUMBER: 2, Kind.PERCENT: 2, Kind.RUPIAH: 3}
_NARROW = {"No", "Satuan", "Kode", "Tahun akhir"}


def printed(cell: Cell, kind: Kind) -> str:
    """A cell as the PDF and the Word document print it."""
    if cell is None or cell == "":
        return EMPTY
    if isinstance(cell, str):
        return cell
    if kind is Kind.PERCENT:
        return indonesian_fixed(cell, 2)
    if kind is Kind.RUPIAH:
        return rupiah(cell)
    return indonesian_number(cell)


def _category(name: object) -> str:
    value = getattr(name, "value", None)
    return CATEGORY_NAMES.get(str(value), EMPTY) if value else EMPTY


def _target(account: IndicatorAccount) -> str | Decimal | None:
    figure = account.this_year
    if figure.target is not None and figure.target_high is not None:
        return f"{indonesian_number(figure.target)} – {indonesian_number(figure.target_high)}"
    return figure.target


def _with_objective(objective: ObjectiveAccount | None, first: bool) -> tuple[Cell, ...]:
    if objective is None:
        return ()
    return (objective.name if first else "",)


def _objective_column(objective_column: bool) -> tuple[Column, ...]:
    return (Column("Sasaran"),) if objective_column else ()


def measurement(objectives: Sequence[ObjectiveAccount], *, objective_column: bool) -> Table:
    """Analysis 1: target against realisation of the year (the measurement table, Lampiran)."""
    rows: list[tuple[Cell, ...]] = []
    number = 0
    for objective in objectives:
        for index, account in enumerate(objective.indicators):
            number += 1
            rows.append(
                (
                    str(number),
                    *_with_objective(objective if objective_column else None, index == 0),
                    account.name,
                    account.unit_of_measure,
                    _target(account),
                    account.this_year.realisation,
                    account.this_year.achievement,
                    _category(account.this_year.category),
                )
            )
    columns = (
        Column("No"),
        *_objective_column(objective_column),
        Column("Indikator Kinerja"),
        Column("Satuan"),
        Column("Target", Kind.NUMBER),
        Column("Realisasi", Kind.NUMBER),
        Column("Capaian (%)", Kind.PERCENT),
        Column("Kategori"),
    )
    return Table("Target dan realisasi kinerja", columns, tuple(rows))


def against_earlier_years(objectives: Sequence[ObjectiveAccount], year: int) -> Table:
    """Analysis 2: the realisation and capaian of the years before."""
    years = [year - 2, year - 1, year]
    rows: list[tuple[Cell, ...]] = []
    for objective in objectives:
        for account in objective.indicators:
            by_year = {f.year: f for f in (*account.earlier, account.this_year)}
            cells: list[Cell] = [account.name]
            for y in years:
                figure = by_year.get(y)
                cells += [figure.realisation if figure else None, figure.achievement if figure else None]
            rows.append(tuple(cells))
    columns = [Column("Indikator Kinerja")]
    for y in years:
        columns += [Column(f"Realisasi {y}", Kind.NUMBER), Column(f"Capaian {y} (%)", Kind.PERCENT)]
    return Table("Dibandingkan dengan tahun-tahun sebelumnya", tuple(columns), tuple(rows))


def against_medium_term(objectives: Sequence[ObjectiveAccount], year: int) -> Table:
    """Analysis 3: this year's realisation against the end-of-period target of the plan."""
    rows = [
        (
            account.name,
            account.medium_term_target,
            str(account.medium_term_year) if account.medium_term_year else None,
            account.this_year.realisation,
            account.medium_term_achievement,
        )
        for objective in objectives
        for account in objective.indicators
    ]
    columns = (
        Column("Indikator Kinerja"),
        Column("Target akhir periode", Kind.NUMBER),
        Column("Tahun akhir"),
        Column(f"Realisasi {year}", Kind.NUMBER),
        Column("Capaian terhadap target jangka menengah (%)", Kind.PERCENT),
    )
    return Table("Dibandingkan dengan target jangka menengah", columns, tuple(rows))


def against_benchmarks(objectives: Sequence[ObjectiveAccount], year: int) -> Table:
    """Analysis 4: against the province and national figures where recorded ("-" when not)."""
    rows = [
        (
            account.name,
            account.this_year.realisation,
            account.benchmark.province,
            account.benchmark.national,
            "; ".join(s for s in (account.benchmark.province_source, account.benchmark.national_source) if s) or None,
        )
        for objective in objectives
        for account in objective.indicators
    ]
    columns = (
        Column("Indikator Kinerja"),
        Column(f"Realisasi {year}", Kind.NUMBER),
        Column("Nilai provinsi", Kind.NUMBER),
        Column("Nilai nasional", Kind.NUMBER),
        Column("Sumber"),
    )
    return Table("Dibandingkan dengan capaian provinsi dan nasional", columns, tuple(rows))


def factors(objectives: Sequence[ObjectiveAccount]) -> Table:
    """Analysis 5: supporting and inhibiting factors and the actions taken (the unit's text)."""
    rows = [
        (
            str(number),
            account.name,
            account.analysis.supporting or None,
            account.analysis.inhibiting or None,
            account.analysis.actions or None,
        )
        for number, account in enumerate((a for o in objectives for a in o.indicators), start=1)
    ]
    columns = (
        Column("No"),
        Column("Indikator Kinerja"),
        Column("Faktor Pendukung"),
        Column("Faktor Penghambat"),
        Column("Upaya untuk Meningkatkan Pencapaian"),
    )
    return Table("Faktor pendukung, penghambat dan upaya", columns, tuple(rows))


def efficiency(lines: Sequence[BudgetAccount], title: str = "Efisiensi penggunaan sumber daya") -> Table:
    """Analysis 6 and 7: the budget items behind the results, their absorption and efficiency,
    and the efficiency value where the government's method reports one (OUTPUT_WEIGHTED)."""
    valued = any(line.efficiency_value is not None for line in lines)
    rows = [
        (str(n), f"{line.code} {line.name}", line.budget, line.realised, line.absorption, line.efficiency,
         *((line.efficiency_value,) if valued else ()))
        for n, line in enumerate(lines, start=1)
    ]  # fmt: skip
    columns = (
        Column("No"),
        Column("Program / Kegiatan"),
        Column("Anggaran (Rp)", Kind.RUPIAH),
        Column("Realisasi (Rp)", Kind.RUPIAH),
        Column("Penyerapan (%)", Kind.PERCENT),
        Column("Efisiensi (%)", Kind.PERCENT),
        *((Column("Nilai Efisiensi (%)", Kind.PERCENT),) if valued else ()),
    )
    return Table(title, columns, tuple(rows))


def budget_realisation(figures: LkjipFigures) -> Table:
    """Bab III B: every budget item of the agreement, per quarter, with the total."""
    lines = figures.budget_lines
    rows = [
        (f"{line.code} {line.name}", line.budget, *line.by_quarter, line.realised, line.absorption) for line in lines
    ]
    total_by_quarter = [
        sum((amount for line in lines if (amount := line.by_quarter[q]) is not None), Decimal(0)) for q in range(4)
    ]
    total = ("TOTAL", figures.summary.budget, *total_by_quarter, figures.summary.realised, figures.summary.absorption)
    columns = (
        Column("Program / Kegiatan"),
        Column("Pagu (Rp)", Kind.RUPIAH),
        Column("Triwulan I", Kind.RUPIAH),
        Column("Triwulan II", Kind.RUPIAH),
        Column("Triwulan III", Kind.RUPIAH),
        Column("Triwulan IV", Kind.RUPIAH),
        Column("Realisasi (Rp)", Kind.RUPIAH),
        Column("Penyerapan (%)", Kind.PERCENT),
    )
    return Table("Realisasi anggaran", columns, tuple(rows), total)


def objective_tables(objective: ObjectiveAccount, year: int) -> list[Table]:
    """The tables of one sasaran in Bab III A, analyses 1–4 and 6–7 (5 is prose)."""
    one = [objective]
    tables = [
        measurement(one, objective_column=False),
        against_earlier_years(one, year),
        against_medium_term(one, year),
        against_benchmarks(one, year),
    ]
    if objective.programs:
        tables.append(efficiency(objective.programs, "Efisiensi sumber daya dan program pendukung"))
    return tables


def workbook_tables(figures: LkjipFigures) -> list[tuple[str, Table]]:
    """Every Bab III table over all sasaran, each a sheet of the workbook."""
    objectives = figures.objectives
    return [
        ("Pengukuran", measurement(objectives, objective_column=True)),
        ("Tahun Sebelumnya", against_earlier_years(objectives, figures.year)),
        ("Jangka Menengah", against_medium_term(objectives, figures.year)),
        ("Pembanding", against_benchmarks(objectives, figures.year)),
        ("Faktor", factors(objectives)),
        ("Efisiensi", efficiency(figures.budget_lines)),
        ("Realisasi Anggaran", budget_realisation(figures)),
    ]


def agreement(objectives: Sequence[ObjectiveAccount]) -> Table:
    """Bab II and Lampiran 1: the year's Perjanjian Kinerja (sasaran | indikator | target | satuan)."""
    rows = [
        (o.name if index == 0 else "", account.name, _target(account), account.unit_of_measure)
        for o in objectives
        for index, account in enumerate(o.indicators)
    ]
    columns = (
        Column("Sasaran Strategis"),
        Column("Indikator Kinerja"),
        Column("Target", Kind.NUMBER),
        Column("Satuan"),
    )
    return Table("Perjanjian kinerja", columns, tuple(rows))


def agreement_budget(figures: LkjipFigures) -> Table:
    rows = [(f"{line.code} {line.name}", line.budget) for line in figures.budget_lines]
    columns = (Column("Program / Kegiatan"), Column("Anggaran (Rp)", Kind.RUPIAH))
    return Table("Anggaran perjanjian kinerja", columns, tuple(rows), ("TOTAL", figures.summary.budget))


def key_indicators(objectives: Sequence[ObjectiveAccount]) -> Table:
    """Lampiran 2: the Indikator Kinerja Utama reported."""
    rows = [(account.code, account.name, account.unit_of_measure) for o in objectives for account in o.indicators]
    return Table(
        "Indikator kinerja utama", (Column("Kode"), Column("Indikator Kinerja"), Column("Satuan")), tuple(rows)
    )
