"""Province code in the keys of every table that grows with the country, so that Citus can
distribute them by province (docs/scaling.md "National scale on Citus").

Each such table gains `province_code` (the first segment of the hierarchy path), filled from the
rows it belongs to. Its primary key, unique constraints and the foreign keys between these tables
then include it. The code comes last in each key so that lookups by id alone keep using the
primary key on a single node.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-23 11:40:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = '0006'
down_revision: str | None = '0005'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Filled in this order: each from a table filled before it.
FILLED_FROM = {
    'org_unit': "split_part(path, '/', 1)",
    'strategic_plan': '(SELECT u.province_code FROM org_unit u WHERE u.id = strategic_plan.org_unit_id)',
    'goal': '(SELECT p.province_code FROM strategic_plan p WHERE p.id = goal.plan_id)',
    'objective': '(SELECT g.province_code FROM goal g WHERE g.id = objective.goal_id)',
    'indicator': '(SELECT u.province_code FROM org_unit u WHERE u.id = indicator.org_unit_id)',
    'target': '(SELECT i.province_code FROM indicator i WHERE i.id = target.indicator_id)',
    'realisation': '(SELECT i.province_code FROM indicator i WHERE i.id = realisation.indicator_id)',
    'report': '(SELECT u.province_code FROM org_unit u WHERE u.id = report.org_unit_id)',
    'report_transition': '(SELECT r.province_code FROM report r WHERE r.id = report_transition.report_id)',
    'comment': '(SELECT r.province_code FROM report r WHERE r.id = comment.report_id)',
    'rollup_aggregate': "split_part(path, '/', 1)",
    'audit_log': "split_part(scope_path, '/', 1)",
}

# Tables whose own path names the province: the code must agree with it.
PATHS = {'org_unit': 'path', 'rollup_aggregate': 'path', 'audit_log': 'scope_path'}

PRIMARY_KEYS = {
    'org_unit': ['id'],
    'strategic_plan': ['id'],
    'goal': ['id'],
    'objective': ['id'],
    'indicator': ['id'],
    'target': ['indicator_id', 'year', 'quarter'],
    'realisation': ['indicator_id', 'year', 'quarter'],
    'report': ['id'],
    'report_transition': ['id'],
    'comment': ['id'],
    'rollup_aggregate': ['level', 'unit_id', 'year', 'quarter'],
    'audit_log': ['id'],
}

# (table, column, referred table): foreign keys between distributed tables.
REFERENCES = [
    ('org_unit', 'parent_id', 'org_unit'),
    ('org_unit', 'report_unit_id', 'org_unit'),
    ('strategic_plan', 'org_unit_id', 'org_unit'),
    ('goal', 'plan_id', 'strategic_plan'),
    ('objective', 'goal_id', 'goal'),
    ('indicator', 'org_unit_id', 'org_unit'),
    ('indicator', 'objective_id', 'objective'),
    ('indicator', 'parent_id', 'indicator'),
    ('target', 'indicator_id', 'indicator'),
    ('realisation', 'indicator_id', 'indicator'),
    ('report', 'org_unit_id', 'org_unit'),
    ('report_transition', 'report_id', 'report'),
    ('comment', 'report_id', 'report'),
    ('comment', 'indicator_id', 'indicator'),
    ('comment', 'parent_id', 'comment'),
    ('rollup_aggregate', 'unit_id', 'org_unit'),
]

UNIQUE = {
    'uq_org_unit_code_version': ('org_unit', ['government_id', 'code', 'valid_from']),
    'uq_indicator_unit_code': ('indicator', ['org_unit_id', 'code']),
    'uq_report_unit_period': ('report', ['org_unit_id', 'year', 'quarter']),
}


def _columns(columns: list[str]) -> str:
    return ', '.join(columns)


def _rekey(with_province: bool) -> None:
    extra = ['province_code'] if with_province else []
    for table, column, referred in REFERENCES:
        op.execute(f'ALTER TABLE {table} DROP CONSTRAINT fk_{table}_{column}_{referred}')
    for name, (table, _) in UNIQUE.items():
        op.execute(f'ALTER TABLE {table} DROP CONSTRAINT {name}')
    for table, key in PRIMARY_KEYS.items():
        op.execute(f'ALTER TABLE {table} DROP CONSTRAINT pk_{table}')
        op.execute(f'ALTER TABLE {table} ADD CONSTRAINT pk_{table} PRIMARY KEY ({_columns(key + extra)})')
    for name, (table, columns) in UNIQUE.items():
        op.execute(f'ALTER TABLE {table} ADD CONSTRAINT {name} UNIQUE ({_columns(columns + extra)})')
    for table, column, referred in REFERENCES:
        op.execute(
            f'ALTER TABLE {table} ADD CONSTRAINT fk_{table}_{column}_{referred} '
            f'FOREIGN KEY ({_columns([column, *extra])}) REFERENCES {referred} ({_columns(["id", *extra])})'
        )


def upgrade() -> None:
    for table, source in FILLED_FROM.items():
        op.execute(f'ALTER TABLE {table} ADD COLUMN province_code varchar(2)')
        if table == 'audit_log':
            # The log refuses updates by trigger; filling a new column changes no entry.
            op.execute('ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only')
        op.execute(f'UPDATE {table} SET province_code = {source}')
        if table == 'audit_log':
            op.execute('ALTER TABLE audit_log ENABLE TRIGGER audit_log_append_only')
        op.execute(f'ALTER TABLE {table} ALTER COLUMN province_code SET NOT NULL')
    for table, path in PATHS.items():
        op.execute(
            f'ALTER TABLE {table} ADD CONSTRAINT ck_{table}_province_of_path '
            f"CHECK (province_code = split_part({path}, '/', 1))"
        )
    _rekey(with_province=True)


def downgrade() -> None:
    _rekey(with_province=False)
    for table in PATHS:
        op.execute(f'ALTER TABLE {table} DROP CONSTRAINT ck_{table}_province_of_path')
    for table in reversed(FILLED_FROM):
        op.execute(f'ALTER TABLE {table} DROP COLUMN province_code')
