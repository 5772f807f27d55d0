"""Tables of the future: scheduled sends and each sending number's pacing slot.

The database is the source of truth for what is due: Redis (RQ) only delivers it, and a lost
queue loses nothing, because the sweep hands every pending item whose time has come over again.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from bot.scheduling.states import ItemStatus
from storage.models.base import Base, UtcDateTime, utc_now

# What an item does: send a survey's first text, remind, or close the survey.


class ScheduledItem(Base):
    """One thing to do at a time: start a conversation, remind, expire it, or send a reply."""

    __tablename__ = "scheduled_items"
    __table_args__ = (
        # One item per conversation, kind and ordinal: scheduling twice schedules once.
        UniqueConstraint("conversation_id", "kind", "ordinal"),
        # The sweep's query: pending items whose time has come, oldest first. Its cost follows
        # the number of due items, not the size of the table.
        Index("ix_scheduled_items_status_due_at", "status", "due_at"),
        # Deleting a message (erasure) finds the items that point at it by this index, for
        # the foreign key's SET NULL and the erasure's own delete, instead of a table scan.
        Index("ix_scheduled_items_message_id", "message_id"),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    # None for a reply in a chat app to a message outside any survey (HELP, after STOP).
    conversation_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("conversations.id", ondelete="CASCADE")
    )
    kind: Mapped[str] = mapped_column(String(16))  # start, reminder, expiry, reply
    ordinal: Mapped[int] = mapped_column(Integer, default=0)
    due_at: Mapped[datetime] = mapped_column(UtcDateTime)
    # pending, running, done, cancelled, failed
    status: Mapped[str] = mapped_column(String(16), default=ItemStatus.PENDING)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    # The text composed for this item, kept so a retry sends the same message once.
    message_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("messages.id", ondelete="SET NULL")
    )
    # Set when the item already holds its sender's pacing slot: a retry must not queue again.
    paced: Mapped[bool] = mapped_column(default=False)
    claimed_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    last_error: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)

    def reschedule(self, due_at: datetime, now: datetime) -> None:
        """Put the item back in the queue, due at `due_at` and claimed by nobody."""
        self.status, self.due_at = ItemStatus.PENDING, due_at
        self.claimed_at, self.updated_at = None, now

    def claim(self, now: datetime) -> None:
        """Mark the item taken by this worker, so no other runs it meanwhile."""
        self.status, self.claimed_at, self.updated_at = ItemStatus.RUNNING, now, now

    def close(self, status: ItemStatus, now: datetime, note: str | None = None) -> None:
        """Finish the item for good (done, cancelled or failed), with a note on why."""
        self.status, self.last_error, self.updated_at = status, note and note[:200], now


class SenderSlot(Base):
    """When a sending number may next send: shared by every process, so pacing is global."""

    __tablename__ = "sender_slots"

    sender: Mapped[str] = mapped_column(String(64), primary_key=True)
    next_free_at: Mapped[datetime] = mapped_column(UtcDateTime)
