"""The planning chain: plan versions with their goals, objectives, budget items, indicators and
targets; performance agreements (Perjanjian Kinerja) and their signed versions. Published plan
versions and signed agreements are immutable in the database, as the audit log is.

The goals and objectives of migration 0001 (never exposed by the API) become the content of a
first, published version of their plan; an indicator's objective becomes its place there.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-02 09:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = '0010'
down_revision: str | None = '0009'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

MEASURED = sa.Numeric(precision=20, scale=6)
RUPIAH = sa.Numeric(precision=17, scale=2)


def _province() -> sa.Column:  # type: ignore[type-arg]
    return sa.Column('province_code', sa.String(length=2), nullable=False)


def _same(table: str, column: str, referred: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        [column, 'province_code'], [f'{referred}.id', f'{referred}.province_code'],
        name=op.f(f'fk_{table}_{column}_{referred}'),
    )


def upgrade() -> None:
    op.add_column(
        'strategic_plan',
        sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    )
    op.create_unique_constraint(
        'uq_strategic_plan_period', 'strategic_plan', ['org_unit_id', 'kind', 'start_year', 'province_code']
    )
    op.create_table(
        'plan_version',
        sa.Column('id', sa.BigInteger(), sa.Identity(always=False), nullable=False),
        _province(),
        sa.Column('plan_id', sa.BigInteger(), nullable=False),
        sa.Column('number', sa.SmallInteger(), nullable=False),
        sa.Column('state', sa.String(length=20), server_default='DRAFT', nullable=False),
        sa.Column('copied_from_id', sa.BigInteger(), nullable=True),
        sa.Column('vision', sa.Text(), server_default='', nullable=False),
        sa.Column('missions', postgresql.ARRAY(sa.Text()), server_default=sa.text("'{}'"), nullable=False),
        sa.Column('reason', sa.Text(), nullable=True),
        sa.Column('legal_basis_kind', sa.String(length=100), nullable=True),
        sa.Column('legal_basis_number', sa.String(length=100), nullable=True),
        sa.Column('legal_basis_date', sa.Date(), nullable=True),
        sa.Column('effective_from', sa.Date(), nullable=False),
        sa.Column('revision', sa.Integer(), server_default='1', nullable=False),
        sa.Column('created_by', sa.String(length=100), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
        sa.Column('submitted_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('published_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('published_by', sa.String(length=100), nullable=True),
        sa.CheckConstraint("state IN ('DRAFT', 'SUBMITTED', 'PUBLISHED')", name=op.f('ck_plan_version_state_valid')),
        _same('plan_version', 'plan_id', 'strategic_plan'),
        _same('plan_version', 'copied_from_id', 'plan_version'),
        sa.PrimaryKeyConstraint('id', 'province_code', name=op.f('pk_plan_version')),
        sa.UniqueConstraint('plan_id', 'number', 'province_code', name='uq_plan_version_number'),
    )
    op.create_index(
        'uq_plan_version_open', 'plan_version', ['plan_id', 'province_code'], unique=True,
        postgresql_where=sa.text("state != 'PUBLISHED'"),
    )
    op.create_table(
        'plan_element',
        sa.Column('id', sa.BigInteger(), sa.Identity(always=False), nullable=False),
        _province(),
        sa.Column('version_id', sa.BigInteger(), nullable=False),
        sa.Column('kind', sa.String(length=20), nullable=False),
        sa.Column('parent_id', sa.BigInteger(), nullable=True),
        sa.Column('code', sa.String(length=50), nullable=False),
        sa.Column('name', sa.String(length=500), nullable=False),
        sa.Column('position', sa.SmallInteger(), nullable=False),
        sa.Column('mission_number', sa.SmallInteger(), nullable=True),
        sa.Column('budget', RUPIAH, nullable=True),
        sa.Column('aligned_id', sa.BigInteger(), nullable=True),
        sa.CheckConstraint('budget IS NULL OR budget >= 0', name=op.f('ck_plan_element_budget_not_negative')),
        sa.CheckConstraint(
            "kind IN ('GOAL', 'OBJECTIVE', 'PROGRAM', 'ACTIVITY', 'SUB_ACTIVITY')", name=op.f('ck_plan_element_kind_valid')
        ),
        _same('plan_element', 'version_id', 'plan_version'),
        _same('plan_element', 'parent_id', 'plan_element'),
        _same('plan_element', 'aligned_id', 'plan_element'),
        sa.PrimaryKeyConstraint('id', 'province_code', name=op.f('pk_plan_element')),
        sa.UniqueConstraint('version_id', 'kind', 'code', 'province_code', name='uq_plan_element_code'),
    )
    op.create_index(op.f('ix_plan_element_version_id'), 'plan_element', ['version_id'], unique=False)
    op.create_index('ix_plan_element_aligned', 'plan_element', ['aligned_id'], unique=False)
    op.create_table(
        'plan_indicator',
        sa.Column('id', sa.BigInteger(), sa.Identity(always=False), nullable=False),
        _province(),
        sa.Column('version_id', sa.BigInteger(), nullable=False),
        sa.Column('element_id', sa.BigInteger(), nullable=False),
        sa.Column('indicator_id', sa.BigInteger(), nullable=False),
        sa.Column('position', sa.SmallInteger(), nullable=False),
        sa.Column('baseline', MEASURED, nullable=True),
        sa.Column('end_target', MEASURED, nullable=True),
        _same('plan_indicator', 'version_id', 'plan_version'),
        _same('plan_indicator', 'element_id', 'plan_element'),
        _same('plan_indicator', 'indicator_id', 'indicator'),
        sa.PrimaryKeyConstraint('id', 'province_code', name=op.f('pk_plan_indicator')),
        sa.UniqueConstraint('element_id', 'indicator_id', 'province_code', name='uq_plan_indicator_element'),
    )
    op.create_index(op.f('ix_plan_indicator_indicator_id'), 'plan_indicator', ['indicator_id'], unique=False)
    op.create_index('ix_plan_indicator_version', 'plan_indicator', ['version_id'], unique=False)
    op.create_table(
        'plan_target',
        sa.Column('plan_indicator_id', sa.BigInteger(), nullable=False),
        sa.Column('year', sa.SmallInteger(), nullable=False),
        _province(),
        sa.Column('version_id', sa.BigInteger(), nullable=False),
        sa.Column('value', MEASURED, nullable=False),
        _same('plan_target', 'plan_indicator_id', 'plan_indicator'),
        _same('plan_target', 'version_id', 'plan_version'),
        sa.PrimaryKeyConstraint('plan_indicator_id', 'year', 'province_code', name=op.f('pk_plan_target')),
    )
    op.create_index(op.f('ix_plan_target_version_id'), 'plan_target', ['version_id'], unique=False)
    _agreement_tables()
    _carry_goals_and_objectives()
    _freezing_triggers()


def _agreement_tables() -> None:
    op.create_table(
        'performance_agreement',
        sa.Column('id', sa.BigInteger(), sa.Identity(always=False), nullable=False),
        _province(),
        sa.Column('org_unit_id', sa.BigInteger(), nullable=False),
        sa.Column('year', sa.SmallInteger(), nullable=False),
        sa.Column('level', sa.String(length=20), nullable=False),
        sa.Column('superior_id', sa.BigInteger(), nullable=True),
        sa.Column('state', sa.String(length=20), server_default='DRAFT', nullable=False),
        sa.Column('revision', sa.Integer(), server_default='1', nullable=False),
        sa.Column('first_party', postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column('first_party_user_id', sa.BigInteger(), nullable=True),
        sa.Column('second_party', postgresql.JSONB(astext_type=sa.Text()), nullable=True),
        sa.Column('first_signed_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('first_signed_by', sa.String(length=100), nullable=True),
        sa.Column('second_signed_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('second_signed_by', sa.String(length=100), nullable=True),
        sa.Column('revision_reason', sa.Text(), nullable=True),
        sa.Column('revision_ground', sa.String(length=40), nullable=True),
        sa.Column('signed_versions', sa.SmallInteger(), server_default='0', nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
        sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
        sa.CheckConstraint(
            "level IN ('KEPALA_DAERAH', 'JPT', 'ADMINISTRATOR', 'PENGAWAS')",
            name=op.f('ck_performance_agreement_level_valid'),
        ),
        sa.CheckConstraint("state IN ('DRAFT', 'SIGNED')", name=op.f('ck_performance_agreement_state_valid')),
        sa.ForeignKeyConstraint(
            ['first_party_user_id'], ['app_user.id'], name=op.f('fk_performance_agreement_first_party_user_id_app_user')
        ),
        _same('performance_agreement', 'org_unit_id', 'org_unit'),
        _same('performance_agreement', 'superior_id', 'performance_agreement'),
        sa.PrimaryKeyConstraint('id', 'province_code', name=op.f('pk_performance_agreement')),
        sa.UniqueConstraint('org_unit_id', 'year', 'province_code', name='uq_performance_agreement_unit_year'),
    )
    op.create_index(
        op.f('ix_performance_agreement_superior_id'), 'performance_agreement', ['superior_id'], unique=False
    )
    op.create_table(
        'agreement_item',
        sa.Column('agreement_id', sa.BigInteger(), nullable=False),
        sa.Column('indicator_id', sa.BigInteger(), nullable=False),
        _province(),
        sa.Column('position', sa.SmallInteger(), nullable=False),
        sa.Column('objective_text', sa.String(length=500), nullable=True),
        _same('agreement_item', 'agreement_id', 'performance_agreement'),
        _same('agreement_item', 'indicator_id', 'indicator'),
        sa.PrimaryKeyConstraint('agreement_id', 'indicator_id', 'province_code', name=op.f('pk_agreement_item')),
    )
    op.create_index('ix_agreement_item_indicator', 'agreement_item', ['indicator_id'], unique=False)
    op.create_table(
        'agreement_budget_line',
        sa.Column('agreement_id', sa.BigInteger(), nullable=False),
        sa.Column('code', sa.String(length=30), nullable=False),
        _province(),
        sa.Column('name', sa.String(length=500), nullable=False),
        sa.Column('amount', RUPIAH, nullable=False),
        sa.Column('position', sa.SmallInteger(), nullable=False),
        sa.CheckConstraint('amount >= 0', name=op.f('ck_agreement_budget_line_amount_not_negative')),
        _same('agreement_budget_line', 'agreement_id', 'performance_agreement'),
        sa.PrimaryKeyConstraint('agreement_id', 'code', 'province_code', name=op.f('pk_agreement_budget_line')),
    )
    op.create_table(
        'agreement_version',
        sa.Column('id', sa.BigInteger(), sa.Identity(always=False), nullable=False),
        _province(),
        sa.Column('agreement_id', sa.BigInteger(), nullable=False),
        sa.Column('number', sa.SmallInteger(), nullable=False),
        sa.Column('kind', sa.String(length=20), nullable=False),
        sa.Column('reason', sa.Text(), nullable=True),
        sa.Column('ground', sa.String(length=40), nullable=True),
        sa.Column('signed_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
        sa.Column('snapshot', postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.CheckConstraint("kind IN ('MURNI', 'PERUBAHAN')", name=op.f('ck_agreement_version_kind_valid')),
        _same('agreement_version', 'agreement_id', 'performance_agreement'),
        sa.PrimaryKeyConstraint('id', 'province_code', name=op.f('pk_agreement_version')),
        sa.UniqueConstraint('agreement_id', 'number', 'province_code', name='uq_agreement_version_number'),
    )


def _carry_goals_and_objectives() -> None:
    """Each plan's goals and objectives become its first version, published from the plan's
    start; each indicator's objective becomes its place in that version."""
    op.execute(
        """
        INSERT INTO plan_version (province_code, plan_id, number, state, vision, effective_from, created_by,
                                  published_at, published_by)
        SELECT province_code, id, 1, 'PUBLISHED', vision, make_date(start_year, 1, 1), 'migration', now(), 'migration'
        FROM strategic_plan
        """
    )
    op.execute(
        """
        INSERT INTO plan_element (province_code, version_id, kind, code, name, position)
        SELECT g.province_code, v.id, 'GOAL', g.code, g.name, row_number() OVER (PARTITION BY v.id ORDER BY g.id)
        FROM goal g JOIN plan_version v ON v.plan_id = g.plan_id AND v.province_code = g.province_code
        """
    )
    op.execute(
        """
        INSERT INTO plan_element (province_code, version_id, kind, parent_id, code, name, position)
        SELECT o.province_code, e.version_id, 'OBJECTIVE', e.id, o.code, o.name,
               row_number() OVER (PARTITION BY e.id ORDER BY o.id)
        FROM objective o
        JOIN goal g ON g.id = o.goal_id AND g.province_code = o.province_code
        JOIN plan_version v ON v.plan_id = g.plan_id AND v.province_code = g.province_code
        JOIN plan_element e ON e.version_id = v.id AND e.kind = 'GOAL' AND e.code = g.code
        """
    )
    op.execute(
        """
        INSERT INTO plan_indicator (province_code, version_id, element_id, indicator_id, position)
        SELECT i.province_code, e.version_id, e.id, i.id, row_number() OVER (PARTITION BY e.id ORDER BY i.id)
        FROM indicator i
        JOIN objective o ON o.id = i.objective_id AND o.province_code = i.province_code
        JOIN goal g ON g.id = o.goal_id AND g.province_code = o.province_code
        JOIN plan_version v ON v.plan_id = g.plan_id AND v.province_code = g.province_code
        JOIN plan_element e ON e.version_id = v.id AND e.kind = 'OBJECTIVE' AND e.code = o.code
        """
    )
    op.drop_index('ix_indicator_objective_id', table_name='indicator')
    op.drop_constraint('fk_indicator_objective_id_objective', 'indicator', type_='foreignkey')
    op.drop_column('indicator', 'objective_id')
    op.drop_table('objective')
    op.drop_table('goal')
    op.drop_column('strategic_plan', 'vision')


