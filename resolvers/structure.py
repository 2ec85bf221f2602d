"""Mutations that shape the hierarchy and the indicators."""

from enum import Enum

from domain.achievement import default_method
from domain.cascade import CascadeEnd, check_cascade_link
from domain.errors import DomainError
from domain.indicators import check_method, check_weight
from domain.scales import scale_named
from domain.structure import check_unit_placement
from domain.values import MAX_CODE_LENGTH, MAX_NAME_LENGTH, MAX_NOTE_LENGTH, check_text
from policies.paths import province_code
from policies.permissions import Permission
from resolvers.user_errors import user_errors
from schema.ids import decode_id_of
from schema.inputs import (
    CreateIndicatorInput,
    CreateIndicatorPayload,
    CreateOrgUnitInput,
    CreateOrgUnitPayload,
)
from schema.types import Indicator, Info, OrgUnit
from store import aggregates, audit, hierarchy, writes
from store.indicators import cascade_end_of

MAX_UNIT_OF_MEASURE_LENGTH = 50


def _text(value: str, field: str, max_length: int, *, required: bool = True) -> str:
    try:
        return check_text(value, max_length=max_length, required=required)
    except DomainError as error:
        raise error.at(field) from error


def _not_found(field: str, what: str) -> DomainError:
    return DomainError("NOT_FOUND", f"{what} tidak ditemukan.", field)


async def create_org_unit(info: Info, input: CreateOrgUnitInput) -> CreateOrgUnitPayload:
    context = info.context
    valid_from = input.valid_from or context.today
    try:
        code = _text(input.code, "code", MAX_CODE_LENGTH)
        name = _text(input.name, "name", MAX_NAME_LENGTH)
        async with context.services.engine.begin() as conn:
            if input.parent_id is not None:
                parent_id = decode_id_of(input.parent_id, "OrgUnit")
                found = await hierarchy.unit_with_government(conn, context.viewer, parent_id) if parent_id else None
                if found is None:
                    raise _not_found("parentId", "Unit induk")
                parent, government = found
            elif input.government_code is not None:
                governments = await hierarchy.governments_by_codes(conn, context.viewer, [input.government_code])
                if not governments:
                    raise _not_found("governmentCode", "Pemerintah daerah")
                parent, government = None, governments[0]
            else:
                raise DomainError("REQUIRED", "Isi parentId, atau governmentCode untuk unit PEMDA.", "parentId")
            where = "parentId" if parent else "governmentCode"
            if not context.viewer.may(Permission.WRITE_STRUCTURE, parent.path if parent else government.path):
                raise DomainError("FORBIDDEN", "Anda tidak berwenang mengubah struktur di sini.", where)
            check_unit_placement(
                kind=input.kind,
                parent_kind=parent.kind if parent else None,
                valid_from=valid_from,
                valid_to=input.valid_to,
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
                kind=input.kind,
                valid_from=valid_from,
                valid_to=input.valid_to,
            )
            await audit.append(conn, [written(info, "org_unit.create", str(record.id), record.path, record)])
    except DomainError as error:
        return CreateOrgUnitPayload(org_unit=None, user_errors=user_errors([error]))
    return CreateOrgUnitPayload(org_unit=OrgUnit.of(record), user_errors=[])


async def create_indicator(info: Info, input: CreateIndicatorInput) -> CreateIndicatorPayload:
    context = info.context
    try:
        code = _text(input.code, "code", MAX_CODE_LENGTH)
        values: dict[str, object] = {
            "code": code,
            "name": _text(input.name, "name", MAX_NAME_LENGTH),
            "unit_of_measure": _text(input.unit_of_measure, "unitOfMeasure", MAX_UNIT_OF_MEASURE_LENGTH),
            "definition": _text(input.definition, "definition", MAX_NOTE_LENGTH, required=False),
            "formula": _text(input.formula, "formula", MAX_NOTE_LENGTH, required=False),
            "data_source": _text(input.data_source, "dataSource", MAX_NOTE_LENGTH, required=False),
            "weight": check_weight(input.weight),
        }
        if input.ordinal_scale is not None:
            values["ordinal_scale"] = _scale_name(input.ordinal_scale)
        async with context.services.engine.begin() as conn:
            unit_id = decode_id_of(input.org_unit_id, "OrgUnit")
            found = await hierarchy.unit_with_government(conn, context.viewer, unit_id) if unit_id else None
            if found is None:
                raise _not_found("orgUnitId", "Unit")
            unit, government = found
            if not context.viewer.may(Permission.WRITE_INDICATORS, unit.path):
                raise DomainError("FORBIDDEN", "Anda tidak berwenang menambah indikator di unit ini.", "orgUnitId")
            method = input.achievement_method or default_method(input.polarity, government.lower_is_better_method)
            check_method(input.polarity, method)
            parent_id = None
            if input.parent_id is not None:
                parent_id = decode_id_of(input.parent_id, "Indicator")
                parent_end = await cascade_end_of(conn, context.viewer, parent_id) if parent_id else None
                if parent_end is None:
                    raise _not_found("parentId", "Indikator induk")
                try:
                    check_cascade_link(child=CascadeEnd(unit.path, government.path), parent=parent_end)
                except DomainError as error:
                    raise error.at("parentId") from error
            if await writes.indicator_code_taken(conn, org_unit_id=unit.id, code=code):
                raise DomainError("DUPLICATE_CODE", "Kode indikator sudah dipakai di unit ini.", "code")
            record = await writes.insert_indicator(
                conn,
                {
                    **values,
                    "org_unit_id": unit.id,
                    "province_code": province_code(unit.path),
                    "parent_id": parent_id,
                    "polarity": input.polarity.value,
                    "achievement_method": method.value,
                    "type": input.type.value,
                    "is_key": input.is_key,
                    "period_aggregation": input.period_aggregation.value,
                    "rollup_from_children": input.rollup_from_children.value,
                    "allow_negative": input.allow_negative,
                },
            )
            await audit.append(conn, [written(info, "indicator.create", str(record.id), unit.path, record)])
            # A new indicator counts (as missing) in every kept year of its unit and its computed parents.
            window = context.services.window
            await aggregates.refresh_for_indicators(conn, window, [record.id], window.years())
    except DomainError as error:
        return CreateIndicatorPayload(indicator=None, user_errors=user_errors([error]))
    return CreateIndicatorPayload(indicator=Indicator.of(record), user_errors=[])


def written(info: Info, action: str, entity_id: str, path: str, record: object) -> audit.AuditEntry:
    """An audit entry for a created record: its fields as written."""
    return audit.AuditEntry(
        actor=info.context.actor,
        request_id=info.context.request_id,
        action=action,
        entity_type=action.split(".")[0],
        entity_id=entity_id,
        scope_path=path,
        new={k: (v.value if isinstance(v, Enum) else v) for k, v in vars(record).items()},
    )


def _scale_name(name: str) -> str:
    try:
        return scale_named(name.strip().upper()).name
    except DomainError as error:
        raise error.at("ordinalScale") from error
