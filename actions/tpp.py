"""Writes of the TPP allowance (domain/tpp.py): the pemda's admin saves a formula version; the
finance unit records the month's attendance and compliance (imported from the time clock and
the asset, claims and wealth-report registers: the platform is not a time clock), computes the
agency's statements from them and the month's verified log scores once the month is closed,
and pays the month, which freezes its statements in the database.

Audit entries name the agency, month and counts, never an employee's amount."""

import asyncio
import dataclasses
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import structlog
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from actions import audit
from actions.caller import Caller
from actions.governments import agency_for, government_for
from domain.errors import DomainError, DomainErrors
from domain.progress import month_end
from domain.tpp import (
    MAX_FACT_ROWS,
    ComplianceItem,
    MonthFacts,
    TppFormula,
    check_facts,
    check_formula,
    duty_of,
    statement,
)
from policies.paths import province_code
from policies.permissions import Permission
from policies.viewer import SYSTEM
from store import activity, hierarchy, personnel
from store import audit as audit_log
from store import tpp as tpp_store
from store.records import OrgUnitRecord
from store.tables import position
from store.tpp import FactsRow, FormulaRecord, JobRecord, StatementWrite


async def save_formula(
    conn: AsyncConnection,
    *,
    caller: Caller,
    government_code: str,
    effective_year: int,
    effective_month: int,
    formula: TppFormula,
    reason: str,
) -> FormulaRecord:
    """A new version of the pemda's formula, in force from a month (earlier months keep theirs)."""
    gov = await government_for(
        conn, caller, government_code, Permission.CONFIGURE_TPP, "Anda tidak berwenang mengatur formula TPP."
    )
    errors = check_formula(formula)
    if not 2000 <= effective_year <= 2100 or not 1 <= effective_month <= 12:
        errors.append(DomainError("INVALID_MONTH", "Bulan berlaku tidak valid.", "effectiveMonth"))
    if not reason.strip() or len(reason) > 1000:
        errors.append(
            DomainError("REASON_REQUIRED", "Tuliskan dasar/alasan formula (paling banyak 1000 karakter).", "reason")
        )
    if errors:
        raise DomainErrors(errors)
    saved = await tpp_store.insert_formula(
        conn, government_id=gov.id, effective_year=effective_year, effective_month=effective_month, formula=formula,
        reason=reason.strip(), actor=caller.actor,
    )  # fmt: skip
    await audit_log.append(
        conn,
        [
            audit.entry(
                caller, "tpp_formula.save", entity_id=str(saved.id), scope_path=gov.path,
                new={"version": saved.version, "from": f"{effective_year}-{effective_month:02d}"},
            )
        ],
    )  # fmt: skip
    return saved


@dataclass(frozen=True)
class FactsInput:
    nip: str
    working_days: int
    days_present: int
    apel_held: int
    apel_attended: int
    late_minutes: list[int]
    compliance: dict[ComplianceItem, bool | None]


async def record_facts(conn: AsyncConnection, *, caller: Caller, year: int, month: int, rows: list[FactsInput]) -> int:
    """The month's attendance and compliance per employee, matched by NIP, all rows or none; a
    row again for the same month replaces it until the month is paid."""
    if not rows or len(rows) > MAX_FACT_ROWS:
        raise DomainError("INVALID_BATCH", f"Kirim 1–{MAX_FACT_ROWS} baris sekaligus.", "rows")
    if not 2000 <= year <= 2100 or not 1 <= month <= 12:
        raise DomainError("INVALID_MONTH", "Bulan tidak valid.", "month")
    known = await personnel.employees_by_nip(conn, [r.nip for r in rows])
    records = await personnel.employees_by_ids(conn, sorted({k[0] for k in known.values()}))
    errors: list[DomainError] = []
    seen: set[str] = set()
    writes = []
    agencies: set[int] = set()
    for index, row in enumerate(rows):
        at = f"rows.{index}"
        found = known.get(row.nip)
        record = records.get(found[0]) if found else None
        if record is None or record.position is None or not caller.viewer.may(Permission.COMPUTE_TPP, record.path):
            errors.append(DomainError("UNKNOWN_NIP", "NIP tidak ditemukan dalam lingkup Anda.", f"{at}.nip"))
            continue
        if row.nip in seen:
            errors.append(DomainError("DUPLICATE_ROW", "NIP ini muncul dua kali.", f"{at}.nip"))
        seen.add(row.nip)
        errors += check_facts(
            working_days=row.working_days, days_present=row.days_present, apel_held=row.apel_held,
            apel_attended=row.apel_attended, late_minutes=row.late_minutes, at=at,
        )  # fmt: skip
        agencies.add(record.position.agency_id)
        writes.append(
            FactsRow(
                record.id,
                province_code(record.path),
                row.working_days,
                row.days_present,
                row.apel_held,
                row.apel_attended,
                tuple(row.late_minutes),
                row.compliance.get(ComplianceItem.BMD),
                row.compliance.get(ComplianceItem.TPTGR),
                row.compliance.get(ComplianceItem.LHKPN),
            )
        )
    for agency_id in sorted(agencies):
        if await tpp_store.payment(conn, agency_id, year, month) is not None:
            errors.append(
                DomainError("MONTH_PAID", "TPP bulan ini sudah dibayar; datanya tidak berubah lagi.", "month")
            )
            break
    if errors:
        raise DomainErrors(errors)
    await tpp_store.write_facts(conn, year, month, writes, caller.actor)
    await audit_log.append(
        conn,
        [
            audit.entry(
                caller, "tpp_facts.record", entity_id=f"{year}-{month:02d}", scope_path=writes[0].province_code + "/",
                new={"rows": len(writes)},
            )
        ],
    )  # fmt: skip
    return len(writes)


