"""Deterministic generator of the demo province: same seed, same rows, every run.

Kalimantan Barat and its 14 kabupaten/kota each get a pemda with IKU, ten perangkat daerah with
bidang and seksi, a 2025–2029 RPJMD, cascading indicators, targets for 2025–2026 and
realisations for 2025 Q1–Q4 and 2026 Q1–Q3, with some deliberately missing. Kota Pontianak
reorganised its Diskominfo in 2026 (a new unit replaces the old one), so the structure of 2025
and of 2026 differ.
"""

import random
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from demo.catalogue import (
    AGENCIES,
    GOALS,
    IKU_OBJECTIVE,
    MISSIONS,
    PEMDA_IKU,
    PROVINCE_VISION,
    SEKRETARIAT,
    IndicatorSpec,
)
from demo.reference import ROOT_UNIT_VALID_FROM, Region
from domain.months import months_of
from domain.workflow import ACTOR_OF, Actor, ReportAction, ReportState, comment_of, reporting_unit_id, transition

DEMO_PROVINCE = "61"
SOTK_2025 = date(2025, 1, 1)
REORGANISED_IN = ("61.71", "DISKOMINFO", date(2026, 1, 1), "Dinas Komunikasi, Informatika dan Statistik")
PERIODS = [(2025, q) for q in (1, 2, 3, 4)] + [(2026, q) for q in (1, 2, 3)]
MISSING_RATE = 0.03
# Kabupaten Kayong Utara has not reported 2026 Q3 at all: a late report the dashboards must show.
LATE_REPORT = ("61.11", 2026, 3)
# Kota Pontianak's Seksi Surveilans dan Imunisasi counts its activities month by month: its
# indicator reports monthly (issue 20), each quarter the sum of its months.
MONTHLY_INDICATORS = {("61.71", "DINKES.3.1-01")}
TWO_PLACES = Decimal("0.01")

Row = dict[str, Any]


def _money(value: Decimal) -> Decimal:
    return value.quantize(TWO_PLACES, rounding=ROUND_HALF_UP)


@dataclass
class Rows:
    """Rows per table, in insertion order."""

    tables: dict[str, list[Row]] = field(default_factory=lambda: defaultdict(list))
    next_id: dict[str, int] = field(default_factory=dict)

    def add(self, table: str, **values: Any) -> int:
        row_id = self.next_id.get(table, 1)
        self.next_id[table] = row_id + 1
        self.tables[table].append({"id": row_id, **values})
        return row_id

    def add_keyless(self, table: str, **values: Any) -> None:
        self.tables[table].append(values)


@dataclass(frozen=True)
class Placed:
    id: int
    path: str


def reference_rows(regions: list[Region], rows: Rows) -> dict[str, tuple[Placed, Placed]]:
    """Every government and its root unit; returns code -> (government, root unit)."""
    placed: dict[str, tuple[Placed, Placed]] = {}
    ids_by_code: dict[str, int] = {}
    for region in sorted(regions, key=lambda r: (r.parent_code is not None, r.code)):
        government_id = rows.add(
            "government",
            code=region.code,
            name=region.name,
            kind=region.kind.value,
            parent_id=ids_by_code.get(region.parent_code) if region.parent_code else None,
            path=region.path,
        )
        ids_by_code[region.code] = government_id
        root_id = rows.next_id.get("org_unit", 1)
        rows.add(
            "org_unit",
            government_id=government_id,
            parent_id=None,
            code=region.code,
            name=region.root_unit_name,
            kind="PEMDA",
            path=f"{region.path}{root_id}/",
            valid_from=ROOT_UNIT_VALID_FROM,
            valid_to=None,
            report_unit_id=root_id,
        )
        placed[region.code] = (
            Placed(government_id, region.path),
            Placed(root_id, f"{region.path}{root_id}/"),
        )
    return placed


