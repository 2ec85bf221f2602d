"""SAKIP evaluation (LKE): versioned models loaded as data (PermenPANRB 88/2021 and 12/2015),
evaluations with both sides' answers, evidence, disputes and recommendations with their
follow-up; a FINAL evaluation is frozen in the database.

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-03 06:00:00
"""

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = '0017'
down_revision: str | None = '0016'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

MODELS = Path(__file__).resolve().parents[2] / 'data' / 'lke'
SHIPPED = ('permenpanrb-88-2021', 'permenpanrb-12-2015')

FUNCTIONS = """
CREATE FUNCTION evaluation_model_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'evaluation_model is append-only: % refused', TG_OP
        USING ERRCODE = 'integrity_constraint_violation';
END $$;

CREATE FUNCTION sakip_evaluation_frozen() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF OLD.state = 'FINAL' AND (
        TG_OP = 'DELETE'
        OR to_jsonb(NEW) - 'published_at' IS DISTINCT FROM to_jsonb(OLD) - 'published_at'
        OR (OLD.published_at IS NOT NULL AND NEW.published_at IS DISTINCT FROM OLD.published_at)
    ) THEN
        RAISE EXCEPTION 'sakip_evaluation % is FINAL: % refused', OLD.id, TG_OP
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
END $$;

-- Rows of a FINAL evaluation; a recommendation's follow-up columns stay writable.
CREATE FUNCTION evaluation_part_frozen() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    row_evaluation bigint := CASE WHEN TG_OP = 'DELETE' THEN OLD.evaluation_id ELSE NEW.evaluation_id END;
    row_province text := CASE WHEN TG_OP = 'DELETE' THEN OLD.province_code ELSE NEW.province_code END;
    follow_up text[] := ARRAY['action_plan', 'target_date', 'person_in_charge', 'progress',
                              'follow_up_evidence_url', 'follow_up_by', 'follow_up_at'];
BEGIN
    IF EXISTS (SELECT 1 FROM sakip_evaluation
               WHERE id = row_evaluation AND province_code = row_province AND state = 'FINAL') THEN
        IF NOT (TG_TABLE_NAME = 'evaluation_recommendation' AND TG_OP = 'UPDATE'
                AND to_jsonb(NEW) - follow_up = to_jsonb(OLD) - follow_up) THEN
            RAISE EXCEPTION '% of FINAL evaluation %: % refused', TG_TABLE_NAME, row_evaluation, TG_OP
                USING ERRCODE = 'integrity_constraint_violation';
        END IF;
    END IF;
    RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
END $$;
"""
PARTS = ('evaluation_answer', 'evaluation_evidence', 'evaluation_dispute', 'evaluation_recommendation')


def _province() -> sa.Column[Any]:
    return sa.Column('province_code', sa.String(length=2), nullable=False)


def _evaluation(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        ['evaluation_id', 'province_code'], ['sakip_evaluation.id', 'sakip_evaluation.province_code'],
        name=op.f(f'fk_{table}_evaluation_id_sakip_evaluation'),
    )


def _now(name: str) -> sa.Column[Any]:
    return sa.Column(name, sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False)


def _check(table: str, name: str, condition: str) -> sa.CheckConstraint:
    return sa.CheckConstraint(condition, name=op.f(f'ck_{table}_{name}'))


