"""Reward and punishment (penghargaan dan sanksi) from published monev rankings: a government's
clauses map a rank or a zone, held for some periods in a row, to a category, e.g. the top three
→ PENGHARGAAN; MERAH two periods in a row → TEGURAN with a meeting with the Sekda (Kabupaten
Tuban's plan; ../shared/sakip-wave2.md §4.2 `reward_punishment_category`).

Clauses read published rankings only, so a list never changes under the leader who confirms it:
the period's frozen ranking and, for "in a row", the frozen rankings of the periods before it
(of the same kind, month or quarter, within the year). A period before it that was never
published breaks the row: nothing is assumed about a ranking nobody froze.
"""

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from enum import Enum
from typing import Any

from domain.errors import DomainError, DomainErrors

MAX_CLAUSES = 10
MAX_IN_A_ROW = 12


class Trigger(Enum):
    RANK_AT_MOST = "RANK_AT_MOST"  # ranked 1..rankAtMost
    ZONE = "ZONE"  # landed in one of the zones (DATA_BELUM_LENGKAP included, for the silent)


@dataclass(frozen=True)
class Clause:
    category: str  # e.g. PENGHARGAAN, TEGURAN
    name: str  # e.g. "Penghargaan", "Teguran tertulis"
    trigger: Trigger
    rank_at_most: int | None = None
    zones: tuple[str, ...] = ()
    in_a_row: int = 1  # this period and the ones before it
    action: str = ""  # what follows, e.g. "Rapat dengan Sekda"


def _code_ok(code: str) -> bool:
    return bool(code) and len(code) <= 40 and code.replace("_", "").isalnum() and code.isupper()


def check_clauses(clauses: Sequence[Clause], zone_codes: Collection[str], field: str = "rewards") -> None:
    """Each clause names a category, a rank of at least 1 or zones the rule has, and at most
    MAX_IN_A_ROW periods in a row."""
    if len(clauses) > MAX_CLAUSES:
        raise DomainError("TOO_MANY_CLAUSES", f"Paling banyak {MAX_CLAUSES} aturan penghargaan dan sanksi.", field)
    errors: list[DomainError] = []
    for index, clause in enumerate(clauses):
        at = f"{field}.{index}"
        if not _code_ok(clause.category):
            errors.append(
                DomainError("INVALID_CODE", "Kode kategori: huruf besar, angka dan garis bawah.", f"{at}.category")
            )
        if not clause.name.strip() or len(clause.name) > 200:
            errors.append(
                DomainError("REQUIRED", "Nama kategori wajib diisi (paling banyak 200 karakter).", f"{at}.name")
            )
        if len(clause.action) > 500:
            errors.append(DomainError("TOO_LONG", "Tindak lanjut paling banyak 500 karakter.", f"{at}.action"))
        if clause.trigger is Trigger.RANK_AT_MOST and (clause.rank_at_most is None or clause.rank_at_most < 1):
            errors.append(
                DomainError(
                    "RANK_REQUIRED", "Sebutkan peringkat terbawah yang masuk (1 atau lebih).", f"{at}.rankAtMost"
                )
            )
        if clause.trigger is Trigger.ZONE:
            unknown = ", ".join(code for code in clause.zones if code not in zone_codes)
            if not clause.zones or unknown:
                known = ", ".join(zone_codes)
                message = f"Sebutkan zona aturan ini ({known}); tidak dikenal: {unknown or '-'}."
                errors.append(DomainError("UNKNOWN_ZONE", message, f"{at}.zones"))
        if not 1 <= clause.in_a_row <= MAX_IN_A_ROW:
            errors.append(
                DomainError("OUT_OF_RANGE", f"Berturut-turut 1 sampai {MAX_IN_A_ROW} periode.", f"{at}.inARow")
            )
    if errors:
        raise DomainErrors(errors)


@dataclass(frozen=True)
class Consequence:
    key: str  # the ranked unit's key in the ranking document
    code: str
    name: str
    category: str
    category_name: str
    action: str
    reason: str


def _holds(clause: Clause, row: Mapping[str, Any] | None) -> bool:
    if row is None:
        return False
    if clause.trigger is Trigger.RANK_AT_MOST:
        return row["rank"] is not None and row["rank"] <= (clause.rank_at_most or 0)
    return bool(row["zone"]["code"] in clause.zones)


def consequences(
    clauses: Sequence[Clause],
    current: Mapping[str, Any],
    earlier: Sequence[Mapping[str, Any] | None],
    labels: Sequence[str],
) -> list[Consequence]:
    """Who falls under which clause in a published ranking. `earlier` are the frozen rankings of
    the periods before it, latest first (None: not published); `labels` names the current
    period then those, for the reasons."""
    earlier_rows = [None if doc is None else {row["key"]: row for row in doc["rows"]} for doc in earlier]
    found: list[Consequence] = []
    for clause in clauses:
        for row in current["rows"]:
            history = [row] + [None if rows is None else rows.get(row["key"]) for rows in earlier_rows]
            needed = history[: clause.in_a_row]
            if len(needed) < clause.in_a_row or not all(_holds(clause, past) for past in needed):
                continue
            found.append(
                Consequence(
                    row["key"], row["code"], row["name"], clause.category, clause.name, clause.action,
                    _reason(clause, row, labels[: clause.in_a_row]),
                )
            )  # fmt: skip
    return found


def _reason(clause: Clause, row: Mapping[str, Any], labels: Sequence[str]) -> str:
    if clause.trigger is Trigger.RANK_AT_MOST:
        what = f"Peringkat {row['rank']} (sampai peringkat {clause.rank_at_most})"
    else:
        what = f"Zona {row['zone']['name']}"
    if clause.in_a_row == 1:
        return f"{what} pada {labels[0]}."
    return f"{what} {clause.in_a_row} periode berturut-turut ({', '.join(reversed(labels))})."


def clauses_as_json(clauses: Sequence[Clause]) -> list[dict[str, Any]]:
    return [
        {
            "category": c.category,
            "name": c.name,
            "trigger": c.trigger.value,
            "rankAtMost": c.rank_at_most,
            "zones": list(c.zones),
            "inARow": c.in_a_row,
            "action": c.action,
        }
        for c in clauses
    ]


def clauses_from_json(data: Sequence[Mapping[str, Any]]) -> tuple[Clause, ...]:
    return tuple(
        Clause(
            c["category"], c["name"], Trigger(c["trigger"]), c.get("rankAtMost"), tuple(c.get("zones", ())),
            int(c.get("inARow", 1)), c.get("action", ""),
        )
        for c in data
    )  # fmt: skip
