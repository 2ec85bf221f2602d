"""Alembic environment: migrations run over a synchronous psycopg connection."""

import os

from alembic import context
from sqlalchemy import create_engine, pool

from store.database import sync_url
from store.tables import metadata

config = context.config
url = config.get_main_option("sqlalchemy.url") or os.environ.get("DATABASE_URL")
if not url:
    raise SystemExit("Set DATABASE_URL (or use store.migrate) to run migrations.")

engine = create_engine(sync_url(url), poolclass=pool.NullPool)
with engine.connect() as connection:
    context.configure(connection=connection, target_metadata=metadata, compare_server_default=True)
    with context.begin_transaction():
        context.run_migrations()
engine.dispose()