class DemoBuilder:
    def __init__(self, rows: Rows, seed: int = 61) -> None:
        self.rows = rows
        self.seed = seed
        self.government_code = ""
        self.current_agency = ""
        self._rpjmd_version = 0

    def build(self, placed: dict[str, tuple[Placed, Placed]]) -> None:
        province_iku: dict[str, int] = {}
        codes = sorted(code for code in placed if code == DEMO_PROVINCE or code.startswith(DEMO_PROVINCE + "."))
        for code in codes:
            government, root = placed[code]
            self.government_code = code
            rng = random.Random(f"{self.seed}:{code}")
            performance = Decimal(str(round(rng.gauss(1.0, 0.06), 3)))
            self.current_agency = ""
            self._reports(root.id, ROOT_UNIT_VALID_FROM, None)
            objectives = self._plan(root.id, code)
            iku = self._pemda_indicators(rng, code, root, performance, objectives, province_iku)
            if code == DEMO_PROVINCE:
                province_iku = iku
            for agency in AGENCIES:
                self._agency(rng, code, government, root, agency, performance, iku)

    def _plan(self, root_id: int, code: str) -> dict[tuple[str, int], int]:
        """The pemda's RPJMD 2025–2029, first version: loaded as a draft and published once its
        content is in (demo.load.publish_loaded_plans), since published content is immutable."""
        plan_id = self.rows.add(
            "strategic_plan",
            org_unit_id=root_id,
            kind="RPJMD",
            name=f"RPJMD {code} 2025–2029",
            start_year=2025,
            end_year=2029,
        )
        version_id = self.rows.add(
            "plan_version",
            plan_id=plan_id,
            number=1,
            vision=PROVINCE_VISION if code == DEMO_PROVINCE else "Maju, Sejahtera dan Berdaya Saing",
            missions=list(MISSIONS),
            effective_from=date(2025, 1, 1),
            created_by="demo",
        )
        objectives: dict[tuple[str, int], int] = {}
        for goal_index, (goal_code, goal_name, objective_names) in enumerate(GOALS):
            goal_id = self.rows.add(
                "plan_element",
                version_id=version_id,
                kind="GOAL",
                parent_id=None,
                code=goal_code,
                name=goal_name,
                position=goal_index + 1,
                mission_number=min(goal_index + 1, len(MISSIONS)),
            )
            for index, name in enumerate(objective_names):
                objectives[(goal_code, index)] = self.rows.add(
                    "plan_element",
                    version_id=version_id,
                    kind="OBJECTIVE",
                    parent_id=goal_id,
                    code=f"{goal_code}.S{index + 1}",
                    name=name,
                    position=index + 1,
                    mission_number=None,
                )
        self._rpjmd_version = version_id
        return objectives

    def _pemda_indicators(
        self,
        rng: random.Random,
        code: str,
        root: Placed,
        performance: Decimal,
        objectives: dict[tuple[str, int], int],
        province_iku: dict[str, int],
    ) -> dict[str, int]:
        found = {}
        for spec in PEMDA_IKU:
            # A kabupaten/kota aligns its IKU with the province's (cross-government cascade).
            parent = province_iku.get(spec[0])
            indicator_id = self._indicator(rng, root, spec, performance, parent, measures_objective=True)
            found[spec[0]] = indicator_id
            self._place_in_plan(objectives[IKU_OBJECTIVE[spec[0]]], indicator_id, spec)
        return found

    def _place_in_plan(self, objective_id: int, indicator_id: int, spec: IndicatorSpec) -> None:
        """The IKU under its RPJMD sasaran: baseline (2024), a target per plan year, the end target."""
        base, change, scale = spec[5], spec[6], _option(spec, "scale")

        def target_of(year: int) -> Decimal:
            return base if scale else _money(base + change * (year - 2025))

        placed = self.rows.add(
            "plan_indicator",
            version_id=self._rpjmd_version,
            element_id=objective_id,
            indicator_id=indicator_id,
            position=len(self.rows.tables.get("plan_indicator", [])) + 1,
            baseline=target_of(2024),
            end_target=target_of(2029),
        )
        for year in range(2025, 2030):
            self.rows.add_keyless(
                "plan_target",
                plan_indicator_id=placed,
                year=year,
                version_id=self._rpjmd_version,
                value=target_of(year),
            )

    def _agency(
        self,
        rng: random.Random,
        code: str,
        government: Placed,
        root: Placed,
        agency: tuple[str, str, list[tuple[str, list[str]]], list[IndicatorSpec]],
        performance: Decimal,
        iku: dict[str, int],
    ) -> None:
        agency_code, name, divisions, specs = agency
        self.current_agency = agency_code
        versions: list[tuple[date, date | None, str]] = [(SOTK_2025, None, name)]
        if (code, agency_code) == REORGANISED_IN[:2]:
            new_from, new_name = REORGANISED_IN[2], REORGANISED_IN[3]
            versions = [(SOTK_2025, date(new_from.year - 1, 12, 31), name), (new_from, None, new_name)]
        for valid_from, valid_to, version_name in versions:
            unit = self._unit(government, root, agency_code, version_name, "PERANGKAT_DAERAH", valid_from, valid_to)
            agency_perf = performance * Decimal(str(round(rng.uniform(0.93, 1.07), 3)))
            agency_indicators = [
                self._indicator(rng, unit, spec, agency_perf, iku.get(_option(spec, "parent") or ""), valid_to=valid_to)
                for spec in specs
            ]
            self._divisions(
                rng,
                government,
                unit,
                agency_code,
                divisions,
                specs,
                agency_indicators,
                agency_perf,
                valid_from,
                valid_to,
            )

    def _divisions(
        self,
        rng: random.Random,
        government: Placed,
        agency: Placed,
        agency_code: str,
        divisions: list[tuple[str, list[str]]],
        specs: list[IndicatorSpec],
        agency_indicators: list[int],
        performance: Decimal,
        valid_from: date,
        valid_to: date | None,
    ) -> None:
        lead_spec, lead_id = specs[0], agency_indicators[0]
        computed = "sum_children" in lead_spec[7]
        for index, (division, sections) in enumerate([SEKRETARIAT, *divisions], 1):
            unit = self._unit(
                government,
                agency,
                f"{agency_code}.{index}",
                division,
                "ESELON_III",
                valid_from,
                valid_to,
                parent=agency,
            )
            if computed and index > 1:
                # Each bidang delivers a share of the agency's count; the agency's figure is their sum.
                share = _money(lead_spec[5] / len(divisions))
                spec: IndicatorSpec = (
                    f"{lead_spec[0]}.{index}",
                    f"{lead_spec[1]} ({division})",
                    lead_spec[2],
                    lead_spec[3],
                    "SUM",
                    share,
                    _money(lead_spec[6] / len(divisions)),
                    (),
                )
            elif index == 1:
                spec = (
                    f"SEK-{agency_code}",
                    "Persentase dokumen perencanaan dan pelaporan tepat waktu",
                    "%",
                    "HIGHER_IS_BETTER",
                    "LAST",
                    Decimal(95),
                    Decimal(1),
                    (),
                )
            else:
                spec = (
                    f"{agency_code}.{index}-01",
                    f"Persentase program {division} yang terlaksana",
                    "%",
                    "HIGHER_IS_BETTER",
                    "LAST",
                    Decimal(90),
                    Decimal(2),
                    (),
                )
            division_perf = performance * Decimal(str(round(rng.uniform(0.95, 1.05), 3)))
            division_indicator = self._indicator(rng, unit, spec, division_perf, lead_id, valid_to=valid_to)
            for section_index, section in enumerate(sections, 1):
                section_unit = self._unit(
                    government,
                    unit,
                    f"{agency_code}.{index}.{section_index}",
                    section,
                    "ESELON_IV",
                    valid_from,
                    valid_to,
                    parent=unit,
                )
                section_spec: IndicatorSpec = (
                    f"{agency_code}.{index}.{section_index}-01",
                    f"Jumlah kegiatan {section} yang terlaksana",
                    "kegiatan",
                    "HIGHER_IS_BETTER",
                    "SUM",
                    Decimal(12),
                    Decimal(0),
                    (),
                )
                self._indicator(rng, section_unit, section_spec, division_perf, division_indicator, valid_to=valid_to)

    def _unit(
        self,
        government: Placed,
        parent_unit: Placed,
        code: str,
        name: str,
        kind: str,
        valid_from: date,
        valid_to: date | None,
        parent: Placed | None = None,
    ) -> Placed:
        unit_id = self.rows.next_id.get("org_unit", 1)
        path = f"{parent_unit.path}{unit_id}/"
        self.rows.add(
            "org_unit",
            government_id=government.id,
            parent_id=(parent or parent_unit).id,
            code=code,
            name=name,
            kind=kind,
            path=path,
            valid_from=valid_from,
            valid_to=valid_to,
            report_unit_id=reporting_unit_id(path, government.path),
        )
        if kind == "PERANGKAT_DAERAH":
            self._reports(unit_id, valid_from, valid_to)
        return Placed(unit_id, path)

    def _reports(self, unit_id: int, valid_from: date, valid_to: date | None) -> None:
        for year, quarter, state, submitted_on in report_history(self.government_code, self.current_agency, valid_to):
            if year < valid_from.year:
                continue
            submitted_at = datetime.combine(submitted_on, time(9), tzinfo=UTC)
            report_id = self.rows.add(
                "report",
                org_unit_id=unit_id,
                year=year,
                quarter=quarter,
                state=state,
                approvals=0 if state in ("SUBMITTED", "RETURNED") else 1,
                submitted_at=submitted_at,
                reviewed_by=None if state == "SUBMITTED" else f"reviewer.{self.government_code}",
            )
            commented: set[str] = set()
            for action, reached, actor, days, reason in report_steps(state, self.government_code):
                at = submitted_at + timedelta(days=days)
                self.rows.add(
                    "report_transition", report_id=report_id, action=action, state=reached, actor=actor,
                    reason=reason, at=at,
                )  # fmt: skip
                # As actions.reports.transition_report keeps it: a return's reason is also a comment,
                # once per step (a step may pass several states).
                if (body := comment_of(ReportAction(action), reason)) is not None and action not in commented:
                    commented.add(action)
                    self.rows.add("comment", report_id=report_id, author=actor, body=body, created_at=at)

    def _indicator(
        self,
        rng: random.Random,
        unit: Placed,
        spec: IndicatorSpec,
        performance: Decimal,
        parent_id: int | None,
        *,
        measures_objective: bool = False,
        valid_to: date | None = None,
    ) -> int:
        code, name, satuan, polarity, aggregation, base, change, options = spec
        scale = _option(spec, "scale")
        width = _option(spec, "range")
        method = "RANGE" if width else ("RATIO" if polarity == "HIGHER_IS_BETTER" else "MIRROR")
        monthly = (self.government_code, code) in MONTHLY_INDICATORS
        indicator_id = self.rows.add(
            "indicator",
            org_unit_id=unit.id,
            parent_id=parent_id,
            code=code,
            name=name,
            unit_of_measure=satuan,
            polarity=polarity,
            achievement_method=method,
            type="IMPACT" if "key" in options and measures_objective else ("OUTCOME" if "key" in options else "OUTPUT"),
            is_key="key" in options,
            period_aggregation=aggregation,
            rollup_from_children="SUM" if "sum_children" in options else "NONE",
            weight=Decimal(2) if "key" in options else Decimal(1),
            allow_negative="neg" in options,
            ordinal_scale=scale,
            definition=f"{name} pada akhir periode pelaporan.",
            formula="",
            data_source="BPS / laporan perangkat daerah",
            reporting_frequency="MONTHLY" if monthly else "QUARTERLY",
        )
        years = [y for y in (2025, 2026) if valid_to is None or y <= valid_to.year]
        annual_by_year = {}
        for year in years:
            annual = base if scale else _money(base + change * (year - 2025))
            annual_by_year[year] = annual
            high = _money(annual + Decimal(width)) if width else None
            self.rows.add_keyless("target", indicator_id=indicator_id, year=year, quarter=0, value=annual, high=high)
            if aggregation == "SUM":
                for quarter in (1, 2, 3, 4):
                    self.rows.add_keyless(
                        "target",
                        indicator_id=indicator_id,
                        year=year,
                        quarter=quarter,
                        value=_money(annual * quarter / 4),
                        high=None,
                    )
        if "sum_children" not in options:
            self._realisations(rng, indicator_id, spec, annual_by_year, performance, monthly=monthly)
        return indicator_id

    def _realisations(
        self,
        rng: random.Random,
        indicator_id: int,
        spec: IndicatorSpec,
        annual_by_year: dict[int, Decimal],
        performance: Decimal,
        *,
        monthly: bool = False,
    ) -> None:
        _, _, _, polarity, aggregation, _, _, options = spec
        scale = _option(spec, "scale")
        for year, quarter in PERIODS:
            annual = annual_by_year.get(year)
            if annual is None or ("annual" in options and quarter != 4):
                continue
            if (self.government_code, year, quarter) == LATE_REPORT or rng.random() < MISSING_RATE:
                continue
            noise = Decimal(str(round(rng.uniform(0.9, 1.08), 3)))
            if scale:
                top = 7 if scale == "SAKIP_GRADE" else 4
                value = Decimal(max(1, min(top, int(annual) + rng.choice((-1, 0, 0, 1)))))
            elif aggregation == "SUM":
                value = _money(annual / 4 * performance * noise)
            elif polarity == "LOWER_IS_BETTER":
                value = _money(annual / (performance * noise))
            else:
                value = _money(annual * performance * noise)
            self.rows.add_keyless(
                "realisation", indicator_id=indicator_id, year=year, quarter=quarter, value=value, note=""
            )
            if monthly:
                self._months(indicator_id, year, quarter, value, aggregation)

    def _months(self, indicator_id: int, year: int, quarter: int, value: Decimal, aggregation: str) -> None:
        """Three months that make the quarter's value by its aggregation (domain/months.py)."""
        if aggregation == "SUM":
            first = _money(value / 3)
            values = [first, first, value - 2 * first]
        else:
            values = [value, value, value]
        for month, month_value in zip(months_of(quarter), values, strict=True):
            self.rows.add_keyless(
                "monthly_realisation", indicator_id=indicator_id, year=year, month=month, value=month_value, note=""
            )