def upgrade() -> None:
    model = op.create_table(
        'evaluation_model',
        sa.Column('id', sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column('code', sa.String(length=40), nullable=False),
        sa.Column('name', sa.String(length=300), nullable=False),
        sa.Column('legal_basis', sa.Text(), nullable=False),
        sa.Column('definition', postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        _now('created_at'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_evaluation_model')),
        sa.UniqueConstraint('code', name=op.f('uq_evaluation_model_code')),
    )
    op.create_table(
        'sakip_evaluation',
        sa.Column('id', sa.BigInteger(), sa.Identity(always=False), nullable=False),
        _province(),
        sa.Column('org_unit_id', sa.BigInteger(), nullable=False),
        sa.Column('year', sa.SmallInteger(), nullable=False),
        sa.Column('model_id', sa.BigInteger(), nullable=False),
        sa.Column('evaluating_path', sa.Text(), nullable=False),
        sa.Column('state', sa.String(length=20), server_default='SELF_ASSESSMENT', nullable=False),
        sa.Column('self_assessment_due', sa.Date(), nullable=False),
        sa.Column('verification_due', sa.Date(), nullable=False),
        sa.Column('quality_assurance_due', sa.Date(), nullable=False),
        sa.Column('dispute_days', sa.SmallInteger(), server_default='14', nullable=False),
        sa.Column('result_sent_on', sa.Date(), nullable=True),
        sa.Column('total', sa.Numeric(precision=5, scale=2), server_default='0', nullable=False),
        sa.Column('self_total', sa.Numeric(precision=5, scale=2), server_default='0', nullable=False),
        sa.Column('grade', sa.String(length=2), server_default='D', nullable=False),
        sa.Column('answered_self', sa.SmallInteger(), server_default='0', nullable=False),
        sa.Column('assessed', sa.SmallInteger(), server_default='0', nullable=False),
        sa.Column('criteria', sa.SmallInteger(), nullable=False),
        sa.Column('warnings_acknowledged_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column(
            'component_notes', postgresql.JSONB(astext_type=sa.Text()),
            server_default=sa.text("'{}'::jsonb"), nullable=False,
        ),
        sa.Column(
            'component_scores', postgresql.JSONB(astext_type=sa.Text()),
            server_default=sa.text("'[]'::jsonb"), nullable=False,
        ),
        sa.Column('revision', sa.Integer(), server_default='1', nullable=False),
        sa.Column('created_by', sa.String(length=100), nullable=False),
        _now('created_at'),
        sa.Column('finalised_by', sa.String(length=100), nullable=True),
        sa.Column('finalised_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('published_at', sa.DateTime(timezone=True), nullable=True),
        _check(
            'sakip_evaluation', 'state_valid',
            "state IN ('SELF_ASSESSMENT', 'VERIFICATION', 'QUALITY_ASSURANCE', 'SCORING', 'RESULT_SENT', "
            "'DISPUTED', 'FINAL')",
        ),
        _check('sakip_evaluation', 'grade_valid', "grade IN ('AA', 'A', 'BB', 'B', 'CC', 'C', 'D')"),
        sa.ForeignKeyConstraint(
            ['model_id'], ['evaluation_model.id'], name=op.f('fk_sakip_evaluation_model_id_evaluation_model')
        ),
        sa.ForeignKeyConstraint(
            ['org_unit_id', 'province_code'], ['org_unit.id', 'org_unit.province_code'],
            name=op.f('fk_sakip_evaluation_org_unit_id_org_unit'),
        ),
        sa.PrimaryKeyConstraint('id', 'province_code', name=op.f('pk_sakip_evaluation')),
        sa.UniqueConstraint('org_unit_id', 'year', 'province_code', name='uq_sakip_evaluation_unit_year'),
    )
    op.create_table(
        'evaluation_answer',
        sa.Column('evaluation_id', sa.BigInteger(), nullable=False),
        sa.Column('criterion_code', sa.String(length=20), nullable=False),
        _province(),
        sa.Column('self_answer', sa.String(length=10), nullable=True),
        sa.Column('self_note', sa.Text(), server_default='', nullable=False),
        sa.Column('self_by', sa.String(length=100), nullable=True),
        sa.Column('self_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('assessor_answer', sa.String(length=10), nullable=True),
        sa.Column('assessor_note', sa.Text(), server_default='', nullable=False),
        sa.Column('assessor_by', sa.String(length=100), nullable=True),
        sa.Column('assessor_at', sa.DateTime(timezone=True), nullable=True),
        _evaluation('evaluation_answer'),
        sa.PrimaryKeyConstraint('evaluation_id', 'criterion_code', 'province_code', name=op.f('pk_evaluation_answer')),
    )
    op.create_table(
        'evaluation_evidence',
        sa.Column('id', sa.BigInteger(), sa.Identity(always=False), nullable=False),
        _province(),
        sa.Column('evaluation_id', sa.BigInteger(), nullable=False),
        sa.Column('criterion_code', sa.String(length=20), nullable=False),
        sa.Column('kind', sa.String(length=10), nullable=False),
        sa.Column('title', sa.String(length=300), nullable=False),
        sa.Column('url', sa.Text(), nullable=True),
        sa.Column('document_kind', sa.String(length=20), nullable=True),
        sa.Column('document_id', sa.BigInteger(), nullable=True),
        sa.Column('file_name', sa.String(length=200), nullable=True),
        sa.Column('media_type', sa.String(length=100), nullable=True),
        sa.Column('content', sa.LargeBinary(), nullable=True),
        sa.Column('size', sa.Integer(), nullable=True),
        sa.Column('sha256', sa.String(length=64), nullable=True),
        sa.Column('verifier', sa.String(length=20), nullable=False),
        sa.Column('state', sa.String(length=10), server_default='PENDING', nullable=False),
        sa.Column('rejection_reason', sa.Text(), nullable=True),
        sa.Column('verified_by', sa.String(length=100), nullable=True),
        sa.Column('verified_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('replaces_id', sa.BigInteger(), nullable=True),
        sa.Column('added_by', sa.String(length=100), nullable=False),
        _now('added_at'),
        _check('evaluation_evidence', 'kind_valid', "kind IN ('FILE', 'LINK', 'DOCUMENT')"),
        _check('evaluation_evidence', 'state_valid', "state IN ('PENDING', 'ACCEPTED', 'REJECTED')"),
        _check('evaluation_evidence', 'verifier_valid', "verifier IN ('BAPPEDA', 'ORGANISASI', 'INSPEKTORAT')"),
        _evaluation('evaluation_evidence'),
        sa.PrimaryKeyConstraint('id', 'province_code', name=op.f('pk_evaluation_evidence')),
    )
    op.create_table(
        'evaluation_dispute',
        sa.Column('id', sa.BigInteger(), sa.Identity(always=False), nullable=False),
        _province(),
        sa.Column('evaluation_id', sa.BigInteger(), nullable=False),
        sa.Column('criterion_code', sa.String(length=20), nullable=False),
        sa.Column('reason', sa.Text(), nullable=False),
        sa.Column('raised_by', sa.String(length=100), nullable=False),
        _now('raised_at'),
        sa.Column('outcome', sa.String(length=10), nullable=True),
        sa.Column('answer_before', sa.String(length=10), nullable=True),
        sa.Column('answer_after', sa.String(length=10), nullable=True),
        sa.Column('rebuttal', sa.Text(), nullable=True),
        sa.Column('resolved_by', sa.String(length=100), nullable=True),
        sa.Column('resolved_at', sa.DateTime(timezone=True), nullable=True),
        _check('evaluation_dispute', 'outcome_valid', "outcome IN ('KEPT', 'CHANGED')"),
        _evaluation('evaluation_dispute'),
        sa.PrimaryKeyConstraint('id', 'province_code', name=op.f('pk_evaluation_dispute')),
        sa.UniqueConstraint(
            'evaluation_id', 'criterion_code', 'province_code', name='uq_evaluation_dispute_criterion'
        ),
    )
    op.create_table(
        'evaluation_recommendation',
        sa.Column('id', sa.BigInteger(), sa.Identity(always=False), nullable=False),
        _province(),
        sa.Column('evaluation_id', sa.BigInteger(), nullable=False),
        sa.Column('criterion_code', sa.String(length=20), nullable=True),
        sa.Column('component_code', sa.String(length=20), nullable=True),
        sa.Column('text', sa.Text(), nullable=False),
        sa.Column('created_by', sa.String(length=100), nullable=False),
        _now('created_at'),
        sa.Column('action_plan', sa.Text(), server_default='', nullable=False),
        sa.Column('target_date', sa.Date(), nullable=True),
        sa.Column('person_in_charge', sa.String(length=200), server_default='', nullable=False),
        sa.Column('progress', sa.SmallInteger(), server_default='0', nullable=False),
        sa.Column('follow_up_evidence_url', sa.Text(), nullable=True),
        sa.Column('follow_up_by', sa.String(length=100), nullable=True),
        sa.Column('follow_up_at', sa.DateTime(timezone=True), nullable=True),
        _check('evaluation_recommendation', 'progress_range', 'progress BETWEEN 0 AND 100'),
        _check(
            'evaluation_recommendation', 'names_its_subject',
            'criterion_code IS NOT NULL OR component_code IS NOT NULL',
        ),
        _evaluation('evaluation_recommendation'),
        sa.PrimaryKeyConstraint('id', 'province_code', name=op.f('pk_evaluation_recommendation')),
    )
    rows = []
    for name in SHIPPED:
        definition = json.loads((MODELS / f'{name}.json').read_text(encoding='utf-8'))
        rows.append({
            'code': definition['code'], 'name': definition['name'],
            'legal_basis': definition['legalBasis'], 'definition': definition,
        })
    op.bulk_insert(model, rows)
    op.execute(FUNCTIONS)
    op.execute(
        'CREATE TRIGGER evaluation_model_append_only BEFORE UPDATE OR DELETE ON evaluation_model '
        'FOR EACH ROW EXECUTE FUNCTION evaluation_model_append_only()'
    )
    op.execute(
        'CREATE TRIGGER sakip_evaluation_frozen BEFORE UPDATE OR DELETE ON sakip_evaluation '
        'FOR EACH ROW EXECUTE FUNCTION sakip_evaluation_frozen()'
    )
    for table in PARTS:
        op.execute(
            f'CREATE TRIGGER {table}_frozen BEFORE INSERT OR UPDATE OR DELETE ON {table} '
            'FOR EACH ROW EXECUTE FUNCTION evaluation_part_frozen()'
        )


def downgrade() -> None:
    for table in (*reversed(PARTS), 'sakip_evaluation', 'evaluation_model'):
        op.drop_table(table)
    for function in ('evaluation_part_frozen', 'sakip_evaluation_frozen', 'evaluation_model_append_only'):
        op.execute(f'DROP FUNCTION {function}()')
