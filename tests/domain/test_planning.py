"""Planning rules with the worked examples of sakip-wave2.md §8 (W1–W4)."""

from datetime import date
from decimal import Decimal

import pytest

from domain.achievement import inverse_percent, ratio_percent
from domain.agreements import (
    Acting,
    AgreementLevel,
    BudgetLine,
    Signatory,
    agreement_deadline,
    annex_total,
    check_annex,
    check_nip,
    union_of_programs,
)
from domain.budget import BudgetLevel, check_budget, rupiah, sipd_code, sipd_code_of_cells, unallocated
from domain.enums import AchievementMethod, Polarity
from domain.errors import DomainError
from domain.indicators import Definition, check_definition_change
from domain.plans import (
    ChangeKind,
    ElementContent,
    IndicatorContent,
    PlanAction,
    PlanContent,
    PlanState,
    check_revision,
    compare,
    effective_version,
    plan_transition,
)


def line(code: str, amount: str, name: str = "Program") -> BudgetLine:
    return BudgetLine(sipd_code(code), name, Decimal(amount))


def test_w4_cells_normalise_to_one_sub_activity_code() -> None:
    code = sipd_code_of_cells("1", "1", "1", "2.1", "1")
    assert code.text == "1.01.01.2.01.0001"
    assert code.level is BudgetLevel.SUB_ACTIVITY
    assert sipd_code_of_cells("01", "01", "01", "2.01", "0001") == code
    assert sipd_code("1.1.1.2.1.1") == code
    parent = code.parent()
    assert parent is not None and parent.text == "1.01.01.2.01"
    assert sipd_code("5.1.2").text == "5.01.02"


@pytest.mark.parametrize("text", ["", "5", "5.01", "5.01.01.2", "5.101.01", "5.01.x1", "5.01.01.2.01.10001", "٥.01.01"])
def test_malformed_sipd_codes_are_refused(text: str) -> None:
    with pytest.raises(DomainError) as error:
        sipd_code(text)
    assert error.value.code == "INVALID_SIPD_CODE"


@pytest.mark.parametrize(
    ("amount", "code"),
    [("-1", "NEGATIVE_BUDGET"), ("1.005", "TOO_MANY_DECIMALS"), ("NaN", "NOT_FINITE"), ("1e15", "VALUE_TOO_LARGE")],
)
def test_bad_budgets_are_refused(amount: str, code: str) -> None:
    with pytest.raises(DomainError) as error:
        check_budget(Decimal(amount))
    assert error.value.code == code


def test_budgets_keep_sen_exactly() -> None:
    assert check_budget(Decimal("750500000.50")) == Decimal("750500000.50")
    assert check_budget(Decimal("1.500")) == Decimal("1.500")


def test_w1_jpt_annex_totals_two_programs() -> None:
    lines = [line("5.01.01", "1250000000"), line("5.01.02", "750500000")]
    check_annex(AgreementLevel.JPT, lines)
    assert rupiah(annex_total(lines)) == "2.000.500.000"


def test_w2_kepala_daerah_annex_is_the_union_of_jpt_programs() -> None:
    jpt_a = [line("5.01.01", "1250000000"), line("5.01.02", "750500000")]
    jpt_b = [line("1.02.01", "2000000000")]
    union = union_of_programs([jpt_a, jpt_b])
    assert [item.code.text for item in union] == ["1.02.01", "5.01.01", "5.01.02"]
    assert rupiah(annex_total(union)) == "4.000.500.000"
    with pytest.raises(DomainError) as error:
        check_annex(AgreementLevel.KEPALA_DAERAH, jpt_a)
    assert error.value.code == "ANNEX_DERIVED"


