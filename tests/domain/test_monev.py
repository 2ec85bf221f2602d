"""Monev rules, zones and rankings (domain/monev.py) with the reference's worked examples."""

from decimal import Decimal

import pytest

from domain.efficiency import absorbed
from domain.errors import DomainError, DomainErrors
from domain.monev import (
    INCOMPLETE,
    QUARTER_BANDS,
    Entry,
    Group,
    Method,
    Rule,
    Source,
    Warning,
    Zone,
    check_rule,
    check_zones,
    composite,
    on_time_rate,
    rank,
    warnings_of,
    zone_of,
)

D = Decimal
# Bolmong's zones with the gaps of its publication closed: [0, 61) merah, [61, 81) kuning, [81, ∞) hijau.
TRAFFIC = (
    Zone("MERAH", "Merah", D(0), D(61)),
    Zone("KUNING", "Kuning", D(61), D(81)),
    Zone("HIJAU", "Hijau", D(81), None),
)
WEIGHTED = Rule(
    Method.WEIGHTED,
    (
        Group("ACHIEVEMENT", "Capaian kinerja", Source.PLATFORM, D(50)),
        Group("BUDGET_ABSORPTION", "Penyerapan anggaran", Source.PLATFORM, D(30)),
        Group("AUDIT_FOLLOW_UP", "Tindak lanjut temuan", Source.ENTERED, D(20)),
    ),
    TRAFFIC,
)
SIMONEV = Rule(
    Method.SORT_KEYS,
    (
        Group("PHYSICAL_PROGRESS", "Realisasi fisik", Source.ENTERED),
        Group("BUDGET_ABSORPTION", "Realisasi keuangan", Source.PLATFORM),
    ),
)


def codes(errors: DomainErrors) -> list[tuple[str, str | None]]:
    return [(e.code, e.field) for e in errors.errors]


def test_w9_a_third_quarter_60_5_percent_is_rendah_not_sangat_rendah() -> None:
    assert zone_of(QUARTER_BANDS[3], D("60.5")).code == "RENDAH"
    assert zone_of(QUARTER_BANDS[3], D("50.99")).code == "SANGAT_RENDAH"
    assert zone_of(QUARTER_BANDS[3], D(61)).code == "SEDANG"


@pytest.mark.parametrize("quarter", [1, 2, 3, 4])
def test_every_zone_edge_lands_in_exactly_one_zone(quarter: int) -> None:
    zones = QUARTER_BANDS[quarter]
    check_zones(zones)
    edges = {z.lower for z in zones} | {z.upper for z in zones if z.upper is not None}
    for edge in edges:
        for value in (edge - D("0.001"), edge, edge + D("0.001")):
            if value >= 0:
                assert sum(z.holds(value) for z in zones) == 1, (quarter, value)
    assert zone_of(zones, D(1000)).code == "SANGAT_TINGGI"  # above 100 still has a zone
    for edge in (D(61), D(81)):
        assert sum(z.holds(edge) for z in TRAFFIC) == 1
    assert [zone_of(TRAFFIC, v).code for v in (D(0), D("60.99"), D(61), D("80.99"), D(81))] == [
        "MERAH",
        "MERAH",
        "KUNING",
        "KUNING",
        "HIJAU",
    ]


def test_a_gap_between_zones_is_refused_with_the_interval_named() -> None:
    # Bolmong as published: hijau 81–100, kuning 61–80, merah ≤ 60 leaves [60, 61) and [80, 81).
    published = (
        Zone("MERAH", "Merah", D(0), D(60)),
        Zone("KUNING", "Kuning", D(61), D(80)),
        Zone("HIJAU", "Hijau", D(81), None),
    )
    with pytest.raises(DomainErrors) as refused:
        check_zones(published)
    messages = [e.message for e in refused.value.errors]
    assert [e.code for e in refused.value.errors] == ["ZONE_GAP", "ZONE_GAP"]
    assert "[60, 61)" in messages[0] and "[80, 81)" in messages[1]


def test_an_overlap_a_start_above_zero_and_an_end_before_infinity_are_refused() -> None:
    with pytest.raises(DomainErrors) as overlap:
        check_zones((Zone("A", "A", D(0), D(70)), Zone("B", "B", D("60.5"), None)))
    assert overlap.value.errors[0].code == "ZONE_OVERLAP" and "[60,5, 70)" in overlap.value.errors[0].message
    with pytest.raises(DomainErrors) as bounded:
        check_zones((Zone("A", "A", D(10), D(50)), Zone("B", "B", D(50), D(100))))
    assert [(e.code, e.message.split(" tidak")[0]) for e in bounded.value.errors] == [
        ("ZONE_GAP", "Nilai [0, 10)"),
        ("ZONE_GAP", "Nilai [100, ∞)"),
    ]
    with pytest.raises(DomainErrors) as duplicated:
        check_zones((Zone("A", "A", D(0), D(50)), Zone("A", "A2", D(50), None)))
    assert ("DUPLICATE_CODE", "zones.1.code") in codes(duplicated.value)


def test_weights_that_do_not_total_100_are_refused() -> None:
    heavy = Rule(Method.WEIGHTED, (*WEIGHTED.groups[:2], Group("AUDIT_FOLLOW_UP", "Temuan", Source.ENTERED, D(25))))
    with pytest.raises(DomainErrors) as refused:
        check_rule(heavy)
    assert codes(refused.value) == [("WEIGHTS_NOT_100", "groups")]
    assert "105" in refused.value.errors[0].message
    check_rule(WEIGHTED)
    check_rule(SIMONEV)


