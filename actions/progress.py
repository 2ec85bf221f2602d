"""Monthly monev progress of programs, kegiatan and sub-kegiatan (domain/progress.py): a batch of
lines for one month and budget, all or nothing, each with the version read, idempotent, audited.

A line is cumulative to the month. Its unit must be one the caller may enter monev for; its code
is a SIPD code, normalised so that `2` and `02` are one line (Permendagri 90/2019).
"""

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy.ext.asyncio import AsyncConnection

from actions import audit, idempotency
from actions.caller import Caller
from domain.budget import check_budget, sipd_code
from domain.errors import DomainError, DomainErrors
from domain.monev import MonevPeriod
from domain.progress import BudgetKind, ProgressLine, check_line
from policies.paths import province_code
from policies.permissions import Permission
from store import audit as audit_log
from store import hierarchy, progress

MAX_LINES = 2000  # a large dinas has a few hundred sub-kegiatan
MAX_NAME = 500


@dataclass(frozen=True)
class ProgressInput:
    org_unit_id: int
    code: str
    name: str
    pagu: Decimal
    physical_target: Decimal
    physical: Decimal
    financial_target: Decimal
    financial: Decimal
    expected_version: int | None = None  # the version read; None: a new line


def _money(value: Decimal, at: str, errors: list[DomainError]) -> Decimal | None:
    try:
        return check_budget(value)
    except DomainError as error:
        errors.append(error.at(at))
        return None


async def submit_progress(
    conn: AsyncConnection,
    *,
    caller: Caller,
    year: int,
    month: int,
    budget_kind: BudgetKind,
    lines: Sequence[ProgressInput],
    idempotency_key: str | None = None,
) -> int:
    """Write the month's lines; returns how many were written. Every problem of the batch is
    reported at its field (`lines.N.field`) and nothing is written if there is one."""
    MonevPeriod.of(year, None, month)  # the year and the month, checked as every monev period is
    if not lines:
        raise DomainError("EMPTY_BATCH", "Isi paling sedikit satu baris.", "lines")
    if len(lines) > MAX_LINES:
        raise DomainError("BATCH_TOO_LARGE", f"Paling banyak {MAX_LINES} baris sekali kirim.", "lines")
    payload = {
        "year": year,
        "month": month,
        "kind": budget_kind.value,
        "lines": [
            (i.org_unit_id, i.code, i.name, str(i.pagu), str(i.physical_target), str(i.physical),
             str(i.financial_target), str(i.financial), i.expected_version)
            for i in lines
        ],
    }  # fmt: skip
    claimed = await idempotency.claim(conn, idempotency_key, "submitMonevProgress", payload)
    if claimed.earlier is not None:
        return int(claimed.earlier["written"])
    units = {u.id: u for u in await hierarchy.units_by_ids(conn, caller.viewer, [i.org_unit_id for i in lines])}
    held = await progress.versions(conn, list(units), year, month, budget_kind)
    errors: list[DomainError] = []
    written: dict[progress.LineKey, tuple[str, ProgressLine]] = {}
    for index, item in enumerate(lines):
        at = f"lines.{index}"
        unit = units.get(item.org_unit_id)
        if unit is None:
            errors.append(DomainError("NOT_FOUND", "Unit tidak ditemukan.", f"{at}.orgUnitId"))
            continue
        if not caller.viewer.may(Permission.WRITE_MONEV, unit.path):
            errors.append(DomainError("FORBIDDEN", "Anda tidak berwenang mengisi monev unit ini.", f"{at}.orgUnitId"))
            continue
        try:
            code = sipd_code(item.code)
        except DomainError as error:
            errors.append(error.at(f"{at}.code"))
            continue
        name = item.name.strip()
        if not name or len(name) > MAX_NAME:
            errors.append(
                DomainError("REQUIRED", f"Nama wajib diisi (paling banyak {MAX_NAME} karakter).", f"{at}.name")
            )
            continue
        found: list[DomainError] = []
        pagu = _money(item.pagu, f"{at}.pagu", found)
        target = _money(item.financial_target, f"{at}.financialTarget", found)
        spent = _money(item.financial, f"{at}.financialRealisation", found)
        if pagu is None or target is None or spent is None:
            errors.extend(found)
            continue
        line = ProgressLine(code, pagu, item.physical_target, item.physical, target, spent)
        problems = check_line(line, at)
        if problems:
            errors.extend(problems)
            continue
        key = (unit.id, budget_kind, code.text)
        if key in written:
            errors.append(
                DomainError("DUPLICATE", f"Kode {code.text} tercantum dua kali untuk unit ini.", f"{at}.code")
            )
            continue
        if item.expected_version != held.get(key):
            errors.append(
                DomainError(
                    "CONFLICT", "Baris ini sudah diubah orang lain; muat ulang lalu ulangi.", f"{at}.expectedVersion"
                )
            )
            continue
        written[key] = (name, line)
    if errors:
        raise DomainErrors(errors)
    provinces = {unit.id: province_code(unit.path) for unit in units.values()}
    await progress.write(conn, provinces, year, month, written, caller.actor)
    await audit_log.append(
        conn,
        [
            audit.entry(
                caller,
                "monev_progress.submit",
                entity_id=f"{unit_id}:{year}:{month}:{kind.value}:{code}",
                scope_path=units[unit_id].path,
                old=None if held.get((unit_id, kind, code)) is None else {"version": held[(unit_id, kind, code)]},
                new={
                    "name": name,
                    "pagu": str(line.pagu),
                    "physicalTarget": str(line.physical_target),
                    "physicalRealisation": str(line.physical),
                    "financialTarget": str(line.financial_target),
                    "financialRealisation": str(line.financial),
                },
            )
            for (unit_id, kind, code), (name, line) in written.items()
        ],
    )
    await claimed.record(conn, {"written": len(written)})
    return len(written)
