from datetime import date
from decimal import Decimal as D

import pytest

from domain.entries import Context, IndicatorFacts, RealisationEntry, TargetEntry, check_realisations, check_targets
from domain.enums import AchievementMethod as M
from domain.enums import OrgUnitKind as K
from domain.enums import RollupFromChildren as F
from domain.errors import DomainError
from domain.structure import check_unit_placement
from domain.workflow import ReportState

PLAIN = IndicatorFacts(allow_negative=False, ordinal_scale=None, method=M.RATIO, rollup_from_children=F.NONE)
GRADED = IndicatorFacts(allow_negative=False, ordinal_scale="SAKIP_GRADE", method=M.RATIO, rollup_from_children=F.NONE)
BAND = IndicatorFacts(allow_negative=False, ordinal_scale=None, method=M.RANGE, rollup_from_children=F.NONE)
COMPUTED = IndicatorFacts(allow_negative=False, ordinal_scale=None, method=M.RATIO, rollup_from_children=F.SUM)
FACTS = {1: PLAIN, 2: GRADED, 3: BAND, 4: COMPUTED}
EMPTY = Context(report_states={}, versions={})


def realisation(
    indicator_id: int | None = 1, quarter: int = 1, value: str | None = "5", **kw: object
) -> RealisationEntry:
    fields: dict[str, object] = {
        "indicator_id": indicator_id,
        "year": 2026,
        "quarter": quarter,
        "value": None if value is None else D(value),
        "grade": None,
        "note": "",
    }
    fields.update(kw)
    return RealisationEntry(**fields)  # type: ignore[arg-type]


def codes(errors: list[DomainError]) -> list[tuple[str, str | None]]:
    return [(e.code, e.field) for e in errors]


@pytest.mark.parametrize(
    ("entry", "expected"),
    [
        (realisation(value="-1"), ("NEGATIVE_VALUE", "realisations.0.value")),
        (realisation(value="NaN"), ("NOT_FINITE", "realisations.0.value")),
        (realisation(value="Infinity"), ("NOT_FINITE", "realisations.0.value")),
        (realisation(quarter=5), ("INVALID_QUARTER", "realisations.0.quarter")),
        (realisation(year=1900), ("INVALID_YEAR", "realisations.0.year")),
        (realisation(indicator_id=99), ("NOT_FOUND", "realisations.0.indicatorId")),
        (realisation(indicator_id=None), ("NOT_FOUND", "realisations.0.indicatorId")),
        (realisation(note="x" * 4001), ("TOO_LONG", "realisations.0.note")),
        (realisation(value="1e15"), ("VALUE_TOO_LARGE", "realisations.0.value")),
        (realisation(value="1.1234567"), ("TOO_MANY_DECIMALS", "realisations.0.value")),
        (realisation(indicator_id=4), ("COMPUTED_INDICATOR", "realisations.0.indicatorId")),
        (realisation(indicator_id=2, value=None, grade="Z"), ("INVALID_GRADE", "realisations.0.grade")),
        (realisation(indicator_id=1, value=None, grade="BB"), ("NOT_ORDINAL", "realisations.0.grade")),
    ],
)
def test_bad_realisation_rows_are_refused_at_their_field(entry: RealisationEntry, expected: tuple[str, str]) -> None:
    checked, errors = check_realisations([entry], FACTS, EMPTY)
    assert (checked, codes(errors)) == ([], [expected])


def test_duplicate_rows_in_one_batch_are_refused() -> None:
    _, errors = check_realisations([realisation(), realisation(value="6")], FACTS, EMPTY)
    assert codes(errors) == [("DUPLICATE_ROW", "realisations.1")]


def test_empty_batch_is_refused() -> None:
    assert codes(check_realisations([], FACTS, EMPTY)[1]) == [("EMPTY_BATCH", "realisations")]


