"""Reorganisations (perubahan SOTK): units renamed or moved, merged or split from 1 January of a
year, their sub-units and indicators carried to their successors as the caller maps them.

The old units end on 31 December of the year before and keep their history (their indicators,
values, reports and the rollups of the years they existed); the successors and copies of their
sub-units and indicators (with the targets from the effective year) carry the structure on, and
the old indicators are retired from that year. Rollups of a year use that year's structure.
"""

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy.ext.asyncio import AsyncConnection

from actions import audit
from actions.caller import Caller
from domain.cascade import check_cascade_link
from domain.errors import DomainError, DomainErrors
from domain.structure import check_reorganisation, check_unit_placement, successor_of
from domain.values import MAX_CODE_LENGTH, MAX_NAME_LENGTH, MAX_NOTE_LENGTH, check_text_at
from policies.permissions import Permission
from store import agreements, hierarchy, indicators, writes
from store import audit as audit_log
from store.aggregates import AggregateWindow
from store.indicators import cascade_end_of
from store.records import GovernmentRecord, OrgUnitRecord


@dataclass(frozen=True)
class Successor:
    code: str
    name: str
    parent_id: int | None = None  # None: the first predecessor's parent


@dataclass(frozen=True)
class Reorganisation:
    effective_year: int
    reason: str
    predecessor_ids: Sequence[int]
    successors: Sequence[Successor]
    unit_map: dict[int, str] = field(default_factory=dict)  # a predecessor's direct sub-unit → successor code
    indicator_map: dict[int, str] = field(default_factory=dict)  # a predecessor's indicator → successor code


async def reorganize_org_units(
    conn: AsyncConnection, *, caller: Caller, window: AggregateWindow, change: Reorganisation
) -> list[OrgUnitRecord]:
    check_reorganisation(
        predecessors=len(change.predecessor_ids),
        successors=len(change.successors),
        effective_year=change.effective_year,
    )
    reason = check_text_at(change.reason, "reason", max_length=MAX_NOTE_LENGTH)
    starts_on = date(change.effective_year, 1, 1)
    ends_on = date(change.effective_year - 1, 12, 31)
    predecessors, government = await _predecessors(conn, caller, change.predecessor_ids, starts_on)
    codes = [
        check_text_at(s.code, f"successors.{n}.code", max_length=MAX_CODE_LENGTH)
        for n, s in enumerate(change.successors)
    ]
    if len(set(codes)) != len(codes):
        raise DomainError("DUPLICATE_CODE", "Kode unit pengganti tercantum dua kali.", "successors")
    parents = [
        await _successor_parent(conn, caller, s, n, predecessors[0], starts_on) for n, s in enumerate(change.successors)
    ]
    for number, code in enumerate(codes):
        if await writes.unit_code_taken(conn, government_id=government.id, code=code, valid_from=starts_on):
            raise DomainError(
                "DUPLICATE_CODE", "Kode unit sudah dipakai pada tanggal itu.", f"successors.{number}.code"
            )
    below = {p.id: await hierarchy.descendants_overlapping(conn, p, starts_on) for p in predecessors}
    in_old_units = await indicators.indicators_by_unit_ids(
        conn, caller.viewer, [p.id for p in predecessors] + [u.id for units in below.values() for u in units]
    )
    # An indicator retired by then stays behind with its unit.
    old_indicators = [
        i for i in in_old_units if i.retired_from_year is None or i.retired_from_year > change.effective_year
    ]
    await _check_unmoved(conn, predecessors, below, change.effective_year, starts_on)
    errors: list[DomainError] = []
    unit_targets = _mapped(
        [u.id for p in predecessors for u in below[p.id] if u.parent_id == p.id],
        change.unit_map,
        codes,
        "unitMap",
        errors,
    )
    indicator_targets = _mapped(
        [i.id for i in old_indicators if i.org_unit_id in {p.id for p in predecessors}],
        change.indicator_map,
        codes,
        "indicatorMap",
        errors,
    )
    if errors:
        raise DomainErrors(errors)
    kind = predecessors[0].kind
    successors: dict[str, OrgUnitRecord] = {}
    for number, (successor, parent) in enumerate(zip(change.successors, parents, strict=True)):
        successors[codes[number]] = await writes.insert_org_unit(
            conn,
            government=government,
            parent=parent,
            code=codes[number],
            name=check_text_at(successor.name, f"successors.{number}.name", max_length=MAX_NAME_LENGTH),
            kind=kind,
            valid_from=starts_on,
            valid_to=None,
        )
    copies: dict[int, OrgUnitRecord] = {}
    for predecessor in predecessors:
        for unit in below[predecessor.id]:
            parent = (
                successors[unit_targets[unit.id]] if unit.parent_id == predecessor.id else copies[unit.parent_id or 0]
            )
            copies[unit.id] = await writes.insert_org_unit(
                conn,
                government=government,
                parent=parent,
                code=unit.code,
                name=unit.name,
                kind=unit.kind,
                valid_from=starts_on,
                valid_to=unit.valid_to,
            )
    await writes.close_units(conn, [p.id for p in predecessors] + list(copies), ends_on)
    carried = {
        i.id: successors[indicator_targets[i.id]] if i.id in indicator_targets else copies[i.org_unit_id]
        for i in old_indicators
    }
    new_ids = await writes.carry_indicators(conn, window, carried, change.effective_year)
    await _check_cascade(conn, caller, new_ids)
    entries = [
        audit.entry(
            caller,
            "org_unit.reorganize",
            entity_id=str(predecessor.id),
            scope_path=predecessor.path,
            old={"code": predecessor.code, "name": predecessor.name, "valid_to": None},
            new={
                "valid_to": ends_on.isoformat(),
                "successors": [{"id": s.id, "code": s.code, "name": s.name} for s in successors.values()],
                "units_carried": len(copies),
                "indicators_carried": len(new_ids),
            },
            reason=reason,
        )
        for predecessor in predecessors
    ]
    await audit_log.append(conn, entries)
    return list(successors.values())


