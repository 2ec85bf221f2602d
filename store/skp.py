"""SKP, their RHK and targets, the agency's distribution of predikat and the pemda's rating rule
(domain/skp.py)."""

import functools
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import ColumnElement, and_, any_, bindparam, delete, func, select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncConnection

from domain.periods import Period
from domain.personnel import PositionKind
from domain.skp import Aspect, Expectation, OrganisationRule, Predikat, RhkTarget, Rounding, SkpState, latest_measured
from policies.viewer import SYSTEM
from store.evaluation import ASKED_IDS, load_year
from store.tables import (
    ID_ARRAY,
    activity_log,
    agreement_item,
    employee,
    indicator,
    org_unit,
    organisation_rating_rule,
    performance_agreement,
    position,
    skp,
    skp_distribution,
    skp_rhk,
    skp_rhk_target,
)


@dataclass(frozen=True)
class SkpRecord:
    id: int
    employee_id: int
    year: int
    position_id: int
    agency_id: int
    path: str
    state: SkpState
    results_rating: Expectation | None
    behaviour_rating: Expectation | None
    predikat: Predikat | None
    agreed_by: str | None
    agreed_at: datetime | None
    assessed_by: str | None
    assessed_at: datetime | None
    version: int


@dataclass(frozen=True)
class RhkRecord:
    id: int
    skp_id: int
    parent_id: int | None
    indicator_id: int | None
    description: str
    targets: tuple[RhkTarget, ...]


@dataclass(frozen=True)
class AgreementIndicator:
    """An indicator of a unit's signed Perjanjian Kinerja: a unit head's RHK."""

    indicator_id: int
    parent_id: int | None
    name: str
    unit_of_measure: str


@dataclass(frozen=True)
class DistributionRecord:
    agency_id: int
    year: int
    organisation_rating: str
    mean_achievement: Decimal | None
    employees: int
    finalised_by: str
    finalised_at: datetime


def _skp(row: object) -> SkpRecord:
    v = row._mapping  # type: ignore[attr-defined]
    return SkpRecord(
        id=v["id"], employee_id=v["employee_id"], year=v["year"], position_id=v["position_id"],
        agency_id=v["agency_id"], path=v["path"], state=SkpState(v["state"]),
        results_rating=Expectation(v["results_rating"]) if v["results_rating"] else None,
        behaviour_rating=Expectation(v["behaviour_rating"]) if v["behaviour_rating"] else None,
        predikat=Predikat(v["predikat"]) if v["predikat"] else None,
        agreed_by=v["agreed_by"], agreed_at=v["agreed_at"], assessed_by=v["assessed_by"],
        assessed_at=v["assessed_at"], version=v["version"],
    )  # fmt: skip


SKP_COLUMNS = (
    skp.c.id, skp.c.employee_id, skp.c.year, skp.c.position_id, skp.c.agency_id, skp.c.path, skp.c.state,
    skp.c.results_rating, skp.c.behaviour_rating, skp.c.predikat, skp.c.agreed_by, skp.c.agreed_at,
    skp.c.assessed_by, skp.c.assessed_at, skp.c.version,
)  # fmt: skip


async def skps_by_ids(conn: AsyncConnection, ids: Sequence[int], *, lock: bool = False) -> dict[int, SkpRecord]:
    query = select(*SKP_COLUMNS).where(skp.c.id == any_(bindparam(None, list(ids), type_=ID_ARRAY)))
    if lock:
        query = query.with_for_update()
    return {row.id: _skp(row) for row in await conn.execute(query)}


async def skps_of(conn: AsyncConnection, employee_ids: Sequence[int], year: int) -> dict[int, SkpRecord]:
    """Each employee's SKP of the year, by employee (one statement for a page of employees)."""
    query = select(*SKP_COLUMNS).where(
        skp.c.employee_id == any_(bindparam(None, list(employee_ids), type_=ID_ARRAY)), skp.c.year == year
    )
    return {row.employee_id: _skp(row) for row in await conn.execute(query)}


async def skps_of_positions(conn: AsyncConnection, position_ids: Sequence[int], year: int) -> dict[int, SkpRecord]:
    """The SKP drafted for each position in a year, by position (the superiors' of a page)."""
    query = select(*SKP_COLUMNS).where(
        skp.c.position_id == any_(bindparam(None, list(position_ids), type_=ID_ARRAY)), skp.c.year == year
    )
    return {row.position_id: _skp(row) for row in await conn.execute(query)}


