"""Ordinal scales (predikat): grades mapped to numbers so the achievement formulas apply.

Example from design.md: SAKIP grade target BB (5), realisation B (4) -> 4/5 = 80 %.
"""

from dataclasses import dataclass
from decimal import Decimal

from domain.errors import InvalidValue


@dataclass(frozen=True)
class OrdinalScale:
    name: str
    grades: tuple[tuple[str, Decimal], ...]

    def number_of(self, grade: str) -> Decimal:
        for label, number in self.grades:
            if label == grade.strip().upper():
                return number
        allowed = ", ".join(label for label, _ in self.grades)
        raise InvalidValue("INVALID_GRADE", f"Predikat '{grade}' tidak dikenal; pilih salah satu: {allowed}.")

    def grade_of(self, number: Decimal) -> str | None:
        for label, grade_number in self.grades:
            if grade_number == number:
                return label
        return None


def _scale(name: str, labels: str) -> OrdinalScale:
    return OrdinalScale(name, tuple((label, Decimal(i)) for i, label in enumerate(labels.split(), 1)))


# PermenPANRB 88/2021 predikat, lowest first.
SAKIP_GRADE = _scale("SAKIP_GRADE", "D C CC B BB A AA")
# BPK audit opinion: Tidak Menyatakan Pendapat, Tidak Wajar, Wajar Dengan Pengecualian, Wajar Tanpa Pengecualian.
BPK_OPINION = _scale("BPK_OPINION", "TMP TW WDP WTP")

SCALES: dict[str, OrdinalScale] = {scale.name: scale for scale in (SAKIP_GRADE, BPK_OPINION)}


def scale_named(name: str) -> OrdinalScale:
    try:
        return SCALES[name]
    except KeyError:
        raise InvalidValue("UNKNOWN_SCALE", f"Skala '{name}' tidak dikenal.") from None
