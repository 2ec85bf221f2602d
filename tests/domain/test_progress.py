"""Monthly progress: line checks, a unit's month at its finest level, the budget in force, the
month's deadline, and the monev period (domain/progress.py, domain/monev.MonevPeriod)."""

from datetime import date
from decimal import Decimal as D

import pytest

from domain.budget import sipd_code
from domain.errors import DomainError
from domain.monev import MonevPeriod
from domain.progress import (
    BudgetKind,
    ProgressLine,
    check_line,
    in_force,
    month_deadline,
    progress_of,
    unit_progress,
)


def line(code: str, pagu: str, physical: str, spent: str, *, target: str = "0", planned: str = "0") -> ProgressLine:
    return ProgressLine(sipd_code(code), D(pagu), D(target), D(physical), D(planned), D(spent))


def test_w8_absorption_is_realisation_over_pagu() -> None:
    month = unit_progress([line("5.01.01", "855830897000", "80", "734881464333")])
    assert month.absorption is not None and round(month.absorption, 2) == D("85.87")


def test_physical_progress_weighs_each_line_by_its_pagu() -> None:
    # simonev21's bobot: 300 jt at 50 % and 100 jt at 90 % make (150 + 90) / 400 = 60 %, not 70 %.
    month = unit_progress(
        [
            line("5.01.01.2.01.0001", "300000000", "50", "120000000", planned="150000000"),
            line("5.01.01.2.01.0002", "100000000", "90", "80000000", planned="100000000"),
        ]
    )
    assert month.physical == D(60)
    assert month.absorption == D(50)  # 200 jt of 400 jt
    assert month.plan_absorption == D(80)  # 200 jt of the 250 jt planned to date


def test_a_program_and_its_own_sub_kegiatan_are_never_counted_twice() -> None:
    lines = [
        line("5.01.01", "400000000", "10", "40000000"),
        line("5.01.01.2.01.0001", "400000000", "70", "280000000"),
    ]
    assert unit_progress(lines).physical == D(70)
    assert unit_progress(lines).absorption == D(70)
    # Several units together: each already at its own finest level.
    assert progress_of(
        [line("5.01.01", "100", "20", "10"), line("5.02.01.2.01.0001", "300", "60", "30")]
    ).physical == D(50)


def test_no_pagu_and_no_plan_are_missing_not_zero() -> None:
    assert unit_progress([]).physical is None
    month = unit_progress([line("5.01.01", "100", "10", "0")])
    assert month.physical == D(10) and month.absorption == D(0) and month.plan_absorption is None


def test_percentages_and_spending_are_checked_against_their_bounds() -> None:
    bad = ProgressLine(sipd_code("5.01.01"), D(100), D("100.5"), D("12.12345"), D(101), D(100))
    assert [(e.code, e.field) for e in check_line(bad, "lines.0")] == [
        ("OUT_OF_RANGE", "lines.0.physicalTarget"),
        ("TOO_MANY_DECIMALS", "lines.0.physicalRealisation"),
        ("OVER_BUDGET", "lines.0.financialTarget"),
    ]
    assert check_line(line("5.01.01", "100", "100", "100", target="100", planned="100"), "x") == []


def test_a_month_reads_the_revised_budget_once_there_is_one() -> None:
    murni = [line("5.01.01", "100", "40", "40")]
    perubahan = [line("5.01.01", "120", "30", "40")]
    assert in_force({BudgetKind.MURNI: murni}) == (BudgetKind.MURNI, murni)
    assert in_force({BudgetKind.MURNI: murni, BudgetKind.PERUBAHAN: perubahan}) == (BudgetKind.PERUBAHAN, perubahan)
    assert in_force({}) == (None, [])


def test_a_month_is_due_ten_days_after_it_ends() -> None:
    assert month_deadline(2026, 1) == date(2026, 2, 10)
    assert month_deadline(2024, 2) == date(2024, 3, 10)  # 29 February
    assert month_deadline(2026, 12) == date(2027, 1, 10)


def test_a_period_is_a_quarter_or_a_month_and_knows_the_one_before() -> None:
    july = MonevPeriod.of(2026, None, 7)
    assert (july.quarter, july.month, july.last_month, july.label) == (3, 7, 7, "Juli 2026")
    assert july.previous() == MonevPeriod(2026, 2, 6)
    assert MonevPeriod.of(2026, None, 1).previous() is None
    second = MonevPeriod.of(2026, 2, None)
    assert (second.last_month, second.label, second.previous()) == (6, "Triwulan II 2026", MonevPeriod(2026, 1, 0))
    for quarter, month, field in (
        (None, None, "quarter"),
        (2, 5, "quarter"),
        (None, 13, "month"),
        (5, None, "quarter"),
    ):
        with pytest.raises(DomainError) as refused:
            MonevPeriod.of(2026, quarter, month)
        assert refused.value.field == field
