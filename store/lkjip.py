"""The LKjIP's own rows (narrative, benchmarks, budget realisation, signed versions) and the
gathering of everything it prints for one reporting unit and year (domain/lkjip.py).

Gathering is a fixed number of statements whatever the number of indicators: the unit, its
agreement and signed versions, three years of values (store/evaluation.py, three statements
each), the plan in force, and one statement each for benchmarks, analyses, sections, budget
realisation and the structure.
"""

import hashlib
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import and_, func, or_, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncConnection

from domain.achievement import TargetValue, achievement
from domain.budget import sipd_code
from domain.efficiency import EfficiencyMethod
from domain.enums import OrgUnitKind
from domain.errors import DomainError
from domain.lkjip import (
    EARLIER_YEARS,
    Analysis,
    Benchmark,
    BudgetAccount,
    IndicatorAccount,
    LkjipFigures,
    Paper,
    Party,
    PlanContext,
    YearFigure,
    budget_account,
    deadline,
    objective_account,
    summary,
)
from domain.periods import Period
from domain.plans import PlanState
from domain.workflow import REPORTING_UNIT_KINDS
from policies.viewer import Viewer
from store import agreements, hierarchy
from store import planning as plan_store
from store.evaluation import ASKED_IDS, load_year
from store.records import GovernmentRecord, OrgUnitRecord
from store.tables import (
    budget_realisation,
    government,
    indicator_analysis,
    indicator_benchmark,
    lkjip_section,
    lkjip_version,
    org_unit,
)

QUARTERS = (1, 2, 3, 4)


@dataclass(frozen=True)
class LkjipVersionRecord:
    id: int
    org_unit_id: int
    year: int
    number: int
    reason: str | None
    paper: Paper
    signed_by: str
    signed_at: datetime
    figures_sha256: str
    pdf_sha256: str
    docx_sha256: str
    xlsx_sha256: str


VERSION_COLUMNS = [lkjip_version.c[name] for name in LkjipVersionRecord.__dataclass_fields__]


def _version(row: Any) -> LkjipVersionRecord:
    values = dict(row._mapping)
    values["paper"] = Paper(values["paper"])
    return LkjipVersionRecord(**values)


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


async def reporting_unit(
    conn: AsyncConnection, viewer: Viewer, org_unit_id: int
) -> tuple[OrgUnitRecord, GovernmentRecord]:
    """A perangkat daerah or a pemda's root unit the viewer can see: the units an LKjIP is of."""
    found = await hierarchy.unit_with_government(conn, viewer, org_unit_id)
    if found is None:
        raise DomainError("NOT_FOUND", "Unit kerja tidak ditemukan.", "orgUnitId")
    if found[0].kind not in REPORTING_UNIT_KINDS:
        raise DomainError(
            "NOT_A_REPORTING_UNIT", "LKjIP disusun oleh perangkat daerah atau pemerintah daerah.", "orgUnitId"
        )
    return found


async def efficiency_method(conn: AsyncConnection, government_id: int) -> EfficiencyMethod:
    query = select(government.c.efficiency_method).where(government.c.id == government_id)
    return EfficiencyMethod((await conn.execute(query)).scalar_one())


async def set_efficiency_method(conn: AsyncConnection, government_id: int, method: EfficiencyMethod) -> None:
    await conn.execute(
        government.update().where(government.c.id == government_id).values(efficiency_method=method.value)
    )


async def versions(conn: AsyncConnection, keys: Sequence[tuple[int, int]]) -> list[LkjipVersionRecord]:
    """The signed versions of the (unit, year) pairs, oldest first."""
    if not keys:
        return []
    query = (
        select(*VERSION_COLUMNS)
        .where(or_(*(and_(lkjip_version.c.org_unit_id == unit, lkjip_version.c.year == year) for unit, year in keys)))
        .order_by(lkjip_version.c.org_unit_id, lkjip_version.c.year, lkjip_version.c.number)
    )
    return [_version(row) for row in await conn.execute(query)]


