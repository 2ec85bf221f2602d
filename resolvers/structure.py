"""Mutations that shape the hierarchy and the indicators (actions/structure.py does the work)."""

from actions import reorganisation, structure
from resolvers.writes import in_transaction
from schema.ids import optional_pk_of, pk_of
from schema.inputs import (
    CreateIndicatorInput,
    CreateIndicatorPayload,
    CreateOrgUnitInput,
    CreateOrgUnitPayload,
    MoveIndicatorInput,
    ReorganizeOrgUnitsInput,
    ReorganizeOrgUnitsPayload,
    RetireIndicatorInput,
    UpdateIndicatorDefinitionInput,
)
from schema.types import Indicator, Info, OrgUnit


async def create_org_unit(info: Info, input: CreateOrgUnitInput) -> CreateOrgUnitPayload:
    context = info.context
    done = await in_transaction(
        info,
        lambda conn: structure.create_org_unit(
            conn,
            caller=context.caller,
            parent_id=optional_pk_of(input.parent_id, "OrgUnit"),
            government_code=input.government_code,
            code=input.code,
            name=input.name,
            kind=input.kind,
            valid_from=input.valid_from or context.today,
            valid_to=input.valid_to,
        ),
    )
    return CreateOrgUnitPayload(org_unit=OrgUnit.of(done.value) if done.value else None, user_errors=done.user_errors)


async def create_indicator(info: Info, input: CreateIndicatorInput) -> CreateIndicatorPayload:
    context = info.context
    done = await in_transaction(
        info,
        lambda conn: structure.create_indicator(
            conn, caller=context.caller, window=context.services.window, new=input.new_indicator()
        ),
    )
    indicator = Indicator.of(done.value) if done.value else None
    return CreateIndicatorPayload(indicator=indicator, user_errors=done.user_errors)


async def update_indicator_definition(info: Info, input: UpdateIndicatorDefinitionInput) -> CreateIndicatorPayload:
    context = info.context
    done = await in_transaction(
        info,
        lambda conn: structure.update_indicator_definition(
            conn, caller=context.caller, window=context.services.window, change=input.change()
        ),
    )
    indicator = Indicator.of(done.value) if done.value else None
    return CreateIndicatorPayload(indicator=indicator, user_errors=done.user_errors)


async def retire_indicator(info: Info, input: RetireIndicatorInput) -> CreateIndicatorPayload:
    context = info.context
    done = await in_transaction(
        info,
        lambda conn: structure.retire_indicator(
            conn,
            caller=context.caller,
            window=context.services.window,
            indicator_id=pk_of(input.indicator_id, "Indicator"),
            from_year=input.from_year,
            reason=input.reason,
        ),
    )
    return CreateIndicatorPayload(
        indicator=Indicator.of(done.value) if done.value else None, user_errors=done.user_errors
    )


async def move_indicator(info: Info, input: MoveIndicatorInput) -> CreateIndicatorPayload:
    context = info.context
    done = await in_transaction(
        info,
        lambda conn: structure.move_indicator(
            conn,
            caller=context.caller,
            window=context.services.window,
            indicator_id=pk_of(input.indicator_id, "Indicator"),
            org_unit_id=pk_of(input.org_unit_id, "OrgUnit"),
            reason=input.reason,
        ),
    )
    return CreateIndicatorPayload(
        indicator=Indicator.of(done.value) if done.value else None, user_errors=done.user_errors
    )


async def reorganize_org_units(info: Info, input: ReorganizeOrgUnitsInput) -> ReorganizeOrgUnitsPayload:
    context = info.context
    done = await in_transaction(
        info,
        lambda conn: reorganisation.reorganize_org_units(
            conn, caller=context.caller, window=context.services.window, change=input.change()
        ),
    )
    successors = [OrgUnit.of(unit) for unit in done.value or []]
    return ReorganizeOrgUnitsPayload(successors=successors, user_errors=done.user_errors)
