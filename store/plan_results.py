"""The figures of a strategic plan's results form (domain/plan_results.py: E.78 / E.79) for a
version and a year, as the viewer may read them: the version's programs and the indicators
placed at them, each indicator's realisation of every plan year through n (the year's
evaluation: its definition of that year, readable values only), the year's pagu from the signed
agreements under the plan's unit and the budget realisation entered under it."""

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncConnection

from domain.errors import DomainError
from domain.evaluation import IndicatorRule
from domain.periods import Period
from domain.plan_results import (
    IndicatorResult,
    PlanResults,
    RowResult,
    budget_result,
    check_plan_year,
    indicator_result,
    per_program,
)
from domain.plans import PlanKind
from policies.permissions import Permission
from policies.viewer import Viewer
from store import agreements, hierarchy, indicators
from store import planning as plan_store
from store.agreements import AgreementVersionRecord
from store.evaluation import ASKED_IDS, load_year
from store.planning import VersionContent
from store.records import IndicatorRecord
from store.tables import budget_realisation, org_unit

FORM_OF_KIND = {PlanKind.RPJMD: "E.78", PlanKind.RENSTRA: "E.79"}


async def gather(conn: AsyncConnection, viewer: Viewer, version_id: int, year: int) -> PlanResults | None:
    """None when the version is not one the viewer may see, or the plan's values are not theirs to read."""
    versions = await plan_store.visible_versions(conn, viewer, [version_id])
    if not versions:
        return None
    plan = (await plan_store.plans_by_ids(conn, [versions[0].plan_id]))[0]
    if not viewer.may(Permission.READ_VALUES, plan.path):
        return None
    try:
        check_plan_year(year, plan.start_year, plan.end_year)
    except DomainError as error:
        raise error.at("year") from error
    content = (await plan_store.contents(conn, [version_id]))[version_id]
    units = await hierarchy.units_by_ids(conn, viewer, [plan.org_unit_id])
    measured = await _yearly_realisations(conn, viewer, content, plan.start_year, year)
    pagu = await _year_budget(conn, viewer, plan.path, year)
    spending = await _spending(conn, plan.path, plan.start_year, year)
    rows = _rows(content, measured, pagu, spending, plan.start_year, year)
    return PlanResults(
        plan_name=plan.name,
        unit_name=units[0].name if units else "",
        form=FORM_OF_KIND[plan.kind],
        first_year=plan.start_year,
        last_year=plan.end_year,
        year=year,
        rows=tuple(rows),
    )


@dataclass(frozen=True)
class _Measured:
    yearly: dict[int, dict[int, Decimal]]  # indicator → year → the year's realisation
    rules: dict[int, IndicatorRule]  # of year n: its definition of that year
    records: dict[int, IndicatorRecord]


async def _yearly_realisations(
    conn: AsyncConnection, viewer: Viewer, content: VersionContent, first_year: int, year: int
) -> _Measured:
    """Each placed indicator's realisation of every plan year through `year` (three statements a
    year), and its rule of year n."""
    ids = sorted({placed.indicator_id for placed in content.indicators})
    yearly: dict[int, dict[int, Decimal]] = defaultdict(dict)
    rules: dict[int, IndicatorRule] = {}
    for each in range(first_year, year + 1):
        evaluator = (await load_year(conn, viewer, ASKED_IDS, Period(each, None), {"asked_ids": ids})).evaluator
        for indicator_id in ids:
            if indicator_id not in evaluator.rules:
                continue
            realisation = evaluator.evaluate(indicator_id, None).realisation
            if realisation is not None:
                yearly[indicator_id][each] = realisation
            if each == year:
                rules[indicator_id] = evaluator.rules[indicator_id]
    records = {record.id: record for record in await indicators.indicators_by_ids(conn, viewer, ids)}
    return _Measured(yearly, rules, records)


async def _year_budget(conn: AsyncConnection, viewer: Viewer, path: str, year: int) -> dict[str, Decimal]:
    """The pagu of each program in year n: the budget lines of the latest signed version of
    every agreement under the plan's unit, per program (domain.plan_results.per_program)."""
    found = await agreements.agreements_under(conn, viewer, path, year)
    latest: dict[int, AgreementVersionRecord] = {}
    for version in await agreements.versions_of(conn, [a.id for a in found]):
        if version.agreement_id not in latest or version.number > latest[version.agreement_id].number:
            latest[version.agreement_id] = version
    amounts: dict[str, Decimal] = defaultdict(Decimal)
    for version in latest.values():
        for line in version.snapshot.get("budget_lines", []):
            amounts[str(line["code"])] += Decimal(line["amount"])
    return per_program(amounts)


async def _spending(conn: AsyncConnection, path: str, first_year: int, year: int) -> dict[int, dict[str, Decimal]]:
    """Budget realisation entered under the plan's unit, per year and program."""
    query = (
        select(budget_realisation.c.year, budget_realisation.c.code, func.sum(budget_realisation.c.amount))
        .join(org_unit, org_unit.c.id == budget_realisation.c.org_unit_id)
        .where(org_unit.c.path.startswith(path), budget_realisation.c.year.between(first_year, year))
        .group_by(budget_realisation.c.year, budget_realisation.c.code)
    )
    by_year: dict[int, dict[str, Decimal]] = defaultdict(dict)
    for each, code, amount in await conn.execute(query):
        by_year[each][code] = amount
    return {each: per_program(amounts) for each, amounts in by_year.items()}


def _rows(
    content: VersionContent,
    measured: _Measured,
    pagu: dict[str, Decimal],
    spending: dict[int, dict[str, Decimal]],
    first_year: int,
    year: int,
) -> list[RowResult]:
    """Each sasaran in the plan's order, followed by the programs under it."""
    elements = {element.id: element for element in content.elements}
    rows = []
    for objective in (e for e in content.elements if e.kind == "OBJECTIVE"):
        goal = elements.get(objective.parent_id) if objective.parent_id is not None else None
        indicators = _indicators(content, measured, objective.id, first_year, year)
        rows.append(RowResult("OBJECTIVE", objective.code, objective.name, goal.name if goal else "", None, indicators))
        for program in content.children(objective.id, "PROGRAM"):
            budget = budget_result(
                program.budget,
                pagu.get(program.code),
                [spending.get(each, {}).get(program.code) for each in range(first_year, year + 1)],
                spending.get(year, {}).get(program.code),
            )
            indicators = _indicators(content, measured, program.id, first_year, year)
            rows.append(RowResult("PROGRAM", program.code, program.name, objective.name, budget, indicators))
    return rows


def _indicators(
    content: VersionContent, measured: _Measured, element_id: int, first_year: int, year: int
) -> tuple[IndicatorResult, ...]:
    results = []
    for placed in content.indicators_of(element_id):
        rule, record = measured.rules.get(placed.indicator_id), measured.records.get(placed.indicator_id)
        if rule is None or record is None:
            continue  # not readable by this viewer, or retired before year n
        year_target = next((t.value for t in content.targets_of(placed.id) if t.year == year), None)
        results.append(
            indicator_result(
                indicator_id=record.id,
                code=record.code,
                name=record.name,
                unit_of_measure=record.unit_of_measure,
                rule=rule,
                baseline=placed.baseline,
                end_target=placed.end_target,
                year_target=year_target,
                yearly=measured.yearly.get(record.id, {}),
                first_year=first_year,
                year=year,
            )
        )
    return tuple(results)
