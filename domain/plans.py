"""Strategic plans (RPJMD of a pemda, Renstra of a perangkat daerah) as versioned documents.

A plan's content is never edited in place once published (sakip-wave2.md §0: re-entered Renstra
targets orphaned 123 LAKIP rows in one application). A version is drafted, submitted and
published; a change (perubahan) is a new version copied from a published one, with its reason,
its legal basis and the date it takes effect. Versions are compared by the keys that persist
across them: the codes of goals, objectives and budget items, and the indicator master's id.
"""

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from enum import Enum

from domain.budget import LEVEL_NAMES, BudgetLevel, check_budget, sipd_code
from domain.enums import OrgUnitKind
from domain.errors import DomainError, DomainErrors
from domain.values import check_text, check_value


class PlanKind(Enum):
    RPJMD = "RPJMD"  # a pemda's five-year plan
    RENSTRA = "RENSTRA"  # a perangkat daerah's


class PlanState(Enum):
    DRAFT = "DRAFT"
    SUBMITTED = "SUBMITTED"
    PUBLISHED = "PUBLISHED"


class PlanAction(Enum):
    SUBMIT = "SUBMIT"
    RETURN = "RETURN"
    PUBLISH = "PUBLISH"


# sakip-wave2.md §1.2: draft → submitted → published; a submitted version may be returned.
TRANSITIONS = {
    (PlanState.DRAFT, PlanAction.SUBMIT): PlanState.SUBMITTED,
    (PlanState.SUBMITTED, PlanAction.RETURN): PlanState.DRAFT,
    (PlanState.SUBMITTED, PlanAction.PUBLISH): PlanState.PUBLISHED,
}

UNIT_KIND_OF_PLAN = {PlanKind.RPJMD: OrgUnitKind.PEMDA, PlanKind.RENSTRA: OrgUnitKind.PERANGKAT_DAERAH}
MAX_PERIOD_YEARS = 5


def plan_transition(state: PlanState, action: PlanAction, reason: str | None) -> PlanState:
    following = TRANSITIONS.get((state, action))
    if following is None:
        raise DomainError(
            "INVALID_TRANSITION", f"Versi berstatus {state.value} tidak dapat di-{action.value.lower()}.", "versionId"
        )
    if action is PlanAction.RETURN and not (reason or "").strip():
        raise DomainError("REASON_REQUIRED", "Pengembalian wajib disertai alasan.", "reason")
    return following


def check_plan_period(kind: PlanKind, unit_kind: OrgUnitKind, start_year: int, end_year: int) -> None:
    if unit_kind is not UNIT_KIND_OF_PLAN[kind]:
        noun = "pemda (unit PEMDA)" if kind is PlanKind.RPJMD else "perangkat daerah"
        raise DomainError("INVALID_PLAN_UNIT", f"{kind.value} disusun oleh {noun}.", "orgUnitId")
    if not 2000 <= start_year <= end_year <= start_year + MAX_PERIOD_YEARS - 1 or end_year > 2100:
        raise DomainError("INVALID_PERIOD", "Periode rencana paling lama 5 tahun, tahun awal ≤ tahun akhir.", "endYear")


@dataclass(frozen=True)
class LegalBasis:
    """Dasar perubahan: the regulation that changes the plan (e.g. Perda, Perkada)."""

    kind: str
    number: str
    date: date


def check_revision(
    *,
    reason: str,
    effective_from: date,
    start_year: int,
    end_year: int,
    published_effective_dates: Iterable[date],
) -> None:
    """A perubahan takes effect inside the plan period and after every published version, so
    the versions' effective periods never overlap (the timeline never has two answers)."""
    if not reason.strip():
        raise DomainError("REASON_REQUIRED", "Perubahan rencana wajib disertai alasan.", "reason")
    if not start_year <= effective_from.year <= end_year:
        raise DomainError(
            "OUTSIDE_PERIOD", f"Tanggal berlaku harus di dalam periode {start_year}–{end_year}.", "effectiveFrom"
        )
    latest = max(published_effective_dates, default=None)
    if latest is not None and effective_from <= latest:
        raise DomainError(
            "OVERLAPPING_EFFECTIVE_DATE",
            f"Tanggal berlaku harus sesudah {latest.isoformat()}, tanggal berlaku versi terbit sebelumnya.",
            "effectiveFrom",
        )


