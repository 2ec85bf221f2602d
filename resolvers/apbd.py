"""The APBD from SIPD over GraphQL (actions/apbd.py): the import with its dry-run report, and a
perangkat daerah's budget lines of a year."""

from decimal import Decimal

import strawberry

from actions import apbd
from actions.apbd import ApbdImport, ApbdImported, ApbdLineInput
from domain.apbd import ApbdLine, unallocated_below
from domain.budget import BudgetLevel, sipd_code
from domain.progress import BudgetKind, in_force
from resolvers.writes import in_transaction, user_errors
from schema.apbd import (
    MAX_DIFFERENCES,
    ApbdBudget,
    ApbdBudgetLine,
    ApbdUnitMatch,
    BudgetDifference,
    ImportApbdBudgetInput,
    ImportApbdBudgetPayload,
)
from schema.ids import decode_id_of, pk_of
from schema.types import Info, OrgUnit
from store import apbd as apbd_store


async def import_apbd_budget(info: Info, input: ImportApbdBudgetInput) -> ImportApbdBudgetPayload:
    request = ApbdImport(
        government_code=input.government_code,
        year=input.year,
        budget_kind=input.budget_kind,
        lines=[ApbdLineInput(line.unit_code, line.code, line.name, line.pagu) for line in input.lines],
        unit_names={unit.unit_code: unit.name for unit in input.units},
        mappings={m.unit_code: pk_of(m.org_unit_id, "OrgUnit") for m in input.mappings},
    )
    done = await in_transaction(
        info, lambda conn: apbd.import_budget(conn, caller=info.context.caller, request=request), dry_run=input.dry_run
    )
    if done.value is None:
        return ImportApbdBudgetPayload(
            written=False, lines=None, units=[], differences=[], difference_count=0, user_errors=done.user_errors
        )
    return await _report(info, done.value, written=done.value.written and not input.dry_run)


async def _report(info: Info, result: ApbdImported, written: bool) -> ImportApbdBudgetPayload:
    """The import's payload: every SIPD unit with its match and suggestions, the differences."""
    ids = {m.org_unit_id for m in result.units if m.org_unit_id} | {i for m in result.units for i in m.suggestions}
    loaded = await info.context.loaders.org_unit_by_id.load_many(sorted(ids))
    units = {unit.id: OrgUnit.of(unit) for unit in loaded if unit}
    return ImportApbdBudgetPayload(
        written=written,
        lines=result.lines,
        units=[
            ApbdUnitMatch(
                unit_code=m.unit_code, name=m.name, org_unit=units.get(m.org_unit_id) if m.org_unit_id else None,
                matched_by=m.matched_by, suggestions=[units[i] for i in m.suggestions if i in units],
            )
            for m in result.units
        ],
        differences=[
            BudgetDifference(
                unit_code=d.unit_code, code=d.code.text, level=d.code.level, name=d.name, pagu=d.pagu, below=d.below,
                difference=d.difference,
            )
            for d in result.differences[:MAX_DIFFERENCES]
        ],
        difference_count=len(result.differences),
        user_errors=user_errors(result.unmatched),
    )  # fmt: skip


async def apbd_budget(
    info: Info, org_unit_id: strawberry.ID, year: int, budget_kind: BudgetKind | None = None
) -> ApbdBudget | None:
    """The unit's imported lines of the year: of `budgetKind`, else PERUBAHAN once imported, MURNI
    before; null when none was imported (the APBD is a Perda: public, like the hierarchy)."""
    unit_pk = decode_id_of(str(org_unit_id), "OrgUnit")
    unit = await info.context.loaders.org_unit_by_id.load(unit_pk) if unit_pk is not None else None
    if unit is None:
        return None
    by_kind = await apbd_store.lines_of(await info.context.connection(), unit.id, year)
    kind, records = (budget_kind, by_kind.get(budget_kind, [])) if budget_kind else in_force(by_kind)
    if kind is None or not records:
        return None
    lines = [ApbdLine(r.sipd_unit_code, sipd_code(r.code), r.name, r.pagu) for r in records]
    programs = [r.pagu for r in records if r.level is BudgetLevel.PROGRAM and r.pagu is not None]
    return ApbdBudget(
        org_unit=OrgUnit.of(unit),
        year=year,
        budget_kind=kind,
        sipd_unit_code=records[0].sipd_unit_code,
        total=sum(programs, Decimal(0)),
        lines=[
            ApbdBudgetLine(code=r.code, level=r.level, name=r.name, pagu=r.pagu, unallocated=left)
            for r, left in zip(records, unallocated_below(lines), strict=True)
        ],
        imported_by=records[0].imported_by,
        imported_at=max(r.imported_at for r in records),
    )
