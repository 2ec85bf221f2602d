"""Reward and punishment clauses over published rankings (domain/rewards.py)."""

from typing import Any

import pytest

from domain.errors import DomainErrors
from domain.rewards import Clause, Trigger, check_clauses, clauses_as_json, clauses_from_json, consequences

TOP_THREE = Clause("PENGHARGAAN", "Penghargaan", Trigger.RANK_AT_MOST, rank_at_most=3)
RED_TWICE = Clause("TEGURAN", "Teguran", Trigger.ZONE, zones=("MERAH",), in_a_row=2, action="Rapat dengan Sekda")


def ranking(*rows: tuple[str, int | None, str]) -> dict[str, Any]:
    return {
        "rows": [
            {
                "key": key,
                "code": key.upper(),
                "name": f"Dinas {key}",
                "rank": rank,
                "zone": {"code": zone, "name": zone.title()},
            }
            for key, rank, zone in rows
        ]
    }


JULY = ranking(
    ("a", 1, "HIJAU"),
    ("b", 2, "HIJAU"),
    ("c", 3, "KUNING"),
    ("d", 3, "KUNING"),
    ("e", 5, "MERAH"),
    ("f", None, "DATA_BELUM_LENGKAP"),
)
JUNE = ranking(("a", 2, "HIJAU"), ("e", 4, "MERAH"), ("c", 1, "HIJAU"))


def test_the_top_three_are_rewarded_ties_included() -> None:
    found = consequences([TOP_THREE], JULY, [JUNE], ["Juli 2026", "Juni 2026"])
    assert [(c.code, c.category) for c in found] == [
        ("A", "PENGHARGAAN"),
        ("B", "PENGHARGAAN"),
        ("C", "PENGHARGAAN"),
        ("D", "PENGHARGAAN"),
    ]
    assert found[2].reason == "Peringkat 3 (sampai peringkat 3) pada Juli 2026."


def test_red_two_periods_in_a_row_is_a_reprimand_and_a_meeting() -> None:
    found = consequences([RED_TWICE], JULY, [JUNE], ["Juli 2026", "Juni 2026"])
    assert [(c.code, c.category, c.action) for c in found] == [("E", "TEGURAN", "Rapat dengan Sekda")]
    assert found[0].reason == "Zona Merah 2 periode berturut-turut (Juni 2026, Juli 2026)."


def test_a_period_nobody_published_breaks_the_row() -> None:
    assert consequences([RED_TWICE], JULY, [None], ["Juli 2026", "Juni 2026"]) == []
    assert consequences([RED_TWICE], JULY, [], ["Juli 2026"]) == []


def test_the_silent_can_be_called_in_but_are_never_rewarded() -> None:
    silent = Clause("PANGGILAN", "Dipanggil", Trigger.ZONE, zones=("DATA_BELUM_LENGKAP",))
    found = consequences([TOP_THREE, silent], JULY, [], ["Juli 2026"])
    assert [(c.code, c.category) for c in found if c.code == "F"] == [("F", "PANGGILAN")]


def test_clauses_are_checked_against_the_rules_zones() -> None:
    bad = [
        Clause("penghargaan", "", Trigger.RANK_AT_MOST),
        Clause("TEGURAN", "Teguran", Trigger.ZONE, zones=("UNGU",), in_a_row=13),
    ]
    with pytest.raises(DomainErrors) as refused:
        check_clauses(bad, ("MERAH", "KUNING", "HIJAU", "DATA_BELUM_LENGKAP"))
    assert [(e.code, e.field) for e in refused.value.errors] == [
        ("INVALID_CODE", "rewards.0.category"),
        ("REQUIRED", "rewards.0.name"),
        ("RANK_REQUIRED", "rewards.0.rankAtMost"),
        ("UNKNOWN_ZONE", "rewards.1.zones"),
        ("OUT_OF_RANGE", "rewards.1.inARow"),
    ]
    check_clauses([TOP_THREE, RED_TWICE], ("MERAH", "HIJAU"))
    assert clauses_from_json(clauses_as_json([TOP_THREE, RED_TWICE])) == (TOP_THREE, RED_TWICE)
