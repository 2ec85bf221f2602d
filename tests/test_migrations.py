"""Migrations upgrade an empty database, downgrade to nothing, and upgrade again; the table
metadata and the migrations agree (`alembic check`)."""

import psycopg
from sqlalchemy.engine import make_url

from store import migrate


def tables(url: str) -> set[str]:
    plain = make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(plain) as conn:
        rows = conn.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'").fetchall()
    return {row[0] for row in rows}


def test_upgrade_downgrade_upgrade(empty_url: str) -> None:
    migrate.upgrade(empty_url)
    upgraded = tables(empty_url)
    assert {"government", "org_unit", "indicator", "target", "realisation"} <= upgraded
    migrate.check(empty_url)
    migrate.downgrade(empty_url, "base")
    assert tables(empty_url) == {"alembic_version"}
    migrate.upgrade(empty_url)
    assert tables(empty_url) == upgraded
