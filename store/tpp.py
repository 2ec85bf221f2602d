"""TPP formulas (versioned, append-only), the month's imported facts per employee, the computed
statements and the paid months that freeze them (domain/tpp.py, migration 0022)."""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import and_, any_, bindparam, delete, func, select, tuple_, update
from sqlalchemy.dialects.postgresql import JSONB, insert
from sqlalchemy.ext.asyncio import AsyncConnection

from domain.tpp import (
    ApelBase,
    ComplianceItem,
    Deduction,
    LatenessBand,
    RoundingRule,
    Statement,
    TppFormula,
)
from store.tables import ID_ARRAY, government, tpp_formula, tpp_job, tpp_month_facts, tpp_payment, tpp_statement


def formula_json(formula: TppFormula) -> dict[str, Any]:
    """The formula as stored: decimals as strings, exact."""
    return {
        "attendance_weight": str(formula.attendance_weight),
        "performance_weight": str(formula.performance_weight),
        "compliance_weight": str(formula.compliance_weight),
        "base_amounts": {str(k): str(v) for k, v in sorted(formula.base_amounts.items())},
        "presence_share": str(formula.presence_share),
        "apel_share": str(formula.apel_share),
        "staff_items": {k.value: str(v) for k, v in formula.staff_items.items()},
        "official_items": {k.value: str(v) for k, v in formula.official_items.items()},
        "lateness": [{"from": b.from_minutes, "to": b.to_minutes, "percent": str(b.percent)} for b in formula.lateness],
        "missed_apel_percent": str(formula.missed_apel_percent),
        "apel_base": formula.apel_base.value,
        "rounding": formula.rounding.value,
    }


def formula_from(data: Mapping[str, Any]) -> TppFormula:
    return TppFormula(
        attendance_weight=Decimal(data["attendance_weight"]),
        performance_weight=Decimal(data["performance_weight"]),
        compliance_weight=Decimal(data["compliance_weight"]),
        base_amounts={int(k): Decimal(v) for k, v in data["base_amounts"].items()},
        presence_share=Decimal(data["presence_share"]),
        apel_share=Decimal(data["apel_share"]),
        staff_items={ComplianceItem(k): Decimal(v) for k, v in data["staff_items"].items()},
        official_items={ComplianceItem(k): Decimal(v) for k, v in data["official_items"].items()},
        lateness=tuple(LatenessBand(b["from"], b["to"], Decimal(b["percent"])) for b in data["lateness"]),
        missed_apel_percent=Decimal(data["missed_apel_percent"]),
        apel_base=ApelBase(data["apel_base"]),
        rounding=RoundingRule(data["rounding"]),
    )


def statement_json(figures: Statement) -> dict[str, Any]:
    return {
        "attendance": str(figures.attendance),
        "performance": str(figures.performance),
        "compliance": str(figures.compliance),
        "total": str(figures.total),
        "base": str(figures.base),
        "gross": str(figures.gross),
        "deductions": [
            {"code": d.code, "label": d.label, "count": d.count, "percent": str(d.percent), "amount": str(d.amount)}
            for d in figures.deductions
        ],
        "amount": str(figures.amount),
    }


def statement_from(data: Mapping[str, Any]) -> Statement:
    return Statement(
        attendance=Decimal(data["attendance"]),
        performance=Decimal(data["performance"]),
        compliance=Decimal(data["compliance"]),
        total=Decimal(data["total"]),
        base=Decimal(data["base"]),
        gross=Decimal(data["gross"]),
        deductions=tuple(
            Deduction(d["code"], d["label"], d["count"], Decimal(d["percent"]), Decimal(d["amount"]))
            for d in data["deductions"]
        ),
        amount=Decimal(data["amount"]),
    )


@dataclass(frozen=True)
class FormulaRecord:
    id: int
    government_id: int
    version: int
    effective_year: int
    effective_month: int
    formula: TppFormula
    reason: str
    created_by: str
    created_at: datetime


