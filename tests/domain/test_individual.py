"""Individual e-Kinerja rules with the issue's worked examples: the PermenPANRB 6/2022 matrix and
distribution caps, the TPP compliance and amount, log entries and staff imports."""

from datetime import date, time
from decimal import Decimal

import pytest

from domain.activity import Span, check_entry, check_score, overlapping, week_of
from domain.errors import DomainErrors
from domain.personnel import PositionKind, StaffRow, check_rows, nip_error, normalise_nip
from domain.skp import (
    HEAD_RESULTS,
    Aspect,
    Expectation,
    OrganisationRating,
    OrganisationRule,
    Predikat,
    RhkTarget,
    Rounding,
    check_distribution,
    check_rhk,
    mean_achievement,
    predikat,
    refuse_broken_caps,
)
from domain.tpp import ComplianceItem, Duty, MonthFacts, RoundingRule, TppFormula, check_formula, statement

E = Expectation
P = Predikat


@pytest.mark.parametrize(
    ("results", "behaviour", "expected"),
    [
        (E.ABOVE, E.ABOVE, P.SANGAT_BAIK),
        (E.BELOW, E.AS_EXPECTED, P.BUTUH_PERBAIKAN),
        (E.AS_EXPECTED, E.BELOW, P.KURANG),
        (E.BELOW, E.BELOW, P.SANGAT_KURANG),
        (E.AS_EXPECTED, E.AS_EXPECTED, P.BAIK),
        (E.ABOVE, E.AS_EXPECTED, P.BAIK),
    ],
)
def test_the_6_2022_matrix(results: Expectation, behaviour: Expectation, expected: Predikat) -> None:
    assert predikat(results, behaviour) is expected


def test_twenty_employees_of_a_butuh_perbaikan_unit_need_12_bp_and_at_most_2_sangat_baik() -> None:
    checks = check_distribution(OrganisationRating.BUTUH_PERBAIKAN, [], 20)
    assert [(c.cap.bound.value, c.limit) for c in checks] == [("AT_LEAST", 12), ("AT_MOST", 2)]
    ratings = [P.BUTUH_PERBAIKAN] * 11 + [P.SANGAT_BAIK] * 3 + [P.BAIK] * 6
    checks = check_distribution(OrganisationRating.BUTUH_PERBAIKAN, ratings, 20)
    assert [(c.actual, c.room, c.met) for c in checks] == [(11, 1, False), (3, -1, False)]
    with pytest.raises(DomainErrors) as refused:
        refuse_broken_caps(checks, OrganisationRating.BUTUH_PERBAIKAN)
    messages = [e.message for e in refused.value.errors]
    assert messages == [
        "Organisasi berpredikat Butuh Perbaikan: paling sedikit 12 pegawai Butuh Perbaikan, kini 11.",
        "Organisasi berpredikat Butuh Perbaikan: paling banyak 2 pegawai Sangat Baik (10%), kini 3.",
    ]
    fine = [P.BUTUH_PERBAIKAN] * 12 + [P.SANGAT_BAIK] * 2 + [P.BAIK] * 6
    refuse_broken_caps(
        check_distribution(OrganisationRating.BUTUH_PERBAIKAN, fine, 20), OrganisationRating.BUTUH_PERBAIKAN
    )


def test_head_counts_round_minimums_up_and_maximums_down_unless_set_otherwise() -> None:
    strict = check_distribution(OrganisationRating.BUTUH_PERBAIKAN, [], 7)
    assert [c.limit for c in strict] == [5, 0]  # 4.2 → 5 at least; 0.7 → 0 at most
    nearest = check_distribution(OrganisationRating.BUTUH_PERBAIKAN, [], 7, Rounding.NEAREST)
    assert [c.limit for c in nearest] == [4, 1]


def test_a_baik_unit_must_include_somebody_who_needs_improvement() -> None:
    everyone_good = [P.BAIK] * 5 + [P.SANGAT_BAIK] * 5
    checks = check_distribution(OrganisationRating.BAIK, everyone_good, 10)
    assert [(c.limit, c.actual, c.met) for c in checks] == [(7, 5, True), (1, 0, False)]


def test_a_sangat_kurang_unit_has_no_sangat_baik() -> None:
    checks = check_distribution(OrganisationRating.SANGAT_KURANG, [P.SANGAT_BAIK], 10)
    assert not checks[-1].met and checks[-1].limit == 0