# Kota Singkawang has reported nothing yet; Pontianak's Dinas Kesehatan and the city itself have
# not submitted 2026 Q3 (the walkthrough in README starts there).
NOT_REPORTING = "61.72"
STORY_DRAFTS = {("61.71", "DINKES"), ("61.71", "")}


def report_history(government_code: str, agency_code: str, valid_to: date | None) -> list[tuple[int, int, str, date]]:
    """(year, quarter, state, submitted on) of a reporting unit's reports; quarter 0 is annual.

    2025 is published, 2026 Q1–Q2 locked, 2026 Q3 mixed: mostly submitted (some late), a few
    returned, some not submitted at all (missing after the 10 October deadline).
    """
    if government_code == NOT_REPORTING:
        return []
    rng = random.Random(f"reports:{government_code}:{agency_code}")
    history: list[tuple[int, int, str, date]] = []
    for quarter in (1, 2, 3, 4, 0):
        ends = date(2025, 12, 31) if quarter == 0 else date(2025, quarter * 3, 28)
        history.append((2025, quarter, "PUBLISHED", ends + timedelta(days=8)))
    if valid_to is not None and valid_to.year < 2026:
        return history
    history += [(2026, 1, "LOCKED", date(2026, 4, 9)), (2026, 2, "LOCKED", date(2026, 7, 8))]
    if government_code == LATE_REPORT[0] or (government_code, agency_code) in STORY_DRAFTS:
        return history
    draw = rng.random()
    if draw < 0.6:
        history.append((2026, 3, "SUBMITTED", date(2026, 10, 8) if draw < 0.45 else date(2026, 10, 14)))
    elif draw < 0.7:
        history.append((2026, 3, "RETURNED", date(2026, 10, 9)))
    return history