async def _predecessors(
    conn: AsyncConnection, caller: Caller, ids: Sequence[int], starts_on: date
) -> tuple[list[OrgUnitRecord], GovernmentRecord]:
    found: list[OrgUnitRecord] = []
    government: GovernmentRecord | None = None
    for number, unit_id in enumerate(ids):
        at = f"predecessorIds.{number}"
        pair = await hierarchy.unit_with_government(conn, caller.viewer, unit_id)
        if pair is None:
            raise DomainError("NOT_FOUND", "Unit tidak ditemukan.", at)
        unit, unit_government = pair
        if not caller.viewer.may(Permission.WRITE_STRUCTURE, unit.path):
            raise DomainError("FORBIDDEN", "Anda tidak berwenang mengubah struktur di sini.", at)
        if government is not None and unit_government.id != government.id:
            raise DomainError("OTHER_GOVERNMENT", "Unit yang diubah harus dari satu pemerintah daerah.", at)
        if found and unit.kind is not found[0].kind:
            raise DomainError("KIND_MISMATCH", "Unit yang digabung harus sejenis.", at)
        if unit.kind.value == "PEMDA":
            raise DomainError("INVALID_PARENT", "Unit PEMDA tidak direorganisasi.", at)
        if not unit.valid_from < starts_on or (unit.valid_to is not None and unit.valid_to < starts_on):
            raise DomainError("NOT_VALID", "Unit ini tidak berlaku sampai tanggal perubahan.", at)
        if unit.id in {f.id for f in found}:
            raise DomainError("DUPLICATE_UNIT", "Unit tercantum dua kali.", at)
        government = unit_government
        found.append(unit)
    assert government is not None
    return found, government


async def _successor_parent(
    conn: AsyncConnection, caller: Caller, successor: Successor, number: int, first: OrgUnitRecord, starts_on: date
) -> OrgUnitRecord:
    at = f"successors.{number}.parentId"
    parent_id = successor.parent_id if successor.parent_id is not None else first.parent_id
    pair = await hierarchy.unit_with_government(conn, caller.viewer, parent_id or 0)
    if pair is None:
        raise DomainError("NOT_FOUND", "Unit induk tidak ditemukan.", at)
    parent, government = pair
    if government.id != first.government_id:
        raise DomainError("OTHER_GOVERNMENT", "Unit pengganti tetap di pemerintah daerah yang sama.", at)
    if not caller.viewer.may(Permission.WRITE_STRUCTURE, parent.path):
        raise DomainError("FORBIDDEN", "Anda tidak berwenang mengubah struktur di sini.", at)
    try:
        check_unit_placement(
            kind=first.kind,
            parent_kind=parent.kind,
            valid_from=starts_on,
            valid_to=None,
            parent_valid_from=parent.valid_from,
            parent_valid_to=parent.valid_to,
        )
    except DomainError as error:
        raise error.at(at) from error
    return parent


async def _check_unmoved(
    conn: AsyncConnection,
    predecessors: list[OrgUnitRecord],
    below: dict[int, list[OrgUnitRecord]],
    year: int,
    starts_on: date,
) -> None:
    """Nothing that would be left behind: a sub-unit starting in the new structure already, or an
    agreement of the old unit for a year of the new one."""
    for units in below.values():
        for unit in units:
            if unit.valid_from >= starts_on:
                raise DomainError("FUTURE_UNIT", f"Unit {unit.code} baru berlaku di struktur baru.", "predecessorIds")
    old_units = {unit.id: unit for unit in predecessors + [u for units in below.values() for u in units]}
    found = await agreements.units_with_agreements(conn, list(old_units), year)
    if found:
        unit_id, agreement_year = found[0]
        raise DomainError(
            "AGREEMENT_EXISTS",
            f"Unit {old_units[unit_id].code} sudah memiliki perjanjian kinerja {agreement_year}; "
            "susun di unit pengganti.",
            "predecessorIds",
        )


def _mapped(
    keys: list[int], mapping: dict[int, str], codes: list[str], name: str, errors: list[DomainError]
) -> dict[int, str]:
    found: dict[int, str] = {}
    for key in keys:
        try:
            found[key] = successor_of(mapping, key, codes, name)
        except DomainError as error:
            errors.append(error)
    return found


async def _check_cascade(conn: AsyncConnection, caller: Caller, new_ids: dict[int, int]) -> None:
    """The copies' links to parents that were not carried must still follow the hierarchy."""
    copies = await indicators.indicators_by_ids(conn, caller.viewer, list(new_ids.values()))
    for copy in copies:
        if copy.parent_id is None or copy.parent_id in new_ids.values():
            continue
        child_end = await cascade_end_of(conn, caller.viewer, copy.id)
        parent_end = await cascade_end_of(conn, caller.viewer, copy.parent_id)
        if child_end is None or parent_end is None:
            continue
        try:
            check_cascade_link(child=child_end, parent=parent_end)
        except DomainError as error:
            raise DomainError(
                "CASCADE_BROKEN",
                f"Indikator {copy.code} tidak lagi mengikuti hierarki: {error.message}",
                "indicatorMap",
            ) from error
