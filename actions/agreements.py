"""Writes of performance agreements (Perjanjian Kinerja): save the draft, sign, revise.

The agreement's targets ARE the year's annual targets of its indicators (one source): a target
given with an item is written through `actions.values.set_targets`, and signing freezes what
the document prints. An OPERATOR drafts its unit's agreement; the official linked to pihak
kesatu signs it, and a LEADER in scope (or the superior agreement's official) as pihak kedua.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any, TypeVar

from sqlalchemy.ext.asyncio import AsyncConnection

from actions import audit, values
from actions.caller import Caller
from actions.governments import government_for
from domain.agreements import (
    Acting,
    AgreementLevel,
    AgreementState,
    BudgetLine,
    Party,
    PrintedItem,
    RevisionGround,
    Signatory,
    VersionKind,
    agreement_deadline,
    check_annex,
    check_nip,
    check_revision,
    level_of_unit,
    printed,
    required_parties,
    union_of_programs,
)
from domain.budget import check_budget, sipd_code
from domain.entries import TargetEntry
from domain.errors import DomainError, DomainErrors
from domain.personnel import rank_of
from domain.values import MAX_NAME_LENGTH, check_text
from policies.permissions import Permission
from policies.scopes import may_see_agreement
from policies.viewer import SYSTEM, ViewerKind
from store import agreements, hierarchy, identity, personnel, planning
from store import audit as audit_log
from store.aggregates import AggregateWindow
from store.agreements import AgreementRecord

A = TypeVar("A")
T = TypeVar("T")
MIN_YEAR, MAX_YEAR = 2000, 2100
MAX_PARTY_TEXT = 200


@dataclass(frozen=True)
class PartyInput:
    name: str
    rank: str
    position: str
    nip: str | None = None
    acting: Acting = Acting.NONE
    username: str | None = None  # the account of the official, who then signs it
    # The official in the staff register (issue 21): the name, NIP, rank and position left empty
    # above are taken from it, and its account signs unless `username` names another.
    employee_nip: str | None = None


@dataclass(frozen=True)
class ItemInput:
    indicator_id: int
    target: Decimal | None = None  # written as the year's annual target of the indicator
    objective: str | None = None  # the sasaran, where no published plan places the indicator


@dataclass(frozen=True)
class LineInput:
    code: str
    name: str
    amount: Decimal


@dataclass(frozen=True)
class AgreementDraft:
    org_unit_id: int
    year: int
    first_party: PartyInput
    second_party: PartyInput | None = None
    items: Sequence[ItemInput] = ()
    budget_lines: Sequence[LineInput] = ()
    expected_revision: int | None = None


def _conflict() -> DomainError:
    return DomainError(
        "CONFLICT", "Perjanjian kinerja telah diubah oleh pengguna lain; muat ulang.", "expectedRevision"
    )


def _party_text(value: str, field: str, errors: list[DomainError]) -> str:
    try:
        return check_text(value, max_length=MAX_PARTY_TEXT)
    except DomainError as error:
        errors.append(error.at(field))
        return value


def _signatory(party: PartyInput, at: str, errors: list[DomainError]) -> Signatory:
    nip = None
    try:
        nip = check_nip(party.nip, f"{at}.nip")
    except DomainError as error:
        errors.append(error)
    return Signatory(
        name=_party_text(party.name, f"{at}.name", errors),
        nip=nip,
        rank=_party_text(party.rank, f"{at}.rank", errors),
        position=_party_text(party.position, f"{at}.position", errors),
        acting=party.acting,
    )


async def _party(
    conn: AsyncConnection, party: PartyInput, government_id: int, at: str, errors: list[DomainError]
) -> tuple[Signatory | None, int | None]:
    """A party as printed, and the account that signs for it. Named by NIP in the pemda's staff
    register, the fields left out are completed from it as recorded there (the rank as PP
    99/2000 prints it: `Pembina (IV/a)`), and the account linked to that employee signs."""
    if not party.employee_nip:
        return _signatory(party, at, errors), None
    found = await personnel.employee_in(conn, government_id, party.employee_nip.strip())
    if found is None:
        errors.append(DomainError("NOT_FOUND", "Pegawai dengan NIP ini tidak terdaftar di pemda ini.",
                                  f"{at}.employeeNip"))  # fmt: skip
        return None, None
    completed = replace(
        party,
        name=party.name or found.name,
        nip=party.nip or found.nip,
        rank=party.rank or rank_of(found.golongan),
        position=party.position or (found.position.name if found.position else ""),
    )
    return _signatory(completed, at, errors), found.user_id


def _as_json(signatory: Signatory | None) -> dict[str, Any] | None:
    if signatory is None:
        return None
    return {
        "name": signatory.name,
        "nip": signatory.nip,
        "rank": signatory.rank,
        "position": signatory.position,
        "acting": signatory.acting.value,
    }


def signatory_of(stored: dict[str, Any] | None) -> Signatory | None:
    return None if stored is None else Signatory.stored(stored)


def _name(text: str) -> str:
    return check_text(text, max_length=MAX_NAME_LENGTH)


def _checked(check: Callable[[A], T], value: A, field: str, errors: list[DomainError]) -> T | None:
    try:
        return check(value)
    except DomainError as error:
        errors.append(error.at(field))
        return None


def _lines(level: AgreementLevel, given: Sequence[LineInput], errors: list[DomainError]) -> list[BudgetLine]:
    lines: list[BudgetLine] = []
    for number, line in enumerate(given):
        at = f"budgetLines.{number}"
        before = len(errors)
        code = _checked(sipd_code, line.code, f"{at}.code", errors)
        amount = _checked(check_budget, line.amount, f"{at}.amount", errors)
        name = _checked(_name, line.name, f"{at}.name", errors)
        if len(errors) == before and code is not None and amount is not None and name is not None:
            lines.append(BudgetLine(code, name, amount))
    if not errors:
        try:
            check_annex(level, lines)
        except DomainError as error:
            errors.append(error)
    return lines


async def save_agreement(
    conn: AsyncConnection, *, caller: Caller, window: AggregateWindow, draft: AgreementDraft
) -> AgreementRecord:
    """The unit's agreement for the year, created or its draft replaced."""
    found = await hierarchy.unit_with_government(conn, caller.viewer, draft.org_unit_id)
    if found is None:
        raise DomainError("NOT_FOUND", "Unit tidak ditemukan.", "orgUnitId")
    unit, _ = found
    if not caller.viewer.may(Permission.DRAFT_AGREEMENTS, unit.path):
        raise DomainError("FORBIDDEN", "Anda tidak berwenang menyusun perjanjian kinerja unit ini.", "orgUnitId")
    if not MIN_YEAR <= draft.year <= MAX_YEAR:
        raise DomainError("INVALID_YEAR", f"Tahun harus antara {MIN_YEAR} dan {MAX_YEAR}.", "year")
    level = level_of_unit(unit.kind)
    errors: list[DomainError] = []
    first, user_id = await _party(conn, draft.first_party, unit.government_id, "firstParty", errors)
    second = None
    if Party.SECOND in required_parties(level):
        if draft.second_party is None:
            errors.append(DomainError("REQUIRED", "Pihak kedua wajib diisi.", "secondParty"))
        else:
            second, _ = await _party(conn, draft.second_party, unit.government_id, "secondParty", errors)
    elif draft.second_party is not None:
        errors.append(
            DomainError("SECOND_PARTY_NOT_ALLOWED", "PK Kepala Daerah ditandatangani satu pihak.", "secondParty")
        )
    if draft.first_party.username:
        user_id = None
        user = await identity.user_by_username(conn, draft.first_party.username.strip())
        if user is None:
            errors.append(DomainError("NOT_FOUND", "Akun pengguna tidak ditemukan.", "firstParty.username"))
        else:
            user_id = user.id
    lines = _lines(level, draft.budget_lines, errors)
    items = await _checked_items(conn, unit.path, draft.items, errors)
    superior_id = None
    if level is not AgreementLevel.KEPALA_DAERAH and unit.parent_id is not None:
        superior = await agreements.agreement(conn, unit_year=(unit.parent_id, draft.year))
        if superior is None:
            errors.append(
                DomainError(
                    "SUPERIOR_AGREEMENT_MISSING",
                    "Perjanjian kinerja atasan tahun ini belum ada: PK disusun berjenjang dari atas.",
                    "orgUnitId",
                )
            )
        else:
            superior_id = superior.id
    if errors:
        raise DomainErrors(errors)
    existing = await agreements.agreement(conn, unit_year=(unit.id, draft.year), for_update=True)
    content = {
        "first_party": _as_json(first),
        "second_party": _as_json(second),
        "first_party_user_id": user_id,
        "superior_id": superior_id,
    }
    if existing is None:
        if draft.expected_revision is not None:
            raise _conflict()
        agreement_id = await agreements.insert_agreement(
            conn, unit.path, org_unit_id=unit.id, year=draft.year, level=level.value, **content
        )
        if agreement_id is None:
            raise _conflict()
    else:
        if existing.state is AgreementState.SIGNED:
            raise DomainError(
                "AGREEMENT_SIGNED",
                "Perjanjian kinerja ini sudah ditandatangani; ajukan revisi (PK Perubahan).",
                "orgUnitId",
            )
        if draft.expected_revision is not None and draft.expected_revision != existing.revision:
            raise _conflict()
        agreement_id = existing.id
        # A changed draft needs signing again by both parties.
        cleared = {"first_signed_at": None, "first_signed_by": None, "second_signed_at": None, "second_signed_by": None}
        if not await agreements.update_agreement(conn, existing.id, existing.revision, **content, **cleared):
            raise _conflict()
    await agreements.replace_items(
        conn, agreement_id, unit.path, [(item.indicator_id, item.objective) for item in items]
    )
    await agreements.replace_budget_lines(conn, agreement_id, unit.path, lines)
    current = await agreements.item_facts(conn, [item.indicator_id for item in items], draft.year)
    targets = [
        TargetEntry(
            indicator_id=item.indicator_id,
            year=draft.year,
            quarter=None,
            value=item.target,
            high=None,
            grade=None,
            # The agreement's own revision guards this write; the target is replaced as it stands.
            expected_version=current[item.indicator_id].target_version,
        )
        for item in items
        if item.target is not None and item.target != current[item.indicator_id].target
    ]
    if targets:
        await values.set_targets(conn, caller=caller, window=window, entries=targets, idempotency_key=None)
    saved = await agreements.agreement(conn, agreement_id=agreement_id)
    assert saved is not None
    entry = audit.entry(
        caller,
        "agreement.save",
        entity_id=str(saved.id),
        scope_path=unit.path,
        old=None if existing is None else {"revision": existing.revision},
        new={"year": saved.year, "level": level.value, "items": len(items), "budget_lines": len(lines)},
    )
    await audit_log.append(conn, [entry])
    return saved


