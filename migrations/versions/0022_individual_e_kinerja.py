"""Individual e-Kinerja: positions and employees, SKP with RHK, daily activity logs with weekly
approval and monthly scoring, TPP formulas, month facts, statements and payments. Closed months,
final SKP and paid statements are frozen by triggers, as the audit log is.

Revision ID: 0022
Revises: 0021
Create Date: 2026-12-03 18:56:36.233564
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = '0022'
down_revision: str | None = '0021'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('tpp_formula',
    sa.Column('id', sa.BigInteger(), sa.Identity(always=False), nullable=False),
    sa.Column('government_id', sa.BigInteger(), nullable=False),
    sa.Column('version', sa.SmallInteger(), nullable=False),
    sa.Column('effective_year', sa.SmallInteger(), nullable=False),
    sa.Column('effective_month', sa.SmallInteger(), nullable=False),
    sa.Column('formula', postgresql.JSONB(astext_type=sa.Text()), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('created_by', sa.String(length=100), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.CheckConstraint('effective_month BETWEEN 1 AND 12', name=op.f('ck_tpp_formula_month_range')),
    sa.ForeignKeyConstraint(['government_id'], ['government.id'], name=op.f('fk_tpp_formula_government_id_government')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_tpp_formula')),
    sa.UniqueConstraint('government_id', 'version', name='uq_tpp_formula_version')
    )
    op.create_table('activity_month',
    sa.Column('agency_id', sa.BigInteger(), nullable=False),
    sa.Column('province_code', sa.String(length=2), nullable=False),
    sa.Column('year', sa.SmallInteger(), nullable=False),
    sa.Column('month', sa.SmallInteger(), nullable=False),
    sa.Column('closed_by', sa.String(length=100), nullable=False),
    sa.Column('closed_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.CheckConstraint('month BETWEEN 1 AND 12', name=op.f('ck_activity_month_month_range')),
    sa.ForeignKeyConstraint(['agency_id', 'province_code'], ['org_unit.id', 'org_unit.province_code'], name=op.f('fk_activity_month_agency_id_org_unit')),
    sa.PrimaryKeyConstraint('agency_id', 'year', 'month', 'province_code', name=op.f('pk_activity_month'))
    )
    op.create_table('position',
    sa.Column('id', sa.BigInteger(), sa.Identity(always=False), nullable=False),
    sa.Column('province_code', sa.String(length=2), nullable=False),
    sa.Column('government_id', sa.BigInteger(), nullable=False),
    sa.Column('org_unit_id', sa.BigInteger(), nullable=False),
    sa.Column('agency_id', sa.BigInteger(), nullable=False),
    sa.Column('path', sa.Text(), nullable=False),
    sa.Column('code', sa.String(length=50), nullable=False),
    sa.Column('name', sa.String(length=300), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('job_class', sa.SmallInteger(), nullable=False),
    sa.Column('superior_id', sa.BigInteger(), nullable=True),
    sa.CheckConstraint("kind IN ('JPT', 'ADMINISTRATOR', 'PENGAWAS', 'PELAKSANA', 'FUNGSIONAL')", name=op.f('ck_position_kind_valid')),
    sa.CheckConstraint("province_code = split_part(path, '/', 1)", name=op.f('ck_position_province_of_path')),
    sa.CheckConstraint('job_class BETWEEN 1 AND 17', name=op.f('ck_position_job_class_range')),
    sa.CheckConstraint('superior_id IS NULL OR superior_id <> id', name=op.f('ck_position_not_own_superior')),
    sa.ForeignKeyConstraint(['agency_id', 'province_code'], ['org_unit.id', 'org_unit.province_code'], name=op.f('fk_position_agency_id_org_unit')),
    sa.ForeignKeyConstraint(['government_id'], ['government.id'], name=op.f('fk_position_government_id_government')),
    sa.ForeignKeyConstraint(['org_unit_id', 'province_code'], ['org_unit.id', 'org_unit.province_code'], name=op.f('fk_position_org_unit_id_org_unit')),
    sa.ForeignKeyConstraint(['superior_id', 'province_code'], ['position.id', 'position.province_code'], name=op.f('fk_position_superior_id_position')),
    sa.PrimaryKeyConstraint('id', 'province_code', name=op.f('pk_position')),
    sa.UniqueConstraint('government_id', 'code', 'province_code', name='uq_position_code')
    )
    op.create_index(op.f('ix_position_agency_id'), 'position', ['agency_id'], unique=False)
    op.create_index(op.f('ix_position_org_unit_id'), 'position', ['org_unit_id'], unique=False)
    op.create_index('ix_position_path_prefix', 'position', ['path'], unique=False, postgresql_ops={'path': 'text_pattern_ops'})
    op.create_index(op.f('ix_position_superior_id'), 'position', ['superior_id'], unique=False)
    op.create_table('skp_distribution',
    sa.Column('agency_id', sa.BigInteger(), nullable=False),
    sa.Column('province_code', sa.String(length=2), nullable=False),
    sa.Column('year', sa.SmallInteger(), nullable=False),
    sa.Column('organisation_rating', sa.String(length=16), nullable=False),
    sa.Column('mean_achievement', sa.Numeric(precision=20, scale=6), nullable=True),
    sa.Column('employees', sa.Integer(), nullable=False),
    sa.Column('finalised_by', sa.String(length=100), nullable=False),
    sa.Column('finalised_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.ForeignKeyConstraint(['agency_id', 'province_code'], ['org_unit.id', 'org_unit.province_code'], name=op.f('fk_skp_distribution_agency_id_org_unit')),
    sa.PrimaryKeyConstraint('agency_id', 'year', 'province_code', name=op.f('pk_skp_distribution'))
    )
    op.create_table('tpp_payment',
    sa.Column('agency_id', sa.BigInteger(), nullable=False),
    sa.Column('province_code', sa.String(length=2), nullable=False),
    sa.Column('year', sa.SmallInteger(), nullable=False),
    sa.Column('month', sa.SmallInteger(), nullable=False),
    sa.Column('total', sa.Numeric(precision=17, scale=2), nullable=False),
    sa.Column('paid_by', sa.String(length=100), nullable=False),
    sa.Column('paid_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.ForeignKeyConstraint(['agency_id', 'province_code'], ['org_unit.id', 'org_unit.province_code'], name=op.f('fk_tpp_payment_agency_id_org_unit')),
    sa.PrimaryKeyConstraint('agency_id', 'year', 'month', 'province_code', name=op.f('pk_tpp_payment'))
    )
    op.create_table('employee',
    sa.Column('id', sa.BigInteger(), sa.Identity(always=False), nullable=False),
    sa.Column('province_code', sa.String(length=2), nullable=False),
    sa.Column('government_id', sa.BigInteger(), nullable=False),
    sa.Column('nip', sa.String(length=18), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('golongan', sa.String(length=10), server_default='', nullable=False),
    sa.Column('position_id', sa.BigInteger(), nullable=True),
    sa.Column('user_id', sa.BigInteger(), nullable=True),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.ForeignKeyConstraint(['government_id'], ['government.id'], name=op.f('fk_employee_government_id_government')),
    sa.ForeignKeyConstraint(['position_id', 'province_code'], ['position.id', 'position.province_code'], name=op.f('fk_employee_position_id_position')),
    sa.ForeignKeyConstraint(['user_id'], ['app_user.id'], name=op.f('fk_employee_user_id_app_user')),
    sa.PrimaryKeyConstraint('id', 'province_code', name=op.f('pk_employee')),
    sa.UniqueConstraint('nip', 'province_code', name='uq_employee_nip'),
    sa.UniqueConstraint('position_id', 'province_code', name='uq_employee_position'),
    sa.UniqueConstraint('user_id', 'province_code', name='uq_employee_user')
    )
    op.create_index(op.f('ix_employee_position_id'), 'employee', ['position_id'], unique=False)
    op.create_table('acting_assignment',
    sa.Column('id', sa.BigInteger(), sa.Identity(always=False), nullable=False),
    sa.Column('province_code', sa.String(length=2), nullable=False),
    sa.Column('position_id', sa.BigInteger(), nullable=False),
    sa.Column('employee_id', sa.BigInteger(), nullable=False),
    sa.Column('kind', sa.String(length=3), nullable=False),
    sa.Column('starts_on', sa.Date(), nullable=False),
    sa.Column('ends_on', sa.Date(), nullable=True),
    sa.Column('created_by', sa.String(length=100), nullable=False),
    sa.CheckConstraint("kind IN ('PLT', 'PLH')", name=op.f('ck_acting_assignment_kind_valid')),
    sa.CheckConstraint('ends_on IS NULL OR ends_on >= starts_on', name=op.f('ck_acting_assignment_period_ordered')),
    sa.ForeignKeyConstraint(['employee_id', 'province_code'], ['employee.id', 'employee.province_code'], name=op.f('fk_acting_assignment_employee_id_employee')),
    sa.ForeignKeyConstraint(['position_id', 'province_code'], ['position.id', 'position.province_code'], name=op.f('fk_acting_assignment_position_id_position')),
    sa.PrimaryKeyConstraint('id', 'province_code', name=op.f('pk_acting_assignment'))
    )
    op.create_index(op.f('ix_acting_assignment_employee_id'), 'acting_assignment', ['employee_id'], unique=False)
    op.create_index(op.f('ix_acting_assignment_position_id'), 'acting_assignment', ['position_id'], unique=False)
    op.create_table('activity_week',
    sa.Column('employee_id', sa.BigInteger(), nullable=False),
    sa.Column('province_code', sa.String(length=2), nullable=False),
    sa.Column('week_start', sa.Date(), nullable=False),
    sa.Column('state', sa.String(length=10), nullable=False),
    sa.Column('submitted_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('decided_by', sa.String(length=100), nullable=True),
    sa.Column('decided_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('note', sa.Text(), nullable=True),
    sa.CheckConstraint("state IN ('SUBMITTED', 'APPROVED', 'RETURNED')", name=op.f('ck_activity_week_state_valid')),
    sa.CheckConstraint('extract(isodow FROM week_start) = 1', name=op.f('ck_activity_week_starts_monday')),
    sa.ForeignKeyConstraint(['employee_id', 'province_code'], ['employee.id', 'employee.province_code'], name=op.f('fk_activity_week_employee_id_employee')),
    sa.PrimaryKeyConstraint('employee_id', 'week_start', 'province_code', name=op.f('pk_activity_week'))
    )
    op.create_table('skp',
    sa.Column('id', sa.BigInteger(), sa.Identity(always=False), nullable=False),
    sa.Column('province_code', sa.String(length=2), nullable=False),
    sa.Column('employee_id', sa.BigInteger(), nullable=False),
    sa.Column('year', sa.SmallInteger(), nullable=False),
    sa.Column('position_id', sa.BigInteger(), nullable=False),
    sa.Column('agency_id', sa.BigInteger(), nullable=False),
    sa.Column('path', sa.Text(), nullable=False),
    sa.Column('state', sa.String(length=10), server_default='DRAFT', nullable=False),
    sa.Column('results_rating', sa.String(length=12), nullable=True),
    sa.Column('behaviour_rating', sa.String(length=12), nullable=True),
    sa.Column('predikat', sa.String(length=16), nullable=True),
    sa.Column('agreed_by', sa.String(length=100), nullable=True),
    sa.Column('agreed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('assessed_by', sa.String(length=100), nullable=True),
    sa.Column('assessed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.CheckConstraint("state IN ('DRAFT', 'AGREED', 'ASSESSED', 'FINAL')", name=op.f('ck_skp_state_valid')),
    sa.ForeignKeyConstraint(['employee_id', 'province_code'], ['employee.id', 'employee.province_code'], name=op.f('fk_skp_employee_id_employee')),
    sa.ForeignKeyConstraint(['position_id', 'province_code'], ['position.id', 'position.province_code'], name=op.f('fk_skp_position_id_position')),
    sa.PrimaryKeyConstraint('id', 'province_code', name=op.f('pk_skp')),
    sa.UniqueConstraint('employee_id', 'year', 'province_code', name='uq_skp_employee_year')
    )
    op.create_index(op.f('ix_skp_agency_id'), 'skp', ['agency_id'], unique=False)
    op.create_table('tpp_month_facts',
    sa.Column('employee_id', sa.BigInteger(), nullable=False),
    sa.Column('province_code', sa.String(length=2), nullable=False),
    sa.Column('year', sa.SmallInteger(), nullable=False),
    sa.Column('month', sa.SmallInteger(), nullable=False),
    sa.Column('working_days', sa.SmallInteger(), nullable=False),
    sa.Column('days_present', sa.SmallInteger(), nullable=False),
    sa.Column('apel_held', sa.SmallInteger(), nullable=False),
    sa.Column('apel_attended', sa.SmallInteger(), nullable=False),
    sa.Column('late_minutes', postgresql.ARRAY(sa.SmallInteger()), server_default='{}', nullable=False),
    sa.Column('bmd', sa.Boolean(), nullable=True),
    sa.Column('tptgr', sa.Boolean(), nullable=True),
    sa.Column('lhkpn', sa.Boolean(), nullable=True),
    sa.Column('recorded_by', sa.String(length=100), nullable=False),
    sa.Column('recorded_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.CheckConstraint('month BETWEEN 1 AND 12', name=op.f('ck_tpp_month_facts_month_range')),
    sa.ForeignKeyConstraint(['employee_id', 'province_code'], ['employee.id', 'employee.province_code'], name=op.f('fk_tpp_month_facts_employee_id_employee')),
    sa.PrimaryKeyConstraint('employee_id', 'year', 'month', 'province_code', name=op.f('pk_tpp_month_facts'))
    )
    op.create_table('tpp_statement',
    sa.Column('employee_id', sa.BigInteger(), nullable=False),
    sa.Column('province_code', sa.String(length=2), nullable=False),
    sa.Column('year', sa.SmallInteger(), nullable=False),
    sa.Column('month', sa.SmallInteger(), nullable=False),
    sa.Column('agency_id', sa.BigInteger(), nullable=False),
    sa.Column('formula_id', sa.BigInteger(), nullable=False),
    sa.Column('job_class', sa.SmallInteger(), nullable=False),
    sa.Column('figures', postgresql.JSONB(astext_type=sa.Text()), nullable=False),
    sa.Column('amount', sa.Numeric(precision=17, scale=2), nullable=False),
    sa.Column('computed_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.CheckConstraint('amount >= 0', name=op.f('ck_tpp_statement_amount_not_negative')),
    sa.ForeignKeyConstraint(['employee_id', 'province_code'], ['employee.id', 'employee.province_code'], name=op.f('fk_tpp_statement_employee_id_employee')),
    sa.ForeignKeyConstraint(['formula_id'], ['tpp_formula.id'], name=op.f('fk_tpp_statement_formula_id_tpp_formula')),
    sa.PrimaryKeyConstraint('employee_id', 'year', 'month', 'province_code', name=op.f('pk_tpp_statement'))
    )
    op.create_index('ix_tpp_statement_agency_month', 'tpp_statement', ['agency_id', 'year', 'month'], unique=False)
    op.create_table('skp_rhk',
    sa.Column('id', sa.BigInteger(), sa.Identity(always=False), nullable=False),
    sa.Column('province_code', sa.String(length=2), nullable=False),
    sa.Column('skp_id', sa.BigInteger(), nullable=False),
    sa.Column('parent_id', sa.BigInteger(), nullable=True),
    sa.Column('indicator_id', sa.BigInteger(), nullable=True),
    sa.Column('description', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['indicator_id', 'province_code'], ['indicator.id', 'indicator.province_code'], name=op.f('fk_skp_rhk_indicator_id_indicator')),
    sa.ForeignKeyConstraint(['parent_id', 'province_code'], ['skp_rhk.id', 'skp_rhk.province_code'], name=op.f('fk_skp_rhk_parent_id_skp_rhk')),
    sa.ForeignKeyConstraint(['skp_id', 'province_code'], ['skp.id', 'skp.province_code'], name=op.f('fk_skp_rhk_skp_id_skp')),
    sa.PrimaryKeyConstraint('id', 'province_code', name=op.f('pk_skp_rhk'))
    )
    op.create_index(op.f('ix_skp_rhk_parent_id'), 'skp_rhk', ['parent_id'], unique=False)
    op.create_index(op.f('ix_skp_rhk_skp_id'), 'skp_rhk', ['skp_id'], unique=False)
    op.create_table('activity_log',
    sa.Column('id', sa.BigInteger(), sa.Identity(always=False), nullable=False),
    sa.Column('province_code', sa.String(length=2), nullable=False),
    sa.Column('employee_id', sa.BigInteger(), nullable=False),
    sa.Column('agency_id', sa.BigInteger(), nullable=False),
    sa.Column('work_date', sa.Date(), nullable=False),
    sa.Column('starts_at', sa.Time(), nullable=False),
    sa.Column('ends_at', sa.Time(), nullable=False),
    sa.Column('kind', sa.String(length=12), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('rhk_id', sa.BigInteger(), nullable=True),
    sa.Column('evidence_url', sa.Text(), nullable=True),
    sa.Column('state', sa.String(length=10), server_default='DRAFT', nullable=False),
    sa.Column('review_note', sa.Text(), nullable=True),
    sa.Column('reviewed_by', sa.String(length=100), nullable=True),
    sa.Column('score', sa.Numeric(precision=4, scale=2), nullable=True),
    sa.Column('verify_note', sa.Text(), nullable=True),
    sa.Column('verified_by', sa.String(length=100), nullable=True),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.CheckConstraint("kind IN ('HADIR', 'DINAS_LUAR', 'CUTI', 'IZIN', 'SAKIT')", name=op.f('ck_activity_log_kind_valid')),
    sa.CheckConstraint("state IN ('DRAFT', 'SUBMITTED', 'RETURNED', 'APPROVED', 'VERIFIED', 'REJECTED')", name=op.f('ck_activity_log_state_valid')),
    sa.CheckConstraint('ends_at > starts_at', name=op.f('ck_activity_log_time_ordered')),
    sa.CheckConstraint('score IS NULL OR score BETWEEN 0 AND 10', name=op.f('ck_activity_log_score_range')),
    sa.ForeignKeyConstraint(['employee_id', 'province_code'], ['employee.id', 'employee.province_code'], name=op.f('fk_activity_log_employee_id_employee')),
    sa.ForeignKeyConstraint(['rhk_id', 'province_code'], ['skp_rhk.id', 'skp_rhk.province_code'], name=op.f('fk_activity_log_rhk_id_skp_rhk')),
    sa.PrimaryKeyConstraint('id', 'province_code', name=op.f('pk_activity_log'))
    )
    op.create_index('ix_activity_log_agency_date', 'activity_log', ['agency_id', 'work_date'], unique=False)
    op.create_index('ix_activity_log_employee_date', 'activity_log', ['employee_id', 'work_date'], unique=False)
    op.create_table('skp_rhk_target',
    sa.Column('rhk_id', sa.BigInteger(), nullable=False),
    sa.Column('province_code', sa.String(length=2), nullable=False),
    sa.Column('aspect', sa.String(length=10), nullable=False),
    sa.Column('indicator', sa.Text(), nullable=False),
    sa.Column('target', sa.Numeric(precision=20, scale=6), nullable=False),
    sa.Column('unit_of_measure', sa.String(length=50), nullable=False),
    sa.CheckConstraint("aspect IN ('KUANTITAS', 'KUALITAS', 'WAKTU', 'BIAYA')", name=op.f('ck_skp_rhk_target_aspect_valid')),
    sa.ForeignKeyConstraint(['rhk_id', 'province_code'], ['skp_rhk.id', 'skp_rhk.province_code'], name=op.f('fk_skp_rhk_target_rhk_id_skp_rhk')),
    sa.PrimaryKeyConstraint('rhk_id', 'aspect', 'province_code', name=op.f('pk_skp_rhk_target'))
    )
    for statement in FREEZING:
        op.execute(statement)


APPEND_ONLY = ('tpp_formula', 'tpp_payment', 'activity_month', 'skp_distribution')
FREEZING = [
    """CREATE FUNCTION individual_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        RAISE EXCEPTION '% is append-only', TG_TABLE_NAME USING ERRCODE = 'insufficient_privilege';
    END $$""",
    *[
        f'CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} '
        'FOR EACH ROW EXECUTE FUNCTION individual_append_only()'
        for table in APPEND_ONLY
    ],
    # An entry of a closed month cannot be written, moved or removed (domain/activity.py).
    """CREATE FUNCTION activity_log_frozen_month() RETURNS trigger LANGUAGE plpgsql AS $$
    DECLARE
        row_ activity_log;
    BEGIN
        FOREACH row_ IN ARRAY ARRAY[OLD, NEW] LOOP
            IF row_.id IS NOT NULL AND EXISTS (
                SELECT 1 FROM activity_month m
                WHERE m.agency_id = row_.agency_id AND m.province_code = row_.province_code
                  AND m.year = extract(year FROM row_.work_date) AND m.month = extract(month FROM row_.work_date)
            ) THEN
                RAISE EXCEPTION 'activity month % of agency % is closed', to_char(row_.work_date, 'YYYY-MM'),
                    row_.agency_id USING ERRCODE = 'insufficient_privilege';
            END IF;
        END LOOP;
        RETURN COALESCE(NEW, OLD);
    END $$""",
    """CREATE TRIGGER activity_log_frozen_month BEFORE INSERT OR UPDATE OR DELETE ON activity_log
    FOR EACH ROW EXECUTE FUNCTION activity_log_frozen_month()""",
    # A paid month's statements are frozen (domain/tpp.py).
    """CREATE FUNCTION tpp_statement_frozen_when_paid() RETURNS trigger LANGUAGE plpgsql AS $$
    DECLARE
        row_ tpp_statement;
    BEGIN
        FOREACH row_ IN ARRAY ARRAY[OLD, NEW] LOOP
            IF row_.employee_id IS NOT NULL AND EXISTS (
                SELECT 1 FROM tpp_payment p
                WHERE p.agency_id = row_.agency_id AND p.province_code = row_.province_code
                  AND p.year = row_.year AND p.month = row_.month
            ) THEN
                RAISE EXCEPTION 'TPP % - % of agency % is paid', row_.year, row_.month, row_.agency_id
                    USING ERRCODE = 'insufficient_privilege';
            END IF;
        END LOOP;
        RETURN COALESCE(NEW, OLD);
    END $$""",
    """CREATE TRIGGER tpp_statement_frozen_when_paid BEFORE INSERT OR UPDATE OR DELETE ON tpp_statement
    FOR EACH ROW EXECUTE FUNCTION tpp_statement_frozen_when_paid()""",
    # A final SKP (its agency's distribution finalised) is frozen (domain/skp.py).
    """CREATE FUNCTION skp_frozen_when_final() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF OLD.state = 'FINAL' THEN
            RAISE EXCEPTION 'SKP % is final', OLD.id USING ERRCODE = 'insufficient_privilege';
        END IF;
        RETURN COALESCE(NEW, OLD);
    END $$""",
    """CREATE TRIGGER skp_frozen_when_final BEFORE UPDATE OR DELETE ON skp
    FOR EACH ROW EXECUTE FUNCTION skp_frozen_when_final()""",
]


def downgrade() -> None:
    for function in (
        'skp_frozen_when_final', 'tpp_statement_frozen_when_paid', 'activity_log_frozen_month',
        'individual_append_only',
    ):
        op.execute(f'DROP FUNCTION {function}() CASCADE')
    op.drop_table('skp_rhk_target')
    op.drop_index('ix_activity_log_employee_date', table_name='activity_log')
    op.drop_index('ix_activity_log_agency_date', table_name='activity_log')
    op.drop_table('activity_log')
    op.drop_index(op.f('ix_skp_rhk_skp_id'), table_name='skp_rhk')
    op.drop_index(op.f('ix_skp_rhk_parent_id'), table_name='skp_rhk')
    op.drop_table('skp_rhk')
    op.drop_index('ix_tpp_statement_agency_month', table_name='tpp_statement')
    op.drop_table('tpp_statement')
    op.drop_table('tpp_month_facts')
    op.drop_index(op.f('ix_skp_agency_id'), table_name='skp')
    op.drop_table('skp')
    op.drop_table('activity_week')
    op.drop_index(op.f('ix_acting_assignment_position_id'), table_name='acting_assignment')
    op.drop_index(op.f('ix_acting_assignment_employee_id'), table_name='acting_assignment')
    op.drop_table('acting_assignment')
    op.drop_index(op.f('ix_employee_position_id'), table_name='employee')
    op.drop_table('employee')
    op.drop_table('tpp_payment')
    op.drop_table('skp_distribution')
    op.drop_index(op.f('ix_position_superior_id'), table_name='position')
    op.drop_index('ix_position_path_prefix', table_name='position', postgresql_ops={'path': 'text_pattern_ops'})
    op.drop_index(op.f('ix_position_org_unit_id'), table_name='position')
    op.drop_index(op.f('ix_position_agency_id'), table_name='position')
    op.drop_table('position')
    op.drop_table('activity_month')
    op.drop_table('tpp_formula')
