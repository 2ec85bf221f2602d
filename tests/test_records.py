"""Each record is declared once (store/shapes.py): its dataclass says what is selected and how a
row is unpacked, and the Strawberry types copy their plain fields from it by name."""

from dataclasses import fields
from decimal import Decimal as D

import pytest

from domain.entries import IndicatorFacts
from domain.enums import AchievementCategory, AchievementMethod, Polarity
from domain.evaluation import IndicatorRule
from domain.rollup import RollupTotals
from schema.types import Government, Indicator, OrgUnit, copied_fields
from store.aggregates import TOTAL_COLUMNS, totals_of_values, totals_row
from store.records import FACTS, INDICATOR, RULE, GovernmentRecord, IndicatorRecord, OrgUnitRecord
from store.shapes import RowShape
from store.tables import government, indicator, org_unit


@pytest.mark.parametrize(
    ("type_", "record"), [(Government, GovernmentRecord), (OrgUnit, OrgUnitRecord), (Indicator, IndicatorRecord)]
)
def test_a_type_copies_only_fields_its_record_has(type_: type, record: type) -> None:
    copied = copied_fields(type_)
    assert copied, type_
    assert set(copied) <= {f.name for f in fields(record)}


def test_every_declared_field_is_selected_in_order_from_its_table() -> None:
    assert [c.name for c in INDICATOR.columns(indicator)] == [f.name for f in fields(IndicatorRecord)]
    rule_columns = RULE.columns(indicator, government)
    assert [c.table.name for c in rule_columns][-2:] == ["government", "government"]
    assert [c.name for c in rule_columns][2:4] == ["achievement_method", "period_aggregation"]
    assert len(FACTS.columns({"writable": indicator.c.allow_negative}, indicator, org_unit)) == len(
        fields(IndicatorFacts)
    )


def test_rows_are_read_by_position_with_enums_from_their_stored_values() -> None:
    row = (7, "HIGHER_IS_BETTER", "RATIO", "LAST", "NONE", D(1), None, "MIRROR", D(120))
    rule = RULE.read(row)
    assert rule.polarity is Polarity.HIGHER_IS_BETTER and rule.lower_is_better_method is AchievementMethod.MIRROR
    assert (rule.id, rule.parent_id, rule.achievement_cap) == (7, None, D(120))
    assert RULE.read(("skip", *row), 1) == rule


def test_a_column_no_source_has_is_refused() -> None:
    with pytest.raises(KeyError, match="method"):  # the rule names it otherwise than the table
        RowShape(IndicatorRule).columns(indicator)


def test_stored_totals_read_back_as_written() -> None:
    """An aggregate row's columns are RollupTotals's figures, then one count per category."""
    totals = RollupTotals(5, 3, D("250.5"), D(3), ((AchievementCategory.TINGGI, 2), (AchievementCategory.RENDAH, 1)))
    row = totals_row(totals)
    assert list(row) == list(TOTAL_COLUMNS)
    assert totals_of_values([row[column] for column in TOTAL_COLUMNS]) == totals
