"""The demo's planning documents for Kota Pontianak, written through the actions as users would:
each perangkat daerah's Renstra 2025–2029 aligned to the RPJMD, an RPJMD perubahan from 2027,
and the 2026 Perjanjian Kinerja at every level (Wali Kota, every JPT, and for the Dinas Kesehatan
its Administrators and Pengawas), one of them signed by a Plt; the 2025 LKjIP of the Dinas
Kesehatan, from its 2025 agreement, budget realisation, narrative and benchmarks, signed; and the
2026 APBD as imported from SIPD (demo/apbd.py)."""

from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection

from actions import agreements, lkjip, planning
from actions.agreements import AgreementDraft, ItemInput, LineInput, PartyInput
from actions.caller import PLATFORM
from actions.lkjip import AnalysisInput, BenchmarkInput, BudgetLineInput
from actions.maintenance import PLAN_PERIOD
from actions.planning import NewPlan
from demo.apbd import import_demo_apbd
from documents.lkjip.render import render_all
from domain.agreements import Acting, Party
from domain.lkjip import Analysis, Benchmark, Paper, Section
from domain.plans import Draft, DraftElement, DraftIndicator, LegalBasis, PlanAction, PlanKind
from store import planning as plan_store
from store.database import create_engine

DEMO_KOTA = "61.71"
AGREEMENT_YEAR = 2026
# The RPJMD objective (demo.catalogue.GOALS) each agency's Renstra serves, and its program.
ANCHORS = {
    "DINKES": ("T1.S1", "1.02.02", "Program Pemenuhan Upaya Kesehatan Perorangan dan Upaya Kesehatan Masyarakat"),
    "DISDIK": ("T1.S2", "1.01.02", "Program Pengelolaan Pendidikan"),
    "BAPPEDA": ("T3.S1", "5.01.02", "Program Perencanaan, Pengendalian dan Evaluasi Pembangunan Daerah"),
}
DEFAULT_ANCHOR = ("T2.S2", "3.27.02", "Program Peningkatan Daya Saing Daerah")


@dataclass(frozen=True)
class Unit:
    id: int
    code: str
    name: str
    kind: str
    parent_id: int | None


async def _units(conn: AsyncConnection) -> list[Unit]:
    rows = await conn.execute(
        text(
            """SELECT u.id, u.code, u.name, u.kind, u.parent_id FROM org_unit u
               JOIN government g ON g.id = u.government_id
               WHERE g.code = :code AND u.valid_to IS NULL ORDER BY u.path"""
        ),
        {"code": DEMO_KOTA},
    )
    return [Unit(r.id, r.code, r.name, r.kind, r.parent_id) for r in rows]


async def _indicators(conn: AsyncConnection, unit_id: int) -> list[tuple[int, str, bool]]:
    rows = await conn.execute(
        text("SELECT id, code, is_key FROM indicator WHERE org_unit_id = :unit ORDER BY code"), {"unit": unit_id}
    )
    return [(r.id, r.code, r.is_key) for r in rows]


async def _targets(conn: AsyncConnection, indicator_id: int) -> dict[int, Decimal]:
    rows = await conn.execute(
        text("SELECT year, value FROM target WHERE indicator_id = :id AND quarter = 0"), {"id": indicator_id}
    )
    return {r.year: r.value for r in rows}


async def load_demo_planning(url: str) -> None:
    engine = create_engine(url, pool_size=1)
    try:
        async with engine.begin() as conn:
            await _write(conn)
    finally:
        await engine.dispose()


async def _write(conn: AsyncConnection) -> None:
    units = await _units(conn)
    root = next(u for u in units if u.kind == "PEMDA")
    agencies = [u for u in units if u.kind == "PERANGKAT_DAERAH"]
    (rpjmd,) = [p for p in await plan_store.plans_under(conn, "61/", None) if p.org_unit_id == root.id]
    (first,) = await plan_store.versions_of_plans(conn, PLATFORM.viewer, [rpjmd.id])
    content = (await plan_store.contents(conn, [first.id]))[first.id]
    objectives = {e.code: e.id for e in content.elements if e.kind == "OBJECTIVE"}
    programs: dict[int, list[LineInput]] = {}
    for agency in agencies:
        programs[agency.id] = await _renstra(conn, agency, objectives)
    await _perubahan(conn, first.id, content.as_draft(first))
    await _agreements(conn, root, units, programs)
    dinkes = next(u for u in agencies if u.code == "DINKES")
    await _lkjip(conn, root, dinkes, programs[dinkes.id])
    await import_demo_apbd(conn, DEMO_KOTA, [(u.id, u.code, u.name) for u in agencies], programs)


