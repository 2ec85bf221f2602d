"""Record which version of the rollup rules the stored aggregates were built by, so that a rule
change rebuilds them at start-up instead of leaving them silently stale. No row yet: the first
start after this migration rebuilds once and records the version.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-02 06:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0008'
down_revision: str | None = '0007'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        'aggregate_rules',
        sa.Column('id', sa.SmallInteger(), server_default=sa.text('1'), nullable=False),
        sa.Column('version', sa.Integer(), nullable=False),
        sa.Column('built_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
        sa.CheckConstraint('id = 1', name=op.f('ck_aggregate_rules_one_row')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_aggregate_rules')),
    )


def downgrade() -> None:
    op.drop_table('aggregate_rules')