def test_w3_annex_level_follows_the_signers_level() -> None:
    check_annex(AgreementLevel.ADMINISTRATOR, [line("5.01.01.2.01", "300000000", "Kegiatan")])
    check_annex(AgreementLevel.PENGAWAS, [line("5.01.01.2.01.0001", "99000000", "Sub Kegiatan")])
    for level, wrong in [(AgreementLevel.JPT, "5.01.01.2.01"), (AgreementLevel.ADMINISTRATOR, "5.01.01")]:
        with pytest.raises(DomainError) as error:
            check_annex(level, [line(wrong, "1")])
        assert (error.value.code, error.value.field) == ("WRONG_BUDGET_LEVEL", "budgetLines.0.code")
    with pytest.raises(DomainError) as duplicate:
        check_annex(AgreementLevel.JPT, [line("5.1.1", "1"), line("5.01.01", "2")])
    assert duplicate.value.code == "DUPLICATE_CODE"


def test_acting_officials_and_printed_nip() -> None:
    plt = Signatory("Budi", "198001012005011001", "Pembina (IV/a)", "Kepala Dinas Kesehatan", Acting.PLT)
    assert plt.title() == "Plt. Kepala Dinas Kesehatan"
    assert plt.printed_nip(AgreementLevel.JPT) is None
    assert plt.printed_nip(AgreementLevel.ADMINISTRATOR) == "198001012005011001"
    assert check_nip("19800101 200501 1 001", "nip") == "198001012005011001"
    with pytest.raises(DomainError):
        check_nip("1980", "nip")


def test_plan_workflow() -> None:
    assert plan_transition(PlanState.DRAFT, PlanAction.SUBMIT, None) is PlanState.SUBMITTED
    assert plan_transition(PlanState.SUBMITTED, PlanAction.RETURN, "perbaiki sasaran") is PlanState.DRAFT
    assert plan_transition(PlanState.SUBMITTED, PlanAction.PUBLISH, None) is PlanState.PUBLISHED
    for state, action, reason, code in [
        (PlanState.PUBLISHED, PlanAction.SUBMIT, None, "INVALID_TRANSITION"),
        (PlanState.DRAFT, PlanAction.PUBLISH, None, "INVALID_TRANSITION"),
        (PlanState.SUBMITTED, PlanAction.RETURN, " ", "REASON_REQUIRED"),
    ]:
        with pytest.raises(DomainError) as error:
            plan_transition(state, action, reason)
        assert error.value.code == code


def test_revisions_take_effect_inside_the_period_and_after_every_published_version() -> None:
    published = [date(2025, 1, 1)]
    check_revision(
        reason="RPJMD perubahan",
        effective_from=date(2027, 1, 1),
        start_year=2025,
        end_year=2029,
        published_effective_dates=published,
    )
    for effective_from, code in [
        (date(2025, 1, 1), "OVERLAPPING_EFFECTIVE_DATE"),
        (date(2030, 1, 1), "OUTSIDE_PERIOD"),
    ]:
        with pytest.raises(DomainError) as error:
            check_revision(
                reason="x",
                effective_from=effective_from,
                start_year=2025,
                end_year=2029,
                published_effective_dates=published,
            )
        assert error.value.code == code
    assert effective_version([(1, date(2025, 1, 1)), (2, date(2027, 1, 1))], date(2026, 6, 30)) == 1
    assert effective_version([(1, date(2025, 1, 1)), (2, date(2027, 1, 1))], date(2027, 1, 1)) == 2
    assert effective_version([(1, date(2025, 1, 1))], date(2024, 12, 31)) is None


