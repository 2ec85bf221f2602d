"""Cascading (pohon kinerja): parent links, and realisations computed from child indicators.

PermenPANRB 89/2021 (penjenjangan kinerja) cascades a government's performance down its
hierarchy: an indicator supports one of an ancestor unit, or (for a kabupaten/kota's) one of its
province, so a link must follow the hierarchy upwards.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from domain.enums import RollupFromChildren
from domain.errors import InvalidCascade


@dataclass(frozen=True)
class ChildValue:
    value: Decimal | None
    weight: Decimal


def computed_realisation(method: RollupFromChildren, children: Sequence[ChildValue]) -> Decimal | None:
    """A parent's realisation for one quarter from its children's values of that quarter.

    Policy: the parent has a value only when every child has one, because a sum or mean over
    the children who happened to report would look complete while it is not.
    """
    if method is RollupFromChildren.NONE:
        raise ValueError("an indicator without rollupFromChildren has typed-in realisations")
    if not children or any(child.value is None for child in children):
        return None
    values = [child.value for child in children if child.value is not None]
    if method is RollupFromChildren.SUM:
        return sum(values, Decimal(0))
    if method is RollupFromChildren.AVERAGE:
        return sum(values, Decimal(0)) / len(values)
    if method is RollupFromChildren.MIN:
        return min(values)
    if method is RollupFromChildren.MAX:
        return max(values)
    total_weight = sum((child.weight for child in children), Decimal(0))
    if total_weight == 0:
        return None
    weighted = sum((child.weight * value for child, value in zip(children, values, strict=True)), Decimal(0))
    return weighted / total_weight


@dataclass(frozen=True)
class CascadeEnd:
    """Where an indicator sits: its unit's materialised path and its government's path."""

    unit_path: str
    government_path: str


def check_cascade_link(*, child: CascadeEnd, parent: CascadeEnd) -> None:
    """A parent indicator belongs to an ancestor unit, or to an ancestor government.

    Paths are materialised ('61/61.71/300/401/'), so ancestry is a proper-prefix test. The
    second case is a kabupaten/kota aligning to its province (design.md, "Cascading").
    """
    if child.unit_path != parent.unit_path and child.unit_path.startswith(parent.unit_path):
        return
    if child.government_path != parent.government_path and child.government_path.startswith(parent.government_path):
        return
    raise InvalidCascade(
        "INVALID_PARENT",
        "Indikator induk harus milik unit atasan atau pemerintah daerah atasan.",
    )
