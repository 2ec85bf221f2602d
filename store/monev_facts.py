"""What a government's monev ranking reads for a quarter, per ranked unit (a perangkat daerah of a
pemda, a kabupaten/kota of a province), from the platform: the achievement rollup, the reports
due and made, the budget absorbed against the signed Perjanjian Kinerja, and the entered scores.

A fixed number of statements whatever the number of units: the rollup, one per quarter for the
reports (at most four), one for budgets, one for the roots of kabupaten/kota, one for scores.
"""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

import orjson
from sqlalchemy import func, select, text
from sqlalchemy.ext.asyncio import AsyncConnection

from domain.monev import Entry, Rule, Source, absorption, document, on_time_rate, rank, ranks_of, rule_from_json
from domain.periods import Period
from domain.workflow import Compliance, DeadlinePolicy, compliance
from policies.viewer import Viewer
from store import monev, reports
from store.aggregates import AggregateWindow
from store.records import GovernmentRecord, OrgUnitRecord
from store.rollups import ScopeKey, load_rollups
from store.tables import org_unit


@dataclass
class Subject:
    """One ranked unit and what the platform holds about it for the quarter."""

    key: str  # "unit:<id>" or "government:<id>": stable across periods, for the movement
    record: OrgUnitRecord | GovernmentRecord
    unit_id: int  # where its entered scores are kept: the unit, or a government's root unit
    platform: dict[str, Decimal | None] = field(default_factory=dict)
    entered: dict[str, Decimal] = field(default_factory=dict)
    reports_due: int = 0
    reports_in: int = 0
    reports_on_time: int = 0
    overdue_this_quarter: int = 0  # reports of the quarter past their deadline, not submitted

    @property
    def path(self) -> str:
        return self.record.path

    @property
    def name(self) -> str:
        return self.record.name

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
    year: int,
    quarter: int,
    window: AggregateWindow,
    today: date,
) -> list[Subject]:
    period = Period(year, quarter)
    key = ScopeKey("government", government.id)
    rollup = (await load_rollups(conn, viewer, [key], period, window)).get(key)
    children = (rollup.children or []) if rollup else []
    # A province ranks its kabupaten/kota; its own units (under its root unit) are not one of them.
    if any(isinstance(child.record, GovernmentRecord) for child in children):
        children = [child for child in children if isinstance(child.record, GovernmentRecord)]
    found: list[Subject] = []
    for child in children:
        record = child.record
        subject_key = f"{child.scope.kind}:{child.scope.id}"
        unit_id = record.id if isinstance(record, OrgUnitRecord) else 0
        totals = child.totals
        complete = totals.indicator_count > 0 and totals.missing_count == 0
        subject = Subject(subject_key, record, unit_id)
        subject.platform["ACHIEVEMENT"] = totals.percent() if complete else None
        found.append(subject)
    roots = await _roots(conn, [s.record.id for s in found if isinstance(s.record, GovernmentRecord)])
    for subject in found:
        if isinstance(subject.record, GovernmentRecord):
            subject.unit_id = roots.get(subject.record.id, 0)
    await _reports(conn, viewer, government, found, year, quarter, today)
    await _budgets(conn, government, found, year, quarter)
    entered = await monev.figures(conn, [s.unit_id for s in found if s.unit_id], year, quarter)
    for (unit_id, group), (value, _) in entered.items():
        for subject in found:
            if subject.unit_id == unit_id:
                subject.entered[group] = value
    return found


def _owner(subjects: list[Subject], path: str) -> Subject | None:
    return next((s for s in subjects if path.startswith(s.path)), None)  # paths end with "/"


async def _roots(conn: AsyncConnection, government_ids: list[int]) -> dict[int, int]:
    if not government_ids:
        return {}
    rows = await conn.execute(
        select(org_unit.c.government_id, func.min(org_unit.c.id))
        .where(org_unit.c.government_id.in_(government_ids), org_unit.c.parent_id.is_(None))
        .group_by(org_unit.c.government_id)
    )
    return {int(government_id): int(unit_id) for government_id, unit_id in rows.all()}


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
    for asked in range(1, quarter + 1):
        period = Period(year, asked)
        for row in await reports.reporting_units(conn, viewer, scope_path=government.path, year=year, quarter=asked):
            subject = _owner(found, row.unit.path)
            if subject is None:
                continue
            deadline = DeadlinePolicy(row.quarter_deadline_days, row.annual_deadline_days).deadline(period)
            submitted = row.report.submitted_at
            status = compliance(submitted_on=submitted.date() if submitted else None, deadline=deadline, today=today)
            if status is Compliance.NOT_DUE:
                continue
            subject.reports_due += 1
            subject.reports_in += status is not Compliance.MISSING
            subject.reports_on_time += status is Compliance.ON_TIME
            subject.overdue_this_quarter += asked == quarter and status is Compliance.MISSING
    for subject in found:
        subject.platform["ON_TIME_REPORTING"] = on_time_rate(subject.reports_on_time, subject.reports_due)


async def _budgets(
    conn: AsyncConnection, government: GovernmentRecord, found: list[Subject], year: int, quarter: int
) -> None:
    rows = await conn.execute(_BUDGETS, {"year": year, "quarter": quarter, "prefix": government.path + "%"})
    pagu: dict[str, Decimal] = {}
    spent: dict[str, Decimal] = {}
    for path, amount, realised in rows.all():
        subject = _owner(found, path)
        if subject is not None:
            pagu[subject.key] = pagu.get(subject.key, Decimal(0)) + amount
            spent[subject.key] = spent.get(subject.key, Decimal(0)) + realised
    for subject in found:
        subject.platform["BUDGET_ABSORPTION"] = absorption(
            spent.get(subject.key, Decimal(0)), pagu.get(subject.key, Decimal(0))
        )


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
            reports_due=subject.reports_due,
            reports_in=subject.reports_in,
            reports_on_time=subject.reports_on_time,
            overdue=subject.overdue_this_quarter,
        )
        for subject in found
    ]


async def live_document(
    conn: AsyncConnection,
    viewer: Viewer,
    government: GovernmentRecord,
    year: int,
    quarter: int,
    rule_record: monev.RuleRecord,
    window: AggregateWindow,
    today: date,
) -> dict[str, Any]:
    """The ranking as the data stand now (domain.monev.document), moved against the previous
    quarter's published ranking, or that quarter as it stands when none was published."""
    rule = rule_from_json(rule_record.rule)
    previous: dict[str, int] | None = None
    if quarter > 1:
        before = (await monev.published(conn, [(government.id, year, quarter - 1)])).get(
            (government.id, year, quarter - 1)
        )
        if before is not None:
            previous = ranks_of(orjson.loads(before.body))
        else:
            earlier = entries(rule, await subjects(conn, viewer, government, year, quarter - 1, window, today))
            previous = {row.key: row.rank for row in rank(rule, quarter - 1, earlier) if row.rank is not None}
    current = entries(rule, await subjects(conn, viewer, government, year, quarter, window, today))
    return document(rule, rule_record.version, quarter, current, rank(rule, quarter, current, previous))
