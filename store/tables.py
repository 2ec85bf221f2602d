"""Table metadata: the single description of the schema that Alembic compares migrations with.

Hierarchy paths are materialised text, indexed for prefix search (`LIKE 'prefix%'`):
a government's path is its chain of Kemendagri codes ('61/', '61/61.71/'); an org unit's is
its government's path followed by the chain of unit ids ('61/61.71/300/401/'). A subtree is a
prefix, whether it starts at a province, a kabupaten/kota or a unit.

Tables that grow with the country carry `province_code` (the first segment of their paths) in
every primary key, unique constraint and foreign key between them, so that Citus can distribute
them by province and keep each province's rows, joins and writes on one shard (docs/scaling.md).
The code comes last in keys: on a single node, lookups by id alone still use the primary key.
"""

from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Column,
    Date,
    DateTime,
    ForeignKey,
    ForeignKeyConstraint,
    Identity,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    Numeric,
    PrimaryKeyConstraint,
    SmallInteger,
    String,
    Table,
    Text,
    Time,
    UniqueConstraint,
    func,
    text,
)
from sqlalchemy.dialects.postgresql import ARRAY, JSONB

from domain.rollup import DEFAULT_ACHIEVEMENT_CAP

# Types of array parameters (`= ANY(:ids)`, unnested keys): one parameter whatever the count.
ID_ARRAY = ARRAY(BigInteger)
QUARTER_ARRAY = ARRAY(SmallInteger)

