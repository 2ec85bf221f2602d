"""Indicators that report monthly: a reporting frequency per indicator, and the months' values
(each quarter of such an indicator is derived from its months into `realisation`).

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-03 16:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0021'
down_revision: str | None = '0020'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column(
        'indicator',
        sa.Column('reporting_frequency', sa.String(length=20), server_default='QUARTERLY', nullable=False),
    )
    op.create_check_constraint(
        op.f('ck_indicator_reporting_frequency_valid'), 'indicator', "reporting_frequency IN ('QUARTERLY', 'MONTHLY')"
    )
    op.create_table(
        'monthly_realisation',
        sa.Column('indicator_id', sa.BigInteger(), nullable=False),
        sa.Column('year', sa.SmallInteger(), nullable=False),
        sa.Column('month', sa.SmallInteger(), nullable=False),
        sa.Column('province_code', sa.String(length=2), nullable=False),
        sa.Column('value', sa.Numeric(precision=20, scale=6), nullable=False),
        sa.Column('note', sa.Text(), server_default='', nullable=False),
        sa.Column('version', sa.Integer(), server_default='1', nullable=False),
        sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
        sa.Column('corrected_by', sa.String(length=100), nullable=True),
        sa.Column('corrected_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('correction_reason', sa.Text(), nullable=True),
        sa.Column('value_before_correction', sa.Numeric(precision=20, scale=6), nullable=True),
        sa.CheckConstraint('month BETWEEN 1 AND 12', name=op.f('ck_monthly_realisation_month_range')),
        sa.ForeignKeyConstraint(
            ['indicator_id', 'province_code'], ['indicator.id', 'indicator.province_code'],
            name=op.f('fk_monthly_realisation_indicator_id_indicator'),
        ),
        sa.PrimaryKeyConstraint(
            'indicator_id', 'year', 'month', 'province_code', name=op.f('pk_monthly_realisation')
        ),
    )


def downgrade() -> None:
    op.drop_table('monthly_realisation')
    op.drop_constraint(op.f('ck_indicator_reporting_frequency_valid'), 'indicator', type_='check')
    op.drop_column('indicator', 'reporting_frequency')
