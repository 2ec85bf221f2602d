"""The LKjIP's rules with the reference's worked examples (sakip-wave2.md §2.3, W8)."""

from datetime import date
from decimal import Decimal

import pytest

from domain.efficiency import (
    EfficiencyMethod,
    OutputSpend,
    Spend,
    absorption,
    efficiency,
    efficiency_value,
    output_weighted,
    unspent_budget,
)
from domain.enums import AchievementCategory
from domain.errors import DomainError
from domain.lkjip import (
    Analysis,
    Benchmark,
    DocumentState,
    IndicatorAccount,
    YearFigure,
    as_json,
    budget_account,
    check_signing,
    deadline,
    mean_achievement,
    objective_account,
    version_state,
)
from domain.workflow import ReportState


def test_absorption_of_the_worked_example_is_85_87_percent() -> None:
    # W8: pagu 855.830.897.000, realisation 734.881.464.333.
    assert absorption(Decimal(855_830_897_000), Decimal(734_881_464_333)) == Decimal("85.87")
    assert absorption(Decimal(0), Decimal(10)) is None


def test_unspent_budget_counts_only_when_the_targets_were_met() -> None:
    # W8: pagu 1.000.000.000, realisation 889.900.000, IKU met → 11,01 %.
    assert unspent_budget(Decimal(1_000_000_000), Decimal(889_900_000), targets_met=True) == Decimal("11.01")
    assert unspent_budget(Decimal(1_000_000_000), Decimal(889_900_000), targets_met=False) is None
    spend = Spend(Decimal(1_000_000_000), Decimal(889_900_000), Decimal("100.00"))
    assert efficiency(EfficiencyMethod.UNSPENT_BUDGET, [spend]) == Decimal("11.01")
    short = Spend(Decimal(1_000_000_000), Decimal(889_900_000), Decimal("99.99"))
    assert efficiency(EfficiencyMethod.UNSPENT_BUDGET, [short]) is None


def test_output_weighted_efficiency_weighs_each_output_by_its_achievement() -> None:
    # E = Σ(PAK·CK − RAK) / Σ(PAK·CK) × 100: (100·1 − 80) + (200·0,5 − 90) = 30 over 200 → 15 %.
    outputs = [
        OutputSpend(Decimal(100), Decimal(1), Decimal(80)),
        OutputSpend(Decimal(200), Decimal("0.5"), Decimal(90)),
    ]
    assert output_weighted(outputs) == Decimal("15.00")
    assert output_weighted([OutputSpend(Decimal(100), Decimal(0), Decimal(10))]) is None
    spends = [Spend(Decimal(100), Decimal(80), Decimal(100)), Spend(Decimal(200), Decimal(90), Decimal(50))]
    assert efficiency(EfficiencyMethod.OUTPUT_WEIGHTED, spends) == Decimal("15.00")
    # Without an achievement to weigh by, nothing is claimed.
    assert efficiency(EfficiencyMethod.OUTPUT_WEIGHTED, [Spend(Decimal(100), Decimal(80), None)]) is None


def test_an_output_weighted_efficiency_is_reported_with_its_value() -> None:
    # 50 % + (E/20 × 50 %): the Inspektorat Jenderal's LAKIP 2019, E = 74,03 → 235 %.
    assert efficiency_value(EfficiencyMethod.OUTPUT_WEIGHTED, Decimal("74.03")) == Decimal("235.08")
    assert efficiency_value(EfficiencyMethod.OUTPUT_WEIGHTED, Decimal(0)) == Decimal("50.00")
    assert efficiency_value(EfficiencyMethod.OUTPUT_WEIGHTED, None) is None  # no E, no value
    for other in (EfficiencyMethod.ABSORPTION, EfficiencyMethod.UNSPENT_BUDGET):  # they report E itself
        assert efficiency_value(other, Decimal("74.03")) is None


def test_a_budget_item_sums_its_quarters_and_keeps_the_empty_ones_empty() -> None:
    line = budget_account(
        code="1.02.02",
        name="Program",
        level="PROGRAM",
        budget=Decimal(855_830_897_000),
        by_quarter=[Decimal(200_000_000_000), None, Decimal(534_881_464_333), None],
        method=EfficiencyMethod.ABSORPTION,
        achievement=None,
    )
    assert line.realised == Decimal(734_881_464_333)
    assert line.absorption == line.efficiency == Decimal("85.87")
    assert line.by_quarter[1] is None


def test_the_lkjip_is_due_three_months_after_the_year() -> None:
    assert deadline(2025) == date(2026, 3, 31)
    assert deadline(2027) == date(2028, 3, 31)


def test_signing_waits_for_asistensi_and_a_correction_needs_a_reason() -> None:
    for state in (None, ReportState.DRAFT, ReportState.SUBMITTED, ReportState.RETURNED):
        with pytest.raises(DomainError) as refused:
            check_signing(report_state=state, signed_versions=0, reason=None)
        assert refused.value.code == "REPORT_NOT_REVIEWED"
    assert check_signing(report_state=ReportState.APPROVED, signed_versions=0, reason="  ") is None
    with pytest.raises(DomainError) as refused:
        check_signing(report_state=ReportState.PUBLISHED, signed_versions=1, reason=" ")
    assert refused.value.code == "REASON_REQUIRED"
    assert check_signing(report_state=ReportState.LOCKED, signed_versions=1, reason=" salah ketik ") == "salah ketik"
    assert version_state(1, 2) is DocumentState.SUPERSEDED and version_state(2, 2) is DocumentState.SIGNED


def _account(percent: str | None) -> IndicatorAccount:
    value = Decimal(percent) if percent else None
    figure = YearFigure(2025, Decimal(80), None, Decimal(80) if value else None, value, None)
    return IndicatorAccount(1, "I", "Indikator", "%", figure, (), None, None, None, Benchmark(), Analysis())


def test_a_sasaran_with_an_unmeasured_indicator_gets_no_category() -> None:
    assert mean_achievement([Decimal(90), Decimal(95)]) == (Decimal("92.50"), True)
    complete = objective_account("S", [_account("90"), _account("95")], [])
    assert complete.category is AchievementCategory.SANGAT_TINGGI
    partial = objective_account("S", [_account("90"), _account(None)], [])
    assert partial.achievement == Decimal("90.00") and not partial.complete and partial.category is None


def test_figures_are_kept_as_json_without_floats() -> None:
    kept = as_json(_account("90.125"))
    assert isinstance(kept, dict)
    assert kept["this_year"]["achievement"] == "90.125"
    assert kept["benchmark"]["province"] is None
