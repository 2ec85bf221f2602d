"""Writes of the SKP (PermenPANRB 6/2022, domain/skp.py): the employee drafts the year's RHK,
each under an RHK of the superior's SKP (a unit head's RHK are the unit's signed Perjanjian
Kinerja indicators); the superior agrees them, then rates results and behaviour; the agency's
rating official finalises the distribution of predikat, refused while it breaks a cap of the
organisation's rating; a pemda sets the rule from achievement to organisation rating.

Audit entries name the SKP and the step, never the ratings: individual data stays where
policies/individual.py lets it be read."""

from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy.ext.asyncio import AsyncConnection

from actions import audit
from actions.caller import Caller
from actions.governments import agency_for, agency_of, government_for
from actions.personnel import employee_of_caller
from domain.errors import DomainError, DomainErrors
from domain.personnel import UNIT_HEADS, PositionKind
from domain.skp import (
    HEAD_RESULTS,
    MAX_RHK,
    ORGANISATION_RATING_NAMES,
    Aspect,
    CapCheck,
    Expectation,
    OrganisationRating,
    OrganisationRule,
    Predikat,
    RhkTarget,
    Rounding,
    SkpState,
    check_distribution,
    check_rhk,
    mean_achievement,
    predikat,
    refuse_broken_caps,
)
from policies.individual import Holder, Relation, may_finalise_distribution, may_rate, may_see_distribution
from policies.paths import province_code
from policies.permissions import Permission
from store import agreements, personnel
from store import audit as audit_log
from store import skp as skp_store
from store.personnel import EmployeeRecord, PositionRecord
from store.skp import RhkWrite, SkpRecord


@dataclass(frozen=True)
class RhkInput:
    description: str
    targets: list[RhkTarget]
    rhk_id: int | None = None  # an RHK of this draft, kept (the RHK under it stay linked)
    parent_id: int | None = None  # the superior's RHK it serves (intervensi)
    indicator_id: int | None = None  # a unit head's: the agreement indicator it is


async def draft_skp(
    conn: AsyncConnection,
    *,
    caller: Caller,
    year: int,
    rhk: list[RhkInput],
    expected_version: int | None,
    on_behalf_of: int | None = None,
) -> SkpRecord:
    """Write the employee's draft SKP of the year. A unit head's agreement indicators are RHK
    whether listed or not (an unlisted one is added with its agreement target); listing one
    sets its wording, targets or parent."""
    me = await employee_of_caller(conn, caller, on_behalf_of)
    assert me.position is not None
    held = me.position
    if not 2000 <= year <= 2100:
        raise DomainError("INVALID_YEAR", "Tahun SKP tidak valid.", "year")
    current = (await skp_store.skps_of(conn, [me.id], year)).get(me.id)
    if current is not None:
        if current.state is not SkpState.DRAFT:
            raise DomainError("NOT_EDITABLE", "SKP yang sudah disetujui atasan tidak dapat diubah.", "year")
        if expected_version != current.version:
            raise DomainError("CONFLICT", "SKP ini sudah diubah; muat ulang lalu ulangi.", "expectedVersion")
    existing = (await skp_store.rhk_of(conn, [current.id]))[current.id] if current else []
    superior_rhk = await _superior_rhk(conn, held, year)
    agreed = await _agreement_of_head(conn, held, year)
    writes, errors = _planned(rhk, existing, superior_rhk, agreed, held.superior_id is not None)
    if agreed:
        added, missing = await _unlisted_agreement_rhk(conn, agreed, writes, superior_rhk, year, existing)
        writes, errors = writes + added, errors + missing
    if len(writes) > MAX_RHK:
        errors.append(DomainError("TOO_MANY", f"Paling banyak {MAX_RHK} RHK dalam satu SKP.", "rhk"))
    kept = {w.rhk_id for w in writes if w.rhk_id is not None}
    removed = [r.id for r in existing if r.id not in kept]
    if removed and (in_use := await skp_store.rhk_in_use(conn, removed)):
        errors.append(
            DomainError(
                "RHK_IN_USE",
                f"{len(in_use)} RHK yang dihapus menjadi induk RHK bawahan atau dipakai kegiatan harian; pertahankan.",
                "rhk",
            )
        )
    if errors:
        raise DomainErrors(errors)
    if current is None:
        current = await skp_store.insert_skp(
            conn,
            province_code=province_code(held.path),
            employee_id=me.id,
            year=year,
            position_id=held.id,
            agency_id=held.agency_id,
            path=held.path,
        )
    elif not await skp_store.update_skp(conn, current.id, current.version):
        raise DomainError("CONFLICT", "SKP ini sudah diubah; muat ulang lalu ulangi.", "expectedVersion")
    await skp_store.write_rhk(conn, current, writes, removed)
    await audit_log.append(
        conn,
        [audit.entry(caller, "skp.draft", entity_id=str(current.id), scope_path=held.path, new={"rhk": len(writes)})],
    )
    return (await skp_store.skps_by_ids(conn, [current.id]))[current.id]


