"""Initial schema: governments, effective-dated org units with materialised paths, plans,
indicators with their cascade, targets, realisations and idempotent requests.

Revision ID: 0001
Revises: (none)
Create Date: 2026-11-23 06:28:19.736303
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql
revision: str = '0001'
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('government',
    sa.Column('id', sa.BigInteger(), sa.Identity(always=False), nullable=False),
    sa.Column('code', sa.String(length=20), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('parent_id', sa.BigInteger(), nullable=True),
    sa.Column('path', sa.Text(), nullable=False),
    sa.Column('achievement_cap', sa.Numeric(precision=6, scale=2), server_default=sa.text('120'), nullable=True),
    sa.Column('lower_is_better_method', sa.String(length=20), server_default='MIRROR', nullable=False),
    sa.CheckConstraint("kind IN ('PROVINSI', 'KABUPATEN', 'KOTA')", name=op.f('ck_government_kind_valid')),
    sa.CheckConstraint("lower_is_better_method IN ('MIRROR', 'INVERSE')", name=op.f('ck_government_lower_is_better_method_valid')),
    sa.ForeignKeyConstraint(['parent_id'], ['government.id'], name=op.f('fk_government_parent_id_government')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_government')),
    sa.UniqueConstraint('code', name=op.f('uq_government_code'))
    )
    op.create_index(op.f('ix_government_parent_id'), 'government', ['parent_id'], unique=False)
    op.create_index('ix_government_path_prefix', 'government', ['path'], unique=False, postgresql_ops={'path': 'text_pattern_ops'})
    op.create_table('idempotent_request',
    sa.Column('key', sa.String(length=200), nullable=False),
    sa.Column('operation', sa.String(length=50), nullable=False),
    sa.Column('request_hash', sa.String(length=64), nullable=False),
    sa.Column('response', postgresql.JSONB(astext_type=sa.Text()), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.PrimaryKeyConstraint('key', name=op.f('pk_idempotent_request'))
    )
    op.create_table('org_unit',
    sa.Column('id', sa.BigInteger(), sa.Identity(always=False), nullable=False),
    sa.Column('government_id', sa.BigInteger(), nullable=False),
    sa.Column('parent_id', sa.BigInteger(), nullable=True),
    sa.Column('code', sa.String(length=50), nullable=False),
    sa.Column('name', sa.String(length=300), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('path', sa.Text(), nullable=False),
    sa.Column('valid_from', sa.Date(), nullable=False),
    sa.Column('valid_to', sa.Date(), nullable=True),
    sa.CheckConstraint("kind IN ('PEMDA', 'PERANGKAT_DAERAH', 'ESELON_III', 'ESELON_IV')", name=op.f('ck_org_unit_kind_valid')),
    sa.CheckConstraint('valid_to IS NULL OR valid_to >= valid_from', name=op.f('ck_org_unit_validity_ordered')),
    sa.ForeignKeyConstraint(['government_id'], ['government.id'], name=op.f('fk_org_unit_government_id_government')),
    sa.ForeignKeyConstraint(['parent_id'], ['org_unit.id'], name=op.f('fk_org_unit_parent_id_org_unit')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_org_unit')),
    sa.UniqueConstraint('government_id', 'code', 'valid_from', name='uq_org_unit_code_version')
    )
    op.create_index(op.f('ix_org_unit_government_id'), 'org_unit', ['government_id'], unique=False)
    op.create_index(op.f('ix_org_unit_parent_id'), 'org_unit', ['parent_id'], unique=False)
    op.create_index('ix_org_unit_path_prefix', 'org_unit', ['path'], unique=False, postgresql_ops={'path': 'text_pattern_ops'})
    op.create_table('strategic_plan',
    sa.Column('id', sa.BigInteger(), sa.Identity(always=False), nullable=False),
    sa.Column('org_unit_id', sa.BigInteger(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('name', sa.String(length=300), nullable=False),
    sa.Column('vision', sa.Text(), server_default='', nullable=False),
    sa.Column('start_year', sa.SmallInteger(), nullable=False),
    sa.Column('end_year', sa.SmallInteger(), nullable=False),
    sa.CheckConstraint("kind IN ('RPJMD', 'RENSTRA')", name=op.f('ck_strategic_plan_kind_valid')),
    sa.CheckConstraint('end_year >= start_year', name=op.f('ck_strategic_plan_years_ordered')),
    sa.ForeignKeyConstraint(['org_unit_id'], ['org_unit.id'], name=op.f('fk_strategic_plan_org_unit_id_org_unit')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_strategic_plan'))
    )
    op.create_index(op.f('ix_strategic_plan_org_unit_id'), 'strategic_plan', ['org_unit_id'], unique=False)
    op.create_table('goal',
    sa.Column('id', sa.BigInteger(), sa.Identity(always=False), nullable=False),
    sa.Column('plan_id', sa.BigInteger(), nullable=False),
    sa.Column('code', sa.String(length=50), nullable=False),
    sa.Column('name', sa.String(length=500), nullable=False),
    sa.ForeignKeyConstraint(['plan_id'], ['strategic_plan.id'], name=op.f('fk_goal_plan_id_strategic_plan')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_goal'))
    )
    op.create_index(op.f('ix_goal_plan_id'), 'goal', ['plan_id'], unique=False)
    op.create_table('objective',
    sa.Column('id', sa.BigInteger(), sa.Identity(always=False), nullable=False),
    sa.Column('goal_id', sa.BigInteger(), nullable=False),
    sa.Column('code', sa.String(length=50), nullable=False),
    sa.Column('name', sa.String(length=500), nullable=False),
    sa.ForeignKeyConstraint(['goal_id'], ['goal.id'], name=op.f('fk_objective_goal_id_goal')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_objective'))
    )
    op.create_index(op.f('ix_objective_goal_id'), 'objective', ['goal_id'], unique=False)
    op.create_table('indicator',
    sa.Column('id', sa.BigInteger(), sa.Identity(always=False), nullable=False),
    sa.Column('org_unit_id', sa.BigInteger(), nullable=False),
    sa.Column('objective_id', sa.BigInteger(), nullable=True),
    sa.Column('parent_id', sa.BigInteger(), nullable=True),
    sa.Column('code', sa.String(length=50), nullable=False),
    sa.Column('name', sa.String(length=300), nullable=False),
    sa.Column('unit_of_measure', sa.String(length=50), nullable=False),
    sa.Column('polarity', sa.String(length=20), nullable=False),
    sa.Column('achievement_method', sa.String(length=20), nullable=False),
    sa.Column('type', sa.String(length=20), nullable=False),
    sa.Column('is_key', sa.Boolean(), server_default='false', nullable=False),
    sa.Column('period_aggregation', sa.String(length=20), nullable=False),
    sa.Column('rollup_from_children', sa.String(length=20), server_default='NONE', nullable=False),
    sa.Column('weight', sa.Numeric(precision=10, scale=4), server_default='1', nullable=False),
    sa.Column('allow_negative', sa.Boolean(), server_default='false', nullable=False),
    sa.Column('ordinal_scale', sa.String(length=30), nullable=True),
    sa.Column('definition', sa.Text(), server_default='', nullable=False),
    sa.Column('formula', sa.Text(), server_default='', nullable=False),
    sa.Column('data_source', sa.Text(), server_default='', nullable=False),
    sa.CheckConstraint("achievement_method IN ('RATIO', 'MIRROR', 'INVERSE', 'RANGE')", name=op.f('ck_indicator_achievement_method_valid')),
    sa.CheckConstraint("period_aggregation IN ('SUM', 'LAST', 'AVERAGE')", name=op.f('ck_indicator_period_aggregation_valid')),
    sa.CheckConstraint("polarity IN ('HIGHER_IS_BETTER', 'LOWER_IS_BETTER')", name=op.f('ck_indicator_polarity_valid')),
    sa.CheckConstraint("rollup_from_children IN ('NONE', 'SUM', 'AVERAGE', 'WEIGHTED_AVERAGE', 'MIN', 'MAX')", name=op.f('ck_indicator_rollup_from_children_valid')),
    sa.CheckConstraint("type IN ('IMPACT', 'OUTCOME', 'OUTPUT')", name=op.f('ck_indicator_type_valid')),
    sa.CheckConstraint('weight > 0', name=op.f('ck_indicator_weight_positive')),
    sa.ForeignKeyConstraint(['objective_id'], ['objective.id'], name=op.f('fk_indicator_objective_id_objective')),
    sa.ForeignKeyConstraint(['org_unit_id'], ['org_unit.id'], name=op.f('fk_indicator_org_unit_id_org_unit')),
    sa.ForeignKeyConstraint(['parent_id'], ['indicator.id'], name=op.f('fk_indicator_parent_id_indicator')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_indicator')),
    sa.UniqueConstraint('org_unit_id', 'code', name='uq_indicator_unit_code')
    )
    op.create_index(op.f('ix_indicator_objective_id'), 'indicator', ['objective_id'], unique=False)
    op.create_index(op.f('ix_indicator_org_unit_id'), 'indicator', ['org_unit_id'], unique=False)
    op.create_index(op.f('ix_indicator_parent_id'), 'indicator', ['parent_id'], unique=False)
    op.create_table('realisation',
    sa.Column('indicator_id', sa.BigInteger(), nullable=False),
    sa.Column('year', sa.SmallInteger(), nullable=False),
    sa.Column('quarter', sa.SmallInteger(), nullable=False),
    sa.Column('value', sa.Numeric(precision=20, scale=6), nullable=False),
    sa.Column('note', sa.Text(), server_default='', nullable=False),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.CheckConstraint('quarter BETWEEN 1 AND 4', name=op.f('ck_realisation_quarter_range')),
    sa.ForeignKeyConstraint(['indicator_id'], ['indicator.id'], name=op.f('fk_realisation_indicator_id_indicator')),
    sa.PrimaryKeyConstraint('indicator_id', 'year', 'quarter', name=op.f('pk_realisation'))
    )
    op.create_index('ix_realisation_year', 'realisation', ['year', 'indicator_id'], unique=False)
    op.create_table('target',
    sa.Column('indicator_id', sa.BigInteger(), nullable=False),
    sa.Column('year', sa.SmallInteger(), nullable=False),
    sa.Column('quarter', sa.SmallInteger(), nullable=False),
    sa.Column('value', sa.Numeric(precision=20, scale=6), nullable=False),
    sa.Column('high', sa.Numeric(precision=20, scale=6), nullable=True),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.CheckConstraint('high IS NULL OR high >= value', name=op.f('ck_target_range_ordered')),
    sa.CheckConstraint('quarter BETWEEN 0 AND 4', name=op.f('ck_target_quarter_range')),
    sa.ForeignKeyConstraint(['indicator_id'], ['indicator.id'], name=op.f('fk_target_indicator_id_indicator')),
    sa.PrimaryKeyConstraint('indicator_id', 'year', 'quarter', name=op.f('pk_target'))
    )
    op.create_index('ix_target_year', 'target', ['year', 'indicator_id'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_target_year', table_name='target')
    op.drop_table('target')
    op.drop_index('ix_realisation_year', table_name='realisation')
    op.drop_table('realisation')
    op.drop_index(op.f('ix_indicator_parent_id'), table_name='indicator')
    op.drop_index(op.f('ix_indicator_org_unit_id'), table_name='indicator')
    op.drop_index(op.f('ix_indicator_objective_id'), table_name='indicator')
    op.drop_table('indicator')
    op.drop_index(op.f('ix_objective_goal_id'), table_name='objective')
    op.drop_table('objective')
    op.drop_index(op.f('ix_goal_plan_id'), table_name='goal')
    op.drop_table('goal')
    op.drop_index(op.f('ix_strategic_plan_org_unit_id'), table_name='strategic_plan')
    op.drop_table('strategic_plan')
    op.drop_index('ix_org_unit_path_prefix', table_name='org_unit', postgresql_ops={'path': 'text_pattern_ops'})
    op.drop_index(op.f('ix_org_unit_parent_id'), table_name='org_unit')
    op.drop_index(op.f('ix_org_unit_government_id'), table_name='org_unit')
    op.drop_table('org_unit')
    op.drop_table('idempotent_request')
    op.drop_index('ix_government_path_prefix', table_name='government', postgresql_ops={'path': 'text_pattern_ops'})
    op.drop_index(op.f('ix_government_parent_id'), table_name='government')
    op.drop_table('government')
