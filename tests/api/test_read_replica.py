"""With DATABASE_READ_URL, queries read from the replica and mutations write to the primary.

Here the "replica" is a second engine on the same database, so what is checked is the routing:
which engine each statement of a request runs on."""

import httpx
from sqlalchemy import event

from server import create_app
from store.database import create_engine
from tests.api.client import LOGIN, TEST_SECRET


async def test_queries_go_to_the_replica_and_mutations_to_the_primary(fresh_url: str) -> None:
    primary, replica = create_engine(fresh_url, pool_size=2), create_engine(fresh_url, pool_size=2)
    counts = {"primary": 0, "replica": 0}
    event.listen(
        primary.sync_engine, "before_cursor_execute", lambda *_: counts.__setitem__("primary", counts["primary"] + 1)
    )
    event.listen(
        replica.sync_engine, "before_cursor_execute", lambda *_: counts.__setitem__("replica", counts["replica"] + 1)
    )
    app = create_app(primary, secret=TEST_SECRET, read_engine=replica)
    try:
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as client:
            token = (
                await client.post(
                    "/graphql", json={"query": LOGIN, "variables": {"username": "admin.61", "password": "kinerja-demo"}}
                )
            ).json()["data"]["login"]["token"]
            headers = {"authorization": f"Bearer {token}"}
            counts.update(primary=0, replica=0)
            query = '{ government(code: "61.71") { rootUnit { children { code } } rollup(year: 2025) { percent } } }'
            assert "errors" not in (await client.post("/graphql", json={"query": query}, headers=headers)).json()
            # Authentication reads the caller and its grants (one statement) from the primary: a
            # revoked grant is never stale.
            assert counts["replica"] > 0
            assert counts["primary"] == 1
            # A kept rollup: its snapshot is read on the replica that computes it, then reused.
            rollup = '{ rollup(scope: "R292ZXJubWVudDox", year: 2025) { percent } }'
            for computed_statements in (True, False):
                counts.update(primary=0, replica=0)
                assert "errors" not in (await client.post("/graphql", json={"query": rollup}, headers=headers)).json()
                assert counts["primary"] == 1
                assert (counts["replica"] > 1) if computed_statements else (counts["replica"] == 1)
            counts.update(primary=0, replica=0)
            mutation = """mutation { createOrgUnit(input: {governmentCode: "61.72", parentId: null, code: "X",
                          name: "X", kind: PEMDA}) { userErrors { code } } }"""
            assert "errors" not in (await client.post("/graphql", json={"query": mutation}, headers=headers)).json()
            assert counts["replica"] == 0
            assert counts["primary"] > 2
    finally:
        await primary.dispose()
        await replica.dispose()
