"""GraphQL over HTTP conventions: media types, GET for queries only, typed errors, health."""

from tests.api.client import Api

PING = "query Ping { governments(kind: PROVINSI) { code } }"


async def test_a_query_over_get_is_answered(demo_api: Api) -> None:
    response = await demo_api.client.get("/graphql", params={"query": PING})
    assert response.status_code == 200
    assert len(response.json()["data"]["governments"]) == 38


async def test_a_mutation_over_get_is_refused(demo_api: Api) -> None:
    mutation = 'mutation { submitRealisations(input: {idempotencyKey: "g", realisations: []}) { replayed } }'
    response = await demo_api.client.get("/graphql", params={"query": mutation})
    assert response.status_code == 405


async def test_graphql_response_media_type_is_honoured(demo_api: Api) -> None:
    asked = await demo_api.post(PING, accept="application/graphql-response+json")
    plain = await demo_api.post(PING, accept="application/json")
    assert asked.headers["content-type"] == "application/graphql-response+json"
    assert plain.headers["content-type"] == "application/json"
    assert asked.json() == plain.json()


async def test_an_invalid_document_is_bad_user_input(demo_api: Api) -> None:
    errors = await demo_api.errors("query { governments { noSuchField } }")
    assert [e["extensions"]["code"] for e in errors] == ["BAD_USER_INPUT"]


async def test_graphiql_is_served_to_a_browser(demo_api: Api) -> None:
    response = await demo_api.client.get("/graphql", headers={"accept": "text/html"})
    assert response.status_code == 200
    assert "graphiql" in response.text.lower()


async def test_health_checks_the_database(demo_api: Api) -> None:
    response = await demo_api.client.get("/health")
    assert response.json() == {"status": "ok"}


async def test_overly_deep_queries_are_refused(demo_api: Api) -> None:
    deep = "query { governments { " + "children { " * 20 + "code" + " }" * 20 + " } }"
    errors = await demo_api.errors(deep)
    assert errors[0]["extensions"]["code"] == "BAD_USER_INPUT"


async def test_graphiql_needs_no_host_but_the_server(demo_api: Api) -> None:
    page = (await demo_api.client.get("/graphql", headers={"accept": "text/html"})).text
    assert "https://" not in page.replace("https://ecma-international.org", "")
    for asset in ("graphiql.min.js", "graphiql.min.css", "react.production.min.js", "react-dom.production.min.js"):
        assert f"/static/graphiql/{asset}" in page
        response = await demo_api.client.get(f"/static/graphiql/{asset}", headers={"accept-encoding": "gzip"})
        assert response.status_code == 200
        assert response.headers["cache-control"] == "public, max-age=86400"
        assert response.headers["content-encoding"] == "gzip"
