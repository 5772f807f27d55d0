"""Alerts raised by residents' answers, and their deliveries to supervisors (email, webhook).

An alert names the conversation, the officer and the unit, never the resident: no number, no
chat id. Its deliveries are the queue: a row per outlet, claimed before the call, so a worker
that dies or a lost Redis loses nothing and the sweep hands the row out again.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, String, UniqueConstraint, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from bot.scheduling.states import ItemStatus
from storage.models.base import Base, UtcDateTime, utc_now


class Alert(Base):
    """One rule an answer met (an alert) or a resident's praise (a commendation)."""

    __tablename__ = "alerts"
    __table_args__ = (
        # A rule fires once per conversation, however often its answers are evaluated.
        UniqueConstraint("conversation_id", "rule"),
        Index("ix_alerts_unit_created_at", "unit", "created_at"),
    )

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    kind: Mapped[str] = mapped_column(String(16))  # alert, commendation
    # Which rule: "score:q_respect", "lowest:q_outcome", "words:q_comment", "commendation".
    rule: Mapped[str] = mapped_column(String(100))
    conversation_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("conversations.id", ondelete="CASCADE")
    )
    officer_id: Mapped[str | None] = mapped_column(String(64))
    unit: Mapped[str | None] = mapped_column(String(64))
    # What met the rule, in a line for supervisors ("scored 1 of 5", "mentions: weapons").
    detail: Mapped[str] = mapped_column(String(300), default="")
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)
    acknowledged_by: Mapped[str | None] = mapped_column(String(254))
    acknowledged_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    acknowledged_note: Mapped[str | None] = mapped_column(String(1000))


class AlertDelivery(Base):
    """Sending one alert through one outlet (email or webhook): due, claimed, done or failed."""

    __tablename__ = "alert_deliveries"
    __table_args__ = (
        UniqueConstraint("alert_id", "outlet"),
        Index("ix_alert_deliveries_status_due_at", "status", "due_at"),
    )

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    alert_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("alerts.id", ondelete="CASCADE"))
    outlet: Mapped[str] = mapped_column(String(16))  # email, webhook
    # pending, running, done, failed (bot.scheduling.states.ItemStatus)
    status: Mapped[str] = mapped_column(String(16), default=ItemStatus.PENDING)
    due_at: Mapped[datetime] = mapped_column(UtcDateTime)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    claimed_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    sent_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    last_error: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)

    def claim(self, now: datetime) -> None:
        """Mark the delivery taken by this worker and count the attempt."""
        self.status, self.claimed_at, self.attempts = ItemStatus.RUNNING, now, self.attempts + 1

    def retry_at(self, due_at: datetime, error: str) -> None:
        """Put the delivery back, due at `due_at`, noting why the attempt failed."""
        self.status, self.due_at, self.claimed_at = ItemStatus.PENDING, due_at, None
        self.last_error = error[:200]

    def finish(self, status: ItemStatus, now: datetime, error: str | None = None) -> None:
        """Close the delivery for good: done (sent) or failed (given up)."""
        self.status, self.last_error = status, error and error[:200]
        self.sent_at = now if status == ItemStatus.DONE else None