async def versions_under(conn: AsyncConnection, path: str, year: int | None) -> list[LkjipVersionRecord]:
    """Signed versions of every unit under a path (signed LKjIP are public)."""
    query = (
        select(*VERSION_COLUMNS)
        .join(org_unit, and_(org_unit.c.id == lkjip_version.c.org_unit_id))
        .where(org_unit.c.path.startswith(path))
        .order_by(lkjip_version.c.year.desc(), org_unit.c.path, lkjip_version.c.number)
    )
    if year is not None:
        query = query.where(lkjip_version.c.year == year)
    return [_version(row) for row in await conn.execute(query)]


async def version_file(
    conn: AsyncConnection, org_unit_id: int, year: int, number: int, column: str
) -> tuple[bytes, str] | None:
    """A signed version's stored document and its SHA-256."""
    query = select(lkjip_version.c[column], lkjip_version.c[f"{column}_sha256"]).where(
        lkjip_version.c.org_unit_id == org_unit_id, lkjip_version.c.year == year, lkjip_version.c.number == number
    )
    row = (await conn.execute(query)).first()
    return (bytes(row[0]), row[1]) if row else None


async def insert_version(conn: AsyncConnection, path: str, **values: Any) -> LkjipVersionRecord:
    stored = {**values, "province_code": path.split("/", 1)[0]}
    row = (await conn.execute(lkjip_version.insert().values(**stored).returning(*VERSION_COLUMNS))).one()
    return _version(row)


async def save_sections(
    conn: AsyncConnection, unit: OrgUnitRecord, year: int, bodies: Mapping[str, str], actor: str
) -> dict[str, str]:
    """Writes each section's text (an empty text removes it); returns the texts before."""
    province = unit.path.split("/", 1)[0]
    key = and_(lkjip_section.c.org_unit_id == unit.id, lkjip_section.c.year == year)
    before = {
        row.section: row.body
        for row in await conn.execute(
            select(lkjip_section.c.section, lkjip_section.c.body).where(key).with_for_update()
        )
    }
    for section, body in bodies.items():
        if not body:
            await conn.execute(lkjip_section.delete().where(key, lkjip_section.c.section == section))
            continue
        statement = insert(lkjip_section).values(
            org_unit_id=unit.id, year=year, section=section, province_code=province, body=body, updated_by=actor
        )
        await conn.execute(
            statement.on_conflict_do_update(
                index_elements=["org_unit_id", "year", "section", "province_code"],
                set_={"body": body, "updated_by": actor, "updated_at": func.now()},
            )
        )
    return before


async def save_analyses(
    conn: AsyncConnection, path: str, year: int, analyses: Mapping[int, Analysis], actor: str
) -> dict[int, Analysis]:
    """Writes the analyses of indicators; returns those they replaced."""
    province = path.split("/", 1)[0]
    ids = list(analyses)
    query = (
        select(indicator_analysis)
        .where(indicator_analysis.c.indicator_id.in_(ids), indicator_analysis.c.year == year)
        .with_for_update()
    )
    before = {
        row.indicator_id: Analysis(row.supporting, row.inhibiting, row.actions) for row in await conn.execute(query)
    }
    if ids:
        rows = [
            {
                "indicator_id": indicator_id,
                "year": year,
                "province_code": province,
                "supporting": analysis.supporting,
                "inhibiting": analysis.inhibiting,
                "actions": analysis.actions,
                "updated_by": actor,
            }
            for indicator_id, analysis in analyses.items()
        ]
        statement = insert(indicator_analysis).values(rows)
        await conn.execute(
            statement.on_conflict_do_update(
                index_elements=["indicator_id", "year", "province_code"],
                set_={
                    "supporting": statement.excluded.supporting,
                    "inhibiting": statement.excluded.inhibiting,
                    "actions": statement.excluded.actions,
                    "updated_by": actor,
                    "updated_at": func.now(),
                },
            )
        )
    return before


async def save_benchmarks(
    conn: AsyncConnection, path_of: Mapping[int, str], year: int, benchmarks: Mapping[int, Benchmark], actor: str
) -> None:
    rows = [
        {
            "indicator_id": indicator_id,
            "year": year,
            "province_code": path_of[indicator_id].split("/", 1)[0],
            "province_value": b.province,
            "national_value": b.national,
            "province_source": b.province_source,
            "national_source": b.national_source,
            "recorded_by": actor,
        }
        for indicator_id, b in benchmarks.items()
    ]
    if not rows:
        return
    statement = insert(indicator_benchmark).values(rows)
    excluded = statement.excluded
    await conn.execute(
        statement.on_conflict_do_update(
            index_elements=["indicator_id", "year", "province_code"],
            set_={
                "province_value": excluded.province_value,
                "national_value": excluded.national_value,
                "province_source": excluded.province_source,
                "national_source": excluded.national_source,
                "recorded_by": actor,
                "recorded_at": func.now(),
            },
        )
    )


