"""Inputs and payloads of monthly realisations (realisasi bulanan) and reporting frequency."""

from typing import Self

import strawberry

from actions.monthly import WrittenMonths
from domain.entries import MonthlyEntry
from schema import enums
from schema.inputs import MonthlyRealisationInput, UserError, WrittenMonth, WrittenValue


@strawberry.input
class SubmitMonthlyRealisationsInput:
    idempotency_key: str = strawberry.field(description="Repeating a request with the same key writes nothing twice.")
    realisations: list[MonthlyRealisationInput]

    def entries(self) -> list[MonthlyEntry]:
        return [row.entry() for row in self.realisations]


@strawberry.type
class SubmitMonthlyRealisationsPayload:
    realisations: list[WrittenMonth]
    quarters: list[WrittenValue] = strawberry.field(
        description="Quarters derived anew from their months by this write (by periodAggregation: SUM and AVERAGE "
        "once all three months are in, LAST from the quarter's last month)."
    )
    replayed: bool = strawberry.field(description="True when an earlier request with this key was answered again.")
    user_errors: list[UserError]

    @classmethod
    def of(cls, written: WrittenMonths | None, user_errors: list[UserError]) -> Self:
        if written is None:
            return cls(realisations=[], quarters=[], replayed=False, user_errors=user_errors)
        return cls(
            realisations=[WrittenMonth.of(m) for m in written.months],
            quarters=[WrittenValue.of(q) for q in written.quarters],
            replayed=written.replayed,
            user_errors=user_errors,
        )


@strawberry.input(description="How often an indicator's realisation is entered (frekuensi pelaporan).")
class SetIndicatorReportingFrequencyInput:
    indicator_id: strawberry.ID
    reporting_frequency: enums.ReportingFrequency
