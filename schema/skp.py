"""GraphQL types of the SKP (Sasaran Kinerja Pegawai, PermenPANRB 6/2022, domain/skp.py): the
year's work results (RHK) under the superior's, their targets per aspect, the rating, and the
agency's distribution of predikat against its organisation rating's caps."""

from datetime import datetime
from decimal import Decimal
from typing import Self

import strawberry

from actions.skp import Distribution, OrganisationStanding
from domain.skp import (
    ORGANISATION_RATING_NAMES,
    PREDIKAT_NAMES,
    Aspect,
    Bound,
    CapCheck,
    Expectation,
    OrganisationRating,
    Predikat,
    Rounding,
    SkpState,
)
from schema.ids import encode_id
from schema.inputs import UserError
from schema.positions import Position
from schema.types import Indicator, Info, OrgUnit
from store.skp import RhkRecord, SkpRecord

strawberry.enum(
    Expectation,
    name="Expectation",
    description="A rating of results or behaviour against expectations: di bawah, sesuai, di atas ekspektasi.",
)
strawberry.enum(
    Predikat,
    name="Predikat",
    description="An employee's performance rating (predikat kinerja pegawai, 6/2022): Sangat Baik, Baik, "
    "Butuh Perbaikan, Kurang/Misconduct, Sangat Kurang.",
)
strawberry.enum(
    OrganisationRating,
    name="OrganisationRating",
    description="The organisation's rating (predikat kinerja organisasi) from its Perjanjian Kinerja achievement.",
)
strawberry.enum(
    SkpState,
    name="SkpState",
    description="DRAFT (the employee writes) → AGREED (by the superior; RHK fixed) → ASSESSED (rated) → FINAL "
    "(the agency's distribution finalised; frozen).",
)
strawberry.enum(Aspect, name="RhkAspect", description="Aspek target RHK: kuantitas, kualitas, waktu, biaya.")
strawberry.enum(Bound, name="CapBound", description="AT_LEAST (paling sedikit) or AT_MOST (paling banyak).")
strawberry.enum(
    Rounding,
    name="HeadCountRounding",
    description="How a share becomes a head-count: STRICT (minimums up, maximums down) or NEAREST (half up).",
)


@strawberry.type(description="A target of an RHK for one aspect.")
class RhkTarget:
    aspect: Aspect
    indicator: str = strawberry.field(description="What is measured (indikator kinerja individu).")
    target: Decimal
    unit_of_measure: str


@strawberry.type(description="A unit head's RHK achievement: the platform's capaian of the agreement indicator.")
class RhkAchievement:
    percent: Decimal
    as_of_quarter: int | None = strawberry.field(
        description="Null: of the whole year; else up to this quarter (s.d. triwulan), the latest reported."
    )


@strawberry.type(description="A work result (rencana hasil kerja, RHK) of an SKP.")
class Rhk:
    record: strawberry.Private[RhkRecord]
    year: strawberry.Private[int]

    @classmethod
    def of(cls, record: RhkRecord, year: int) -> Self:
        return cls(record=record, year=year)

    @strawberry.field
    def id(self) -> strawberry.ID:
        return strawberry.ID(encode_id("Rhk", self.record.id))

    @strawberry.field
    def description(self) -> str:
        return self.record.description

    @strawberry.field(description="The superior's RHK this one serves (RHK atasan yang diintervensi).")
    async def parent(self, info: Info) -> "Rhk | None":
        if self.record.parent_id is None:
            return None
        found = await info.context.loaders.individual.rhk_by_id.load(self.record.parent_id)
        return None if found is None else Rhk.of(found, self.year)

    @strawberry.field(
        description="The platform's indicators the RHK is: a unit head's Perjanjian Kinerja indicator, whose "
        "achievement is the platform's own (empty for other RHK and where the caller may not read it)."
    )
    async def indicators(self, info: Info) -> list[Indicator]:
        if self.record.indicator_id is None:
            return []
        found = await info.context.loaders.indicator_by_id.load(self.record.indicator_id)
        return [] if found is None else [Indicator.of(found)]

    @strawberry.field(
        description="A unit head's RHK: the platform's achievement of the agreement indicator (the same figure "
        "whoever reads the SKP); null for other RHK and before any realisation."
    )
    async def achievement(self, info: Info) -> RhkAchievement | None:
        if self.record.indicator_id is None:
            return None
        loader = info.context.loaders.individual.achievement_by_indicator_year
        found = await loader.load((self.record.indicator_id, self.year))
        return None if found is None else RhkAchievement(percent=found.percent, as_of_quarter=found.quarter)

    @strawberry.field
    def targets(self) -> list[RhkTarget]:
        return [RhkTarget(aspect=t.aspect, indicator=t.indicator, target=t.target, unit_of_measure=t.unit_of_measure)
                for t in self.record.targets]  # fmt: skip