def effective_version(versions: Iterable[tuple[int, date]], on: date) -> int | None:
    """The published version (id, effective_from) in force on a date: the latest that started."""
    started = [(effective_from, version_id) for version_id, effective_from in versions if effective_from <= on]
    return max(started)[1] if started else None


class ChangeKind(Enum):
    ADDED = "ADDED"
    REMOVED = "REMOVED"
    CHANGED = "CHANGED"


@dataclass(frozen=True)
class ElementContent:
    """What a version says of one goal, objective or budget item, keyed by (kind, code)."""

    kind: str
    code: str
    name: str
    budget: Decimal | None = None
    aligned_to: str | None = None  # the RPJMD objective a Renstra objective serves, by its code


@dataclass(frozen=True)
class IndicatorContent:
    """An indicator of the master as a version places it: under which element, with which
    baseline, yearly targets and end-of-period target."""

    element_key: tuple[str, str]
    indicator_id: int
    indicator_code: str
    baseline: Decimal | None
    end_target: Decimal | None
    targets: Mapping[int, Decimal] = field(default_factory=dict)


@dataclass(frozen=True)
class PlanContent:
    vision: str
    missions: tuple[str, ...]
    elements: tuple[ElementContent, ...]
    indicators: tuple[IndicatorContent, ...]


@dataclass(frozen=True)
class Change:
    """One difference between two versions."""

    kind: ChangeKind
    subject: str  # VISION, MISSION, GOAL, OBJECTIVE, PROGRAM, ACTIVITY, SUB_ACTIVITY, INDICATOR, TARGET
    key: str  # the element's code, the indicator's code, `code/year` for a target
    field: str | None = None
    before: str | None = None
    after: str | None = None


def _text(value: object) -> str | None:
    """A value as a change shows it: decimals exactly, without storage padding (74, not 74.000000)."""
    if isinstance(value, Decimal):
        return format(value.normalize(), "f") if value.is_finite() else str(value)
    return None if value is None else str(value)


def compare(old: PlanContent, new: PlanContent) -> list[Change]:
    """What `new` added, removed and changed relative to `old`, in a stable order."""
    changes: list[Change] = []
    if old.vision != new.vision:
        changes.append(Change(ChangeKind.CHANGED, "VISION", "visi", "vision", old.vision, new.vision))
    for number in range(max(len(old.missions), len(new.missions))):
        before = old.missions[number] if number < len(old.missions) else None
        after = new.missions[number] if number < len(new.missions) else None
        if before != after:
            kind = ChangeKind.ADDED if before is None else ChangeKind.REMOVED if after is None else ChangeKind.CHANGED
            changes.append(Change(kind, "MISSION", str(number + 1), "text", before, after))
    old_elements = {(e.kind, e.code): e for e in old.elements}
    new_elements = {(e.kind, e.code): e for e in new.elements}
    for key in sorted(old_elements.keys() | new_elements.keys(), key=lambda k: (k[1], k[0])):
        before_element, after_element = old_elements.get(key), new_elements.get(key)
        if before_element is None:
            changes.append(
                Change(ChangeKind.ADDED, key[0], key[1], after=after_element.name if after_element else None)
            )
        elif after_element is None:
            changes.append(Change(ChangeKind.REMOVED, key[0], key[1], before=before_element.name))
        else:
            for name in ("name", "budget", "aligned_to"):
                was, now = getattr(before_element, name), getattr(after_element, name)
                if was != now:
                    changes.append(Change(ChangeKind.CHANGED, key[0], key[1], name, _text(was), _text(now)))
    changes.extend(_indicator_changes(old.indicators, new.indicators))
    return changes


def _indicator_changes(old: Iterable[IndicatorContent], new: Iterable[IndicatorContent]) -> list[Change]:
    changes: list[Change] = []
    before = {(i.element_key, i.indicator_id): i for i in old}
    after = {(i.element_key, i.indicator_id): i for i in new}
    for key in sorted(before.keys() | after.keys(), key=lambda k: (k[0][1], k[1])):
        was, now = before.get(key), after.get(key)
        where = f"{key[0][1]}/"
        if was is None:
            assert now is not None
            changes.append(Change(ChangeKind.ADDED, "INDICATOR", where + now.indicator_code))
            continue
        label = where + was.indicator_code
        if now is None:
            changes.append(Change(ChangeKind.REMOVED, "INDICATOR", label))
            continue
        for name in ("baseline", "end_target"):
            old_value, new_value = getattr(was, name), getattr(now, name)
            if old_value != new_value:
                changes.append(Change(ChangeKind.CHANGED, "INDICATOR", label, name, _text(old_value), _text(new_value)))
        for year in sorted(was.targets.keys() | now.targets.keys()):
            old_target, new_target = was.targets.get(year), now.targets.get(year)
            if old_target != new_target:
                kind = (
                    ChangeKind.ADDED
                    if old_target is None
                    else ChangeKind.REMOVED
                    if new_target is None
                    else ChangeKind.CHANGED
                )
                changes.append(Change(kind, "TARGET", f"{label}/{year}", "value", _text(old_target), _text(new_target)))
    return changes