def test_the_organisation_rating_follows_the_mean_pk_achievement_by_the_pemda_rule() -> None:
    default = OrganisationRule()
    assert [default.rating(Decimal(v)) for v in ("112", "110", "95", "70", "69.99", "10")] == [
        OrganisationRating.ISTIMEWA, OrganisationRating.ISTIMEWA, OrganisationRating.BAIK,
        OrganisationRating.BUTUH_PERBAIKAN, OrganisationRating.KURANG, OrganisationRating.SANGAT_KURANG,
    ]  # fmt: skip
    stricter = OrganisationRule(baik_from=Decimal(100))
    assert stricter.rating(Decimal(95)) is OrganisationRating.BUTUH_PERBAIKAN


FORMULA = TppFormula(
    attendance_weight=Decimal(30),
    performance_weight=Decimal(50),
    compliance_weight=Decimal(20),
    base_amounts={9: Decimal(5_000_000), 7: Decimal(3_000_000)},
)


def facts(**overrides: object) -> MonthFacts:
    values: dict[str, object] = {
        "working_days": 20, "days_present": 20, "apel_held": 4, "apel_attended": 4, "late_minutes": (),
        "score_sum": Decimal(200), "compliance": {ComplianceItem.BMD: True, ComplianceItem.TPTGR: True},
        "duty": Duty.OFFICIAL,
    }  # fmt: skip
    values.update(overrides)
    return MonthFacts(**values)  # type: ignore[arg-type]


def test_compliance_with_lhkpn_missing_scores_60_for_an_official_and_100_for_staff() -> None:
    assert statement(FORMULA, 9, facts()).compliance == Decimal(60)
    assert statement(FORMULA, 9, facts(duty=Duty.STAFF)).compliance == Decimal(100)


def test_a_month_statement_shows_each_component_and_deduction() -> None:
    month = facts(days_present=18, apel_attended=3, late_minutes=(15, 45), score_sum=Decimal("150"), duty=Duty.STAFF)
    result = statement(FORMULA, 7, month)
    # attendance 18/20 × 60 + 3/4 × 40 = 84; performance 150 / 200 × 100 = 75; compliance 100
    assert (result.attendance, result.performance, result.compliance) == (Decimal(84), Decimal(75), Decimal(100))
    assert result.total == Decimal("82.7")  # 84 × 0.3 + 75 × 0.5 + 100 × 0.2
    assert result.gross == Decimal("2481000")  # 82.7 % × 3.000.000
    # late 15 min: 0.5 % of the base; 45 min: 1 %; one missed apel: 2 % of the 30 % discipline share
    assert [(d.code, d.amount) for d in result.deductions] == [
        ("LATE_1", Decimal("15000")), ("LATE_31", Decimal("30000")), ("MISSED_APEL", Decimal("18000")),
    ]  # fmt: skip
    assert result.amount == Decimal("2418000")


def test_the_rounding_rule_is_applied_once_at_the_end() -> None:
    formula = TppFormula(
        Decimal(30), Decimal(50), Decimal(20), {9: Decimal(3_333_333)}, rounding=RoundingRule.DOWN_1000
    )
    assert statement(formula, 9, facts(duty=Duty.STAFF)).amount == Decimal(3_333_000)


def test_a_formula_whose_weights_exceed_100_is_refused() -> None:
    bad = TppFormula(Decimal(40), Decimal(50), Decimal(20), {9: Decimal(1)})
    assert [e.code for e in check_formula(bad)] == ["WEIGHTS_OVER_100"]
    assert check_formula(FORMULA) == []


def test_log_entries_that_overlap_or_lie_ahead_are_refused() -> None:
    today = date(2026, 9, 15)
    errors = check_entry(work_date=date(2026, 9, 16), starts_at=time(10), ends_at=time(9), description=" ", today=today)
    assert [e.code for e in errors] == ["FUTURE_DATE", "INVALID_TIME", "REQUIRED"]
    morning = Span(1, time(8), time(10))
    assert overlapping(Span(None, time(9, 30), time(11)), [morning]) == morning
    assert overlapping(Span(None, time(10), time(12)), [morning]) is None
    assert week_of(date(2026, 9, 17)) == date(2026, 9, 14)
    assert check_score(Decimal("10.5")) is not None and check_score(Decimal("8.25")) is None


