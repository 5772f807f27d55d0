"""Flow definitions kept in the database: one immutable row per version of a flow."""

from __future__ import annotations

import logging
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Engine, func, inspect, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from storage.models import FlowVersion
from storage.sqlite import READ_ONLY

logger = logging.getLogger(__name__)

# Two processes starting at once may both claim a flow's next number; the loser reads again.
_ATTEMPTS = 3


@dataclass(frozen=True)
class StoredFlowVersion:
    """A recorded flow version, read out of its row."""

    flow_id: str
    number: int
    digest: str
    definition: Mapping[str, Any]
    created_at: datetime


class SqlAlchemyFlowVersions:
    """Record and find flow versions in the flow_versions table, each in its own transaction.

    Lookups run beside whatever unit of work is open, so they read on a connection of their
    own marked read-only: on SQLite it does not wait for the writer's turn that block holds.
    """

    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    def ready(self) -> bool:
        """Say whether the schema has the flow_versions table (it is migrated far enough)."""
        with self._engine.connect() as connection:
            return inspect(connection.execution_options(**READ_ONLY)).has_table("flow_versions")

    def record(
        self, flow_id: str, digest: str, definition: Mapping[str, Any], now: datetime
    ) -> StoredFlowVersion:
        """Keep a definition under the flow's next number unless its digest is already kept."""
        for _ in range(_ATTEMPTS - 1):
            try:
                return self._record(flow_id, digest, definition, now)
            except IntegrityError:
                logger.info("flow %s was recorded by another process meanwhile", flow_id)
        return self._record(flow_id, digest, definition, now)

    def find(self, flow_id: str, digest: str) -> StoredFlowVersion | None:
        """Return the version of `flow_id` with this digest, if recorded."""
        with self._reader() as session:
            row = _by_digest(session, flow_id, digest)
            return _stored(row) if row is not None else None

    def versions(self, flow_id: str) -> list[StoredFlowVersion]:
        """Return every recorded version of `flow_id`, oldest first."""
        query = (
            select(FlowVersion).where(FlowVersion.flow_id == flow_id).order_by(FlowVersion.number)
        )
        with self._reader() as session:
            return [_stored(row) for row in session.scalars(query)]

    def _record(
        self, flow_id: str, digest: str, definition: Mapping[str, Any], now: datetime
    ) -> StoredFlowVersion:
        """Find or insert one version in one transaction; IntegrityError if another won."""
        with Session(self._engine) as session, session.begin():
            row = _by_digest(session, flow_id, digest)
            if row is not None:
                return _stored(row)
            last = session.scalar(
                select(func.max(FlowVersion.number)).where(FlowVersion.flow_id == flow_id)
            )
            row = FlowVersion(
                flow_id=flow_id,
                number=(last or 0) + 1,
                digest=digest,
                definition=dict(definition),
                created_at=now,
            )
            session.add(row)
            stored = _stored(row)
        # The block has committed (had another process taken the number, it would have raised).
        logger.info("recorded flow %s version %d (%s)", flow_id, stored.number, digest)
        return stored

    @contextmanager
    def _reader(self) -> Iterator[Session]:
        """Open a session on a read-only connection of its own."""
        with (
            self._engine.connect() as connection,
            Session(bind=connection.execution_options(**READ_ONLY)) as session,
        ):
            yield session


def _by_digest(session: Session, flow_id: str, digest: str) -> FlowVersion | None:
    """Return the row of `flow_id` with this digest, if any."""
    query = select(FlowVersion).where(FlowVersion.flow_id == flow_id, FlowVersion.digest == digest)
    return session.scalars(query).one_or_none()


def _stored(row: FlowVersion) -> StoredFlowVersion:
    """Copy a row into an immutable record, readable after its session closes."""
    return StoredFlowVersion(row.flow_id, row.number, row.digest, row.definition, row.created_at)