async def skp_of_position(conn: AsyncConnection, position_id: int, year: int) -> SkpRecord | None:
    """The SKP drafted for a position in a year: the superior's, that an RHK intervenes in."""
    row = (await conn.execute(select(*SKP_COLUMNS).where(skp.c.position_id == position_id, skp.c.year == year))).first()
    return None if row is None else _skp(row)


async def rhk_of(conn: AsyncConnection, skp_ids: Sequence[int]) -> dict[int, list[RhkRecord]]:
    """The RHK of each SKP with their targets, in the order written (two statements)."""
    result: dict[int, list[RhkRecord]] = defaultdict(list)
    for record in await _rhk_where(conn, skp_rhk.c.skp_id == any_(bindparam(None, list(skp_ids), type_=ID_ARRAY))):
        result[record.skp_id].append(record)
    return result


async def rhk_records(conn: AsyncConnection, ids: Sequence[int]) -> dict[int, RhkRecord]:
    """RHK by id (a subordinate's RHK shows the superior's RHK it serves)."""
    found = await _rhk_where(conn, skp_rhk.c.id == any_(bindparam(None, list(ids), type_=ID_ARRAY)))
    return {record.id: record for record in found}


async def _rhk_where(conn: AsyncConnection, condition: ColumnElement[bool]) -> list[RhkRecord]:
    rows = (await conn.execute(select(skp_rhk).where(condition).order_by(skp_rhk.c.id))).all()
    targets: dict[int, list[RhkTarget]] = defaultdict(list)
    rhk_ids = [row.id for row in rows]
    if rhk_ids:
        found = await conn.execute(
            select(skp_rhk_target).where(skp_rhk_target.c.rhk_id == any_(bindparam(None, rhk_ids, type_=ID_ARRAY)))
        )
        for t in found:
            targets[t.rhk_id].append(RhkTarget(Aspect(t.aspect), t.indicator, t.target, t.unit_of_measure))
    order = list(Aspect)
    return [
        RhkRecord(
            row.id,
            row.skp_id,
            row.parent_id,
            row.indicator_id,
            row.description,
            tuple(sorted(targets[row.id], key=lambda t: order.index(t.aspect))),
        )
        for row in rows
    ]


async def rhk_by_ids(conn: AsyncConnection, ids: Sequence[int]) -> dict[int, tuple[int, int | None]]:
    """(the SKP, its indicator) of each RHK."""
    rows = await conn.execute(
        select(skp_rhk.c.id, skp_rhk.c.skp_id, skp_rhk.c.indicator_id).where(
            skp_rhk.c.id == any_(bindparam(None, list(ids), type_=ID_ARRAY))
        )
    )
    return {row.id: (row.skp_id, row.indicator_id) for row in rows}


async def rhk_in_use(conn: AsyncConnection, ids: Sequence[int]) -> set[int]:
    """RHK that a subordinate's RHK hangs under, or that a log entry serves: not removable."""
    if not ids:
        return set()
    bound = bindparam(None, list(ids), type_=ID_ARRAY)
    children = select(skp_rhk.c.parent_id).where(skp_rhk.c.parent_id == any_(bound))
    logged = select(activity_log.c.rhk_id).where(activity_log.c.rhk_id == any_(bound))
    return set((await conn.execute(children.union(logged))).scalars())


async def agreement_indicators(conn: AsyncConnection, org_unit_id: int, year: int) -> list[AgreementIndicator] | None:
    """The indicators of the unit's Perjanjian Kinerja of the year, once signed (None: no signed
    agreement), in the agreement's order."""
    agreement = (
        await conn.execute(
            select(performance_agreement.c.id, performance_agreement.c.signed_versions).where(
                performance_agreement.c.org_unit_id == org_unit_id, performance_agreement.c.year == year
            )
        )
    ).first()
    if agreement is None or agreement.signed_versions == 0:
        return None
    rows = await conn.execute(
        select(indicator.c.id, indicator.c.parent_id, indicator.c.name, indicator.c.unit_of_measure)
        .join(
            agreement_item,
            and_(
                agreement_item.c.indicator_id == indicator.c.id,
                agreement_item.c.province_code == indicator.c.province_code,
            ),
        )
        .where(agreement_item.c.agreement_id == agreement.id)
        .order_by(agreement_item.c.position)
    )
    return [AgreementIndicator(row.id, row.parent_id, row.name, row.unit_of_measure) for row in rows]


