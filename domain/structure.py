"""Rules of the organisation structure (SOTK)."""

from datetime import date

from domain.enums import OrgUnitKind
from domain.errors import DomainError

# Eselon IV units (subbagian, seksi) usually sit under an eselon III bidang/bagian, but small
# agencies and UPTD place them directly under the agency.
ALLOWED_PARENT_KINDS: dict[OrgUnitKind, frozenset[OrgUnitKind | None]] = {
    OrgUnitKind.PEMDA: frozenset({None}),
    OrgUnitKind.PERANGKAT_DAERAH: frozenset({OrgUnitKind.PEMDA}),
    OrgUnitKind.ESELON_III: frozenset({OrgUnitKind.PERANGKAT_DAERAH}),
    OrgUnitKind.ESELON_IV: frozenset({OrgUnitKind.ESELON_III, OrgUnitKind.PERANGKAT_DAERAH}),
}


def check_unit_placement(
    *,
    kind: OrgUnitKind,
    parent_kind: OrgUnitKind | None,
    valid_from: date,
    valid_to: date | None,
    parent_valid_from: date | None,
    parent_valid_to: date | None,
) -> None:
    if parent_kind not in ALLOWED_PARENT_KINDS[kind]:
        where = "tanpa induk" if parent_kind is None else f"di bawah {parent_kind.value}"
        raise DomainError("INVALID_PARENT", f"Unit {kind.value} tidak dapat ditempatkan {where}.", "parentId")
    if valid_to is not None and valid_to < valid_from:
        raise DomainError("INVALID_VALIDITY", "Tanggal akhir berlaku sebelum tanggal mulai.", "validTo")
    if parent_valid_from is not None and valid_from < parent_valid_from:
        raise DomainError("INVALID_VALIDITY", "Unit tidak dapat berlaku sebelum unit induknya.", "validFrom")
    if parent_valid_to is not None and (valid_to is None or valid_to > parent_valid_to):
        raise DomainError("INVALID_VALIDITY", "Unit tidak dapat berlaku melewati unit induknya.", "validTo")


def check_reorganisation(*, predecessors: int, successors: int, effective_year: int) -> None:
    """A SOTK change takes effect on 1 January of a year: units are renamed or moved (one to
    one), merged (many to one) or split (one to many); many to many is two changes."""
    if predecessors < 1 or successors < 1:
        raise DomainError("REQUIRED", "Sebutkan unit lama dan unit penggantinya.", "successors")
    if predecessors > 1 and successors > 1:
        raise DomainError(
            "MANY_TO_MANY", "Gabungkan atau pecah dalam dua perubahan terpisah, bukan sekaligus.", "successors"
        )
    if not 2001 <= effective_year <= 2100:
        raise DomainError("INVALID_YEAR", "Tahun berlaku SOTK tidak sah.", "effectiveYear")


def successor_of(mapping: dict[int, str], key: int, successors: list[str], field: str) -> str:
    """The successor a unit or indicator of the old structure goes to: as mapped, or the only one."""
    chosen = mapping.get(key)
    if chosen is None:
        if len(successors) == 1:
            return successors[0]
        raise DomainError("UNMAPPED", "Tentukan unit pengganti untuk setiap unit dan indikator lama.", field)
    if chosen not in successors:
        raise DomainError("UNKNOWN_SUCCESSOR", f"Unit pengganti {chosen} tidak ada dalam perubahan ini.", field)
    return chosen
