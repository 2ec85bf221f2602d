"""Budget items: SIPD nomenclature codes and Rupiah amounts (pagu, anggaran).

Permendagri 90/2019 numbers the budget hierarchy urusan (1 digit) . bidang urusan (2) . program
(2) . kegiatan (1.2) . sub-kegiatan (4): `5.01.01.2.01.0001` is the sub-kegiatan "Penyusunan
Dokumen Perencanaan Perangkat Daerah". SIPD exports and hand-made spreadsheets mix `2` and `02`,
`3` and `0003` (sakip-wave2.md, W4), so a code is normalised to those widths before it is a key:
`2` and `02` are one code, and without the urusan and bidang `1.1.2` and `2.22.2` would collide.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from enum import Enum

from domain.errors import InvalidValue

# Width of each dot-separated segment; the kegiatan is two segments (`2.01`).
SEGMENT_WIDTHS = (1, 2, 2, 1, 2, 4)
# Rupiah amounts are numeric(17, 2): 15 digits before the point, at most two after.
MAX_BUDGET = Decimal("1e15")
BUDGET_SCALE = 2


class BudgetLevel(Enum):
    """The level of a budget item, given by how many segments its SIPD code has."""

    PROGRAM = "PROGRAM"
    ACTIVITY = "ACTIVITY"  # kegiatan
    SUB_ACTIVITY = "SUB_ACTIVITY"  # sub-kegiatan


SEGMENTS_OF_LEVEL = {BudgetLevel.PROGRAM: 3, BudgetLevel.ACTIVITY: 5, BudgetLevel.SUB_ACTIVITY: 6}
LEVEL_OF_SEGMENTS = {count: level for level, count in SEGMENTS_OF_LEVEL.items()}
LEVEL_NAMES = {
    BudgetLevel.PROGRAM: "Program",
    BudgetLevel.ACTIVITY: "Kegiatan",
    BudgetLevel.SUB_ACTIVITY: "Sub Kegiatan",
}


@dataclass(frozen=True)
class SipdCode:
    """A normalised code: `segments` zero-padded to SEGMENT_WIDTHS."""

    segments: tuple[str, ...]

    @property
    def text(self) -> str:
        return ".".join(self.segments)

    @property
    def level(self) -> BudgetLevel:
        return LEVEL_OF_SEGMENTS[len(self.segments)]

    def parent(self) -> "SipdCode | None":
        """The program of a kegiatan, the kegiatan of a sub-kegiatan."""
        if self.level is BudgetLevel.PROGRAM:
            return None
        shorter = SEGMENTS_OF_LEVEL[BudgetLevel.PROGRAM if self.level is BudgetLevel.ACTIVITY else BudgetLevel.ACTIVITY]
        return SipdCode(self.segments[:shorter])


def _malformed(text: str) -> InvalidValue:
    return InvalidValue(
        "INVALID_SIPD_CODE",
        f"Kode SIPD '{text}' tidak sah: urusan.bidang.program (mis. 5.01.01), kegiatan 5.01.01.2.01 "
        "atau sub kegiatan 5.01.01.2.01.0001.",
    )


def sipd_code(text: str) -> SipdCode:
    """The normalised code of a program (3 segments), kegiatan (5) or sub-kegiatan (6)."""
    parts = [part.strip() for part in text.strip().split(".")]
    if len(parts) not in LEVEL_OF_SEGMENTS:
        raise _malformed(text)
    segments: list[str] = []
    for part, width in zip(parts, SEGMENT_WIDTHS, strict=False):
        if not part.isascii() or not part.isdigit() or len(part.lstrip("0")) > width:
            raise _malformed(text)
        segments.append(part.zfill(width)[-width:])
    return SipdCode(tuple(segments))


def sipd_code_of_cells(urusan: str, bidang: str, program: str, kegiatan: str = "", sub_kegiatan: str = "") -> SipdCode:
    """A code from the separate cells of a SIPD spreadsheet (Lampiran 8 columns B–F), where the
    kegiatan cell holds both its segments (`2.1`)."""
    cells = [urusan, bidang, program, kegiatan, sub_kegiatan]
    present = [cell.strip() for cell in cells if cell.strip()]
    return sipd_code(".".join(present))


def check_budget(amount: Decimal) -> Decimal:
    """A Rupiah amount: exact, not negative, at most two decimals (sen)."""
    if not amount.is_finite():
        raise InvalidValue("NOT_FINITE", "Anggaran harus berupa angka terhingga.")
    if amount < 0:
        raise InvalidValue("NEGATIVE_BUDGET", "Anggaran tidak boleh negatif.")
    if amount >= MAX_BUDGET:
        raise InvalidValue("VALUE_TOO_LARGE", "Anggaran terlalu besar (maksimum 15 digit sebelum koma).")
    exponent = amount.as_tuple().exponent
    if isinstance(exponent, int) and -exponent > BUDGET_SCALE and amount != amount.quantize(Decimal("0.01")):
        raise InvalidValue("TOO_MANY_DECIMALS", "Anggaran paling banyak 2 angka di belakang koma.")
    return amount


def rupiah(amount: Decimal) -> str:
    """An amount as the PK annex prints it: whole Rupiah, dots between thousands
    (`number_format(x, 0, ',', '.')`): 2000500000 → `2.000.500.000`."""
    whole = amount.quantize(Decimal(1), rounding="ROUND_HALF_UP")
    return f"{whole:,.0f}".replace(",", ".")


def unallocated(budget: Decimal | None, below: Iterable[Decimal | None]) -> Decimal | None:
    """A budget item's pagu not yet given to the items below it (selisih: a program's pagu minus
    its kegiatan's, W5: 500.000.000 − (300.000.000 + 199.000.000) = 1.000.000); None without a
    pagu or with nothing below."""
    amounts = [amount for amount in below if amount is not None]
    if budget is None or not amounts:
        return None
    return budget - sum(amounts, Decimal(0))