def test_grade_maps_through_the_scale() -> None:
    checked, errors = check_realisations([realisation(indicator_id=2, value=None, grade="bb")], FACTS, EMPTY)
    assert errors == [] and checked[0].value == D(5)


def test_target_of_zero_is_refused_except_as_the_low_end_of_a_range() -> None:
    zero = TargetEntry(indicator_id=1, year=2026, quarter=None, value=D(0), high=None, grade=None)
    band = TargetEntry(indicator_id=3, year=2026, quarter=None, value=D(0), high=D(5), grade=None)
    assert codes(check_targets([zero], FACTS, EMPTY)[1]) == [("ZERO_TARGET", "targets.0.value")]
    assert check_targets([band], FACTS, EMPTY)[1] == []


def test_range_targets_need_an_ordered_upper_bound() -> None:
    missing = TargetEntry(indicator_id=3, year=2026, quarter=2, value=D(5), high=None, grade=None)
    reversed_ = TargetEntry(indicator_id=3, year=2026, quarter=3, value=D(5), high=D(4), grade=None)
    stray = TargetEntry(indicator_id=1, year=2026, quarter=None, value=D(5), high=D(6), grade=None)
    assert codes(check_targets([missing, reversed_, stray], FACTS, EMPTY)[1]) == [
        ("REQUIRED", "targets.0.high"),
        ("INVALID_RANGE", "targets.1.high"),
        ("NOT_RANGE", "targets.2.high"),
    ]


JAN = date(2025, 1, 1)


def test_units_nest_by_kind() -> None:
    check_unit_placement(
        kind=K.ESELON_III,
        parent_kind=K.PERANGKAT_DAERAH,
        valid_from=JAN,
        valid_to=None,
        parent_valid_from=JAN,
        parent_valid_to=None,
    )
    with pytest.raises(DomainError) as error:
        check_unit_placement(
            kind=K.PERANGKAT_DAERAH,
            parent_kind=K.ESELON_III,
            valid_from=JAN,
            valid_to=None,
            parent_valid_from=JAN,
            parent_valid_to=None,
        )
    assert (error.value.code, error.value.field) == ("INVALID_PARENT", "parentId")


def test_a_unit_cannot_outlive_its_parent() -> None:
    with pytest.raises(DomainError) as error:
        check_unit_placement(
            kind=K.ESELON_III,
            parent_kind=K.PERANGKAT_DAERAH,
            valid_from=JAN,
            valid_to=None,
            parent_valid_from=JAN,
            parent_valid_to=date(2026, 12, 31),
        )
    assert error.value.code == "INVALID_VALIDITY"


def test_values_of_a_submitted_report_are_not_editable() -> None:
    stored = Context(report_states={(0, 2026, 1): ReportState.SUBMITTED}, versions={})
    _, errors = check_realisations([realisation()], FACTS, stored)
    assert codes(errors) == [("REPORT_NOT_EDITABLE", "realisations.0")]
    returned = Context(report_states={(0, 2026, 1): ReportState.RETURNED}, versions={})
    assert check_realisations([realisation()], FACTS, returned)[1] == []


def test_an_edit_must_name_the_version_it_replaces() -> None:
    stored = Context(report_states={}, versions={(1, 2026, 1): 3})
    assert codes(check_realisations([realisation()], FACTS, stored)[1]) == [
        ("CONFLICT", "realisations.0.expectedVersion")
    ]
    assert codes(check_realisations([realisation(expected_version=2)], FACTS, stored)[1]) == [
        ("CONFLICT", "realisations.0.expectedVersion")
    ]
    checked, errors = check_realisations([realisation(expected_version=3)], FACTS, stored)
    assert errors == [] and checked[0].is_new is False


def test_a_new_value_must_not_claim_a_version() -> None:
    _, errors = check_realisations([realisation(expected_version=1)], FACTS, EMPTY)
    assert codes(errors) == [("CONFLICT", "realisations.0.expectedVersion")]