# A draft as its author sends it: goals → objectives → programs → kegiatan → sub-kegiatan.
MAX_PLAN_TEXT = 500
MAX_VISION = 4000


@dataclass(frozen=True)
class DraftIndicator:
    indicator_id: int
    baseline: Decimal | None = None
    end_target: Decimal | None = None
    targets: tuple[tuple[int, Decimal], ...] = ()


@dataclass(frozen=True)
class DraftElement:
    kind: str  # GOAL, OBJECTIVE, PROGRAM, ACTIVITY, SUB_ACTIVITY
    code: str
    name: str
    field: str  # where the author wrote it: goals.0.objectives.1
    budget: Decimal | None = None
    mission_number: int | None = None
    aligned_id: int | None = None
    indicators: tuple[DraftIndicator, ...] = ()
    children: tuple["DraftElement", ...] = ()


@dataclass(frozen=True)
class Draft:
    vision: str
    missions: tuple[str, ...]
    goals: tuple[DraftElement, ...]


def walk(elements: Iterable[DraftElement]) -> list[tuple[DraftElement, DraftElement | None]]:
    """Every element with its parent, parents first (the order they are written in)."""
    found: list[tuple[DraftElement, DraftElement | None]] = []
    pending: list[tuple[DraftElement, DraftElement | None]] = [(e, None) for e in elements]
    while pending:
        element, parent = pending.pop(0)
        found.append((element, parent))
        pending.extend((child, element) for child in element.children)
    return found


CHILD_KIND = {"GOAL": "OBJECTIVE", "OBJECTIVE": "PROGRAM", "PROGRAM": "ACTIVITY", "ACTIVITY": "SUB_ACTIVITY"}
BUDGET_KINDS = frozenset({"PROGRAM", "ACTIVITY", "SUB_ACTIVITY"})


def check_draft(draft: Draft, *, kind: PlanKind, start_year: int, end_year: int) -> Draft:
    """The draft with its texts trimmed and its SIPD codes normalised; every broken rule at once
    (DomainErrors), each at its input field."""
    errors: list[DomainError] = []
    vision = _checked_text(draft.vision, "vision", MAX_VISION, errors, required=False)
    missions = tuple(_checked_text(m, f"missions.{i}", MAX_PLAN_TEXT, errors) for i, m in enumerate(draft.missions))
    seen: set[tuple[str, str]] = set()
    goals = tuple(
        _checked_element(
            goal, None, kind=kind, years=(start_year, end_year), missions=len(missions), seen=seen, errors=errors
        )
        for goal in draft.goals
    )
    if errors:
        raise DomainErrors(errors)
    return Draft(vision=vision, missions=missions, goals=goals)


def _checked_text(text: str, field: str, max_length: int, errors: list[DomainError], *, required: bool = True) -> str:
    try:
        return check_text(text, max_length=max_length, required=required)
    except DomainError as error:
        errors.append(error.at(field))
        return text