async def insert_skp(
    conn: AsyncConnection,
    *,
    province_code: str,
    employee_id: int,
    year: int,
    position_id: int,
    agency_id: int,
    path: str,
) -> SkpRecord:
    statement = (
        insert(skp)
        .values(
            province_code=province_code,
            employee_id=employee_id,
            year=year,
            position_id=position_id,
            agency_id=agency_id,
            path=path,
        )
        .returning(*SKP_COLUMNS)
    )
    return _skp((await conn.execute(statement)).one())


@dataclass(frozen=True)
class RhkWrite:
    rhk_id: int | None  # None: new
    parent_id: int | None
    indicator_id: int | None
    description: str
    targets: Sequence[RhkTarget]


async def write_rhk(conn: AsyncConnection, record: SkpRecord, keep: Sequence[RhkWrite], remove: Sequence[int]) -> None:
    """Replace the draft's RHK: listed ones updated or added (ids kept, so the RHK under them
    stay linked), the others removed; every target rewritten."""
    province = record.path.split("/", 1)[0]
    ids: list[int] = []
    for item in keep:
        values = {"parent_id": item.parent_id, "indicator_id": item.indicator_id, "description": item.description}
        if item.rhk_id is None:
            statement = insert(skp_rhk).values(province_code=province, skp_id=record.id, **values)
            ids.append(int((await conn.execute(statement.returning(skp_rhk.c.id))).scalar_one()))
        else:
            await conn.execute(update(skp_rhk).where(skp_rhk.c.id == item.rhk_id).values(**values))
            ids.append(item.rhk_id)
    touched = [*ids, *remove]
    if touched:
        await conn.execute(
            delete(skp_rhk_target).where(skp_rhk_target.c.rhk_id == any_(bindparam(None, touched, type_=ID_ARRAY)))
        )
    if remove:
        await conn.execute(delete(skp_rhk).where(skp_rhk.c.id == any_(bindparam(None, list(remove), type_=ID_ARRAY))))
    rows = [
        {
            "rhk_id": rhk_id,
            "province_code": province,
            "aspect": t.aspect.value,
            "indicator": t.indicator.strip(),
            "target": t.target,
            "unit_of_measure": t.unit_of_measure.strip(),
        }
        for rhk_id, item in zip(ids, keep, strict=True)
        for t in item.targets
    ]
    if rows:
        await conn.execute(insert(skp_rhk_target), rows)


async def update_skp(
    conn: AsyncConnection, skp_id: int, expected_version: int, *, stamped: str | None = None, **values: object
) -> bool:
    """Change an SKP if nobody did since `expected_version` was read; `stamped` names the
    timestamp column of the step (agreed_at, assessed_at) set to the transaction's time."""
    if stamped is not None:
        values[stamped] = func.now()
    result = await conn.execute(
        update(skp)
        .where(skp.c.id == skp_id, skp.c.version == expected_version)
        .values(**values, version=skp.c.version + 1)
    )
    return result.rowcount == 1


@dataclass(frozen=True)
class Rated:
    """An employee the agency's distribution counts, and their SKP of the year if any."""

    employee_id: int
    skp_id: int | None
    state: SkpState | None
    predikat: Predikat | None


async def rated_in_agency(conn: AsyncConnection, agency_id: int, year: int) -> list[Rated]:
    """Everyone holding a position in the agency but its head (JPT: rated by the Kepala Daerah,
    outside the agency's distribution), with their SKP of the year."""
    joined = employee.join(
        position, and_(position.c.id == employee.c.position_id, position.c.province_code == employee.c.province_code)
    ).outerjoin(
        skp,
        and_(skp.c.employee_id == employee.c.id, skp.c.province_code == employee.c.province_code, skp.c.year == year),
    )
    rows = await conn.execute(
        select(employee.c.id, skp.c.id.label("skp_id"), skp.c.state, skp.c.predikat)
        .select_from(joined)
        .where(position.c.agency_id == agency_id, position.c.kind != PositionKind.JPT.value)
        .order_by(employee.c.id)
    )
    return [
        Rated(
            row.id,
            row.skp_id,
            SkpState(row.state) if row.state else None,
            Predikat(row.predikat) if row.predikat else None,
        )
        for row in rows
    ]