async def _superior_rhk(conn: AsyncConnection, held: PositionRecord, year: int) -> dict[int, int | None] | None:
    """The RHK of the superior position's SKP of the year (id → its agreement indicator); None:
    the position has no superior (a JPT answers to the Kepala Daerah, not an SKP here)."""
    if held.superior_id is None:
        return None
    superior = await skp_store.skp_of_position(conn, held.superior_id, year)
    if superior is None:
        return {}
    return {r.id: r.indicator_id for r in (await skp_store.rhk_of(conn, [superior.id]))[superior.id]}


async def _agreement_of_head(
    conn: AsyncConnection, held: PositionRecord, year: int
) -> dict[int, skp_store.AgreementIndicator]:
    """A unit head's agreement indicators by id ({} for other positions)."""
    if held.kind not in UNIT_HEADS:
        return {}
    found = await skp_store.agreement_indicators(conn, held.org_unit_id, year)
    if found is None:
        raise DomainError(
            "AGREEMENT_NOT_SIGNED",
            f"Perjanjian kinerja {year} unit Anda belum ditandatangani; RHK pimpinan unit adalah indikatornya.",
            "year",
        )
    return {item.indicator_id: item for item in found}


def _parent_for(
    item: RhkInput,
    agreed: dict[int, skp_store.AgreementIndicator],
    superior_rhk: dict[int, int | None] | None,
) -> int | None:
    """The parent given, or for an agreement indicator the superior's RHK of the indicator it
    cascades from (pohon kinerja): the intervention the tree already states."""
    if item.parent_id is not None or item.indicator_id is None or not superior_rhk:
        return item.parent_id
    cascade_parent = agreed[item.indicator_id].parent_id if item.indicator_id in agreed else None
    return next((rhk_id for rhk_id, ind in superior_rhk.items() if ind is not None and ind == cascade_parent), None)


def _planned(
    rhk: list[RhkInput],
    existing: list[skp_store.RhkRecord],
    superior_rhk: dict[int, int | None] | None,
    agreed: dict[int, skp_store.AgreementIndicator],
    has_superior: bool,
) -> tuple[list[RhkWrite], list[DomainError]]:
    own = {r.id for r in existing}
    by_indicator = {r.indicator_id: r.id for r in existing if r.indicator_id is not None}
    errors: list[DomainError] = []
    writes: list[RhkWrite] = []
    indicators_seen: set[int] = set()
    for index, item in enumerate(rhk):
        at = f"rhk.{index}"
        errors += check_rhk(item.description, item.targets, at)
        if item.rhk_id is not None and item.rhk_id not in own:
            errors.append(DomainError("NOT_FOUND", "RHK ini bukan bagian dari SKP Anda.", f"{at}.id"))
        if item.indicator_id is not None:
            if item.indicator_id not in agreed:
                errors.append(
                    DomainError(
                        "NOT_IN_AGREEMENT",
                        "Indikator ini bukan indikator perjanjian kinerja unit yang Anda pimpin.",
                        f"{at}.indicatorId",
                    )
                )
            elif item.indicator_id in indicators_seen:
                errors.append(
                    DomainError("DUPLICATE_ROW", "Indikator ini sudah menjadi RHK lain.", f"{at}.indicatorId")
                )
            indicators_seen.add(item.indicator_id)
        parent = _parent_for(item, agreed, superior_rhk)
        if has_superior and superior_rhk == {}:
            errors.append(
                DomainError(
                    "SUPERIOR_SKP_MISSING",
                    "Atasan Anda belum menyusun SKP tahun ini; RHK Anda menginduk padanya.",
                    f"{at}.parentId",
                )
            )
        elif has_superior and parent is None:
            errors.append(
                DomainError("PARENT_REQUIRED", "Pilih RHK atasan yang diintervensi RHK ini.", f"{at}.parentId")
            )
        elif parent is not None and (superior_rhk is None or parent not in superior_rhk):
            errors.append(
                DomainError(
                    "PARENT_NOT_IN_SUPERIOR_SKP",
                    "RHK induk harus RHK dalam SKP atasan langsung Anda tahun ini.",
                    f"{at}.parentId",
                )
            )
        rhk_id = item.rhk_id if item.rhk_id is not None else by_indicator.get(item.indicator_id or 0)
        writes.append(RhkWrite(rhk_id, parent, item.indicator_id, item.description.strip(), item.targets))
    return writes, errors