def _formula(row: Any) -> FormulaRecord:
    return FormulaRecord(
        row.id, row.government_id, row.version, row.effective_year, row.effective_month, formula_from(row.formula),
        row.reason, row.created_by, row.created_at,
    )  # fmt: skip


async def insert_formula(
    conn: AsyncConnection,
    *,
    government_id: int,
    effective_year: int,
    effective_month: int,
    formula: TppFormula,
    reason: str,
    actor: str,
) -> FormulaRecord:
    """A new version, numbered after the government's last (its row locked while numbering)."""
    await conn.execute(select(government.c.id).where(government.c.id == government_id).with_for_update())
    last = (
        await conn.execute(
            select(func.coalesce(func.max(tpp_formula.c.version), 0)).where(
                tpp_formula.c.government_id == government_id
            )
        )
    ).scalar_one()
    row = (
        await conn.execute(
            insert(tpp_formula)
            .values(
                government_id=government_id,
                version=last + 1,
                effective_year=effective_year,
                effective_month=effective_month,
                formula=formula_json(formula),
                reason=reason,
                created_by=actor,
            )
            .returning(tpp_formula)
        )
    ).one()
    return _formula(row)


async def formulas(conn: AsyncConnection, government_id: int) -> list[FormulaRecord]:
    rows = await conn.execute(
        select(tpp_formula).where(tpp_formula.c.government_id == government_id).order_by(tpp_formula.c.version)
    )
    return [_formula(row) for row in rows]


async def formula_in_force(conn: AsyncConnection, government_id: int, year: int, month: int) -> FormulaRecord | None:
    """The latest version whose effective month is on or before the month."""
    row = (
        await conn.execute(
            select(tpp_formula)
            .where(
                tpp_formula.c.government_id == government_id,
                tuple_(tpp_formula.c.effective_year, tpp_formula.c.effective_month) <= tuple_(year, month),
            )
            .order_by(
                tpp_formula.c.effective_year.desc(), tpp_formula.c.effective_month.desc(), tpp_formula.c.version.desc()
            )
            .limit(1)
        )
    ).first()
    return None if row is None else _formula(row)


@dataclass(frozen=True)
class FactsRow:
    employee_id: int
    province_code: str
    working_days: int
    days_present: int
    apel_held: int
    apel_attended: int
    late_minutes: tuple[int, ...]
    bmd: bool | None
    tptgr: bool | None
    lhkpn: bool | None


async def write_facts(conn: AsyncConnection, year: int, month: int, rows: Sequence[FactsRow], actor: str) -> None:
    if not rows:
        return
    statement = insert(tpp_month_facts)
    await conn.execute(
        statement.on_conflict_do_update(
            index_elements=[
                tpp_month_facts.c.employee_id, tpp_month_facts.c.year, tpp_month_facts.c.month,
                tpp_month_facts.c.province_code,
            ],
            set_={
                **{
                    name: statement.excluded[name]
                    for name in ("working_days", "days_present", "apel_held", "apel_attended", "late_minutes", "bmd",
                                 "tptgr", "lhkpn", "recorded_by")
                },
                "recorded_at": func.now(),
            },
        ),
        [
            {
                "employee_id": r.employee_id, "province_code": r.province_code, "year": year, "month": month,
                "working_days": r.working_days, "days_present": r.days_present, "apel_held": r.apel_held,
                "apel_attended": r.apel_attended, "late_minutes": list(r.late_minutes), "bmd": r.bmd,
                "tptgr": r.tptgr, "lhkpn": r.lhkpn, "recorded_by": actor,
            }
            for r in rows
        ],
    )  # fmt: skip