def test_compare_reports_added_removed_and_changed_by_persistent_keys() -> None:
    goal = ElementContent("GOAL", "T1", "Meningkatnya kualitas SDM")
    old = PlanContent(
        vision="Pontianak Kota Khatulistiwa",
        missions=("Misi 1",),
        elements=(goal, ElementContent("PROGRAM", "1.02.02", "Pemenuhan upaya kesehatan", Decimal("100"))),
        indicators=(
            IndicatorContent(("OBJECTIVE", "T1.S1"), 7, "IKU-1", Decimal(70), Decimal(80), {2026: Decimal(72)}),
            IndicatorContent(("OBJECTIVE", "T1.S1"), 8, "IKU-2", None, None, {}),
        ),
    )
    new = PlanContent(
        vision="Pontianak Kota Khatulistiwa",
        missions=("Misi 1", "Misi 2"),
        elements=(
            goal,
            ElementContent("PROGRAM", "1.02.02", "Pemenuhan upaya kesehatan", Decimal("150.00")),
            ElementContent("OBJECTIVE", "T1.S2", "Sasaran baru"),
        ),
        indicators=(
            IndicatorContent(
                ("OBJECTIVE", "T1.S1"),
                7,
                "IKU-1",
                Decimal("70.000000"),
                Decimal(85),
                {2026: Decimal(72), 2027: Decimal(75)},
            ),
        ),
    )
    changes = {(c.kind, c.subject, c.key, c.field, c.before, c.after) for c in compare(old, new)}
    assert changes == {
        (ChangeKind.ADDED, "MISSION", "2", "text", None, "Misi 2"),
        (ChangeKind.CHANGED, "PROGRAM", "1.02.02", "budget", "100", "150"),
        (ChangeKind.ADDED, "OBJECTIVE", "T1.S2", None, None, "Sasaran baru"),
        (ChangeKind.CHANGED, "INDICATOR", "T1.S1/IKU-1", "end_target", "80", "85"),
        (ChangeKind.ADDED, "TARGET", "T1.S1/IKU-1/2027", "value", None, "75"),
        (ChangeKind.REMOVED, "INDICATOR", "T1.S1/IKU-2", None, None, None),
    }
    assert compare(new, new) == []


def test_w12_one_definition_per_year_and_a_reason_for_changing_how_it_scores() -> None:
    current = Definition("Angka kesakitan", "%", Polarity.HIGHER_IS_BETTER, AchievementMethod.RATIO, "", "", "")
    inverse = Definition("Angka kesakitan", "%", Polarity.LOWER_IS_BETTER, AchievementMethod.INVERSE, "", "", "")
    assert current.scores_differently(inverse)
    with pytest.raises(DomainError) as error:
        check_definition_change(
            current=current, new=inverse, current_from_year=None, from_year=2027, reason="", has_approved_values=True
        )
    assert (error.value.code, error.value.field) == ("REASON_REQUIRED", "reason")
    assert (
        check_definition_change(
            current=current,
            new=inverse,
            current_from_year=None,
            from_year=2027,
            reason="Salah polaritas sejak awal",
            has_approved_values=True,
        )
        == 2000
    )
    with pytest.raises(DomainError) as overlapping:
        check_definition_change(
            current=current, new=inverse, current_from_year=2027, from_year=2027, reason="x", has_approved_values=False
        )
    assert overlapping.value.code == "OVERLAPPING_EFFECTIVE_YEAR"
    # Why it matters: the same figures score 112.50 under one definition and 88.89 under the other.
    assert round(ratio_percent(Decimal(80), Decimal(90)), 2) == Decimal("112.50")
    assert round(inverse_percent(Decimal(80), Decimal(90)), 2) == Decimal("88.89")


def test_an_agreement_is_due_a_month_after_the_dpa() -> None:
    assert agreement_deadline(date(2026, 1, 15)) == date(2026, 2, 15)
    assert agreement_deadline(date(2026, 1, 31)) == date(2026, 2, 28)
    assert agreement_deadline(date(2028, 1, 31)) == date(2028, 2, 29)
    assert agreement_deadline(date(2026, 12, 20)) == date(2027, 1, 20)


def test_w5_a_programs_pagu_not_given_to_its_kegiatan() -> None:
    below = [Decimal(300_000_000), Decimal(199_000_000)]
    assert unallocated(Decimal(500_000_000), below) == Decimal(1_000_000)
    assert unallocated(None, below) is None
    assert unallocated(Decimal(1), []) is None
