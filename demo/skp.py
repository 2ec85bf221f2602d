"""The demo's 2026 SKP at Dinas Kesehatan Kota Pontianak: the head and every kepala bidang/seksi
take their unit's signed Perjanjian Kinerja indicator as RHK (placed under the superior's by the
cascade), each staff member writes two RHK under the superior's; every superior agrees them in
January (the head's, the Wali Kota, through BKPSDM). In December the superiors rate everyone
but five staff of the Seksi Surveilans dan Imunisasi, keeping within the caps of the Dinas's
organisation rating, so the rating official sees the room left and the distribution is not yet
final. Written through the actions."""

from datetime import date
from decimal import Decimal

from sqlalchemy.ext.asyncio import AsyncConnection

from actions import skp
from actions.caller import PLATFORM
from actions.skp import RhkInput
from domain.personnel import UNIT_HEADS
from domain.skp import (
    MATRIX,
    Aspect,
    Bound,
    Expectation,
    OrganisationRating,
    Predikat,
    RhkTarget,
    check_distribution,
)
from policies.individual import NOBODY
from store import personnel as personnel_store
from store import skp as skp_store
from store.personnel import EmployeeRecord

YEAR = 2026
AGREED_ON = date(2026, 1, 20)
ASSESSED_ON = date(2026, 12, 4)
UNRATED_SECTION = "STAF-3.1-"
UNRATED = 5
STAFF_RHK = (
    ("Tersusunnya laporan {task} tepat waktu", "Laporan {task}", Decimal(12), "laporan"),
    ("Terlaksananya pendampingan {task} di puskesmas", "Puskesmas didampingi", Decimal(24), "kunjungan"),
)
# Each predikat as results × behaviour (the first pair of the 6/2022 matrix that gives it).
PAIRS = {rating: pair for pair, rating in reversed(list(MATRIX.items()))}


def _depth(record: EmployeeRecord, by_position: dict[int, EmployeeRecord]) -> int:
    depth, current = 0, record
    while current.position is not None and current.position.superior_id in by_position:
        depth, current = depth + 1, by_position[current.position.superior_id]
    return depth


async def load_skp(conn: AsyncConnection, agency: list[EmployeeRecord]) -> None:
    by_position = {e.position.id: e for e in agency if e.position is not None}
    ordered = sorted(by_position.values(), key=lambda e: (_depth(e, by_position), e.path, e.id))
    drafted: dict[int, skp_store.SkpRecord] = {}
    for person in ordered:
        assert person.position is not None
        rhk = [] if person.position.kind in UNIT_HEADS else await _staff_rhk(conn, person)
        drafted[person.id] = await skp.draft_skp(
            conn, caller=PLATFORM, year=YEAR, rhk=rhk, expected_version=None, on_behalf_of=person.id
        )
    for person in ordered:
        superior = _superior(person, by_position)
        # The head's SKP is agreed by the Wali Kota, recorded by BKPSDM (the platform here).
        holder = await personnel_store.holder_of_employee(conn, superior.id, AGREED_ON) if superior else NOBODY
        record = drafted[person.id]
        drafted[person.id] = await skp.agree_skp(
            conn, caller=PLATFORM, holder=holder, skp_id=record.id, expected_version=record.version
        )
    await _ratings(conn, ordered, by_position, drafted)


def _superior(person: EmployeeRecord, by_position: dict[int, EmployeeRecord]) -> EmployeeRecord | None:
    return by_position.get(person.position.superior_id) if person.position and person.position.superior_id else None


async def _staff_rhk(conn: AsyncConnection, person: EmployeeRecord) -> list[RhkInput]:
    """Two RHK under the superior's RHK, targets for quantity, quality and time."""
    assert person.position is not None and person.position.superior_id is not None
    superior = await skp_store.skp_of_position(conn, person.position.superior_id, YEAR)
    assert superior is not None
    parents = (await skp_store.rhk_of(conn, [superior.id]))[superior.id]
    task = person.position.name.lower()
    return [
        RhkInput(
            description=description.format(task=task),
            targets=[
                RhkTarget(Aspect.KUANTITAS, indicator.format(task=task), amount, unit),
                RhkTarget(Aspect.KUALITAS, "Kesesuaian dengan pedoman", Decimal(100), "%"),
                RhkTarget(Aspect.WAKTU, "Penyelesaian", Decimal(12), "bulan"),
            ],
            parent_id=parents[index % len(parents)].id,
        )
        for index, (description, indicator, amount, unit) in enumerate(STAFF_RHK)
    ]


async def _ratings(
    conn: AsyncConnection,
    ordered: list[EmployeeRecord],
    by_position: dict[int, EmployeeRecord],
    drafted: dict[int, skp_store.SkpRecord],
) -> None:
    """Heads first (their results are their unit's rating), then staff, each given the best
    predikat the caps still allow; the last five staff of one section are left to rate."""
    rated = [p for p in ordered if _superior(p, by_position) is not None]
    left = [p for p in rated if p.position and p.position.code.startswith(UNRATED_SECTION)][-UNRATED:]
    agency_id = rated[0].position.agency_id if rated[0].position else 0
    government_id = rated[0].government_id
    given: list[Predikat] = []
    standing = None
    for person in rated:
        if person in left:
            continue
        superior = _superior(person, by_position)
        assert superior is not None and person.position is not None
        holder = await personnel_store.holder_of_employee(conn, superior.id, ASSESSED_ON)
        record = drafted[person.id]
        if person.position.kind in UNIT_HEADS:
            results, behaviour = None, Expectation.AS_EXPECTED
        else:
            standing = standing or await skp.rating_distribution(
                conn, agency_id=agency_id, year=YEAR, government_id=government_id
            )
            wanted = _allowed(standing.standing.rating, given, standing.employees)
            results, behaviour = PAIRS[wanted]
        assessed = await skp.assess_skp(
            conn, caller=PLATFORM, holder=holder, skp_id=record.id, expected_version=record.version,
            results=results, behaviour=behaviour,
        )  # fmt: skip
        assert assessed.predikat is not None
        given.append(assessed.predikat)


def _allowed(organisation: OrganisationRating | None, given: list[Predikat], employees: int) -> Predikat:
    """A minimum still short first, then Baik, then the best rating no maximum forbids."""
    if organisation is None:
        return Predikat.BAIK
    checks = check_distribution(organisation, given, employees)
    for check in checks:
        if check.cap.bound is Bound.AT_LEAST and check.room > 0:
            return check.cap.ratings[0]
    for rating in (Predikat.BAIK, Predikat.SANGAT_BAIK, Predikat.BUTUH_PERBAIKAN):
        if all(
            check.cap.bound is Bound.AT_LEAST or rating not in check.cap.ratings or check.room > 0 for check in checks
        ):
            return rating
    return Predikat.BUTUH_PERBAIKAN
