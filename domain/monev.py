"""Monev (monitoring dan evaluasi): every perangkat daerah of a pemda, or every kabupaten/kota of a
province, scored, zoned and ranked for a period (../shared/sakip-wave2.md §4).

A government's rule for a year is data (`Rule`): either ordered sort keys (simonev21's ranking:
physical progress descending, then budget % descending) or a weighted composite of groups whose
weights total 100 (Bolmong's "akselerasi": Σ weight × group score / 100). A group's score comes
from the platform where it holds the data (`PLATFORM_GROUPS`) and is entered otherwise.

Zones are half-open intervals [lower, upper) that cover 0 to ∞ without a gap or an overlap, so a
value lands in exactly one: simonev21 codes TW3 Rendah as `>= 51 && < 60` and so calls 60,5 %
Sangat Rendah (W9); here it is Rendah, [51, 61). **Incomplete data is never green**: a unit with
a missing input has no composite, no rank and the zone DATA_BELUM_LENGKAP ("Data belum lengkap
tidak boleh otomatis dianggap hijau", andhika201's blueprint).
"""

import itertools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from enum import Enum
from typing import Any

from domain.errors import DomainError, DomainErrors
from domain.notation import MONTHS
from domain.periods import check_year
from domain.rewards import Clause, check_clauses, clauses_as_json, clauses_from_json

HUNDRED = Decimal(100)
CENT = Decimal("0.01")
MAX_GROUPS = 12
MAX_ZONES = 10


class Method(Enum):
    SORT_KEYS = "SORT_KEYS"  # ordered keys, compared one after the other
    WEIGHTED = "WEIGHTED"  # Σ weight × min(score, 100) / 100, weights totalling 100


class Source(Enum):
    PLATFORM = "PLATFORM"  # computed from what the platform holds
    ENTERED = "ENTERED"  # entered per unit and period (enterMonevFigures)


# What the platform computes, per unit and period (store/monev_facts.py; docs/monev.md).
PLATFORM_GROUPS = {
    # The unit's rollup, every indicator counted: of the quarter; for a month, of the last
    # quarter ended by it.
    "ACHIEVEMENT": "Capaian kinerja",
    # Realisation to date / pagu × 100: a quarter's from the LKjIP budget realisation against the
    # signed PK; a month's from its progress lines (domain/progress.py).
    "BUDGET_ABSORPTION": "Penyerapan anggaran",
    # Realisation to date / the financial plan to date × 100, from the month's progress lines
    # (a quarter: its last month).
    "BUDGET_PLAN_ABSORPTION": "Penyerapan terhadap rencana",
    # Σ pagu × physical realisation / Σ pagu, from the progress lines (a quarter: its last month).
    "PHYSICAL_PROGRESS": "Realisasi fisik",
    # Reports on time / due so far this year × 100: quarterly reports for a quarter, monthly
    # progress for a month.
    "ON_TIME_REPORTING": "Ketepatan waktu pelaporan",
}
ROMAN = ("I", "II", "III", "IV")


class Level(Enum):
    """Which units a ranking ranks (unit yang diperingkat)."""

    PERANGKAT_DAERAH = "PERANGKAT_DAERAH"  # a pemda's own; for a province, every pemda's in it
    KABUPATEN_KOTA = "KABUPATEN_KOTA"  # a province's kabupaten/kota, each as a whole


def level_of(is_province: bool, asked: Level | None) -> Level:
    """What a government's ranking ranks unless asked: a province its kabupaten/kota, a pemda
    its perangkat daerah; only a province has kabupaten/kota to rank."""
    if asked is None:
        return Level.KABUPATEN_KOTA if is_province else Level.PERANGKAT_DAERAH
    if asked is Level.KABUPATEN_KOTA and not is_province:
        raise DomainError("NOT_A_PROVINCE", "Hanya provinsi yang memeringkat kabupaten/kota.", "units")
    return asked


