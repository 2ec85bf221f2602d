"""Least privilege in the database: migrations run as the owner of the tables, the server as a
role that may read and write rows but not change the schema, and may only add to the audit log.

The append-only triggers on `audit_log` stop mistakes; this stops anyone holding the server's
credentials: without ownership a role cannot `ALTER TABLE … DISABLE TRIGGER`, and it is granted
neither UPDATE, DELETE nor TRUNCATE there. The embedded database sets the role up itself
(server.py); for an external one, README.md shows the same statements.
"""

import contextlib

import psycopg
from psycopg import sql
from sqlalchemy.engine import make_url

APP_ROLE = "kinerja_app"
APPEND_ONLY = (
    "audit_log",
    "agreement_version",
    "lkjip_version",
    "evaluation_model",
    "evaluation_report",
    "monev_rule",
    "monev_ranking",
    "monev_reward_list",
    "monev_reward_item",
)


def grant_app_role(owner_url: str, role: str = APP_ROLE) -> None:
    """Create `role` (a login role without privileges of its own) if missing and grant it the
    rows of every table of the migrated database; run again after each migration."""
    url = make_url(owner_url)
    database = url.database or ""
    plain = url.set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(plain, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (role,)).fetchone()
        if not exists:
            # Another process may create it between the check and here (test workers sharing a
            # server): the role is then there, which is all this needs.
            with contextlib.suppress(psycopg.errors.DuplicateObject, psycopg.errors.UniqueViolation):
                conn.execute(sql.SQL("CREATE ROLE {} LOGIN").format(sql.Identifier(role)))
        name = sql.Identifier(role)
        conn.execute(sql.SQL("GRANT CONNECT ON DATABASE {} TO {}").format(sql.Identifier(database), name))
        conn.execute(sql.SQL("GRANT USAGE ON SCHEMA public TO {}").format(name))
        conn.execute(sql.SQL("GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {}").format(name))
        conn.execute(sql.SQL("GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {}").format(name))
        for table in APPEND_ONLY:
            conn.execute(sql.SQL("REVOKE UPDATE, DELETE, TRUNCATE ON {} FROM {}").format(sql.Identifier(table), name))


def as_role(url: str, role: str = APP_ROLE) -> str:
    """The same database as `role` (the embedded server trusts its local socket)."""
    return make_url(url).set(username=role, password=None).render_as_string(hide_password=False)