async def _agency(conn: AsyncConnection, caller: Caller, agency_id: int, permission: Permission) -> OrgUnitRecord:
    unit = await agency_for(conn, caller, agency_id, "agencyId")
    if not caller.viewer.may(permission, unit.path):
        raise DomainError("FORBIDDEN", "Anda tidak berwenang atas TPP perangkat daerah ini.", "agencyId")
    return unit


@dataclass(frozen=True)
class MonthComputation:
    agency_id: int
    year: int
    month: int
    formula: FormulaRecord
    statements: int
    without_facts: int  # employees of the agency with no attendance record: no statement
    total: Decimal


async def compute_statements(
    conn: AsyncConnection, *, caller: Caller, agency_id: int, year: int, month: int
) -> MonthComputation:
    """Every statement of the agency's month from the formula in force, the facts recorded and
    the verified scores of the closed month (set-based: four reads, one write)."""
    unit = await _agency(conn, caller, agency_id, Permission.COMPUTE_TPP)
    if not await activity.month_closed(conn, agency_id, year, month):
        raise DomainError(
            "MONTH_NOT_CLOSED", "Bulan kegiatan belum ditutup verifikator; nilai kinerja belum final.", "month"
        )
    if await tpp_store.payment(conn, agency_id, year, month) is not None:
        raise DomainError("MONTH_PAID", "TPP bulan ini sudah dibayar; rinciannya tidak dihitung ulang.", "month")
    formula = await tpp_store.formula_in_force(conn, unit.government_id, year, month)
    if formula is None:
        raise DomainError("NO_FORMULA", "Belum ada formula TPP yang berlaku untuk bulan ini.", "month")
    staff = await personnel.employees_where(conn, position.c.agency_id == agency_id)
    ids = [e.id for e in staff]
    facts = await tpp_store.facts_of(conn, ids, year, month)
    scores = await activity.score_sums(conn, ids, date(year, month, 1), month_end(year, month))
    writes, missing_class = [], []
    for person in staff:
        fact = facts.get(person.id)
        if fact is None or person.position is None:
            continue
        if person.position.job_class not in formula.formula.base_amounts:
            missing_class.append(person.position.job_class)
            continue
        month_facts = MonthFacts(
            working_days=fact.working_days, days_present=fact.days_present, apel_held=fact.apel_held,
            apel_attended=fact.apel_attended, late_minutes=fact.late_minutes,
            score_sum=scores.get(person.id, (Decimal(0), 0))[0],
            compliance={
                item: bool(value)
                for item, value in ((ComplianceItem.BMD, fact.bmd), (ComplianceItem.TPTGR, fact.tptgr),
                                    (ComplianceItem.LHKPN, fact.lhkpn))
                if value is not None
            },
            duty=duty_of(person.position.kind),
        )  # fmt: skip
        writes.append(
            StatementWrite(
                person.id,
                fact.province_code,
                person.position.job_class,
                statement(formula.formula, person.position.job_class, month_facts),
            )
        )
    if missing_class:
        classes = ", ".join(str(c) for c in sorted(set(missing_class)))
        raise DomainError("NO_BASE_AMOUNT", f"Formula TPP tidak memuat besaran kelas jabatan {classes}.", "month")
    await tpp_store.replace_statements(
        conn, agency_id=agency_id, year=year, month=month, formula_id=formula.id, rows=writes
    )
    total = sum((w.figures.amount for w in writes), Decimal(0))
    await audit_log.append(
        conn,
        [
            audit.entry(
                caller, "tpp_statement.compute", entity_id=f"{agency_id}:{year}-{month:02d}", scope_path=unit.path,
                new={"statements": len(writes), "formula_version": formula.version},
            )
        ],
    )  # fmt: skip
    return MonthComputation(agency_id, year, month, formula, len(writes), len(staff) - len(writes), total)


@dataclass(frozen=True)
class MonthPayment:
    agency_id: int
    year: int
    month: int
    statements: int
    total: Decimal


