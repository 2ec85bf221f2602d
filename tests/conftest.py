"""Real PostgreSQL for every test: embedded by default, `TEST_DATABASE_URL` for an external server.

A template database is migrated (through Alembic, so migrations are exercised) and loaded with
the demo province once per session; tests that write get their own clone of it.
"""

import os
import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import psycopg
import pytest
from psycopg import sql
from sqlalchemy.engine import make_url

from demo.load import load_demo_if_empty
from store import migrate
from store.roles import grant_app_role

ROOT = Path(__file__).resolve().parent.parent
# Under pytest-xdist (`make test` runs a worker per core) each worker has its own embedded server
# and template, so that workers never race on a database, a role or a server's start.
WORKER = os.environ.get("PYTEST_XDIST_WORKER", "")
OF_WORKER = f"_{WORKER}" if WORKER else ""  # a worker's own names: databases, the data directory
TEMPLATE = f"kinerja_test_template{OF_WORKER}"


class Cluster:
    """A PostgreSQL server on which the tests may create and drop databases."""

    def __init__(self, admin_url: str) -> None:
        self.admin_url = admin_url

    def url(self, database: str) -> str:
        return make_url(self.admin_url).set(database=database).render_as_string(hide_password=False)

    def _admin(self) -> psycopg.Connection:
        return psycopg.connect(
            make_url(self.admin_url).set(drivername="postgresql").render_as_string(False), autocommit=True
        )

    def create(self, database: str, template: str | None = None) -> str:
        with self._admin() as admin:
            admin.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(database)))
            statement = sql.SQL("CREATE DATABASE {}").format(sql.Identifier(database))
            if template:
                statement = sql.SQL("CREATE DATABASE {} TEMPLATE {} STRATEGY FILE_COPY").format(
                    sql.Identifier(database), sql.Identifier(template)
                )
            admin.execute(statement)
        return self.url(database)

    def drop(self, database: str) -> None:
        with self._admin() as admin:
            admin.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(database)))


@pytest.fixture(scope="session")
def cluster() -> Iterator[Cluster]:
    external = os.environ.get("TEST_DATABASE_URL")
    if external:
        yield Cluster(external)
        return
    from store.embedded import EmbeddedPostgres

    embedded = EmbeddedPostgres(ROOT / ".data" / f"test-pg{OF_WORKER}")
    yield Cluster(embedded.url("postgres"))


@pytest.fixture(scope="session")
def template_url(cluster: Cluster) -> str:
    url = cluster.create(TEMPLATE)
    migrate.upgrade(url)
    load_demo_if_empty(url)
    # Copies of the template keep these grants: servers under test connect as the app's role.
    grant_app_role(url)
    return url


@pytest.fixture(scope="session")
def demo_url(cluster: Cluster, template_url: str) -> str:
    """The demo province, shared by tests that only read."""
    return cluster.create(f"kinerja_test_demo{OF_WORKER}", template=TEMPLATE)


@pytest.fixture
def fresh_url(cluster: Cluster, template_url: str) -> Iterator[str]:
    """A private copy of the demo province for a test that writes."""
    name = f"kinerja_test_{uuid.uuid4().hex[:12]}"
    yield cluster.create(name, template=TEMPLATE)
    cluster.drop(name)


@pytest.fixture
def empty_url(cluster: Cluster) -> Iterator[str]:
    name = f"kinerja_empty_{uuid.uuid4().hex[:12]}"
    yield cluster.create(name)
    cluster.drop(name)


@pytest.fixture(scope="session")
async def demo_api(demo_url: str) -> AsyncIterator["Api"]:
    async with Api.serving(demo_url) as api:
        yield api


@pytest.fixture
async def fresh_api(fresh_url: str) -> AsyncIterator["Api"]:
    async with Api.serving(fresh_url) as api:
        yield api


from tests.api.client import Api  # noqa: E402
