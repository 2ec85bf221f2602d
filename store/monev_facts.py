"""What a government's monev ranking reads for a period, per ranked unit (a perangkat daerah of a
pemda, a kabupaten/kota of a province), from the platform: the achievement rollup, the reports
due and made (quarterly reports for a quarter, monthly progress for a month), the budget
absorbed, the physical and financial progress of the period's last month, and the entered scores.

A fixed number of statements whatever the number of units: the rollup, one per quarter for the
reports (at most four) or one for the months, one for budgets, one for the progress lines, one
for the roots of kabupaten/kota and one for their perangkat daerah, one for scores.
"""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

import orjson
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection

from domain.efficiency import absorbed
from domain.monev import (
    Entry,
    Level,
    MonevPeriod,
    Rule,
    Source,
    document,
    on_time_rate,
    rank,
    ranks_of,
    rule_from_json,
)
from domain.notation import local_date
from domain.periods import Period
from domain.progress import (
    BudgetKind,
    ProgressLine,
    counted_lines,
    in_force,
    month_deadline,
    month_end,
    progress_of,
)
from domain.workflow import Compliance, ComplianceTally, DeadlinePolicy, compliance, compliance_at
from policies.viewer import Viewer
from store import hierarchy, monev, progress, reports
from store.aggregates import AggregateWindow
from store.records import GovernmentRecord, OrgUnitRecord
from store.rollups import ScopeKey, load_rollups


@dataclass
class Subject:
    """One ranked unit and what the platform holds about it for the quarter."""

    key: str  # "unit:<id>" or "government:<id>": stable across periods, for the movement
    record: OrgUnitRecord | GovernmentRecord
    unit_id: int  # where its entered scores are kept: the unit, or a government's root unit
    platform: dict[str, Decimal | None] = field(default_factory=dict)
    entered: dict[str, Decimal] = field(default_factory=dict)
    reporting: ComplianceTally = field(default_factory=ComplianceTally)  # reports due so far this year
    overdue_this_period: int = 0  # reports of the period past their deadline, not submitted
    budget_kind: BudgetKind | None = None  # the budget its progress is read from
    reporters: list[str] = field(default_factory=list)  # paths of the units expected to report monthly

    def count(self, status: Compliance, *, of_the_period: bool) -> None:
        """A report of the year so far; one not yet due counts for nothing."""
        if status is Compliance.NOT_DUE:
            return
        self.reporting.add(status)
        self.overdue_this_period += of_the_period and status is Compliance.MISSING

    @property
    def path(self) -> str:
        return self.record.path

    of: str = ""  # in a province's ranking of every perangkat daerah: the pemda it belongs to

    @property
    def name(self) -> str:
        return f"{self.record.name} ({self.of})" if self.of else self.record.name

    @property
    def code(self) -> str:
        return self.record.code


# Spending to date and pagu of the JPT agreements (one per perangkat daerah: its programs) under
# each path; a kabupaten/kota sums its perangkat daerah.
_BUDGETS = text(
    """
    WITH latest AS (
        SELECT DISTINCT ON (v.agreement_id) a.org_unit_id, a.province_code, u.path, v.snapshot
        FROM performance_agreement a
        JOIN agreement_version v ON v.agreement_id = a.id AND v.province_code = a.province_code
        JOIN org_unit u ON u.id = a.org_unit_id AND u.province_code = a.province_code
        WHERE a.year = :year AND a.level = 'JPT' AND u.path LIKE :prefix
        ORDER BY v.agreement_id, v.number DESC
    )
    SELECT l.path,
           (SELECT coalesce(sum((line ->> 'amount')::numeric), 0)
              FROM jsonb_array_elements(l.snapshot -> 'budget_lines') AS line) AS pagu,
           (SELECT coalesce(sum(b.amount), 0) FROM budget_realisation b
             WHERE b.org_unit_id = l.org_unit_id AND b.province_code = l.province_code
               AND b.year = :year AND b.quarter <= :quarter) AS spent
    FROM latest l
    """
)