@dataclass(frozen=True, order=True)
class MonevPeriod:
    """What a ranking covers: a quarter (triwulan) of a year, or a month (bulan) of it; `month`
    0 is the quarter as a whole."""

    year: int
    quarter: int
    month: int = 0

    @classmethod
    def of(cls, year: int, quarter: int | None, month: int | None) -> "MonevPeriod":
        """From the API's arguments: a year, and a quarter or a month, exactly one."""
        check_year(year, "year")
        if (quarter is None) == (month is None):
            raise DomainError("PERIOD_REQUIRED", "Pilih triwulan atau bulan, salah satu.", "quarter")
        if month is not None:
            if not 1 <= month <= 12:
                raise DomainError("INVALID_MONTH", "Bulan harus 1 sampai 12.", "month")
            return cls(year, (month + 2) // 3, month)
        if quarter not in (1, 2, 3, 4):
            raise DomainError("INVALID_QUARTER", "Triwulan harus 1 sampai 4.", "quarter")
        return cls(year, quarter, 0)

    @property
    def is_month(self) -> bool:
        return self.month > 0

    @property
    def last_month(self) -> int:
        """The month whose cumulative figures the period reads."""
        return self.month or self.quarter * 3

    @property
    def label(self) -> str:
        if self.is_month:
            return f"{MONTHS[self.month - 1]} {self.year}"
        return f"Triwulan {ROMAN[self.quarter - 1]} {self.year}"

    def previous(self) -> "MonevPeriod | None":
        """The period before, within the year (a ranking's movement is against it)."""
        if self.is_month:
            return None if self.month == 1 else MonevPeriod(self.year, (self.month + 1) // 3, self.month - 1)
        return None if self.quarter == 1 else MonevPeriod(self.year, self.quarter - 1, 0)


INCOMPLETE = "DATA_BELUM_LENGKAP"
INCOMPLETE_NAME = "Data belum lengkap"
TIE_BREAK = (
    "Nilai yang sama (dibulatkan dua desimal) berbagi peringkat (1, 2, 2, 4); di antara yang sama, urut nama; "
    "unit dengan data belum lengkap tidak diberi peringkat."
)


@dataclass(frozen=True)
class Group:
    code: str
    name: str
    source: Source
    weight: Decimal | None = None  # WEIGHTED: its share of 100
    descending: bool = True  # SORT_KEYS: higher is better


@dataclass(frozen=True)
class Zone:
    code: str
    name: str
    lower: Decimal  # inclusive
    upper: Decimal | None  # exclusive; None: to infinity

    def holds(self, value: Decimal) -> bool:
        return self.lower <= value and (self.upper is None or value < self.upper)

    @property
    def interval(self) -> str:
        return f"[{_number(self.lower)}, {'∞' if self.upper is None else _number(self.upper)})"


INCOMPLETE_ZONE = Zone(INCOMPLETE, INCOMPLETE_NAME, Decimal(0), None)


def _bands(sangat_rendah_below: int, sedang: int, tinggi: int, sangat_tinggi: int) -> tuple[Zone, ...]:
    rendah = Decimal(sangat_rendah_below)
    return (
        Zone("SANGAT_RENDAH", "Sangat rendah", Decimal(0), rendah),
        Zone("RENDAH", "Rendah", rendah, Decimal(sedang)),
        Zone("SEDANG", "Sedang", Decimal(sedang), Decimal(tinggi)),
        Zone("TINGGI", "Tinggi", Decimal(tinggi), Decimal(sangat_tinggi)),
        Zone("SANGAT_TINGGI", "Sangat tinggi", Decimal(sangat_tinggi), None),
    )


# The quarter bands simonev21 applies to cumulative realisation % (Helper::getKeteranganWarna,
# citing Permendagri 55/2010), as contiguous half-open intervals: TW3 Rendah is [51, 61).
QUARTER_BANDS: dict[int, tuple[Zone, ...]] = {
    1: _bands(13, 17, 20, 23),
    2: _bands(26, 33, 39, 45),
    3: _bands(51, 61, 70, 79),
    4: _bands(88, 92, 95, 98),
}
QUARTER_PRESET = "TRIWULAN_PERMENDAGRI"


@dataclass(frozen=True)
class Rule:
    method: Method
    groups: tuple[Group, ...]
    # Empty: the quarter bands (QUARTER_PRESET); a month reads its quarter's, the cumulative
    # figures its quarter should reach by the quarter's end.
    zones: tuple[Zone, ...] = ()
    # Early warning below this basis value; None: the upper bound of the lowest zone.
    warning_below: Decimal | None = None
    # Reward and punishment: who falls under what, from the published rankings (domain/rewards.py).
    rewards: tuple[Clause, ...] = ()

    def zone_codes(self) -> tuple[str, ...]:
        """The zones a row can land in: the rule's (or the preset's) and DATA_BELUM_LENGKAP."""
        return (*(z.code for z in self.zones or QUARTER_BANDS[1]), INCOMPLETE)

    def zones_for(self, quarter: int) -> tuple[Zone, ...]:
        return self.zones or QUARTER_BANDS[quarter]

    def warning_threshold(self, quarter: int) -> Decimal:
        if self.warning_below is not None:
            return self.warning_below
        lowest = self.zones_for(quarter)[0]
        return lowest.upper if lowest.upper is not None else lowest.lower


def _number(value: Decimal) -> str:
    text = f"{value.normalize():f}"
    return text.replace(".", ",")


def check_zones(zones: Sequence[Zone], field: str = "zones") -> None:
    """Contiguous half-open intervals from 0 to ∞, each code once: every problem, the interval
    named (a gap or an overlap between two zones, or what is left uncovered)."""
    errors: list[DomainError] = []
    if not zones:
        raise DomainError("NO_ZONES", "Tentukan paling sedikit satu zona.", field)
    if len(zones) > MAX_ZONES:
        raise DomainError("TOO_MANY_ZONES", f"Paling banyak {MAX_ZONES} zona.", field)
    codes = [z.code for z in zones]
    for index, zone in enumerate(zones):
        at = f"{field}.{index}"
        if not zone.code or not zone.code.replace("_", "").isalnum() or not zone.code.isupper():
            errors.append(DomainError("INVALID_CODE", "Kode zona: huruf besar, angka dan garis bawah.", f"{at}.code"))
        if zone.code == INCOMPLETE or codes.count(zone.code) > 1:
            errors.append(DomainError("DUPLICATE_CODE", f"Kode zona {zone.code} sudah dipakai.", f"{at}.code"))
        if not zone.name.strip():
            errors.append(DomainError("REQUIRED", "Nama zona wajib diisi.", f"{at}.name"))
        if zone.lower < 0:
            errors.append(DomainError("NEGATIVE_BOUND", "Batas bawah zona tidak boleh negatif.", f"{at}.lower"))
        if zone.upper is not None and zone.upper <= zone.lower:
            errors.append(DomainError("EMPTY_ZONE", f"Zona {zone.code} kosong: {zone.interval}.", f"{at}.upper"))
    if errors:
        raise DomainErrors(errors)
    ordered = sorted(enumerate(zones), key=lambda pair: pair[1].lower)
    if ordered[0][1].lower > 0:
        gap = Zone("", "", Decimal(0), ordered[0][1].lower)
        errors.append(
            DomainError(
                "ZONE_GAP", f"Nilai {gap.interval} tidak masuk zona mana pun.", f"{field}.{ordered[0][0]}.lower"
            )
        )
    for (_, zone), (after_index, after) in itertools.pairwise(ordered):
        at = f"{field}.{after_index}.lower"
        if zone.upper is None or zone.upper > after.lower:
            ends = [upper for upper in (zone.upper, after.upper) if upper is not None]
            overlap = Zone("", "", after.lower, min(ends) if ends else None)
            errors.append(
                DomainError(
                    "ZONE_OVERLAP", f"Zona {zone.code} dan {after.code} bertumpang tindih pada {overlap.interval}.", at
                )
            )
        elif zone.upper < after.lower:
            gap = Zone("", "", zone.upper, after.lower)
            errors.append(
                DomainError(
                    "ZONE_GAP",
                    f"Nilai {gap.interval} tidak masuk zona mana pun (antara {zone.code} dan {after.code}).",
                    at,
                )
            )
    last_index, last = ordered[-1]
    if last.upper is not None:
        rest = Zone("", "", last.upper, None)
        errors.append(
            DomainError("ZONE_GAP", f"Nilai {rest.interval} tidak masuk zona mana pun.", f"{field}.{last_index}.upper")
        )
    if errors:
        raise DomainErrors(errors)


def check_rule(rule: Rule) -> None:
    """Groups named once, platform groups only where the platform has the data, weights that
    total exactly 100 for a composite, and valid zones."""
    errors: list[DomainError] = []
    if not rule.groups:
        raise DomainError("NO_GROUPS", "Tentukan paling sedikit satu kelompok penilaian.", "groups")
    if len(rule.groups) > MAX_GROUPS:
        raise DomainError("TOO_MANY_GROUPS", f"Paling banyak {MAX_GROUPS} kelompok penilaian.", "groups")
    codes = [g.code for g in rule.groups]
    for index, group in enumerate(rule.groups):
        at = f"groups.{index}"
        if (
            not group.code
            or not group.code.replace("_", "").isalnum()
            or not group.code.isupper()
            or len(group.code) > 40
        ):
            errors.append(
                DomainError("INVALID_CODE", "Kode kelompok: huruf besar, angka dan garis bawah.", f"{at}.code")
            )
        elif codes.count(group.code) > 1:
            errors.append(DomainError("DUPLICATE_CODE", f"Kelompok {group.code} tercantum dua kali.", f"{at}.code"))
        if not group.name.strip() or len(group.name) > 200:
            errors.append(
                DomainError("REQUIRED", "Nama kelompok wajib diisi (paling banyak 200 karakter).", f"{at}.name")
            )
        if group.source is Source.PLATFORM and group.code not in PLATFORM_GROUPS:
            errors.append(
                DomainError(
                    "NOT_ON_PLATFORM",
                    f"Platform tidak menghitung {group.code}; yang dihitung: {', '.join(PLATFORM_GROUPS)}. "
                    "Kelompok lain diisi (ENTERED).",
                    f"{at}.source",
                )
            )
        if rule.method is Method.WEIGHTED and (group.weight is None or group.weight <= 0):
            errors.append(
                DomainError("WEIGHT_REQUIRED", "Setiap kelompok komposit perlu bobot di atas 0.", f"{at}.weight")
            )
    if rule.method is Method.WEIGHTED and not errors:
        total = sum((g.weight or Decimal(0) for g in rule.groups), Decimal(0))
        if total != HUNDRED:
            errors.append(DomainError("WEIGHTS_NOT_100", f"Jumlah bobot harus 100, bukan {_number(total)}.", "groups"))
    if rule.warning_below is not None and rule.warning_below < 0:
        errors.append(DomainError("NEGATIVE_BOUND", "Batas peringatan dini tidak boleh negatif.", "warningBelow"))
    if errors:
        raise DomainErrors(errors)
    if rule.zones:
        check_zones(rule.zones)
    check_clauses(rule.rewards, rule.zone_codes())


def zone_of(zones: Sequence[Zone], value: Decimal | None) -> Zone:
    if value is None:
        return INCOMPLETE_ZONE
    return next(zone for zone in zones if zone.holds(value))


def rounded(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Entry:
    """One ranked unit's inputs for the period: a score per group code (None: missing), and its
    reporting so far this year."""

    key: str
    name: str
    scores: Mapping[str, Decimal | None]
    code: str = ""
    reports_due: int = 0
    reports_in: int = 0
    reports_on_time: int = 0
    overdue: int = 0  # reports of the period past their deadline, not submitted
    budget_kind: str | None = None  # MURNI or PERUBAHAN: the budget its progress was read from


@dataclass(frozen=True)
class Ranked:
    key: str
    name: str
    scores: tuple[tuple[str, Decimal | None], ...]  # in the rule's group order, rounded
    composite: Decimal | None  # WEIGHTED only
    basis: Decimal | None  # what the zone is read from: the composite, or the first sort key
    rank: int | None
    zone: Zone
    movement: int | None  # places gained since the previous period (negative: lost)


def composite(rule: Rule, scores: Mapping[str, Decimal | None]) -> Decimal | None:
    """Σ weight × min(score, 100) / 100, rounded half up to two places once; None when a group
    has no score. A score counts up to 100, so that one group's overshoot cannot hide another's gap."""
    total = Decimal(0)
    for group in rule.groups:
        score = scores.get(group.code)
        if score is None:
            return None
        total += (group.weight or Decimal(0)) * min(score, HUNDRED) / HUNDRED
    return rounded(total)


def rank(rule: Rule, quarter: int, entries: Sequence[Entry], previous: Mapping[str, int] | None = None) -> list[Ranked]:
    """Ranked rows, best first: equal keys share a rank (standard competition ranking), listed by
    name among themselves (TIE_BREAK); units missing an input follow, unranked."""
    zones = rule.zones_for(quarter)
    rows: list[tuple[tuple[Decimal, ...] | None, Ranked]] = []
    for entry in entries:
        scores = tuple((g.code, None if (s := entry.scores.get(g.code)) is None else rounded(s)) for g in rule.groups)
        complete = all(score is not None for _, score in scores)
        value = composite(rule, entry.scores) if rule.method is Method.WEIGHTED else None
        key: tuple[Decimal, ...] | None
        if rule.method is Method.WEIGHTED:
            key = None if value is None else (value,)
            basis = value
        else:
            ordered = [(g, score) for g, (_, score) in zip(rule.groups, scores, strict=True) if score is not None]
            key = tuple(score if g.descending else -score for g, score in ordered) if complete else None
            basis = scores[0][1] if complete else None
        row = Ranked(entry.key, entry.name, scores, value, basis, None, zone_of(zones, basis), None)
        rows.append((key, row))
    ranked = sorted((pair for pair in rows if pair[0] is not None), key=lambda pair: (_negated(pair[0]), pair[1].name))
    unranked = sorted((pair[1] for pair in rows if pair[0] is None), key=lambda row: row.name)
    result: list[Ranked] = []
    place = 0
    previous_key: tuple[Decimal, ...] | None = None
    for position, (key, row) in enumerate(ranked, start=1):
        if key != previous_key:
            place = position
            previous_key = key
        before = (previous or {}).get(row.key)
        result.append(_with(row, place, None if before is None else before - place))
    return result + unranked


def _negated(key: tuple[Decimal, ...] | None) -> tuple[Decimal, ...]:
    return tuple(-part for part in key or ())


def _with(row: Ranked, place: int, movement: int | None) -> Ranked:
    return Ranked(row.key, row.name, row.scores, row.composite, row.basis, place, row.zone, movement)


class Warning(Enum):
    BELOW_THRESHOLD = "BELOW_THRESHOLD"  # the basis below the rule's early-warning threshold
    INCOMPLETE = "INCOMPLETE"  # an input missing: never shown as fine
    NOT_REPORTED = "NOT_REPORTED"  # a report due and not submitted ("belum update")


def warnings_of(rule: Rule, quarter: int, row: Ranked, overdue_reports: int) -> list[Warning]:
    """Why a unit is on the early-warning list this period (empty: it is not)."""
    found: list[Warning] = []
    if overdue_reports > 0:
        found.append(Warning.NOT_REPORTED)
    if row.basis is None:
        found.append(Warning.INCOMPLETE)
    elif row.basis < rule.warning_threshold(quarter):
        found.append(Warning.BELOW_THRESHOLD)
    return found


def on_time_rate(on_time: int, due: int) -> Decimal | None:
    """Reports submitted by their deadline among those due so far this year, × 100."""
    return None if due == 0 else Decimal(on_time) * HUNDRED / Decimal(due)


def rule_as_json(rule: Rule) -> dict[str, Any]:
    return {
        "method": rule.method.value,
        "groups": [
            {
                "code": g.code,
                "name": g.name,
                "source": g.source.value,
                "weight": None if g.weight is None else str(g.weight),
                "descending": g.descending,
            }
            for g in rule.groups
        ],
        "zones": [
            {"code": z.code, "name": z.name, "lower": str(z.lower), "upper": None if z.upper is None else str(z.upper)}
            for z in rule.zones
        ],
        "warningBelow": None if rule.warning_below is None else str(rule.warning_below),
        "rewards": clauses_as_json(rule.rewards),
    }


def _decimal(value: Any) -> Decimal | None:
    return None if value is None else Decimal(str(value))


def rule_from_json(data: Mapping[str, Any]) -> Rule:
    return Rule(
        Method(data["method"]),
        tuple(
            Group(g["code"], g["name"], Source(g["source"]), _decimal(g.get("weight")), bool(g.get("descending", True)))
            for g in data["groups"]
        ),
        tuple(Zone(z["code"], z["name"], Decimal(z["lower"]), _decimal(z.get("upper"))) for z in data.get("zones", ())),
        _decimal(data.get("warningBelow")),
        clauses_from_json(data.get("rewards", ())),
    )


def _text(value: Decimal | None) -> str | None:
    return None if value is None else f"{value.normalize():f}"


def document(
    rule: Rule, rule_version: int, period: MonevPeriod, entries: Sequence[Entry], rows: Sequence[Ranked]
) -> dict[str, Any]:
    """A ranking as plain JSON, the same whether computed live or read back frozen: published,
    this is what is kept, byte for byte (canonical: sorted keys, decimals as text)."""
    by_key = {entry.key: entry for entry in entries}
    names = {g.code: g.name for g in rule.groups}
    listed = []
    for row in rows:
        entry = by_key[row.key]
        listed.append(
            {
                "key": row.key,
                "code": entry.code,
                "name": row.name,
                "scores": [{"group": code, "name": names[code], "value": _text(value)} for code, value in row.scores],
                "composite": _text(row.composite),
                "basis": _text(row.basis),
                "rank": row.rank,
                "zone": {"code": row.zone.code, "name": row.zone.name},
                "movement": row.movement,
                "reportsDue": entry.reports_due,
                "reportsIn": entry.reports_in,
                "reportingRate": _text(
                    None if entry.reports_due == 0 else rounded(Decimal(entry.reports_in) * HUNDRED / entry.reports_due)
                ),
                "onTimeRate": _text(
                    None if (rate := on_time_rate(entry.reports_on_time, entry.reports_due)) is None else rounded(rate)
                ),
                "warnings": [w.value for w in warnings_of(rule, period.quarter, row, entry.overdue)],
                "budgetKind": entry.budget_kind,
            }
        )
    return {
        "ruleVersion": rule_version,
        "quarter": period.quarter,
        "month": period.month or None,
        "tieBreak": TIE_BREAK,
        "rows": listed,
    }


def ranks_of(document_: Mapping[str, Any]) -> dict[str, int]:
    """Each ranked unit's place in a ranking document (for the next period's movement)."""
    return {row["key"]: row["rank"] for row in document_["rows"] if row["rank"] is not None}