async def budget_realisations(
    conn: AsyncConnection, unit_id: int, year: int, *, lock: bool = False
) -> dict[tuple[str, int], tuple[Decimal, int]]:
    """(code, quarter) → (amount, version) of one unit's entries."""
    query = select(
        budget_realisation.c.code,
        budget_realisation.c.quarter,
        budget_realisation.c.amount,
        budget_realisation.c.version,
    ).where(budget_realisation.c.org_unit_id == unit_id, budget_realisation.c.year == year)
    if lock:
        query = query.with_for_update()
    return {(row.code, row.quarter): (row.amount, row.version) for row in await conn.execute(query)}


async def write_budget_realisations(
    conn: AsyncConnection, unit: OrgUnitRecord, year: int, quarter: int, amounts: Mapping[str, Decimal], actor: str
) -> None:
    rows = [
        {
            "org_unit_id": unit.id,
            "year": year,
            "quarter": quarter,
            "code": code,
            "province_code": unit.path.split("/", 1)[0],
            "amount": amount,
            "updated_by": actor,
        }
        for code, amount in amounts.items()
    ]
    statement = insert(budget_realisation).values(rows)
    await conn.execute(
        statement.on_conflict_do_update(
            index_elements=["org_unit_id", "year", "quarter", "code", "province_code"],
            set_={
                "amount": statement.excluded.amount,
                "version": budget_realisation.c.version + 1,
                "updated_by": actor,
                "updated_at": func.now(),
            },
        )
    )


# Gathering --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Agreement:
    version: int
    snapshot: Mapping[str, Any]


async def signed_agreement(conn: AsyncConnection, viewer: Viewer, unit: OrgUnitRecord, year: int) -> _Agreement:
    """The latest signed version of the unit's Perjanjian Kinerja of the year: what it reports on."""
    found = [a for a in await agreements.agreements_under(conn, viewer, unit.path, year) if a.org_unit_id == unit.id]
    signed = await agreements.versions_of(conn, [found[0].id]) if found else []
    if not signed:
        raise DomainError(
            "AGREEMENT_NOT_SIGNED",
            f"Perjanjian kinerja tahun {year} unit ini belum ditandatangani; LKjIP melaporkan capaiannya.",
            "orgUnitId",
        )
    latest = max(signed, key=lambda v: v.number)
    return _Agreement(latest.number, latest.snapshot)


@dataclass(frozen=True)
class _PlanFacts:
    context: PlanContext | None
    end_year: int | None
    end_targets: dict[int, Decimal]
    objective_of_program: dict[str, str]  # program code → the sasaran it sits under


async def _plan_facts(conn: AsyncConnection, viewer: Viewer, unit: OrgUnitRecord, year: int) -> _PlanFacts:
    """The published plan version in force at the year's end (the RKT's rule)."""
    plans = [
        plan
        for plan in await plan_store.plans_under(conn, unit.path, None)
        if plan.org_unit_id == unit.id and plan.start_year <= year <= plan.end_year
    ]
    found = await plan_store.versions_of_plans(conn, viewer, [plan.id for plan in plans])
    year_end = date(year, 12, 31)
    in_force = [v for v in found if v.state is PlanState.PUBLISHED and v.effective_from <= year_end]
    source = max(in_force, key=lambda v: v.effective_from, default=None)
    if source is None:
        return _PlanFacts(None, None, {}, {})
    plan = next(p for p in plans if p.id == source.plan_id)
    content = (await plan_store.contents(conn, [source.id]))[source.id]
    elements = {e.id: e for e in content.elements}
    programs: dict[str, str] = {}
    for element in content.elements:
        if element.kind == "PROGRAM" and element.parent_id in elements:
            programs[element.code] = elements[element.parent_id].name
    return _PlanFacts(
        context=PlanContext(
            name=plan.name,
            version=source.number,
            vision=source.vision,
            missions=tuple(source.missions),
            goals=tuple(e.name for e in content.elements if e.kind == "GOAL"),
        ),
        end_year=plan.end_year,
        end_targets={p.indicator_id: p.end_target for p in content.indicators if p.end_target is not None},
        objective_of_program=programs,
    )


