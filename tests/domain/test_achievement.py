from decimal import Decimal as D

import pytest

from domain.achievement import AchievementResult, CategoryThresholds, TargetValue, achievement, default_method
from domain.enums import AchievementCategory as C
from domain.enums import AchievementMethod as M
from domain.enums import MissingReason as R
from domain.enums import Polarity as P
from domain.errors import InvalidValue
from domain.scales import BPK_OPINION, SAKIP_GRADE, scale_named

HIGHER, LOWER = P.HIGHER_IS_BETTER, P.LOWER_IS_BETTER


def percent(method: M, polarity: P, target: str, realisation: str, high: str | None = None) -> D | None:
    result = achievement(
        method=method,
        polarity=polarity,
        target=TargetValue(D(target), D(high) if high else None),
        realisation=D(realisation),
    )
    return result.percent


def test_ratio_formula_target_80_realisation_90_is_112_5() -> None:
    assert percent(M.RATIO, HIGHER, "80", "90") == D("112.50")


def test_mirror_formula_target_10_realisation_8_is_120() -> None:
    assert percent(M.MIRROR, LOWER, "10", "8") == D("120.00")


def test_mirror_formula_target_10_realisation_12_is_80() -> None:
    assert percent(M.MIRROR, LOWER, "10", "12") == D("80.00")


def test_mirror_formula_is_floored_at_zero() -> None:
    assert percent(M.MIRROR, LOWER, "10", "35") == D("0.00")


def test_inverse_formula_target_10_realisation_8_is_125() -> None:
    assert percent(M.INVERSE, LOWER, "10", "8") == D("125.00")


@pytest.mark.parametrize(
    ("polarity", "realisation", "expected"),
    [
        (HIGHER, "75", "100.00"),  # inside [70, 80]
        (HIGHER, "70", "100.00"),  # on the lower bound
        (HIGHER, "88", "110.00"),  # above: 88 / 80
        (HIGHER, "63", "90.00"),  # below: 63 / 70
        (LOWER, "88", "90.00"),  # above, mirror around 80: (160 - 88) / 80
        (LOWER, "63", "110.00"),  # below, mirror around 70: (140 - 63) / 70
    ],
)
def test_range_target_70_to_80(polarity: P, realisation: str, expected: str) -> None:
    assert percent(M.RANGE, polarity, "70", realisation, high="80") == D(expected)


def test_range_without_upper_bound_is_missing_with_reason() -> None:
    result = achievement(method=M.RANGE, polarity=HIGHER, target=TargetValue(D(5)), realisation=D(5))
    assert result == AchievementResult.missing(R.INVALID_RANGE)


@pytest.mark.parametrize(
    ("method", "target", "realisation", "reason"),
    [
        (M.RATIO, "0", "5", R.ZERO_TARGET),
        (M.MIRROR, "0", "5", R.ZERO_TARGET),
        (M.INVERSE, "0", "5", R.ZERO_TARGET),
        (M.INVERSE, "10", "0", R.ZERO_REALISATION),
        (M.RATIO, "-5", "5", R.NEGATIVE_TARGET),
    ],
)
def test_zero_and_negative_cases_are_null_with_reason(method: M, target: str, realisation: str, reason: R) -> None:
    result = achievement(method=method, polarity=LOWER, target=TargetValue(D(target)), realisation=D(realisation))
    assert result.percent is None and result.category is None
    assert result.reason is reason


def test_missing_target_and_missing_realisation_have_reasons() -> None:
    no_target = achievement(method=M.RATIO, polarity=HIGHER, target=None, realisation=D(1))
    no_value = achievement(method=M.RATIO, polarity=HIGHER, target=TargetValue(D(1)), realisation=None)
    assert no_target.reason is R.NO_TARGET
    assert no_value.reason is R.NO_REALISATION


def test_ratio_with_zero_realisation_is_zero_percent_not_missing() -> None:
    assert percent(M.RATIO, HIGHER, "50", "0") == D("0.00")


def test_sakip_grade_target_bb_realisation_b_is_80() -> None:
    target = SAKIP_GRADE.number_of("BB")
    realisation = SAKIP_GRADE.number_of("b")
    result = achievement(method=M.RATIO, polarity=HIGHER, target=TargetValue(target), realisation=realisation)
    assert (target, realisation, result.percent) == (D(5), D(4), D("80.00"))


def test_bpk_opinion_scale_maps_tmp_to_1_and_wtp_to_4() -> None:
    assert [BPK_OPINION.number_of(g) for g in ("TMP", "TW", "WDP", "WTP")] == [D(1), D(2), D(3), D(4)]
    assert BPK_OPINION.grade_of(D(4)) == "WTP"
    assert scale_named("SAKIP_GRADE").grade_of(D(7)) == "AA"


def test_unknown_grade_is_a_typed_error() -> None:
    with pytest.raises(InvalidValue) as error:
        SAKIP_GRADE.number_of("Z")
    assert error.value.code == "INVALID_GRADE"


@pytest.mark.parametrize(
    ("value", "category"),
    [
        ("91", C.SANGAT_TINGGI),
        ("90.99", C.TINGGI),
        ("76", C.TINGGI),
        ("75.99", C.SEDANG),
        ("66", C.SEDANG),
        ("65.99", C.RENDAH),
        ("51", C.RENDAH),
        ("50.99", C.SANGAT_RENDAH),
        ("0", C.SANGAT_RENDAH),
        ("130", C.SANGAT_TINGGI),
    ],
)
def test_category_thresholds_permendagri_86_2017(value: str, category: C) -> None:
    assert CategoryThresholds().category_of(D(value)) is category


def test_category_follows_the_rounded_percent() -> None:
    assert AchievementResult.of(D("90.996")).category is C.SANGAT_TINGGI


def test_thresholds_are_configuration() -> None:
    strict = CategoryThresholds(sangat_tinggi=D(95))
    assert strict.category_of(D(92)) is C.TINGGI


def test_default_method_follows_polarity_and_government_choice() -> None:
    assert default_method(HIGHER) is M.RATIO
    assert default_method(LOWER) is M.MIRROR
    assert default_method(LOWER, M.INVERSE) is M.INVERSE