async def subjects(
    conn: AsyncConnection,
    viewer: Viewer,
    government: GovernmentRecord,
    period: MonevPeriod,
    units: Level,
    window: AggregateWindow,
    today: date,
) -> list[Subject]:
    # A month reads the achievement of the last quarter it ends (none before March).
    achieved = period.quarter if not period.is_month else period.month // 3
    rolled = Period(period.year, max(achieved, 1))
    key = ScopeKey("government", government.id)
    rollup = (await load_rollups(conn, viewer, [key], rolled, window)).get(key)
    children = (rollup.children or []) if rollup else []
    belongs: dict[ScopeKey, str] = {}
    if units is Level.KABUPATEN_KOTA:
        children = [child for child in children if isinstance(child.record, GovernmentRecord)]
    elif any(isinstance(child.record, GovernmentRecord) for child in children):
        # A province's perangkat daerah: every kabupaten/kota's, and its own (under its root unit),
        # each named with its pemda (fifteen Dinas Kesehatan in one list).
        deeper = await load_rollups(conn, viewer, [child.scope for child in children], rolled, window)
        agencies = []
        for child in children:
            pemda = child.record.name if isinstance(child.record, GovernmentRecord) else government.name
            below = deeper[child.scope].children or [] if child.scope in deeper else []
            for grandchild in below:
                if isinstance(grandchild.record, OrgUnitRecord):
                    agencies.append(grandchild)
                    belongs[grandchild.scope] = pemda
        children = agencies
    found: list[Subject] = []
    for child in children:
        record = child.record
        subject_key = f"{child.scope.kind}:{child.scope.id}"
        unit_id = record.id if isinstance(record, OrgUnitRecord) else 0
        totals = child.totals
        complete = achieved > 0 and totals.indicator_count > 0 and totals.missing_count == 0
        subject = Subject(subject_key, record, unit_id, of=belongs.get(child.scope, ""))
        subject.platform["ACHIEVEMENT"] = totals.percent() if complete else None
        subject.reporters = [record.path]
        found.append(subject)
    await _kabupaten_units(conn, viewer, [s for s in found if isinstance(s.record, GovernmentRecord)], period)
    if period.is_month:
        await _monthly_reports(conn, government, found, period, today)
    else:
        await _reports(conn, viewer, government, found, period.year, period.quarter, today)
        await _budgets(conn, government, found, period.year, period.quarter)
    for subject in found:
        subject.platform["ON_TIME_REPORTING"] = on_time_rate(subject.reporting.on_time, subject.reporting.expected)
    await _progress(conn, government, found, period)
    by_unit = {s.unit_id: s for s in found if s.unit_id}
    for (unit_id, group), (value, _) in (await monev.figures(conn, list(by_unit), period)).items():
        by_unit[unit_id].entered[group] = value
    return found


async def _kabupaten_units(
    conn: AsyncConnection, viewer: Viewer, kabupaten: list[Subject], period: MonevPeriod
) -> None:
    """Where a kabupaten/kota's entered scores are kept (its root unit) and who reports its
    months (its perangkat daerah), in the structure of the period's last month."""
    if not kabupaten:
        return
    starts_on, ends_on = date(period.year, period.last_month, 1), month_end(period.year, period.last_month)
    ids = [subject.record.id for subject in kabupaten]
    roots: dict[int, OrgUnitRecord] = {}
    for root in await hierarchy.root_units_by_government_ids(conn, viewer, ids, starts_on=starts_on, ends_on=ends_on):
        roots.setdefault(root.government_id, root)  # the latest valid first
    below = await hierarchy.child_units_by_parent_ids(
        conn, viewer, [root.id for root in roots.values()], starts_on=starts_on, ends_on=ends_on
    )
    for subject in kabupaten:
        its_root = roots.get(subject.record.id)
        subject.unit_id = its_root.id if its_root else 0
        subject.reporters = sorted(unit.path for unit in below if its_root and unit.parent_id == its_root.id)


class Owners:
    """The subject a unit path lies under, by walking the path's ancestors (paths end with "/"):
    as fast for 600 subjects as for 6."""

    def __init__(self, subjects: list[Subject]) -> None:
        self.by_path = {s.path: s for s in subjects}

    def of(self, path: str) -> Subject | None:
        return next((self.by_path[p] for p in ancestors(path) if p in self.by_path), None)


def ancestors(path: str) -> list[str]:
    """`61/61.71/5/` → `61/61.71/5/`, `61/61.71/`, `61/`: the path and those above it."""
    parts = path.split("/")[:-1]
    return ["/".join(parts[:end]) + "/" for end in range(len(parts), 0, -1)]


async def _reports(
    conn: AsyncConnection,
    viewer: Viewer,
    government: GovernmentRecord,
    found: list[Subject],
    year: int,
    quarter: int,
    today: date,
) -> None:
    """Reports due so far this year (quarters 1..quarter) and how they were made, per subject."""
    owners = Owners(found)
    for asked in range(1, quarter + 1):
        period = Period(year, asked)
        for row in await reports.reporting_units(conn, viewer, scope_path=government.path, year=year, quarter=asked):
            subject = owners.of(row.unit.path)
            if subject is None:
                continue
            deadline = DeadlinePolicy(row.quarter_deadline_days, row.annual_deadline_days).deadline(period)
            submitted = row.report.submitted_at
            status = compliance_at(submitted_at=submitted, deadline=deadline, today=today)
            subject.count(status, of_the_period=asked == quarter)


