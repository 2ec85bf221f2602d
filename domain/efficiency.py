"""Efficiency of resources in the LKjIP (PermenPANRB 53/2014, Bab III analysis 6): computed from
the budget and its realisation, never typed (sakip-wave2.md §2.3). Which formula a government
reports by is its setting; budget absorption is the default.

- ABSORPTION: cumulative realisation / cumulative pagu × 100 (W8: pagu 855.830.897.000,
  realisation 734.881.464.333 → 85,87 %).
- UNSPENT_BUDGET: (pagu − realisation) / pagu × 100, and only when the targets the budget served
  were met (W8: pagu 1.000.000.000, realisation 889.900.000, IKU met → 11,01 %).
- OUTPUT_WEIGHTED: E = Σ(PAKᵢ·CKᵢ − RAKᵢ) / Σ(PAKᵢ·CKᵢ) × 100, PAK the pagu of an output, CK its
  achievement as a ratio, RAK its realisation; reported with its efficiency value 50 % + (E/20 ×
  50 %) (the Inspektorat Jenderal's LAKIP 2019: E = 74,03 → 235 %).
"""

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from enum import Enum

HUNDRED = Decimal(100)
PLACES = Decimal("0.01")


class EfficiencyMethod(Enum):
    ABSORPTION = "ABSORPTION"
    UNSPENT_BUDGET = "UNSPENT_BUDGET"
    OUTPUT_WEIGHTED = "OUTPUT_WEIGHTED"


DEFAULT_METHOD = EfficiencyMethod.ABSORPTION
METHOD_NAMES = {
    EfficiencyMethod.ABSORPTION: "Penyerapan anggaran (realisasi / pagu × 100)",
    EfficiencyMethod.UNSPENT_BUDGET: "Sisa anggaran ((pagu − realisasi) / pagu × 100, bila target tercapai)",
    EfficiencyMethod.OUTPUT_WEIGHTED: "Efisiensi tertimbang keluaran (Σ(PAK·CK − RAK) / Σ(PAK·CK) × 100)",
}


def _percent(value: Decimal) -> Decimal:
    return value.quantize(PLACES, rounding=ROUND_HALF_UP)


def absorbed(budget: Decimal, realised: Decimal) -> Decimal | None:
    """Penyerapan anggaran in percent, unrounded (for a figure that is rounded later, once, as
    a monev composite is); None without a pagu to divide by."""
    return None if budget <= 0 else realised * HUNDRED / budget


def absorption(budget: Decimal, realised: Decimal) -> Decimal | None:
    """Penyerapan anggaran in percent, to two places; None without a pagu to divide by."""
    share = absorbed(budget, realised)
    return None if share is None else _percent(share)


def unspent_budget(budget: Decimal, realised: Decimal, *, targets_met: bool) -> Decimal | None:
    """The share of the pagu left unspent, counted as efficiency only when the targets were met
    (an unmet target with money left over is under-performance, not saving)."""
    if budget <= 0 or not targets_met:
        return None
    return _percent((budget - realised) / budget * HUNDRED)


@dataclass(frozen=True)
class OutputSpend:
    budget: Decimal  # PAK: the output's pagu
    achievement_ratio: Decimal  # CK: its achievement, 1 = 100 %
    realised: Decimal  # RAK


def output_weighted(outputs: Iterable[OutputSpend]) -> Decimal | None:
    """E = Σ(PAK·CK − RAK) / Σ(PAK·CK) × 100; None when nothing was achieved to weigh by."""
    weighted = Decimal(0)
    saved = Decimal(0)
    for output in outputs:
        worth = output.budget * output.achievement_ratio
        weighted += worth
        saved += worth - output.realised
    if weighted <= 0:
        return None
    return _percent(saved / weighted * HUNDRED)


def efficiency_value(method: EfficiencyMethod, e: Decimal | None) -> Decimal | None:
    """The efficiency value (nilai efisiensi) an OUTPUT_WEIGHTED efficiency is reported with:
    50 % + (E/20 × 50 %), to two places; None for the other methods, which report E itself."""
    if method is not EfficiencyMethod.OUTPUT_WEIGHTED or e is None:
        return None
    return _percent(Decimal(50) + e / Decimal(20) * Decimal(50))


@dataclass(frozen=True)
class Spend:
    """A budget item's pagu, its realisation, and the achievement of the targets it served."""

    budget: Decimal
    realised: Decimal
    achievement: Decimal | None  # percent of the sasaran it serves; None when not measured


def efficiency(method: EfficiencyMethod, spends: Iterable[Spend]) -> Decimal | None:
    """The efficiency of one item or of several together by `method`."""
    items = list(spends)
    budget = sum((item.budget for item in items), Decimal(0))
    realised = sum((item.realised for item in items), Decimal(0))
    if method is EfficiencyMethod.ABSORPTION:
        return absorption(budget, realised)
    achievements = [item.achievement for item in items]
    if not items or any(achievement is None for achievement in achievements):
        return None
    if method is EfficiencyMethod.UNSPENT_BUDGET:
        met = all(achievement is not None and achievement >= HUNDRED for achievement in achievements)
        return unspent_budget(budget, realised, targets_met=met)
    return output_weighted(
        OutputSpend(item.budget, (item.achievement or Decimal(0)) / HUNDRED, item.realised) for item in items
    )