async def _renstra(conn: AsyncConnection, agency: Unit, objectives: dict[str, int]) -> list[LineInput]:
    """A published Renstra; returns the agency's programs with their 2026 budget for its PK."""
    objective_code, program_code, program_name = ANCHORS.get(agency.code, DEFAULT_ANCHOR)
    placed = []
    for indicator_id, _, is_key in await _indicators(conn, agency.id):
        if not is_key:
            continue
        targets = await _targets(conn, indicator_id)
        start = targets.get(2025, Decimal(0))
        step = targets.get(2026, start) - start
        yearly = tuple((year, start + step * (year - 2025)) for year in range(2025, 2030))
        placed.append(DraftIndicator(indicator_id, start - step, yearly[-1][1], yearly))
    urusan = program_code.rsplit(".", 1)[0]
    support = f"{urusan}.01"
    budget = Decimal(1_250_000_000) if agency.code == "DINKES" else Decimal(750_500_000)
    activity = f"{program_code}.2.01"
    program = DraftElement(
        "PROGRAM",
        program_code,
        program_name,
        "programs.0",
        budget=budget,
        children=(
            DraftElement(
                "ACTIVITY",
                activity,
                "Kegiatan utama",
                "programs.0.items.0",
                budget=budget * 3 / 5,
                children=(
                    DraftElement("SUB_ACTIVITY", f"{activity}.0001", "Sub kegiatan utama", "s", budget=budget / 5),
                ),
            ),
        ),
    )
    supporting = DraftElement(
        "PROGRAM", support, "Program Penunjang Urusan Pemerintahan Daerah", "programs.1", budget=Decimal(400_000_000)
    )
    draft = Draft(
        vision="",
        missions=(),
        goals=(
            DraftElement(
                "GOAL",
                "T1",
                f"Meningkatnya kinerja {agency.name}",
                "goals.0",
                children=(
                    DraftElement(
                        "OBJECTIVE",
                        "T1.S1",
                        f"Meningkatnya capaian {agency.name}",
                        "goals.0.objectives.0",
                        aligned_id=objectives[objective_code],
                        indicators=tuple(placed),
                        children=(program, supporting),
                    ),
                ),
            ),
        ),
    )
    new = NewPlan(agency.id, PlanKind.RENSTRA, f"Renstra {agency.name} 2025–2029", 2025, 2029)
    version = await planning.create_strategic_plan(conn, caller=PLATFORM, new=new)
    version = await planning.update_plan_draft(
        conn, caller=PLATFORM, version_id=version.id, expected_revision=None, draft=draft
    )
    for action in (PlanAction.SUBMIT, PlanAction.PUBLISH):
        version = await planning.transition_plan_version(
            conn, caller=PLATFORM, version_id=version.id, expected_revision=None, action=action
        )
    return [
        LineInput(program_code, program_name, budget),
        LineInput(support, "Program Penunjang Urusan Pemerintahan Daerah", Decimal(400_000_000)),
    ]


async def _perubahan(conn: AsyncConnection, first_id: int, copied: Draft) -> None:
    """The RPJMD perubahan from 2027: the poverty target is raised after the mid-term review."""
    version = await planning.revise_plan(
        conn,
        caller=PLATFORM,
        version_id=first_id,
        reason="Penyesuaian target kemiskinan hasil evaluasi paruh waktu RPJMD",
        legal_basis=LegalBasis("Peraturan Daerah Kota Pontianak", "3 Tahun 2026", date(2026, 11, 2)),
        effective_from=date(2027, 1, 1),
    )
    goals = []
    for goal in copied.goals:
        objectives = []
        for objective in goal.children:
            placed = tuple(
                DraftIndicator(
                    p.indicator_id,
                    p.baseline,
                    p.end_target,
                    tuple(
                        (year, value - Decimal("0.10") if year >= 2027 and objective.code == "T2.S1" else value)
                        for year, value in p.targets
                    ),
                )
                for p in objective.indicators
            )
            objectives.append(replace(objective, indicators=placed))
        goals.append(replace(goal, children=tuple(objectives)))
    draft = Draft(copied.vision, copied.missions, tuple(goals))
    await planning.update_plan_draft(conn, caller=PLATFORM, version_id=version.id, expected_revision=None, draft=draft)
    for action in (PlanAction.SUBMIT, PlanAction.PUBLISH):
        await planning.transition_plan_version(
            conn, caller=PLATFORM, version_id=version.id, expected_revision=None, action=action
        )


