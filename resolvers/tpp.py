"""The TPP allowance over GraphQL (actions/tpp.py): a pemda's formula versions, and a mutation
per step: save a formula, record a month's facts, compute the agency's statements, pay."""

import asyncio

import strawberry

from actions import tpp
from actions.tpp import FactsInput
from domain.personnel import normalise_nip
from domain.tpp import OFFICIAL_ITEMS, SIAPTUBA_BANDS, STAFF_ITEMS, ComplianceItem, LatenessBand, TppFormula
from policies.permissions import Permission
from resolvers.writes import in_transaction
from schema.ids import decode_id, pk_of
from schema.tpp import (
    ComputeTppStatementsPayload,
    PayTppMonthPayload,
    RecordTppFactsInput,
    RecordTppFactsPayload,
    SaveTppFormulaInput,
    StartTppMonthJobInput,
    TppFormulaPayload,
    TppJobPayload,
    TppMonthInput,
)
from schema.tpp import TppFormula as TppFormulaType
from schema.tpp import TppJob as TppJobType
from schema.types import Info
from store import hierarchy
from store import tpp as tpp_store


async def tpp_formulas(info: Info, government_code: str) -> list[TppFormulaType]:
    """A pemda's TPP formula versions, oldest first: a published rule (Perkada), public."""
    conn = await info.context.connection()
    found = await hierarchy.governments_by_codes(conn, info.context.viewer, [government_code.strip()])
    if not found:
        return []
    return [TppFormulaType(record=r) for r in await tpp_store.formulas(conn, found[0].id)]


def _formula(input: SaveTppFormulaInput) -> TppFormula:
    return TppFormula(
        attendance_weight=input.attendance_weight,
        performance_weight=input.performance_weight,
        compliance_weight=input.compliance_weight,
        base_amounts={b.job_class: b.amount for b in input.base_amounts},
        presence_share=input.presence_share,
        apel_share=input.apel_share,
        staff_items={i.item: i.weight for i in input.staff_items} if input.staff_items is not None else STAFF_ITEMS,
        official_items=(
            {i.item: i.weight for i in input.official_items} if input.official_items is not None else OFFICIAL_ITEMS
        ),
        lateness=(
            tuple(LatenessBand(b.from_minutes, b.to_minutes, b.percent) for b in input.lateness)
            if input.lateness is not None
            else SIAPTUBA_BANDS
        ),
        missed_apel_percent=input.missed_apel_percent,
        apel_base=input.apel_base,
        rounding=input.rounding,
    )


async def save_tpp_formula(info: Info, input: SaveTppFormulaInput) -> TppFormulaPayload:
    formula = _formula(input)
    done = await in_transaction(
        info,
        lambda conn: tpp.save_formula(
            conn, caller=info.context.caller, government_code=input.government_code,
            effective_year=input.effective_year, effective_month=input.effective_month, formula=formula,
            reason=input.reason,
        ),
    )  # fmt: skip
    saved = None if done.value is None else TppFormulaType(record=done.value)
    return TppFormulaPayload(formula=saved, user_errors=done.user_errors)


async def record_tpp_facts(info: Info, input: RecordTppFactsInput) -> RecordTppFactsPayload:
    rows = [
        FactsInput(
            nip=normalise_nip(r.nip),
            working_days=r.working_days,
            days_present=r.days_present,
            apel_held=r.apel_held,
            apel_attended=r.apel_attended,
            late_minutes=list(r.late_minutes),
            compliance={ComplianceItem.BMD: r.bmd, ComplianceItem.TPTGR: r.tptgr, ComplianceItem.LHKPN: r.lhkpn},
        )
        for r in input.rows
    ]
    done = await in_transaction(
        info,
        lambda conn: tpp.record_facts(conn, caller=info.context.caller, year=input.year, month=input.month, rows=rows),
        dry_run=input.dry_run,
    )
    return RecordTppFactsPayload(recorded=done.value, user_errors=done.user_errors)


async def compute_tpp_statements(info: Info, input: TppMonthInput) -> ComputeTppStatementsPayload:
    done = await in_transaction(
        info,
        lambda conn: tpp.compute_statements(
            conn, caller=info.context.caller, agency_id=pk_of(input.agency_id, "OrgUnit"), year=input.year,
            month=input.month,
        ),
    )  # fmt: skip
    value = done.value
    return ComputeTppStatementsPayload(
        statements=value.statements if value else None, without_facts=value.without_facts if value else None,
        total=value.total if value else None, formula_version=value.formula.version if value else None,
        user_errors=done.user_errors,
    )  # fmt: skip


async def pay_tpp_month(info: Info, input: TppMonthInput) -> PayTppMonthPayload:
    done = await in_transaction(
        info,
        lambda conn: tpp.pay_month(
            conn, caller=info.context.caller, agency_id=pk_of(input.agency_id, "OrgUnit"), year=input.year,
            month=input.month,
        ),
    )  # fmt: skip
    value = done.value
    return PayTppMonthPayload(
        statements=value.statements if value else None, total=value.total if value else None,
        user_errors=done.user_errors,
    )  # fmt: skip


# The jobs this process runs, kept so that they are not collected before they finish.
RUNNING: set[asyncio.Task[None]] = set()


async def start_tpp_month_job(info: Info, input: StartTppMonthJobInput) -> TppJobPayload:
    """The job is written, then run in this process in the background; `tppJob(id)` follows it."""
    done = await in_transaction(
        info,
        lambda conn: tpp.start_month_job(
            conn, caller=info.context.caller, government_code=input.government_code, year=input.year,
            month=input.month,
        ),
    )  # fmt: skip
    if done.value is None:
        return TppJobPayload(job=None, user_errors=done.user_errors)
    task = asyncio.create_task(tpp.run_month_job(info.context.services.engine, info.context.caller, done.value.id))
    RUNNING.add(task)
    task.add_done_callback(RUNNING.discard)
    return TppJobPayload(job=TppJobType(record=done.value), user_errors=[])


async def tpp_job(info: Info, id: strawberry.ID) -> TppJobType | None:
    """A job, for those who compute or read the pemda's TPP; null for others."""
    decoded = decode_id(str(id))
    if decoded is None or decoded[0] != "TppJob":
        return None
    conn = await info.context.connection()
    found = await tpp_store.job(conn, decoded[1])
    governments = await hierarchy.governments_by_ids(conn, info.context.viewer, [found.government_id]) if found else []
    viewer = info.context.viewer
    if (
        found is None
        or not governments
        or not (
            viewer.may(Permission.COMPUTE_TPP, governments[0].path)
            or viewer.may(Permission.READ_TPP, governments[0].path)
        )
    ):
        return None
    return TppJobType(record=found)
