"""The demo's individual e-Kinerja: Dinas Kesehatan Kota Pontianak's 60 employees imported as a
SIMPEG file would bring them (the head, the sekretaris and three kepala bidang, four kepala
seksi/subbagian and their staff), four of them with accounts (demo/users.py). The Seksi
Surveilans dan Imunisasi logs September 2026 day by day; the kepala seksi approves each week
(returning one entry once, which is fixed and resubmitted), BKPSDM's verifier scores every
entry and closes the month; everyone has a 2026 SKP (demo/skp.py) and a paid September TPP
statement (demo/tpp.py). Written through the actions,
as users would."""

from datetime import date, time, timedelta
from decimal import Decimal

from sqlalchemy import true
from sqlalchemy.ext.asyncio import AsyncConnection

from actions import activity, personnel
from actions.activity import EntryInput, ScoreInput
from actions.caller import PLATFORM
from demo.skp import load_skp
from demo.tpp import load_tpp
from domain.activity import ActivityKind, week_of
from domain.personnel import PositionKind, StaffRow
from store import personnel as personnel_store
from store import skp as skp_store
from store.database import create_engine
from store.personnel import EmployeeRecord

GOVERNMENT = "61.71"
AGENCY = "DINKES"
STAFF_TOTAL = 60
YEAR, MONTH = 2026, 9
CLOSED_ON = date(2026, 10, 5)
LOGGING_SECTION = "DINKES.3.1"
NAMES = (
    "Ahmad", "Budi", "Citra", "Dewi", "Eka", "Fitri", "Gusti", "Hendra", "Indah", "Joko", "Kartika", "Lestari",
    "Maria", "Nur", "Oktavia", "Putri", "Rahmat", "Sari", "Taufik", "Utami", "Wahyu", "Yuliana", "Zainal",
)  # fmt: skip
FAMILY = ("Pratama", "Santoso", "Wijaya", "Hidayat", "Kurniawan", "Lestari", "Syahputra", "Rahayu", "Saputra")
ACCOUNTS = {
    "KADIS": "kadis.61.71.dinkes",
    "KABID-3": "kabid.61.71.dinkes",
    "KASI-3.1": "kasi.61.71.dinkes",
    "STAF-3.1-01": "staf.61.71.dinkes",
}
TASKS = (
    "Merekap laporan imunisasi dasar lengkap dari puskesmas",
    "Memverifikasi data kasus penyakit menular mingguan",
    "Menyusun bahan rapat koordinasi surveilans",
    "Mengunggah data cakupan imunisasi ke aplikasi",
    "Melaksanakan supervisi ke puskesmas",
)


def _nip(index: int, birth_year: int) -> str:
    """Birth date, TMT CPNS (at 24), sex and a number: a well-formed NIP (domain.personnel.nip_error)."""
    born = f"{birth_year}{1 + index % 12:02d}{1 + index % 28:02d}"
    return f"{born}{birth_year + 24}{1 + index % 12:02d}{1 + index % 2}{index + 1:03d}"


def staff_rows() -> list[StaffRow]:
    """The agency's file: the heads of its units, then staff under the sections and one bidang."""
    rows: list[StaffRow] = []

    def add(code: str, name: str, kind: PositionKind, job_class: int, unit: str, superior: str, golongan: str) -> None:
        index = len(rows)
        person = f"{NAMES[index % len(NAMES)]} {FAMILY[index % len(FAMILY)]}"
        nip = _nip(index, 1970 + index % 25)
        rows.append(
            StaffRow(nip, person, golongan, code, name, kind, job_class, unit, superior, ACCOUNTS.get(code, ""))
        )

    add("KADIS", "Kepala Dinas Kesehatan", PositionKind.JPT, 14, AGENCY, "", "IV/c")
    heads = {
        "1": "Sekretaris",
        "2": "Kepala Bidang Kesehatan Masyarakat",
        "3": "Kepala Bidang Pencegahan dan Pengendalian Penyakit",
        "4": "Kepala Bidang Pelayanan Kesehatan",
    }
    for number, name in heads.items():
        code = "SEKRETARIS" if number == "1" else f"KABID-{number}"
        add(code, name, PositionKind.ADMINISTRATOR, 11, f"{AGENCY}.{number}", "KADIS", "IV/a")
    sections = {"1.1": ("Kepala Subbagian Umum dan Kepegawaian", "SEKRETARIS"),
                "1.2": ("Kepala Subbagian Perencanaan dan Keuangan", "SEKRETARIS"),
                "2.1": ("Kepala Seksi Kesehatan Keluarga dan Gizi", "KABID-2"),
                "3.1": ("Kepala Seksi Surveilans dan Imunisasi", "KABID-3")}  # fmt: skip
    for number, (name, superior) in sections.items():
        add(f"KASI-{number}", name, PositionKind.PENGAWAS, 9, f"{AGENCY}.{number}", superior, "III/d")
    teams = [("1.1", "KASI-1.1"), ("1.2", "KASI-1.2"), ("2.1", "KASI-2.1"), ("3.1", "KASI-3.1"), ("4", "KABID-4")]
    seat = 0
    while len(rows) < STAFF_TOTAL:
        number, superior = teams[seat % len(teams)]
        members = sum(1 for r in rows if r.superior_code == superior)
        kind = PositionKind.FUNGSIONAL if members % 3 == 2 else PositionKind.PELAKSANA
        title = "Epidemiolog Kesehatan Ahli Muda" if kind is PositionKind.FUNGSIONAL else "Pengelola Data"
        add(f"STAF-{number}-{members + 1:02d}", title, kind, 7 if kind is PositionKind.PELAKSANA else 9,
            f"{AGENCY}.{number}", superior, "III/b")  # fmt: skip
        seat += 1
    return rows