WALI_KOTA = PartyInput("Edi Rusdi Kamtono", "-", "Wali Kota Pontianak", username="leader.61.71")


def _official(unit: Unit, number: int) -> PartyInput:
    """A made-up official heading `unit`; the head of the Dinas Kesehatan is acting (Plt)."""
    nip = f"{1970 + number % 25}0101{2000 + number % 20}01{number % 2 + 1}{number % 1000:03d}"
    acting = Acting.PLT if unit.code == "DINKES" else Acting.NONE
    rank = "Pembina (IV/a)" if unit.kind == "PERANGKAT_DAERAH" else "Penata Tingkat I (III/d)"
    return PartyInput(f"Pejabat {unit.code}", rank, f"Kepala {unit.name}", nip=nip, acting=acting)


async def _agreements(
    conn: AsyncConnection, root: Unit, units: list[Unit], programs: dict[int, list[LineInput]]
) -> None:
    """Drafted top-down; the Wali Kota signs last, since that annex is the union of the JPT programs."""
    pemda_items = [ItemInput(i) for i, _, is_key in await _indicators(conn, root.id) if is_key]
    head = AgreementDraft(root.id, AGREEMENT_YEAR, WALI_KOTA, None, pemda_items)
    head_id = (await agreements.save_agreement(conn, caller=PLATFORM, window=PLAN_PERIOD, draft=head)).id
    parties = {root.id: WALI_KOTA}
    for number, unit in enumerate(u for u in units if u.kind != "PEMDA"):
        if unit.kind != "PERANGKAT_DAERAH" and not _under_dinkes(unit, units):
            continue
        official = _official(unit, number)
        parties[unit.id] = official
        items = [
            ItemInput(i)
            for i, _, is_key in await _indicators(conn, unit.id)
            if is_key or unit.kind != "PERANGKAT_DAERAH"
        ]
        if not items:
            continue
        lines = programs.get(unit.id, []) if unit.kind == "PERANGKAT_DAERAH" else _lines_below(unit, units, programs)
        superior = parties.get(unit.parent_id or 0, WALI_KOTA)
        await _signed(conn, AgreementDraft(unit.id, AGREEMENT_YEAR, official, superior, items, lines))
    await agreements.sign_agreement(
        conn, caller=PLATFORM, agreement_id=head_id, expected_revision=None, party=Party.FIRST
    )


def _under_dinkes(unit: Unit, units: list[Unit]) -> bool:
    by_id = {u.id: u for u in units}
    current: Unit | None = unit
    while current is not None:
        if current.code == "DINKES" and current.kind == "PERANGKAT_DAERAH":
            return True
        current = by_id.get(current.parent_id) if current.parent_id else None
    return False


def _lines_below(unit: Unit, units: list[Unit], programs: dict[int, list[LineInput]]) -> list[LineInput]:
    """An Administrator's kegiatan and a Pengawas's sub kegiatan, from its agency's main program."""
    by_id = {u.id: u for u in units}
    agency = unit
    while agency.kind != "PERANGKAT_DAERAH":
        agency = by_id[agency.parent_id or 0]
    program = programs[agency.id][0]
    siblings = [u for u in units if u.parent_id == unit.parent_id and u.kind == unit.kind]
    position = siblings.index(unit) + 1
    if unit.kind == "ESELON_III":
        return [LineInput(f"{program.code}.2.{position:02d}", f"Kegiatan {unit.name}", program.amount / 5)]
    parent = by_id[unit.parent_id or 0]
    parent_position = [u for u in units if u.parent_id == parent.parent_id and u.kind == parent.kind].index(parent) + 1
    code = f"{program.code}.2.{parent_position:02d}.{position:04d}"
    return [LineInput(code, f"Sub kegiatan {unit.name}", program.amount / 20)]


async def _signed(conn: AsyncConnection, draft: AgreementDraft) -> None:
    """Saved and signed by both parties (the platform signs for the demo's officials)."""
    saved = await agreements.save_agreement(conn, caller=PLATFORM, window=PLAN_PERIOD, draft=draft)
    parties = [Party.FIRST] if draft.second_party is None else [Party.FIRST, Party.SECOND]
    for party in parties:
        saved = await agreements.sign_agreement(
            conn, caller=PLATFORM, agreement_id=saved.id, expected_revision=None, party=party
        )


