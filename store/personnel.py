"""Positions, employees and acting assignments (domain/personnel.py): reads by scope and
relation, and the staff import's writes."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import ColumnElement, Select, Text, and_, any_, bindparam, func, or_, select, update
from sqlalchemy.dialects.postgresql import ARRAY, insert
from sqlalchemy.ext.asyncio import AsyncConnection

from domain.personnel import ActingKind, PositionKind, StaffRow
from policies.individual import NOBODY, Holder, Person, signed_in
from policies.viewer import Viewer
from store.hierarchy import valid_between
from store.tables import ID_ARRAY, acting_assignment, app_user, employee, org_unit, position

ARRAY_TEXT = ARRAY(Text)


@dataclass(frozen=True)
class UnitPlace:
    id: int
    kind: str
    path: str
    agency_id: int


@dataclass(frozen=True)
class PositionRecord:
    id: int
    government_id: int
    org_unit_id: int
    agency_id: int
    path: str
    code: str
    name: str
    kind: PositionKind
    job_class: int
    superior_id: int | None


@dataclass(frozen=True)
class EmployeeRecord:
    id: int
    government_id: int
    nip: str
    name: str
    golongan: str
    user_id: int | None
    position: PositionRecord | None

    @property
    def path(self) -> str:
        """Where the employee lies in the hierarchy: their position's unit (None: the pemda's)."""
        return self.position.path if self.position else ""


@dataclass(frozen=True)
class ActingRecord:
    id: int
    position_id: int
    employee_id: int
    kind: ActingKind
    starts_on: date
    ends_on: date | None


POSITION_COLUMNS = (
    position.c.id, position.c.government_id, position.c.org_unit_id, position.c.agency_id, position.c.path,
    position.c.code, position.c.name, position.c.kind, position.c.job_class, position.c.superior_id,
)  # fmt: skip


def _position(row: object) -> PositionRecord:
    values = row._mapping  # type: ignore[attr-defined]
    return PositionRecord(
        id=values["id"], government_id=values["government_id"], org_unit_id=values["org_unit_id"],
        agency_id=values["agency_id"], path=values["path"], code=values["code"], name=values["name"],
        kind=PositionKind(values["kind"]), job_class=values["job_class"], superior_id=values["superior_id"],
    )  # fmt: skip


def _employee_select() -> Select[tuple[object, ...]]:
    return select(
        employee.c.id.label("employee_id"), employee.c.government_id.label("employee_government_id"),
        employee.c.nip, employee.c.name.label("employee_name"), employee.c.golongan, employee.c.user_id,
        *POSITION_COLUMNS,
    ).select_from(
        employee.outerjoin(
            position,
            and_(position.c.id == employee.c.position_id, position.c.province_code == employee.c.province_code),
        )
    )  # fmt: skip


def _employee(row: object) -> EmployeeRecord:
    values = row._mapping  # type: ignore[attr-defined]
    return EmployeeRecord(
        id=values["employee_id"], government_id=values["employee_government_id"], nip=values["nip"],
        name=values["employee_name"], golongan=values["golongan"], user_id=values["user_id"],
        position=None if values["id"] is None else _position(row),
    )  # fmt: skip


async def employees_where(
    conn: AsyncConnection, condition: ColumnElement[bool], *, limit: int | None = None
) -> list[EmployeeRecord]:
    query = _employee_select().where(condition).order_by(position.c.path, position.c.job_class.desc(), employee.c.id)
    if limit is not None:
        query = query.limit(limit)
    return [_employee(row) for row in await conn.execute(query)]


async def employees_by_ids(conn: AsyncConnection, ids: Sequence[int]) -> dict[int, EmployeeRecord]:
    found = await employees_where(conn, employee.c.id == any_(bindparam(None, list(ids), type_=ID_ARRAY)))
    return {record.id: record for record in found}


async def employee_in(conn: AsyncConnection, government_id: int, nip: str) -> EmployeeRecord | None:
    """A government's employee by NIP, with the position they hold."""
    found = await employees_where(conn, and_(employee.c.government_id == government_id, employee.c.nip == nip), limit=1)
    return found[0] if found else None


