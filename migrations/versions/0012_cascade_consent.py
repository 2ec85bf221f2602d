"""Cascade links proposed by the upper level and accepted or rejected by the lower one.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-02 11:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0012'
down_revision: str | None = '0011'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        'cascade_proposal',
        sa.Column('id', sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column('province_code', sa.String(length=2), nullable=False),
        sa.Column('child_id', sa.BigInteger(), nullable=False),
        sa.Column('parent_id', sa.BigInteger(), nullable=False),
        sa.Column('state', sa.String(length=20), server_default='PROPOSED', nullable=False),
        sa.Column('proposed_by', sa.String(length=100), nullable=False),
        sa.Column('proposed_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
        sa.Column('decided_by', sa.String(length=100), nullable=True),
        sa.Column('decided_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('reason', sa.Text(), nullable=True),
        sa.CheckConstraint(
            "state IN ('PROPOSED', 'ACCEPTED', 'REJECTED')", name=op.f('ck_cascade_proposal_state_valid')
        ),
        sa.ForeignKeyConstraint(
            ['child_id', 'province_code'], ['indicator.id', 'indicator.province_code'],
            name=op.f('fk_cascade_proposal_child_id_indicator'),
        ),
        sa.ForeignKeyConstraint(
            ['parent_id', 'province_code'], ['indicator.id', 'indicator.province_code'],
            name=op.f('fk_cascade_proposal_parent_id_indicator'),
        ),
        sa.PrimaryKeyConstraint('id', 'province_code', name=op.f('pk_cascade_proposal')),
    )
    op.create_index(op.f('ix_cascade_proposal_child_id'), 'cascade_proposal', ['child_id'], unique=False)
    op.create_index(op.f('ix_cascade_proposal_parent_id'), 'cascade_proposal', ['parent_id'], unique=False)
    op.create_index(
        'uq_cascade_proposal_open', 'cascade_proposal', ['child_id', 'province_code'], unique=True,
        postgresql_where=sa.text("state = 'PROPOSED'"),
    )


def downgrade() -> None:
    op.drop_table('cascade_proposal')
