"""Registered operation documents (persisted operations) and API tokens held to them.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-02 07:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0009'
down_revision: str | None = '0008'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        'persisted_operation',
        sa.Column('sha256', sa.String(length=64), nullable=False),
        sa.Column('document', sa.Text(), nullable=False),
        sa.Column('name', sa.String(length=200), nullable=True),
        sa.Column('registered_by', sa.String(length=100), nullable=False),
        sa.Column('registered_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
        sa.CheckConstraint("sha256 ~ '^[0-9a-f]{64}$'", name=op.f('ck_persisted_operation_sha256_hex')),
        sa.PrimaryKeyConstraint('sha256', name=op.f('pk_persisted_operation')),
    )
    op.add_column(
        'api_token', sa.Column('registered_only', sa.Boolean(), server_default=sa.text('false'), nullable=False)
    )


def downgrade() -> None:
    op.drop_column('api_token', 'registered_only')
    op.drop_table('persisted_operation')
