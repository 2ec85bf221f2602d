"""The demo's monev: Kota Pontianak ranks its perangkat daerah every month of 2026 on physical
progress, absorption against the plan and on-time reporting, in Bolmong's three zones. Each
agency's sub-kegiatan report January to September (the APBD Perubahan from September on), the
Sekda's office publishes July and August, and the Wali Kota confirms August's reward and
punishment list (the top three rewarded, the agency red two months running called in), with
the meeting recorded. Written through the actions, as users would."""

from datetime import UTC, date, datetime
from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection

from actions import monev, progress, rewards
from actions.caller import PLATFORM
from actions.progress import ProgressInput
from domain.monev import Group, Method, MonevPeriod, Rule, Source, Zone
from domain.progress import BudgetKind
from domain.rewards import Clause, Trigger
from store.aggregates import AggregateWindow
from store.database import create_engine

# Bolmong's akselerasi zones, contiguous: merah below 61, kuning to 81, hijau from 81.
ZONES = (
    Zone("MERAH", "Merah", Decimal(0), Decimal(61)),
    Zone("KUNING", "Kuning", Decimal(61), Decimal(81)),
    Zone("HIJAU", "Hijau", Decimal(81), None),
)
YEAR = 2026
THROUGH_MONTH = 9
PUBLISHED_MONTHS = (7, 8)
RULE = Rule(
    Method.WEIGHTED,
    (
        Group("PHYSICAL_PROGRESS", "Realisasi fisik", Source.PLATFORM, Decimal(40)),
        Group("BUDGET_PLAN_ABSORPTION", "Penyerapan terhadap rencana", Source.PLATFORM, Decimal(30)),
        Group("ON_TIME_REPORTING", "Ketepatan waktu pelaporan", Source.PLATFORM, Decimal(30)),
    ),
    ZONES,
    None,
    (
        Clause("PENGHARGAAN", "Penghargaan Wali Kota", Trigger.RANK_AT_MOST, rank_at_most=3),
        Clause("TEGURAN", "Teguran tertulis", Trigger.ZONE, zones=("MERAH",), in_a_row=2, action="Rapat dengan Sekda"),
    ),
)
# How far each agency keeps to its plan (realised / planned), and the agency that reports late.
PACE = {"DINKES": "1.02", "DISDIK": "0.97", "BAPPEDA": "0.95", "PUPR": "0.45", "DINSOS": "0.88"}
DEFAULT_PACE = "0.85"
LATE = "DINSOS"
LATE_MONTHS = (6, 7, 8)
# The cumulative share of the year's plan by the end of each month: slow first, fast at the end.
PLAN_CURVE = ("3", "8", "15", "23", "32", "42", "52", "61", "70", "80", "90", "100")
PAGU = (Decimal(750_000_000), Decimal(420_000_000), Decimal(180_500_000))
HUNDRED = Decimal(100)


async def load_demo_monev(url: str) -> None:
    engine = create_engine(url, pool_size=1)
    try:
        async with engine.begin() as conn:
            await _write(conn)
    finally:
        await engine.dispose()


async def _agencies(conn: AsyncConnection) -> list[tuple[int, str]]:
    query = text(
        "SELECT u.id, u.code FROM org_unit u JOIN org_unit root ON root.id = u.parent_id "
        "JOIN government g ON g.id = u.government_id "
        "WHERE g.code = '61.71' AND root.parent_id IS NULL AND u.valid_to IS NULL ORDER BY u.code"
    )
    return [(int(unit_id), str(code)) for unit_id, code in (await conn.execute(query)).all()]


def _cents(value: Decimal) -> Decimal:
    return value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def _lines(agencies: list[tuple[int, str]], month: int, kind: BudgetKind) -> list[ProgressInput]:
    planned = Decimal(PLAN_CURVE[month - 1])
    lines: list[ProgressInput] = []
    for index, (unit_id, code) in enumerate(agencies):
        pace = Decimal(PACE.get(code, DEFAULT_PACE))
        for number, pagu in enumerate(PAGU, start=1):
            # The APBD Perubahan of September cuts the third sub-kegiatan by a fifth.
            in_force = pagu * 4 / 5 if kind is BudgetKind.PERUBAHAN and number == 3 else pagu
            physical = min(HUNDRED, (planned * pace).quantize(Decimal("0.01")))
            lines.append(
                ProgressInput(
                    unit_id, f"5.{index + 1:02d}.01.2.01.{number:04d}", f"Sub kegiatan {number} {code}",
                    in_force, planned, physical, _cents(in_force * planned / HUNDRED),
                    _cents(in_force * min(HUNDRED, planned * pace) / HUNDRED),
                )
            )  # fmt: skip
    return lines


async def _write(conn: AsyncConnection) -> None:
    agencies = await _agencies(conn)
    government = "61.71"
    await monev.set_rule(conn, caller=PLATFORM, government_code=government, year=YEAR, rule=RULE, reason=None)
    for month in range(1, THROUGH_MONTH + 1):
        kinds = (BudgetKind.MURNI, BudgetKind.PERUBAHAN) if month == THROUGH_MONTH else (BudgetKind.MURNI,)
        for kind in kinds:
            await progress.submit_progress(
                conn, caller=PLATFORM, year=YEAR, month=month, budget_kind=kind, lines=_lines(agencies, month, kind)
            )
        await _backdate(conn, month)
    window = AggregateWindow()
    for month in PUBLISHED_MONTHS:
        period = MonevPeriod(YEAR, (month + 2) // 3, month)
        await monev.publish_ranking(
            conn, caller=PLATFORM, government_code=government, period=period, units=None, window=window,
            today=date(YEAR, month + 1, 12),
        )  # fmt: skip
    august = MonevPeriod(YEAR, 3, 8)
    confirmed = await rewards.confirm_rewards(
        conn, caller=PLATFORM, government_code=government, period=august, units=None
    )
    for item in confirmed.items:
        if item.category == "TEGURAN":
            await rewards.record_follow_up(
                conn, caller=PLATFORM, item_id=item.id, done=True, done_on=date(YEAR, 9, 18),
                note="Rapat dengan Sekda; rencana percepatan fisik disepakati.", expected_version=None,
                today=date(YEAR, 9, 18),
            )  # fmt: skip


async def _backdate(conn: AsyncConnection, month: int) -> None:
    """The demo's history: each month's lines were first entered on the 7th of the next month, the
    late agency's on the 15th in June to August (after the 10th, the deadline), as a year of use
    would have left them."""
    next_month = date(YEAR + (month == 12), month % 12 + 1, 1)
    await conn.execute(
        text(
            "UPDATE monev_progress p SET submitted_at = CASE WHEN u.code = :late THEN :late_day ELSE :on_time END "
            "FROM org_unit u WHERE u.id = p.org_unit_id AND u.province_code = p.province_code "
            "AND p.year = :year AND p.month = :month"
        ),
        {
            "late": LATE if month in LATE_MONTHS else "",
            "late_day": datetime(next_month.year, next_month.month, 15, 2, tzinfo=UTC),
            "on_time": datetime(next_month.year, next_month.month, 7, 2, tzinfo=UTC),
            "year": YEAR,
            "month": month,
        },
    )