async def distribution(conn: AsyncConnection, agency_id: int, year: int) -> DistributionRecord | None:
    row = (
        await conn.execute(
            select(skp_distribution).where(skp_distribution.c.agency_id == agency_id, skp_distribution.c.year == year)
        )
    ).first()
    if row is None:
        return None
    return DistributionRecord(
        row.agency_id, row.year, row.organisation_rating, row.mean_achievement, row.employees, row.finalised_by,
        row.finalised_at,
    )  # fmt: skip


async def finalise(
    conn: AsyncConnection,
    *,
    agency_id: int,
    province_code: str,
    year: int,
    organisation_rating: str,
    mean: Decimal | None,
    skp_ids: Sequence[int],
    actor: str,
) -> None:
    await conn.execute(
        insert(skp_distribution).values(
            agency_id=agency_id,
            province_code=province_code,
            year=year,
            organisation_rating=organisation_rating,
            mean_achievement=mean,
            employees=len(skp_ids),
            finalised_by=actor,
        )
    )
    await conn.execute(
        update(skp)
        .where(skp.c.id == any_(bindparam(None, list(skp_ids), type_=ID_ARRAY)))
        .values(state=SkpState.FINAL.value, version=skp.c.version + 1)
    )


async def rating_rule(conn: AsyncConnection, government_id: int) -> tuple[OrganisationRule, Rounding]:
    row = (
        await conn.execute(
            select(organisation_rating_rule).where(organisation_rating_rule.c.government_id == government_id)
        )
    ).first()
    if row is None:
        return OrganisationRule(), Rounding.STRICT
    rule = OrganisationRule(row.istimewa_from, row.baik_from, row.butuh_perbaikan_from, row.kurang_from)
    return rule, Rounding(row.rounding)


async def put_rating_rule(
    conn: AsyncConnection, government_id: int, rule: OrganisationRule, rounding: Rounding, actor: str
) -> None:
    values = {
        "istimewa_from": rule.istimewa_from, "baik_from": rule.baik_from,
        "butuh_perbaikan_from": rule.butuh_perbaikan_from, "kurang_from": rule.kurang_from,
        "rounding": rounding.value, "updated_by": actor,
    }  # fmt: skip
    statement = insert(organisation_rating_rule).values(government_id=government_id, **values)
    await conn.execute(
        statement.on_conflict_do_update(
            index_elements=[organisation_rating_rule.c.government_id], set_={**values, "updated_at": func.now()}
        )
    )


@dataclass(frozen=True)
class Measured:
    """An indicator's capaian as the platform computes it, of the whole year (quarter None) or
    up to the latest quarter that has one (s.d. triwulan)."""

    percent: Decimal
    quarter: int | None


async def latest_achievements(conn: AsyncConnection, indicator_ids: Sequence[int], year: int) -> dict[int, Measured]:
    """Each indicator's capaian as measured so far (domain.skp.latest_measured) by the platform's
    own rules over the recorded values (three statements)."""
    if not indicator_ids:
        return {}
    inputs = await load_year(conn, SYSTEM, ASKED_IDS, Period(year, None), {"asked_ids": list(indicator_ids)})
    found = {}
    for indicator_id in indicator_ids:
        if indicator_id not in inputs.evaluator.rules:
            continue
        measured = latest_measured(functools.partial(_percent, inputs.evaluator, indicator_id))
        if measured is not None:
            found[indicator_id] = Measured(*measured)
    return found


def _percent(evaluator: Any, indicator_id: int, quarter: int | None) -> Decimal | None:
    percent: Decimal | None = evaluator.result(indicator_id, quarter).percent
    return percent


async def lock_agency(conn: AsyncConnection, agency_id: int) -> None:
    """Serialise finalising an agency's distribution: the agency's unit row, locked."""
    await conn.execute(select(org_unit.c.id).where(org_unit.c.id == agency_id).with_for_update())