async def facts_of(conn: AsyncConnection, employee_ids: Sequence[int], year: int, month: int) -> dict[int, FactsRow]:
    rows = await conn.execute(
        select(tpp_month_facts).where(
            tpp_month_facts.c.employee_id == any_(bindparam(None, list(employee_ids), type_=ID_ARRAY)),
            tpp_month_facts.c.year == year,
            tpp_month_facts.c.month == month,
        )
    )
    return {
        r.employee_id: FactsRow(
            r.employee_id,
            r.province_code,
            r.working_days,
            r.days_present,
            r.apel_held,
            r.apel_attended,
            tuple(r.late_minutes),
            r.bmd,
            r.tptgr,
            r.lhkpn,
        )
        for r in rows
    }


async def payment(conn: AsyncConnection, agency_id: int, year: int, month: int) -> tuple[Decimal, str, datetime] | None:
    row = (
        await conn.execute(
            select(tpp_payment.c.total, tpp_payment.c.paid_by, tpp_payment.c.paid_at).where(
                tpp_payment.c.agency_id == agency_id, tpp_payment.c.year == year, tpp_payment.c.month == month
            )
        )
    ).first()
    return None if row is None else (row.total, row.paid_by, row.paid_at)


@dataclass(frozen=True)
class StatementWrite:
    employee_id: int
    province_code: str
    job_class: int
    figures: Statement


async def replace_statements(
    conn: AsyncConnection, *, agency_id: int, year: int, month: int, formula_id: int, rows: Sequence[StatementWrite]
) -> None:
    """The agency's statements of the month, computed anew (a paid month's refuse: the trigger)."""
    await conn.execute(
        delete(tpp_statement).where(
            tpp_statement.c.agency_id == agency_id, tpp_statement.c.year == year, tpp_statement.c.month == month
        )
    )
    if rows:
        await conn.execute(
            insert(tpp_statement),
            [
                {
                    "employee_id": r.employee_id, "province_code": r.province_code, "year": year, "month": month,
                    "agency_id": agency_id, "formula_id": formula_id, "job_class": r.job_class,
                    "figures": statement_json(r.figures), "amount": r.figures.amount,
                }
                for r in rows
            ],
        )  # fmt: skip


@dataclass(frozen=True)
class StatementRecord:
    employee_id: int
    year: int
    month: int
    agency_id: int
    formula_id: int
    formula_version: int
    job_class: int
    figures: Statement
    computed_at: datetime
    paid_at: datetime | None


async def statements_of(
    conn: AsyncConnection, employee_ids: Sequence[int], year: int
) -> dict[int, list[StatementRecord]]:
    """Each employee's statements of the year by month, with whether the month was paid."""
    joined = tpp_statement.join(tpp_formula, tpp_formula.c.id == tpp_statement.c.formula_id).outerjoin(
        tpp_payment,
        and_(
            tpp_payment.c.agency_id == tpp_statement.c.agency_id,
            tpp_payment.c.province_code == tpp_statement.c.province_code,
            tpp_payment.c.year == tpp_statement.c.year,
            tpp_payment.c.month == tpp_statement.c.month,
        ),
    )
    rows = await conn.execute(
        select(tpp_statement, tpp_formula.c.version, tpp_payment.c.paid_at)
        .select_from(joined)
        .where(
            tpp_statement.c.employee_id == any_(bindparam(None, list(employee_ids), type_=ID_ARRAY)),
            tpp_statement.c.year == year,
        )
        .order_by(tpp_statement.c.employee_id, tpp_statement.c.month)
    )
    found: dict[int, list[StatementRecord]] = {}
    for r in rows:
        found.setdefault(r.employee_id, []).append(
            StatementRecord(
                r.employee_id,
                r.year,
                r.month,
                r.agency_id,
                r.formula_id,
                r.version,
                r.job_class,
                statement_from(r.figures),
                r.computed_at,
                r.paid_at,
            )
        )
    return found


async def month_total(conn: AsyncConnection, agency_id: int, year: int, month: int) -> tuple[int, Decimal]:
    """The agency's statements of the month: how many, and their sum in Rupiah."""
    row = (
        await conn.execute(
            select(func.count(), func.coalesce(func.sum(tpp_statement.c.amount), 0)).where(
                tpp_statement.c.agency_id == agency_id, tpp_statement.c.year == year, tpp_statement.c.month == month
            )
        )
    ).one()
    return int(row[0]), Decimal(row[1])