async def _benchmarks(conn: AsyncConnection, ids: Sequence[int], year: int) -> dict[int, Benchmark]:
    query = select(indicator_benchmark).where(
        indicator_benchmark.c.indicator_id.in_(ids), indicator_benchmark.c.year == year
    )
    return {
        row.indicator_id: Benchmark(row.province_value, row.national_value, row.province_source, row.national_source)
        for row in await conn.execute(query)
    }


async def analyses(conn: AsyncConnection, ids: Sequence[int], year: int) -> dict[int, Analysis]:
    query = select(indicator_analysis).where(
        indicator_analysis.c.indicator_id.in_(ids), indicator_analysis.c.year == year
    )
    return {
        row.indicator_id: Analysis(row.supporting, row.inhibiting, row.actions) for row in await conn.execute(query)
    }


async def sections(conn: AsyncConnection, unit_id: int, year: int) -> dict[str, str]:
    query = select(lkjip_section.c.section, lkjip_section.c.body).where(
        lkjip_section.c.org_unit_id == unit_id, lkjip_section.c.year == year
    )
    return {row.section: row.body for row in await conn.execute(query)}


async def _spending_under(conn: AsyncConnection, unit: OrgUnitRecord, year: int) -> dict[tuple[str, int], Decimal]:
    """Budget realisation per (code, quarter) entered anywhere under the unit: a pemda's programs
    are spent by its perangkat daerah."""
    query = (
        select(budget_realisation.c.code, budget_realisation.c.quarter, func.sum(budget_realisation.c.amount))
        .join(org_unit, org_unit.c.id == budget_realisation.c.org_unit_id)
        .where(org_unit.c.path.startswith(unit.path), budget_realisation.c.year == year)
        .group_by(budget_realisation.c.code, budget_realisation.c.quarter)
    )
    return {(code, quarter): amount for code, quarter, amount in await conn.execute(query)}


async def _structure(conn: AsyncConnection, unit: OrgUnitRecord, year: int) -> tuple[str, ...]:
    """The unit and the units under it valid during the year, indented by depth (Bab I). A pemda's
    structure is its perangkat daerah: their bidang and seksi are in each one's own LKjIP (a
    pemda's thousand eselon units made half of its PDF's pages)."""
    query = (
        select(org_unit.c.name, org_unit.c.path)
        .where(
            org_unit.c.path.startswith(unit.path),
            org_unit.c.valid_from <= date(year, 12, 31),
            or_(org_unit.c.valid_to.is_(None), org_unit.c.valid_to >= date(year, 1, 1)),
        )
        .order_by(org_unit.c.path)
    )
    if unit.kind is OrgUnitKind.PEMDA:
        query = query.where(org_unit.c.kind.in_([OrgUnitKind.PEMDA.value, OrgUnitKind.PERANGKAT_DAERAH.value]))
    depth = unit.path.count("/")
    return tuple(f"{'  ' * (path.count('/') - depth)}{name}" for name, path in await conn.execute(query))


def _figure(year: int, evaluation: Any) -> YearFigure:
    target = evaluation.target
    return YearFigure(
        year=year,
        target=target.value if target else None,
        target_high=target.high if target else None,
        realisation=evaluation.realisation,
        achievement=evaluation.result.percent,
        category=evaluation.result.category,
    )


