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

from resolvers import query, structure, values
from schema.context import RequestConnection
from schema.errors import ErrorPolicy
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
    rollup: Rollup | None = strawberry.field(
        resolver=query.rollup,
        description="Rollup of achievement (capaian agregat) of a Government or OrgUnit for a year or quarter.",
    )


@strawberry.type
class Mutation:
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
