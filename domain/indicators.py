"""Rules for defining an indicator."""

from decimal import Decimal

from domain.enums import AchievementMethod, Polarity
from domain.errors import InvalidValue

MAX_WEIGHT = Decimal(1000)

# MIRROR and INVERSE reward a realisation below target; RATIO rewards one above it.
_METHODS_FOR = {
    Polarity.HIGHER_IS_BETTER: {AchievementMethod.RATIO, AchievementMethod.RANGE},
    Polarity.LOWER_IS_BETTER: {AchievementMethod.MIRROR, AchievementMethod.INVERSE, AchievementMethod.RANGE},
}


def check_method(polarity: Polarity, method: AchievementMethod) -> None:
    if method not in _METHODS_FOR[polarity]:
        raise InvalidValue(
            "METHOD_POLARITY_MISMATCH",
            f"Metode {method.value} tidak sesuai dengan polaritas {polarity.value}.",
            "achievementMethod",
        )


def check_weight(weight: Decimal) -> Decimal:
    if not weight.is_finite() or weight <= 0 or weight > MAX_WEIGHT:
        raise InvalidValue("INVALID_WEIGHT", f"Bobot harus lebih dari 0 dan paling besar {MAX_WEIGHT}.", "weight")
    return weight
