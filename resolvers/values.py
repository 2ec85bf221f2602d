"""Batch mutations of targets and realisations (actions/values.py does the work)."""

from actions import values
from resolvers.writes import in_transaction
from schema.inputs import SetTargetsInput, SetTargetsPayload, SubmitRealisationsInput, SubmitRealisationsPayload
from schema.types import Info


async def submit_realisations(info: Info, input: SubmitRealisationsInput) -> SubmitRealisationsPayload:
    context = info.context
    done = await in_transaction(
        info,
        lambda conn: values.submit_realisations(
            conn,
            caller=context.caller,
            window=context.services.window,
            entries=input.entries(),
            idempotency_key=input.idempotency_key,
            months=input.month_entries(),
        ),
        dry_run=input.dry_run,
    )
    return SubmitRealisationsPayload.of(done.value, done.user_errors)


async def set_targets(info: Info, input: SetTargetsInput) -> SetTargetsPayload:
    context = info.context
    done = await in_transaction(
        info,
        lambda conn: values.set_targets(
            conn,
            caller=context.caller,
            window=context.services.window,
            entries=input.entries(),
            idempotency_key=input.idempotency_key,
        ),
    )
    return SetTargetsPayload.of(done.value, done.user_errors)
