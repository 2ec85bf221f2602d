"""Rules the pages print by: Indonesian notation, the period a unit reports now, and when a
figure may be coloured by its category."""

from datetime import date
from decimal import Decimal as D

import pytest

from domain.completeness import Coverage, shown_category
from domain.enums import OrgUnitKind
from domain.notation import indonesian_date, indonesian_fixed, indonesian_number
from domain.periods import last_ended_quarter
from domain.workflow import report_covers_subtree


@pytest.mark.parametrize(
    ("value", "places", "printed"),
    [
        (D("87.5"), 2, "87,50"),
        (D("1234567.891"), 1, "1.234.567,9"),
        (D("-0.5"), 2, "-0,50"),
        (D("99.999"), 2, "100,00"),
    ],
)
def test_fixed_decimals_keep_their_zeros(value: D, places: int, printed: str) -> None:
    assert indonesian_fixed(value, places) == printed


def test_numbers_and_dates_as_pages_print_them() -> None:
    assert indonesian_number(D("1250.75")) == "1.250,75"
    assert indonesian_number(D("90.000")) == "90"
    assert indonesian_date(date(2026, 10, 10)) == "10 Oktober 2026"


@pytest.mark.parametrize(
    ("today", "period"),
    [
        (date(2026, 12, 2), (2026, 3)),  # the fourth quarter has not ended
        (date(2026, 10, 1), (2026, 3)),
        (date(2026, 4, 1), (2026, 1)),
        (date(2026, 3, 31), (2025, 4)),  # in the first quarter, the year before's fourth
        (date(2027, 1, 15), (2026, 4)),
    ],
)
def test_the_period_reported_now_is_the_quarter_last_ended(today: date, period: tuple[int, int]) -> None:
    assert last_ended_quarter(today) == period


def test_a_figure_over_part_of_its_indicators_is_never_a_colour() -> None:
    assert shown_category("TINGGI", Coverage(indicator_count=74, counted_count=74)) == "TINGGI"
    assert shown_category("TINGGI", Coverage(indicator_count=74, counted_count=71)) is None
    assert shown_category(None, Coverage(indicator_count=0, counted_count=0)) is None


def test_a_perangkat_daerahs_report_covers_its_subtree_a_pemdas_only_its_own() -> None:
    assert report_covers_subtree(OrgUnitKind.PERANGKAT_DAERAH)
    assert not report_covers_subtree(OrgUnitKind.PEMDA)
