"""SQLite engines whose writers queue fairly: within a process and across processes."""

from __future__ import annotations

import os
import threading
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.engine import URL

try:
    import fcntl
except ImportError:  # pragma: no cover - not POSIX: SQLite's busy handler alone orders processes
    fcntl = None  # type: ignore[assignment]

# Execution options of a connection that only reads: it starts a plain (deferred) transaction
# and never queues for the writer's turn. In WAL mode a reader sees the last commit and blocks
# no one, so it may read beside a writing transaction of the same thread (which holds the turn).
READ_ONLY = {"parley_read_only": True}

# How long a SQLite writer waits for another one before giving up with "database is locked".
SQLITE_BUSY_TIMEOUT_MS = 15_000


def make_sqlite_engine(url: URL) -> Engine:
    """Create a SQLite engine whose every transaction starts with BEGIN IMMEDIATE."""
    database = url.database or ""
    on_disk = bool(database) and database != ":memory:" and not database.startswith("file:")
    if on_disk:
        Path(database).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(
        url, connect_args={"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000}, hide_parameters=True
    )
    gate = WriterGate(SQLITE_BUSY_TIMEOUT_MS / 1000, f"{database}.writer-lock" if on_disk else None)
    event.listen(engine, "connect", _on_connect)
    event.listen(engine, "begin", gate.enter)
    event.listen(engine, "commit", gate.leave)
    event.listen(engine, "rollback", gate.leave)
    return engine


class WriterBusyError(TimeoutError):
    """Another writer held SQLite too long: the work may succeed if tried again."""


class WriterGate:
    """Queue SQLite writers on a thread lock and a file lock before BEGIN IMMEDIATE.

    SQLite's own busy handler polls with sleeps of up to 100 ms, so writers that contend for
    the write lock inside SQLite waste most of their wait asleep. A thread lock hands over
    within the process the moment the previous transaction ends, and an flock() on a file
    beside the database does the same between the server's worker processes; the kernel
    drops it if a process dies.
    """

    def __init__(self, timeout: float, lock_path: str | None) -> None:
        self._lock = threading.Lock()
        self._timeout = timeout
        self._lock_path = lock_path
        self._fd: int | None = None
        self._pid = 0

    def enter(self, connection: Connection) -> None:
        """Wait for the previous writer (this process's, then any process's), then BEGIN."""
        if connection.get_execution_options().get("parley_read_only"):
            connection.exec_driver_sql("BEGIN")
            return
        if not self._lock.acquire(timeout=self._timeout):
            raise WriterBusyError(
                "another SQLite transaction in this process held the lock too long"
            )
        try:
            self._lock_file()
            # A deferred BEGIN would let two readers both upgrade to writers and one fail with
            # SQLITE_BUSY at once; IMMEDIATE takes the write lock up front.
            connection.exec_driver_sql("BEGIN IMMEDIATE")
        except BaseException:
            self._release()
            raise
        connection.info["parley.gate"] = True

    def leave(self, connection: Connection) -> None:
        """Let the next writer in, if this connection is the one holding the gate."""
        if connection.info.pop("parley.gate", False):
            self._release()

    def _lock_file(self) -> None:
        """Take the cross-process lock (the thread lock is already held)."""
        if self._lock_path is None or fcntl is None:
            return
        if self._fd is None or self._pid != os.getpid():
            # A forked worker must not share its parent's open file: flock() belongs to it.
            self._fd = os.open(self._lock_path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
            self._pid = os.getpid()
        fcntl.flock(self._fd, fcntl.LOCK_EX)

    def _release(self) -> None:
        """Drop the file lock, then the thread lock."""
        if self._fd is not None and fcntl is not None:
            fcntl.flock(self._fd, fcntl.LOCK_UN)
        self._lock.release()


def _on_connect(dbapi_connection: Any, connection_record: Any) -> None:
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
