"""Perjanjian Kinerja (PK): the yearly agreement an official signs with their superior.

Levels follow the unit the official heads (sakip-wave2.md §1.2–1.3, andhika201
`PkModel::getProgramByJenis`): the Kepala Daerah (the pemda, one signatory), JPT (eselon II, a
perangkat daerah), Administrator (eselon III), Pengawas (eselon IV). The budget annex lists the
programs of a JPT, the kegiatan of an Administrator and the sub-kegiatan of a Pengawas; the Kepala
Daerah's annex is the union of the JPT programs under it. Signed versions are frozen: a revision
(PK Perubahan, on the grounds PermenPANRB 53/2014 allows) is a new signed version with its reason.
"""

from calendar import monthrange
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import Enum
from typing import Any

from domain.budget import BudgetLevel, SipdCode, rupiah
from domain.enums import OrgUnitKind
from domain.errors import DomainError


class AgreementLevel(Enum):
    KEPALA_DAERAH = "KEPALA_DAERAH"
    JPT = "JPT"  # Jabatan Pimpinan Tinggi (eselon II)
    ADMINISTRATOR = "ADMINISTRATOR"  # eselon III
    PENGAWAS = "PENGAWAS"  # eselon IV


class AgreementState(Enum):
    DRAFT = "DRAFT"
    SIGNED = "SIGNED"


class VersionKind(Enum):
    MURNI = "MURNI"  # the first signed agreement of the year
    PERUBAHAN = "PERUBAHAN"  # a revision


class RevisionGround(Enum):
    """Why a signed agreement may be revised (PermenPANRB 53/2014, sakip-wave2.md §1.2)."""

    OFFICIAL_CHANGED = "OFFICIAL_CHANGED"  # the official is replaced or moved
    STRATEGY_OR_BUDGET_CHANGED = "STRATEGY_OR_BUDGET_CHANGED"  # programs, kegiatan or budget (APBD-P)
    PRIORITIES_CHANGED = "PRIORITIES_CHANGED"  # priorities or assumptions


class Acting(Enum):
    """Whether a party holds the position in full or stands in: Plt (acting) or Plh (day-to-day)."""

    NONE = "NONE"
    PLT = "PLT"
    PLH = "PLH"


class Party(Enum):
    FIRST = "FIRST"  # pihak kesatu: the official who promises
    SECOND = "SECOND"  # pihak kedua: the superior who supervises


LEVEL_OF_UNIT = {
    OrgUnitKind.PEMDA: AgreementLevel.KEPALA_DAERAH,
    OrgUnitKind.PERANGKAT_DAERAH: AgreementLevel.JPT,
    OrgUnitKind.ESELON_III: AgreementLevel.ADMINISTRATOR,
    OrgUnitKind.ESELON_IV: AgreementLevel.PENGAWAS,
}
ANNEX_LEVEL = {
    AgreementLevel.JPT: BudgetLevel.PROGRAM,
    AgreementLevel.ADMINISTRATOR: BudgetLevel.ACTIVITY,
    AgreementLevel.PENGAWAS: BudgetLevel.SUB_ACTIVITY,
}
# The Kepala Daerah's PK is signed by one party; NIP is printed only for eselon III and IV.
SINGLE_SIGNATORY = frozenset({AgreementLevel.KEPALA_DAERAH})
NIP_PRINTED = frozenset({AgreementLevel.ADMINISTRATOR, AgreementLevel.PENGAWAS})
LEVEL_TITLES = {
    AgreementLevel.KEPALA_DAERAH: "Kepala Daerah",
    AgreementLevel.JPT: "Jabatan Pimpinan Tinggi",
    AgreementLevel.ADMINISTRATOR: "Administrator",
    AgreementLevel.PENGAWAS: "Pengawas",
}


def level_of_unit(kind: OrgUnitKind) -> AgreementLevel:
    return LEVEL_OF_UNIT[kind]


def required_parties(level: AgreementLevel) -> tuple[Party, ...]:
    return (Party.FIRST,) if level in SINGLE_SIGNATORY else (Party.FIRST, Party.SECOND)


@dataclass(frozen=True)
class Signatory:
    """A party as recorded at signing."""

    name: str
    nip: str | None
    rank: str
    position: str
    acting: Acting = Acting.NONE

    def title(self) -> str:
        """The position as printed: Plt./Plh. prefix the title of a stand-in."""
        prefix = {Acting.NONE: "", Acting.PLT: "Plt. ", Acting.PLH: "Plh. "}[self.acting]
        return prefix + self.position

    def printed_nip(self, level: AgreementLevel) -> str | None:
        return self.nip if level in NIP_PRINTED else None

    @classmethod
    def stored(cls, values: Mapping[str, Any]) -> "Signatory":
        """A party as an agreement row or a signed snapshot keeps it (JSON)."""
        return cls(values["name"], values.get("nip"), values["rank"], values["position"], Acting(values["acting"]))


def check_nip(nip: str | None, field: str) -> str | None:
    """A NIP (Nomor Induk Pegawai) is 18 digits; spaces as printed on cards are dropped."""
    if nip is None or not nip.strip():
        return None
    digits = nip.replace(" ", "")
    if not (digits.isascii() and digits.isdigit() and len(digits) == 18):
        raise DomainError("INVALID_NIP", "NIP terdiri atas 18 angka.", field)
    return digits


