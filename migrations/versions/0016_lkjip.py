"""The LKjIP: narrative per chapter and indicator, benchmarks, budget realisation per quarter,
signed versions frozen with their documents, and each government's efficiency method.

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-02 22:00:00
"""

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

revision: str = '0016'
down_revision: str | None = '0015'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

APPEND_ONLY = """
CREATE FUNCTION lkjip_version_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'lkjip_version is append-only: % refused', TG_OP
        USING ERRCODE = 'integrity_constraint_violation';
END $$;
"""


def _province() -> sa.Column[Any]:
    return sa.Column('province_code', sa.String(length=2), nullable=False)


def _unit(table: str, column: str = 'org_unit_id') -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        [column, 'province_code'], ['org_unit.id', 'org_unit.province_code'],
        name=op.f(f'fk_{table}_{column}_org_unit'),
    )


def _indicator(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        ['indicator_id', 'province_code'], ['indicator.id', 'indicator.province_code'],
        name=op.f(f'fk_{table}_indicator_id_indicator'),
    )


def _now(name: str) -> sa.Column[Any]:
    return sa.Column(name, sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False)


def upgrade() -> None:
    op.add_column(
        'government',
        sa.Column('efficiency_method', sa.String(length=20), server_default='ABSORPTION', nullable=False),
    )
    op.create_check_constraint(
        op.f('ck_government_efficiency_method_valid'), 'government',
        "efficiency_method IN ('ABSORPTION', 'UNSPENT_BUDGET', 'OUTPUT_WEIGHTED')",
    )
    op.create_table(
        'lkjip_section',
        sa.Column('org_unit_id', sa.BigInteger(), nullable=False),
        sa.Column('year', sa.SmallInteger(), nullable=False),
        sa.Column('section', sa.String(length=20), nullable=False),
        _province(),
        sa.Column('body', sa.Text(), nullable=False),
        sa.Column('updated_by', sa.String(length=100), nullable=False),
        _now('updated_at'),
        sa.CheckConstraint(
            "section IN ('FOREWORD', 'BACKGROUND', 'DUTIES', 'STRATEGIC_ISSUES', 'CONCLUSION', 'NEXT_STEPS')",
            name=op.f('ck_lkjip_section_section_valid'),
        ),
        _unit('lkjip_section'),
        sa.PrimaryKeyConstraint('org_unit_id', 'year', 'section', 'province_code', name=op.f('pk_lkjip_section')),
    )
    op.create_table(
        'indicator_analysis',
        sa.Column('indicator_id', sa.BigInteger(), nullable=False),
        sa.Column('year', sa.SmallInteger(), nullable=False),
        _province(),
        sa.Column('supporting', sa.Text(), server_default='', nullable=False),
        sa.Column('inhibiting', sa.Text(), server_default='', nullable=False),
        sa.Column('actions', sa.Text(), server_default='', nullable=False),
        sa.Column('updated_by', sa.String(length=100), nullable=False),
        _now('updated_at'),
        _indicator('indicator_analysis'),
        sa.PrimaryKeyConstraint('indicator_id', 'year', 'province_code', name=op.f('pk_indicator_analysis')),
    )
    op.create_table(
        'indicator_benchmark',
        sa.Column('indicator_id', sa.BigInteger(), nullable=False),
        sa.Column('year', sa.SmallInteger(), nullable=False),
        _province(),
        sa.Column('province_value', sa.Numeric(precision=20, scale=6), nullable=True),
        sa.Column('national_value', sa.Numeric(precision=20, scale=6), nullable=True),
        sa.Column('province_source', sa.String(length=300), server_default='', nullable=False),
        sa.Column('national_source', sa.String(length=300), server_default='', nullable=False),
        sa.Column('recorded_by', sa.String(length=100), nullable=False),
        _now('recorded_at'),
        _indicator('indicator_benchmark'),
        sa.PrimaryKeyConstraint('indicator_id', 'year', 'province_code', name=op.f('pk_indicator_benchmark')),
    )
    op.create_table(
        'budget_realisation',
        sa.Column('org_unit_id', sa.BigInteger(), nullable=False),
        sa.Column('year', sa.SmallInteger(), nullable=False),
        sa.Column('quarter', sa.SmallInteger(), nullable=False),
        sa.Column('code', sa.String(length=30), nullable=False),
        _province(),
        sa.Column('amount', sa.Numeric(precision=17, scale=2), nullable=False),
        sa.Column('version', sa.Integer(), server_default='1', nullable=False),
        sa.Column('updated_by', sa.String(length=100), nullable=False),
        _now('updated_at'),
        sa.CheckConstraint('amount >= 0', name=op.f('ck_budget_realisation_amount_not_negative')),
        sa.CheckConstraint('quarter BETWEEN 1 AND 4', name=op.f('ck_budget_realisation_quarter_range')),
        _unit('budget_realisation'),
        sa.PrimaryKeyConstraint(
            'org_unit_id', 'year', 'quarter', 'code', 'province_code', name=op.f('pk_budget_realisation')
        ),
    )
    op.create_table(
        'lkjip_version',
        sa.Column('id', sa.BigInteger(), sa.Identity(always=False), nullable=False),
        _province(),
        sa.Column('org_unit_id', sa.BigInteger(), nullable=False),
        sa.Column('year', sa.SmallInteger(), nullable=False),
        sa.Column('number', sa.SmallInteger(), nullable=False),
        sa.Column('reason', sa.Text(), nullable=True),
        sa.Column('paper', sa.String(length=4), nullable=False),
        sa.Column('signed_by', sa.String(length=100), nullable=False),
        _now('signed_at'),
        sa.Column('figures', sa.dialects.postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column('figures_sha256', sa.String(length=64), nullable=False),
        sa.Column('pdf', sa.LargeBinary(), nullable=False),
        sa.Column('pdf_sha256', sa.String(length=64), nullable=False),
        sa.Column('docx', sa.LargeBinary(), nullable=False),
        sa.Column('docx_sha256', sa.String(length=64), nullable=False),
        sa.Column('xlsx', sa.LargeBinary(), nullable=False),
        sa.Column('xlsx_sha256', sa.String(length=64), nullable=False),
        sa.CheckConstraint("paper IN ('A4', 'F4')", name=op.f('ck_lkjip_version_paper_valid')),
        _unit('lkjip_version'),
        sa.PrimaryKeyConstraint('id', 'province_code', name=op.f('pk_lkjip_version')),
        sa.UniqueConstraint('org_unit_id', 'year', 'number', 'province_code', name='uq_lkjip_version_number'),
    )
    op.execute(APPEND_ONLY)
    op.execute(
        "CREATE TRIGGER lkjip_version_append_only BEFORE UPDATE OR DELETE ON lkjip_version "
        "FOR EACH ROW EXECUTE FUNCTION lkjip_version_append_only()"
    )
    op.execute(
        "CREATE TRIGGER lkjip_version_no_truncate BEFORE TRUNCATE ON lkjip_version "
        "FOR EACH STATEMENT EXECUTE FUNCTION lkjip_version_append_only()"
    )


def downgrade() -> None:
    for table in ('lkjip_version', 'budget_realisation', 'indicator_benchmark', 'indicator_analysis', 'lkjip_section'):
        op.drop_table(table)
    op.execute('DROP FUNCTION lkjip_version_append_only()')
    op.drop_constraint(op.f('ck_government_efficiency_method_valid'), 'government', type_='check')
    op.drop_column('government', 'efficiency_method')
