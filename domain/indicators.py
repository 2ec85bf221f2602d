"""Rules for defining an indicator."""

from dataclasses import dataclass
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


# The earliest year a definition can be said to apply from (the platform holds no older data).
FIRST_YEAR = 2000


@dataclass(frozen=True)
class Definition:
    """What an indicator means, as one version of its definition states it (design.md)."""

    name: str
    unit_of_measure: str
    polarity: Polarity
    achievement_method: AchievementMethod
    definition: str
    formula: str
    data_source: str

    def scores_differently(self, other: "Definition") -> bool:
        """Whether the change alters every achievement computed from it (W12: 112.50 % against 88.89 %)."""
        return (self.polarity, self.achievement_method) != (other.polarity, other.achievement_method)


def check_definition_change(
    *,
    current: Definition,
    new: Definition,
    current_from_year: int | None,
    from_year: int,
    reason: str,
    has_approved_values: bool,
) -> int:
    """The first year the superseded definition applied to. A new definition applies from a
    year after the current one's first; changing the polarity or the method of an indicator
    whose values were already approved needs a reason (and the year, always given)."""
    check_method(new.polarity, new.achievement_method)
    first = current_from_year or FIRST_YEAR
    if not first < from_year <= 2100:
        raise InvalidValue(
            "OVERLAPPING_EFFECTIVE_YEAR",
            f"Definisi baru harus berlaku sesudah tahun {first}, awal definisi yang berlaku sekarang.",
            "fromYear",
        )
    if new == current:
        raise InvalidValue("NO_CHANGE", "Definisi baru sama dengan yang berlaku.", "fromYear")
    if new.scores_differently(current) and has_approved_values and not reason.strip():
        raise InvalidValue(
            "REASON_REQUIRED",
            "Indikator ini sudah memiliki nilai yang disetujui: perubahan polaritas atau metode wajib disertai alasan.",
            "reason",
        )
    return first