async def gather(conn: AsyncConnection, viewer: Viewer, org_unit_id: int, year: int) -> LkjipFigures:
    """Everything the unit's LKjIP of `year` prints, read as `viewer` may read it."""
    unit, gov = await reporting_unit(conn, viewer, org_unit_id)
    agreement = await signed_agreement(conn, viewer, unit, year)
    snapshot = agreement.snapshot
    items = list(snapshot["items"])
    ids = [int(item["indicator_id"]) for item in items]
    evaluated = {}
    for offset in range(EARLIER_YEARS + 1):
        inputs = await load_year(conn, viewer, ASKED_IDS, Period(year - offset, None), {"asked_ids": ids})
        evaluated[year - offset] = inputs.evaluator
    plan = await _plan_facts(conn, viewer, unit, year)
    benchmarks = await _benchmarks(conn, ids, year)
    explained = await analyses(conn, ids, year)
    texts = await sections(conn, unit.id, year)
    spending = await _spending_under(conn, unit, year)
    method = await efficiency_method(conn, gov.id)
    structure = await _structure(conn, unit, year)

    by_objective: dict[str, list[IndicatorAccount]] = defaultdict(list)
    for item in items:
        indicator_id = int(item["indicator_id"])
        by_objective[str(item["objective"])].append(
            _account(item, indicator_id, year, evaluated, plan, benchmarks, explained)
        )
    # The budget items of the agreement, each under the sasaran its program serves in the plan.
    objectives = []
    lines: list[BudgetAccount] = []
    programs_of: dict[str, list[BudgetAccount]] = defaultdict(list)
    # Each sasaran's own achievement first: efficiency methods weigh a budget item by it.
    measured = {name: objective_account(name, accounts, []) for name, accounts in by_objective.items()}
    for line in snapshot["budget_lines"]:
        code = str(line["code"])
        program = sipd_code(code)
        while program.parent() is not None:
            program = program.parent()  # type: ignore[assignment]
        served = plan.objective_of_program.get(program.text)
        served_achievement = measured[served].achievement if served in measured and measured[served].complete else None
        account = budget_account(
            code=code,
            name=str(line["name"]),
            level=str(snapshot["budget_level"]),
            budget=Decimal(line["amount"]),
            by_quarter=[spending.get((code, quarter)) for quarter in QUARTERS],
            method=method,
            achievement=served_achievement,
        )
        lines.append(account)
        if served in by_objective:
            programs_of[served].append(account)
    for name, accounts in by_objective.items():
        objectives.append(objective_account(name, accounts, programs_of.get(name, [])))
    first = snapshot["first_party"]
    return LkjipFigures(
        org_unit_id=unit.id,
        unit_name=unit.name,
        government_name=gov.name,
        government_code=gov.code,
        year=year,
        head=Party(str(first["name"]), str(first["title"]), first.get("nip")),
        agreement_version=agreement.version,
        structure=structure,
        plan=plan.context,
        objectives=tuple(objectives),
        budget_lines=tuple(lines),
        efficiency_method=method,
        summary=summary(objectives, lines, method),
        sections=texts,
        due_on=deadline(year),
    )


def _account(
    item: Mapping[str, Any],
    indicator_id: int,
    year: int,
    evaluated: Mapping[int, Any],
    plan: _PlanFacts,
    benchmarks: Mapping[int, Benchmark],
    explained: Mapping[int, Analysis],
) -> IndicatorAccount:
    this = evaluated[year]
    figures = {
        y: _figure(y, evaluator.evaluate(indicator_id, None))
        for y, evaluator in evaluated.items()
        if indicator_id in evaluator.rules
    }
    current = figures.get(year) or YearFigure(year, Decimal(item["target"]), None, None, None, None)
    end_target = plan.end_targets.get(indicator_id)
    medium = None
    if end_target is not None and indicator_id in this.rules and current.realisation is not None:
        rule = this.rules[indicator_id]
        medium = achievement(
            method=rule.method,
            polarity=rule.polarity,
            target=TargetValue(end_target),
            realisation=current.realisation,
            lower_is_better_method=rule.lower_is_better_method,
        ).percent
    return IndicatorAccount(
        indicator_id=indicator_id,
        code=str(item["indicator_code"]),
        name=str(item["indicator"]),
        unit_of_measure=str(item["unit_of_measure"]),
        this_year=current,
        earlier=tuple(figures[y] for y in sorted(figures, reverse=True) if y < year),
        medium_term_year=plan.end_year if end_target is not None else None,
        medium_term_target=end_target,
        medium_term_achievement=medium,
        benchmark=benchmarks.get(indicator_id, Benchmark()),
        analysis=explained.get(indicator_id, Analysis()),
    )


async def unit_path(conn: AsyncConnection, org_unit_id: int) -> str | None:
    """The path of a unit, to check a download's grants before anything is gathered."""
    return (await conn.execute(select(org_unit.c.path).where(org_unit.c.id == org_unit_id))).scalar_one_or_none()