async def insert_payment(
    conn: AsyncConnection, *, agency_id: int, province_code: str, year: int, month: int, total: Decimal, actor: str
) -> None:
    await conn.execute(
        insert(tpp_payment).values(
            agency_id=agency_id, province_code=province_code, year=year, month=month, total=total, paid_by=actor
        )
    )


@dataclass(frozen=True)
class JobRecord:
    id: int
    government_id: int
    year: int
    month: int
    state: str
    agencies_total: int
    agencies_done: int
    statements: int
    total: Decimal
    skipped: list[dict[str, Any]]
    error: str | None
    started_by: str
    started_at: datetime
    updated_at: datetime
    finished_at: datetime | None


def _job(row: Any) -> JobRecord:
    return JobRecord(
        row.id, row.government_id, row.year, row.month, row.state, row.agencies_total, row.agencies_done,
        row.statements, row.total, list(row.skipped), row.error, row.started_by, row.started_at, row.updated_at,
        row.finished_at,
    )  # fmt: skip


async def insert_job(
    conn: AsyncConnection, *, government_id: int, year: int, month: int, agencies: int, actor: str
) -> JobRecord:
    statement = (
        insert(tpp_job)
        .values(government_id=government_id, year=year, month=month, agencies_total=agencies, started_by=actor)
        .returning(tpp_job)
    )
    return _job((await conn.execute(statement)).one())


async def job(conn: AsyncConnection, job_id: int) -> JobRecord | None:
    row = (await conn.execute(select(tpp_job).where(tpp_job.c.id == job_id))).first()
    return None if row is None else _job(row)


async def live_job(conn: AsyncConnection, government_id: int, year: int, month: int, since: datetime) -> bool:
    """Whether a job of the month is running with a heartbeat since `since` (the government locked)."""
    await conn.execute(select(government.c.id).where(government.c.id == government_id).with_for_update())
    row = await conn.execute(
        select(tpp_job.c.id).where(
            tpp_job.c.government_id == government_id, tpp_job.c.year == year, tpp_job.c.month == month,
            tpp_job.c.state == "RUNNING", tpp_job.c.updated_at >= since,
        )
    )  # fmt: skip
    return row.first() is not None


async def claim_stale_jobs(conn: AsyncConnection, before: datetime) -> list[int]:
    """Running jobs whose heartbeat is older than `before` (their server stopped), each claimed by
    this caller with a fresh heartbeat. Two servers claiming at once: the row lock makes the
    second see the first's heartbeat, so each job is claimed once."""
    statement = (
        update(tpp_job)
        .where(tpp_job.c.state == "RUNNING", tpp_job.c.updated_at < before)
        .values(updated_at=func.now())
        .returning(tpp_job.c.id)
    )
    return sorted(row.id for row in await conn.execute(statement))


async def advance_job(
    conn: AsyncConnection, job_id: int, *, statements: int, total: Decimal, skipped: dict[str, Any] | None
) -> None:
    """One agency done: its statements and total added, or why it was skipped."""
    values: dict[str, Any] = {
        "agencies_done": tpp_job.c.agencies_done + 1,
        "statements": tpp_job.c.statements + statements,
        "total": tpp_job.c.total + total,
        "updated_at": func.now(),
    }
    if skipped is not None:
        values["skipped"] = tpp_job.c.skipped.op("||")(bindparam(None, [skipped], type_=JSONB))
    await conn.execute(update(tpp_job).where(tpp_job.c.id == job_id).values(**values))


async def finish_job(conn: AsyncConnection, job_id: int, error: str | None) -> None:
    await conn.execute(
        update(tpp_job)
        .where(tpp_job.c.id == job_id)
        .values(state="FAILED" if error else "DONE", error=error, finished_at=func.now(), updated_at=func.now())
    )
