"""Writes of the employee master: a SIMPEG staff file imported (positions by code, employees by
NIP, every bad row reported, all or nothing) and acting assignments (Plt/Plh)."""

from dataclasses import dataclass
from datetime import date

from sqlalchemy.ext.asyncio import AsyncConnection

from actions import audit
from actions.caller import Caller
from actions.governments import government_for
from domain.errors import DomainError, DomainErrors
from domain.personnel import ActingKind, StaffRow, acting_error, check_rows
from policies.paths import province_code
from policies.permissions import Permission
from policies.viewer import ViewerKind
from store import audit as audit_log
from store import personnel
from store.personnel import EmployeeRecord


@dataclass(frozen=True)
class StaffImport:
    positions: int
    employees: int
    created: int  # employees new to the platform


async def import_staff(
    conn: AsyncConnection, *, caller: Caller, government_code: str, rows: list[StaffRow], today: date
) -> StaffImport:
    government = await government_for(
        conn, caller, government_code, Permission.MANAGE_PERSONNEL, "Anda tidak berwenang mengelola data pegawai."
    )
    units = await personnel.valid_units(conn, government.id, today)
    known = await personnel.position_superiors(conn, government.id)
    errors = check_rows(
        rows,
        unit_kinds={code: unit.kind for code, unit in units.items()},
        known_superiors={code: superior for code, (_, superior) in known.items()},
    )
    existing = await personnel.employees_by_nip(conn, [row.nip for row in rows])
    file_nips = {row.nip for row in rows}
    held = await personnel.holders_by_position(
        conn, [known[row.position_code][0] for row in rows if row.position_code in known]
    )
    usernames = sorted({row.username for row in rows if row.username})
    user_ids = await personnel.users_by_name(conn, usernames)
    for index, row in enumerate(rows):
        found = existing.get(row.nip)
        if found is not None and found[1] != government.id:
            errors.append(
                DomainError("OTHER_GOVERNMENT", "Pegawai dengan NIP ini terdaftar di pemda lain.", f"rows.{index}.nip")
            )
        holder = held.get(known[row.position_code][0]) if row.position_code in known else None
        if holder is not None and holder not in file_nips:
            errors.append(
                DomainError(
                    "POSITION_HELD",
                    f"Jabatan {row.position_code} masih dipegang pegawai lain yang tidak ada di berkas.",
                    f"rows.{index}.positionCode",
                )
            )
        if row.username and row.username not in user_ids:
            errors.append(
                DomainError("UNKNOWN_USER", f"Akun {row.username} tidak ditemukan.", f"rows.{index}.username")
            )
    if errors:
        raise DomainErrors(sorted(errors, key=lambda e: _row_order(e.field)))
    positions, employees = await personnel.write_staff(
        conn,
        government_id=government.id,
        province_code=province_code(government.path),
        rows=rows,
        units=units,
        user_ids=user_ids,
    )
    created = sum(1 for row in rows if row.nip not in existing)
    await audit_log.append(
        conn,
        [
            audit.entry(
                caller,
                "employee.import",
                entity_id=government.code,
                scope_path=government.path,
                new={"positions": positions, "employees": employees, "created": created},
            )
        ],
    )
    return StaffImport(positions, employees, created)


def _row_order(field: str | None) -> tuple[int, str]:
    parts = (field or "").split(".")
    return (int(parts[1]) if len(parts) > 1 and parts[1].isdigit() else -1, field or "")


async def assign_acting(
    conn: AsyncConnection,
    *,
    caller: Caller,
    position_id: int,
    employee_id: int,
    kind: ActingKind,
    starts_on: date,
    ends_on: date | None,
) -> personnel.ActingRecord:
    """Someone acts for a position (Plt while it is vacant, Plh while its holder is away): from
    `starts_on` they approve and rate as its holder would."""
    positions = await personnel.positions_by_ids(conn, [position_id])
    target = positions.get(position_id)
    if target is None:
        raise DomainError("NOT_FOUND", "Jabatan tidak ditemukan.", "positionId")
    if not caller.viewer.may(Permission.MANAGE_PERSONNEL, target.path):
        raise DomainError("FORBIDDEN", "Anda tidak berwenang menugaskan Plt/Plh jabatan ini.", "positionId")
    acting = (await personnel.employees_by_ids(conn, [employee_id])).get(employee_id)
    if acting is None or acting.government_id != target.government_id:
        raise DomainError("NOT_FOUND", "Pegawai tidak ditemukan di pemda jabatan ini.", "employeeId")
    if acting.position is not None and acting.position.id == position_id:
        raise DomainError("INVALID_ACTING", "Pegawai ini sudah memegang jabatan tersebut.", "employeeId")
    if (error := acting_error(kind, starts_on, ends_on)) is not None:
        raise error
    assignment = await personnel.add_acting(
        conn,
        province_code=province_code(target.path),
        position_id=position_id,
        employee_id=employee_id,
        kind=kind,
        starts_on=starts_on,
        ends_on=ends_on,
        actor=caller.actor,
    )
    await audit_log.append(
        conn,
        [
            audit.entry(
                caller,
                "acting_assignment.create",
                entity_id=str(assignment.id),
                scope_path=target.path,
                new={
                    "position": position_id,
                    "employee": employee_id,
                    "kind": kind.value,
                    "startsOn": starts_on.isoformat(),
                    "endsOn": ends_on.isoformat() if ends_on else None,
                },
            )
        ],
    )
    return assignment


async def employee_of_caller(conn: AsyncConnection, caller: Caller, on_behalf_of: int | None = None) -> EmployeeRecord:
    """The employee who logs: the caller's own record; the platform (the demo, an import from an
    older e-Kinerja) names the employee it writes for."""
    if on_behalf_of is not None and caller.viewer.kind is ViewerKind.SYSTEM:
        me = (await personnel.employees_by_ids(conn, [on_behalf_of])).get(on_behalf_of)
    elif caller.viewer.user_id is not None:
        me = await personnel.employee_of_user(conn, caller.viewer.user_id)
    else:
        me = None
    if me is None or me.position is None:
        raise DomainError("NOT_AN_EMPLOYEE", "Akun Anda tidak terhubung dengan data pegawai yang memegang jabatan.")
    return me
