"""Scheduled sends and per-sender pacing slots, in the unit of work's Session."""

from __future__ import annotations

import functools
import uuid
from datetime import datetime, timedelta
from typing import Any, cast

from sqlalchemy import Table, bindparam, select, update
from sqlalchemy.orm import Session

from bot.scheduling.states import ItemKind, ItemStatus
from storage.models import Message, ScheduledItem, SenderSlot

# A sender's queue never legitimately reaches this far ahead (10,000 two-segment texts at one
# segment a second take under six hours).
MAX_BACKLOG = timedelta(days=1)


class SqlAlchemyScheduleRepository:
    """Queries and writes on scheduled items and sender slots, in the unit of work's Session."""

    def __init__(self, session: Session) -> None:
        self._session = session

    def schedule(
        self,
        conversation_id: uuid.UUID | None,
        kind: ItemKind,
        due_at: datetime,
        now: datetime,
        ordinal: int = 0,
        message_id: uuid.UUID | None = None,
    ) -> ScheduledItem:
        """Add a pending item for a conversation (or a reply, with its composed message)."""
        item = ScheduledItem(
            conversation_id=conversation_id,
            kind=kind,
            ordinal=ordinal,
            due_at=due_at,
            status=ItemStatus.PENDING,
            attempts=0,
            message_id=message_id,
            paced=False,
            created_at=now,
            updated_at=now,
        )
        self._session.add(item)
        self._session.flush()
        return item

    def add_reply(self, message_id: uuid.UUID, now: datetime) -> ScheduledItem:
        """Add a reply due now whose text is composed: sent, paced and retried like any item."""
        return self.schedule(None, ItemKind.REPLY, now, now, message_id=message_id)

    def reply_waiting(self, respondent_id: uuid.UUID, before: datetime) -> bool:
        """Say whether a reply to the resident made before `before` has still not left."""
        query = (
            select(ScheduledItem.id)
            .join(Message, Message.id == ScheduledItem.message_id)
            .where(
                ScheduledItem.kind == ItemKind.REPLY,
                ScheduledItem.status.in_((ItemStatus.PENDING, ItemStatus.RUNNING)),
                ScheduledItem.created_at < before,
                Message.respondent_id == respondent_id,
            )
            .limit(1)
        )
        return self._session.scalars(query).first() is not None

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
            status=ItemStatus.CANCELLED, last_error=bindparam("reason"), updated_at=bindparam("now")
        )
    )