@strawberry.type(description="An employee's SKP of a year (Sasaran Kinerja Pegawai).")
class Skp:
    record: strawberry.Private[SkpRecord]

    @classmethod
    def of(cls, record: SkpRecord) -> Self:
        return cls(record=record)

    @strawberry.field
    def id(self) -> strawberry.ID:
        return strawberry.ID(encode_id("Skp", self.record.id))

    @strawberry.field
    def year(self) -> int:
        return self.record.year

    @strawberry.field
    def state(self) -> SkpState:
        return self.record.state

    @strawberry.field(description="The position the SKP was drafted in.")
    async def position(self, info: Info) -> Position | None:
        found = await info.context.loaders.individual.position_by_id.load(self.record.position_id)
        return None if found is None else Position(record=found)

    @strawberry.field
    async def rhk(self, info: Info) -> list[Rhk]:
        loaded = await info.context.loaders.individual.rhk_by_skp_id.load(self.record.id)
        return [Rhk.of(r, self.record.year) for r in loaded]

    @strawberry.field(description="Rating hasil kerja; a unit head's is the unit's organisation rating.")
    def results_rating(self) -> Expectation | None:
        return self.record.results_rating

    @strawberry.field(description="Rating perilaku kerja (the seven BerAKHLAK values).")
    def behaviour_rating(self) -> Expectation | None:
        return self.record.behaviour_rating

    @strawberry.field(description="The predikat from the 6/2022 matrix of the two ratings.")
    def rating(self) -> Predikat | None:
        return self.record.predikat

    @strawberry.field(description="The predikat as printed, e.g. 'Butuh Perbaikan'.")
    def rating_name(self) -> str | None:
        return None if self.record.predikat is None else PREDIKAT_NAMES[self.record.predikat]

    @strawberry.field
    def agreed_by(self) -> str | None:
        return self.record.agreed_by

    @strawberry.field
    def agreed_at(self) -> datetime | None:
        return self.record.agreed_at

    @strawberry.field
    def assessed_by(self) -> str | None:
        return self.record.assessed_by

    @strawberry.field
    def assessed_at(self) -> datetime | None:
        return self.record.assessed_at

    @strawberry.field(description="Send it as expectedVersion with the next step.")
    def version(self) -> int:
        return self.record.version


@strawberry.type(
    name="OrganisationStanding",
    description="A unit's organisation rating (predikat kinerja organisasi) from its agreement.",
)
class OrganisationStandingType:
    standing: strawberry.Private[OrganisationStanding]

    @strawberry.field(description="Null while no agreement indicator has an achievement.")
    def rating(self) -> OrganisationRating | None:
        return self.standing.rating

    @strawberry.field
    def rating_name(self) -> str | None:
        return None if self.standing.rating is None else ORGANISATION_RATING_NAMES[self.standing.rating]

    @strawberry.field(description="Mean capaian (%) of the signed agreement's indicators that have one.")
    def mean_achievement(self) -> Decimal | None:
        return self.standing.mean_achievement

    @strawberry.field(description="Indicators of the signed agreement of the year.")
    def indicators(self) -> int:
        return self.standing.indicators

    @strawberry.field(description="Of them, with an achievement.")
    def measured(self) -> int:
        return self.standing.measured

    @strawberry.field(
        description="Null: the achievement of the whole year; else up to this quarter (s.d. triwulan), the latest "
        "reported while the year is not complete."
    )
    def as_of_quarter(self) -> int | None:
        return self.standing.as_of_quarter

    @strawberry.field(description="The lowest mean achievement of Istimewa, Baik, Butuh Perbaikan, Kurang (%).")
    def thresholds(self) -> list[Decimal]:
        return list(self.standing.rule.bounds)

    @strawberry.field
    def rounding(self) -> Rounding:
        return self.standing.rounding


@strawberry.type(description="A cap of the organisation rating on the employees' predikat, and the room left.")
class DistributionCap:
    check: strawberry.Private[CapCheck]

    @strawberry.field
    def ratings(self) -> list[Predikat]:
        return list(self.check.cap.ratings)

    @strawberry.field
    def bound(self) -> Bound:
        return self.check.cap.bound

    @strawberry.field
    def percent(self) -> int:
        return self.check.cap.percent

    @strawberry.field(description="The head-count the cap allows (AT_MOST) or requires (AT_LEAST).")
    def limit(self) -> int:
        return self.check.limit

    @strawberry.field(description="Employees rated so far with these predikat.")
    def actual(self) -> int:
        return self.check.actual

    @strawberry.field(
        description="AT_MOST: how many more may still be rated so (negative: over the cap); "
        "AT_LEAST: how many more must be."
    )
    def room(self) -> int:
        return self.check.room

    @strawberry.field
    def met(self) -> bool:
        return self.check.met

    @strawberry.field(description="The cap in words, with the numbers.")
    def description(self) -> str:
        return self.check.description


