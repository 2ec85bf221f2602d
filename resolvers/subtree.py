"""Deep reads compiled from their selection: everything a nested query asks for under an org unit
(or a page of indicators) is loaded before completion, a level of the tree per statement,
instead of resolver by resolver.

A nested tree (an agency, its units and their units, each with its indicators' achievements)
was resolved level by level: at each level the children, the indicators and the achievements
were loaded (16 statements) and then completed value by value. Here the selection is read
first; the same DataLoaders are then driven breadth-first over the whole subtree (one statement
per level of units, one for every unit's indicators, the achievement statements once per
period asked for), and the objects returned carry what was loaded, so the prepared completion
(api/completion.py) answers the whole subtree in one pass. The figures are those of the
resolvers, loaded by the same loaders; what the selection asks beyond this (a unit's
government, an indicator's targets, children of another year) is resolved as before.
"""

import contextlib
from collections.abc import Sequence
from dataclasses import dataclass, field

from strawberry.types.nodes import FragmentSpread, InlineFragment, SelectedField, Selection

from domain.errors import DomainError
from domain.periods import Period, period
from schema.types import Achievement, Indicator, Info, OrgUnit, Realisation, Target
from store.loaders import AchievementKey

MAX_LEVELS = 4  # of `children` loaded ahead below the unit asked for
VALUE_FIELDS = ("targets", "realisations")  # an indicator's raw values, loaded ahead per year asked


@dataclass
class _Wanted:
    levels: int = 0
    indicators: bool = False
    periods: set[Period] = field(default_factory=set)
    values: set[tuple[str, int | None]] = field(default_factory=set)  # ("targets" | "realisations", year)


# Which fields lead where, from each type: the only paths loaded ahead.
_UNIT, _INDICATOR, _CONNECTION, _EDGE = "OrgUnit", "Indicator", "IndicatorConnection", "IndicatorEdge"


def _read(selections: Sequence[Selection], on: str, level: int, wanted: _Wanted) -> None:
    for selection in selections:
        if isinstance(selection, (InlineFragment, FragmentSpread)):
            _read(selection.selections, on, level, wanted)
            continue
        assert isinstance(selection, SelectedField)
        name, arguments = selection.name, selection.arguments
        if on == _UNIT and name == "children" and arguments.get("year") is None and level < MAX_LEVELS:
            wanted.levels = max(wanted.levels, level + 1)
            _read(selection.selections, _UNIT, level + 1, wanted)
        elif on == _UNIT and name == "indicators":
            wanted.indicators = True
            _read(selection.selections, _INDICATOR, level, wanted)
        elif on == _CONNECTION and name == "edges":
            _read(selection.selections, _EDGE, level, wanted)
        elif on == _EDGE and name == "node":
            _read(selection.selections, _INDICATOR, level, wanted)
        elif on == _INDICATOR and name in VALUE_FIELDS:
            with contextlib.suppress(TypeError, ValueError):
                year = arguments.get("year")
                wanted.values.add((name, None if year is None else int(year)))
        elif on == _INDICATOR and name == "achievement":
            # Strawberry gives literals as written (strings) and variables coerced. A bad period is
            # left to the achievement resolver, which reports it.
            with contextlib.suppress(DomainError, KeyError, TypeError, ValueError):
                quarter = arguments.get("quarter")
                wanted.periods.add(period(int(arguments["year"]), None if quarter is None else int(quarter)))


def _wanted(info: Info, on: str) -> _Wanted:
    wanted = _Wanted()
    for selected in info.selected_fields:
        _read(selected.selections, on, 0, wanted)
    return wanted


async def unit_with_subtree(info: Info, unit: OrgUnit) -> OrgUnit:
    """The unit, with the children, indicators and achievements its selection asks for loaded."""
    wanted = _wanted(info, _UNIT)
    loaders = info.context.loaders
    units, level = [unit], [unit]
    for _ in range(wanted.levels):
        found = await loaders.child_units_by_parent_id.load_many([(u.record.id, None) for u in level])
        for parent, records in zip(level, found, strict=True):
            parent.children_ahead = [OrgUnit.of(record) for record in records]
        level = [child for parent in level for child in parent.children_ahead or []]
        units += level
    if wanted.indicators:
        found_indicators = await loaders.indicators_by_org_unit_id.load_many([u.record.id for u in units])
        for owner, owned in zip(units, found_indicators, strict=True):
            owner.indicators_ahead = [Indicator.of(record) for record in owned]
        indicators = [i for u in units for i in u.indicators_ahead or []]
        await with_achievements(info, indicators, wanted.periods)
        await with_values(info, indicators, wanted.values)
    return unit


async def page_with_achievements(info: Info, indicators: Sequence[Indicator]) -> None:
    """A connection page's indicators, with the achievements and values its selection asks for loaded."""
    wanted = _wanted(info, _CONNECTION)
    await with_achievements(info, indicators, wanted.periods)
    await with_values(info, indicators, wanted.values)


async def with_values(info: Info, indicators: Sequence[Indicator], wanted: set[tuple[str, int | None]]) -> None:
    """Each indicator's targets and realisations of the years asked for, one statement per field
    and year for all of them (not one per level of the tree, and a year's rows, not every year's)."""
    if not indicators or not wanted:
        return
    loaders = info.context.loaders
    for name, year in sorted(wanted, key=lambda w: (w[0], w[1] or 0)):
        keys = [(i.record.id, year) for i in indicators]
        if name == "targets":
            targets = await loaders.targets_by_indicator_year.load_many(keys)
            for indicator, target_records in zip(indicators, targets, strict=True):
                scale = indicator.record.ordinal_scale
                indicator.prepare_values(name, year, [Target.of(r, scale) for r in target_records])
        else:
            realisations = await loaders.realisations_by_indicator_year.load_many(keys)
            for indicator, realisation_records in zip(indicators, realisations, strict=True):
                scale = indicator.record.ordinal_scale
                indicator.prepare_values(name, year, [Realisation.of(r, scale) for r in realisation_records])


async def with_achievements(info: Info, indicators: Sequence[Indicator], periods: set[Period]) -> None:
    if not indicators or not periods:
        return
    keys = [AchievementKey(i.record.id, p) for i in indicators for p in periods]
    evaluations = await info.context.loaders.achievement_by_indicator_period.load_many(keys)
    by_key = dict(zip(keys, evaluations, strict=True))
    for indicator in indicators:
        indicator.achievements_ahead = {
            (p.year, p.quarter): (Achievement.of(e) if (e := by_key[AchievementKey(indicator.record.id, p)]) else None)
            for p in periods
        }


def selected_names(info: Info) -> set[str]:
    """Every field name selected anywhere below the field being resolved (fragments included):
    enough for reads whose shape is fixed (a plan's versions, goals, anchors), where a name
    says which loads the selection needs."""
    names: set[str] = set()

    def read(selections: Sequence[Selection]) -> None:
        for selection in selections:
            if isinstance(selection, SelectedField):
                names.add(selection.name)
            read(selection.selections)

    for selected in info.selected_fields:
        read(selected.selections)
    return names