FREEZING = """
CREATE FUNCTION plan_version_frozen() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF OLD.state = 'PUBLISHED' THEN
        RAISE EXCEPTION 'plan_version % is published and immutable: % refused', OLD.id, TG_OP
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
    RETURN NEW;
END $$;

CREATE FUNCTION plan_content_frozen() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    touched bigint[];
BEGIN
    IF TG_OP = 'INSERT' THEN touched := ARRAY[NEW.version_id];
    ELSIF TG_OP = 'DELETE' THEN touched := ARRAY[OLD.version_id];
    ELSE touched := ARRAY[OLD.version_id, NEW.version_id];
    END IF;
    IF EXISTS (SELECT 1 FROM plan_version WHERE id = ANY(touched) AND state <> 'DRAFT') THEN
        RAISE EXCEPTION 'the content of a submitted or published plan version is immutable: % on % refused',
            TG_OP, TG_TABLE_NAME USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
    RETURN NEW;
END $$;

CREATE FUNCTION agreement_frozen() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' AND OLD.state = 'SIGNED' THEN
        RAISE EXCEPTION 'performance_agreement % is signed: DELETE refused', OLD.id
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    -- A signed agreement changes only by opening a revision (back to DRAFT, with a reason):
    -- its unit, year, level, parties and superior stay as signed until the revision is edited.
    IF TG_OP = 'UPDATE' AND OLD.state = 'SIGNED' AND (
        NEW.state <> 'DRAFT' OR NEW.revision_reason IS NULL
        OR (NEW.org_unit_id, NEW.year, NEW.level, NEW.superior_id, NEW.first_party, NEW.second_party,
            NEW.first_party_user_id)
           IS DISTINCT FROM
           (OLD.org_unit_id, OLD.year, OLD.level, OLD.superior_id, OLD.first_party, OLD.second_party,
            OLD.first_party_user_id)
    ) THEN
        RAISE EXCEPTION 'performance_agreement % is signed and immutable: revise it with a reason', OLD.id
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
    RETURN NEW;
END $$;

CREATE FUNCTION agreement_content_frozen() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    touched bigint[];
BEGIN
    IF TG_OP = 'INSERT' THEN touched := ARRAY[NEW.agreement_id];
    ELSIF TG_OP = 'DELETE' THEN touched := ARRAY[OLD.agreement_id];
    ELSE touched := ARRAY[OLD.agreement_id, NEW.agreement_id];
    END IF;
    IF EXISTS (SELECT 1 FROM performance_agreement WHERE id = ANY(touched) AND state = 'SIGNED') THEN
        RAISE EXCEPTION 'the content of a signed agreement is immutable: % on % refused', TG_OP, TG_TABLE_NAME
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
    RETURN NEW;
END $$;

CREATE FUNCTION agreement_version_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'agreement_version is append-only: % refused', TG_OP
        USING ERRCODE = 'integrity_constraint_violation';
END $$;
"""
CONTENT_TABLES = ('plan_element', 'plan_indicator', 'plan_target')
AGREEMENT_CONTENT = ('agreement_item', 'agreement_budget_line')


