"""Engines, sessions and schema migrations for SQLite files and PostgreSQL."""

from __future__ import annotations

import logging
import threading
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.engine import URL, make_url
from sqlalchemy.orm import Session, sessionmaker

logger = logging.getLogger(__name__)

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
# How long a SQLite writer waits for another one before giving up with "database is locked".
SQLITE_BUSY_TIMEOUT_MS = 15_000


def make_engine(url: str) -> Engine:
    """Create an engine tuned for Parley: serialised SQLite writers, checked PostgreSQL pool."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        return _make_sqlite_engine(parsed)
    return create_engine(parsed, pool_pre_ping=True)


def _make_sqlite_engine(url: URL) -> Engine:
    """Create a SQLite engine whose every transaction starts with BEGIN IMMEDIATE."""
    database = url.database or ""
    if database and database != ":memory:" and not database.startswith("file:"):
        Path(database).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url, connect_args={"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000})
    gate = WriterGate(SQLITE_BUSY_TIMEOUT_MS / 1000)
    event.listen(engine, "connect", _on_sqlite_connect)
    event.listen(engine, "begin", gate.enter)
    event.listen(engine, "commit", gate.leave)
    event.listen(engine, "rollback", gate.leave)
    return engine


class WriterGate:
    """Queue this process's SQLite writers on a lock before BEGIN IMMEDIATE.

    SQLite's own busy handler polls with sleeps of up to 100 ms, so threads that contend for
    the write lock inside SQLite waste most of their wait asleep; a lock in the process hands
    over the moment the previous transaction ends. Other processes still meet at SQLite's lock.
    """

    def __init__(self, timeout: float) -> None:
        self._lock = threading.Lock()
        self._timeout = timeout

    def enter(self, connection: Connection) -> None:
        """Wait for this process's previous writer to finish, then BEGIN IMMEDIATE."""
        if not self._lock.acquire(timeout=self._timeout):
            raise TimeoutError("another SQLite transaction in this process held the lock too long")
        try:
            _on_sqlite_begin(connection)
        except BaseException:
            self._lock.release()
            raise
        connection.info["parley.gate"] = True

    def leave(self, connection: Connection) -> None:
        """Let the next writer in, if this connection is the one holding the gate."""
        if connection.info.pop("parley.gate", False):
            self._lock.release()


def _on_sqlite_connect(dbapi_connection: Any, connection_record: Any) -> None:
    """Set the pragmas Parley relies on, and take transaction control from pysqlite."""
    # pysqlite otherwise issues its own deferred BEGIN lazily and commits before DDL;
    # with isolation_level=None SQLAlchemy's "begin" event decides how transactions start.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        # In WAL mode NORMAL never corrupts the database and survives an application crash;
        # only an OS crash or power cut can drop the last commits. FULL costs an fsync per turn.
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    finally:
        cursor.close()


def _on_sqlite_begin(connection: Connection) -> None:
    """Start every transaction as a writer, so two turns of one resident run one after the other."""
    # A deferred BEGIN would let two readers both upgrade to writers and one fail with
    # SQLITE_BUSY at once; IMMEDIATE takes the write lock up front and waits busy_timeout.
    connection.exec_driver_sql("BEGIN IMMEDIATE")


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