LKJIP_YEAR = 2025
# The Dinas Kesehatan's spending of 2025 per program and quarter (Rupiah).
SPENDING_2025 = {
    0: (Decimal(212_500_000), Decimal(298_750_000), Decimal(331_000_000), Decimal(307_250_000)),
    1: (Decimal(88_000_000), Decimal(96_500_000), Decimal(101_000_000), Decimal(92_300_000)),
}
DINKES_TEXT = {
    Section.FOREWORD: (
        "Puji syukur ke hadirat Tuhan Yang Maha Esa, Laporan Kinerja Instansi Pemerintah Dinas Kesehatan "
        "Kota Pontianak Tahun 2025 dapat disusun sebagai pertanggungjawaban pelaksanaan Perjanjian Kinerja "
        "Tahun 2025."
    ),
    Section.DUTIES: (
        "Dinas Kesehatan melaksanakan urusan pemerintahan bidang kesehatan yang menjadi kewenangan daerah: "
        "pelayanan kesehatan, pencegahan dan pengendalian penyakit, kesehatan masyarakat, serta sumber daya "
        "kesehatan."
    ),
    Section.STRATEGIC_ISSUES: "Penurunan stunting, pemerataan layanan puskesmas, dan kesiapan tenaga kesehatan.",
    Section.CONCLUSION: (
        "Sebagian besar sasaran tahun 2025 tercapai dengan kategori tinggi; indikator yang belum tercapai "
        "menjadi prioritas perbaikan pada tahun 2026."
    ),
    Section.NEXT_STEPS: "Memperkuat pendataan di puskesmas dan mempercepat realisasi kegiatan pada triwulan awal.",
}


async def _lkjip(conn: AsyncConnection, root: Unit, dinkes: Unit, lines: list[LineInput]) -> None:
    """The Dinas Kesehatan's 2025 agreement (under the Wali Kota's), its spending, narrative and
    benchmarks, and its LKjIP signed by its head (the 2025 annual report is published)."""
    pemda_items = [ItemInput(i) for i, _, is_key in await _indicators(conn, root.id) if is_key]
    head = AgreementDraft(root.id, LKJIP_YEAR, WALI_KOTA, None, pemda_items)
    head_id = (await agreements.save_agreement(conn, caller=PLATFORM, window=PLAN_PERIOD, draft=head)).id
    official = replace(_official(dinkes, 0), acting=Acting.NONE)
    indicators = await _indicators(conn, dinkes.id)
    items = [ItemInput(i) for i, _, is_key in indicators if is_key]
    await _signed(conn, AgreementDraft(dinkes.id, LKJIP_YEAR, official, WALI_KOTA, items, lines))
    await agreements.sign_agreement(
        conn, caller=PLATFORM, agreement_id=head_id, expected_revision=None, party=Party.FIRST
    )
    for quarter in (1, 2, 3, 4):
        await lkjip.submit_budget_realisations(
            conn,
            caller=PLATFORM,
            org_unit_id=dinkes.id,
            year=LKJIP_YEAR,
            quarter=quarter,
            lines=[BudgetLineInput(line.code, SPENDING_2025[n][quarter - 1]) for n, line in enumerate(lines)],
        )
    analyses = [
        AnalysisInput(
            indicator_id,
            Analysis(
                "Dukungan lintas sektor dan kader posyandu yang aktif.",
                "Keterlambatan pelaporan dari sebagian fasilitas kesehatan.",
                "Pendampingan pelaporan bulanan dan verifikasi data oleh bidang teknis.",
            ),
        )
        for indicator_id, _, is_key in indicators
        if is_key
    ]
    await lkjip.save_narrative(
        conn, caller=PLATFORM, org_unit_id=dinkes.id, year=LKJIP_YEAR, sections=DINKES_TEXT, analyses=analyses
    )
    benchmarked = analyses[0].indicator_id
    await lkjip.set_benchmarks(
        conn,
        caller=PLATFORM,
        year=LKJIP_YEAR,
        entries=[
            BenchmarkInput(
                benchmarked,
                Benchmark(Decimal("26.8"), Decimal("21.5"), "Dinas Kesehatan Provinsi Kalimantan Barat", "Kemenkes"),
            )
        ],
    )
    await lkjip.sign_lkjip(
        conn, caller=PLATFORM, org_unit_id=dinkes.id, year=LKJIP_YEAR, paper=Paper.F4, reason=None, render=render_all
    )
