"""The APBD budget as SIPD exports it (the Lampiran APBD sheet, sakip-wave2.md §6.2): per
perangkat daerah, each program, kegiatan and sub-kegiatan by its SIPD code (domain/budget.py) with
its pagu, for one year's original (MURNI) or revised (PERUBAHAN) budget.

Rules of an import, each here once:
- a line's key is (SIPD unit code, normalised SIPD code): `2` and `02` are one code (W4), so a
  re-import replaces, never duplicates; the same key twice in one file is refused;
- a kegiatan needs its program in the file, a sub-kegiatan its kegiatan (the reconciliation and
  every later reader walk that tree);
- an empty pagu stays empty (not 0);
- totals are reconciled, never corrected: a program's pagu against the sum of its kegiatan, a
  kegiatan's against its sub-kegiatan; a difference (selisih) of Rp 1 or more is reported (W5);
- the SIPD unit is matched to a perangkat daerah by its exact name, or by an alias recorded
  earlier (its SIPD unit code or the name SIPD gives it), or as the importer maps it; a name that
  is merely similar is only suggested, never matched.
"""

import difflib
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import Enum

from domain.budget import BudgetLevel, SipdCode, unallocated
from domain.errors import DomainError

# A pemda's Lampiran holds a few thousand lines (some 40 perangkat daerah × 50–300 lines).
MAX_APBD_LINES = 20_000
# A difference under one Rupiah is rounding in the export, not a missing allocation (W5).
MIN_DIFFERENCE = Decimal(1)
# How alike two names must be (difflib's ratio over their keys) to be suggested.
SUGGESTION_RATIO = 0.6
MAX_SUGGESTIONS = 3
# SIPD unit codes: urusan, bidang, two more urusan.bidang pairs, unit and sub-unit
# (`1.02.0.00.0.00.01.0000`); exports drop leading zeros as they do in budget codes.
UNIT_CODE_WIDTHS = (1, 2, 1, 2, 1, 2, 2, 4)
MAX_UNIT_CODE = 50


class MatchedBy(Enum):
    """How a SIPD unit was matched to a perangkat daerah."""

    NAME = "NAME"  # the perangkat daerah's own name, exactly (case and punctuation aside)
    ALIAS = "ALIAS"  # an alias recorded earlier: the SIPD unit code or the name SIPD uses
    MAPPED = "MAPPED"  # the importer's mapping in this import (recorded as an alias when written)


@dataclass(frozen=True)
class ApbdLine:
    unit_code: str  # normalise_unit_code
    code: SipdCode
    name: str
    pagu: Decimal | None


@dataclass(frozen=True)
class Difference:
    """A budget item whose pagu differs from the sum of the items below it (selisih)."""

    unit_code: str
    code: SipdCode
    name: str
    pagu: Decimal
    below: Decimal
    difference: Decimal  # pagu − below: positive when the items below leave some unallocated


@dataclass(frozen=True)
class UnitMatch:
    unit_code: str
    name: str  # the name the file gives the unit ("" when it gives none)
    org_unit_id: int | None
    matched_by: MatchedBy | None
    suggestions: tuple[int, ...]  # perangkat daerah with a similar name, best first


def normalise_unit_code(text: str) -> str:
    """A SIPD unit code with every segment at its width (`5.1.0.0.0.0.1.0` →
    `5.01.0.00.0.00.01.0000`); another shape is kept as typed, spaces trimmed."""
    stripped = "".join(text.split())
    parts = stripped.split(".")
    if len(parts) == len(UNIT_CODE_WIDTHS) and all(
        part.isascii() and part.isdigit() and len(part.lstrip("0")) <= width
        for part, width in zip(parts, UNIT_CODE_WIDTHS, strict=True)
    ):
        return ".".join(part.zfill(width)[-width:] for part, width in zip(parts, UNIT_CODE_WIDTHS, strict=True))
    return stripped.upper()


def name_key(name: str) -> str:
    """A unit's name compared without case, punctuation or extra spaces."""
    kept = "".join(ch if ch.isalnum() else " " for ch in name.lower())
    return " ".join(kept.split())


def check_lines(lines: Sequence[ApbdLine]) -> list[DomainError]:
    """The same key twice, and kegiatan or sub-kegiatan without their parent in the file; each
    error at `lines.N.code`."""
    errors: list[DomainError] = []
    keys = {(line.unit_code, line.code) for line in lines}
    seen: set[tuple[str, SipdCode]] = set()
    for index, line in enumerate(lines):
        key = (line.unit_code, line.code)
        if key in seen:
            errors.append(
                DomainError(
                    "DUPLICATE_ROW", f"Kode {line.code.text} muncul dua kali untuk unit {line.unit_code}.",
                    f"lines.{index}.code",
                )
            )  # fmt: skip
        seen.add(key)
        parent = line.code.parent()
        if parent is not None and (line.unit_code, parent) not in keys:
            above = "program" if line.code.level is BudgetLevel.ACTIVITY else "kegiatan"
            errors.append(
                DomainError(
                    "MISSING_PARENT", f"Kode {line.code.text} tidak punya baris {above} {parent.text} di atasnya.",
                    f"lines.{index}.code",
                )
            )  # fmt: skip
    return errors


