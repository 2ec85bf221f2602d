"""The Schema object: root types wired to resolvers, and the execution extensions."""

import decimal

import strawberry
from strawberry.extensions import (
    MaxAliasesLimiter,
    MaxTokensLimiter,
    ParserCache,
    QueryDepthLimiter,
    ValidationCache,
)

from resolvers import identity, query, structure, values
from schema.context import RequestConnection
from schema.errors import ErrorPolicy
from schema.identity import (
    ApiToken,
    CreateApiTokenPayload,
    GrantRolePayload,
    LoginPayload,
    Me,
    RevokeApiTokenPayload,
)
from schema.inputs import (
    CreateIndicatorPayload,
    CreateOrgUnitPayload,
    SetTargetsPayload,
    SubmitRealisationsPayload,
)
from schema.scalars import DecimalScalar
from schema.types import Government, IndicatorConnection, Node, OrgUnit, Rollup


@strawberry.type
class Query:
    node: Node | None = strawberry.field(resolver=query.node, description="Any object by its global id (Relay).")
    governments: list[Government] = strawberry.field(
        resolver=query.governments,
        description="Regional governments (pemerintah daerah), by kind or province.",
    )
    government: Government | None = strawberry.field(
        resolver=query.government, description="A government by its Kemendagri code (kode wilayah)."
    )
    indicators: IndicatorConnection = strawberry.field(
        resolver=query.indicators_connection, description="Indicators (indikator kinerja), a page at a time."
    )
    me: Me | None = strawberry.field(resolver=identity.me, description="The signed-in user; null when anonymous.")
    api_tokens: list[ApiToken] = strawberry.field(
        resolver=identity.api_tokens, description="The signed-in user's own API tokens."
    )
    rollup: Rollup | None = strawberry.field(
        resolver=query.rollup,
        description="Rollup of achievement (capaian agregat) of a Government or OrgUnit for a year or quarter.",
    )


@strawberry.type
class Mutation:
    login: LoginPayload = strawberry.mutation(
        resolver=identity.login, description="Sign in (masuk): a short-lived access token (JWT)."
    )
    create_api_token: CreateApiTokenPayload = strawberry.mutation(
        resolver=identity.create_api_token, description="Create a read-only API token for a third-party tool."
    )
    revoke_api_token: RevokeApiTokenPayload = strawberry.mutation(
        resolver=identity.revoke_api_token, description="Revoke one of your API tokens."
    )
    grant_role: GrantRolePayload = strawberry.mutation(
        resolver=identity.grant_role, description="Grant a role on a scope (ADMIN, inside its scope only)."
    )
    revoke_role: GrantRolePayload = strawberry.mutation(
        resolver=identity.revoke_role, description="Revoke a role granted on a scope."
    )
    create_org_unit: CreateOrgUnitPayload = strawberry.mutation(
        resolver=structure.create_org_unit, description="Create an org unit (unit organisasi)."
    )
    create_indicator: CreateIndicatorPayload = strawberry.mutation(
        resolver=structure.create_indicator,
        description="Create an indicator, optionally cascading from a parent.",
    )
    set_targets: SetTargetsPayload = strawberry.mutation(
        resolver=values.set_targets,
        description="Set annual or year-to-date quarterly targets, all-or-nothing.",
    )
    submit_realisations: SubmitRealisationsPayload = strawberry.mutation(
        resolver=values.submit_realisations,
        description="Submit quarterly realisations (realisasi) in a batch: all-or-nothing, idempotent by key.",
    )


schema = strawberry.Schema(
    query=Query,
    mutation=Mutation,
    types=[OrgUnit],
    scalar_overrides={decimal.Decimal: DecimalScalar},
    extensions=[
        ErrorPolicy,
        RequestConnection,
        lambda: ParserCache(maxsize=256),
        lambda: ValidationCache(maxsize=256),
        lambda: QueryDepthLimiter(max_depth=15),
        lambda: MaxAliasesLimiter(max_alias_count=30),
        lambda: MaxTokensLimiter(max_token_count=5000),
    ],
)