async def pay_month(conn: AsyncConnection, *, caller: Caller, agency_id: int, year: int, month: int) -> MonthPayment:
    """The finance unit records the month paid: every employee of the agency has a statement;
    from now on the statements are frozen (a trigger refuses any change)."""
    unit = await _agency(conn, caller, agency_id, Permission.PAY_TPP)
    if await tpp_store.payment(conn, agency_id, year, month) is not None:
        raise DomainError("ALREADY_PAID", "TPP bulan ini sudah dibayar.", "month")
    count, total = await tpp_store.month_total(conn, agency_id, year, month)
    employees = len(await personnel.employees_where(conn, position.c.agency_id == agency_id))
    if count == 0 or count < employees:
        raise DomainError(
            "NOT_ALL_COMPUTED",
            f"Rincian TPP baru ada untuk {count} dari {employees} pegawai; lengkapi data kehadiran lalu hitung ulang.",
            "month",
        )
    await tpp_store.insert_payment(
        conn, agency_id=agency_id, province_code=province_code(unit.path), year=year, month=month, total=total,
        actor=caller.actor,
    )  # fmt: skip
    await audit_log.append(
        conn,
        [
            audit.entry(
                caller, "tpp_payment.pay", entity_id=f"{agency_id}:{year}-{month:02d}", scope_path=unit.path,
                new={"statements": count},
            )
        ],
    )  # fmt: skip
    return MonthPayment(agency_id, year, month, count, total)


# A running job's heartbeat (its progress) older than this means its process died: the month may
# be started again.
STALE_AFTER = timedelta(minutes=5)
log = structlog.get_logger()


async def start_month_job(
    conn: AsyncConnection, *, caller: Caller, government_code: str, year: int, month: int
) -> JobRecord:
    """A job computing the month's statements of every perangkat daerah of the pemda; the caller
    then runs it (`run_month_job`) outside this transaction and reads its progress."""
    gov = await government_for(
        conn, caller, government_code, Permission.COMPUTE_TPP, "Anda tidak berwenang menghitung TPP pemda ini."
    )
    if not 2000 <= year <= 2100 or not 1 <= month <= 12:
        raise DomainError("INVALID_MONTH", "Bulan tidak valid.", "month")
    if await tpp_store.live_job(conn, gov.id, year, month, datetime.now(UTC) - STALE_AFTER):
        raise DomainError("JOB_RUNNING", "Perhitungan TPP bulan ini sedang berjalan.", "month")
    agencies = await hierarchy.agencies_of(conn, gov.id, date(year, month, 1))
    job = await tpp_store.insert_job(
        conn, government_id=gov.id, year=year, month=month, agencies=len(agencies), actor=caller.actor
    )
    await audit_log.append(
        conn,
        [audit.entry(caller, "tpp_job.start", entity_id=str(job.id), scope_path=gov.path,
                     new={"month": f"{year}-{month:02d}", "agencies": len(agencies)})],
    )  # fmt: skip
    return job


async def run_month_job(engine: AsyncEngine, caller: Caller, job_id: int) -> None:
    """Each agency in its own transaction (one agency's refusal, e.g. its month not closed or
    already paid, is recorded and the others go on), the progress written after each. A job
    taken up again (`resume_stale_jobs`) goes on after the agencies it had done."""
    async with engine.connect() as conn:
        job = await tpp_store.job(conn, job_id)
        assert job is not None
        agencies = await hierarchy.agencies_of(conn, job.government_id, date(job.year, job.month, 1))
    try:
        for agency in agencies[job.agencies_done :]:
            try:
                async with engine.begin() as conn:
                    done = await compute_statements(
                        conn, caller=caller, agency_id=agency.id, year=job.year, month=job.month
                    )
                outcome: dict[str, object] | None = None
                counted, total = done.statements, done.total
            except DomainError as refusal:
                outcome, counted, total = (
                    {"unit": agency.code, "code": refusal.code, "message": refusal.message},
                    0,
                    Decimal(0),
                )
            async with engine.begin() as conn:
                await tpp_store.advance_job(conn, job_id, statements=counted, total=total, skipped=outcome)
    except Exception as error:
        async with engine.begin() as conn:
            await tpp_store.finish_job(conn, job_id, f"{type(error).__name__}: perhitungan terhenti.")
        raise
    async with engine.begin() as conn:
        await tpp_store.finish_job(conn, job_id, None)


async def resume_stale_jobs(engine: AsyncEngine, *, now: datetime | None = None) -> list[int]:
    """Take up the jobs whose server stopped (no heartbeat for STALE_AFTER) and run them to the
    end, as the platform on behalf of whoever started them (the audit names the job). The ids
    resumed."""
    stale_before = (now or datetime.now(UTC)) - STALE_AFTER
    async with engine.begin() as conn:
        claimed = await tpp_store.claim_stale_jobs(conn, stale_before)
    for job_id in claimed:
        resumer = Caller(viewer=dataclasses.replace(SYSTEM, username=f"platform:tpp_job:{job_id}"), request_id="job")
        await run_month_job(engine, resumer, job_id)
    return claimed


async def watch_stale_jobs(engine: AsyncEngine, *, every: float) -> None:
    """The server's watch over jobs left by a server that stopped: every `every` seconds, until
    cancelled at shutdown. A failing round is logged and the next one tries again."""
    while True:
        try:
            if resumed := await resume_stale_jobs(engine):
                log.info("tpp_jobs_resumed", jobs=resumed)
        except Exception:
            log.exception("tpp_jobs_resume_failed")
        await asyncio.sleep(every)
