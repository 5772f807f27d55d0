"""Engines, sessions and schema migrations for SQLite files and PostgreSQL."""

from __future__ import annotations

import logging
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, create_engine
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from storage.sqlite import make_sqlite_engine

logger = logging.getLogger(__name__)

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


def make_engine(url: str) -> Engine:
    """Create an engine tuned for Parley: serialised SQLite writers, checked PostgreSQL pool."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        return make_sqlite_engine(parsed)
    # hide_parameters: a database error must never print a resident's answer into the logs.
    return create_engine(parsed, pool_pre_ping=True, hide_parameters=True)


def make_session_factory(engine: Engine) -> sessionmaker[Session]:
    """Return a session factory whose objects stay readable after commit."""
    return sessionmaker(bind=engine, expire_on_commit=False)


def alembic_config(connection: Connection | None = None) -> Config:
    """Build an Alembic config for storage/migrations, optionally bound to a connection."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def upgrade(engine: Engine) -> None:
    """Migrate the database to the newest schema; does nothing when it is already there."""
    with engine.begin() as connection:
        command.upgrade(alembic_config(connection), "head")
    logger.info("database schema at %s", head_revision())


def current_revision(engine: Engine) -> str | None:
    """Return the schema revision the database is at, or None before the first migration."""
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def head_revision() -> str:
    """Return the newest schema revision this code knows."""
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    if head is None:
        raise RuntimeError(f"no migrations found in {MIGRATIONS_DIR}")
    return head