async def _checked_items(
    conn: AsyncConnection, unit_path: str, items: Sequence[ItemInput], errors: list[DomainError]
) -> list[ItemInput]:
    """The unit's own indicators, each once."""
    found = await planning.indicator_codes_and_paths(conn, sorted({item.indicator_id for item in items}))
    seen: set[int] = set()
    checked: list[ItemInput] = []
    for number, item in enumerate(items):
        at = f"items.{number}"
        known = found.get(item.indicator_id)
        if known is None:
            errors.append(DomainError("NOT_FOUND", "Indikator tidak ditemukan.", f"{at}.indicatorId"))
            continue
        if known[1] != unit_path:
            errors.append(
                DomainError(
                    "INDICATOR_OF_ANOTHER_UNIT",
                    f"Indikator {known[0]} milik unit lain: PK memuat indikator unit ini sendiri.",
                    f"{at}.indicatorId",
                )
            )
        if item.indicator_id in seen:
            errors.append(DomainError("DUPLICATE_INDICATOR", "Indikator tercantum dua kali.", f"{at}.indicatorId"))
        seen.add(item.indicator_id)
        objective = item.objective
        if objective is not None:
            try:
                objective = check_text(objective, max_length=500, required=False) or None
            except DomainError as error:
                errors.append(error.at(f"{at}.objective"))
        checked.append(ItemInput(item.indicator_id, item.target, objective))
    return checked


