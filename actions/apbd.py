"""Importing the APBD from SIPD's Lampiran (domain/apbd.py): every line checked, every SIPD unit
matched to a perangkat daerah of the pemda, then each unit's lines of the year and budget replaced
whole, the importer's mappings kept as aliases for the next import, one audit entry per unit; all
of it or nothing. A unit nobody matched stops the write and comes back with its suggestions."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from sqlalchemy.ext.asyncio import AsyncConnection

from actions import audit
from actions.caller import Caller
from actions.governments import government_for
from domain.apbd import (
    MAX_APBD_LINES,
    MAX_UNIT_CODE,
    ApbdLine,
    Difference,
    MatchedBy,
    UnitMatch,
    check_lines,
    differences,
    match_units,
    normalise_unit_code,
)
from domain.budget import BudgetLevel, SipdCode, check_budget, sipd_code
from domain.errors import DomainError, DomainErrors
from domain.progress import BudgetKind
from policies.paths import province_code
from policies.permissions import Permission
from store import apbd, hierarchy
from store import audit as audit_log
from store.apbd import ApbdLineWrite

MAX_NAME = 500


@dataclass(frozen=True)
class ApbdLineInput:
    unit_code: str
    code: str
    name: str
    pagu: Decimal | None


@dataclass(frozen=True)
class ApbdImport:
    government_code: str
    year: int
    budget_kind: BudgetKind
    lines: list[ApbdLineInput]
    unit_names: dict[str, str] = field(default_factory=dict)  # SIPD unit code → the file's name for it
    mappings: dict[str, int] = field(default_factory=dict)  # SIPD unit code → perangkat daerah


@dataclass(frozen=True)
class ApbdImported:
    lines: int
    units: list[UnitMatch]
    differences: list[Difference]
    unmatched: list[DomainError]  # non-empty: nothing was written

    @property
    def written(self) -> bool:
        return not self.unmatched


def _lines(sent: list[ApbdLineInput]) -> tuple[list[ApbdLine], list[DomainError]]:
    errors: list[DomainError] = []
    lines: list[ApbdLine] = []
    for index, line in enumerate(sent):
        at = f"lines.{index}"
        found = len(errors)
        unit_code = normalise_unit_code(line.unit_code)
        if not unit_code or len(unit_code) > MAX_UNIT_CODE:
            message = "Isi kode unit SIPD (paling banyak 50 karakter)."
            errors.append(DomainError("INVALID_UNIT_CODE", message, f"{at}.unitCode"))
        code: SipdCode | None = None
        try:
            code = sipd_code(line.code)
        except DomainError as error:
            errors.append(error.at(f"{at}.code"))
        name = " ".join(line.name.split())
        if not name or len(name) > MAX_NAME:
            errors.append(DomainError("INVALID_NAME", "Isi uraian (paling banyak 500 karakter).", f"{at}.name"))
        if line.pagu is not None:
            try:
                check_budget(line.pagu)
            except DomainError as error:
                errors.append(error.at(f"{at}.pagu"))
        if code is not None and len(errors) == found:
            lines.append(ApbdLine(unit_code, code, name, line.pagu))
    if not errors:
        errors = check_lines(lines)
    return lines, errors


async def import_budget(conn: AsyncConnection, *, caller: Caller, request: ApbdImport) -> ApbdImported:
    """The pemda's APBD lines of a year and budget, by perangkat daerah (see the module)."""
    gov = await government_for(
        conn, caller, request.government_code, Permission.IMPORT_BUDGET,
        "Anda tidak berwenang mengimpor APBD pemerintah daerah ini.",
    )  # fmt: skip
    if not 2000 <= request.year <= 2100:
        raise DomainError("INVALID_YEAR", "Tahun anggaran tidak valid.", "year")
    if not request.lines or len(request.lines) > MAX_APBD_LINES:
        raise DomainError("INVALID_BATCH", f"Kirim 1–{MAX_APBD_LINES:,} baris sekaligus.".replace(",", "."), "lines")
    lines, errors = _lines(request.lines)
    agencies = await hierarchy.agencies_of(conn, gov.id, date(request.year, 1, 1))
    known = {agency.id: agency for agency in agencies}
    mapped: dict[str, int] = {}
    for index, (unit_code, unit_id) in enumerate(request.mappings.items()):
        if unit_id not in known:
            errors.append(
                DomainError(
                    "NOT_AN_AGENCY", f"Pilih perangkat daerah {gov.name} yang berlaku tahun {request.year}.",
                    f"mappings.{index}.orgUnitId",
                )
            )  # fmt: skip
        mapped[normalise_unit_code(unit_code)] = unit_id
    if errors:
        raise DomainErrors(errors)
    names = {normalise_unit_code(code): name for code, name in request.unit_names.items()}
    first_line: dict[str, int] = {}
    for index, line in enumerate(lines):
        first_line.setdefault(line.unit_code, index)
    units = {code: names.get(code, "") for code in first_line}
    aliases = {alias: unit_id for alias, unit_id in (await apbd.aliases(conn, gov.id)).items() if unit_id in known}
    matches = match_units(units, [(a.id, a.name) for a in agencies], aliases, mapped)
    unmatched = [
        DomainError(
            "UNMATCHED_UNIT",
            f"Unit SIPD {m.unit_code}{f' ({m.name})' if m.name else ''} belum dipasangkan dengan perangkat "
            "daerah: pilih padanannya.",
            f"lines.{first_line[m.unit_code]}.unitCode",
        )
        for m in matches
        if m.org_unit_id is None
    ]
    by_unit: dict[int, list[str]] = defaultdict(list)
    for match in matches:
        if match.org_unit_id is not None:
            by_unit[match.org_unit_id].append(match.unit_code)
    twice = [codes for codes in by_unit.values() if len(codes) > 1]
    if twice:
        raise DomainErrors(
            [
                DomainError(
                    "UNIT_MATCHED_TWICE",
                    f"Unit SIPD {' dan '.join(codes)} dipasangkan dengan perangkat daerah yang sama.",
                    f"lines.{first_line[codes[1]]}.unitCode",
                )
                for codes in twice
            ]
        )  # fmt: skip
    found = differences(lines)
    if unmatched:
        return ApbdImported(len(lines), matches, found, unmatched)
    writes_of: dict[str, list[ApbdLineWrite]] = defaultdict(list)
    for line in lines:
        writes_of[line.unit_code].append(
            ApbdLineWrite(line.code.text, line.code.level, line.name, line.pagu, line.unit_code)
        )
    province = province_code(gov.path)
    entries = []
    for unit_id, codes in by_unit.items():
        writes = [write for code in codes for write in writes_of[code]]
        replaced = await apbd.replace_lines(
            conn, unit_id, province, request.year, request.budget_kind, writes, caller.actor
        )
        programs = [w.pagu for w in writes if w.level is BudgetLevel.PROGRAM and w.pagu is not None]
        entries.append(
            audit.entry(
                caller, "apbd_budget.import", entity_id=f"{unit_id}:{request.year}:{request.budget_kind.value}",
                scope_path=known[unit_id].path, old={"lines": replaced} if replaced else None,
                new={"lines": len(writes), "sipdUnit": codes[0], "programTotal": str(sum(programs, Decimal(0)))},
            )
        )  # fmt: skip
    recorded = {m.unit_code: m.org_unit_id for m in matches if m.matched_by is MatchedBy.MAPPED and m.org_unit_id}
    await apbd.record_aliases(conn, gov.id, province, recorded, caller.actor)
    await audit_log.append(conn, entries)
    return ApbdImported(len(lines), matches, found, [])