def working_days(year: int, month: int) -> list[date]:
    day, days = date(year, month, 1), []
    while day.month == month:
        if day.weekday() < 5:
            days.append(day)
        day += timedelta(days=1)
    return days


async def load_demo_individual(url: str) -> None:
    engine = create_engine(url, pool_size=1)
    try:
        async with engine.begin() as conn:
            await personnel.import_staff(
                conn, caller=PLATFORM, government_code=GOVERNMENT, rows=staff_rows(), today=date(2026, 1, 2)
            )
            agency = await personnel_store.employees_where(conn, true())
            await load_skp(conn, agency)
            await _september(conn, agency)
            await load_tpp(conn, agency, len(working_days(YEAR, MONTH)))
    finally:
        await engine.dispose()


async def _september(conn: AsyncConnection, agency: list[EmployeeRecord]) -> None:
    by_code = {e.position.code: e for e in agency if e.position is not None}
    kasi, kabid = by_code["KASI-3.1"], by_code["KABID-3"]
    staff = [e for code, e in sorted(by_code.items()) if code.startswith("STAF-3.1-")]
    days = working_days(YEAR, MONTH)
    entries: dict[int, list[int]] = {}
    skps = await skp_store.skps_of(conn, [p.id for p in [kasi, *staff]], YEAR)
    rhk = await skp_store.rhk_of(conn, [record.id for record in skps.values()])
    serves = {person.id: [r.id for r in rhk[record.id]] for person in [kasi, *staff] if (record := skps[person.id])}
    for number, person in enumerate([kasi, *staff]):
        for day_index, day in enumerate(days):
            kind = ActivityKind.DINAS_LUAR if (day_index + number) % 9 == 4 else ActivityKind.HADIR
            for slot, (start, end) in enumerate(((time(7, 30), time(11, 30)), (time(13), time(16)))):
                task = TASKS[(day_index + slot + number) % len(TASKS)]
                entry = EntryInput(
                    day, start, end, kind, task, rhk_id=(mine := serves[person.id])[(day_index + slot) % len(mine)]
                )
                logged = await activity.log_activity(
                    conn, caller=PLATFORM, entry=entry, today=CLOSED_ON, on_behalf_of=person.id
                )
                entries.setdefault(person.id, []).append(logged.id)
    holders = {
        kasi.id: await personnel_store.holder_of_employee(conn, kasi.id, CLOSED_ON),
        kabid.id: await personnel_store.holder_of_employee(conn, kabid.id, CLOSED_ON),
    }
    for week_index, week_start in enumerate(sorted({week_of(day) for day in days})):
        for person in [kasi, *staff]:
            superior = kabid if person is kasi else kasi
            decided_on = week_start + timedelta(days=7)
            await activity.submit_week(
                conn, caller=PLATFORM, week_start=week_start, today=CLOSED_ON, on_behalf_of=person.id
            )
            returned = [entries[person.id][0]] if week_index == 0 and person is staff[0] else []
            await activity.review_week(
                conn, caller=PLATFORM, holder=holders[superior.id], employee_id=person.id, week_start=week_start,
                returned_entry_ids=returned, note="Lengkapi nama puskesmas." if returned else None, today=decided_on,
            )  # fmt: skip
            if returned:
                first = days[0]
                fixed = EntryInput(
                    first,
                    time(7, 30),
                    time(11, 30),
                    ActivityKind.HADIR,
                    f"{TASKS[0]} (Puskesmas Alianyang)",
                    rhk_id=serves[person.id][0],
                )
                await activity.log_activity(
                    conn, caller=PLATFORM, entry=fixed, today=CLOSED_ON, entry_id=returned[0], expected_version=3,
                    on_behalf_of=person.id,
                )  # fmt: skip
                await activity.submit_week(
                    conn, caller=PLATFORM, week_start=week_start, today=CLOSED_ON, on_behalf_of=person.id
                )
                await activity.review_week(
                    conn, caller=PLATFORM, holder=holders[kasi.id], employee_id=person.id, week_start=week_start,
                    returned_entry_ids=[], note=None, today=decided_on,
                )  # fmt: skip
    scores = [
        ScoreInput(entry_id, Decimal(7 + entry_id % 4), None)
        if entry_id % 37
        else ScoreInput(entry_id, None, "Tanpa bukti dukung")
        for person in [kasi, *staff]
        for entry_id in entries[person.id]
    ]
    await activity.score_entries(conn, caller=PLATFORM, scores=scores)
    assert kasi.position is not None
    await activity.close_month(
        conn, caller=PLATFORM, agency_id=kasi.position.agency_id, year=YEAR, month=MONTH, today=CLOSED_ON
    )
