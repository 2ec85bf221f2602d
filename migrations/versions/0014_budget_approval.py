"""The approval date of each government's budget document (DPA) per year.

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-02 12:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0014'
down_revision: str | None = '0013'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        'budget_approval',
        sa.Column('government_id', sa.BigInteger(), nullable=False),
        sa.Column('year', sa.SmallInteger(), nullable=False),
        sa.Column('dpa_approved_on', sa.Date(), nullable=False),
        sa.Column('recorded_by', sa.String(length=100), nullable=False),
        sa.Column('recorded_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
        sa.ForeignKeyConstraint(
            ['government_id'], ['government.id'], name=op.f('fk_budget_approval_government_id_government')
        ),
        sa.PrimaryKeyConstraint('government_id', 'year', name=op.f('pk_budget_approval')),
    )


def downgrade() -> None:
    op.drop_table('budget_approval')
