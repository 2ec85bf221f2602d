"""The SKP (Sasaran Kinerja Pegawai) rating of PermenPANRB 6/2022 and the distribution caps the
organisation's rating puts on its employees' ratings.

6/2022 rates an employee in two steps: the work results (rating hasil kerja) and the behaviour
(rating perilaku kerja, the seven BerAKHLAK values) are each below, as or above expectations, and
the pair gives the predikat (Lampiran, kurva distribusi). The organisation's rating sets how the
employees' predikat may be distributed (../shared/sakip-wave2.md §5.1). Head-counts are whole
people: a share that is a minimum is rounded up, one that is a maximum rounded down (the
default of `Rounding`, a per-government setting; docs/rules.md).
"""

import itertools
import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import Enum

from domain.errors import DomainError, DomainErrors


class Expectation(Enum):
    """A rating of results or of behaviour against the expectations agreed."""

    BELOW = "BELOW"  # di bawah ekspektasi
    AS_EXPECTED = "AS_EXPECTED"  # sesuai ekspektasi
    ABOVE = "ABOVE"  # di atas ekspektasi


class Predikat(Enum):
    """An employee's performance rating (predikat kinerja pegawai)."""

    SANGAT_BAIK = "SANGAT_BAIK"
    BAIK = "BAIK"
    BUTUH_PERBAIKAN = "BUTUH_PERBAIKAN"
    KURANG = "KURANG"  # kurang / misconduct
    SANGAT_KURANG = "SANGAT_KURANG"


class OrganisationRating(Enum):
    """The organisation's rating (predikat kinerja organisasi) from its Perjanjian Kinerja."""

    ISTIMEWA = "ISTIMEWA"
    BAIK = "BAIK"
    BUTUH_PERBAIKAN = "BUTUH_PERBAIKAN"  # also "Cukup"
    KURANG = "KURANG"
    SANGAT_KURANG = "SANGAT_KURANG"


PREDIKAT_NAMES = {
    Predikat.SANGAT_BAIK: "Sangat Baik",
    Predikat.BAIK: "Baik",
    Predikat.BUTUH_PERBAIKAN: "Butuh Perbaikan",
    Predikat.KURANG: "Kurang/Misconduct",
    Predikat.SANGAT_KURANG: "Sangat Kurang",
}
ORGANISATION_RATING_NAMES = {
    OrganisationRating.ISTIMEWA: "Istimewa",
    OrganisationRating.BAIK: "Baik",
    OrganisationRating.BUTUH_PERBAIKAN: "Butuh Perbaikan",
    OrganisationRating.KURANG: "Kurang",
    OrganisationRating.SANGAT_KURANG: "Sangat Kurang",
}

E = Expectation
P = Predikat
# (results, behaviour) → predikat: PermenPANRB 6/2022, Lampiran (kuadran predikat kinerja).
MATRIX: Mapping[tuple[Expectation, Expectation], Predikat] = {
    (E.ABOVE, E.ABOVE): P.SANGAT_BAIK,
    (E.ABOVE, E.AS_EXPECTED): P.BAIK,
    (E.ABOVE, E.BELOW): P.KURANG,
    (E.AS_EXPECTED, E.ABOVE): P.BAIK,
    (E.AS_EXPECTED, E.AS_EXPECTED): P.BAIK,
    (E.AS_EXPECTED, E.BELOW): P.KURANG,
    (E.BELOW, E.ABOVE): P.BUTUH_PERBAIKAN,
    (E.BELOW, E.AS_EXPECTED): P.BUTUH_PERBAIKAN,
    (E.BELOW, E.BELOW): P.SANGAT_KURANG,
}


def predikat(results: Expectation, behaviour: Expectation) -> Predikat:
    return MATRIX[(results, behaviour)]


class Bound(Enum):
    AT_LEAST = "AT_LEAST"
    AT_MOST = "AT_MOST"


@dataclass(frozen=True)
class Cap:
    """At least / at most `percent` % of the employees rated in `ratings` (together)."""

    ratings: tuple[Predikat, ...]
    bound: Bound
    percent: int


def _cap(bound: Bound, percent: int, *ratings: Predikat) -> Cap:
    return Cap(ratings, bound, percent)


