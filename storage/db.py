"""Engines, sessions and schema migrations for SQLite files and PostgreSQL."""

from __future__ import annotations

import logging
import os
import threading
import weakref
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

# Every engine of this process, so a forked child (an RQ work horse, a gunicorn worker) can
# drop the pooled connections it inherited: their sockets belong to the parent.
_ENGINES: weakref.WeakSet[Engine] = weakref.WeakSet()
_fork_hook = threading.Lock()
_hooked: list[bool] = []


def make_engine(url: str) -> Engine:
    """Create an engine tuned for Parley: serialised SQLite writers, checked PostgreSQL pool."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        return _fork_safe(make_sqlite_engine(parsed))
    # hide_parameters: a database error must never print a resident's answer into the logs.
    return _fork_safe(create_engine(parsed, pool_pre_ping=True, hide_parameters=True))


def _fork_safe(engine: Engine) -> Engine:
    """Make a forked child open its own connections instead of sharing the parent's sockets.

    Two processes talking over one PostgreSQL socket corrupt each other's conversation (a job
    hung in its first connect). SQLAlchemy's documented remedy: dispose(close=False) in the
    child, which forgets the inherited pool without closing the parent's connections.
    """
    with _fork_hook:
        if not _hooked:
            os.register_at_fork(after_in_child=_forget_inherited_pools)
            _hooked.append(True)
        _ENGINES.add(engine)
    return engine


def _forget_inherited_pools() -> None:
    """Drop every engine's pooled connections in a freshly forked child."""
    for engine in list(_ENGINES):
        engine.dispose(close=False)


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