def test_a_platform_group_the_platform_cannot_compute_is_refused() -> None:
    rule = Rule(Method.SORT_KEYS, (Group("AUDIT_FOLLOW_UP", "Temuan", Source.PLATFORM),))
    with pytest.raises(DomainErrors) as refused:
        check_rule(rule)
    assert codes(refused.value) == [("NOT_ON_PLATFORM", "groups.0.source")]
    with pytest.raises(DomainError):
        check_rule(Rule(Method.SORT_KEYS, ()))


def test_the_composite_weighs_scores_capped_at_100_and_rounds_once() -> None:
    scores = {"ACHIEVEMENT": D("112.5"), "BUDGET_ABSORPTION": D("85.87"), "AUDIT_FOLLOW_UP": D("66.666")}
    # 50 × 100/100 + 30 × 85,87/100 + 20 × 66,666/100 = 50 + 25,761 + 13,3332 = 89,0942
    assert composite(WEIGHTED, scores) == D("89.09")
    assert composite(WEIGHTED, {**scores, "AUDIT_FOLLOW_UP": None}) is None


def test_a_unit_with_one_missing_input_is_data_belum_lengkap_never_a_colour() -> None:
    entries = [
        Entry("a", "Dinas A", {"ACHIEVEMENT": D(95), "BUDGET_ABSORPTION": D(90), "AUDIT_FOLLOW_UP": D(100)}),
        Entry("b", "Dinas B", {"ACHIEVEMENT": D(99), "BUDGET_ABSORPTION": D(99), "AUDIT_FOLLOW_UP": None}),
    ]
    [first, missing] = rank(WEIGHTED, 3, entries)
    assert (first.key, first.rank, first.zone.code) == ("a", 1, "HIJAU")
    assert (missing.key, missing.rank, missing.composite, missing.zone.code) == ("b", None, None, INCOMPLETE)
    assert warnings_of(WEIGHTED, 3, missing, overdue_reports=0) == [Warning.INCOMPLETE]


def test_ties_share_a_rank_and_are_listed_by_name() -> None:
    same = {"ACHIEVEMENT": D(80), "BUDGET_ABSORPTION": D(70), "AUDIT_FOLLOW_UP": D(60)}
    entries = [
        Entry("z", "Dinas Z", same),
        Entry("top", "Dinas Utama", {**same, "ACHIEVEMENT": D(90)}),
        Entry("b", "Badan B", {**same, "AUDIT_FOLLOW_UP": D("60.001")}),  # equal once rounded
        Entry("last", "Dinas Akhir", {**same, "ACHIEVEMENT": D(10)}),
    ]
    rows = rank(WEIGHTED, 1, entries, previous={"z": 1, "last": 4, "top": 3})
    assert [(r.name, r.rank) for r in rows] == [
        ("Dinas Utama", 1),
        ("Badan B", 2),
        ("Dinas Z", 2),
        ("Dinas Akhir", 4),
    ]
    assert [r.movement for r in rows] == [2, None, -1, 0]


def test_sort_keys_compare_one_after_the_other() -> None:
    entries = [
        Entry("a", "A", {"PHYSICAL_PROGRESS": D(70), "BUDGET_ABSORPTION": D(50)}),
        Entry("b", "B", {"PHYSICAL_PROGRESS": D(70), "BUDGET_ABSORPTION": D(65)}),
        Entry("c", "C", {"PHYSICAL_PROGRESS": D(80), "BUDGET_ABSORPTION": D(10)}),
    ]
    rows = rank(SIMONEV, 3, entries)
    assert [(r.key, r.rank) for r in rows] == [("c", 1), ("b", 2), ("a", 3)]
    assert rows[0].composite is None and rows[0].basis == D(80)  # zoned on the first key
    assert [r.zone.code for r in rows] == ["SANGAT_TINGGI", "TINGGI", "TINGGI"]  # TW3: [79, ∞), [70, 79)
    ascending = Rule(Method.SORT_KEYS, (Group("COST", "Biaya", Source.ENTERED, descending=False),), TRAFFIC)
    cheap = rank(ascending, 1, [Entry("x", "X", {"COST": D(90)}), Entry("y", "Y", {"COST": D(20)})])
    assert [r.key for r in cheap] == ["y", "x"]


def test_early_warnings_below_the_threshold_or_not_reported() -> None:
    rows = rank(
        WEIGHTED,
        2,
        [Entry("low", "Low", {"ACHIEVEMENT": D(40), "BUDGET_ABSORPTION": D(40), "AUDIT_FOLLOW_UP": D(40)})],
    )
    assert rows[0].composite == D(40) and WEIGHTED.warning_threshold(2) == D(61)  # the lowest zone's upper bound
    assert warnings_of(WEIGHTED, 2, rows[0], overdue_reports=1) == [Warning.NOT_REPORTED, Warning.BELOW_THRESHOLD]
    assert SIMONEV.warning_threshold(3) == D(51)


def test_rates_and_absorption() -> None:
    assert on_time_rate(2, 3) is not None and round(on_time_rate(2, 3) or 0, 2) == D("66.67")
    assert on_time_rate(0, 0) is None
    assert round(absorbed(D(855830897000), D(734881464333)) or 0, 2) == D("85.87")  # W8
    assert absorbed(D(0), D(5)) is None
