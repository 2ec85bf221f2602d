"""Writes that shape the hierarchy (org units) and the indicators in it."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy.ext.asyncio import AsyncConnection

from actions import audit
from actions.caller import Caller
from domain.achievement import default_method
from domain.cascade import CascadeEnd, check_cascade_link, may_consent
from domain.enums import (
    AchievementMethod,
    IndicatorType,
    OrgUnitKind,
    PeriodAggregation,
    Polarity,
    ReportingFrequency,
    RollupFromChildren,
)
from domain.errors import DomainError
from domain.indicators import FIRST_YEAR, Definition, check_definition_change, check_method, check_weight
from domain.scales import scale_named
from domain.structure import check_unit_placement
from domain.values import MAX_CODE_LENGTH, MAX_NAME_LENGTH, MAX_NOTE_LENGTH, check_text_at
from policies.paths import province_code
from policies.permissions import Permission
from store import audit as audit_log
from store import hierarchy, indicators, writes
from store.aggregates import AggregateWindow
from store.indicators import cascade_end_of
from store.records import IndicatorRecord, OrgUnitRecord

MAX_UNIT_OF_MEASURE_LENGTH = 50


def _text(value: str, field: str, max_length: int, *, required: bool = True) -> str:
    return check_text_at(value, field, max_length=max_length, required=required)


def _not_found(field: str, what: str) -> DomainError:
    return DomainError("NOT_FOUND", f"{what} tidak ditemukan.", field)


async def create_org_unit(
    conn: AsyncConnection,
    *,
    caller: Caller,
    parent_id: int | None,
    government_code: str | None,
    code: str,
    name: str,
    kind: OrgUnitKind,
    valid_from: date,
    valid_to: date | None,
) -> OrgUnitRecord:
    """A unit under `parent_id`, or (kind PEMDA) a government's root unit; ids that name
    nothing (0) are not found."""
    code = _text(code, "code", MAX_CODE_LENGTH)
    name = _text(name, "name", MAX_NAME_LENGTH)
    viewer = caller.viewer
    if parent_id is not None:
        found = await hierarchy.unit_with_government(conn, viewer, parent_id)
        if found is None:
            raise _not_found("parentId", "Unit induk")
        parent, government = found
    elif government_code is not None:
        governments = await hierarchy.governments_by_codes(conn, viewer, [government_code])
        if not governments:
            raise _not_found("governmentCode", "Pemerintah daerah")
        parent, government = None, governments[0]
    else:
        raise DomainError("REQUIRED", "Isi parentId, atau governmentCode untuk unit PEMDA.", "parentId")
    where = "parentId" if parent else "governmentCode"
    if not viewer.may(Permission.WRITE_STRUCTURE, parent.path if parent else government.path):
        raise DomainError("FORBIDDEN", "Anda tidak berwenang mengubah struktur di sini.", where)
    check_unit_placement(
        kind=kind,
        parent_kind=parent.kind if parent else None,
        valid_from=valid_from,
        valid_to=valid_to,
        parent_valid_from=parent.valid_from if parent else None,
        parent_valid_to=parent.valid_to if parent else None,
    )
    if await writes.unit_code_taken(conn, government_id=government.id, code=code, valid_from=valid_from):
        raise DomainError("DUPLICATE_CODE", "Kode unit sudah dipakai pada pemerintah daerah ini.", "code")
    record = await writes.insert_org_unit(
        conn,
        government=government,
        parent=parent,
        code=code,
        name=name,
        kind=kind,
        valid_from=valid_from,
        valid_to=valid_to,
    )
    created = audit.entry(
        caller, "org_unit.create", entity_id=str(record.id), scope_path=record.path, new=audit.as_written(record)
    )
    await audit_log.append(conn, [created])
    return record


@dataclass(frozen=True)
class NewIndicator:
    """An indicator as its unit defines it (design.md, "Indicators")."""

    org_unit_id: int
    code: str
    name: str
    unit_of_measure: str
    polarity: Polarity
    type: IndicatorType
    period_aggregation: PeriodAggregation
    achievement_method: AchievementMethod | None = None  # None: the government's default
    is_key: bool = False
    rollup_from_children: RollupFromChildren = RollupFromChildren.NONE
    weight: Decimal = Decimal(1)
    parent_id: int | None = None  # the indicator it supports (pohon kinerja)
    allow_negative: bool = False
    ordinal_scale: str | None = None
    definition: str = ""
    formula: str = ""
    data_source: str = ""
    reporting_frequency: ReportingFrequency = ReportingFrequency.QUARTERLY


async def create_indicator(
    conn: AsyncConnection, *, caller: Caller, window: AggregateWindow, new: NewIndicator
) -> IndicatorRecord:
    """A new indicator, counted (as missing) at once in the kept aggregates it reaches."""
    values: dict[str, object] = {
        "code": _text(new.code, "code", MAX_CODE_LENGTH),
        "name": _text(new.name, "name", MAX_NAME_LENGTH),
        "unit_of_measure": _text(new.unit_of_measure, "unitOfMeasure", MAX_UNIT_OF_MEASURE_LENGTH),
        "definition": _text(new.definition, "definition", MAX_NOTE_LENGTH, required=False),
        "formula": _text(new.formula, "formula", MAX_NOTE_LENGTH, required=False),
        "data_source": _text(new.data_source, "dataSource", MAX_NOTE_LENGTH, required=False),
        "weight": check_weight(new.weight),
    }
    if new.ordinal_scale is not None:
        values["ordinal_scale"] = _scale_name(new.ordinal_scale)
    _check_frequency(new.reporting_frequency, new.rollup_from_children)
    found = await hierarchy.unit_with_government(conn, caller.viewer, new.org_unit_id)
    if found is None:
        raise _not_found("orgUnitId", "Unit")
    unit, government = found
    if not caller.viewer.may(Permission.WRITE_INDICATORS, unit.path):
        raise DomainError("FORBIDDEN", "Anda tidak berwenang menambah indikator di unit ini.", "orgUnitId")
    method = new.achievement_method or default_method(new.polarity, government.lower_is_better_method)
    check_method(new.polarity, method)
    if new.parent_id is not None:
        parent_end = await cascade_end_of(conn, caller.viewer, new.parent_id)
        if parent_end is None:
            raise _not_found("parentId", "Indikator induk")
        try:
            check_cascade_link(child=CascadeEnd(unit.path, government.path), parent=parent_end)
        except DomainError as error:
            raise error.at("parentId") from error
        # Across governments the lower level consents: it links its own indicator itself, or
        # the upper level proposes the link (actions/cascade.py).
        consenting = caller.viewer.paths(Permission.CONSENT_CASCADE)
        if parent_end.government_path != government.path and not may_consent(
            consenting, child_unit_path=unit.path, parent_unit_path=parent_end.unit_path
        ):
            raise DomainError(
                "CONSENT_REQUIRED",
                "Penyelarasan dengan indikator pemerintah daerah atasan diusulkan (proposeCascadeLink) dan "
                "disetujui pemerintah daerah yang bersangkutan.",
                "parentId",
            )
    if await writes.indicator_code_taken(conn, org_unit_id=unit.id, code=str(values["code"])):
        raise DomainError("DUPLICATE_CODE", "Kode indikator sudah dipakai di unit ini.", "code")
    record = await writes.insert_indicator(
        conn,
        window,
        {
            **values,
            "org_unit_id": unit.id,
            "province_code": province_code(unit.path),
            "parent_id": new.parent_id,
            "polarity": new.polarity.value,
            "achievement_method": method.value,
            "type": new.type.value,
            "is_key": new.is_key,
            "period_aggregation": new.period_aggregation.value,
            "rollup_from_children": new.rollup_from_children.value,
            "allow_negative": new.allow_negative,
            "reporting_frequency": new.reporting_frequency.value,
        },
    )
    created = audit.entry(
        caller, "indicator.create", entity_id=str(record.id), scope_path=unit.path, new=audit.as_written(record)
    )
    await audit_log.append(conn, [created])
    return record


def _scale_name(name: str) -> str:
    try:
        return scale_named(name.strip().upper()).name
    except DomainError as error:
        raise error.at("ordinalScale") from error


@dataclass(frozen=True)
class DefinitionChange:
    """A new definition of an indicator from a year: the fields given replace the current ones."""

    indicator_id: int
    from_year: int
    reason: str = ""
    name: str | None = None
    unit_of_measure: str | None = None
    polarity: Polarity | None = None
    achievement_method: AchievementMethod | None = None
    definition: str | None = None
    formula: str | None = None
    data_source: str | None = None


def _definition_of(record: IndicatorRecord) -> Definition:
    return Definition(
        name=record.name,
        unit_of_measure=record.unit_of_measure,
        polarity=record.polarity,
        achievement_method=record.achievement_method,
        definition=record.definition,
        formula=record.formula,
        data_source=record.data_source,
    )


async def update_indicator_definition(
    conn: AsyncConnection, *, caller: Caller, window: AggregateWindow, change: DefinitionChange
) -> IndicatorRecord:
    """A new version of the definition, in force from `from_year`; earlier years keep the one
    they were measured by (history, achievements and rollups alike)."""
    records = await indicators.indicators_by_ids(conn, caller.viewer, [change.indicator_id])
    if not records:
        raise _not_found("indicatorId", "Indikator")
    record = records[0]
    unit = await hierarchy.unit_with_government(conn, caller.viewer, record.org_unit_id)
    assert unit is not None
    if not caller.viewer.may(Permission.WRITE_INDICATORS, unit[0].path):
        raise DomainError("FORBIDDEN", "Anda tidak berwenang mengubah indikator di unit ini.", "indicatorId")
    current = _definition_of(record)
    polarity = change.polarity or current.polarity
    method = change.achievement_method or (
        current.achievement_method
        if polarity is current.polarity
        else default_method(polarity, unit[1].lower_is_better_method)
    )
    new = Definition(
        name=_text(change.name, "name", MAX_NAME_LENGTH) if change.name is not None else current.name,
        unit_of_measure=_text(change.unit_of_measure, "unitOfMeasure", MAX_UNIT_OF_MEASURE_LENGTH)
        if change.unit_of_measure is not None
        else current.unit_of_measure,
        polarity=polarity,
        achievement_method=method,
        definition=_optional(change.definition, "definition", current.definition),
        formula=_optional(change.formula, "formula", current.formula),
        data_source=_optional(change.data_source, "dataSource", current.data_source),
    )
    reason = change.reason.strip()
    first_year = check_definition_change(
        current=current,
        new=new,
        current_from_year=record.definition_from_year,
        from_year=change.from_year,
        reason=reason,
        has_approved_values=await indicators.has_approved_values(conn, record.id),
    )
    superseded = writes.SupersededDefinition(
        from_year=first_year,
        until_year=change.from_year - 1,
        values=_stored_definition(current),
        replaced_because=reason or None,
        replaced_by=caller.actor,
    )
    updated = await writes.supersede_definition(
        conn, window, record, superseded, _stored_definition(new), rescored=new.scores_differently(current)
    )
    entry = audit.entry(
        caller,
        "indicator.redefine",
        entity_id=str(record.id),
        scope_path=unit[0].path,
        old=_stored_definition(current),
        new={**_stored_definition(new), "from_year": change.from_year},
        reason=reason or None,
    )
    await audit_log.append(conn, [entry])
    return updated


def _optional(value: str | None, field: str, current: str) -> str:
    return current if value is None else _text(value, field, MAX_NOTE_LENGTH, required=False)


def _stored_definition(definition: Definition) -> dict[str, str]:
    return {
        "name": definition.name,
        "unit_of_measure": definition.unit_of_measure,
        "polarity": definition.polarity.value,
        "achievement_method": definition.achievement_method.value,
        "definition": definition.definition,
        "formula": definition.formula,
        "data_source": definition.data_source,
    }


async def _writable_indicator(
    conn: AsyncConnection, caller: Caller, indicator_id: int
) -> tuple[IndicatorRecord, OrgUnitRecord]:
    records = await indicators.indicators_by_ids(conn, caller.viewer, [indicator_id])
    if not records:
        raise _not_found("indicatorId", "Indikator")
    found = await hierarchy.unit_with_government(conn, caller.viewer, records[0].org_unit_id)
    assert found is not None
    if not caller.viewer.may(Permission.WRITE_INDICATORS, found[0].path):
        raise DomainError("FORBIDDEN", "Anda tidak berwenang mengubah indikator di unit ini.", "indicatorId")
    return records[0], found[0]


async def retire_indicator(
    conn: AsyncConnection, *, caller: Caller, window: AggregateWindow, indicator_id: int, from_year: int, reason: str
) -> IndicatorRecord:
    """Retired (pensiun) from `from_year`: that year's rollups no longer count it and no value is
    entered for it; the years before keep it, with their values."""
    record, unit = await _writable_indicator(conn, caller, indicator_id)
    why = _text(reason, "reason", MAX_NOTE_LENGTH)
    if record.retired_from_year is not None:
        raise DomainError(
            "ALREADY_RETIRED", f"Indikator ini sudah pensiun sejak {record.retired_from_year}.", "fromYear"
        )
    if not FIRST_YEAR < from_year <= 2100:
        raise DomainError("INVALID_YEAR", "Tahun pensiun tidak sah.", "fromYear")
    if record.definition_from_year is not None and from_year < record.definition_from_year:
        raise DomainError(
            "OVERLAPPING_EFFECTIVE_YEAR",
            f"Definisi yang berlaku sekarang baru mulai {record.definition_from_year}.",
            "fromYear",
        )
    retired = await writes.retire_indicator(conn, window, record.id, from_year)
    entry = audit.entry(
        caller,
        "indicator.retire",
        entity_id=str(record.id),
        scope_path=unit.path,
        new={"from_year": from_year},
        reason=why,
    )
    await audit_log.append(conn, [entry])
    return retired


async def set_reporting_frequency(
    conn: AsyncConnection, *, caller: Caller, indicator_id: int, frequency: ReportingFrequency
) -> IndicatorRecord:
    """Monthly or quarterly entry from now on (issue 20). Quarters already entered stay; once an
    indicator is monthly, a quarter is derived from its months when they are entered."""
    record, unit = await _writable_indicator(conn, caller, indicator_id)
    _check_frequency(frequency, record.rollup_from_children)
    if record.reporting_frequency is frequency:
        return record
    changed = await writes.set_reporting_frequency(conn, record.id, frequency.value)
    entry = audit.entry(
        caller,
        "indicator.reporting_frequency",
        entity_id=str(record.id),
        scope_path=unit.path,
        old={"reporting_frequency": record.reporting_frequency.value},
        new={"reporting_frequency": frequency.value},
    )
    await audit_log.append(conn, [entry])
    return changed


def _check_frequency(frequency: ReportingFrequency, rollup: RollupFromChildren) -> None:
    """A computed indicator's realisation comes from its children: nothing to enter monthly."""
    if frequency is ReportingFrequency.MONTHLY and rollup is not RollupFromChildren.NONE:
        raise DomainError(
            "COMPUTED_INDICATOR",
            "Realisasi indikator ini dihitung dari indikator turunannya; tidak diisi bulanan.",
            "reportingFrequency",
        )


