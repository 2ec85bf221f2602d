"""`python server.py` serves over a real socket against an external DATABASE_URL and stops on Ctrl-C."""

import httpx

from tests.served import serving


def test_server_serves_graphql_and_stops_on_interrupt(fresh_url: str) -> None:
    with serving(fresh_url) as served:
        response = httpx.post(f"{served.base}/graphql", json={"query": '{ government(code: "61") { name } }'})
        assert response.json()["data"] == {"government": {"name": "Kalimantan Barat"}}
        assert response.headers["x-request-id"]
    assert served.process.returncode == 0, served.output
    assert f"{served.base}/graphql" in served.output
