"""Achievement (capaian): how a realisation compares with its target, in percent.

PermenPANRB 53/2014 (the LKjIP's measurement table) compares realisation with target:
realisation / target × 100 where higher is better (RATIO); where lower is better, practice
under 53/2014 and 8/2021 mirrors it, (2 × target − realisation) / target × 100 (MIRROR), or
takes target / realisation × 100 (INVERSE). Categories follow Permendagri 86/2017: ≥ 91 sangat
tinggi, 76–< 91 tinggi, 66–< 76 sedang, 51–< 66 rendah, < 51 sangat rendah.

The formula is a property of the indicator (design.md, "Achievement"). Every case that
cannot produce a meaningful number returns a null percent with a `MissingReason`, never a
crash, a silent 0 or an infinity.
"""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from domain.enums import AchievementCategory, AchievementMethod, MissingReason, Polarity

HUNDRED = Decimal(100)
ZERO = Decimal(0)
PERCENT_PLACES = Decimal("0.01")


@dataclass(frozen=True)
class TargetValue:
    """A target: a single value, or the interval [value, high] for the RANGE method."""

    value: Decimal
    high: Decimal | None = None


@dataclass(frozen=True)
class CategoryThresholds:
    """Lower bounds of each category, inclusive (Permendagri 86/2017 convention)."""

    sangat_tinggi: Decimal = Decimal(91)
    tinggi: Decimal = Decimal(76)
    sedang: Decimal = Decimal(66)
    rendah: Decimal = Decimal(51)

    def category_of(self, percent: Decimal) -> AchievementCategory:
        if percent >= self.sangat_tinggi:
            return AchievementCategory.SANGAT_TINGGI
        if percent >= self.tinggi:
            return AchievementCategory.TINGGI
        if percent >= self.sedang:
            return AchievementCategory.SEDANG
        if percent >= self.rendah:
            return AchievementCategory.RENDAH
        return AchievementCategory.SANGAT_RENDAH


DEFAULT_THRESHOLDS = CategoryThresholds()


@dataclass(frozen=True)
class AchievementResult:
    """A percent rounded to two places with its category, or no percent and the reason why."""

    percent: Decimal | None
    category: AchievementCategory | None
    reason: MissingReason | None

    @classmethod
    def missing(cls, reason: MissingReason) -> "AchievementResult":
        return cls(percent=None, category=None, reason=reason)

    @classmethod
    def of(cls, percent: Decimal, thresholds: CategoryThresholds = DEFAULT_THRESHOLDS) -> "AchievementResult":
        rounded = percent.quantize(PERCENT_PLACES, rounding=ROUND_HALF_UP)
        # The category follows the figure the reader sees: 90.996 shows as 91.00, SANGAT_TINGGI.
        return cls(percent=rounded, category=thresholds.category_of(rounded), reason=None)


def default_method(
    polarity: Polarity, lower_is_better_method: AchievementMethod = AchievementMethod.MIRROR
) -> AchievementMethod:
    """RATIO for higher-is-better; the government's choice (MIRROR by default) otherwise."""
    if polarity is Polarity.HIGHER_IS_BETTER:
        return AchievementMethod.RATIO
    return lower_is_better_method


def ratio_percent(target: Decimal, realisation: Decimal) -> Decimal:
    return realisation / target * HUNDRED


def mirror_percent(target: Decimal, realisation: Decimal) -> Decimal:
    # PermenPANRB 53/2014 practice: a lower-is-better overshoot mirrors around the target,
    # floored at 0 because a negative achievement has no meaning in a report.
    return max(ZERO, (2 * target - realisation) / target * HUNDRED)


def inverse_percent(target: Decimal, realisation: Decimal) -> Decimal:
    return target / realisation * HUNDRED


def _single_target_percent(method: AchievementMethod, target: Decimal, realisation: Decimal) -> Decimal | MissingReason:
    if target == ZERO:
        return MissingReason.ZERO_TARGET
    if target < ZERO:
        return MissingReason.NEGATIVE_TARGET
    if method is AchievementMethod.RATIO:
        return ratio_percent(target, realisation)
    if method is AchievementMethod.MIRROR:
        return mirror_percent(target, realisation)
    if realisation == ZERO:
        # INVERSE divides by the realisation: a perfect 0 (say, zero cases) has no finite score.
        return MissingReason.ZERO_REALISATION
    return inverse_percent(target, realisation)


def _range_percent(
    target: TargetValue,
    realisation: Decimal,
    polarity: Polarity,
    lower_is_better_method: AchievementMethod,
) -> Decimal | MissingReason:
    low, high = target.value, target.high
    if high is None or high < low:
        return MissingReason.INVALID_RANGE
    if low <= realisation <= high:
        return HUNDRED
    # Outside the band, compare with the nearer bound, each by the indicator's polarity.
    bound = high if realisation > high else low
    return _single_target_percent(default_method(polarity, lower_is_better_method), bound, realisation)


def achievement(
    *,
    method: AchievementMethod,
    polarity: Polarity,
    target: TargetValue | None,
    realisation: Decimal | None,
    thresholds: CategoryThresholds = DEFAULT_THRESHOLDS,
    lower_is_better_method: AchievementMethod = AchievementMethod.MIRROR,
) -> AchievementResult:
    """Achievement percent of a realisation against a target by the indicator's method.

    Ordinal-scale indicators are mapped to numbers before they get here (domain.scales).
    """
    if target is None:
        return AchievementResult.missing(MissingReason.NO_TARGET)
    if realisation is None:
        return AchievementResult.missing(MissingReason.NO_REALISATION)
    if method is AchievementMethod.RANGE:
        outcome = _range_percent(target, realisation, polarity, lower_is_better_method)
    else:
        outcome = _single_target_percent(method, target.value, realisation)
    if isinstance(outcome, MissingReason):
        return AchievementResult.missing(outcome)
    return AchievementResult.of(outcome, thresholds)
