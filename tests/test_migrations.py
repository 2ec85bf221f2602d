"""Migrations upgrade an empty database, downgrade to nothing, and upgrade again; the table
metadata and the migrations agree (`alembic check`)."""

import psycopg
import pytest
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


ROWS_BEFORE_PROVINCE_CODES = """
INSERT INTO government (id, code, name, kind, path) VALUES (1, '61', 'Kalimantan Barat', 'PROVINSI', '61/'),
    (2, '62', 'Kalimantan Tengah', 'PROVINSI', '62/');
INSERT INTO org_unit (id, government_id, code, name, kind, path, valid_from, report_unit_id) OVERRIDING SYSTEM VALUE
VALUES (10, 1, 'P61', 'Pemprov', 'PEMDA', '61/10/', '2021-01-01', 10),
       (20, 2, 'P62', 'Pemprov', 'PEMDA', '62/20/', '2021-01-01', 20);
INSERT INTO indicator (id, org_unit_id, code, name, unit_of_measure, polarity, achievement_method, type,
    period_aggregation) OVERRIDING SYSTEM VALUE
VALUES (100, 10, 'I1', 'Indikator', '%', 'HIGHER_IS_BETTER', 'RATIO', 'OUTPUT', 'LAST'),
       (200, 20, 'I1', 'Indikator', '%', 'HIGHER_IS_BETTER', 'RATIO', 'OUTPUT', 'LAST');
INSERT INTO target (indicator_id, year, quarter, value) VALUES (100, 2026, 0, 80), (200, 2026, 0, 90);
INSERT INTO realisation (indicator_id, year, quarter, value) VALUES (100, 2026, 1, 70), (200, 2026, 1, 95);
INSERT INTO report (id, org_unit_id, year, quarter) OVERRIDING SYSTEM VALUE VALUES (1000, 20, 2026, 1);
INSERT INTO report_transition (report_id, action, state, actor) VALUES (1000, 'SUBMIT', 'SUBMITTED', 'op');
INSERT INTO comment (report_id, indicator_id, author, body) VALUES (1000, 200, 'rev', 'Cek lagi');
INSERT INTO audit_log (actor, request_id, action, entity_type, entity_id, scope_path)
VALUES ('op', 'r1', 'realisation.set', 'realisation', '200:2026:1', '62/20/');
INSERT INTO rollup_aggregate (level, unit_id, year, quarter, path, report_unit_id, indicator_count, counted_count,
    weighted_sum, weight_total, sangat_tinggi, tinggi, sedang, rendah, sangat_rendah)
VALUES ('UNIT', 20, 2026, 1, '62/20/', 20, 1, 1, 100, 1, 1, 0, 0, 0, 0);
"""


def test_province_codes_are_filled_from_existing_rows_and_removed_again(empty_url: str) -> None:
    """Migration 0006 on a database with data: every row takes the province it lies in, and the
    keys then refuse a row whose province differs from the row it refers to."""
    migrate.upgrade(empty_url, "0005")
    plain = make_url(empty_url).set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(plain) as conn:
        conn.execute(ROWS_BEFORE_PROVINCE_CODES)
    migrate.upgrade(empty_url)
    with psycopg.connect(plain, autocommit=True) as conn:
        for table in ("org_unit", "indicator", "target", "realisation"):
            codes = conn.execute(f"SELECT array_agg(province_code ORDER BY province_code) FROM {table}").fetchone()
            assert codes == (["61", "62"],), table
        for table in ("report", "report_transition", "comment", "audit_log", "rollup_aggregate"):
            assert conn.execute(f"SELECT array_agg(province_code) FROM {table}").fetchone() == (["62"],)
        with pytest.raises(psycopg.errors.ForeignKeyViolation):
            conn.execute("INSERT INTO realisation (indicator_id, year, quarter, value, province_code) "
                         "VALUES (100, 2026, 2, 1, '62')")  # fmt: skip
        with pytest.raises(psycopg.errors.CheckViolation):
            conn.execute("UPDATE rollup_aggregate SET province_code = '61'")
    migrate.downgrade(empty_url, "0005")
    with psycopg.connect(plain) as conn:
        assert conn.execute("SELECT count(*) FROM realisation").fetchone() == (2,)
        columns = conn.execute("SELECT count(*) FROM information_schema.columns WHERE column_name = 'province_code'")
        assert columns.fetchone() == (0,)