async def _locked(
    conn: AsyncConnection, caller: Caller, agreement_id: int, expected_revision: int | None
) -> AgreementRecord:
    record = await agreements.agreement(conn, agreement_id=agreement_id, for_update=True)
    if record is None or not (
        may_see_agreement(caller.viewer, record.path, record.signed_versions, record.first_party_user_id)
    ):
        raise DomainError("NOT_FOUND", "Perjanjian kinerja tidak ditemukan.", "agreementId")
    if expected_revision is not None and expected_revision != record.revision:
        raise _conflict()
    return record


async def sign_agreement(
    conn: AsyncConnection, *, caller: Caller, agreement_id: int, expected_revision: int | None, party: Party
) -> AgreementRecord:
    """One party's signature; the last one required freezes the agreement as a new version."""
    record = await _locked(conn, caller, agreement_id, expected_revision)
    if record.state is AgreementState.SIGNED:
        raise DomainError("ALREADY_SIGNED", "Perjanjian kinerja ini sudah ditandatangani.", "agreementId")
    if party not in required_parties(record.level):
        raise DomainError("NO_SECOND_PARTY", "PK Kepala Daerah hanya ditandatangani pihak kesatu.", "party")
    await _check_signer(conn, caller, record, party)
    signed_at = datetime.now(UTC)
    stamps = {"first_signed_at": record.first_signed_at, "second_signed_at": record.second_signed_at}
    column = "first" if party is Party.FIRST else "second"
    if stamps[f"{column}_signed_at"] is not None:
        raise DomainError("ALREADY_SIGNED", "Pihak ini sudah menandatangani.", "party")
    stamps[f"{column}_signed_at"] = signed_at
    values_: dict[str, Any] = {f"{column}_signed_at": signed_at, f"{column}_signed_by": caller.actor}
    complete = all(stamps[f"{p.value.lower()}_signed_at"] is not None for p in required_parties(record.level))
    # What is signed must be complete, from the first signature on.
    kind = VersionKind.PERUBAHAN if record.signed_versions else VersionKind.MURNI
    snapshot = await _snapshot(conn, record, kind)
    if complete:
        snapshot["signed"] = {
            "first": {
                "by": values_.get("first_signed_by", record.first_signed_by),
                "at": _iso(stamps["first_signed_at"]),
            },
            "second": {
                "by": values_.get("second_signed_by", record.second_signed_by),
                "at": _iso(stamps["second_signed_at"]),
            },
        }
        await agreements.insert_version(conn, record, number=record.signed_versions + 1, kind=kind, snapshot=snapshot)
        values_.update(
            state=AgreementState.SIGNED.value,
            signed_versions=record.signed_versions + 1,
            revision_reason=None,
            revision_ground=None,
        )
    if not await agreements.update_agreement(conn, record.id, record.revision, **values_):
        raise _conflict()
    entry = audit.entry(
        caller,
        "agreement.sign",
        entity_id=str(record.id),
        scope_path=record.path,
        new={"party": party.value, "state": values_.get("state", record.state.value)},
    )
    await audit_log.append(conn, [entry])
    signed = await agreements.agreement(conn, agreement_id=record.id)
    assert signed is not None
    return signed


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None


