"""Rollup aggregates per unit and per reporting unit and period, maintained by the writes.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-23 07:21:09.142920
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0004'
down_revision: str | None = '0003'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('rollup_aggregate',
    sa.Column('level', sa.String(length=12), nullable=False),
    sa.Column('unit_id', sa.BigInteger(), nullable=False),
    sa.Column('year', sa.SmallInteger(), nullable=False),
    sa.Column('quarter', sa.SmallInteger(), nullable=False),
    sa.Column('path', sa.Text(), nullable=False),
    sa.Column('report_unit_id', sa.BigInteger(), nullable=False),
    sa.Column('indicator_count', sa.Integer(), nullable=False),
    sa.Column('counted_count', sa.Integer(), nullable=False),
    sa.Column('weighted_sum', sa.Numeric(), nullable=False),
    sa.Column('weight_total', sa.Numeric(), nullable=False),
    sa.Column('sangat_tinggi', sa.Integer(), nullable=False),
    sa.Column('tinggi', sa.Integer(), nullable=False),
    sa.Column('sedang', sa.Integer(), nullable=False),
    sa.Column('rendah', sa.Integer(), nullable=False),
    sa.Column('sangat_rendah', sa.Integer(), nullable=False),
    sa.CheckConstraint("level IN ('UNIT', 'REPORT_UNIT')", name=op.f('ck_rollup_aggregate_level_valid')),
    sa.ForeignKeyConstraint(['unit_id'], ['org_unit.id'], name=op.f('fk_rollup_aggregate_unit_id_org_unit')),
    sa.PrimaryKeyConstraint('level', 'unit_id', 'year', 'quarter', name=op.f('pk_rollup_aggregate'))
    )
    op.create_index('ix_rollup_aggregate_period_path', 'rollup_aggregate', ['level', 'year', 'quarter', 'path'], unique=False, postgresql_ops={'path': 'text_pattern_ops'})


def downgrade() -> None:
    op.drop_index('ix_rollup_aggregate_period_path', table_name='rollup_aggregate', postgresql_ops={'path': 'text_pattern_ops'})
    op.drop_table('rollup_aggregate')