async def move_indicator(
    conn: AsyncConnection, *, caller: Caller, window: AggregateWindow, indicator_id: int, org_unit_id: int, reason: str
) -> IndicatorRecord:
    """The indicator moves to another unit of its government, with its values and history; its
    cascade links must still follow the hierarchy from there."""
    record, unit = await _writable_indicator(conn, caller, indicator_id)
    why = _text(reason, "reason", MAX_NOTE_LENGTH)
    found = await hierarchy.unit_with_government(conn, caller.viewer, org_unit_id)
    if found is None:
        raise _not_found("orgUnitId", "Unit")
    target, government = found
    if target.government_id != unit.government_id:
        raise DomainError(
            "OTHER_GOVERNMENT", "Indikator hanya dapat dipindah di dalam pemerintah daerahnya.", "orgUnitId"
        )
    if not caller.viewer.may(Permission.WRITE_INDICATORS, target.path):
        raise DomainError("FORBIDDEN", "Anda tidak berwenang menambah indikator di unit tujuan.", "orgUnitId")
    if target.id == unit.id:
        raise DomainError("NO_CHANGE", "Indikator sudah berada di unit ini.", "orgUnitId")
    if await writes.indicator_code_taken(conn, org_unit_id=target.id, code=record.code):
        raise DomainError("DUPLICATE_CODE", "Kode indikator sudah dipakai di unit tujuan.", "orgUnitId")
    here = CascadeEnd(target.path, government.path)
    links: list[tuple[CascadeEnd | None, CascadeEnd | None]] = []
    if record.parent_id is not None:
        links.append((here, await cascade_end_of(conn, caller.viewer, record.parent_id)))
    for child in await indicators.children_of(conn, record.id):
        links.append((await cascade_end_of(conn, caller.viewer, child.id), here))
    for lower, upper in links:
        if lower is None or upper is None:
            continue
        try:
            check_cascade_link(child=lower, parent=upper)
        except DomainError as error:
            raise DomainError(
                "CASCADE_BROKEN", f"Pohon kinerja tidak lagi mengikuti hierarki: {error.message}", "orgUnitId"
            ) from error
    moved = await writes.move_indicator(conn, window, record.id, target)
    entry = audit.entry(
        caller,
        "indicator.move",
        entity_id=str(record.id),
        scope_path=target.path,
        old={"org_unit_id": unit.id},
        new={"org_unit_id": target.id},
        reason=why,
    )
    await audit_log.append(conn, [entry])
    return moved
