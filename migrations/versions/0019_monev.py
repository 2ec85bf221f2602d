"""Monev: a government's ranking rule per year (versions), the entered group scores and the
monthly program progress per unit and period, and published rankings frozen as canonical JSON
with their SHA-256 (append-only).

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-03 09:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = '0019'
down_revision: str | None = '0018'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

APPEND_ONLY = """
CREATE FUNCTION monev_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% is append-only: % refused', TG_TABLE_NAME, TG_OP
        USING ERRCODE = 'integrity_constraint_violation';
END $$;
"""
FROZEN = ('monev_rule', 'monev_ranking')
# A period: month 0 is the quarter as a whole, 1-12 a month of it.
PERIOD = 'quarter BETWEEN 1 AND 4 AND (month = 0 OR (month + 2) / 3 = quarter)'


def upgrade() -> None:
    op.create_table(
        'monev_rule',
        sa.Column('id', sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column('province_code', sa.String(length=2), nullable=False),
        sa.Column('government_id', sa.BigInteger(), nullable=False),
        sa.Column('year', sa.SmallInteger(), nullable=False),
        sa.Column('version', sa.SmallInteger(), nullable=False),
        sa.Column('rule', postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column('reason', sa.Text(), nullable=True),
        sa.Column('created_by', sa.String(length=100), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
        sa.ForeignKeyConstraint(['government_id'], ['government.id'], name=op.f('fk_monev_rule_government_id_government')),
        sa.PrimaryKeyConstraint('id', 'province_code', name=op.f('pk_monev_rule')),
        sa.UniqueConstraint('government_id', 'year', 'version', 'province_code', name='uq_monev_rule_version'),
    )
    op.create_table(
        'monev_figure',
        sa.Column('org_unit_id', sa.BigInteger(), nullable=False),
        sa.Column('year', sa.SmallInteger(), nullable=False),
        sa.Column('quarter', sa.SmallInteger(), nullable=False),
        sa.Column('month', sa.SmallInteger(), nullable=False),
        sa.Column('group_code', sa.String(length=40), nullable=False),
        sa.Column('province_code', sa.String(length=2), nullable=False),
        sa.Column('value', sa.Numeric(precision=12, scale=6), nullable=False),
        sa.Column('note', sa.Text(), nullable=True),
        sa.Column('version', sa.Integer(), server_default='1', nullable=False),
        sa.Column('updated_by', sa.String(length=100), nullable=False),
        sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
        sa.CheckConstraint(PERIOD, name=op.f('ck_monev_figure_period_range')),
        sa.CheckConstraint('value >= 0', name=op.f('ck_monev_figure_value_not_negative')),
        sa.ForeignKeyConstraint(
            ['org_unit_id', 'province_code'], ['org_unit.id', 'org_unit.province_code'],
            name=op.f('fk_monev_figure_org_unit_id_org_unit'),
        ),
        sa.PrimaryKeyConstraint(
            'org_unit_id', 'year', 'quarter', 'month', 'group_code', 'province_code', name=op.f('pk_monev_figure')
        ),
    )
    op.create_table(
        'monev_progress',
        sa.Column('org_unit_id', sa.BigInteger(), nullable=False),
        sa.Column('year', sa.SmallInteger(), nullable=False),
        sa.Column('month', sa.SmallInteger(), nullable=False),
        sa.Column('budget_kind', sa.String(length=10), nullable=False),
        sa.Column('code', sa.String(length=30), nullable=False),
        sa.Column('province_code', sa.String(length=2), nullable=False),
        sa.Column('name', sa.String(length=500), nullable=False),
        sa.Column('pagu', sa.Numeric(precision=17, scale=2), nullable=False),
        sa.Column('physical_target', sa.Numeric(precision=7, scale=4), nullable=False),
        sa.Column('physical', sa.Numeric(precision=7, scale=4), nullable=False),
        sa.Column('financial_target', sa.Numeric(precision=17, scale=2), nullable=False),
        sa.Column('financial', sa.Numeric(precision=17, scale=2), nullable=False),
        sa.Column('version', sa.Integer(), server_default='1', nullable=False),
        sa.Column('submitted_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
        sa.Column('updated_by', sa.String(length=100), nullable=False),
        sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
        sa.CheckConstraint("budget_kind IN ('MURNI', 'PERUBAHAN')", name=op.f('ck_monev_progress_budget_kind_valid')),
        sa.CheckConstraint('month BETWEEN 1 AND 12', name=op.f('ck_monev_progress_month_range')),
        sa.CheckConstraint(
            'physical_target BETWEEN 0 AND 100 AND physical BETWEEN 0 AND 100',
            name=op.f('ck_monev_progress_percent_range'),
        ),
        sa.CheckConstraint(
            'pagu >= 0 AND financial_target BETWEEN 0 AND pagu AND financial BETWEEN 0 AND pagu',
            name=op.f('ck_monev_progress_within_pagu'),
        ),
        sa.ForeignKeyConstraint(
            ['org_unit_id', 'province_code'], ['org_unit.id', 'org_unit.province_code'],
            name=op.f('fk_monev_progress_org_unit_id_org_unit'),
        ),
        sa.PrimaryKeyConstraint(
            'org_unit_id', 'year', 'month', 'budget_kind', 'code', 'province_code', name=op.f('pk_monev_progress')
        ),
    )
    op.create_table(
        'monev_ranking',
        sa.Column('id', sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column('province_code', sa.String(length=2), nullable=False),
        sa.Column('government_id', sa.BigInteger(), nullable=False),
        sa.Column('year', sa.SmallInteger(), nullable=False),
        sa.Column('quarter', sa.SmallInteger(), nullable=False),
        sa.Column('month', sa.SmallInteger(), nullable=False),
        sa.Column('units', sa.String(length=20), nullable=False),
        sa.Column('rule_version', sa.SmallInteger(), nullable=False),
        sa.Column('body', sa.Text(), nullable=False),
        sa.Column('sha256', sa.String(length=64), nullable=False),
        sa.Column('published_by', sa.String(length=100), nullable=False),
        sa.Column('published_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
        sa.CheckConstraint(PERIOD, name=op.f('ck_monev_ranking_period_range')),
        sa.ForeignKeyConstraint(['government_id'], ['government.id'], name=op.f('fk_monev_ranking_government_id_government')),
        sa.PrimaryKeyConstraint('id', 'province_code', name=op.f('pk_monev_ranking')),
        sa.UniqueConstraint(
            'government_id', 'year', 'quarter', 'month', 'units', 'province_code', name='uq_monev_ranking_period'
        ),
        sa.CheckConstraint(
            "units IN ('PERANGKAT_DAERAH', 'KABUPATEN_KOTA')", name=op.f('ck_monev_ranking_units_valid')
        ),
    )
    op.execute(APPEND_ONLY)
    for table in FROZEN:
        op.execute(
            f'CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} '
            'FOR EACH ROW EXECUTE FUNCTION monev_append_only()'
        )
        op.execute(
            f'CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} '
            'FOR EACH STATEMENT EXECUTE FUNCTION monev_append_only()'
        )


def downgrade() -> None:
    for table in ('monev_ranking', 'monev_progress', 'monev_figure', 'monev_rule'):
        op.drop_table(table)
    op.execute('DROP FUNCTION monev_append_only()')
