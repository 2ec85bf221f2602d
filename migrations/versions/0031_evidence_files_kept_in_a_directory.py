"""Evidence files may be kept in the deployment's file directory (store/files.py) instead of their
row: `in_file_store` says where a file's bytes are, and a FILE row keeps them in exactly one place.

Revision ID: 0031
Revises: 0030
Create Date: 2026-12-07 23:20:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0031'
down_revision: str | None = '0030'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column(
        'evaluation_evidence', sa.Column('in_file_store', sa.Boolean(), server_default='false', nullable=False)
    )
    op.create_check_constraint(
        op.f('ck_evaluation_evidence_file_kept_once'),
        'evaluation_evidence',
        "kind <> 'FILE' OR (sha256 IS NOT NULL AND (content IS NOT NULL) <> in_file_store)",
    )


def downgrade() -> None:
    # Files kept outside the database would lose their only reference: refuse rather than orphan them.
    op.execute(
        "DO $$ BEGIN IF EXISTS (SELECT 1 FROM evaluation_evidence WHERE in_file_store) THEN "
        "RAISE EXCEPTION 'evidence files are kept in the file directory; load them into content first'; "
        "END IF; END $$"
    )
    op.drop_constraint(op.f('ck_evaluation_evidence_file_kept_once'), 'evaluation_evidence', type_='check')
    op.drop_column('evaluation_evidence', 'in_file_store')
