"""Monthly monev progress (actions/progress.py): the lines under a government for a month, and a
batch of them submitted."""

import strawberry

from actions.progress import ProgressInput, submit_progress
from policies.permissions import Permission
from resolvers.monev import period_of
from resolvers.writes import in_transaction
from schema.ids import decode_id_of, pk_of
from schema.monev import MonevProgressLine, MonevProgressPayload, SubmitMonevProgressInput
from schema.types import Info, OrgUnit
from store import progress


async def monev_progress(info: Info, scope: strawberry.ID, year: int, month: int) -> list[MonevProgressLine]:
    """The month's lines of the units under a Government or an OrgUnit, for those who may read
    their values or enter them."""
    period_of(year, None, month)  # a BAD_USER_INPUT error for a year or month out of range
    loaders = info.context.loaders
    government_pk, unit_pk = decode_id_of(scope, "Government"), decode_id_of(scope, "OrgUnit")
    scoped = (
        await loaders.government_by_id.load(government_pk)
        if government_pk is not None
        else await loaders.org_unit_by_id.load(unit_pk)
        if unit_pk is not None
        else None
    )
    if scoped is None:
        return []
    viewer = info.context.viewer
    records = [
        r
        for r in await progress.under(await info.context.connection(), scoped.path, year, [month])
        if viewer.may(Permission.READ_VALUES, r.unit_path) or viewer.may(Permission.WRITE_MONEV, r.unit_path)
    ]
    units = await loaders.org_unit_by_id.load_many([r.org_unit_id for r in records])
    return [
        MonevProgressLine(
            org_unit=OrgUnit.of(unit),
            month=r.month,
            budget_kind=r.kind,
            code=r.line.code.text,
            level=r.line.code.level.value,
            name=r.name,
            pagu=r.line.pagu,
            physical_target=r.line.physical_target,
            physical_realisation=r.line.physical,
            financial_target=r.line.financial_target,
            financial_realisation=r.line.financial,
            version=r.version,
            submitted_at=r.submitted_at,
            updated_by=r.updated_by,
            updated_at=r.updated_at,
        )
        for r, unit in zip(records, units, strict=True)
        if unit is not None
    ]


async def submit_monev_progress(info: Info, input: SubmitMonevProgressInput) -> MonevProgressPayload:
    lines = [
        ProgressInput(
            pk_of(i.org_unit_id, "OrgUnit"), i.code, i.name, i.pagu, i.physical_target, i.physical_realisation,
            i.financial_target, i.financial_realisation, i.expected_version,
        )
        for i in input.lines
    ]  # fmt: skip
    done = await in_transaction(
        info,
        lambda conn: submit_progress(
            conn, caller=info.context.caller, year=input.year, month=input.month, budget_kind=input.budget_kind,
            lines=lines, idempotency_key=input.idempotency_key,
        ),
    )  # fmt: skip
    return MonevProgressPayload(written=done.value or 0, user_errors=done.user_errors)