@dataclass(frozen=True)
class BudgetLine:
    code: SipdCode
    name: str
    amount: Decimal


def check_annex(level: AgreementLevel, lines: Iterable[BudgetLine]) -> None:
    """Each line's code is of the level's kind, and no code appears twice."""
    seen: set[str] = set()
    for index, line in enumerate(lines):
        field = f"budgetLines.{index}.code"
        if level is AgreementLevel.KEPALA_DAERAH:
            raise DomainError(
                "ANNEX_DERIVED", "Lampiran anggaran Kepala Daerah disusun dari program PK JPT di bawahnya.", field
            )
        expected = ANNEX_LEVEL[level]
        if line.code.level is not expected:
            raise DomainError(
                "WRONG_BUDGET_LEVEL",
                f"PK {LEVEL_TITLES[level]} memuat {expected.value.lower().replace('_', ' ')}, bukan "
                f"{line.code.level.value.lower().replace('_', ' ')} ({line.code.text}).",
                field,
            )
        if line.code.text in seen:
            raise DomainError("DUPLICATE_CODE", f"Kode {line.code.text} tercantum dua kali.", field)
        seen.add(line.code.text)


def union_of_programs(annexes: Iterable[Iterable[BudgetLine]]) -> list[BudgetLine]:
    """The Kepala Daerah's annex: every program of the JPT agreements, a program shared by two
    agencies once with their amounts added, in code order (andhika201
    `PkModel::getProgramsForBupatiFromPkJpt`)."""
    merged: dict[str, BudgetLine] = {}
    for annex in annexes:
        for line in annex:
            kept = merged.get(line.code.text)
            merged[line.code.text] = (
                line if kept is None else BudgetLine(kept.code, kept.name, kept.amount + line.amount)
            )
    return [merged[code] for code in sorted(merged)]


def annex_total(lines: Iterable[BudgetLine]) -> Decimal:
    return sum((line.amount for line in lines), Decimal(0))


def check_revision(reason: str, ground: RevisionGround | None) -> None:
    if ground is None:
        raise DomainError("GROUND_REQUIRED", "Sebutkan dasar revisi PK.", "ground")
    if not reason.strip():
        raise DomainError("REASON_REQUIRED", "Revisi PK wajib disertai alasan.", "reason")


@dataclass(frozen=True)
class PrintedItem:
    """One row of the agreement's first table: Sasaran | Indikator | Target | Satuan."""

    objective: str
    indicator_id: int
    indicator_code: str
    indicator: str
    target: Decimal
    high: Decimal | None
    unit_of_measure: str


def _party(signatory: Signatory | None, level: AgreementLevel | None) -> dict[str, Any] | None:
    if signatory is None or level is None:
        return None
    return {
        "name": signatory.name,
        "nip": signatory.printed_nip(level),
        "rank": signatory.rank,
        "position": signatory.position,
        "acting": signatory.acting.value,
        "title": signatory.title(),
    }


SUPERIOR_LEVEL = {
    AgreementLevel.JPT: AgreementLevel.KEPALA_DAERAH,
    AgreementLevel.ADMINISTRATOR: AgreementLevel.JPT,
    AgreementLevel.PENGAWAS: AgreementLevel.ADMINISTRATOR,
}


def printed(
    *,
    level: AgreementLevel,
    superior_level: AgreementLevel | None,
    year: int,
    unit_name: str,
    kind: VersionKind,
    first_party: Signatory,
    second_party: Signatory | None,
    items: Sequence[PrintedItem],
    lines: Sequence[BudgetLine],
) -> dict[str, Any]:
    """Everything the signed document prints, as the frozen snapshot keeps it (sakip-wave2.md
    §1.3): decimals as strings, NIP only where it is printed, the annex with its TOTAL."""
    title = "PERJANJIAN KINERJA PERUBAHAN" if kind is VersionKind.PERUBAHAN else "PERJANJIAN KINERJA"
    total = annex_total(lines)
    annex_level = BudgetLevel.PROGRAM if level is AgreementLevel.KEPALA_DAERAH else ANNEX_LEVEL[level]
    return {
        "title": f"{title} TAHUN {year}",
        "unit": unit_name,
        "year": year,
        "level": level.value,
        "kind": kind.value,
        "first_party": _party(first_party, level),
        "second_party": _party(second_party, superior_level or SUPERIOR_LEVEL.get(level)),
        "items": [
            {
                "objective": item.objective,
                "indicator_id": item.indicator_id,
                "indicator_code": item.indicator_code,
                "indicator": item.indicator,
                "target": str(item.target),
                "high": None if item.high is None else str(item.high),
                "unit_of_measure": item.unit_of_measure,
            }
            for item in items
        ],
        "budget_level": annex_level.value,
        "budget_lines": [{"code": line.code.text, "name": line.name, "amount": str(line.amount)} for line in lines],
        "budget_total": str(total),
        "budget_total_text": rupiah(total),
    }


def agreement_deadline(dpa_approved_on: date) -> date:
    """A Perjanjian Kinerja is due within one month of the approval of the budget document (DPA,
    sakip-wave2.md §1.2): the same day of the next month, or that month's last day."""
    year, month = (
        (dpa_approved_on.year + 1, 1)
        if dpa_approved_on.month == 12
        else (
            dpa_approved_on.year,
            dpa_approved_on.month + 1,
        )
    )
    return date(year, month, min(dpa_approved_on.day, monthrange(year, month)[1]))
