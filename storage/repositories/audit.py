"""The audit log's writing side: entries are only ever added."""

from __future__ import annotations

from sqlalchemy.orm import Session

from storage.models import AuditEntry


class SqlAlchemyAuditRepository:
    """Add audit entries inside a unit of work's transaction, committed with what they record."""

    def __init__(self, session: Session) -> None:
        self._session = session

    def add(self, entry: AuditEntry) -> None:
        """Stage an entry; the unit of work's commit stores it with the change it records."""
        self._session.add(entry)