def _checked_element(
    element: DraftElement,
    parent: DraftElement | None,
    *,
    kind: PlanKind,
    years: tuple[int, int],
    missions: int,
    seen: set[tuple[str, str]],
    errors: list[DomainError],
) -> DraftElement:
    at = element.field
    code = _checked_text(element.code, f"{at}.code", 50, errors)
    name = _checked_text(element.name, f"{at}.name", MAX_PLAN_TEXT, errors)
    budget = element.budget
    if element.kind in BUDGET_KINDS:
        try:
            sipd = sipd_code(code)
        except DomainError as error:
            errors.append(error.at(f"{at}.code"))
        else:
            code = sipd.text
            expected = {"PROGRAM": BudgetLevel.PROGRAM, "ACTIVITY": BudgetLevel.ACTIVITY}.get(
                element.kind, BudgetLevel.SUB_ACTIVITY
            )
            parent_code = sipd.parent()
            if sipd.level is not expected:
                errors.append(
                    DomainError("WRONG_BUDGET_LEVEL", f"Kode {code} bukan kode {LEVEL_NAMES[expected]}.", f"{at}.code")
                )
            elif parent is not None and parent.kind in BUDGET_KINDS and parent_code and parent_code.text != parent.code:
                errors.append(
                    DomainError(
                        "CODE_OUTSIDE_PARENT", f"Kode {code} tidak berada di bawah {parent.code}.", f"{at}.code"
                    )
                )
        if budget is not None:
            try:
                check_budget(budget)
            except DomainError as error:
                errors.append(error.at(f"{at}.budget"))
    elif budget is not None:
        errors.append(
            DomainError("BUDGET_NOT_ALLOWED", "Anggaran hanya untuk program, kegiatan, sub kegiatan.", f"{at}.budget")
        )
    if element.kind == "GOAL" and element.mission_number is not None and not 1 <= element.mission_number <= missions:
        errors.append(
            DomainError("UNKNOWN_MISSION", f"Misi nomor {element.mission_number} tidak ada.", f"{at}.missionNumber")
        )
    if element.kind == "OBJECTIVE":
        if kind is PlanKind.RENSTRA and element.aligned_id is None:
            errors.append(
                DomainError(
                    "ALIGNMENT_REQUIRED",
                    "Sasaran Renstra wajib mengacu pada sasaran RPJMD.",
                    f"{at}.alignedObjectiveId",
                )
            )
        if kind is PlanKind.RPJMD and element.aligned_id is not None:
            errors.append(
                DomainError(
                    "ALIGNMENT_NOT_ALLOWED",
                    "Sasaran RPJMD tidak mengacu pada sasaran lain.",
                    f"{at}.alignedObjectiveId",
                )
            )
    if (element.kind, code) in seen:
        errors.append(DomainError("DUPLICATE_CODE", f"Kode {code} tercantum dua kali.", f"{at}.code"))
    seen.add((element.kind, code))
    indicators = tuple(_checked_indicators(element, years, errors))
    normalised = DraftElement(
        kind=element.kind,
        code=code,
        name=name,
        field=at,
        budget=budget,
        mission_number=element.mission_number,
        aligned_id=element.aligned_id,
        indicators=indicators,
    )
    children = tuple(
        _checked_element(child, normalised, kind=kind, years=years, missions=missions, seen=seen, errors=errors)
        for child in element.children
    )
    for child in element.children:
        if CHILD_KIND.get(element.kind) != child.kind:
            errors.append(
                DomainError("INVALID_NESTING", f"{child.kind} tidak dapat berada di bawah {element.kind}.", child.field)
            )
    return DraftElement(
        kind=element.kind,
        code=code,
        name=name,
        field=at,
        budget=budget,
        mission_number=element.mission_number,
        aligned_id=element.aligned_id,
        indicators=indicators,
        children=children,
    )


def _checked_indicators(
    element: DraftElement, years: tuple[int, int], errors: list[DomainError]
) -> Iterator[DraftIndicator]:
    placed: set[int] = set()
    for index, indicator in enumerate(element.indicators):
        at = f"{element.field}.indicators.{index}"
        if indicator.indicator_id in placed:
            errors.append(
                DomainError("DUPLICATE_INDICATOR", "Indikator tercantum dua kali di sini.", f"{at}.indicatorId")
            )
        placed.add(indicator.indicator_id)
        for name, value in (("baseline", indicator.baseline), ("endTarget", indicator.end_target)):
            if value is not None:
                _checked_value(value, f"{at}.{name}", errors)
        target_years: set[int] = set()
        for number, (year, value) in enumerate(indicator.targets):
            if not years[0] <= year <= years[1]:
                errors.append(
                    DomainError(
                        "OUTSIDE_PERIOD",
                        f"Tahun {year} di luar periode {years[0]}–{years[1]}.",
                        f"{at}.targets.{number}.year",
                    )
                )
            if year in target_years:
                errors.append(
                    DomainError(
                        "DUPLICATE_YEAR", f"Target tahun {year} tercantum dua kali.", f"{at}.targets.{number}.year"
                    )
                )
            target_years.add(year)
            _checked_value(value, f"{at}.targets.{number}.value", errors)
        yield indicator


def _checked_value(value: Decimal, field: str, errors: list[DomainError]) -> None:
    try:
        check_value(value, allow_negative=True)
    except DomainError as error:
        errors.append(error.at(field))
