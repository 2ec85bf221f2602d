"""The demo's TPP: Kota Pontianak's formula (in force from January 2026; ryz-dev's seeded
weights 30/50/20, siaptuba's lateness bands, a base amount per job class), September 2026's
attendance and compliance for the Dinas Kesehatan's 60 employees as the time clock and the
registers export them, the statements computed from them and the month's verified scores, and
the month paid, which freezes them. The staff outside the Seksi Surveilans dan Imunisasi logged
nothing in the demo, so their performance component is 0. Written through the actions."""

from decimal import Decimal

from sqlalchemy.ext.asyncio import AsyncConnection

from actions import tpp
from actions.caller import PLATFORM
from actions.tpp import FactsInput
from domain.tpp import ComplianceItem, TppFormula
from store.personnel import EmployeeRecord

GOVERNMENT = "61.71"
YEAR, MONTH = 2026, 9
# Kelas jabatan → Rupiah a month (the demo's own figures, of the order Aceh Singkil publishes).
BASE_AMOUNTS = {7: Decimal(2_500_000), 9: Decimal(3_600_000), 11: Decimal(5_100_000), 14: Decimal(10_500_000)}
FORMULA = TppFormula(
    attendance_weight=Decimal(30),
    performance_weight=Decimal(50),
    compliance_weight=Decimal(20),
    base_amounts=BASE_AMOUNTS,
)


async def load_tpp(conn: AsyncConnection, agency: list[EmployeeRecord], days: int) -> None:
    """September's TPP; `days`: the month's working days."""
    await tpp.save_formula(
        conn, caller=PLATFORM, government_code=GOVERNMENT, effective_year=2026, effective_month=1, formula=FORMULA,
        reason="Peraturan Wali Kota Pontianak tentang Tambahan Penghasilan Pegawai (demo)",
    )  # fmt: skip
    rows = []
    for index, person in enumerate(agency):
        absent = 1 if index % 7 == 3 else 0
        late = [12, 45] if index % 5 == 1 else ([95] if index % 11 == 4 else [])
        missed_apel = 1 if index % 6 == 2 else 0
        rows.append(
            FactsInput(
                nip=person.nip,
                working_days=days,
                days_present=days - absent,
                apel_held=4,
                apel_attended=4 - missed_apel,
                late_minutes=late,
                compliance={
                    ComplianceItem.BMD: True,
                    ComplianceItem.TPTGR: index % 9 != 5,
                    ComplianceItem.LHKPN: index % 13 != 0,
                },
            )
        )
    await tpp.record_facts(conn, caller=PLATFORM, year=YEAR, month=MONTH, rows=rows)
    agency_id = next(p.position.agency_id for p in agency if p.position is not None)
    await tpp.compute_statements(conn, caller=PLATFORM, agency_id=agency_id, year=YEAR, month=MONTH)
    await tpp.pay_month(conn, caller=PLATFORM, agency_id=agency_id, year=YEAR, month=MONTH)
