"""schema.graphql is the published contract: it must match the code (`make schema` rewrites it)."""

from pathlib import Path

from api.schema import schema

SCHEMA_FILE = Path(__file__).resolve().parent.parent / "schema.graphql"


def test_schema_file_matches_the_code() -> None:
    assert SCHEMA_FILE.read_text() == schema.as_str() + "\n", "schema.graphql is stale: run `make schema`"


def test_contract_names_are_present() -> None:
    sdl = schema.as_str()
    for fragment in (
        "node(id: ID!): Node",
        "governments(kind: GovernmentKind = null, parentCode: String = null): [Government!]!",
        "government(code: String!): Government",
        "indicators(filter: IndicatorFilter = null, first: Int = null, after: String = null): IndicatorConnection!",
        "rollup(scope: ID!, year: Int!, quarter: Int = null): Rollup",
        "createOrgUnit(input: CreateOrgUnitInput!): CreateOrgUnitPayload!",
        "createIndicator(input: CreateIndicatorInput!): CreateIndicatorPayload!",
        "setTargets(input: SetTargetsInput!): SetTargetsPayload!",
        "submitRealisations(input: SubmitRealisationsInput!): SubmitRealisationsPayload!",
    ):
        assert fragment in sdl
