"""LKjIP queries and mutations (actions/lkjip.py): the figures of a unit's year, its documents
and signed versions; narrative, budget realisation, benchmarks, efficiency method, signing."""

import functools

import strawberry

from actions import lkjip
from actions.lkjip import AnalysisInput, BenchmarkInput, BudgetLineInput
from documents.lkjip.render import render_all
from domain.errors import DomainError
from domain.lkjip import Analysis, Benchmark, deadline
from domain.workflow import REPORTING_UNIT_KINDS
from policies.permissions import Permission
from resolvers.scopes import scope_path
from resolvers.writes import in_transaction, user_errors
from schema.errors import ApiError, bad_input
from schema.ids import decode_id_of, encode_id, pk_of
from schema.lkjip import (
    BenchmarksPayload,
    BudgetRealisationsPayload,
    Document,
    EfficiencyMethodPayload,
    LkjipVersion,
    PerformanceReport,
    PerformanceReportPayload,
    SaveLkjipNarrativeInput,
    SetEfficiencyMethodInput,
    SetIndicatorBenchmarksInput,
    SignPerformanceReportInput,
    SignPerformanceReportPayload,
    SubmitBudgetRealisationsInput,
    signed,
)
from schema.types import Info
from store import lkjip as lkjip_store

MIN_YEAR, MAX_YEAR = 2000, 2100


def _checked_year(year: int) -> int:
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise bad_input(f"year harus antara {MIN_YEAR} dan {MAX_YEAR}.")
    return year


async def performance_report(info: Info, org_unit_id: strawberry.ID, year: int) -> PerformanceReport | None:
    """A unit's LKjIP: its figures for those who may read the unit's values, and its signed
    versions (public) for everyone."""
    _checked_year(year)
    context = info.context
    unit = await context.loaders.org_unit_by_id.load(pk_of(org_unit_id, "OrgUnit"))
    if unit is None:
        return None
    if unit.kind not in REPORTING_UNIT_KINDS:
        raise ApiError("NOT_A_REPORTING_UNIT", "LKjIP disusun oleh perangkat daerah atau pemerintah daerah.")
    conn = await context.connection()
    versions = await lkjip_store.versions(conn, [(unit.id, year)])
    figures = None
    if context.viewer.may(Permission.READ_VALUES, unit.path):
        try:
            figures = await lkjip_store.gather(conn, context.viewer, unit.id, year)
        except DomainError as error:
            if not versions:
                raise ApiError(error.code, error.message) from error
    return PerformanceReport(
        unit_id=unit.id,
        unit_path=unit.path,
        figures=figures,
        versions_found=versions,
        year=year,
        due_on=deadline(year),
    )


async def documents(info: Info, scope: strawberry.ID, year: int | None = None) -> list[Document]:
    """Signed LKjIP of every unit under a Government or OrgUnit, newest year first (public)."""
    if year is not None:
        _checked_year(year)
    path = await scope_path(info, scope, argument="scope")
    if path is None:
        return []
    found = await lkjip_store.versions_under(await info.context.connection(), path, year)
    latest: dict[tuple[int, int], int] = {}
    for version in found:
        key = (version.org_unit_id, version.year)
        latest[key] = max(latest.get(key, 0), version.number)
    return [d for v in found for d in signed(v, latest[(v.org_unit_id, v.year)])]


UNIT_NOT_FOUND = DomainError("NOT_FOUND", "Unit kerja tidak ditemukan.", "orgUnitId")


async def _reread(info: Info, unit_pk: int, year: int) -> PerformanceReport | None:
    """The LKjIP as it stands after a write, as the caller may read it."""
    try:
        return await performance_report(info, strawberry.ID(encode_id("OrgUnit", unit_pk)), year)
    except ApiError:
        return None


def _analyses(input: SaveLkjipNarrativeInput) -> list[AnalysisInput] | DomainError:
    analyses = []
    for index, given in enumerate(input.analyses):
        indicator_pk = decode_id_of(given.indicator_id, "Indicator")
        if indicator_pk is None:
            return DomainError("NOT_FOUND", "Indikator tidak ditemukan.", f"analyses.{index}.indicatorId")
        analysis = Analysis(given.supporting_factors, given.inhibiting_factors, given.actions)
        analyses.append(AnalysisInput(indicator_pk, analysis))
    return analyses