async def employee_of_user(conn: AsyncConnection, user_id: int) -> EmployeeRecord | None:
    found = await employees_where(conn, employee.c.user_id == user_id)
    return found[0] if found else None


async def held_positions(conn: AsyncConnection, employee_id: int, on: date) -> set[int]:
    """The position an employee holds and those they act for (Plt/Plh) on a date."""
    own = select(employee.c.position_id).where(employee.c.id == employee_id, employee.c.position_id.is_not(None))
    acting = select(acting_assignment.c.position_id).where(
        acting_assignment.c.employee_id == employee_id,
        acting_assignment.c.starts_on <= on,
        or_(acting_assignment.c.ends_on.is_(None), acting_assignment.c.ends_on >= on),
    )
    return set((await conn.execute(own.union(acting))).scalars())


async def valid_units(conn: AsyncConnection, government_id: int, on: date) -> dict[str, UnitPlace]:
    """A government's org units valid on a date, by code, with the perangkat daerah above each."""
    rows = await conn.execute(
        select(org_unit.c.id, org_unit.c.code, org_unit.c.kind, org_unit.c.path, org_unit.c.report_unit_id).where(
            org_unit.c.government_id == government_id, valid_between(on, on)
        )
    )
    return {
        code: UnitPlace(unit_id, kind, path, report_unit_id or unit_id)
        for unit_id, code, kind, path, report_unit_id in rows
    }


async def position_superiors(conn: AsyncConnection, government_id: int) -> dict[str, tuple[int, str | None]]:
    """The government's positions by code: (id, the superior position's code)."""
    superior = position.alias("superior")
    rows = await conn.execute(
        select(position.c.code, position.c.id, superior.c.code)
        .select_from(position.outerjoin(superior, superior.c.id == position.c.superior_id))
        .where(position.c.government_id == government_id)
    )
    return {code: (position_id, superior_code) for code, position_id, superior_code in rows}


async def employees_by_nip(conn: AsyncConnection, nips: Sequence[str]) -> dict[str, tuple[int, int, int | None]]:
    """(id, government id, position id) by NIP, wherever the employee is."""
    rows = await conn.execute(
        select(employee.c.nip, employee.c.id, employee.c.government_id, employee.c.position_id).where(
            employee.c.nip == any_(bindparam(None, list(nips), type_=ARRAY_TEXT))
        )
    )
    return {nip: (employee_id, government_id, position_id) for nip, employee_id, government_id, position_id in rows}


async def holders_by_position(conn: AsyncConnection, position_ids: Sequence[int]) -> dict[int, str]:
    """The NIP of each position's current holder."""
    rows = await conn.execute(
        select(employee.c.position_id, employee.c.nip).where(
            employee.c.position_id == any_(bindparam(None, list(position_ids), type_=ID_ARRAY))
        )
    )
    return {row[0]: row[1] for row in rows}


async def users_by_name(conn: AsyncConnection, usernames: Sequence[str]) -> dict[str, int]:
    rows = await conn.execute(select(app_user.c.username, app_user.c.id).where(app_user.c.username.in_(usernames)))
    return {row[0]: row[1] for row in rows}


