"""Index the computed indicators (rollup_from_children other than NONE): every cascade walk of a
write's refresh looked for them with a scan of every indicator, 15 ms per recursion step at
province scale.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-29 13:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0007'
down_revision: str | None = '0006'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index(
        'ix_indicator_computed',
        'indicator',
        ['id'],
        unique=False,
        postgresql_where=sa.text("rollup_from_children <> 'NONE'"),
    )


def downgrade() -> None:
    op.drop_index('ix_indicator_computed', table_name='indicator')
