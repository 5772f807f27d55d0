"""The operators' read side: what the background work has still to do, counted now."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from bot.scheduling.states import ItemStatus
from storage.models import Answer, ScheduledItem

# An item still pending this long after it fell due is overdue: the sweep runs every 30 s.
OVERDUE_AFTER = timedelta(minutes=2)
_PENDING_TRANSLATION = "pending"


@dataclass(frozen=True)
class Backlog:
    """Scheduled items due now and overdue, by kind, and translations waiting."""

    due: dict[str, int]
    overdue: dict[str, int]
    translations: int


class SqlAlchemyOperationsQueries:
    """Count the backlog with the indexes the sweep uses (status, due time)."""

    def __init__(self, session_factory: sessionmaker[Session]) -> None:
        self._session_factory = session_factory

    def backlog(self, now: datetime) -> Backlog:
        """Return what is due and not yet done, and how much of it is overdue."""
        with self._session_factory() as session:
            return Backlog(
                due=self._due(session, now),
                overdue=self._due(session, now - OVERDUE_AFTER),
                translations=session.scalar(
                    select(func.count())
                    .select_from(Answer)
                    .where(Answer.translation_status == _PENDING_TRANSLATION)
                )
                or 0,
            )

    @staticmethod
    def _due(session: Session, by: datetime) -> dict[str, int]:
        """Count the pending items due by `by`, by kind."""
        query = (
            select(ScheduledItem.kind, func.count())
            .where(ScheduledItem.status == ItemStatus.PENDING, ScheduledItem.due_at <= by)
            .group_by(ScheduledItem.kind)
        )
        return {str(kind): int(total) for kind, total in session.execute(query).all()}