LEAST, MOST = Bound.AT_LEAST, Bound.AT_MOST
# The distribution pattern per organisation rating (PermenPANRB 6/2022; SE MenPANRB on the
# kurva distribusi, ../shared/sakip-wave2.md §5.1). "Baik must include Butuh Perbaikan and/or
# Kurang" is at least one person: AT_LEAST with percent 0 counts as one (`minimum_of`).
CAPS: Mapping[OrganisationRating, tuple[Cap, ...]] = {
    OrganisationRating.ISTIMEWA: (_cap(MOST, 70, P.SANGAT_BAIK),),
    OrganisationRating.BAIK: (_cap(MOST, 70, P.BAIK), _cap(LEAST, 0, P.BUTUH_PERBAIKAN, P.KURANG)),
    OrganisationRating.BUTUH_PERBAIKAN: (_cap(LEAST, 60, P.BUTUH_PERBAIKAN), _cap(MOST, 10, P.SANGAT_BAIK)),
    OrganisationRating.KURANG: (
        _cap(LEAST, 60, P.KURANG),
        _cap(LEAST, 10, P.BUTUH_PERBAIKAN),
        _cap(MOST, 10, P.SANGAT_BAIK),
    ),
    OrganisationRating.SANGAT_KURANG: (
        _cap(LEAST, 60, P.SANGAT_KURANG),
        _cap(LEAST, 10, P.KURANG, P.BUTUH_PERBAIKAN),
        _cap(MOST, 0, P.SANGAT_BAIK),
    ),
}


class Rounding(Enum):
    """How a share becomes a head-count."""

    STRICT = "STRICT"  # minimums rounded up, maximums rounded down (the default)
    NEAREST = "NEAREST"  # both half up


def head_count(cap: Cap, employees: int, rounding: Rounding = Rounding.STRICT) -> int:
    exact = Decimal(cap.percent * employees) / 100
    if rounding is Rounding.NEAREST:
        count = int((exact + Decimal("0.5")).to_integral_value(rounding="ROUND_FLOOR"))
    elif cap.bound is Bound.AT_LEAST:
        count = math.ceil(exact)
    else:
        count = math.floor(exact)
    if cap.bound is Bound.AT_LEAST and cap.percent == 0 and employees > 0:
        return 1  # "must include": somebody
    return count


@dataclass(frozen=True)
class CapCheck:
    cap: Cap
    limit: int  # head-count the cap allows (AT_MOST) or requires (AT_LEAST)
    actual: int  # employees rated so in the distribution checked
    room: int  # AT_MOST: how many more may still be rated so; AT_LEAST: how many more must be

    @property
    def met(self) -> bool:
        return self.actual <= self.limit if self.cap.bound is Bound.AT_MOST else self.actual >= self.limit

    @property
    def description(self) -> str:
        names = " atau ".join(PREDIKAT_NAMES[r] for r in self.cap.ratings)
        if self.cap.bound is Bound.AT_MOST:
            return f"paling banyak {self.limit} pegawai {names} ({self.cap.percent}%), kini {self.actual}"
        return f"paling sedikit {self.limit} pegawai {names}, kini {self.actual}"


def check_distribution(
    organisation: OrganisationRating,
    ratings: Sequence[Predikat],
    employees: int,
    rounding: Rounding = Rounding.STRICT,
) -> list[CapCheck]:
    """Each cap of the organisation's rating against the employees rated so far (`ratings`) of
    the `employees` to be rated: the rating official sees the room left while rating."""
    checks = []
    for cap in CAPS[organisation]:
        limit = head_count(cap, employees, rounding)
        actual = sum(1 for rating in ratings if rating in cap.ratings)
        room = limit - actual if cap.bound is Bound.AT_MOST else max(0, limit - actual)
        checks.append(CapCheck(cap, limit, actual, room))
    return checks


def refuse_broken_caps(checks: Sequence[CapCheck], organisation: OrganisationRating) -> None:
    """Finalising a distribution that breaks a cap is refused with the numbers."""
    broken = [check for check in checks if not check.met]
    if broken:
        name = ORGANISATION_RATING_NAMES[organisation]
        raise DomainErrors(
            [
                DomainError("DISTRIBUTION_CAP", f"Organisasi berpredikat {name}: {check.description}.", "ratings")
                for check in broken
            ]
        )


@dataclass(frozen=True)
class OrganisationRule:
    """The organisation's rating from its PK achievement (mean capaian of the agreement's
    indicators, %): the lowest mean of each rating, best first. A per-government setting; the
    default below is the platform's proposal (6/2022 leaves the cut-offs to the pemda)."""

    istimewa_from: Decimal = Decimal("110.00")
    baik_from: Decimal = Decimal("90.00")
    butuh_perbaikan_from: Decimal = Decimal("70.00")
    kurang_from: Decimal = Decimal("50.00")

    @property
    def bounds(self) -> tuple[Decimal, ...]:
        return (self.istimewa_from, self.baik_from, self.butuh_perbaikan_from, self.kurang_from)

    def error(self) -> DomainError | None:
        """Bounds are percents, best rating first, each strictly below the one before."""
        if any(not b.is_finite() or b < 0 or b > 1000 for b in self.bounds):
            return DomainError("INVALID_VALUE", "Batas capaian berupa persen 0–1000.", "rule")
        if not all(a > b for a, b in itertools.pairwise(self.bounds)):
            return DomainError("NOT_DESCENDING", "Batas Istimewa > Baik > Butuh Perbaikan > Kurang.", "rule")
        return None

    def rating(self, mean_achievement: Decimal) -> OrganisationRating:
        if mean_achievement >= self.istimewa_from:
            return OrganisationRating.ISTIMEWA
        if mean_achievement >= self.baik_from:
            return OrganisationRating.BAIK
        if mean_achievement >= self.butuh_perbaikan_from:
            return OrganisationRating.BUTUH_PERBAIKAN
        if mean_achievement >= self.kurang_from:
            return OrganisationRating.KURANG
        return OrganisationRating.SANGAT_KURANG


