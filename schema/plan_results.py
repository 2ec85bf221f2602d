"""The results form of a strategic plan (evaluasi hasil RPJMD / Renstra, Permendagri 86/2017
E.78 / E.79) as the API reads it (domain/plan_results.py computes it)."""

from decimal import Decimal
from typing import Self

import strawberry

from domain.plan_results import BudgetResult, IndicatorResult, PlanResults, RowResult
from schema.ids import encode_id


@strawberry.type(description="An indicator's row of the results form: performance (K, kinerja).")
class PlanIndicatorResult:
    indicator_pk: strawberry.Private[int]
    code: str
    name: str
    unit_of_measure: str
    baseline: Decimal | None = strawberry.field(description="Data capaian awal.")
    end_target: Decimal | None = strawberry.field(description="Target akhir periode rencana.")
    year_target: Decimal | None = strawberry.field(description="Target tahun ke-n.")
    realisation: Decimal | None = strawberry.field(description="Capaian (realisasi) tahun ke-n.")
    achievement: Decimal | None = strawberry.field(
        description="Tingkat capaian tahun ke-n, %, by the indicator's method (never capped; null for a target 0)."
    )
    to_date: Decimal | None = strawberry.field(
        description="Capaian s.d. tahun ke-n: the plan's years aggregated by periodAggregation."
    )
    end_ratio: Decimal | None = strawberry.field(description="Rasio capaian akhir, %: toDate against endTarget.")

    @classmethod
    def of(cls, result: IndicatorResult) -> Self:
        return cls(
            indicator_pk=result.indicator_id,
            code=result.code,
            name=result.name,
            unit_of_measure=result.unit_of_measure,
            baseline=result.baseline,
            end_target=result.end_target,
            year_target=result.year_target,
            realisation=result.realisation,
            achievement=result.achievement,
            to_date=result.to_date,
            end_ratio=result.end_ratio,
        )

    @strawberry.field
    def indicator_id(self) -> strawberry.ID:
        return strawberry.ID(encode_id("Indicator", self.indicator_pk))


@strawberry.type(description="A program's budget (Rp, anggaran) in the results form.")
class PlanBudgetResult:
    end_budget: Decimal | None = strawberry.field(description="Pagu of the plan's period (the program's budget).")
    year_budget: Decimal | None = strawberry.field(description="Pagu of year n: the year's signed agreements.")
    year_spending: Decimal | None = strawberry.field(description="Realisasi anggaran of year n.")
    year_absorption: Decimal | None = strawberry.field(description="Tingkat capaian (Rp), %.")
    spending_to_date: Decimal | None = strawberry.field(description="Realisasi anggaran s.d. tahun ke-n.")
    end_absorption: Decimal | None = strawberry.field(description="Rasio capaian akhir (Rp), %.")

    @classmethod
    def of(cls, result: BudgetResult) -> Self:
        return cls(
            end_budget=result.end_budget,
            year_budget=result.year_budget,
            year_spending=result.year_spending,
            year_absorption=result.year_absorption,
            spending_to_date=result.spending_to_date,
            end_absorption=result.end_absorption,
        )


@strawberry.type(description="A row of the results form: a sasaran, or a program under it with its budget.")
class PlanResultRow:
    kind: str = strawberry.field(description="OBJECTIVE (sasaran) or PROGRAM.")
    code: str = strawberry.field(description="The element's code; a program's is its SIPD code.")
    name: str
    parent: str = strawberry.field(description="A program's sasaran, a sasaran's tujuan.")
    budget: PlanBudgetResult | None = strawberry.field(description="A program's budget (Rp); null for a sasaran.")
    indicators: list[PlanIndicatorResult]

    @classmethod
    def of(cls, result: RowResult) -> Self:
        return cls(
            kind=result.kind,
            code=result.code,
            name=result.name,
            parent=result.parent,
            budget=PlanBudgetResult.of(result.budget) if result.budget else None,
            indicators=[PlanIndicatorResult.of(i) for i in result.indicators],
        )


@strawberry.type(
    description="Evaluation of a plan's results for year n (evaluasi hasil RPJMD/Renstra, Permendagri 86/2017 "
    "form E.78 for an RPJMD, E.79 for a Renstra)."
)
class PlanResultsForm:
    form: str = strawberry.field(description="E.78 or E.79.")
    plan_name: str
    unit_name: str
    first_year: int
    last_year: int
    year: int
    year_of_plan: int = strawberry.field(description="n: the plan's first year is 1.")
    rows: list[PlanResultRow] = strawberry.field(description="Each sasaran, followed by the programs under it.")

    @classmethod
    def of(cls, results: PlanResults) -> Self:
        return cls(
            form=results.form,
            plan_name=results.plan_name,
            unit_name=results.unit_name,
            first_year=results.first_year,
            last_year=results.last_year,
            year=results.year,
            year_of_plan=results.year_of_plan,
            rows=[PlanResultRow.of(row) for row in results.rows],
        )