def _below(lines: Iterable[ApbdLine]) -> dict[tuple[str, SipdCode], list[Decimal]]:
    """Each item's pagu-bearing items directly below it, by (unit, code)."""
    below: dict[tuple[str, SipdCode], list[Decimal]] = defaultdict(list)
    for line in lines:
        parent = line.code.parent()
        if parent is not None and line.pagu is not None:
            below[(line.unit_code, parent)].append(line.pagu)
    return below


def differences(lines: Iterable[ApbdLine]) -> list[Difference]:
    """Every program and kegiatan whose pagu differs by Rp 1 or more from the sum of the items
    below it that have a pagu (W5: 500.000.000 against 300.000.000 + 199.000.000 → 1.000.000), in
    the file's order. An item without a pagu, or with nothing below it, has nothing to reconcile."""
    listed = list(lines)
    below = _below(listed)
    found = []
    for line in listed:
        amounts = below.get((line.unit_code, line.code))
        if line.pagu is None or not amounts:
            continue
        total = sum(amounts, Decimal(0))
        if abs(line.pagu - total) >= MIN_DIFFERENCE:
            found.append(Difference(line.unit_code, line.code, line.name, line.pagu, total, line.pagu - total))
    return found


def unallocated_below(lines: Sequence[ApbdLine]) -> list[Decimal | None]:
    """Each line's pagu not given to the items below it (domain.budget.unallocated), in order."""
    below = _below(lines)
    return [unallocated(line.pagu, below.get((line.unit_code, line.code), [])) for line in lines]


def match_units(
    units: Mapping[str, str],
    agencies: Sequence[tuple[int, str]],
    aliases: Mapping[str, int],
    mapped: Mapping[str, int],
) -> list[UnitMatch]:
    """Each SIPD unit of the file (`units`: unit code → the name the file gives it) matched to
    one of `agencies` (id, name): as the importer mapped it, else by a recorded alias of its code
    or of its name (`aliases`, keyed by normalise_unit_code / name_key), else by an agency's exact
    name; otherwise unmatched, with the agencies whose names are alike suggested."""
    by_name: dict[str, int] = {}
    for agency_id, agency_name in agencies:
        by_name.setdefault(name_key(agency_name), agency_id)
    keyed = [(agency_id, name_key(agency_name)) for agency_id, agency_name in agencies]
    matches = []
    for unit_code, name in units.items():
        key = name_key(name)
        if unit_code in mapped:
            matches.append(UnitMatch(unit_code, name, mapped[unit_code], MatchedBy.MAPPED, ()))
        elif unit_code in aliases or (key and key in aliases):
            found = aliases.get(unit_code, aliases.get(key))
            matches.append(UnitMatch(unit_code, name, found, MatchedBy.ALIAS, ()))
        elif key and key in by_name:
            matches.append(UnitMatch(unit_code, name, by_name[key], MatchedBy.NAME, ()))
        else:
            matches.append(UnitMatch(unit_code, name, None, None, _alike(key, keyed)))
    return matches


def _alike(key: str, agencies: Sequence[tuple[int, str]]) -> tuple[int, ...]:
    if not key:
        return ()
    scored = []
    for agency_id, agency_key in agencies:
        ratio = difflib.SequenceMatcher(None, key, agency_key).ratio()
        if ratio >= SUGGESTION_RATIO:
            scored.append((-ratio, agency_id))
    return tuple(agency_id for _, agency_id in sorted(scored)[:MAX_SUGGESTIONS])


def pagu_of_pemda(agencies: Iterable[Mapping[str, Decimal | None]]) -> dict[str, Decimal | None]:
    """Each code's pagu over a pemda's perangkat daerah (the Kepala Daerah's annex is the union of
    the JPT programs, a program two agencies run counted once with both amounts): summed, and
    None only where no agency records an amount."""
    total: dict[str, Decimal | None] = {}
    for pagu_by_code in agencies:
        for code, pagu in pagu_by_code.items():
            known = total.get(code)
            total[code] = pagu if known is None else (known if pagu is None else known + pagu)
    return total


def annex_difference(amount: Decimal, pagu: Decimal | None) -> Decimal | None:
    """A Perjanjian Kinerja annex line against the APBD in force: the anggaran it promises minus
    the pagu of the same code (0 when they agree); None where the APBD gives no pagu."""
    return None if pagu is None else amount - pagu
