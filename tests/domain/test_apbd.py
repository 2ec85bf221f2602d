"""The APBD import's rules (domain/apbd.py) with sakip-wave2's worked examples W4 and W5."""

from decimal import Decimal

from domain.apbd import (
    ApbdLine,
    MatchedBy,
    check_lines,
    differences,
    match_units,
    name_key,
    normalise_unit_code,
)
from domain.budget import sipd_code, sipd_code_of_cells

UNIT = "5.01.0.00.0.00.01.0000"


def _line(code: str, pagu: int | None, unit: str = UNIT, name: str = "") -> ApbdLine:
    return ApbdLine(unit, sipd_code(code), name or code, None if pagu is None else Decimal(pagu))


def test_w4_cells_and_unit_codes_normalise_to_one_key() -> None:
    # W4: B 1, C 1, D 1, E 2.1, F 1 → 1.01.01.2.01.0001; unit 5.01.0.00.0.00.01.0000 as it is.
    assert sipd_code_of_cells("1", "1", "1", "2.1", "1").text == "1.01.01.2.01.0001"
    assert sipd_code_of_cells("1", "01", "01", "2.01", "0001") == sipd_code_of_cells("1", "1", "1", "2.1", "1")
    assert normalise_unit_code(UNIT) == UNIT
    assert normalise_unit_code(" 5.1.0.0.0.0.1.0 ") == UNIT
    assert normalise_unit_code("skpd-7") == "SKPD-7"  # another system's shape is kept, not guessed


def test_the_same_key_twice_and_lines_without_their_parent_are_refused() -> None:
    lines = [
        _line("1.02.02", 100),
        _line("1.2.2", 100),  # the same program, typed without zeros
        _line("1.02.02.2.01", 50),
        _line("1.02.03.2.01", 50),  # its program 1.02.03 is not in the file
        _line("1.02.02.2.02.0001", 10),  # its kegiatan 1.02.02.2.02 neither
    ]
    assert [(e.code, e.field) for e in check_lines(lines)] == [
        ("DUPLICATE_ROW", "lines.1.code"),
        ("MISSING_PARENT", "lines.3.code"),
        ("MISSING_PARENT", "lines.4.code"),
    ]
    assert "1.02.03" in check_lines(lines)[1].message


def test_w5_a_program_short_of_its_kegiatan_by_a_million_is_reported() -> None:
    lines = [
        _line("5.01.01", 500_000_000),
        _line("5.01.01.2.01", 300_000_000),
        _line("5.01.01.2.02", 199_000_000),
        _line("5.01.01.2.01.0001", 300_000_000),  # the kegiatan's own sub-kegiatan add up: nothing to report
        _line("5.01.02", None),  # no pagu: nothing to reconcile
        _line("5.01.02.2.01", 10),
    ]
    found = differences(lines)
    assert [(d.code.text, d.pagu, d.below, d.difference) for d in found] == [
        ("5.01.01", Decimal(500_000_000), Decimal(499_000_000), Decimal(1_000_000))
    ]


def test_a_difference_under_one_rupiah_is_rounding_and_not_reported() -> None:
    lines = [_line("5.01.01", 100), ApbdLine(UNIT, sipd_code("5.01.01.2.01"), "k", Decimal("99.50"))]
    assert differences(lines) == []
    assert len(differences([_line("5.01.01", 100), _line("5.01.01.2.01", 99)])) == 1


def test_units_match_by_mapping_alias_or_exact_name_and_similar_names_are_only_suggested() -> None:
    agencies = [(1, "Dinas Kesehatan"), (2, "Dinas Pendidikan dan Kebudayaan"), (3, "Badan Pendapatan Daerah")]
    units = {
        "1.02.0.00.0.00.01.0000": "DINAS KESEHATAN",  # the exact name, case aside
        "1.01.0.00.0.00.01.0000": "Dinas Pendidikan",  # recorded earlier as an alias of this code
        "5.02.0.00.0.00.02.0000": "Badan Pendapatan Daerah Kota",  # merely similar
        "5.02.0.00.0.00.03.0000": "Sekretariat DPRD",  # like nothing
        "4.01.0.00.0.00.01.0000": "Dinas Sosial",  # not one of ours, but the importer maps it
    }
    aliases = {"1.01.0.00.0.00.01.0000": 2}
    matches = match_units(units, agencies, aliases, {"4.01.0.00.0.00.01.0000": 3})
    assert [(m.org_unit_id, m.matched_by, m.suggestions) for m in matches] == [
        (1, MatchedBy.NAME, ()),
        (2, MatchedBy.ALIAS, ()),
        (None, None, (3,)),
        (None, None, ()),
        (3, MatchedBy.MAPPED, ()),
    ]


def test_an_alias_may_be_the_name_sipd_gives_the_unit() -> None:
    matches = match_units({"X": "Dinkes Kota"}, [(1, "Dinas Kesehatan")], {name_key("DINKES  kota."): 1}, {})
    assert (matches[0].org_unit_id, matches[0].matched_by) == (1, MatchedBy.ALIAS)