async def _check_signer(conn: AsyncConnection, caller: Caller, record: AgreementRecord, party: Party) -> None:
    viewer = caller.viewer
    if viewer.kind is ViewerKind.SYSTEM:
        return
    if party is Party.FIRST:
        if record.first_party_user_id is None:
            raise DomainError(
                "NO_SIGNATORY_ACCOUNT",
                "Pihak kesatu belum ditautkan dengan akun pengguna (firstParty.username).",
                "party",
            )
        if viewer.user_id != record.first_party_user_id:
            raise DomainError(
                "FORBIDDEN", "Hanya pejabat pihak kesatu yang menandatangani sebagai pihak kesatu.", "party"
            )
        return
    superior = (
        await agreements.agreement(conn, agreement_id=record.superior_id) if record.superior_id is not None else None
    )
    is_superior_official = superior is not None and superior.first_party_user_id == viewer.user_id is not None
    if not (is_superior_official or viewer.may(Permission.SIGN_AGREEMENTS, record.path)):
        raise DomainError("FORBIDDEN", "Anda tidak berwenang menandatangani sebagai pihak kedua.", "party")


async def _snapshot(conn: AsyncConnection, record: AgreementRecord, kind: VersionKind) -> dict[str, Any]:
    items = await agreements.items_of(conn, [record.id])
    if not items:
        raise DomainError("EMPTY_AGREEMENT", "Perjanjian kinerja belum memuat indikator.", "agreementId")
    facts = await agreements.item_facts(conn, [item.indicator_id for item in items], record.year)
    objectives = await planning.objectives_of_indicators(conn, [item.indicator_id for item in items])
    errors: list[DomainError] = []
    printed_items: list[PrintedItem] = []
    for number, item in enumerate(items):
        fact = facts[item.indicator_id]
        if fact.target is None:
            errors.append(
                DomainError(
                    "MISSING_TARGET",
                    f"Indikator {fact.code} belum memiliki target tahun {record.year}.",
                    f"items.{number}",
                )
            )
            continue
        placed = objectives.get(item.indicator_id)
        objective = item.objective_text or (placed.name if placed else "-")
        printed_items.append(
            PrintedItem(
                objective, fact.indicator_id, fact.code, fact.name, fact.target, fact.high, fact.unit_of_measure
            )
        )
    if errors:
        raise DomainErrors(errors)
    if record.level is AgreementLevel.KEPALA_DAERAH:
        below = await agreements.subordinates(conn, SYSTEM, [record.id])
        lines_below = await agreements.budget_lines_of(conn, [a.id for a in below if a.level is AgreementLevel.JPT])
        lines = union_of_programs([[line.line() for line in lines_below]])
    else:
        lines = [line.line() for line in await agreements.budget_lines_of(conn, [record.id])]
    unit = await hierarchy.unit_with_government(conn, SYSTEM, record.org_unit_id)
    assert unit is not None
    first = signatory_of(record.first_party)
    assert first is not None
    superior = await agreements.agreement(conn, agreement_id=record.superior_id) if record.superior_id else None
    return printed(
        level=record.level,
        superior_level=superior.level if superior else None,
        year=record.year,
        unit_name=unit[0].name,
        kind=kind,
        first_party=first,
        second_party=signatory_of(record.second_party),
        items=printed_items,
        lines=lines,
    )


