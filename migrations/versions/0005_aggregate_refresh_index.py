"""Index the rollup aggregates by reporting unit and year: every write deletes and re-inserts the
rows of the reporting units it touched, and found them by a sequential scan (70 ms at province scale).

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-23 08:50:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = '0005'
down_revision: str | None = '0004'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index('ix_rollup_aggregate_report_unit', 'rollup_aggregate', ['report_unit_id', 'year'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_rollup_aggregate_report_unit', table_name='rollup_aggregate')
