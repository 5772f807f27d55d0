"""The declarative base and the column types every table shares."""

from __future__ import annotations

import threading
import time
from datetime import UTC, datetime

from sqlalchemy import DateTime, Dialect, MetaData, TypeDecorator
from sqlalchemy.orm import DeclarativeBase

# Deterministic constraint names: Alembic needs them to alter or drop constraints later,
# especially in SQLite batch mode, which recreates tables.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utc_now() -> datetime:
    """Return the current time as an aware UTC datetime."""
    return datetime.now(UTC)


class UtcDateTime(TypeDecorator[datetime]):
    """A timestamp that is always stored as UTC and always read back timezone-aware."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        """Convert an aware datetime to UTC; refuse naive ones, whose zone is a guess."""
        if value is None:
            return None
        if value.utcoffset() is None:
            raise ValueError("naive datetime: pass an aware (UTC) datetime")
        utc = value.astimezone(UTC)
        # SQLite has no time zones: store the UTC wall time and re-attach UTC on read.
        return utc.replace(tzinfo=None) if dialect.name == "sqlite" else utc

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        """Return the stored instant as an aware UTC datetime."""
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


_seq_lock = threading.Lock()
_seq_state = {"last": 0}


def next_seq() -> int:
    """Return a strictly increasing number, close to the time in nanoseconds.

    Several replies to one inbound message often share `created_at` (one `now` per turn);
    `seq` keeps them in the order they were created, on SQLite and PostgreSQL alike.
    """
    with _seq_lock:
        value = max(time.time_ns(), _seq_state["last"] + 1)
        _seq_state["last"] = value
        return value


class Base(DeclarativeBase):
    """Declarative base holding Parley's metadata."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)
