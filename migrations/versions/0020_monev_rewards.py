"""Reward and punishment lists confirmed from published monev rankings, append-only, and the
follow-up recorded per item.

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-03 13:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0020'
down_revision: str | None = '0019'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

FROZEN = ('monev_reward_list', 'monev_reward_item')


def upgrade() -> None:
    op.create_table(
        'monev_reward_list',
        sa.Column('id', sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column('province_code', sa.String(length=2), nullable=False),
        sa.Column('ranking_id', sa.BigInteger(), nullable=False),
        sa.Column('rule_version', sa.SmallInteger(), nullable=False),
        sa.Column('confirmed_by', sa.String(length=100), nullable=False),
        sa.Column('confirmed_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
        sa.ForeignKeyConstraint(
            ['ranking_id', 'province_code'], ['monev_ranking.id', 'monev_ranking.province_code'],
            name=op.f('fk_monev_reward_list_ranking_id_monev_ranking'),
        ),
        sa.PrimaryKeyConstraint('id', 'province_code', name=op.f('pk_monev_reward_list')),
        sa.UniqueConstraint('ranking_id', 'province_code', name='uq_monev_reward_list_ranking'),
    )
    op.create_table(
        'monev_reward_item',
        sa.Column('id', sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column('province_code', sa.String(length=2), nullable=False),
        sa.Column('list_id', sa.BigInteger(), nullable=False),
        sa.Column('subject_key', sa.String(length=40), nullable=False),
        sa.Column('code', sa.String(length=50), nullable=False),
        sa.Column('name', sa.String(length=500), nullable=False),
        sa.Column('category', sa.String(length=40), nullable=False),
        sa.Column('category_name', sa.String(length=200), nullable=False),
        sa.Column('action', sa.Text(), nullable=False),
        sa.Column('reason', sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ['list_id', 'province_code'], ['monev_reward_list.id', 'monev_reward_list.province_code'],
            name=op.f('fk_monev_reward_item_list_id_monev_reward_list'),
        ),
        sa.PrimaryKeyConstraint('id', 'province_code', name=op.f('pk_monev_reward_item')),
        sa.UniqueConstraint('list_id', 'subject_key', 'category', 'province_code', name='uq_monev_reward_item'),
    )
    op.create_index(op.f('ix_monev_reward_item_list_id'), 'monev_reward_item', ['list_id'])
    op.create_table(
        'monev_reward_follow_up',
        sa.Column('item_id', sa.BigInteger(), nullable=False),
        sa.Column('province_code', sa.String(length=2), nullable=False),
        sa.Column('done', sa.Boolean(), nullable=False),
        sa.Column('done_on', sa.Date(), nullable=True),
        sa.Column('note', sa.Text(), nullable=True),
        sa.Column('version', sa.Integer(), server_default='1', nullable=False),
        sa.Column('updated_by', sa.String(length=100), nullable=False),
        sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
        sa.CheckConstraint('done OR done_on IS NULL', name=op.f('ck_monev_reward_follow_up_done_on_when_done')),
        sa.ForeignKeyConstraint(
            ['item_id', 'province_code'], ['monev_reward_item.id', 'monev_reward_item.province_code'],
            name=op.f('fk_monev_reward_follow_up_item_id_monev_reward_item'),
        ),
        sa.PrimaryKeyConstraint('item_id', 'province_code', name=op.f('pk_monev_reward_follow_up')),
    )
    # The function monev_append_only() is migration 0019's.
    for table in FROZEN:
        op.execute(
            f'CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} '
            'FOR EACH ROW EXECUTE FUNCTION monev_append_only()'
        )
        op.execute(
            f'CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} '
            'FOR EACH STATEMENT EXECUTE FUNCTION monev_append_only()'
        )


def downgrade() -> None:
    for table in ('monev_reward_follow_up', 'monev_reward_item', 'monev_reward_list'):
        op.drop_table(table)