async def _budgets(
    conn: AsyncConnection, government: GovernmentRecord, found: list[Subject], year: int, quarter: int
) -> None:
    rows = await conn.execute(_BUDGETS, {"year": year, "quarter": quarter, "prefix": government.path + "%"})
    owners = Owners(found)
    pagu: dict[str, Decimal] = {}
    spent: dict[str, Decimal] = {}
    for path, amount, realised in rows.all():
        subject = owners.of(path)
        if subject is not None:
            pagu[subject.key] = pagu.get(subject.key, Decimal(0)) + amount
            spent[subject.key] = spent.get(subject.key, Decimal(0)) + realised
    for subject in found:
        subject.platform["BUDGET_ABSORPTION"] = absorbed(
            pagu.get(subject.key, Decimal(0)), spent.get(subject.key, Decimal(0))
        )


async def _monthly_reports(
    conn: AsyncConnection, government: GovernmentRecord, found: list[Subject], period: MonevPeriod, today: date
) -> None:
    """Each reporting unit's progress for months 1..m, due by the 10th of the next month
    (domain.progress.month_deadline): reported when a line was first submitted under it."""
    first = await progress.first_submissions(conn, government.path, period.year, period.month)
    reporters = {reporter for subject in found for reporter in subject.reporters}
    submitted: dict[tuple[str, int], date] = {}
    for (path, month), at in first.items():
        reporter = next((p for p in ancestors(path) if p in reporters), None)
        if reporter is not None:
            earlier = submitted.get((reporter, month))
            submitted[(reporter, month)] = local_date(at) if earlier is None else min(earlier, local_date(at))
    for subject in found:
        for reporter in subject.reporters:
            for month in range(1, period.month + 1):
                status = compliance(
                    submitted_on=submitted.get((reporter, month)),
                    deadline=month_deadline(period.year, month),
                    today=today,
                )
                subject.count(status, of_the_period=month == period.month)


async def _progress(
    conn: AsyncConnection, government: GovernmentRecord, found: list[Subject], period: MonevPeriod
) -> None:
    """Physical progress and absorption of the period's last month, each org unit read from its
    budget in force at its finest level, then summed per ranked subject."""
    per_unit: dict[tuple[int, str], dict[BudgetKind, list[ProgressLine]]] = {}
    for record in await progress.under(conn, government.path, period.year, [period.last_month]):
        per_unit.setdefault((record.org_unit_id, record.unit_path), {}).setdefault(record.kind, []).append(record.line)
    owners = Owners(found)
    counted: dict[str, list[ProgressLine]] = {}
    kinds: dict[str, set[BudgetKind]] = {}
    for (_, path), by_kind in per_unit.items():
        subject = owners.of(path)
        if subject is None:
            continue
        kind, lines = in_force(by_kind)
        counted.setdefault(subject.key, []).extend(counted_lines(lines))
        if kind is not None:
            kinds.setdefault(subject.key, set()).add(kind)
    for subject in found:
        figures = progress_of(counted.get(subject.key, []))
        subject.platform["PHYSICAL_PROGRESS"] = figures.physical
        subject.platform["BUDGET_PLAN_ABSORPTION"] = figures.plan_absorption
        if period.is_month:
            subject.platform["BUDGET_ABSORPTION"] = figures.absorption
        in_use = kinds.get(subject.key, set())
        subject.budget_kind = next(iter(in_use)) if len(in_use) == 1 else None


def entries(rule: Rule, found: list[Subject]) -> list[Entry]:
    """Each subject's scores as the rule's groups take them: the platform's, or the entered."""
    return [
        Entry(
            subject.key,
            subject.name,
            {
                g.code: subject.platform.get(g.code) if g.source is Source.PLATFORM else subject.entered.get(g.code)
                for g in rule.groups
            },
            code=subject.code,
            reports_due=subject.reporting.expected,
            reports_in=subject.reporting.submitted,
            reports_on_time=subject.reporting.on_time,
            overdue=subject.overdue_this_period,
            budget_kind=None if subject.budget_kind is None else subject.budget_kind.value,
        )
        for subject in found
    ]


async def live_document(
    conn: AsyncConnection,
    viewer: Viewer,
    government: GovernmentRecord,
    period: MonevPeriod,
    units: Level,
    rule_record: monev.RuleRecord,
    window: AggregateWindow,
    today: date,
) -> dict[str, Any]:
    """The ranking as the data stand now (domain.monev.document), moved against the previous
    period's published ranking, or that period as it stands when none was published."""
    rule = rule_from_json(rule_record.rule)
    previous: dict[str, int] | None = None
    before = period.previous()
    if before is not None:
        key = (government.id, before, units)
        frozen = (await monev.published(conn, [key])).get(key)
        if frozen is not None:
            previous = ranks_of(orjson.loads(frozen.body))
        else:
            earlier = entries(rule, await subjects(conn, viewer, government, before, units, window, today))
            previous = {row.key: row.rank for row in rank(rule, before.quarter, earlier) if row.rank is not None}
    current = entries(rule, await subjects(conn, viewer, government, period, units, window, today))
    return document(rule, rule_record.version, period, current, rank(rule, period.quarter, current, previous))
