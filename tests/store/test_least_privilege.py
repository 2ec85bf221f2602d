"""The server's database role reads and writes rows but cannot change the schema, and may only
add to the audit log: the append-only triggers cannot be disabled with its credentials."""

import psycopg
import pytest
from sqlalchemy.engine import make_url

from store.roles import as_role


def plain(url: str) -> str:
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE audit_log SET actor = 'someone else'",
        "DELETE FROM audit_log",
        "TRUNCATE audit_log",
        "ALTER TABLE audit_log DISABLE TRIGGER ALL",
        "DROP TRIGGER IF EXISTS audit_log_append_only ON audit_log",
        "ALTER TABLE indicator ADD COLUMN hidden integer",
        "DROP TABLE report",
    ],
)
def test_the_servers_role_cannot_rewrite_or_silence_the_audit_log(fresh_url: str, statement: str) -> None:
    with psycopg.connect(plain(as_role(fresh_url)), autocommit=True) as conn:
        assert conn.execute("SELECT count(*) FROM audit_log").fetchone()
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute(statement)


def test_the_servers_role_appends_to_the_audit_log(fresh_url: str) -> None:
    with psycopg.connect(plain(as_role(fresh_url)), autocommit=True) as conn:
        conn.execute(
            "INSERT INTO audit_log (actor, request_id, action, entity_type, entity_id, scope_path, province_code) "
            "VALUES ('t', '-', 'x.y', 'x', '1', '61/', '61')"
        )