async def _unlisted_agreement_rhk(
    conn: AsyncConnection,
    agreed: dict[int, skp_store.AgreementIndicator],
    writes: list[RhkWrite],
    superior_rhk: dict[int, int | None] | None,
    year: int,
    existing: list[skp_store.RhkRecord],
) -> tuple[list[RhkWrite], list[DomainError]]:
    """A unit head's agreement indicators not listed, as RHK with the agreement's target of the
    year (the targets ARE the indicator's: one source), under the superior's RHK the cascade
    names; one the cascade does not place must be listed with its parent."""
    listed = {w.indicator_id for w in writes}
    missing = [item for indicator_id, item in agreed.items() if indicator_id not in listed]
    if not missing:
        return [], []
    facts = await agreements.item_facts(conn, [item.indicator_id for item in missing], year)
    kept = {r.indicator_id: r.id for r in existing if r.indicator_id is not None}  # its id stays: RHK hang under it
    added, errors = [], []
    for item in missing:
        target = facts[item.indicator_id].target if item.indicator_id in facts else None
        parent = _parent_for(RhkInput(item.name, [], indicator_id=item.indicator_id), agreed, superior_rhk)
        if target is None:
            errors.append(
                DomainError(
                    "TARGET_REQUIRED", f"Indikator perjanjian '{item.name}' belum memiliki target {year}.", "rhk"
                )
            )
        elif superior_rhk is not None and parent is None:
            errors.append(
                DomainError(
                    "PARENT_REQUIRED",
                    f"Indikator perjanjian '{item.name}' tidak menginduk RHK atasan menurut pohon kinerja; "
                    "cantumkan dengan RHK atasan yang diintervensi.",
                    "rhk",
                )
            )
        else:
            targets = [RhkTarget(Aspect.KUANTITAS, item.name, target, item.unit_of_measure)]
            added.append(RhkWrite(kept.get(item.indicator_id), parent, item.indicator_id, item.name, targets))
    return added, errors


async def _subordinate_skp(
    conn: AsyncConnection, caller: Caller, holder: Holder, skp_id: int, expected_version: int
) -> tuple[SkpRecord, EmployeeRecord, Relation]:
    """The SKP of someone the caller rates (policies.individual.may_rate), locked."""
    record = (await skp_store.skps_by_ids(conn, [skp_id], lock=True)).get(skp_id)
    owner = (await personnel.employees_by_ids(conn, [record.employee_id])).get(record.employee_id) if record else None
    related = may_rate(caller.viewer, holder, personnel.person_of(owner)) if owner else None
    if record is None or owner is None or related is None:
        raise DomainError("NOT_FOUND", "SKP tidak ditemukan di antara SKP bawahan langsung Anda.", "skpId")
    if record.version != expected_version:
        raise DomainError("CONFLICT", "SKP ini sudah diubah; muat ulang lalu ulangi.", "expectedVersion")
    return record, owner, related


async def agree_skp(
    conn: AsyncConnection, *, caller: Caller, holder: Holder, skp_id: int, expected_version: int
) -> SkpRecord:
    """The superior agrees the draft's RHK and targets: from now on they are what is rated."""
    record, _, related = await _subordinate_skp(conn, caller, holder, skp_id, expected_version)
    if record.state is not SkpState.DRAFT:
        raise DomainError("NOT_DRAFT", "SKP ini sudah disetujui.", "skpId")
    if not (await skp_store.rhk_of(conn, [record.id]))[record.id]:
        raise DomainError("EMPTY_SKP", "SKP ini belum memiliki RHK.", "skpId")
    await skp_store.update_skp(
        conn, record.id, record.version, state=SkpState.AGREED.value, agreed_by=caller.actor, stamped="agreed_at"
    )
    await audit_log.append(
        conn,
        [audit.entry(caller, "skp.agree", entity_id=str(record.id), scope_path=record.path, new={"as": related.value})],
    )
    return (await skp_store.skps_by_ids(conn, [record.id]))[record.id]