def _freezing_triggers() -> None:
    op.execute(FREEZING)
    op.execute(
        "CREATE TRIGGER plan_version_frozen BEFORE UPDATE OR DELETE ON plan_version "
        "FOR EACH ROW EXECUTE FUNCTION plan_version_frozen()"
    )
    for table in CONTENT_TABLES:
        op.execute(
            f"CREATE TRIGGER {table}_frozen BEFORE INSERT OR UPDATE OR DELETE ON {table} "
            "FOR EACH ROW EXECUTE FUNCTION plan_content_frozen()"
        )
    op.execute(
        "CREATE TRIGGER performance_agreement_frozen BEFORE UPDATE OR DELETE ON performance_agreement "
        "FOR EACH ROW EXECUTE FUNCTION agreement_frozen()"
    )
    for table in AGREEMENT_CONTENT:
        op.execute(
            f"CREATE TRIGGER {table}_frozen BEFORE INSERT OR UPDATE OR DELETE ON {table} "
            "FOR EACH ROW EXECUTE FUNCTION agreement_content_frozen()"
        )
    op.execute(
        "CREATE TRIGGER agreement_version_append_only BEFORE UPDATE OR DELETE ON agreement_version "
        "FOR EACH ROW EXECUTE FUNCTION agreement_version_append_only()"
    )
    op.execute(
        "CREATE TRIGGER agreement_version_no_truncate BEFORE TRUNCATE ON agreement_version "
        "FOR EACH STATEMENT EXECUTE FUNCTION agreement_version_append_only()"
    )


