"""Writes of the LKjIP (domain/lkjip.py): the unit's narrative, budget realisation per quarter,
benchmarks, the government's efficiency method, and signing, which freezes a version.

Signing gathers the figures as the signer may read them, renders the documents through the
`render` the caller passes (documents/lkjip, above this layer), and stores bytes and figures
with their SHA-256 in an append-only row, all in the caller's transaction: the signed numbers
never drift from what was printed.
"""

from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

import orjson
from sqlalchemy.ext.asyncio import AsyncConnection

from actions import audit, idempotency
from actions.agreements import MAX_YEAR, MIN_YEAR
from actions.caller import Caller
from actions.governments import government_for
from domain.budget import check_budget, sipd_code
from domain.efficiency import EfficiencyMethod
from domain.errors import DomainError, DomainErrors
from domain.lkjip import (
    MAX_NARRATIVE,
    Analysis,
    Benchmark,
    LkjipFigures,
    Paper,
    Rendered,
    Section,
    as_json,
    check_signing,
)
from domain.values import check_value
from policies.permissions import Permission
from store import audit as audit_log
from store import lkjip, reports
from store import planning as plan_store
from store.lkjip import LkjipVersionRecord, sha256
from store.records import GovernmentRecord, OrgUnitRecord
from store.reports import ReportKey

Renderer = Callable[[LkjipFigures, Paper], Awaitable[Rendered]]
MAX_SOURCE = 300


def check_year(year: int) -> None:
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise DomainError("INVALID_YEAR", f"Tahun harus antara {MIN_YEAR} dan {MAX_YEAR}.", "year")


async def reporting_unit_for(
    caller: Caller, conn: AsyncConnection, org_unit_id: int, permission: Permission
) -> tuple[OrgUnitRecord, GovernmentRecord]:
    """The unit an LKjIP is of, and its government, if the caller holds `permission` on it."""
    unit, gov = await lkjip.reporting_unit(conn, caller.viewer, org_unit_id)
    if not caller.viewer.may(permission, unit.path):
        raise DomainError("FORBIDDEN", "Anda tidak berwenang atas LKjIP unit ini.", "orgUnitId")
    return unit, gov


def _narrative(text: str, field: str) -> str:
    cleaned = text.strip()
    if len(cleaned) > MAX_NARRATIVE:
        raise DomainError("TEXT_TOO_LONG", f"Teks paling banyak {MAX_NARRATIVE} karakter.", field)
    return cleaned


@dataclass(frozen=True)
class AnalysisInput:
    indicator_id: int
    analysis: Analysis


async def save_narrative(
    conn: AsyncConnection,
    *,
    caller: Caller,
    org_unit_id: int,
    year: int,
    sections: Mapping[Section, str],
    analyses: Sequence[AnalysisInput],
) -> None:
    """The unit's text of the year: chapters, and per indicator of its agreement the factors
    and actions (analysis 5). An empty text removes a chapter's."""
    check_year(year)
    unit, _ = await reporting_unit_for(caller, conn, org_unit_id, Permission.WRITE_LKJIP)
    agreement = await lkjip.signed_agreement(conn, caller.viewer, unit, year)
    reported = {int(item["indicator_id"]) for item in agreement.snapshot["items"]}
    errors: list[DomainError] = []
    bodies: dict[str, str] = {}
    for section, text in sections.items():
        try:
            bodies[section.value] = _narrative(text, f"sections.{section.value}")
        except DomainError as error:
            errors.append(error)
    written: dict[int, Analysis] = {}
    for index, given in enumerate(analyses):
        field = f"analyses.{index}"
        if given.indicator_id not in reported:
            errors.append(
                DomainError("NOT_IN_AGREEMENT", "Indikator ini tidak termuat dalam perjanjian kinerja.", field)
            )
            continue
        try:
            written[given.indicator_id] = Analysis(
                _narrative(given.analysis.supporting, f"{field}.supportingFactors"),
                _narrative(given.analysis.inhibiting, f"{field}.inhibitingFactors"),
                _narrative(given.analysis.actions, f"{field}.actions"),
            )
        except DomainError as error:
            errors.append(error)
    if errors:
        raise DomainErrors(errors)
    before = await lkjip.save_sections(conn, unit, year, bodies, caller.actor)
    replaced = await lkjip.save_analyses(conn, unit.path, year, written, caller.actor)
    entries = [
        audit.entry(
            caller,
            "lkjip.narrative",
            entity_id=f"{unit.id}:{year}",
            scope_path=unit.path,
            old={
                "sections": {k: before.get(k) for k in bodies},
                "analyses": {str(k): as_json(v) for k, v in replaced.items()},
            },
            new={"sections": bodies, "analyses": {str(k): as_json(v) for k, v in written.items()}},
        )
    ]
    await audit_log.append(conn, entries)