async def save_lkjip_narrative(info: Info, input: SaveLkjipNarrativeInput) -> PerformanceReportPayload:
    unit_pk = decode_id_of(input.org_unit_id, "OrgUnit")
    analyses = _analyses(input) if unit_pk is not None else UNIT_NOT_FOUND
    if unit_pk is None or isinstance(analyses, DomainError):
        return PerformanceReportPayload(performance_report=None, user_errors=user_errors([analyses]))  # type: ignore[list-item]
    sections = {s.section: s.body for s in input.sections}
    done = await in_transaction(
        info,
        lambda conn: lkjip.save_narrative(
            conn, caller=info.context.caller, org_unit_id=unit_pk, year=input.year, sections=sections, analyses=analyses
        ),
    )
    report = None if done.user_errors else await _reread(info, unit_pk, input.year)
    return PerformanceReportPayload(performance_report=report, user_errors=done.user_errors)


async def submit_budget_realisations(info: Info, input: SubmitBudgetRealisationsInput) -> BudgetRealisationsPayload:
    unit_pk = decode_id_of(input.org_unit_id, "OrgUnit")
    if unit_pk is None:
        return BudgetRealisationsPayload(written=0, performance_report=None, user_errors=user_errors([UNIT_NOT_FOUND]))
    done = await in_transaction(
        info,
        lambda conn: lkjip.submit_budget_realisations(
            conn,
            caller=info.context.caller,
            org_unit_id=unit_pk,
            year=input.year,
            quarter=input.quarter,
            lines=[BudgetLineInput(line.code, line.amount) for line in input.lines],
            idempotency_key=input.idempotency_key,
        ),
    )
    report = None if done.user_errors else await _reread(info, unit_pk, input.year)
    return BudgetRealisationsPayload(written=done.value or 0, performance_report=report, user_errors=done.user_errors)


async def set_indicator_benchmarks(info: Info, input: SetIndicatorBenchmarksInput) -> BenchmarksPayload:
    entries = []
    for index, given in enumerate(input.benchmarks):
        indicator_pk = decode_id_of(given.indicator_id, "Indicator")
        if indicator_pk is None:
            error = DomainError("NOT_FOUND", "Indikator tidak ditemukan.", f"benchmarks.{index}.indicatorId")
            return BenchmarksPayload(written=0, user_errors=user_errors([error]))
        benchmark = Benchmark(given.province_value, given.national_value, given.province_source, given.national_source)
        entries.append(BenchmarkInput(indicator_pk, benchmark))
    done = await in_transaction(
        info, lambda conn: lkjip.set_benchmarks(conn, caller=info.context.caller, year=input.year, entries=entries)
    )
    return BenchmarksPayload(written=0 if done.user_errors else len(entries), user_errors=done.user_errors)


async def set_efficiency_method(info: Info, input: SetEfficiencyMethodInput) -> EfficiencyMethodPayload:
    done = await in_transaction(
        info,
        lambda conn: lkjip.set_efficiency_method(
            conn, caller=info.context.caller, government_code=input.government_code, method=input.method
        ),
    )
    ok = not done.user_errors
    return EfficiencyMethodPayload(
        government_code=input.government_code.strip() if ok else None,
        method=input.method if ok else None,
        user_errors=done.user_errors,
    )


async def sign_performance_report(info: Info, input: SignPerformanceReportInput) -> SignPerformanceReportPayload:
    unit_pk = decode_id_of(input.org_unit_id, "OrgUnit")
    if unit_pk is None:
        return SignPerformanceReportPayload(
            version=None, performance_report=None, user_errors=user_errors([UNIT_NOT_FOUND])
        )
    signing = functools.partial(
        lkjip.sign_lkjip, caller=info.context.caller, org_unit_id=unit_pk, year=input.year, paper=input.paper
    )
    done = await in_transaction(info, lambda conn: signing(conn, reason=input.reason, render=render_all))
    version = LkjipVersion.of(done.value, done.value.number) if done.value else None
    report = await _reread(info, unit_pk, input.year) if done.value else None
    return SignPerformanceReportPayload(version=version, performance_report=report, user_errors=done.user_errors)
