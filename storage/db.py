"""Engines, sessions and schema migrations for SQLite files and PostgreSQL."""

from __future__ import annotations

import logging
import os
import threading
import weakref
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, create_engine, inspect, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeoutError
from sqlalchemy.orm import Session, sessionmaker

from storage.contact_cipher import ContactCipher, UnreadableContactError, address_context
from storage.models import Respondent
from storage.sqlite import WriterBusyError, make_sqlite_engine

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


def ping(engine: Engine) -> None:
    """Raise unless the database answers a trivial query (the readiness probe)."""
    with engine.connect() as connection:
        connection.execute(text("SELECT 1"))


def is_transient(exc: BaseException) -> bool:
    """Say whether a database error may pass by itself, so the same request may succeed later.

    The server is down, restarting or unreachable, a connection was lost mid-request, the
    pool had none free in time, or a lock wait ended in a deadlock or a timeout: PostgreSQL
    and SQLite report all of these as OperationalError (and Parley's own queue of SQLite
    writers as WriterBusyError); a dropped connection may surface as another DBAPIError that
    SQLAlchemy marks as invalidated.
    """
    if isinstance(exc, OperationalError | PoolTimeoutError | WriterBusyError):
        return True
    return isinstance(exc, DBAPIError) and bool(exc.connection_invalidated)


def make_session_factory(engine: Engine) -> sessionmaker[Session]:
    """Return a session factory whose objects stay readable after commit."""
    return sessionmaker(bind=engine, expire_on_commit=False)


def alembic_config(
    connection: Connection | None = None, cipher: ContactCipher | None = None
) -> Config:
    """Build an Alembic config for storage/migrations, optionally bound to a connection.

    `cipher` seals the contact details a migration moves (else it reads DATA_KEY and
    ADDRESS_HASH_KEY from the environment, and refuses to move rows without them).
    """
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    if connection is not None:
        config.attributes["connection"] = connection
    if cipher is not None:
        config.attributes["contact_cipher"] = cipher
    return config


def upgrade(engine: Engine, cipher: ContactCipher | None = None) -> None:
    """Migrate the database to the newest schema; does nothing when it is already there."""
    with _migrating(engine) as connection:
        command.upgrade(alembic_config(connection, cipher), "head")
    logger.info("database schema at %s", head_revision())


def downgrade(engine: Engine, revision: str, cipher: ContactCipher | None = None) -> None:
    """Migrate the database back to `revision` (the keys open what a migration sealed)."""
    with _migrating(engine) as connection:
        command.downgrade(alembic_config(connection, cipher), revision)


@contextmanager
def _migrating(engine: Engine) -> Iterator[Connection]:
    """Yield a connection in one transaction; on SQLite, with foreign-key actions held off.

    SQLite alters most things by copying a table and dropping the old one, and dropping a
    table with foreign keys on runs its ON DELETE actions: every contact and conversation of
    the respondents table would go with it. The pragma only changes outside a transaction;
    the keys are checked before the migration commits.
    """
    with engine.connect() as connection:
        sqlite = connection.dialect.name == "sqlite"
        if sqlite:
            connection.connection.dbapi_connection.execute("PRAGMA foreign_keys=OFF")  # type: ignore[union-attr]
        try:
            with connection.begin():
                yield connection
                if sqlite and connection.exec_driver_sql("PRAGMA foreign_key_check").first():
                    raise RuntimeError("the migration left rows whose foreign keys point nowhere")
        finally:
            if sqlite:
                connection.connection.dbapi_connection.execute("PRAGMA foreign_keys=ON")  # type: ignore[union-attr]


def current_revision(engine: Engine) -> str | None:
    """Return the schema revision the database is at, or None before the first migration."""
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def key_problem(engine: Engine, cipher: ContactCipher) -> str | None:
    """Open the newest respondent's address and hash it again; say what is wrong, if anything.

    A wrong ADDRESS_HASH_KEY would not fail anything by itself: every resident would look new,
    and be surveyed again under a second row. One row read at start-up catches it.
    """
    schema = inspect(engine)
    if not schema.has_table("respondents") or "address_hash" not in {
        column["name"] for column in schema.get_columns("respondents")
    }:
        return None  # not migrated yet (MIGRATE_ON_START=false): nothing sealed to check
    # Hash-only and anonymous rows (retention) hold nothing to open.
    columns = (Respondent.channel, Respondent.address_hash, Respondent.address_enc)
    newest = select(*columns).where(Respondent.address_enc != "")
    newest = newest.order_by(Respondent.created_at.desc()).limit(1)
    with engine.connect() as connection:
        row = connection.execute(newest).first()
    if row is None:
        return None
    try:
        plain = cipher.open(row.address_enc, address_context(row.channel, row.address_hash))
    except UnreadableContactError as exc:
        return f"DATA_KEY: {exc}"
    if cipher.digest(plain) != row.address_hash:
        return (
            "ADDRESS_HASH_KEY: it is not the key the stored addresses were hashed with;"
            " every resident would look new"
        )
    return None


def head_revision() -> str:
    """Return the newest schema revision this code knows."""
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    if head is None:
        raise RuntimeError(f"no migrations found in {MIGRATIONS_DIR}")
    return head