metadata = MetaData(
    naming_convention={
        "ix": "ix_%(column_0_label)s",
        "uq": "uq_%(table_name)s_%(column_0_name)s",
        "ck": "ck_%(table_name)s_%(constraint_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)

# numeric(20, 6): exact decimals, 14 digits before the point (domain.values.MAX_ABS_VALUE).
MeasuredValue = Numeric(20, 6)


def _enum_check(column: str, values: str) -> CheckConstraint:
    quoted = ", ".join(f"'{value}'" for value in values.split())
    return CheckConstraint(f"{column} IN ({quoted})", name=f"{column}_valid")


def _province_code() -> Column[str]:
    """The distribution column: the Kemendagri code of the province a row belongs to ('61')."""
    return Column("province_code", String(2), nullable=False)


def _province_of(path_column: str) -> CheckConstraint:
    return CheckConstraint(f"province_code = split_part({path_column}, '/', 1)", name="province_of_path")


def _id_key() -> PrimaryKeyConstraint:
    return PrimaryKeyConstraint("id", "province_code")


def _same_province(column: str, referred: str) -> ForeignKeyConstraint:
    """A reference to a row of a co-located table, which is always in the same province."""
    return ForeignKeyConstraint([column, "province_code"], [f"{referred}.id", f"{referred}.province_code"])


government = Table(
    "government",
    metadata,
    Column("id", BigInteger, Identity(), primary_key=True),
    Column("code", String(20), nullable=False, unique=True),
    Column("name", String(200), nullable=False),
    Column("kind", String(20), nullable=False),
    Column("parent_id", BigInteger, ForeignKey("government.id"), index=True),
    Column("path", Text, nullable=False),
    Column("achievement_cap", Numeric(6, 2), server_default=text(str(DEFAULT_ACHIEVEMENT_CAP))),
    Column("lower_is_better_method", String(20), nullable=False, server_default="MIRROR"),
    Column("quarter_deadline_days", SmallInteger, nullable=False, server_default="10"),
    Column("annual_deadline_days", SmallInteger, nullable=False, server_default="90"),
    # How the LKjIP computes efficiency of resources (domain/efficiency.py).
    Column("efficiency_method", String(20), nullable=False, server_default="ABSORPTION"),
    _enum_check("kind", "PROVINSI KABUPATEN KOTA"),
    _enum_check("lower_is_better_method", "MIRROR INVERSE"),
    _enum_check("efficiency_method", "ABSORPTION UNSPENT_BUDGET OUTPUT_WEIGHTED"),
)
Index("ix_government_path_prefix", government.c.path, postgresql_ops={"path": "text_pattern_ops"})

org_unit = Table(
    "org_unit",
    metadata,
    Column("id", BigInteger, Identity()),
    _province_code(),
    Column("government_id", BigInteger, ForeignKey("government.id"), nullable=False, index=True),
    Column("parent_id", BigInteger, index=True),
    Column("code", String(50), nullable=False),
    Column("name", String(300), nullable=False),
    Column("kind", String(20), nullable=False),
    Column("path", Text, nullable=False),
    # SOTK changes: a unit is valid over [valid_from, valid_to]; open-ended when valid_to is null.
    Column("valid_from", Date, nullable=False),
    Column("valid_to", Date),
    # The unit whose report covers this unit's data: itself for the pemda and a perangkat
    # daerah, the perangkat daerah above an eselon unit (domain.workflow.reporting_unit_id).
    Column("report_unit_id", BigInteger, index=True),
    _id_key(),
    _province_of("path"),
    _same_province("parent_id", "org_unit"),
    _same_province("report_unit_id", "org_unit"),
    _enum_check("kind", "PEMDA PERANGKAT_DAERAH ESELON_III ESELON_IV"),
    CheckConstraint("valid_to IS NULL OR valid_to >= valid_from", name="validity_ordered"),
    UniqueConstraint("government_id", "code", "valid_from", "province_code", name="uq_org_unit_code_version"),
)
Index("ix_org_unit_path_prefix", org_unit.c.path, postgresql_ops={"path": "text_pattern_ops"})

# Budget amounts in Rupiah: exact, at most two decimals (domain.budget.MAX_BUDGET).
Rupiah = Numeric(17, 2)

# A five-year plan (RPJMD of a pemda's root unit, Renstra of a perangkat daerah); its content
# lives in versions (domain/plans.py), published ones immutable (triggers, migration 0010).
strategic_plan = Table(
    "strategic_plan",
    metadata,
    Column("id", BigInteger, Identity()),
    _province_code(),
    Column("org_unit_id", BigInteger, nullable=False, index=True),
    Column("kind", String(20), nullable=False),
    Column("name", String(300), nullable=False),
    Column("start_year", SmallInteger, nullable=False),
    Column("end_year", SmallInteger, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    _id_key(),
    _same_province("org_unit_id", "org_unit"),
    _enum_check("kind", "RPJMD RENSTRA"),
    CheckConstraint("end_year >= start_year", name="years_ordered"),
    UniqueConstraint("org_unit_id", "kind", "start_year", "province_code", name="uq_strategic_plan_period"),
)

plan_version = Table(
    "plan_version",
    metadata,
    Column("id", BigInteger, Identity()),
    _province_code(),
    Column("plan_id", BigInteger, nullable=False),
    Column("number", SmallInteger, nullable=False),
    Column("state", String(20), nullable=False, server_default="DRAFT"),
    Column("copied_from_id", BigInteger),
    Column("vision", Text, nullable=False, server_default=""),
    Column("missions", ARRAY(Text), nullable=False, server_default=text("'{}'")),
    # A perubahan's reason and legal basis (dasar perubahan: kind, number, date).
    Column("reason", Text),
    Column("legal_basis_kind", String(100)),
    Column("legal_basis_number", String(100)),
    Column("legal_basis_date", Date),
    Column("effective_from", Date, nullable=False),
    Column("revision", Integer, nullable=False, server_default="1"),
    Column("created_by", String(100), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Column("submitted_at", DateTime(timezone=True)),
    Column("published_at", DateTime(timezone=True)),
    Column("published_by", String(100)),
    _id_key(),
    _same_province("plan_id", "strategic_plan"),
    _same_province("copied_from_id", "plan_version"),
    _enum_check("state", "DRAFT SUBMITTED PUBLISHED"),
    UniqueConstraint("plan_id", "number", "province_code", name="uq_plan_version_number"),
)
# At most one version of a plan is open (drafted or submitted): two planners revising the same
# published version at once get one draft and one CONFLICT.
Index(
    "uq_plan_version_open",
    plan_version.c.plan_id,
    plan_version.c.province_code,
    unique=True,
    postgresql_where=plan_version.c.state != "PUBLISHED",
)

# Goals (tujuan), objectives (sasaran) and budget items (program, kegiatan, sub-kegiatan, by
# their normalised SIPD code) of one version; keyed across versions by (kind, code).
plan_element = Table(
    "plan_element",
    metadata,
    Column("id", BigInteger, Identity()),
    _province_code(),
    Column("version_id", BigInteger, nullable=False, index=True),
    Column("kind", String(20), nullable=False),
    Column("parent_id", BigInteger),
    Column("code", String(50), nullable=False),
    Column("name", String(500), nullable=False),
    Column("position", SmallInteger, nullable=False),
    Column("mission_number", SmallInteger),
    Column("budget", Rupiah),
    # A Renstra objective's anchor: an objective of a published RPJMD version.
    Column("aligned_id", BigInteger),
    _id_key(),
    _same_province("version_id", "plan_version"),
    _same_province("parent_id", "plan_element"),
    _same_province("aligned_id", "plan_element"),
    _enum_check("kind", "GOAL OBJECTIVE PROGRAM ACTIVITY SUB_ACTIVITY"),
    CheckConstraint("budget IS NULL OR budget >= 0", name="budget_not_negative"),
    UniqueConstraint("version_id", "kind", "code", "province_code", name="uq_plan_element_code"),
)
Index("ix_plan_element_aligned", plan_element.c.aligned_id)

# An indicator of the master placed in a version: baseline, end-of-period target, yearly targets.
plan_indicator = Table(
    "plan_indicator",
    metadata,
    Column("id", BigInteger, Identity()),
    _province_code(),
    Column("version_id", BigInteger, nullable=False),
    Column("element_id", BigInteger, nullable=False),
    Column("indicator_id", BigInteger, nullable=False, index=True),
    Column("position", SmallInteger, nullable=False),
    Column("baseline", MeasuredValue),
    Column("end_target", MeasuredValue),
    _id_key(),
    _same_province("version_id", "plan_version"),
    _same_province("element_id", "plan_element"),
    _same_province("indicator_id", "indicator"),
    UniqueConstraint("element_id", "indicator_id", "province_code", name="uq_plan_indicator_element"),
)
Index("ix_plan_indicator_version", plan_indicator.c.version_id)

plan_target = Table(
    "plan_target",
    metadata,
    Column("plan_indicator_id", BigInteger),
    Column("year", SmallInteger),
    _province_code(),
    Column("version_id", BigInteger, nullable=False, index=True),
    Column("value", MeasuredValue, nullable=False),
    PrimaryKeyConstraint("plan_indicator_id", "year", "province_code"),
    _same_province("plan_indicator_id", "plan_indicator"),
    _same_province("version_id", "plan_version"),
)

# Perjanjian Kinerja: one per unit (its head) and year (domain/agreements.py). The working
# copy is edited while DRAFT; each signing appends a frozen agreement_version.
performance_agreement = Table(
    "performance_agreement",
    metadata,
    Column("id", BigInteger, Identity()),
    _province_code(),
    Column("org_unit_id", BigInteger, nullable=False),
    Column("year", SmallInteger, nullable=False),
    Column("level", String(20), nullable=False),
    Column("superior_id", BigInteger, index=True),
    Column("state", String(20), nullable=False, server_default="DRAFT"),
    Column("revision", Integer, nullable=False, server_default="1"),
    Column("first_party", JSONB, nullable=False),
    Column("first_party_user_id", BigInteger, ForeignKey("app_user.id")),
    Column("second_party", JSONB),
    Column("first_signed_at", DateTime(timezone=True)),
    Column("first_signed_by", String(100)),
    Column("second_signed_at", DateTime(timezone=True)),
    Column("second_signed_by", String(100)),
    # Set while a signed agreement is being revised (PK Perubahan): why, and on which ground.
    Column("revision_reason", Text),
    Column("revision_ground", String(40)),
    Column("signed_versions", SmallInteger, nullable=False, server_default="0"),
    Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Column("updated_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    _id_key(),
    _same_province("org_unit_id", "org_unit"),
    _same_province("superior_id", "performance_agreement"),
    _enum_check("level", "KEPALA_DAERAH JPT ADMINISTRATOR PENGAWAS"),
    _enum_check("state", "DRAFT SIGNED"),
    UniqueConstraint("org_unit_id", "year", "province_code", name="uq_performance_agreement_unit_year"),
)

# The day a government's budget document (DPA) for a year was approved: its agreements are due a
# month later (domain.agreements.agreement_deadline).
budget_approval = Table(
    "budget_approval",
    metadata,
    Column("government_id", BigInteger, ForeignKey("government.id"), primary_key=True),
    Column("year", SmallInteger, primary_key=True),
    Column("dpa_approved_on", Date, nullable=False),
    Column("recorded_by", String(100), nullable=False),
    Column("recorded_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
)

agreement_item = Table(
    "agreement_item",
    metadata,
    Column("agreement_id", BigInteger),
    Column("indicator_id", BigInteger),
    _province_code(),
    Column("position", SmallInteger, nullable=False),
    # The sasaran printed beside the indicator when no plan places it (eselon III/IV agreements).
    Column("objective_text", String(500)),
    PrimaryKeyConstraint("agreement_id", "indicator_id", "province_code"),
    _same_province("agreement_id", "performance_agreement"),
    _same_province("indicator_id", "indicator"),
)
Index("ix_agreement_item_indicator", agreement_item.c.indicator_id)

agreement_budget_line = Table(
    "agreement_budget_line",
    metadata,
    Column("agreement_id", BigInteger),
    Column("code", String(30)),
    _province_code(),
    Column("name", String(500), nullable=False),
    Column("amount", Rupiah, nullable=False),
    Column("position", SmallInteger, nullable=False),
    PrimaryKeyConstraint("agreement_id", "code", "province_code"),
    _same_province("agreement_id", "performance_agreement"),
    CheckConstraint("amount >= 0", name="amount_not_negative"),
)

# Signed agreements, frozen: everything the document prints, as it was at signing.
# Append-only at the database level (migration 0010), as the audit log is.
agreement_version = Table(
    "agreement_version",
    metadata,
    Column("id", BigInteger, Identity()),
    _province_code(),
    Column("agreement_id", BigInteger, nullable=False),
    Column("number", SmallInteger, nullable=False),
    Column("kind", String(20), nullable=False),
    Column("reason", Text),
    Column("ground", String(40)),
    Column("signed_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Column("snapshot", JSONB, nullable=False),
    _id_key(),
    _same_province("agreement_id", "performance_agreement"),
    _enum_check("kind", "MURNI PERUBAHAN"),
    UniqueConstraint("agreement_id", "number", "province_code", name="uq_agreement_version_number"),
)

indicator = Table(
    "indicator",
    metadata,
    Column("id", BigInteger, Identity()),
    _province_code(),
    Column("org_unit_id", BigInteger, nullable=False, index=True),
    Column("parent_id", BigInteger, index=True),
    Column("code", String(50), nullable=False),
    Column("name", String(300), nullable=False),
    Column("unit_of_measure", String(50), nullable=False),
    Column("polarity", String(20), nullable=False),
    Column("achievement_method", String(20), nullable=False),
    Column("type", String(20), nullable=False),
    Column("is_key", Boolean, nullable=False, server_default="false"),
    Column("period_aggregation", String(20), nullable=False),
    Column("rollup_from_children", String(20), nullable=False, server_default="NONE"),
    Column("weight", Numeric(10, 4), nullable=False, server_default="1"),
    Column("allow_negative", Boolean, nullable=False, server_default="false"),
    Column("ordinal_scale", String(30)),
    Column("definition", Text, nullable=False, server_default=""),
    Column("formula", Text, nullable=False, server_default=""),
    Column("data_source", Text, nullable=False, server_default=""),
    # The first year the definition above applies to (null: every year); earlier years' are in
    # indicator_definition.
    Column("definition_from_year", SmallInteger),
    # Retired from this year on (pensiun): not counted in that year's rollups, no values entered.
    Column("retired_from_year", SmallInteger),
    # QUARTERLY: realisations entered per quarter; MONTHLY: per month, each quarter derived
    # from its months (domain/months.py).
    Column("reporting_frequency", String(20), nullable=False, server_default="QUARTERLY"),
    _id_key(),
    _same_province("org_unit_id", "org_unit"),
    _same_province("parent_id", "indicator"),
    _enum_check("polarity", "HIGHER_IS_BETTER LOWER_IS_BETTER"),
    _enum_check("achievement_method", "RATIO MIRROR INVERSE RANGE"),
    _enum_check("type", "IMPACT OUTCOME OUTPUT"),
    _enum_check("period_aggregation", "SUM LAST AVERAGE"),
    _enum_check("rollup_from_children", "NONE SUM AVERAGE WEIGHTED_AVERAGE MIN MAX"),
    _enum_check("reporting_frequency", "QUARTERLY MONTHLY"),
    CheckConstraint("weight > 0", name="weight_positive"),
    UniqueConstraint("org_unit_id", "code", "province_code", name="uq_indicator_unit_code"),
)

# Definitions an indicator had before its current one (domain/indicators.py): each applied to the
# years [from_year, until_year]. The indicator row holds the definition in force from its
# `definition_from_year` (every year when null); evaluation takes a year's polarity and method
# from here when a superseded definition covers that year (store/evaluation.py).
indicator_definition = Table(
    "indicator_definition",
    metadata,
    Column("id", BigInteger, Identity()),
    _province_code(),
    Column("indicator_id", BigInteger, nullable=False),
    Column("from_year", SmallInteger, nullable=False),
    Column("until_year", SmallInteger, nullable=False),
    Column("name", String(300), nullable=False),
    Column("unit_of_measure", String(50), nullable=False),
    Column("polarity", String(20), nullable=False),
    Column("achievement_method", String(20), nullable=False),
    Column("definition", Text, nullable=False),
    Column("formula", Text, nullable=False),
    Column("data_source", Text, nullable=False),
    # Why the definition that replaced this one was made, by whom and when.
    Column("replaced_because", Text),
    Column("replaced_by", String(100), nullable=False),
    Column("replaced_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    _id_key(),
    _same_province("indicator_id", "indicator"),
    CheckConstraint("until_year >= from_year", name="years_ordered"),
    UniqueConstraint("indicator_id", "from_year", "province_code", name="uq_indicator_definition_from"),
)

# Cascade links the upper level proposed (pohon kinerja across governments, or from a pemda's
# RPJMD indicator to an agency's); the child's parent_id is set only once the lower level accepts.
cascade_proposal = Table(
    "cascade_proposal",
    metadata,
    Column("id", BigInteger, Identity()),
    _province_code(),
    Column("child_id", BigInteger, nullable=False, index=True),
    Column("parent_id", BigInteger, nullable=False, index=True),
    Column("state", String(20), nullable=False, server_default="PROPOSED"),
    Column("proposed_by", String(100), nullable=False),
    Column("proposed_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Column("decided_by", String(100)),
    Column("decided_at", DateTime(timezone=True)),
    Column("reason", Text),
    _id_key(),
    _same_province("child_id", "indicator"),
    _same_province("parent_id", "indicator"),
    _enum_check("state", "PROPOSED ACCEPTED REJECTED"),
)
Index(
    "uq_cascade_proposal_open",
    cascade_proposal.c.child_id,
    cascade_proposal.c.province_code,
    unique=True,
    postgresql_where=cascade_proposal.c.state == "PROPOSED",
)

# Computed indicators are few; cascade walks (store/evaluation.py, store/aggregates.py) look for
# them at every recursion step, and without this index each step scanned every indicator.
Index("ix_indicator_computed", indicator.c.id, postgresql_where=indicator.c.rollup_from_children != "NONE")

# quarter 0 is the annual target; 1..4 the year-to-date targets through each quarter.
target = Table(
    "target",
    metadata,
    Column("indicator_id", BigInteger),
    Column("year", SmallInteger),
    Column("quarter", SmallInteger),
    _province_code(),
    Column("value", MeasuredValue, nullable=False),
    Column("high", MeasuredValue),
    Column("version", Integer, nullable=False, server_default="1"),
    Column("updated_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    PrimaryKeyConstraint("indicator_id", "year", "quarter", "province_code"),
    _same_province("indicator_id", "indicator"),
    CheckConstraint("quarter BETWEEN 0 AND 4", name="quarter_range"),
    CheckConstraint("high IS NULL OR high >= value", name="range_ordered"),
)
Index("ix_target_year", target.c.year, target.c.indicator_id)


def _reported_value() -> list[Column[Any]]:
    """A realisation as an operator reports it (a quarter's, or a month's): the value, its
    narrative, its version, and a reviewer's correction (koreksi), shown to the operator as such."""
    return [
        Column("value", MeasuredValue, nullable=False),
        Column("note", Text, nullable=False, server_default=""),
        Column("version", Integer, nullable=False, server_default="1"),
        Column("updated_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
        Column("corrected_by", String(100)),
        Column("corrected_at", DateTime(timezone=True)),
        Column("correction_reason", Text),
        Column("value_before_correction", MeasuredValue),
    ]


realisation = Table(
    "realisation",
    metadata,
    Column("indicator_id", BigInteger),
    Column("year", SmallInteger),
    Column("quarter", SmallInteger),
    _province_code(),
    *_reported_value(),
    PrimaryKeyConstraint("indicator_id", "year", "quarter", "province_code"),
    _same_province("indicator_id", "indicator"),
    CheckConstraint("quarter BETWEEN 1 AND 4", name="quarter_range"),
)
Index("ix_realisation_year", realisation.c.year, realisation.c.indicator_id)

# Months of indicators that report monthly; the quarter each three make is written to
# `realisation` by the same write (actions/monthly.py), so every quarterly rule reads it as is.
monthly_realisation = Table(
    "monthly_realisation",
    metadata,
    Column("indicator_id", BigInteger),
    Column("year", SmallInteger),
    Column("month", SmallInteger),
    _province_code(),
    *_reported_value(),
    PrimaryKeyConstraint("indicator_id", "year", "month", "province_code"),
    _same_province("indicator_id", "indicator"),
    CheckConstraint("month BETWEEN 1 AND 12", name="month_range"),
)

idempotent_request = Table(
    "idempotent_request",
    metadata,
    Column("key", String(200), primary_key=True),
    Column("operation", String(50), nullable=False),
    Column("request_hash", String(64), nullable=False),
    Column("response", JSONB, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
)

app_user = Table(
    "app_user",
    metadata,
    Column("id", BigInteger, Identity(), primary_key=True),
    Column("username", String(100), nullable=False, unique=True),
    Column("display_name", String(200), nullable=False),
    Column("nip", String(18)),
    Column("password_hash", Text, nullable=False),
    Column("is_active", Boolean, nullable=False, server_default="true"),
    Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
)

# API tokens for third-party tools: only a SHA-256 of the 256-bit secret is kept (the secret is
# random, so a slow password hash would add nothing but latency per request).
api_token = Table(
    "api_token",
    metadata,
    Column("id", BigInteger, Identity(), primary_key=True),
    Column("user_id", BigInteger, ForeignKey("app_user.id"), nullable=False, index=True),
    Column("name", String(100), nullable=False),
    Column("scope_path", Text, nullable=False),
    Column("secret_hash", String(64), nullable=False),
    Column("expires_at", DateTime(timezone=True), nullable=False),
    Column("revoked_at", DateTime(timezone=True)),
    Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    # The token may run registered operations only (persisted_operation), never a document of its own.
    Column("registered_only", Boolean, nullable=False, server_default=text("false")),
    # Individual data the owner granted the token to read (policies.individual.TokenGrant).
    Column("individual_grants", ARRAY(Text), nullable=False, server_default=text("'{}'")),
    CheckConstraint(
        "individual_grants <@ ARRAY['PERSONNEL', 'ACTIVITY', 'TPP']::text[]", name="individual_grants_known"
    ),
)

# Operation documents an ADMIN registered for pages and third-party tools, by their SHA-256.
persisted_operation = Table(
    "persisted_operation",
    metadata,
    Column("sha256", String(64), primary_key=True),
    Column("document", Text, nullable=False),
    Column("name", String(200)),
    Column("registered_by", String(100), nullable=False),
    Column("registered_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    CheckConstraint("sha256 ~ '^[0-9a-f]{64}$'", name="sha256_hex"),
)

# Browser sessions of the pages (web/): the cookie carries a random secret, the row only its
# SHA-256; a new row at every sign-in (no session fixation), ended at sign-out or when idle.
web_session = Table(
    "web_session",
    metadata,
    Column("id_hash", String(64), primary_key=True),
    Column("user_id", BigInteger, ForeignKey("app_user.id"), nullable=False, index=True),
    Column("csrf_token", String(64), nullable=False),
    Column("client_address", String(64), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("last_seen_at", DateTime(timezone=True), nullable=False),
    Column("ended_at", DateTime(timezone=True)),
)

login_failure = Table(
    "login_failure",
    metadata,
    Column("id", BigInteger, Identity(), primary_key=True),
    Column("username", String(100), nullable=False),
    Column("client_address", String(64), nullable=False),
    Column("at", DateTime(timezone=True), nullable=False, server_default=func.now()),
)
Index("ix_login_failure_username_at", login_failure.c.username, login_failure.c.at)
Index("ix_login_failure_address_at", login_failure.c.client_address, login_failure.c.at)

# The Casbin adapter's table (casbin-async-sqlalchemy-adapter): grants are `g` rules
# (v0 = 'user:<id>', v1 = role, v2 = scope path). Declared here so Alembic owns its schema.
casbin_rule = Table(
    "casbin_rule",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("ptype", String(255)),
    Column("v0", String(255)),
    Column("v1", String(255)),
    Column("v2", String(255)),
    Column("v3", String(255)),
    Column("v4", String(255)),
    Column("v5", String(255)),
)
Index("ix_casbin_rule_subject", casbin_rule.c.ptype, casbin_rule.c.v0)

# One report per reporting unit and period; quarter 0 is the annual report (LKjIP).
report = Table(
    "report",
    metadata,
    Column("id", BigInteger, Identity()),
    _province_code(),
    Column("org_unit_id", BigInteger, nullable=False),
    Column("year", SmallInteger, nullable=False),
    Column("quarter", SmallInteger, nullable=False),
    Column("state", String(20), nullable=False, server_default="DRAFT"),
    Column("approvals", SmallInteger, nullable=False, server_default="0"),
    Column("submitted_at", DateTime(timezone=True)),
    Column("reviewed_by", String(100)),
    Column("version", Integer, nullable=False, server_default="1"),
    Column("updated_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    _id_key(),
    _same_province("org_unit_id", "org_unit"),
    _enum_check("state", "DRAFT SUBMITTED RETURNED APPROVED LOCKED PUBLISHED"),
    CheckConstraint("quarter BETWEEN 0 AND 4", name="quarter_range"),
    UniqueConstraint("org_unit_id", "year", "quarter", "province_code", name="uq_report_unit_period"),
)

report_transition = Table(
    "report_transition",
    metadata,
    Column("id", BigInteger, Identity()),
    _province_code(),
    Column("report_id", BigInteger, nullable=False, index=True),
    Column("action", String(20), nullable=False),
    Column("state", String(20), nullable=False),
    Column("actor", String(100), nullable=False),
    Column("reason", Text),
    Column("at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    _id_key(),
    _same_province("report_id", "report"),
)

comment = Table(
    "comment",
    metadata,
    Column("id", BigInteger, Identity()),
    _province_code(),
    Column("report_id", BigInteger, nullable=False, index=True),
    Column("indicator_id", BigInteger),
    Column("parent_id", BigInteger),
    Column("author", String(100), nullable=False),
    Column("body", Text, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Column("resolved_at", DateTime(timezone=True)),
    Column("resolved_by", String(100)),
    _id_key(),
    _same_province("report_id", "report"),
    _same_province("indicator_id", "indicator"),
    _same_province("parent_id", "comment"),
)

# Append-only at the database level: a trigger (migration 0003) refuses UPDATE, DELETE, TRUNCATE.
audit_log = Table(
    "audit_log",
    metadata,
    Column("id", BigInteger, Identity()),
    _province_code(),
    Column("at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Column("actor", String(100), nullable=False),
    Column("request_id", String(64), nullable=False),
    Column("action", String(50), nullable=False),
    Column("entity_type", String(30), nullable=False),
    Column("entity_id", String(100), nullable=False),
    Column("scope_path", Text, nullable=False),
    Column("old", JSONB),
    Column("new", JSONB),
    Column("reason", Text),
    _id_key(),
    _province_of("scope_path"),
)
Index("ix_audit_log_scope_path", audit_log.c.scope_path, postgresql_ops={"scope_path": "text_pattern_ops"})
Index("ix_audit_log_entity", audit_log.c.entity_type, audit_log.c.entity_id)
Index("ix_audit_log_at", audit_log.c.at)

# Rollup aggregates, kept in the writing transaction (store/aggregates.py): the totals of a
# unit's own indicators (level UNIT) and of everything a reporting unit's report covers (level
# REPORT_UNIT, an agency or a pemda's root), per year and quarter (0: the year). Rows carry the
# unit's path and reporting unit so that reads filter them like base rows.
rollup_aggregate = Table(
    "rollup_aggregate",
    metadata,
    Column("level", String(12)),
    Column("unit_id", BigInteger),
    Column("year", SmallInteger),
    Column("quarter", SmallInteger),
    _province_code(),
    Column("path", Text, nullable=False),
    Column("report_unit_id", BigInteger, nullable=False),
    Column("indicator_count", Integer, nullable=False),
    Column("counted_count", Integer, nullable=False),
    Column("weighted_sum", Numeric, nullable=False),
    Column("weight_total", Numeric, nullable=False),
    Column("sangat_tinggi", Integer, nullable=False),
    Column("tinggi", Integer, nullable=False),
    Column("sedang", Integer, nullable=False),
    Column("rendah", Integer, nullable=False),
    Column("sangat_rendah", Integer, nullable=False),
    PrimaryKeyConstraint("level", "unit_id", "year", "quarter", "province_code"),
    _province_of("path"),
    _same_province("unit_id", "org_unit"),
    _enum_check("level", "UNIT REPORT_UNIT"),
)
Index(
    "ix_rollup_aggregate_period_path",
    rollup_aggregate.c.level,
    rollup_aggregate.c.year,
    rollup_aggregate.c.quarter,
    rollup_aggregate.c.path,
    postgresql_ops={"path": "text_pattern_ops"},
)
# A write refreshes the rows of the reporting units it touched: without this, a sequential scan.
Index("ix_rollup_aggregate_report_unit", rollup_aggregate.c.report_unit_id, rollup_aggregate.c.year)

# The version of the rules (domain.rollup.RULES_VERSION) the stored aggregates were built by:
# one row, rewritten by every full rebuild.
aggregate_rules = Table(
    "aggregate_rules",
    metadata,
    Column("id", SmallInteger, primary_key=True, server_default=text("1")),
    Column("version", Integer, nullable=False),
    Column("built_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    CheckConstraint("id = 1", name="one_row"),
)


# The LKjIP (domain/lkjip.py). The unit's own text per chapter and year (narasi).
lkjip_section = Table(
    "lkjip_section",
    metadata,
    Column("org_unit_id", BigInteger),
    Column("year", SmallInteger),
    Column("section", String(20)),
    _province_code(),
    Column("body", Text, nullable=False),
    Column("updated_by", String(100), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    PrimaryKeyConstraint("org_unit_id", "year", "section", "province_code"),
    _same_province("org_unit_id", "org_unit"),
    _enum_check("section", "FOREWORD BACKGROUND DUTIES STRATEGIC_ISSUES CONCLUSION NEXT_STEPS"),
)

# Analysis 5 of Bab III per indicator and year: supporting and inhibiting factors, actions taken.
indicator_analysis = Table(
    "indicator_analysis",
    metadata,
    Column("indicator_id", BigInteger),
    Column("year", SmallInteger),
    _province_code(),
    Column("supporting", Text, nullable=False, server_default=""),
    Column("inhibiting", Text, nullable=False, server_default=""),
    Column("actions", Text, nullable=False, server_default=""),
    Column("updated_by", String(100), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    PrimaryKeyConstraint("indicator_id", "year", "province_code"),
    _same_province("indicator_id", "indicator"),
)

# Analysis 4: a province and a national comparison figure; NULL is "no data", never 0.
indicator_benchmark = Table(
    "indicator_benchmark",
    metadata,
    Column("indicator_id", BigInteger),
    Column("year", SmallInteger),
    _province_code(),
    Column("province_value", MeasuredValue),
    Column("national_value", MeasuredValue),
    Column("province_source", String(300), nullable=False, server_default=""),
    Column("national_source", String(300), nullable=False, server_default=""),
    Column("recorded_by", String(100), nullable=False),
    Column("recorded_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    PrimaryKeyConstraint("indicator_id", "year", "province_code"),
    _same_province("indicator_id", "indicator"),
)

# Realisation of a budget item of the unit's agreement per quarter (Rupiah, the quarter's own
# spending, not cumulative); written in all-or-nothing batches like realisations.
budget_realisation = Table(
    "budget_realisation",
    metadata,
    Column("org_unit_id", BigInteger),
    Column("year", SmallInteger),
    Column("quarter", SmallInteger),
    Column("code", String(30)),
    _province_code(),
    Column("amount", Rupiah, nullable=False),
    Column("version", Integer, nullable=False, server_default="1"),
    Column("updated_by", String(100), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    PrimaryKeyConstraint("org_unit_id", "year", "quarter", "code", "province_code"),
    _same_province("org_unit_id", "org_unit"),
    CheckConstraint("quarter BETWEEN 1 AND 4", name="quarter_range"),
    CheckConstraint("amount >= 0", name="amount_not_negative"),
)

# Signed LKjIP, frozen: the document bytes and the figures behind them, each with its SHA-256.
# Append-only at the database level (migration 0016), as agreement versions are.
lkjip_version = Table(
    "lkjip_version",
    metadata,
    Column("id", BigInteger, Identity()),
    _province_code(),
    Column("org_unit_id", BigInteger, nullable=False),
    Column("year", SmallInteger, nullable=False),
    Column("number", SmallInteger, nullable=False),
    Column("reason", Text),
    Column("paper", String(4), nullable=False),
    Column("signed_by", String(100), nullable=False),
    Column("signed_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Column("figures", JSONB, nullable=False),
    Column("figures_sha256", String(64), nullable=False),
    Column("pdf", LargeBinary, nullable=False),
    Column("pdf_sha256", String(64), nullable=False),
    Column("docx", LargeBinary, nullable=False),
    Column("docx_sha256", String(64), nullable=False),
    Column("xlsx", LargeBinary, nullable=False),
    Column("xlsx_sha256", String(64), nullable=False),
    _id_key(),
    _same_province("org_unit_id", "org_unit"),
    _enum_check("paper", "A4 F4"),
    UniqueConstraint("org_unit_id", "year", "number", "province_code", name="uq_lkjip_version_number"),
)

# LKjIP generated in the background (domain/lkjip_jobs.py): the queue is the job rows, each
# document's files kept with the job until it is deleted with it. A server that stops leaves
# its RUNNING job with a heartbeat (updated_at) that goes stale, and another takes it up.
lkjip_job = Table(
    "lkjip_job",
    metadata,
    Column("id", BigInteger, Identity()),
    _province_code(),
    Column("org_unit_id", BigInteger, nullable=False),
    Column("year", SmallInteger, nullable=False),
    Column("paper", String(4), nullable=False),
    Column("reach", String(10), nullable=False),
    Column("state", String(10), nullable=False, server_default="QUEUED"),
    Column("steps_total", Integer, nullable=False),
    Column("steps_done", Integer, nullable=False, server_default="0"),
    Column("error", Text),
    Column("started_by", String(100), nullable=False),
    Column("started_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Column("updated_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Column("finished_at", DateTime(timezone=True)),
    _id_key(),
    _same_province("org_unit_id", "org_unit"),
    _enum_check("paper", "A4 F4"),
    _enum_check("reach", "UNIT PEMDA AGENCIES"),
    _enum_check("state", "QUEUED RUNNING DONE FAILED"),
)
# The queue's look: waiting and running jobs, oldest first.
Index("ix_lkjip_job_open", lkjip_job.c.updated_at, postgresql_where=lkjip_job.c.state.in_(["QUEUED", "RUNNING"]))

lkjip_job_document = Table(
    "lkjip_job_document",
    metadata,
    Column("job_id", BigInteger),
    _province_code(),
    Column("position", SmallInteger),
    Column("org_unit_id", BigInteger, nullable=False),
    Column("outcome", String(10), nullable=False, server_default="PENDING"),
    Column("code", String(40)),
    Column("message", Text),
    Column("pdf", LargeBinary),
    Column("pdf_sha256", String(64)),
    Column("docx", LargeBinary),
    Column("docx_sha256", String(64)),
    Column("xlsx", LargeBinary),
    Column("xlsx_sha256", String(64)),
    PrimaryKeyConstraint("job_id", "position", "province_code"),
    ForeignKeyConstraint(["job_id", "province_code"], ["lkjip_job.id", "lkjip_job.province_code"], ondelete="CASCADE"),
    _same_province("org_unit_id", "org_unit"),
    _enum_check("outcome", "PENDING DONE REFUSED"),
    CheckConstraint(
        "outcome <> 'DONE' OR (pdf IS NOT NULL AND docx IS NOT NULL AND xlsx IS NOT NULL)", name="done_has_files"
    ),
)

# SAKIP evaluation (domain/lke.py). A model version as data: its components, sub-components,
# criteria, scales and logic rules in one definition (data/lke/*.json), append-only: a change
# of the sheet is a new model, and an evaluation keeps the one it was started with.
evaluation_model = Table(
    "evaluation_model",
    metadata,
    Column("id", BigInteger, Identity(), primary_key=True),
    Column("code", String(40), nullable=False, unique=True),
    Column("name", String(300), nullable=False),
    Column("legal_basis", Text, nullable=False),
    Column("definition", JSONB, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
)

# One evaluated unit (a perangkat daerah, a pemda's root unit) and year, by the government whose
# evaluators conduct it (its path: the Inspektorat's pemda, or the province for a kab/kota).
# The kept score (total, grade, counts) is rewritten by every answer in the same transaction.
# FINAL is frozen by a trigger (migration 0017): only its publication may still be recorded, and
# its supersession once a correction of it is FINAL (0028). A correction (koreksi) is a new
# version of the unit's year that names the FINAL version it corrects and why.
sakip_evaluation = Table(
    "sakip_evaluation",
    metadata,
    Column("id", BigInteger, Identity()),
    _province_code(),
    Column("org_unit_id", BigInteger, nullable=False),
    Column("year", SmallInteger, nullable=False),
    Column("model_id", BigInteger, ForeignKey("evaluation_model.id"), nullable=False),
    Column("evaluating_path", Text, nullable=False),
    Column("state", String(20), nullable=False, server_default="SELF_ASSESSMENT"),
    Column("self_assessment_due", Date, nullable=False),
    Column("verification_due", Date, nullable=False),
    Column("quality_assurance_due", Date, nullable=False),
    Column("dispute_days", SmallInteger, nullable=False, server_default="14"),
    # A verifier agency's own due date where it has one ({"BAPPEDA": "2027-02-15"}; domain.lke_stages).
    Column("verifier_dues", JSONB, nullable=False, server_default=text("'{}'::jsonb")),
    Column("result_sent_on", Date),
    Column("total", Numeric(5, 2), nullable=False, server_default="0"),
    Column("self_total", Numeric(5, 2), nullable=False, server_default="0"),
    Column("grade", String(2), nullable=False, server_default="D"),
    Column("answered_self", SmallInteger, nullable=False, server_default="0"),
    Column("assessed", SmallInteger, nullable=False, server_default="0"),
    Column("criteria", SmallInteger, nullable=False),
    Column("warnings_acknowledged_at", DateTime(timezone=True)),
    Column("component_notes", JSONB, nullable=False, server_default=text("'{}'::jsonb")),
    # Per component and sub-component, the score as shown, kept with the total (actions/lke.py).
    Column("component_scores", JSONB, nullable=False, server_default=text("'[]'::jsonb")),
    Column("revision", Integer, nullable=False, server_default="1"),
    Column("created_by", String(100), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Column("finalised_by", String(100)),
    Column("finalised_at", DateTime(timezone=True)),
    Column("published_at", DateTime(timezone=True)),
    Column("version", SmallInteger, nullable=False, server_default="1"),
    Column("corrects_id", BigInteger),
    Column("correction_reason", Text),
    Column("superseded_at", DateTime(timezone=True)),
    # Penjaminan kualitas: whether only the assurer's approval ends the stage, and that approval.
    Column("quality_assurance_required", Boolean, nullable=False, server_default="false"),
    Column("quality_assured_by", String(100)),
    Column("quality_assured_at", DateTime(timezone=True)),
    Column("quality_note", Text),
    _id_key(),
    _same_province("org_unit_id", "org_unit"),
    _same_province("corrects_id", "sakip_evaluation"),
    _enum_check("state", "SELF_ASSESSMENT VERIFICATION QUALITY_ASSURANCE SCORING RESULT_SENT DISPUTED FINAL"),
    _enum_check("grade", "AA A BB B CC C D"),
    CheckConstraint(
        "(version = 1 AND corrects_id IS NULL AND correction_reason IS NULL) "
        "OR (version > 1 AND corrects_id IS NOT NULL AND correction_reason IS NOT NULL)",
        name="correction_named",
    ),
    UniqueConstraint("org_unit_id", "year", "version", "province_code", name="uq_sakip_evaluation_unit_year_version"),
    # A FINAL version is corrected once; the correction's own correction is the next version.
    UniqueConstraint("corrects_id", "province_code", name="uq_sakip_evaluation_corrects"),
)

# Both sides' answer per criterion: the unit's self-assessment and the assessor's.
evaluation_answer = Table(
    "evaluation_answer",
    metadata,
    Column("evaluation_id", BigInteger),
    Column("criterion_code", String(20)),
    _province_code(),
    Column("self_answer", String(10)),
    Column("self_note", Text, nullable=False, server_default=""),
    Column("self_by", String(100)),
    Column("self_at", DateTime(timezone=True)),
    Column("assessor_answer", String(10)),
    Column("assessor_note", Text, nullable=False, server_default=""),
    Column("assessor_by", String(100)),
    Column("assessor_at", DateTime(timezone=True)),
    PrimaryKeyConstraint("evaluation_id", "criterion_code", "province_code"),
    _same_province("evaluation_id", "sakip_evaluation"),
)

# Bukti dukung: a file (bytes in PostgreSQL with its SHA-256), a link, or a document the
# platform produced, referenced by id. Routed to one verifier agency; a rejected item stays
# as history and its correction names it in `replaces_id`.
evaluation_evidence = Table(
    "evaluation_evidence",
    metadata,
    Column("id", BigInteger, Identity()),
    _province_code(),
    Column("evaluation_id", BigInteger, nullable=False),
    Column("criterion_code", String(20), nullable=False),
    Column("kind", String(10), nullable=False),
    Column("title", String(300), nullable=False),
    Column("url", Text),
    Column("document_kind", String(20)),
    Column("document_id", BigInteger),
    Column("file_name", String(200)),
    Column("media_type", String(100)),
    Column("content", LargeBinary),
    Column("size", Integer),
    Column("sha256", String(64)),
    # A file's bytes are in `content` or, named by their SHA-256, in the deployment's file
    # directory (store/files.py): one of the two, never neither.
    Column("in_file_store", Boolean, nullable=False, server_default="false"),
    Column("verifier", String(20), nullable=False),
    Column("state", String(10), nullable=False, server_default="PENDING"),
    Column("rejection_reason", Text),
    Column("verified_by", String(100)),
    Column("verified_at", DateTime(timezone=True)),
    Column("replaces_id", BigInteger),
    Column("added_by", String(100), nullable=False),
    Column("added_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    _id_key(),
    _same_province("evaluation_id", "sakip_evaluation"),
    _enum_check("kind", "FILE LINK DOCUMENT"),
    _enum_check("state", "PENDING ACCEPTED REJECTED"),
    _enum_check("verifier", "BAPPEDA ORGANISASI INSPEKTORAT"),
    CheckConstraint(
        "kind <> 'FILE' OR (sha256 IS NOT NULL AND (content IS NOT NULL) <> in_file_store)", name="file_kept_once"
    ),
)

# Sanggahan: the unit's dispute of a sent result, one per criterion, and the assessor's answer.
evaluation_dispute = Table(
    "evaluation_dispute",
    metadata,
    Column("id", BigInteger, Identity()),
    _province_code(),
    Column("evaluation_id", BigInteger, nullable=False),
    Column("criterion_code", String(20), nullable=False),
    Column("reason", Text, nullable=False),
    Column("raised_by", String(100), nullable=False),
    Column("raised_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Column("outcome", String(10)),
    Column("answer_before", String(10)),
    Column("answer_after", String(10)),
    Column("rebuttal", Text),
    Column("resolved_by", String(100)),
    Column("resolved_at", DateTime(timezone=True)),
    _id_key(),
    _same_province("evaluation_id", "sakip_evaluation"),
    _enum_check("outcome", "KEPT CHANGED"),
    UniqueConstraint("evaluation_id", "criterion_code", "province_code", name="uq_evaluation_dispute_criterion"),
)

# Temuan penjaminan kualitas: the quality assurer's finding on a criterion's scoring and the
# assessor's answer to it (the answer kept or changed). One open finding per criterion at a time;
# answered ones stay as the review's history.
evaluation_quality_finding = Table(
    "evaluation_quality_finding",
    metadata,
    Column("id", BigInteger, Identity()),
    _province_code(),
    Column("evaluation_id", BigInteger, nullable=False),
    Column("criterion_code", String(20), nullable=False),
    Column("note", Text, nullable=False),
    Column("raised_by", String(100), nullable=False),
    Column("raised_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Column("outcome", String(10)),
    Column("answer_before", String(10)),
    Column("answer_after", String(10)),
    Column("response", Text),
    Column("responded_by", String(100)),
    Column("responded_at", DateTime(timezone=True)),
    _id_key(),
    _same_province("evaluation_id", "sakip_evaluation"),
    _enum_check("outcome", "KEPT CHANGED"),
    CheckConstraint("(outcome IS NULL) = (responded_at IS NULL)", name="answered_whole"),
    Index(
        "uq_evaluation_quality_finding_open",
        "evaluation_id",
        "criterion_code",
        "province_code",
        unique=True,
        postgresql_where=text("responded_at IS NULL"),
    ),
)

# Rekomendasi per criterion or component, and its follow-up (tindak lanjut), which goes on
# after the evaluation is FINAL and is read by the next year's evaluation.
evaluation_recommendation = Table(
    "evaluation_recommendation",
    metadata,
    Column("id", BigInteger, Identity()),
    _province_code(),
    Column("evaluation_id", BigInteger, nullable=False),
    Column("criterion_code", String(20)),
    Column("component_code", String(20)),
    Column("text", Text, nullable=False),
    Column("created_by", String(100), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Column("action_plan", Text, nullable=False, server_default=""),
    Column("target_date", Date),
    Column("person_in_charge", String(200), nullable=False, server_default=""),
    Column("progress", SmallInteger, nullable=False, server_default="0"),
    Column("follow_up_evidence_url", Text),
    Column("follow_up_by", String(100)),
    Column("follow_up_at", DateTime(timezone=True)),
    _id_key(),
    _same_province("evaluation_id", "sakip_evaluation"),
    CheckConstraint("progress BETWEEN 0 AND 100", name="progress_range"),
    CheckConstraint("criterion_code IS NOT NULL OR component_code IS NOT NULL", name="names_its_subject"),
)

# The LHE frozen at FINAL (migration 0018, append-only): what was finalised is what is printed.
evaluation_report = Table(
    "evaluation_report",
    metadata,
    Column("evaluation_id", BigInteger),
    _province_code(),
    Column("docx", LargeBinary, nullable=False),
    Column("docx_sha256", String(64), nullable=False),
    Column("pdf", LargeBinary, nullable=False),
    Column("pdf_sha256", String(64), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    PrimaryKeyConstraint("evaluation_id", "province_code"),
    _same_province("evaluation_id", "sakip_evaluation"),
)

# Monev (domain/monev.py): a government's rule per year, as versions (append-only: a change is a
# new version, the rankings published under the old one keep naming it).
monev_rule = Table(
    "monev_rule",
    metadata,
    Column("id", BigInteger, Identity()),
    _province_code(),
    Column("government_id", BigInteger, ForeignKey("government.id"), nullable=False),
    Column("year", SmallInteger, nullable=False),
    Column("version", SmallInteger, nullable=False),
    Column("rule", JSONB, nullable=False),
    Column("reason", Text),
    Column("created_by", String(100), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    _id_key(),
    UniqueConstraint("government_id", "year", "version", "province_code", name="uq_monev_rule_version"),
)

# A monev period is (year, quarter, month): month 0 is the quarter as a whole, 1-12 a month of it.
_MONEV_PERIOD = "quarter BETWEEN 1 AND 4 AND (month = 0 OR (month + 2) / 3 = quarter)"

# Scores of the groups the platform does not compute (audit follow-up, ...), per ranked unit (an
# OPD, or a kabupaten/kota's root unit) and period.
monev_figure = Table(
    "monev_figure",
    metadata,
    Column("org_unit_id", BigInteger),
    Column("year", SmallInteger),
    Column("quarter", SmallInteger),
    Column("month", SmallInteger),
    Column("group_code", String(40)),
    _province_code(),
    Column("value", Numeric(12, 6), nullable=False),
    Column("note", Text),
    Column("version", Integer, nullable=False, server_default="1"),
    Column("updated_by", String(100), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    PrimaryKeyConstraint("org_unit_id", "year", "quarter", "month", "group_code", "province_code"),
    _same_province("org_unit_id", "org_unit"),
    CheckConstraint(_MONEV_PERIOD, name="period_range"),
    CheckConstraint("value >= 0", name="value_not_negative"),
)

# Monthly progress of a perangkat daerah's programs, kegiatan and sub-kegiatan (domain/progress.py):
# cumulative to the month, per budget (MURNI, PERUBAHAN). `submitted_at` is the first entry, for
# the month's on-time reporting; corrections bump the version.
monev_progress = Table(
    "monev_progress",
    metadata,
    Column("org_unit_id", BigInteger),
    Column("year", SmallInteger),
    Column("month", SmallInteger),
    Column("budget_kind", String(10)),
    Column("code", String(30)),
    _province_code(),
    Column("name", String(500), nullable=False),
    Column("pagu", Rupiah, nullable=False),
    Column("physical_target", Numeric(7, 4), nullable=False),
    Column("physical", Numeric(7, 4), nullable=False),
    Column("financial_target", Rupiah, nullable=False),
    Column("financial", Rupiah, nullable=False),
    Column("version", Integer, nullable=False, server_default="1"),
    Column("submitted_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Column("updated_by", String(100), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    PrimaryKeyConstraint("org_unit_id", "year", "month", "budget_kind", "code", "province_code"),
    _same_province("org_unit_id", "org_unit"),
    _enum_check("budget_kind", "MURNI PERUBAHAN"),
    CheckConstraint("month BETWEEN 1 AND 12", name="month_range"),
    CheckConstraint("physical_target BETWEEN 0 AND 100 AND physical BETWEEN 0 AND 100", name="percent_range"),
    CheckConstraint(
        "pagu >= 0 AND financial_target BETWEEN 0 AND pagu AND financial BETWEEN 0 AND pagu", name="within_pagu"
    ),
)

# The APBD as SIPD exports it (domain/apbd.py): each program, kegiatan and sub-kegiatan of a
# perangkat daerah's year, per budget (MURNI, PERUBAHAN), by its normalised SIPD code; an import
# replaces the unit's lines of that year and budget. An empty pagu stays NULL.
apbd_line = Table(
    "apbd_line",
    metadata,
    Column("org_unit_id", BigInteger),
    Column("year", SmallInteger),
    Column("budget_kind", String(10)),
    Column("code", String(30)),
    _province_code(),
    Column("level", String(20), nullable=False),
    Column("name", String(500), nullable=False),
    Column("pagu", Rupiah),
    Column("position", Integer, nullable=False),  # the line's order in the file
    Column("sipd_unit_code", String(50), nullable=False),
    Column("imported_by", String(100), nullable=False),
    Column("imported_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    PrimaryKeyConstraint("org_unit_id", "year", "budget_kind", "code", "province_code"),
    _same_province("org_unit_id", "org_unit"),
    _enum_check("budget_kind", "MURNI PERUBAHAN"),
    _enum_check("level", "PROGRAM ACTIVITY SUB_ACTIVITY"),
    CheckConstraint("pagu IS NULL OR pagu >= 0", name="pagu_not_negative"),
)

# What other systems call a perangkat daerah (its SIPD unit code, or the name SIPD gives it), as
# an importer mapped it once: later imports match it by this alias (domain.apbd.match_units).
org_unit_alias = Table(
    "org_unit_alias",
    metadata,
    Column("government_id", BigInteger, ForeignKey("government.id")),
    Column("alias", String(300)),  # domain.apbd.normalise_unit_code or name_key
    _province_code(),
    Column("org_unit_id", BigInteger, nullable=False),
    Column("recorded_by", String(100), nullable=False),
    Column("recorded_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    PrimaryKeyConstraint("government_id", "alias", "province_code"),
    _same_province("org_unit_id", "org_unit"),
)

# A published ranking, frozen: its rows as canonical JSON and their SHA-256. Append-only
# (migration 0019): later corrections appear in the next period's ranking, never in this one.
monev_ranking = Table(
    "monev_ranking",
    metadata,
    Column("id", BigInteger, Identity()),
    _province_code(),
    Column("government_id", BigInteger, ForeignKey("government.id"), nullable=False),
    Column("year", SmallInteger, nullable=False),
    Column("quarter", SmallInteger, nullable=False),
    Column("month", SmallInteger, nullable=False),
    Column("units", String(20), nullable=False),  # domain.monev.Level
    Column("rule_version", SmallInteger, nullable=False),
    Column("body", Text, nullable=False),
    Column("sha256", String(64), nullable=False),
    Column("published_by", String(100), nullable=False),
    Column("published_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    _id_key(),
    UniqueConstraint(
        "government_id", "year", "quarter", "month", "units", "province_code", name="uq_monev_ranking_period"
    ),
    _enum_check("units", "PERANGKAT_DAERAH KABUPATEN_KOTA"),
    CheckConstraint(_MONEV_PERIOD, name="period_range"),
)

# A reward and punishment list (daftar penghargaan dan sanksi) confirmed by a leader for a
# published ranking, and its items (domain/rewards.py): append-only (migration 0020), as the
# ranking it was read from. The follow-up of each item is recorded beside it, versioned.
monev_reward_list = Table(
    "monev_reward_list",
    metadata,
    Column("id", BigInteger, Identity()),
    _province_code(),
    Column("ranking_id", BigInteger, nullable=False),
    Column("rule_version", SmallInteger, nullable=False),
    Column("confirmed_by", String(100), nullable=False),
    Column("confirmed_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    _id_key(),
    _same_province("ranking_id", "monev_ranking"),
    UniqueConstraint("ranking_id", "province_code", name="uq_monev_reward_list_ranking"),
)

monev_reward_item = Table(
    "monev_reward_item",
    metadata,
    Column("id", BigInteger, Identity()),
    _province_code(),
    Column("list_id", BigInteger, nullable=False, index=True),
    Column("subject_key", String(40), nullable=False),
    Column("code", String(50), nullable=False),
    Column("name", String(500), nullable=False),
    Column("category", String(40), nullable=False),
    Column("category_name", String(200), nullable=False),
    Column("action", Text, nullable=False),
    Column("reason", Text, nullable=False),
    _id_key(),
    _same_province("list_id", "monev_reward_list"),
    UniqueConstraint("list_id", "subject_key", "category", "province_code", name="uq_monev_reward_item"),
)

monev_reward_follow_up = Table(
    "monev_reward_follow_up",
    metadata,
    Column("item_id", BigInteger),
    _province_code(),
    Column("done", Boolean, nullable=False),
    Column("done_on", Date),
    Column("note", Text),
    Column("version", Integer, nullable=False, server_default="1"),
    Column("updated_by", String(100), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    PrimaryKeyConstraint("item_id", "province_code"),
    _same_province("item_id", "monev_reward_item"),
    CheckConstraint("done OR done_on IS NULL", name="done_on_when_done"),
)

# Individual e-Kinerja (domain/personnel.py, domain/skp.py, domain/activity.py, domain/tpp.py).
# A position (jabatan) in an org unit, with its superior position; an employee holds one, and
# may act for another (Plt/Plh) from a date to a date. `path` is the org unit's path and
# `agency_id` the perangkat daerah above it, so that scopes filter in SQL and a month is closed
# and paid per agency.
position = Table(
    "position",
    metadata,
    Column("id", BigInteger, Identity()),
    _province_code(),
    Column("government_id", BigInteger, ForeignKey("government.id"), nullable=False),
    Column("org_unit_id", BigInteger, nullable=False, index=True),
    Column("agency_id", BigInteger, nullable=False, index=True),
    Column("path", Text, nullable=False),
    Column("code", String(50), nullable=False),
    Column("name", String(300), nullable=False),
    Column("kind", String(20), nullable=False),
    Column("job_class", SmallInteger, nullable=False),
    Column("superior_id", BigInteger, index=True),
    _id_key(),
    _province_of("path"),
    _same_province("org_unit_id", "org_unit"),
    _same_province("agency_id", "org_unit"),
    _same_province("superior_id", "position"),
    _enum_check("kind", "JPT ADMINISTRATOR PENGAWAS PELAKSANA FUNGSIONAL"),
    CheckConstraint("job_class BETWEEN 1 AND 17", name="job_class_range"),
    CheckConstraint("superior_id IS NULL OR superior_id <> id", name="not_own_superior"),
    UniqueConstraint("government_id", "code", "province_code", name="uq_position_code"),
)
Index("ix_position_path_prefix", position.c.path, postgresql_ops={"path": "text_pattern_ops"})

employee = Table(
    "employee",
    metadata,
    Column("id", BigInteger, Identity()),
    _province_code(),
    Column("government_id", BigInteger, ForeignKey("government.id"), nullable=False),
    Column("nip", String(18), nullable=False),
    Column("name", String(200), nullable=False),
    Column("golongan", String(10), nullable=False, server_default=""),
    Column("position_id", BigInteger, index=True),
    Column("user_id", BigInteger, ForeignKey("app_user.id")),
    Column("updated_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    _id_key(),
    _same_province("position_id", "position"),
    UniqueConstraint("nip", "province_code", name="uq_employee_nip"),
    UniqueConstraint("position_id", "province_code", name="uq_employee_position"),
    UniqueConstraint("user_id", "province_code", name="uq_employee_user"),
)

acting_assignment = Table(
    "acting_assignment",
    metadata,
    Column("id", BigInteger, Identity()),
    _province_code(),
    Column("position_id", BigInteger, nullable=False, index=True),
    Column("employee_id", BigInteger, nullable=False, index=True),
    Column("kind", String(3), nullable=False),
    Column("starts_on", Date, nullable=False),
    Column("ends_on", Date),
    Column("created_by", String(100), nullable=False),
    _id_key(),
    _same_province("position_id", "position"),
    _same_province("employee_id", "employee"),
    _enum_check("kind", "PLT PLH"),
    CheckConstraint("ends_on IS NULL OR ends_on >= starts_on", name="period_ordered"),
)

# An SKP per employee per year: the position it was drafted in, its state, and once assessed
# the two ratings and the predikat (PermenPANRB 6/2022). Final SKP are frozen (migration 0022).
skp = Table(
    "skp",
    metadata,
    Column("id", BigInteger, Identity()),
    _province_code(),
    Column("employee_id", BigInteger, nullable=False),
    Column("year", SmallInteger, nullable=False),
    Column("position_id", BigInteger, nullable=False),
    Column("agency_id", BigInteger, nullable=False, index=True),
    Column("path", Text, nullable=False),
    Column("state", String(10), nullable=False, server_default="DRAFT"),
    Column("results_rating", String(12)),
    Column("behaviour_rating", String(12)),
    Column("predikat", String(16)),
    Column("agreed_by", String(100)),
    Column("agreed_at", DateTime(timezone=True)),
    Column("assessed_by", String(100)),
    Column("assessed_at", DateTime(timezone=True)),
    Column("version", Integer, nullable=False, server_default="1"),
    _id_key(),
    _same_province("employee_id", "employee"),
    _same_province("position_id", "position"),
    _enum_check("state", "DRAFT AGREED ASSESSED FINAL"),
    UniqueConstraint("employee_id", "year", "province_code", name="uq_skp_employee_year"),
)

# A work result (rencana hasil kerja) of an SKP under one RHK of the superior's SKP, or an
# indicator of the unit's Perjanjian Kinerja for a unit head; its targets per aspect.
skp_rhk = Table(
    "skp_rhk",
    metadata,
    Column("id", BigInteger, Identity()),
    _province_code(),
    Column("skp_id", BigInteger, nullable=False, index=True),
    Column("parent_id", BigInteger, index=True),
    Column("indicator_id", BigInteger),
    Column("description", Text, nullable=False),
    _id_key(),
    _same_province("skp_id", "skp"),
    _same_province("parent_id", "skp_rhk"),
    _same_province("indicator_id", "indicator"),
)

skp_rhk_target = Table(
    "skp_rhk_target",
    metadata,
    Column("rhk_id", BigInteger),
    _province_code(),
    Column("aspect", String(10)),
    Column("indicator", Text, nullable=False),
    Column("target", MeasuredValue, nullable=False),
    Column("unit_of_measure", String(50), nullable=False),
    PrimaryKeyConstraint("rhk_id", "aspect", "province_code"),
    _same_province("rhk_id", "skp_rhk"),
    _enum_check("aspect", "KUANTITAS KUALITAS WAKTU BIAYA"),
)

# A pemda's rule from its agencies' PK achievement to their organisation rating, and how shares
# become head-counts (domain.skp.OrganisationRule, Rounding); absent: the platform's defaults.
organisation_rating_rule = Table(
    "organisation_rating_rule",
    metadata,
    Column("government_id", BigInteger, ForeignKey("government.id"), primary_key=True),
    Column("istimewa_from", Numeric(7, 2), nullable=False),
    Column("baik_from", Numeric(7, 2), nullable=False),
    Column("butuh_perbaikan_from", Numeric(7, 2), nullable=False),
    Column("kurang_from", Numeric(7, 2), nullable=False),
    Column("rounding", String(10), nullable=False),
    Column("updated_by", String(100), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    _enum_check("rounding", "STRICT NEAREST"),
    CheckConstraint(
        "istimewa_from > baik_from AND baik_from > butuh_perbaikan_from AND butuh_perbaikan_from > kurang_from",
        name="descending",
    ),
)

# A finalised distribution of an agency's predikat for a year (domain.skp.check_distribution).
skp_distribution = Table(
    "skp_distribution",
    metadata,
    Column("agency_id", BigInteger),
    _province_code(),
    Column("year", SmallInteger),
    Column("organisation_rating", String(16), nullable=False),
    Column("mean_achievement", MeasuredValue),
    Column("employees", Integer, nullable=False),
    Column("finalised_by", String(100), nullable=False),
    Column("finalised_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    PrimaryKeyConstraint("agency_id", "year", "province_code"),
    _same_province("agency_id", "org_unit"),
)

# A daily activity log entry (LKH) and its way through weekly approval and monthly scoring.
activity_log = Table(
    "activity_log",
    metadata,
    Column("id", BigInteger, Identity()),
    _province_code(),
    Column("employee_id", BigInteger, nullable=False),
    Column("agency_id", BigInteger, nullable=False),
    Column("work_date", Date, nullable=False),
    Column("starts_at", Time, nullable=False),
    Column("ends_at", Time, nullable=False),
    Column("kind", String(12), nullable=False),
    Column("description", Text, nullable=False),
    Column("rhk_id", BigInteger),
    Column("evidence_url", Text),
    Column("state", String(10), nullable=False, server_default="DRAFT"),
    Column("review_note", Text),
    Column("reviewed_by", String(100)),
    Column("score", Numeric(4, 2)),
    Column("verify_note", Text),
    Column("verified_by", String(100)),
    Column("version", Integer, nullable=False, server_default="1"),
    Column("updated_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    _id_key(),
    _same_province("employee_id", "employee"),
    _same_province("rhk_id", "skp_rhk"),
    _enum_check("kind", "HADIR DINAS_LUAR CUTI IZIN SAKIT"),
    _enum_check("state", "DRAFT SUBMITTED RETURNED APPROVED VERIFIED REJECTED"),
    CheckConstraint("ends_at > starts_at", name="time_ordered"),
    CheckConstraint("score IS NULL OR score BETWEEN 0 AND 10", name="score_range"),
)
Index("ix_activity_log_employee_date", activity_log.c.employee_id, activity_log.c.work_date)
Index("ix_activity_log_agency_date", activity_log.c.agency_id, activity_log.c.work_date)

# A week of an employee's entries as submitted to the superior and decided.
activity_week = Table(
    "activity_week",
    metadata,
    Column("employee_id", BigInteger),
    _province_code(),
    Column("week_start", Date),
    Column("state", String(10), nullable=False),
    Column("submitted_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Column("decided_by", String(100)),
    Column("decided_at", DateTime(timezone=True)),
    Column("note", Text),
    PrimaryKeyConstraint("employee_id", "week_start", "province_code"),
    _same_province("employee_id", "employee"),
    _enum_check("state", "SUBMITTED APPROVED RETURNED"),
    CheckConstraint("extract(isodow FROM week_start) = 1", name="starts_monday"),
)

# A month an agency's verification is closed: its entries are frozen (migration 0022).
activity_month = Table(
    "activity_month",
    metadata,
    Column("agency_id", BigInteger),
    _province_code(),
    Column("year", SmallInteger),
    Column("month", SmallInteger),
    Column("closed_by", String(100), nullable=False),
    Column("closed_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    PrimaryKeyConstraint("agency_id", "year", "month", "province_code"),
    _same_province("agency_id", "org_unit"),
    CheckConstraint("month BETWEEN 1 AND 12", name="month_range"),
)

# A versioned TPP formula of a government (domain.tpp.TppFormula as JSON), append-only.
tpp_formula = Table(
    "tpp_formula",
    metadata,
    Column("id", BigInteger, Identity(), primary_key=True),
    Column("government_id", BigInteger, ForeignKey("government.id"), nullable=False),
    Column("version", SmallInteger, nullable=False),
    Column("effective_year", SmallInteger, nullable=False),
    Column("effective_month", SmallInteger, nullable=False),
    Column("formula", JSONB, nullable=False),
    Column("reason", Text, nullable=False),
    Column("created_by", String(100), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    UniqueConstraint("government_id", "version", name="uq_tpp_formula_version"),
    CheckConstraint("effective_month BETWEEN 1 AND 12", name="month_range"),
)

# What a month brought for an employee, imported: attendance and compliance (the platform is
# not a time clock).
tpp_month_facts = Table(
    "tpp_month_facts",
    metadata,
    Column("employee_id", BigInteger),
    _province_code(),
    Column("year", SmallInteger),
    Column("month", SmallInteger),
    Column("working_days", SmallInteger, nullable=False),
    Column("days_present", SmallInteger, nullable=False),
    Column("apel_held", SmallInteger, nullable=False),
    Column("apel_attended", SmallInteger, nullable=False),
    Column("late_minutes", ARRAY(SmallInteger), nullable=False, server_default="{}"),
    Column("bmd", Boolean),
    Column("tptgr", Boolean),
    Column("lhkpn", Boolean),
    Column("recorded_by", String(100), nullable=False),
    Column("recorded_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    PrimaryKeyConstraint("employee_id", "year", "month", "province_code"),
    _same_province("employee_id", "employee"),
    CheckConstraint("month BETWEEN 1 AND 12", name="month_range"),
)

# The month's statement per employee (domain.tpp.Statement as JSON) and the month an agency's
# statements were paid: paid statements are frozen (migration 0022).
tpp_statement = Table(
    "tpp_statement",
    metadata,
    Column("employee_id", BigInteger),
    _province_code(),
    Column("year", SmallInteger),
    Column("month", SmallInteger),
    Column("agency_id", BigInteger, nullable=False),
    Column("formula_id", BigInteger, ForeignKey("tpp_formula.id"), nullable=False),
    Column("job_class", SmallInteger, nullable=False),
    Column("figures", JSONB, nullable=False),
    Column("amount", Rupiah, nullable=False),
    Column("computed_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    PrimaryKeyConstraint("employee_id", "year", "month", "province_code"),
    _same_province("employee_id", "employee"),
    CheckConstraint("amount >= 0", name="amount_not_negative"),
)
Index("ix_tpp_statement_agency_month", tpp_statement.c.agency_id, tpp_statement.c.year, tpp_statement.c.month)

# A month's TPP computed for every perangkat daerah of a pemda in the background, with its
# progress (actions/tpp.run_month_job); `updated_at` is its heartbeat.
tpp_job = Table(
    "tpp_job",
    metadata,
    Column("id", BigInteger, Identity(), primary_key=True),
    Column("government_id", BigInteger, ForeignKey("government.id"), nullable=False),
    Column("year", SmallInteger, nullable=False),
    Column("month", SmallInteger, nullable=False),
    Column("state", String(10), nullable=False, server_default="RUNNING"),
    Column("agencies_total", Integer, nullable=False),
    Column("agencies_done", Integer, nullable=False, server_default="0"),
    Column("statements", Integer, nullable=False, server_default="0"),
    Column("total", Rupiah, nullable=False, server_default="0"),
    Column("skipped", JSONB, nullable=False, server_default="[]"),
    Column("error", Text),
    Column("started_by", String(100), nullable=False),
    Column("started_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Column("updated_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Column("finished_at", DateTime(timezone=True)),
    _enum_check("state", "RUNNING DONE FAILED"),
    CheckConstraint("month BETWEEN 1 AND 12", name="month_range"),
)
Index("ix_tpp_job_government_month", tpp_job.c.government_id, tpp_job.c.year, tpp_job.c.month)

tpp_payment = Table(
    "tpp_payment",
    metadata,
    Column("agency_id", BigInteger),
    _province_code(),
    Column("year", SmallInteger),
    Column("month", SmallInteger),
    Column("total", Rupiah, nullable=False),
    Column("paid_by", String(100), nullable=False),
    Column("paid_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    PrimaryKeyConstraint("agency_id", "year", "month", "province_code"),
    _same_province("agency_id", "org_unit"),
)