class SkpState(Enum):
    """An SKP's way through the year (6/2022: perencanaan, penilaian)."""

    DRAFT = "DRAFT"  # the employee writes the RHK
    AGREED = "AGREED"  # the superior agreed the RHK and targets: they no longer change
    ASSESSED = "ASSESSED"  # rated at the period's end; may be rated again until final
    FINAL = "FINAL"  # the agency's distribution is finalised: frozen (migration 0023)


class Aspect(Enum):
    """The aspects an RHK's indicators measure (6/2022, Lampiran: kuantitas, kualitas, waktu, biaya)."""

    KUANTITAS = "KUANTITAS"
    KUALITAS = "KUALITAS"
    WAKTU = "WAKTU"
    BIAYA = "BIAYA"


MAX_RHK = 30
MAX_TEXT = 500


@dataclass(frozen=True)
class RhkTarget:
    aspect: Aspect
    indicator: str
    target: Decimal
    unit_of_measure: str


def check_rhk(description: str, targets: Sequence[RhkTarget], at: str) -> list[DomainError]:
    """An RHK says what it delivers and measures it: at least one target, one per aspect,
    each with an indicator, a non-negative target and its unit."""
    errors = []
    if not description.strip() or len(description) > MAX_TEXT:
        errors.append(
            DomainError(
                "INVALID_TEXT", f"Uraian RHK wajib diisi, paling banyak {MAX_TEXT} karakter.", f"{at}.description"
            )
        )
    if not targets:
        errors.append(
            DomainError("TARGET_REQUIRED", "Setiap RHK memiliki paling sedikit satu target.", f"{at}.targets")
        )
    seen: set[Aspect] = set()
    for index, item in enumerate(targets):
        where = f"{at}.targets.{index}"
        if item.aspect in seen:
            errors.append(DomainError("DUPLICATE_ASPECT", "Satu target untuk setiap aspek.", f"{where}.aspect"))
        seen.add(item.aspect)
        if not item.indicator.strip() or len(item.indicator) > MAX_TEXT:
            errors.append(DomainError("INVALID_TEXT", "Indikator target wajib diisi.", f"{where}.indicator"))
        if not item.unit_of_measure.strip() or len(item.unit_of_measure) > 50:
            errors.append(
                DomainError("INVALID_TEXT", "Satuan wajib diisi (paling banyak 50 karakter).", f"{where}.unitOfMeasure")
            )
        if not item.target.is_finite() or item.target < 0:
            errors.append(DomainError("INVALID_VALUE", "Target berupa bilangan tidak negatif.", f"{where}.target"))
    return errors


# 6/2022: the head of a unit's results rating is the organisation's rating (predikat kinerja
# organisasi menjadi rating hasil kerja pimpinan unit kerja).
HEAD_RESULTS: Mapping[OrganisationRating, Expectation] = {
    OrganisationRating.ISTIMEWA: Expectation.ABOVE,
    OrganisationRating.BAIK: Expectation.AS_EXPECTED,
    OrganisationRating.BUTUH_PERBAIKAN: Expectation.BELOW,
    OrganisationRating.KURANG: Expectation.BELOW,
    OrganisationRating.SANGAT_KURANG: Expectation.BELOW,
}


# A rating during the year takes what is measured so far: the whole year once complete, else up
# to the latest quarter that has an achievement (s.d. triwulan), so that rating in December does
# not wait for the fourth quarter's report.
AS_OF_QUARTERS: tuple[int | None, ...] = (None, 4, 3, 2, 1)


def latest_measured(percent_of: Callable[[int | None], Decimal | None]) -> tuple[Decimal, int | None] | None:
    """The first achievement found in AS_OF_QUARTERS order (`percent_of(None)`: the year's)."""
    for quarter in AS_OF_QUARTERS:
        percent = percent_of(quarter)
        if percent is not None:
            return percent, quarter
    return None


def mean_achievement(percents: Sequence[Decimal]) -> Decimal | None:
    """The organisation's PK achievement: the mean capaian of its agreement's indicators that
    have one (an indicator without a realisation yet does not count as 0)."""
    if not percents:
        return None
    return (sum(percents, Decimal(0)) / len(percents)).quantize(Decimal("0.01"))
