"""A throwaway database: SQLite in memory at the newest schema, gone once its engine is disposed.

Migrating takes a quarter of a second, too long for every preview of a survey: the schema is
migrated once per process, and each scratch database starts as a copy of that one.
"""

from __future__ import annotations

import sqlite3
import threading
from typing import Any

from sqlalchemy import Engine, event

from storage.db import make_engine, upgrade

_migrated: list[bytes] = []
_migrating = threading.Lock()


def scratch_engine() -> Engine:
    """Create an engine on a new, empty in-memory database at the newest schema."""
    image = _schema_image()

    def load(dbapi_connection: sqlite3.Connection, connection_record: Any) -> None:
        """Fill each new connection's database with the migrated schema."""
        dbapi_connection.deserialize(image)

    # In memory, SQLAlchemy keeps one connection per thread: a request's turns share one.
    engine = make_engine("sqlite://")
    event.listen(engine, "connect", load)
    return engine


def _schema_image() -> bytes:
    """Return the bytes of an empty database at the newest schema, migrated once."""
    with _migrating:
        if not _migrated:
            engine = make_engine("sqlite://")
            try:
                upgrade(engine)
                with engine.connect() as connection:
                    raw = connection.connection.dbapi_connection
                    assert isinstance(raw, sqlite3.Connection)
                    _migrated.append(raw.serialize())
            finally:
                engine.dispose()
        return _migrated[0]