@dataclass(frozen=True)
class OrganisationStanding:
    """A unit's rating from its signed agreement's achievement of the year (6/2022 step 1)."""

    rating: OrganisationRating | None  # None: no signed agreement, or no achievement yet
    mean_achievement: Decimal | None
    indicators: int  # agreement indicators
    measured: int  # of them, with an achievement
    as_of_quarter: int | None  # None: the whole year; else the earliest quarter an indicator is measured to
    rule: OrganisationRule
    rounding: Rounding


async def organisation_standing(
    conn: AsyncConnection, *, org_unit_id: int, government_id: int, year: int
) -> OrganisationStanding:
    rule, rounding = await skp_store.rating_rule(conn, government_id)
    items = await skp_store.agreement_indicators(conn, org_unit_id, year) or []
    measured = await skp_store.latest_achievements(conn, [item.indicator_id for item in items], year)
    mean = mean_achievement([m.percent for m in measured.values()])
    rating = rule.rating(mean) if mean is not None else None
    quarters = [m.quarter for m in measured.values()]
    quarter = None if all(q is None for q in quarters) else min(q or 4 for q in quarters)
    return OrganisationStanding(rating, mean, len(items), len(measured), quarter, rule, rounding)


async def assess_skp(
    conn: AsyncConnection,
    *,
    caller: Caller,
    holder: Holder,
    skp_id: int,
    expected_version: int,
    results: Expectation | None,
    behaviour: Expectation,
) -> SkpRecord:
    """The superior rates the year: results and BerAKHLAK behaviour give the predikat (6/2022
    matrix). A unit head's results rating is the unit's organisation rating, not typed."""
    record, owner, related = await _subordinate_skp(conn, caller, holder, skp_id, expected_version)
    if record.state not in (SkpState.AGREED, SkpState.ASSESSED):
        code, message = (
            ("NOT_AGREED", "SKP ini belum disetujui atasan.")
            if record.state is SkpState.DRAFT
            else ("FINAL", "Distribusi predikat tahun ini sudah final; SKP tidak dapat dinilai ulang.")
        )
        raise DomainError(code, message, "skpId")
    held = (await personnel.positions_by_ids(conn, [record.position_id]))[record.position_id]
    if held.kind in UNIT_HEADS:
        standing = await organisation_standing(
            conn, org_unit_id=held.org_unit_id, government_id=owner.government_id, year=record.year
        )
        if standing.rating is None:
            raise DomainError(
                "ACHIEVEMENT_MISSING",
                "Capaian perjanjian kinerja unit yang dipimpin belum ada; "
                "rating hasil kerja pimpinan unit berasal darinya.",
                "results",
            )
        derived = HEAD_RESULTS[standing.rating]
        if results is not None and results is not derived:
            name = ORGANISATION_RATING_NAMES[standing.rating]
            raise DomainError(
                "RESULTS_FROM_ORGANISATION",
                f"Rating hasil kerja pimpinan unit mengikuti predikat organisasi ({name}); kosongkan isian ini.",
                "results",
            )
        results = derived
    elif results is None:
        raise DomainError("RESULTS_REQUIRED", "Pilih rating hasil kerja.", "results")
    rated = predikat(results, behaviour)
    await skp_store.update_skp(
        conn,
        record.id,
        record.version,
        state=SkpState.ASSESSED.value,
        results_rating=results.value,
        behaviour_rating=behaviour.value,
        predikat=rated.value,
        assessed_by=caller.actor,
        stamped="assessed_at",
    )
    await audit_log.append(
        conn,
        [
            audit.entry(
                caller, "skp.assess", entity_id=str(record.id), scope_path=record.path, new={"as": related.value}
            )
        ],
    )
    return (await skp_store.skps_by_ids(conn, [record.id]))[record.id]


@dataclass(frozen=True)
class Distribution:
    """An agency's predikat of the year against its organisation rating's caps: what the rating
    official sees while rating (the room left) and what finalising checks."""

    agency_id: int
    year: int
    standing: OrganisationStanding
    employees: int
    assessed: int
    counts: dict[Predikat, int]
    checks: list[CapCheck]
    skp_ids: list[int]  # the SKP of the employees counted
    final: skp_store.DistributionRecord | None