@strawberry.type
class PredikatCount:
    rating: Predikat
    count: int


@strawberry.type(
    description="An agency's predikat of a year against its organisation rating's caps (6/2022 kurva "
    "distribusi): counts only, never who got which."
)
class RatingDistribution:
    found: strawberry.Private[Distribution]

    @strawberry.field
    async def unit(self, info: Info) -> OrgUnit | None:
        unit = await info.context.loaders.org_unit_by_id.load(self.found.agency_id)
        return OrgUnit.of(unit) if unit else None

    @strawberry.field
    def year(self) -> int:
        return self.found.year

    @strawberry.field
    def organisation(self) -> OrganisationStandingType:
        return OrganisationStandingType(standing=self.found.standing)

    @strawberry.field(description="Employees the distribution counts: everyone in the agency but its head.")
    def employees(self) -> int:
        return self.found.employees

    @strawberry.field(description="Of them, rated.")
    def assessed(self) -> int:
        return self.found.assessed

    @strawberry.field
    def counts(self) -> list[PredikatCount]:
        return [PredikatCount(rating=p, count=n) for p, n in self.found.counts.items()]

    @strawberry.field
    def caps(self) -> list[DistributionCap]:
        return [DistributionCap(check=c) for c in self.found.checks]

    @strawberry.field(description="Finalised: the SKP are frozen.")
    def final(self) -> bool:
        return self.found.final is not None

    @strawberry.field
    def finalised_by(self) -> str | None:
        return None if self.found.final is None else self.found.final.finalised_by

    @strawberry.field
    def finalised_at(self) -> datetime | None:
        return None if self.found.final is None else self.found.final.finalised_at


@strawberry.input(description="A target of an RHK for one aspect.")
class RhkTargetInput:
    aspect: Aspect
    indicator: str
    target: Decimal
    unit_of_measure: str


@strawberry.input(description="An RHK of the draft: new (no id) or kept (its id).")
class RhkInput:
    description: str
    targets: list[RhkTargetInput]
    id: strawberry.ID | None = None
    parent_id: strawberry.ID | None = strawberry.field(
        default=None,
        description="The superior's RHK it serves; a unit head's agreement indicator finds it from the cascade.",
    )
    indicator_id: strawberry.ID | None = strawberry.field(
        default=None, description="A unit head's: the agreement Indicator this RHK is."
    )


@strawberry.input(
    description="Write the caller's draft SKP of a year: the RHK listed (a unit head's agreement indicators are "
    "RHK whether listed or not). expectedVersion is required once the draft exists."
)
class DraftSkpInput:
    year: int
    rhk: list[RhkInput]
    expected_version: int | None = None


@strawberry.type
class SkpPayload:
    skp: Skp | None
    user_errors: list[UserError]


@strawberry.input(description="The superior agrees a subordinate's draft SKP.")
class AgreeSkpInput:
    skp_id: strawberry.ID
    expected_version: int


@strawberry.input(
    description="The superior rates a subordinate's SKP; leave results empty for a unit head (it is the unit's "
    "organisation rating)."
)
class AssessSkpInput:
    skp_id: strawberry.ID
    expected_version: int
    behaviour: Expectation
    results: Expectation | None = None


@strawberry.type
class AssessSkpPayload:
    skp: Skp | None
    distribution: RatingDistribution | None = strawberry.field(
        description="The agency's distribution after this rating: the room left."
    )
    user_errors: list[UserError]


@strawberry.input(description="The agency head finalises the year's predikat; refused while a cap is broken.")
class FinaliseRatingDistributionInput:
    unit_id: strawberry.ID = strawberry.field(description="The perangkat daerah (OrgUnit).")
    year: int


@strawberry.type
class RatingDistributionPayload:
    distribution: RatingDistribution | None
    user_errors: list[UserError]


@strawberry.input(description="A pemda's rule from PK achievement to organisation rating (%, best first).")
class SetOrganisationRatingRuleInput:
    government_code: str
    istimewa_from: Decimal
    baik_from: Decimal
    butuh_perbaikan_from: Decimal
    kurang_from: Decimal
    rounding: Rounding = Rounding.STRICT


@strawberry.type
class OrganisationRatingRule:
    thresholds: list[Decimal]
    rounding: Rounding


@strawberry.type
class SetOrganisationRatingRulePayload:
    rule: OrganisationRatingRule | None
    user_errors: list[UserError]
