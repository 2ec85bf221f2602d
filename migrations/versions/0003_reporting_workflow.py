"""Reporting workflow: reports, their transitions and comments, the append-only audit log,
deadlines per government, the reporting unit of every unit, and correction and version columns.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23 07:00:31.750899
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql
revision: str = '0003'
down_revision: str | None = '0002'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('audit_log',
    sa.Column('id', sa.BigInteger(), sa.Identity(always=False), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('actor', sa.String(length=100), nullable=False),
    sa.Column('request_id', sa.String(length=64), nullable=False),
    sa.Column('action', sa.String(length=50), nullable=False),
    sa.Column('entity_type', sa.String(length=30), nullable=False),
    sa.Column('entity_id', sa.String(length=100), nullable=False),
    sa.Column('scope_path', sa.Text(), nullable=False),
    sa.Column('old', postgresql.JSONB(astext_type=sa.Text()), nullable=True),
    sa.Column('new', postgresql.JSONB(astext_type=sa.Text()), nullable=True),
    sa.Column('reason', sa.Text(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_log'))
    )
    op.create_index('ix_audit_log_at', 'audit_log', ['at'], unique=False)
    op.create_index('ix_audit_log_entity', 'audit_log', ['entity_type', 'entity_id'], unique=False)
    op.create_index('ix_audit_log_scope_path', 'audit_log', ['scope_path'], unique=False, postgresql_ops={'scope_path': 'text_pattern_ops'})
    op.create_table('report',
    sa.Column('id', sa.BigInteger(), sa.Identity(always=False), nullable=False),
    sa.Column('org_unit_id', sa.BigInteger(), nullable=False),
    sa.Column('year', sa.SmallInteger(), nullable=False),
    sa.Column('quarter', sa.SmallInteger(), nullable=False),
    sa.Column('state', sa.String(length=20), server_default='DRAFT', nullable=False),
    sa.Column('approvals', sa.SmallInteger(), server_default='0', nullable=False),
    sa.Column('submitted_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('reviewed_by', sa.String(length=100), nullable=True),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.CheckConstraint("state IN ('DRAFT', 'SUBMITTED', 'RETURNED', 'APPROVED', 'LOCKED', 'PUBLISHED')", name=op.f('ck_report_state_valid')),
    sa.CheckConstraint('quarter BETWEEN 0 AND 4', name=op.f('ck_report_quarter_range')),
    sa.ForeignKeyConstraint(['org_unit_id'], ['org_unit.id'], name=op.f('fk_report_org_unit_id_org_unit')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_report')),
    sa.UniqueConstraint('org_unit_id', 'year', 'quarter', name='uq_report_unit_period')
    )
    op.create_table('report_transition',
    sa.Column('id', sa.BigInteger(), sa.Identity(always=False), nullable=False),
    sa.Column('report_id', sa.BigInteger(), nullable=False),
    sa.Column('action', sa.String(length=20), nullable=False),
    sa.Column('state', sa.String(length=20), nullable=False),
    sa.Column('actor', sa.String(length=100), nullable=False),
    sa.Column('reason', sa.Text(), nullable=True),
    sa.Column('at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.ForeignKeyConstraint(['report_id'], ['report.id'], name=op.f('fk_report_transition_report_id_report')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_report_transition'))
    )
    op.create_index(op.f('ix_report_transition_report_id'), 'report_transition', ['report_id'], unique=False)
    op.create_table('comment',
    sa.Column('id', sa.BigInteger(), sa.Identity(always=False), nullable=False),
    sa.Column('report_id', sa.BigInteger(), nullable=False),
    sa.Column('indicator_id', sa.BigInteger(), nullable=True),
    sa.Column('parent_id', sa.BigInteger(), nullable=True),
    sa.Column('author', sa.String(length=100), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('resolved_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('resolved_by', sa.String(length=100), nullable=True),
    sa.ForeignKeyConstraint(['indicator_id'], ['indicator.id'], name=op.f('fk_comment_indicator_id_indicator')),
    sa.ForeignKeyConstraint(['parent_id'], ['comment.id'], name=op.f('fk_comment_parent_id_comment')),
    sa.ForeignKeyConstraint(['report_id'], ['report.id'], name=op.f('fk_comment_report_id_report')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_comment'))
    )
    op.create_index(op.f('ix_comment_report_id'), 'comment', ['report_id'], unique=False)
    op.add_column('government', sa.Column('quarter_deadline_days', sa.SmallInteger(), server_default='10', nullable=False))
    op.add_column('government', sa.Column('annual_deadline_days', sa.SmallInteger(), server_default='90', nullable=False))
    op.add_column('org_unit', sa.Column('report_unit_id', sa.BigInteger(), nullable=True))
    op.create_index(op.f('ix_org_unit_report_unit_id'), 'org_unit', ['report_unit_id'], unique=False)
    op.create_foreign_key(op.f('fk_org_unit_report_unit_id_org_unit'), 'org_unit', 'org_unit', ['report_unit_id'], ['id'])
    op.add_column('realisation', sa.Column('corrected_by', sa.String(length=100), nullable=True))
    op.add_column('realisation', sa.Column('corrected_at', sa.DateTime(timezone=True), nullable=True))
    op.add_column('realisation', sa.Column('correction_reason', sa.Text(), nullable=True))
    op.add_column('realisation', sa.Column('value_before_correction', sa.Numeric(precision=20, scale=6), nullable=True))
    op.add_column('target', sa.Column('version', sa.Integer(), server_default='1', nullable=False))
    # Every existing unit reports through itself (pemda, perangkat daerah) or the perangkat
    # daerah above it: the second unit id of its path below the government, else the first.
    op.execute(
        """
        UPDATE org_unit AS u
        SET report_unit_id = coalesce(
            nullif(split_part(substr(u.path, length(g.path) + 1), '/', 2), '')::bigint,
            split_part(substr(u.path, length(g.path) + 1), '/', 1)::bigint
        )
        FROM government AS g
        WHERE g.id = u.government_id
        """
    )
    op.execute(
        """
        CREATE FUNCTION audit_log_is_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            RAISE EXCEPTION 'audit_log is append-only: % refused', TG_OP;
        END;
        $$
        """
    )
    op.execute(
        "CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log "
        "FOR EACH ROW EXECUTE FUNCTION audit_log_is_append_only()"
    )
    op.execute(
        "CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log "
        "FOR EACH STATEMENT EXECUTE FUNCTION audit_log_is_append_only()"
    )


def downgrade() -> None:
    op.execute("DROP TRIGGER audit_log_no_truncate ON audit_log")
    op.execute("DROP TRIGGER audit_log_append_only ON audit_log")
    op.execute("DROP FUNCTION audit_log_is_append_only()")
    op.drop_column('target', 'version')
    op.drop_column('realisation', 'value_before_correction')
    op.drop_column('realisation', 'correction_reason')
    op.drop_column('realisation', 'corrected_at')
    op.drop_column('realisation', 'corrected_by')
    op.drop_constraint(op.f('fk_org_unit_report_unit_id_org_unit'), 'org_unit', type_='foreignkey')
    op.drop_index(op.f('ix_org_unit_report_unit_id'), table_name='org_unit')
    op.drop_column('org_unit', 'report_unit_id')
    op.drop_column('government', 'annual_deadline_days')
    op.drop_column('government', 'quarter_deadline_days')
    op.drop_index(op.f('ix_comment_report_id'), table_name='comment')
    op.drop_table('comment')
    op.drop_index(op.f('ix_report_transition_report_id'), table_name='report_transition')
    op.drop_table('report_transition')
    op.drop_table('report')
    op.drop_index('ix_audit_log_scope_path', table_name='audit_log', postgresql_ops={'scope_path': 'text_pattern_ops'})
    op.drop_index('ix_audit_log_entity', table_name='audit_log')
    op.drop_index('ix_audit_log_at', table_name='audit_log')
    op.drop_table('audit_log')