@dataclass(frozen=True)
class BudgetLineInput:
    code: str
    amount: Decimal


async def submit_budget_realisations(
    conn: AsyncConnection,
    *,
    caller: Caller,
    org_unit_id: int,
    year: int,
    quarter: int,
    lines: Sequence[BudgetLineInput],
    idempotency_key: str | None = None,
) -> int:
    """The quarter's spending per budget item of the unit's signed agreement, all or nothing:
    every line is checked and every error reported, then all are written. The realisation to
    date may not exceed the item's pagu. Returns how many lines were written (a request repeated
    with its idempotency key writes nothing and answers the first count)."""
    check_year(year)
    if quarter not in (1, 2, 3, 4):
        raise DomainError("INVALID_QUARTER", "Triwulan harus 1 sampai 4.", "quarter")
    unit, _ = await reporting_unit_for(caller, conn, org_unit_id, Permission.WRITE_LKJIP)
    payload = {"unit": org_unit_id, "year": year, "quarter": quarter, "lines": [(x.code, str(x.amount)) for x in lines]}
    claimed = await idempotency.claim(conn, idempotency_key, "submitBudgetRealisations", payload)
    if claimed.earlier is not None:
        return int(claimed.earlier["written"])
    agreement = await lkjip.signed_agreement(conn, caller.viewer, unit, year)
    pagu = {str(line["code"]): Decimal(line["amount"]) for line in agreement.snapshot["budget_lines"]}
    if not lines:
        raise DomainError("EMPTY_BATCH", "Isi paling sedikit satu baris realisasi anggaran.", "lines")
    entered = await lkjip.budget_realisations(conn, unit.id, year, lock=True)
    errors: list[DomainError] = []
    amounts: dict[str, Decimal] = {}
    for index, line in enumerate(lines):
        field = f"lines.{index}"
        try:
            code = sipd_code(line.code).text
        except DomainError as error:
            errors.append(error.at(f"{field}.code"))
            continue
        if code not in pagu:
            errors.append(
                DomainError(
                    "UNKNOWN_BUDGET_ITEM",
                    f"Kode {code} tidak termuat dalam lampiran anggaran perjanjian kinerja {year}.",
                    f"{field}.code",
                )
            )
            continue
        if code in amounts:
            errors.append(DomainError("DUPLICATE_CODE", f"Kode {code} tercantum dua kali.", f"{field}.code"))
            continue
        try:
            amount = check_budget(line.amount)
        except DomainError as error:
            errors.append(error.at(f"{field}.amount"))
            continue
        to_date = amount + sum(
            (value for (c, q), (value, _) in entered.items() if c == code and q != quarter), Decimal(0)
        )
        if to_date > pagu[code]:
            errors.append(
                DomainError(
                    "OVER_BUDGET",
                    f"Realisasi {code} sampai dengan tahun ini melebihi pagu {pagu[code]:,.0f}.".replace(",", "."),
                    f"{field}.amount",
                )
            )
            continue
        amounts[code] = amount
    if errors:
        raise DomainErrors(errors)
    await lkjip.write_budget_realisations(conn, unit, year, quarter, amounts, caller.actor)
    entries = [
        audit.entry(
            caller,
            "budget_realisation.submit",
            entity_id=f"{unit.id}:{year}:{quarter}:{code}",
            scope_path=unit.path,
            old={"amount": str(entered[(code, quarter)][0])} if (code, quarter) in entered else None,
            new={"amount": str(amount)},
        )
        for code, amount in amounts.items()
    ]
    await audit_log.append(conn, entries)
    await claimed.record(conn, {"written": len(amounts)})
    return len(amounts)


@dataclass(frozen=True)
class BenchmarkInput:
    indicator_id: int
    benchmark: Benchmark