async def revise_agreement(
    conn: AsyncConnection,
    *,
    caller: Caller,
    agreement_id: int,
    expected_revision: int | None,
    reason: str,
    ground: RevisionGround | None,
) -> AgreementRecord:
    """Reopen a signed agreement as a draft (PK Perubahan); its signed versions stay as they are."""
    record = await _locked(conn, caller, agreement_id, expected_revision)
    if not caller.viewer.may(Permission.DRAFT_AGREEMENTS, record.path):
        raise DomainError("FORBIDDEN", "Anda tidak berwenang merevisi perjanjian kinerja ini.", "agreementId")
    if record.state is not AgreementState.SIGNED:
        raise DomainError("NOT_SIGNED", "Hanya perjanjian yang sudah ditandatangani yang direvisi.", "agreementId")
    check_revision(reason, ground)
    assert ground is not None
    reopened = await agreements.update_agreement(
        conn,
        record.id,
        record.revision,
        state=AgreementState.DRAFT.value,
        revision_reason=reason.strip(),
        revision_ground=ground.value,
        first_signed_at=None,
        first_signed_by=None,
        second_signed_at=None,
        second_signed_by=None,
    )
    if not reopened:
        raise _conflict()
    entry = audit.entry(
        caller,
        "agreement.revise",
        entity_id=str(record.id),
        scope_path=record.path,
        old={"state": record.state.value},
        new={"state": AgreementState.DRAFT.value, "ground": ground.value},
        reason=reason.strip(),
    )
    await audit_log.append(conn, [entry])
    revised = await agreements.agreement(conn, agreement_id=record.id)
    assert revised is not None
    return revised


@dataclass(frozen=True)
class BudgetApproval:
    government_code: str
    year: int
    approved_on: date
    agreements_due: date


async def record_budget_approval(
    conn: AsyncConnection, *, caller: Caller, government_code: str, year: int, approved_on: date
) -> BudgetApproval:
    """The day the year's DPA was approved; the year's agreements are due a month later."""
    government = await government_for(
        conn,
        caller,
        government_code,
        Permission.RECORD_BUDGET_APPROVAL,
        "Anda tidak berwenang mencatat pengesahan DPA di sini.",
    )
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise DomainError("INVALID_YEAR", f"Tahun harus antara {MIN_YEAR} dan {MAX_YEAR}.", "year")
    if approved_on.year not in (year - 1, year):
        raise DomainError(
            "INVALID_DATE", "DPA suatu tahun disahkan pada tahun itu atau akhir tahun sebelumnya.", "approvedOn"
        )
    previous = await agreements.record_budget_approval(
        conn, government_id=government.id, year=year, approved_on=approved_on, actor=caller.actor
    )
    entry = audit.entry(
        caller,
        "budget_approval.record",
        entity_id=f"{government.code}:{year}",
        scope_path=government.path,
        old={"dpa_approved_on": previous.isoformat()} if previous else None,
        new={"dpa_approved_on": approved_on.isoformat()},
    )
    await audit_log.append(conn, [entry])
    return BudgetApproval(government.code, year, approved_on, agreement_deadline(approved_on))
