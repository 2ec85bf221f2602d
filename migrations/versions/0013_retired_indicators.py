"""Indicators retired from a year on.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-02 11:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0013'
down_revision: str | None = '0012'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column('indicator', sa.Column('retired_from_year', sa.SmallInteger(), nullable=True))


def downgrade() -> None:
    op.drop_column('indicator', 'retired_from_year')
