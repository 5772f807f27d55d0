"""Alembic environment: migrate the connection storage.db hands over, or a URL (command line)."""

from __future__ import annotations

import os

from alembic import context
from sqlalchemy import Connection

from storage.db import make_engine
from storage.models import Base  # every table: storage.models imports them all


def _url() -> str:
    """Return the database URL from `-x url=...` or DATABASE_URL, for command-line use."""
    url = context.get_x_argument(as_dictionary=True).get("url") or os.environ.get("DATABASE_URL")
    if not url:
        raise RuntimeError("no database: pass -x url=... or set DATABASE_URL")
    return url


def _configure(connection: Connection) -> None:
    """Point Alembic at a connection and Parley's metadata."""
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        # SQLite cannot ALTER most things; batch mode recreates the table instead.
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )


def run_migrations_offline() -> None:
    """Print the migration SQL for a URL instead of running it."""
    context.configure(
        url=_url(),
        target_metadata=Base.metadata,
        literal_binds=True,
        dialect_opts={"paramstyle": "named"},
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    """Run the migrations on the given connection, or on a fresh engine for the URL."""
    connection = context.config.attributes.get("connection")
    if connection is not None:
        # storage.db.upgrade owns this connection and its transaction.
        _configure(connection)
        with context.begin_transaction():
            context.run_migrations()
        return
    engine = make_engine(_url())
    try:
        with engine.connect() as own_connection:
            _configure(own_connection)
            with context.begin_transaction():
                context.run_migrations()
    finally:
        engine.dispose()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