async def set_benchmarks(
    conn: AsyncConnection, *, caller: Caller, year: int, entries: Sequence[BenchmarkInput]
) -> None:
    """Province and national comparison figures of indicators for a year (analysis 4); a figure
    left empty is "no data" and prints "-"."""
    check_year(year)
    if not entries:
        raise DomainError("EMPTY_BATCH", "Isi paling sedikit satu pembanding.", "benchmarks")
    found = await plan_store.indicator_codes_and_paths(conn, [entry.indicator_id for entry in entries])
    errors: list[DomainError] = []
    paths: dict[int, str] = {}
    written: dict[int, Benchmark] = {}
    for index, entry in enumerate(entries):
        field = f"benchmarks.{index}"
        place = found.get(entry.indicator_id)
        if place is None:
            errors.append(DomainError("NOT_FOUND", "Indikator tidak ditemukan.", f"{field}.indicatorId"))
            continue
        if not caller.viewer.may(Permission.WRITE_BENCHMARKS, place[1]):
            errors.append(DomainError("FORBIDDEN", "Anda tidak berwenang mencatat pembanding di sini.", field))
            continue
        b = entry.benchmark
        try:
            for value, name in ((b.province, "provinceValue"), (b.national, "nationalValue")):
                if value is not None:
                    try:
                        check_value(value, allow_negative=True)
                    except DomainError as error:
                        raise error.at(f"{field}.{name}") from error
            for text, name in ((b.province_source, "provinceSource"), (b.national_source, "nationalSource")):
                if len(text.strip()) > MAX_SOURCE:
                    raise DomainError(
                        "TEXT_TOO_LONG", f"Sumber paling banyak {MAX_SOURCE} karakter.", f"{field}.{name}"
                    )
        except DomainError as error:
            errors.append(error)
            continue
        if entry.indicator_id in written:
            errors.append(
                DomainError("DUPLICATE_INDICATOR", "Indikator ini tercantum dua kali.", f"{field}.indicatorId")
            )
            continue
        paths[entry.indicator_id] = place[1]
        written[entry.indicator_id] = Benchmark(
            b.province, b.national, b.province_source.strip(), b.national_source.strip()
        )
    if errors:
        raise DomainErrors(errors)
    await lkjip.save_benchmarks(conn, paths, year, written, caller.actor)
    await audit_log.append(
        conn,
        [
            audit.entry(
                caller,
                "benchmark.set",
                entity_id=f"{indicator_id}:{year}",
                scope_path=paths[indicator_id],
                new={"benchmark": as_json(benchmark)},
            )
            for indicator_id, benchmark in written.items()
        ],
    )


async def set_efficiency_method(
    conn: AsyncConnection, *, caller: Caller, government_code: str, method: EfficiencyMethod
) -> None:
    """Which formula the government's LKjIP computes efficiency by (sakip-wave2.md §2.3)."""
    gov = await government_for(
        conn,
        caller,
        government_code,
        Permission.CONFIGURE_LKJIP,
        "Anda tidak berwenang mengatur LKjIP pemerintah daerah ini.",
    )
    before = await lkjip.efficiency_method(conn, gov.id)
    await lkjip.set_efficiency_method(conn, gov.id, method)
    await audit_log.append(
        conn,
        [
            audit.entry(
                caller,
                "government.efficiency_method",
                entity_id=gov.code,
                scope_path=gov.path,
                old={"efficiency_method": before.value},
                new={"efficiency_method": method.value},
            )
        ],
    )


async def sign_lkjip(
    conn: AsyncConnection,
    *,
    caller: Caller,
    org_unit_id: int,
    year: int,
    paper: Paper,
    reason: str | None,
    render: Renderer,
) -> LkjipVersionRecord:
    """The head's signature: a new frozen version (the first, or a correction with a reason)."""
    check_year(year)
    unit, _ = await reporting_unit_for(caller, conn, org_unit_id, Permission.SIGN_LKJIP)
    # The annual report's row, locked: two signatures at once make two versions one after the other.
    annual = await reports.lock_report(conn, ReportKey(unit.id, year, None), province=unit.path.split("/", 1)[0])
    signed = await lkjip.versions(conn, [(unit.id, year)])
    because = check_signing(report_state=annual.state, signed_versions=len(signed), reason=reason)
    figures = await lkjip.gather(conn, caller.viewer, unit.id, year)
    files = await render(figures, paper)
    stored = as_json(figures)
    canonical = orjson.dumps(stored, option=orjson.OPT_SORT_KEYS)
    version = await lkjip.insert_version(
        conn,
        unit.path,
        org_unit_id=unit.id,
        year=year,
        number=len(signed) + 1,
        reason=because,
        paper=paper.value,
        signed_by=caller.actor,
        figures=stored,
        figures_sha256=sha256(canonical),
        pdf=files.pdf,
        pdf_sha256=sha256(files.pdf),
        docx=files.docx,
        docx_sha256=sha256(files.docx),
        xlsx=files.xlsx,
        xlsx_sha256=sha256(files.xlsx),
    )
    await audit_log.append(
        conn,
        [
            audit.entry(
                caller,
                "lkjip.sign",
                entity_id=f"{unit.id}:{year}:{version.number}",
                scope_path=unit.path,
                new={
                    "number": version.number,
                    "figures_sha256": version.figures_sha256,
                    "pdf_sha256": version.pdf_sha256,
                    "docx_sha256": version.docx_sha256,
                    "xlsx_sha256": version.xlsx_sha256,
                },
                reason=because,
            )
        ],
    )
    return version