def downgrade() -> None:
    """Back to goals and objectives: the first version of each plan is what they held."""
    for table in ('agreement_version', 'agreement_budget_line', 'agreement_item', 'performance_agreement'):
        op.drop_table(table)
    op.add_column('strategic_plan', sa.Column('vision', sa.Text(), server_default='', nullable=False))
    op.create_table(
        'goal',
        sa.Column('id', sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column('plan_id', sa.BigInteger(), nullable=False),
        sa.Column('code', sa.String(length=50), nullable=False),
        sa.Column('name', sa.String(length=500), nullable=False),
        _province(),
        _same('goal', 'plan_id', 'strategic_plan'),
        sa.PrimaryKeyConstraint('id', 'province_code', name=op.f('pk_goal')),
    )
    op.create_index(op.f('ix_goal_plan_id'), 'goal', ['plan_id'], unique=False)
    op.create_table(
        'objective',
        sa.Column('id', sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column('goal_id', sa.BigInteger(), nullable=False),
        sa.Column('code', sa.String(length=50), nullable=False),
        sa.Column('name', sa.String(length=500), nullable=False),
        _province(),
        _same('objective', 'goal_id', 'goal'),
        sa.PrimaryKeyConstraint('id', 'province_code', name=op.f('pk_objective')),
    )
    op.create_index(op.f('ix_objective_goal_id'), 'objective', ['goal_id'], unique=False)
    op.add_column('indicator', sa.Column('objective_id', sa.BigInteger(), nullable=True))
    op.create_foreign_key(
        'fk_indicator_objective_id_objective', 'indicator', 'objective',
        ['objective_id', 'province_code'], ['id', 'province_code'],
    )
    op.create_index(op.f('ix_indicator_objective_id'), 'indicator', ['objective_id'], unique=False)
    first = "plan_version v ON v.number = 1"
    op.execute("UPDATE strategic_plan p SET vision = v.vision FROM plan_version v WHERE v.number = 1 AND v.plan_id = p.id")
    op.execute(
        "INSERT INTO goal (id, plan_id, code, name, province_code) OVERRIDING SYSTEM VALUE "
        f"SELECT e.id, v.plan_id, e.code, e.name, e.province_code FROM plan_element e JOIN {first} "
        "AND v.id = e.version_id AND e.kind = 'GOAL'"
    )
    op.execute(
        "INSERT INTO objective (id, goal_id, code, name, province_code) OVERRIDING SYSTEM VALUE "
        f"SELECT e.id, e.parent_id, e.code, e.name, e.province_code FROM plan_element e JOIN {first} "
        "AND v.id = e.version_id AND e.kind = 'OBJECTIVE' AND e.parent_id IN (SELECT id FROM goal)"
    )
    op.execute(
        "UPDATE indicator i SET objective_id = pi.element_id FROM plan_indicator pi "
        "WHERE pi.indicator_id = i.id AND pi.element_id IN (SELECT id FROM objective)"
    )
    for table in ('goal', 'objective'):
        op.execute(
            f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), coalesce((SELECT max(id) FROM {table}), 0) + 1, "
            "false)"
        )
    for table in ('plan_target', 'plan_indicator', 'plan_element', 'plan_version'):
        op.drop_table(table)
    for function in (
        'plan_version_frozen', 'plan_content_frozen', 'agreement_frozen', 'agreement_content_frozen',
        'agreement_version_append_only',
    ):
        op.execute(f'DROP FUNCTION {function}()')
    op.drop_constraint('uq_strategic_plan_period', 'strategic_plan', type_='unique')
    op.drop_column('strategic_plan', 'created_at')
