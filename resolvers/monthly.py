"""Monthly realisations and an indicator's reporting frequency (actions/monthly.py and
actions/structure.py do the work)."""

from actions import monthly, structure
from resolvers.writes import in_transaction
from schema.ids import pk_of
from schema.inputs import CreateIndicatorPayload
from schema.monthly import (
    SetIndicatorReportingFrequencyInput,
    SubmitMonthlyRealisationsInput,
    SubmitMonthlyRealisationsPayload,
)
from schema.types import Indicator, Info


async def submit_monthly_realisations(
    info: Info, input: SubmitMonthlyRealisationsInput
) -> SubmitMonthlyRealisationsPayload:
    context = info.context
    done = await in_transaction(
        info,
        lambda conn: monthly.submit_monthly_realisations(
            conn,
            caller=context.caller,
            window=context.services.window,
            entries=input.entries(),
            idempotency_key=input.idempotency_key,
        ),
    )
    return SubmitMonthlyRealisationsPayload.of(done.value, done.user_errors)


async def set_indicator_reporting_frequency(
    info: Info, input: SetIndicatorReportingFrequencyInput
) -> CreateIndicatorPayload:
    done = await in_transaction(
        info,
        lambda conn: structure.set_reporting_frequency(
            conn,
            caller=info.context.caller,
            indicator_id=pk_of(input.indicator_id, "Indicator"),
            frequency=input.reporting_frequency,
        ),
    )
    return CreateIndicatorPayload(
        indicator=Indicator.of(done.value) if done.value else None, user_errors=done.user_errors
    )
