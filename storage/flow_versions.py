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

# The origin of a version recorded without one: read from the flow files (as the migration
# marks the versions recorded before origins were kept).
FROM_FILES = "from files"
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
    origin: str = FROM_FILES
    published_by: str | None = None
    files: Mapping[str, str] | None = None


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
        self,
        flow_id: str,
        digest: str,
        definition: Mapping[str, Any],
        now: datetime,
        *,
        origin: str = FROM_FILES,
        files: Mapping[str, str] | None = None,
    ) -> StoredFlowVersion:
        """Keep a definition under the flow's next number unless its digest is already kept."""
        row = FlowVersion(
            flow_id=flow_id,
            digest=digest,
            definition=dict(definition),
            created_at=now,
            origin=origin,
            files=dict(files) if files is not None else None,
        )
        for _ in range(_ATTEMPTS - 1):
            try:
                return self._record(row)
            except IntegrityError:
                logger.info("flow %s was recorded by another process meanwhile", flow_id)
        return self._record(row)

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

    def heads(self) -> dict[str, int]:
        """Return each flow's newest version number, in one small query on the primary key."""
        query = select(FlowVersion.flow_id, func.max(FlowVersion.number)).group_by(
            FlowVersion.flow_id
        )
        with self._reader() as session:
            return {str(flow_id): int(number) for flow_id, number in session.execute(query)}

    def numbered(self, flow_id: str, number: int) -> StoredFlowVersion | None:
        """Return version `number` of `flow_id`, if recorded."""
        with self._reader() as session:
            row = session.get(FlowVersion, (flow_id, number))
            return _stored(row) if row is not None else None

    def _record(self, template: FlowVersion) -> StoredFlowVersion:
        """Find or insert one version in one transaction; IntegrityError if another won."""
        flow_id, digest = template.flow_id, template.digest
        with Session(self._engine) as session, session.begin():
            row = _by_digest(session, flow_id, digest)
            if row is not None:
                return _stored(row)
            last = session.scalar(
                select(func.max(FlowVersion.number)).where(FlowVersion.flow_id == flow_id)
            )
            row = _copy(template)
            row.number = (last or 0) + 1
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


def _copy(template: FlowVersion) -> FlowVersion:
    """Return a fresh row with a template's values (a retry must not reuse a failed row)."""
    return FlowVersion(
        flow_id=template.flow_id,
        digest=template.digest,
        definition=template.definition,
        created_at=template.created_at,
        origin=template.origin,
        files=template.files,
    )


def _stored(row: FlowVersion) -> StoredFlowVersion:
    """Copy a row into an immutable record, readable after its session closes."""
    return StoredFlowVersion(
        row.flow_id,
        row.number,
        row.digest,
        row.definition,
        row.created_at,
        row.origin,
        row.published_by,
        row.files,
    )
