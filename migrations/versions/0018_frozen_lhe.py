"""The evaluation report (LHE) frozen at FINAL: its Word and PDF bytes with their SHA-256, in an
append-only table, so that the signed report never drifts from what was finalised.

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-03 07:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0018'
down_revision: str | None = '0017'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

APPEND_ONLY = """
CREATE FUNCTION evaluation_report_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'evaluation_report is append-only: % refused', TG_OP
        USING ERRCODE = 'integrity_constraint_violation';
END $$;
"""


def upgrade() -> None:
    op.create_table(
        'evaluation_report',
        sa.Column('evaluation_id', sa.BigInteger(), nullable=False),
        sa.Column('province_code', sa.String(length=2), nullable=False),
        sa.Column('docx', sa.LargeBinary(), nullable=False),
        sa.Column('docx_sha256', sa.String(length=64), nullable=False),
        sa.Column('pdf', sa.LargeBinary(), nullable=False),
        sa.Column('pdf_sha256', sa.String(length=64), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
        sa.ForeignKeyConstraint(
            ['evaluation_id', 'province_code'], ['sakip_evaluation.id', 'sakip_evaluation.province_code'],
            name=op.f('fk_evaluation_report_evaluation_id_sakip_evaluation'),
        ),
        sa.PrimaryKeyConstraint('evaluation_id', 'province_code', name=op.f('pk_evaluation_report')),
    )
    op.execute(APPEND_ONLY)
    op.execute(
        'CREATE TRIGGER evaluation_report_append_only BEFORE UPDATE OR DELETE ON evaluation_report '
        'FOR EACH ROW EXECUTE FUNCTION evaluation_report_append_only()'
    )
    op.execute(
        'CREATE TRIGGER evaluation_report_no_truncate BEFORE TRUNCATE ON evaluation_report '
        'FOR EACH STATEMENT EXECUTE FUNCTION evaluation_report_append_only()'
    )


def downgrade() -> None:
    op.drop_table('evaluation_report')
    op.execute('DROP FUNCTION evaluation_report_append_only()')
