"""Inputs and payloads of monthly realisations (realisasi bulanan) and reporting frequency."""

from decimal import Decimal
from typing import Self

import strawberry

from actions.monthly import WrittenMonths
from domain.entries import CheckedMonth, MonthlyEntry
from schema import enums
from schema.ids import decode_id_of, encode_id
from schema.inputs import UserError, WrittenValue
from schema.rows import scalar_rows
from schema.types import Indicator, Info


@scalar_rows
@strawberry.input(description="A month's realisation (realisasi bulanan) of an indicator that reports monthly.")
class MonthlyRealisationInput:
    indicator_id: strawberry.ID
    year: int
    month: int = strawberry.field(description="1–12.")
    value: Decimal | None = None
    grade: str | None = strawberry.field(default=None, description="Predikat, for ordinal-scale indicators.")
    note: str = ""
    expected_version: int | None = strawberry.field(
        default=None, description="The version being replaced (MonthlyRealisation.version); omit for a new value."
    )


@strawberry.input
class SubmitMonthlyRealisationsInput:
    idempotency_key: str = strawberry.field(description="Repeating a request with the same key writes nothing twice.")
    realisations: list[MonthlyRealisationInput]

    def entries(self) -> list[MonthlyEntry]:
        return [
            MonthlyEntry(
                indicator_id=decode_id_of(row.indicator_id, "Indicator"),
                year=row.year,
                month=row.month,
                value=row.value,
                grade=row.grade,
                note=row.note,
                expected_version=row.expected_version,
            )
            for row in self.realisations
        ]


@strawberry.type(description="A month as written by submitMonthlyRealisations.")
class WrittenMonth:
    indicator_pk: strawberry.Private[int]
    year: int
    month: int
    value: Decimal
    note: str

    @classmethod
    def of(cls, row: CheckedMonth) -> Self:
        return cls(indicator_pk=row.indicator_id, year=row.year, month=row.month, value=row.value, note=row.note)

    @strawberry.field
    def indicator_id(self) -> strawberry.ID:
        return strawberry.ID(encode_id("Indicator", self.indicator_pk))

    @strawberry.field
    async def indicator(self, info: Info) -> Indicator | None:
        record = await info.context.loaders.indicator_by_id.load(self.indicator_pk)
        return Indicator.of(record) if record else None


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
