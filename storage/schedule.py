"""Scheduled sends and per-sender pacing: the database is the source of truth for the future.

Redis (RQ) only delivers what these tables say is due: a lost queue loses nothing, because
the sweep finds every pending item whose time has come and hands it over again.
"""

from __future__ import annotations

import functools
import uuid
from datetime import datetime, timedelta
from typing import Any, cast

from sqlalchemy import (
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    UniqueConstraint,
    bindparam,
    func,
    or_,
    select,
    update,
)
from sqlalchemy.orm import Mapped, Session, mapped_column

from bot.engine.model import LIVE, Status
from bot.scheduling.states import Direction, ItemKind, ItemStatus
from storage.contacts import ContactQueries
from storage.contacts import incident_key as incident_key
from storage.models import Base, Conversation, Message, UtcDateTime, utc_now

# A sender's queue never legitimately reaches this far ahead (10,000 two-segment texts at one
# segment a second take under six hours).
MAX_BACKLOG = timedelta(days=1)


class ScheduledItem(Base):
    """One thing to do for a conversation at a time: start it, remind, or expire it."""

    __tablename__ = "scheduled_items"
    __table_args__ = (
        # One item per conversation, kind and ordinal: scheduling twice schedules once.
        UniqueConstraint("conversation_id", "kind", "ordinal"),
        # The sweep's query: pending items whose time has come, oldest first. Its cost follows
        # the number of due items, not the size of the table.
        Index("ix_scheduled_items_status_due_at", "status", "due_at"),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    conversation_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("conversations.id", ondelete="CASCADE")
    )
    kind: Mapped[str] = mapped_column(String(16))  # bot.scheduling.states.ItemKind
    ordinal: Mapped[int] = mapped_column(Integer, default=0)
    due_at: Mapped[datetime] = mapped_column(UtcDateTime)
    # bot.scheduling.states.ItemStatus
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


