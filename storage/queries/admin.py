"""Read what the admin site lists: the audit log, page by page, and surveys running per version.

Plain rows in frozen dataclasses, read in a short transaction of their own that changes
nothing, like the survey reports.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, Select, and_, func, select
from sqlalchemy.orm import Session, sessionmaker

from bot.engine.model import Status
from storage.models import AuditEntry, Conversation, FlowVersion


@dataclass(frozen=True)
class AuditFilter:
    """Which entries to list: an action, an actor (part of it), a time range (from ≤ at < to)."""

    action: str | None = None
    actor: str | None = None
    since: datetime | None = None
    until: datetime | None = None


@dataclass(frozen=True)
class AuditView:
    """One entry of the audit log."""

    id: int
    at: datetime
    actor: str
    action: str
    subject: str
    detail: str


@dataclass(frozen=True)
class AuditPage:
    """One page of entries, newest first, and whether an older page follows."""

    entries: tuple[AuditView, ...]
    page: int
    has_next: bool


@dataclass(frozen=True)
class RunningCount:
    """Surveys of one flow version not yet ended: begun (active) and waiting to start."""

    flow_id: str
    digest: str
    number: int | None
    active: int
    scheduled: int


_ENTRY = [getattr(AuditEntry, name) for name in AuditView.__dataclass_fields__]


class SqlAlchemyAdminQueries:
    """Read the audit log and running surveys, each in a short transaction of its own."""

    def __init__(self, session_factory: sessionmaker[Session]) -> None:
        self._session_factory = session_factory

    def audit_page(self, where: AuditFilter, page: int, per_page: int) -> AuditPage:
        """Return page `page` (from 1) of the entries `where` selects, newest first."""
        query = _filtered(select(*_ENTRY), where)
        query = query.order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
        # One row more than a page says whether another page follows, without a count.
        query = query.offset((page - 1) * per_page).limit(per_page + 1)
        with self._session_factory() as session:
            rows = [AuditView(**row._asdict()) for row in session.execute(query)]
        return AuditPage(tuple(rows[:per_page]), page, len(rows) > per_page)

    def audit_actions(self) -> list[str]:
        """Return every action the log holds, for the filter's choices."""
        query = select(AuditEntry.action).distinct().order_by(AuditEntry.action)
        with self._session_factory() as session:
            return list(session.scalars(query))

    def version_number(self, flow_id: str, digest: str) -> int | None:
        """Return the number a flow's version is known by ("version 3"), if recorded."""
        query = select(FlowVersion.number).where(
            FlowVersion.flow_id == flow_id, FlowVersion.digest == digest
        )
        with self._session_factory() as session:
            return session.scalars(query).first()

    def running(self) -> list[RunningCount]:
        """Count the surveys not yet ended per flow version (scheduled and active)."""
        version = and_(
            FlowVersion.flow_id == Conversation.flow_id,
            FlowVersion.digest == Conversation.flow_version,
        )
        query = (
            select(
                Conversation.flow_id,
                Conversation.flow_version,
                FlowVersion.number,
                _count(Status.ACTIVE),
                _count(Status.SCHEDULED),
            )
            .outerjoin(FlowVersion, version)
            .where(Conversation.status.in_((Status.ACTIVE, Status.SCHEDULED)))
            .group_by(Conversation.flow_id, Conversation.flow_version, FlowVersion.number)
            .order_by(Conversation.flow_id, FlowVersion.number)
        )
        with self._session_factory() as session:
            return [RunningCount(*row) for row in session.execute(query)]


def _count(status: Status) -> ColumnElement[int]:
    """Count the rows of one status within a group."""
    return func.count().filter(Conversation.status == status)


def _filtered(query: Select[tuple[object, ...]], where: AuditFilter) -> Select[tuple[object, ...]]:
    """Narrow an audit query to an action, an actor and a time range."""
    if where.action:
        query = query.where(AuditEntry.action == where.action)
    if where.actor:
        # Emails are stored lower-case; a part of one finds it ("reyes", "@agency.gov").
        pattern = "%" + _escaped(where.actor.strip().lower()) + "%"
        query = query.where(func.lower(AuditEntry.actor).like(pattern, escape="\\"))
    if where.since is not None:
        query = query.where(AuditEntry.at >= where.since)
    if where.until is not None:
        query = query.where(AuditEntry.at < where.until)
    return query


def _escaped(text: str) -> str:
    """Escape LIKE's wildcards so a typed % or _ matches itself."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