async def write_staff(
    conn: AsyncConnection,
    *,
    government_id: int,
    province_code: str,
    rows: Sequence[StaffRow],
    units: dict[str, UnitPlace],
    user_ids: dict[str, int],
) -> tuple[int, int]:
    """Upsert the file's positions (by code) and employees (by NIP); superiors are set once every
    position of the file exists. Returns (positions written, employees written)."""
    position_ids: dict[str, int] = {}
    for row in rows:
        unit = units[row.unit_code]
        assert row.position_kind is not None and row.job_class is not None  # checked before
        values = {
            "province_code": province_code, "government_id": government_id, "org_unit_id": unit.id,
            "agency_id": unit.agency_id, "path": unit.path, "code": row.position_code,
            "name": row.position_name.strip(),
            "kind": row.position_kind.value, "job_class": row.job_class,
        }  # fmt: skip
        upsert = insert(position).values(**values)
        statement = upsert.on_conflict_do_update(
            constraint="uq_position_code",
            set_={
                key: upsert.excluded[key] for key in ("org_unit_id", "agency_id", "path", "name", "kind", "job_class")
            },
        ).returning(position.c.id)
        position_ids[row.position_code] = (await conn.execute(statement)).scalar_one()
    known = await position_superiors(conn, government_id)
    for row in rows:
        superior_id = known[row.superior_code][0] if row.superior_code else None
        await conn.execute(
            update(position).where(position.c.id == position_ids[row.position_code]).values(superior_id=superior_id)
        )
    # Free the positions the file moves people into before placing them (one holder each).
    nips = [row.nip for row in rows]
    await conn.execute(
        update(employee)
        .where(employee.c.nip == any_(bindparam(None, list(nips), type_=ARRAY_TEXT)))
        .values(position_id=None)
    )
    for row in rows:
        placed = insert(employee).values(
            province_code=province_code, government_id=government_id, nip=row.nip, name=row.name.strip(),
            golongan=row.golongan, position_id=position_ids[row.position_code],
            user_id=user_ids.get(row.username) if row.username else None,
        )  # fmt: skip
        await conn.execute(
            placed.on_conflict_do_update(
                constraint="uq_employee_nip",
                set_={
                    "name": placed.excluded.name,
                    "golongan": placed.excluded.golongan,
                    "position_id": placed.excluded.position_id,
                    "user_id": func.coalesce(placed.excluded.user_id, employee.c.user_id),
                    "updated_at": func.now(),
                },
            )
        )
    return len(position_ids), len(rows)


async def add_acting(
    conn: AsyncConnection,
    *,
    province_code: str,
    position_id: int,
    employee_id: int,
    kind: ActingKind,
    starts_on: date,
    ends_on: date | None,
    actor: str,
) -> ActingRecord:
    statement = (
        insert(acting_assignment)
        .values(
            province_code=province_code,
            position_id=position_id,
            employee_id=employee_id,
            kind=kind.value,
            starts_on=starts_on,
            ends_on=ends_on,
            created_by=actor,
        )
        .returning(acting_assignment.c.id)
    )
    assignment_id = int((await conn.execute(statement)).scalar_one())
    return ActingRecord(assignment_id, position_id, employee_id, kind, starts_on, ends_on)


async def positions_by_ids(conn: AsyncConnection, ids: Sequence[int]) -> dict[int, PositionRecord]:
    rows = await conn.execute(
        select(*POSITION_COLUMNS).where(position.c.id == any_(bindparam(None, list(ids), type_=ID_ARRAY)))
    )
    return {row.id: _position(row) for row in rows}


async def holder_of(conn: AsyncConnection, viewer: Viewer, on: date) -> Holder:
    """The viewer as an employee on a date (policies/individual.py); nobody for API tokens."""
    if viewer.user_id is None or not signed_in(viewer):
        return NOBODY
    me = await employee_of_user(conn, viewer.user_id)
    return NOBODY if me is None else await holder_of_employee(conn, me.id, on)


async def holder_of_employee(conn: AsyncConnection, employee_id: int, on: date) -> Holder:
    """An employee as a holder of positions on a date (the platform approving in the demo)."""
    return Holder(employee_id, frozenset(await held_positions(conn, employee_id, on)))


def person_of(record: EmployeeRecord, second_superior: int | None = None) -> Person:
    superior = record.position.superior_id if record.position else None
    return Person(record.id, record.path, superior, second_superior)
