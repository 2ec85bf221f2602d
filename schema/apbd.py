"""The APBD imported from SIPD (anggaran APBD, domain/apbd.py): the import's input and dry-run
report, and a perangkat daerah's budget lines of a year."""

from datetime import datetime
from decimal import Decimal

import strawberry

from domain.apbd import MatchedBy
from domain.budget import BudgetLevel
from domain.progress import BudgetKind
from schema.inputs import UserError
from schema.types import OrgUnit

strawberry.enum(
    MatchedBy,
    name="ApbdUnitMatchedBy",
    description="How a SIPD unit was matched to a perangkat daerah: NAME, its exact name; ALIAS, an alias "
    "recorded by an earlier import; MAPPED, the importer's mapping in this import (then recorded as an alias).",
)

# A pemda's Lampiran reports a few dozen units; a payload lists at most this many differences.
MAX_DIFFERENCES = 200


@strawberry.input(description="One line of the Lampiran APBD (baris anggaran SIPD).")
class ApbdLineInput:
    unit_code: str = strawberry.field(description="The SIPD unit code (kode unit SKPD), e.g. 1.02.0.00.0.00.01.0000.")
    code: str = strawberry.field(
        description="SIPD code of the program, kegiatan or sub-kegiatan, zero-padding optional: 1.2.2.2.1.1 is "
        "1.02.02.2.01.0001."
    )
    name: str = strawberry.field(description="Uraian: the name of the program, kegiatan or sub-kegiatan.")
    pagu: Decimal | None = strawberry.field(
        default=None, description="Pagu, Rupiah, at most 2 decimals; null when the file leaves it empty (not 0)."
    )


@strawberry.input(description="The name the file gives a SIPD unit (nama SKPD), to match and suggest by.")
class ApbdUnitNameInput:
    unit_code: str
    name: str


@strawberry.input(description="The perangkat daerah a SIPD unit is (padanan unit); recorded as an alias when written.")
class ApbdUnitMappingInput:
    unit_code: str
    org_unit_id: strawberry.ID


@strawberry.input(description="A pemda's APBD of a year from SIPD's Lampiran (impor APBD); all lines or none.")
class ImportApbdBudgetInput:
    government_code: str
    year: int
    lines: list[ApbdLineInput]
    budget_kind: BudgetKind = BudgetKind.MURNI
    units: list[ApbdUnitNameInput] = strawberry.field(default_factory=list)
    mappings: list[ApbdUnitMappingInput] = strawberry.field(default_factory=list)
    dry_run: bool = strawberry.field(
        default=False, description="Check and match everything and answer the report; nothing is written."
    )


@strawberry.type(description="A SIPD unit of the file and the perangkat daerah it was matched to (padanan unit).")
class ApbdUnitMatch:
    unit_code: str
    name: str = strawberry.field(description="The file's name for it; empty when it gives none.")
    org_unit: OrgUnit | None = strawberry.field(description="Null: unmatched; nothing is written until it is mapped.")
    matched_by: MatchedBy | None
    suggestions: list[OrgUnit] = strawberry.field(
        description="Perangkat daerah with a similar name, best first: only suggested, never matched."
    )


@strawberry.type(description="A program or kegiatan whose pagu differs from the sum below it by Rp 1 or more (selisih)")
class BudgetDifference:
    unit_code: str
    code: str
    level: BudgetLevel
    name: str
    pagu: Decimal
    below: Decimal = strawberry.field(description="Σ pagu of its kegiatan (of a program) or sub-kegiatan.")
    difference: Decimal = strawberry.field(description="pagu − below: positive when some is unallocated.")


@strawberry.type
class ImportApbdBudgetPayload:
    written: bool = strawberry.field(description="False for a dry run, an error or an unmatched unit.")
    lines: int | None
    units: list[ApbdUnitMatch]
    differences: list[BudgetDifference] = strawberry.field(
        description=f"The first {MAX_DIFFERENCES}, in the file's order; differenceCount counts them all."
    )
    difference_count: int
    user_errors: list[UserError]


@strawberry.type(description="A line of a perangkat daerah's APBD (program, kegiatan, sub-kegiatan).")
class ApbdBudgetLine:
    code: str = strawberry.field(description="The SIPD code, normalised (Permendagri 90/2019).")
    level: BudgetLevel
    name: str
    pagu: Decimal | None
    unallocated: Decimal | None = strawberry.field(
        description="pagu − Σ pagu of the lines below it (selisih); null without a pagu or lines below."
    )


@strawberry.type(description="A perangkat daerah's APBD of a year (anggaran APBD murni or perubahan), from SIPD.")
class ApbdBudget:
    org_unit: OrgUnit
    year: int
    budget_kind: BudgetKind
    sipd_unit_code: str
    total: Decimal = strawberry.field(description="Σ pagu of its programs, Rupiah.")
    lines: list[ApbdBudgetLine]
    imported_by: str
    imported_at: datetime