async def rating_distribution(conn: AsyncConnection, *, agency_id: int, year: int, government_id: int) -> Distribution:
    standing = await organisation_standing(conn, org_unit_id=agency_id, government_id=government_id, year=year)
    rated = await skp_store.rated_in_agency(conn, agency_id, year)
    ratings = [r.predikat for r in rated if r.predikat is not None and r.state in (SkpState.ASSESSED, SkpState.FINAL)]
    counts = {p: sum(1 for r in ratings if r is p) for p in Predikat}
    checks = check_distribution(standing.rating, ratings, len(rated), standing.rounding) if standing.rating else []
    final = await skp_store.distribution(conn, agency_id, year)
    skp_ids = [r.skp_id for r in rated if r.skp_id is not None]
    return Distribution(agency_id, year, standing, len(rated), len(ratings), counts, checks, skp_ids, final)


async def readable_distribution(
    conn: AsyncConnection, *, caller: Caller, holder: Holder, agency_id: int, year: int
) -> Distribution | None:
    """The agency's distribution, if the caller may see it (policies.individual); None otherwise."""
    unit = await agency_of(conn, caller, agency_id)
    if unit is None:
        return None
    held = await personnel.positions_by_ids(conn, sorted(holder.positions))
    officials = {p.agency_id for p in held.values() if p.kind in UNIT_HEADS}
    if not may_see_distribution(caller.viewer, officials, agency_id, unit.path):
        return None
    return await rating_distribution(conn, agency_id=agency_id, year=year, government_id=unit.government_id)


async def finalise_distribution(
    conn: AsyncConnection, *, caller: Caller, holder: Holder, agency_id: int, year: int
) -> Distribution:
    """The agency head (or their Plt/Plh) finalises the year's predikat: every employee rated,
    every cap of the organisation's rating met; the SKP are then frozen."""
    unit = await agency_for(conn, caller, agency_id, "unitId")
    government_id = unit.government_id
    held = await personnel.positions_by_ids(conn, sorted(holder.positions))
    headed = {p.agency_id for p in held.values() if p.org_unit_id == p.agency_id and p.kind is PositionKind.JPT}
    if not may_finalise_distribution(caller.viewer, headed, agency_id):
        raise DomainError(
            "FORBIDDEN",
            "Hanya kepala perangkat daerah (atau Plt/Plh-nya) yang memfinalkan distribusi predikat.",
            "unitId",
        )
    await skp_store.lock_agency(conn, agency_id)
    found = await rating_distribution(conn, agency_id=agency_id, year=year, government_id=government_id)
    if found.final is not None:
        raise DomainError("ALREADY_FINAL", f"Distribusi predikat {year} sudah final.", "year")
    if found.standing.rating is None:
        raise DomainError(
            "ACHIEVEMENT_MISSING",
            "Predikat organisasi belum dapat dihitung: capaian perjanjian kinerja belum ada.",
            "year",
        )
    if found.assessed < found.employees:
        raise DomainError(
            "NOT_ALL_ASSESSED",
            f"{found.employees - found.assessed} dari {found.employees} pegawai belum dinilai.",
            "year",
        )
    refuse_broken_caps(found.checks, found.standing.rating)
    path = unit.path
    await skp_store.finalise(
        conn,
        agency_id=agency_id,
        province_code=province_code(path),
        year=year,
        organisation_rating=found.standing.rating.value,
        mean=found.standing.mean_achievement,
        skp_ids=found.skp_ids,
        actor=caller.actor,
    )
    await audit_log.append(
        conn,
        [
            audit.entry(
                caller,
                "skp_distribution.finalise",
                entity_id=f"{agency_id}:{year}",
                scope_path=path,
                new={"employees": found.employees, "organisation": found.standing.rating.value},
            )
        ],
    )
    return await rating_distribution(conn, agency_id=agency_id, year=year, government_id=government_id)


async def set_rating_rule(
    conn: AsyncConnection, *, caller: Caller, government_code: str, rule: OrganisationRule, rounding: Rounding
) -> tuple[OrganisationRule, Rounding]:
    government = await government_for(
        conn, caller, government_code, Permission.MANAGE_PERSONNEL, "Anda tidak berwenang mengatur predikat organisasi."
    )
    if (error := rule.error()) is not None:
        raise error
    await skp_store.put_rating_rule(conn, government.id, rule, rounding, caller.actor)
    await audit_log.append(
        conn,
        [
            audit.entry(
                caller,
                "organisation_rating_rule.set",
                entity_id=str(government.id),
                scope_path=government.path,
                new={"bounds": [str(b) for b in rule.bounds], "rounding": rounding.value},
            )
        ],
    )
    return await skp_store.rating_rule(conn, government.id)
