"""An operator sees one log line per request and Prometheus metrics (api/observability.py)."""

from structlog.testing import capture_logs

from tests.api.client import Api
from tests.api.factories import government_ids, submit

PING = "query Ping { governments(kind: PROVINSI) { code } }"


async def test_each_request_is_logged_once_with_what_it_did(demo_api: Api) -> None:
    with capture_logs() as logs:
        response = await demo_api.post(PING, None, **{"x-request-id": "trace-me"})
    [line] = [entry for entry in logs if entry["event"] == "request"]
    assert response.status_code == 200
    assert line["status"] == 200 and line["path"] == "/graphql" and line["method"] == "POST"
    assert line["operation"] == "Ping" and line["operation_type"] == "query"
    assert line["cost"] == 41 and line["errors"] is None
    assert line["statements"] == 2  # authentication and the governments
    assert line["caller_kind"] == "USER" and line["user_id"] is not None
    assert line["duration_ms"] > 0


async def test_error_codes_are_logged(demo_api: Api) -> None:
    with capture_logs() as logs:
        await demo_api.post("{ noSuchField }")
    [line] = [entry for entry in logs if entry["event"] == "request"]
    assert line["errors"] == ["BAD_USER_INPUT"]


async def test_metrics_answer_only_a_bearer_of_the_metrics_token(demo_url: str) -> None:
    async with Api.serving(demo_url, username=None, metrics_token="m" * 32) as api:
        await api.post(PING)
        assert (await api.client.get("/metrics")).status_code == 404
        assert (await api.client.get("/metrics", headers={"authorization": "Bearer wrong"})).status_code == 404
        scraped = (await api.client.get("/metrics", headers={"authorization": "Bearer " + "m" * 32})).text
    assert 'kinerja_requests_total{operation="Ping",status="200"} 1.0' in scraped
    assert "kinerja_request_seconds_bucket" in scraped and "kinerja_db_connections_in_use" in scraped


async def test_metrics_are_off_without_a_token(demo_api: Api) -> None:
    assert (await demo_api.client.get("/metrics")).status_code == 404


async def test_a_write_reports_the_time_its_aggregate_refresh_took(fresh_url: str) -> None:
    async with Api.serving(fresh_url, metrics_token="m" * 32) as api:
        kota = await government_ids(api, "61.71")
        edges = await api.execute(
            "query($id: ID!) { indicators(filter: {orgUnitId: $id}) { edges { node { id } } } }", {"id": kota.root_unit}
        )
        indicator = edges["indicators"]["edges"][0]["node"]["id"]
        with capture_logs() as logs:
            written = await submit(api, [{"indicatorId": indicator, "year": 2026, "quarter": 4, "value": "1"}], "obs")
        assert written["userErrors"] == []
        [line] = [entry for entry in logs if entry["event"] == "request"]
        assert line["aggregate_refresh_ms"] > 0
        scraped = (await api.client.get("/metrics", headers={"authorization": "Bearer " + "m" * 32})).text
    assert "kinerja_aggregate_refresh_seconds_count 1.0" in scraped
