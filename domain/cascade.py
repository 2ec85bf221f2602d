"""Cascading (pohon kinerja): parent links, their consent, and realisations computed from child
indicators.

PermenPANRB 89/2021 (penjenjangan kinerja) cascades a government's performance down its
hierarchy: an indicator supports one of an ancestor unit, or (for a kabupaten/kota's) one of its
province, so a link must follow the hierarchy upwards.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import Enum

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


class ProposalState(Enum):
    """A cascade link proposed by the upper level waits for the lower level's consent."""

    PROPOSED = "PROPOSED"
    ACCEPTED = "ACCEPTED"
    REJECTED = "REJECTED"


def check_decision(state: ProposalState, accept: bool, reason: str) -> ProposalState:
    """The lower level accepts, or rejects with a reason; a decided proposal stays decided."""
    if state is not ProposalState.PROPOSED:
        raise InvalidCascade("ALREADY_DECIDED", f"Usulan ini sudah {state.value}.", "proposalId")
    if not accept and not reason.strip():
        raise InvalidCascade("REASON_REQUIRED", "Penolakan wajib disertai alasan.", "reason")
    return ProposalState.ACCEPTED if accept else ProposalState.REJECTED


def may_consent(consenting_paths: tuple[str, ...] | None, *, child_unit_path: str, parent_unit_path: str) -> bool:
    """Consent comes from the child's side: a caller who may consent where the child sits, and
    whose grants do not reach the parent's unit too (else the proposer's level would be
    agreeing with itself: a province admin for a kabupaten/kota, a kota admin for its agency)."""
    if consenting_paths is None:
        return True
    covers_child = any(child_unit_path.startswith(p) for p in consenting_paths)
    covers_parent = any(parent_unit_path.startswith(p) for p in consenting_paths)
    return covers_child and not covers_parent
