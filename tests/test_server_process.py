"""`python server.py` serves over a real socket against an external DATABASE_URL and stops on Ctrl-C."""

import httpx

from store.operations import sha256_of
from tests.served import serving
from web.graphql import operation_documents


def test_server_serves_graphql_and_stops_on_interrupt(fresh_url: str) -> None:
    with serving(fresh_url) as served:
        response = httpx.post(f"{served.base}/graphql", json={"query": '{ government(code: "61") { name } }'})
        assert response.json()["data"] == {"government": {"name": "Kalimantan Barat"}}
        assert response.headers["x-request-id"]
    assert served.process.returncode == 0, served.output
    assert f"{served.base}/graphql" in served.output


def test_the_pages_documents_are_registered_operations_at_start(fresh_url: str) -> None:
    """A tool may run a page's operation by its SHA-256 alone, as /pengembang lists them."""
    documents = operation_documents()
    with serving(fresh_url) as served:
        digest = sha256_of(documents["PortalGovernment"])
        body = {"extensions": {"persistedQuery": {"version": 1, "sha256Hash": digest}}, "variables": {"code": "61"}}
        answer = httpx.post(f"{served.base}/graphql", json=body).json()
        assert answer["data"]["government"]["name"] == "Kalimantan Barat", answer
    assert "page_operations_registered" in served.output
    with serving(fresh_url) as again:  # registered once: a restart adds nothing
        pass
    assert "page_operations_registered" not in again.output