def row(
    code: str,
    superior: str,
    kind: PositionKind = PositionKind.PELAKSANA,
    unit: str = "DINKES.1",
    nip: str = "198001012005011001",
) -> StaffRow:
    return StaffRow(nip, "Ani", "III/c", code, "Jabatan", kind, 7, unit, superior)


def test_a_staff_file_reports_every_position_without_a_valid_superior() -> None:
    units = {"DINKES": "PERANGKAT_DAERAH", "DINKES.1": "ESELON_III"}
    rows = [
        row("KADIS", "", PositionKind.JPT, "DINKES", nip="197001011995031001"),
        row("A", "KADIS", nip="198001012005011001"),
        row("B", "", nip="198001012005011002"),
        row("C", "ZZZ", nip="198001012005011003"),
        row("D", "E", nip="198001012005011004"),
        row("E", "D", nip="198001012005011005"),
        row("F", "F", nip="198001012005011006"),
    ]
    errors = check_rows(rows, unit_kinds=units, known_superiors={})
    assert [(e.code, e.field) for e in errors] == [
        ("MISSING_SUPERIOR", "rows.2.superiorCode"),
        ("UNKNOWN_SUPERIOR", "rows.3.superiorCode"),
        ("SUPERIOR_CYCLE", "rows.4.superiorCode"),
        ("SUPERIOR_CYCLE", "rows.5.superiorCode"),
        ("INVALID_SUPERIOR", "rows.6.superiorCode"),
    ]


def test_nips_are_read_as_simpeg_prints_them_and_checked() -> None:
    assert normalise_nip("19800101 200501 1 001") == "198001012005011001"
    assert nip_error("198001012005011001") is None
    assert nip_error("19800101200501100") is not None  # 17 digits
    assert nip_error("198013012005011001") is not None  # month 13
    assert nip_error("198001012005013001") is not None  # sex digit 3


def test_an_rhk_measures_what_it_delivers_with_one_sound_target_per_aspect() -> None:
    good = RhkTarget(Aspect.KUANTITAS, "Laporan", Decimal(12), "laporan")
    assert check_rhk("Laporan tersusun", [good], "rhk.0") == []
    bad = [good, RhkTarget(Aspect.KUANTITAS, " ", Decimal(-1), "")]
    assert [(e.code, e.field) for e in check_rhk(" ", bad, "rhk.1")] == [
        ("INVALID_TEXT", "rhk.1.description"),
        ("DUPLICATE_ASPECT", "rhk.1.targets.1.aspect"),
        ("INVALID_TEXT", "rhk.1.targets.1.indicator"),
        ("INVALID_TEXT", "rhk.1.targets.1.unitOfMeasure"),
        ("INVALID_VALUE", "rhk.1.targets.1.target"),
    ]
    assert [e.code for e in check_rhk("Tanpa target", [], "rhk.2")] == ["TARGET_REQUIRED"]


def test_a_unit_heads_results_are_the_organisation_rating_and_the_mean_skips_the_unmeasured() -> None:
    # 6/2022: Istimewa -> above, Baik -> as expected, below that -> below expectations.
    assert HEAD_RESULTS[OrganisationRating.ISTIMEWA] is Expectation.ABOVE
    assert HEAD_RESULTS[OrganisationRating.BAIK] is Expectation.AS_EXPECTED
    assert {HEAD_RESULTS[r] for r in (OrganisationRating.BUTUH_PERBAIKAN, OrganisationRating.SANGAT_KURANG)} == {
        Expectation.BELOW
    }
    assert mean_achievement([Decimal("112.5"), Decimal("88.89"), Decimal("75")]) == Decimal("92.13")
    assert mean_achievement([]) is None


def test_a_pemda_rule_must_descend_from_istimewa_to_kurang() -> None:
    assert OrganisationRule().error() is None
    unsorted = OrganisationRule(Decimal(100), Decimal(100), Decimal(70), Decimal(50)).error()
    assert unsorted is not None and unsorted.code == "NOT_DESCENDING"
    negative = OrganisationRule(Decimal(100), Decimal(90), Decimal(70), Decimal(-1)).error()
    assert negative is not None and negative.code == "INVALID_VALUE"
