"""The SKP over GraphQL (actions/skp.py): the agency's distribution of predikat, and a mutation
per step: draft, agree, assess, finalise; the pemda's organisation-rating rule."""

import strawberry

from actions import skp
from actions.skp import RhkInput
from domain.skp import OrganisationRule, RhkTarget
from resolvers.writes import in_transaction
from schema.ids import pk_of
from schema.individual import holder_of
from schema.inputs import UserError
from schema.skp import (
    AgreeSkpInput,
    AssessSkpInput,
    AssessSkpPayload,
    DraftSkpInput,
    FinaliseRatingDistributionInput,
    OrganisationRatingRule,
    RatingDistribution,
    RatingDistributionPayload,
    SetOrganisationRatingRuleInput,
    SetOrganisationRatingRulePayload,
    Skp,
    SkpPayload,
)
from schema.skp import RhkInput as RhkInputType
from schema.types import Info
from store.skp import SkpRecord


async def rating_distribution(info: Info, unit: strawberry.ID, year: int) -> RatingDistribution | None:
    """Null when the unit is no perangkat daerah or the caller may not see its distribution."""
    holder = await holder_of(info)
    conn = await info.context.connection()
    found = await skp.readable_distribution(
        conn, caller=info.context.caller, holder=holder, agency_id=pk_of(unit, "OrgUnit"), year=year
    )
    return None if found is None else RatingDistribution(found=found)


def _rhk(item: RhkInputType) -> RhkInput:
    return RhkInput(
        description=item.description,
        targets=[RhkTarget(t.aspect, t.indicator, t.target, t.unit_of_measure) for t in item.targets],
        rhk_id=None if item.id is None else pk_of(item.id, "Rhk"),
        parent_id=None if item.parent_id is None else pk_of(item.parent_id, "Rhk"),
        indicator_id=None if item.indicator_id is None else pk_of(item.indicator_id, "Indicator"),
    )


def _skp_payload(value: SkpRecord | None, user_errors: list[UserError]) -> SkpPayload:
    return SkpPayload(skp=None if value is None else Skp.of(value), user_errors=user_errors)


async def draft_skp(info: Info, input: DraftSkpInput) -> SkpPayload:
    rhk = [_rhk(item) for item in input.rhk]
    done = await in_transaction(
        info,
        lambda conn: skp.draft_skp(
            conn, caller=info.context.caller, year=input.year, rhk=rhk, expected_version=input.expected_version
        ),
    )
    return _skp_payload(done.value, done.user_errors)


async def agree_skp(info: Info, input: AgreeSkpInput) -> SkpPayload:
    holder = await holder_of(info)
    done = await in_transaction(
        info,
        lambda conn: skp.agree_skp(
            conn, caller=info.context.caller, holder=holder, skp_id=pk_of(input.skp_id, "Skp"),
            expected_version=input.expected_version,
        ),
    )  # fmt: skip
    return _skp_payload(done.value, done.user_errors)


async def assess_skp(info: Info, input: AssessSkpInput) -> AssessSkpPayload:
    holder = await holder_of(info)
    done = await in_transaction(
        info,
        lambda conn: skp.assess_skp(
            conn, caller=info.context.caller, holder=holder, skp_id=pk_of(input.skp_id, "Skp"),
            expected_version=input.expected_version, results=input.results, behaviour=input.behaviour,
        ),
    )  # fmt: skip
    if done.value is None:
        return AssessSkpPayload(skp=None, distribution=None, user_errors=done.user_errors)
    conn = await info.context.connection()
    found = await skp.readable_distribution(
        conn, caller=info.context.caller, holder=holder, agency_id=done.value.agency_id, year=done.value.year
    )
    return AssessSkpPayload(
        skp=Skp.of(done.value), distribution=None if found is None else RatingDistribution(found=found), user_errors=[]
    )


async def finalise_rating_distribution(info: Info, input: FinaliseRatingDistributionInput) -> RatingDistributionPayload:
    holder = await holder_of(info)
    done = await in_transaction(
        info,
        lambda conn: skp.finalise_distribution(
            conn, caller=info.context.caller, holder=holder, agency_id=pk_of(input.unit_id, "OrgUnit"),
            year=input.year,
        ),
    )  # fmt: skip
    found = None if done.value is None else RatingDistribution(found=done.value)
    return RatingDistributionPayload(distribution=found, user_errors=done.user_errors)


async def set_organisation_rating_rule(
    info: Info, input: SetOrganisationRatingRuleInput
) -> SetOrganisationRatingRulePayload:
    rule = OrganisationRule(input.istimewa_from, input.baik_from, input.butuh_perbaikan_from, input.kurang_from)
    done = await in_transaction(
        info,
        lambda conn: skp.set_rating_rule(
            conn, caller=info.context.caller, government_code=input.government_code, rule=rule,
            rounding=input.rounding,
        ),
    )  # fmt: skip
    if done.value is None:
        return SetOrganisationRatingRulePayload(rule=None, user_errors=done.user_errors)
    kept, rounding = done.value
    return SetOrganisationRatingRulePayload(
        rule=OrganisationRatingRule(thresholds=list(kept.bounds), rounding=rounding), user_errors=[]
    )