class ScheduleRepository(ContactQueries):
    """Queries and writes on scheduled items and sender slots, in the unit of work's Session."""

    def __init__(self, session: Session) -> None:
        self._session = session

    def schedule(
        self,
        conversation_id: uuid.UUID,
        kind: ItemKind,
        due_at: datetime,
        now: datetime,
        ordinal: int = 0,
    ) -> ScheduledItem:
        """Add a pending item for a conversation."""
        item = ScheduledItem(
            conversation_id=conversation_id,
            kind=kind,
            ordinal=ordinal,
            due_at=due_at,
            status=ItemStatus.PENDING,
            attempts=0,
            paced=False,
            created_at=now,
            updated_at=now,
        )
        self._session.add(item)
        self._session.flush()
        return item

    def get(self, item_id: uuid.UUID, *, for_update: bool = False) -> ScheduledItem | None:
        """Return an item, locking its row until commit when asked."""
        query = select(ScheduledItem).where(ScheduledItem.id == item_id)
        if for_update:
            query = query.with_for_update().execution_options(populate_existing=True)
        return self._session.scalars(query).one_or_none()

    def for_conversation(self, conversation_id: uuid.UUID) -> list[ScheduledItem]:
        """Return a conversation's items, soonest first."""
        query = (
            select(ScheduledItem)
            .where(ScheduledItem.conversation_id == conversation_id)
            .order_by(ScheduledItem.due_at, ScheduledItem.kind, ScheduledItem.ordinal)
        )
        return list(self._session.scalars(query))

    def due(self, now: datetime, limit: int) -> list[uuid.UUID]:
        """Return the ids of pending items due by `now`, oldest first (uses the index)."""
        return [item_id for item_id, _ in self.due_items(now, limit)]

    def due_items(self, now: datetime, limit: int) -> list[tuple[uuid.UUID, datetime]]:
        """Return (id, due time) of pending items due by `now`, oldest first (uses the index)."""
        query = (
            select(ScheduledItem.id, ScheduledItem.due_at)
            .where(ScheduledItem.status == ItemStatus.PENDING, ScheduledItem.due_at <= now)
            .order_by(ScheduledItem.due_at)
            .limit(limit)
        )
        return [(item_id, due_at) for item_id, due_at in self._session.execute(query)]

    def next_due_at(self, after: datetime | None = None) -> datetime | None:
        """Return when the soonest pending item (due after `after`) falls due (uses the index)."""
        query = select(ScheduledItem.due_at).where(ScheduledItem.status == ItemStatus.PENDING)
        if after is not None:
            query = query.where(ScheduledItem.due_at > after)
        return self._session.scalars(query.order_by(ScheduledItem.due_at).limit(1)).first()

    def release_stale(self, claimed_before: datetime, now: datetime) -> int:
        """Return to pending the items a crashed worker claimed and never finished."""
        statement = (
            update(ScheduledItem)
            .where(
                ScheduledItem.status == ItemStatus.RUNNING,
                ScheduledItem.claimed_at < claimed_before,
            )
            .values(status=ItemStatus.PENDING, due_at=now, claimed_at=None, updated_at=now)
        )
        return int(self._session.execute(statement).rowcount)  # type: ignore[attr-defined]

    def cancel(
        self,
        conversation_ids: list[uuid.UUID],
        kinds: tuple[ItemKind, ...],
        now: datetime,
        reason: str,
    ) -> int:
        """Cancel the pending items of these kinds for these conversations; return how many."""
        if not conversation_ids:
            return 0
        # Every inbound turn runs this: one compiled Core statement, no ORM bookkeeping.
        params = {"ids": conversation_ids, "kinds": list(kinds), "reason": reason[:200], "now": now}
        result = self._session.execute(_cancel_statement(), params)
        return int(result.rowcount)  # type: ignore[attr-defined]

    def first_message(self, conversation_id: uuid.UUID) -> str | None:
        """Return the body of the first message sent for a conversation, if any."""
        query = (
            select(Message.body)
            .where(Message.conversation_id == conversation_id, Message.direction == Direction.OUT)
            .order_by(Message.created_at, Message.seq)
            .limit(1)
        )
        return self._session.scalars(query).first()

    def live_conversations(self, respondent_id: uuid.UUID) -> list[Conversation]:
        """Return a respondent's scheduled and active conversations."""
        query = select(Conversation).where(
            Conversation.respondent_id == respondent_id, Conversation.status.in_(LIVE)
        )
        return list(self._session.scalars(query))

    def last_survey_at(
        self, respondent_id: uuid.UUID, besides: uuid.UUID | None, *, started_only: bool = False
    ) -> datetime | None:
        """Return when the respondent was last surveyed (or is due to be), for the cap.

        `started_only` leaves out surveys still waiting to be sent.
        """
        sent = func.coalesce(Conversation.started_at, Conversation.scheduled_for)
        query = select(func.max(sent)).where(
            Conversation.respondent_id == respondent_id,
            # Any survey whose first text went out counts, however it ended (STOP, a cancel).
            or_(
                Conversation.status.in_(
                    (Status.SCHEDULED, Status.ACTIVE, Status.COMPLETED, Status.EXPIRED)
                ),
                Conversation.started_at.is_not(None),
            ),
        )
        if besides is not None:
            query = query.where(Conversation.id != besides)
        if started_only:
            query = query.where(Conversation.started_at.is_not(None))
        found: datetime | None = self._session.scalars(query).first()
        return found

    def reserve_slot(self, sender: str, now: datetime, cost: timedelta) -> datetime:
        """Reserve the sender's next free moment for a send taking `cost`; return that moment.

        The row is locked until commit, so two processes never take the same slot.
        """
        query = select(SenderSlot).where(SenderSlot.sender == sender).with_for_update()
        slot = self._session.scalars(query.execution_options(populate_existing=True)).first()
        if slot is None:
            slot = SenderSlot(sender=sender, next_free_at=now)
            self._session.add(slot)
        start = max(now, slot.next_free_at)
        if start - now > MAX_BACKLOG:
            # No real backlog is this long: the clock stepped back (a restored snapshot, an
            # NTP correction) or the rate changed. Don't stall the number for days.
            start = now
        slot.next_free_at = start + cost
        self._session.flush()
        return start


@functools.cache
def _cancel_statement() -> Any:
    """Build the UPDATE that cancels pending items of some kinds for some conversations."""
    table = cast(Table, ScheduledItem.__table__)
    return (
        update(table)
        .where(
            table.c.conversation_id.in_(bindparam("ids", expanding=True)),
            table.c.kind.in_(bindparam("kinds", expanding=True)),
            table.c.status == ItemStatus.PENDING,
        )
        .values(
            status=ItemStatus.CANCELLED,
            last_error=bindparam("reason"),
            updated_at=bindparam("now"),
        )
    )