# The actions that bring a demo report to its state, and the role that takes each one.
ACTIONS_TO = {
    "SUBMITTED": (ReportAction.SUBMIT,),
    "RETURNED": (ReportAction.SUBMIT, ReportAction.RETURN),
    "LOCKED": (ReportAction.SUBMIT, ReportAction.APPROVE),
    "PUBLISHED": (ReportAction.SUBMIT, ReportAction.APPROVE, ReportAction.PUBLISH),
}
ROLE_OF = {Actor.SUBMITTER: "operator", Actor.REVIEWER: "reviewer", Actor.PUBLISHER: "leader"}
DAYS_AFTER_SUBMISSION = {
    ReportAction.SUBMIT: 0, ReportAction.RETURN: 1, ReportAction.APPROVE: 2, ReportAction.PUBLISH: 5,
}  # fmt: skip
RETURN_REASON = "Lengkapi bukti dukung realisasi triwulan ini."


def report_steps(state: str, government_code: str) -> list[tuple[str, str, str, int, str | None]]:
    """(action, state reached, actor, days after submission, reason) of the history a report in
    `state` went through, each step as domain.workflow.transition takes it (a perangkat daerah's
    report has one approval: the approval passes APPROVED and locks it)."""
    steps: list[tuple[str, str, str, int, str | None]] = []
    current, approvals = ReportState.DRAFT, 0
    for action in ACTIONS_TO[state]:
        reason = RETURN_REASON if action is ReportAction.RETURN else None
        step = transition(current, action, approvals=approvals, chain_length=1, reason=reason)
        actor = f"{ROLE_OF[ACTOR_OF[action]]}.{government_code}"
        for reached in (*step.passed, step.state):
            steps.append((action.value, reached.value, actor, DAYS_AFTER_SUBMISSION[action], reason))
        current, approvals = step.state, step.approvals
    return steps


def _option(spec: IndicatorSpec, name: str) -> str | None:
    for option in spec[7]:
        key, _, value = option.partition(":")
        if key == name:
            return value
    return None
