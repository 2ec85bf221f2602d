"""Indicator definitions as versions: the superseded ones with the years they applied to.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-02 10:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0011'
down_revision: str | None = '0010'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column('indicator', sa.Column('definition_from_year', sa.SmallInteger(), nullable=True))
    op.create_table(
        'indicator_definition',
        sa.Column('id', sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column('province_code', sa.String(length=2), nullable=False),
        sa.Column('indicator_id', sa.BigInteger(), nullable=False),
        sa.Column('from_year', sa.SmallInteger(), nullable=False),
        sa.Column('until_year', sa.SmallInteger(), nullable=False),
        sa.Column('name', sa.String(length=300), nullable=False),
        sa.Column('unit_of_measure', sa.String(length=50), nullable=False),
        sa.Column('polarity', sa.String(length=20), nullable=False),
        sa.Column('achievement_method', sa.String(length=20), nullable=False),
        sa.Column('definition', sa.Text(), nullable=False),
        sa.Column('formula', sa.Text(), nullable=False),
        sa.Column('data_source', sa.Text(), nullable=False),
        sa.Column('replaced_because', sa.Text(), nullable=True),
        sa.Column('replaced_by', sa.String(length=100), nullable=False),
        sa.Column('replaced_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
        sa.CheckConstraint('until_year >= from_year', name=op.f('ck_indicator_definition_years_ordered')),
        sa.ForeignKeyConstraint(
            ['indicator_id', 'province_code'], ['indicator.id', 'indicator.province_code'],
            name=op.f('fk_indicator_definition_indicator_id_indicator'),
        ),
        sa.PrimaryKeyConstraint('id', 'province_code', name=op.f('pk_indicator_definition')),
        sa.UniqueConstraint('indicator_id', 'from_year', 'province_code', name='uq_indicator_definition_from'),
    )


def downgrade() -> None:
    op.drop_table('indicator_definition')
    op.drop_column('indicator', 'definition_from_year')
