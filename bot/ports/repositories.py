"""Repositories of the resident side: respondents, conversations, contacts, messages, schedule.

Re-exported by bot.ports. Signatures name ORM row types (storage.models) and the read side's
plain views, nothing else of SQLAlchemy: tests/fakes.py implements them in memory.
"""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from bot.scheduling.states import ItemKind, MessageStatus
    from storage.models import (
        Answer,
        AnswerJson,
        Contact,
        Conversation,
        Message,
        Respondent,
        ScheduledItem,
    )


class RespondentRepository(Protocol):
    """Find, create and lock respondents."""

    def for_update(self, channel: str, address: str, now: datetime) -> Respondent:
        """Get or create the respondent at an address and lock it until commit."""
        ...

    def with_open_conversation(
        self, channel: str, address: str, now: datetime
    ) -> tuple[Respondent, Conversation | None]:
        """Get or create the respondent, lock it, then read its open conversation."""
        ...

    def lock_for_item(self, item_id: uuid.UUID) -> None:
        """Lock the resident a scheduled item is for until commit (before the item's own row)."""
        ...

    def find(self, channel: str, address: str) -> Respondent | None:
        """Return the respondent at an address, if any, without locking."""
        ...

    def get(self, respondent_id: uuid.UUID) -> Respondent | None:
        """Return the respondent with this id, if any."""
        ...

    def reseal_batch(
        self, after: uuid.UUID | None, limit: int
    ) -> tuple[uuid.UUID | None, int, int]:
        """Re-encrypt the next rows after `after` with the current key: (last id, read, changed)."""
        ...

    def erase(self, respondent_id: uuid.UUID, keep_message_id: uuid.UUID | None) -> dict[str, int]:
        """Delete all held about a resident but their row (and one message); count by table."""
        ...

    def count_by_key(self) -> dict[str, int]:
        """Count the respondents sealed with each data key, by key id."""
        ...


class ConversationRepository(Protocol):
    """Read and write conversations and the answers given in them."""

    def add(self, conversation: Conversation) -> None:
        """Store a new conversation now, so its id and defaults are set."""
        ...

    def get(self, conversation_id: uuid.UUID) -> Conversation | None:
        """Return the conversation with this id, if any."""
        ...

    def open_for(self, respondent_id: uuid.UUID) -> Conversation | None:
        """Return the respondent's newest active conversation, if any."""
        ...

    def latest_for(self, respondent_id: uuid.UUID) -> Conversation | None:
        """Return the respondent's newest conversation in any status, if any."""
        ...

    def live_for(self, respondent_id: uuid.UUID) -> list[Conversation]:
        """Return a respondent's scheduled and active conversations."""
        ...

    def last_survey_at(
        self, respondent_id: uuid.UUID, besides: uuid.UUID | None, *, started_only: bool = False
    ) -> datetime | None:
        """Return when the respondent was last surveyed (or is due to be), for the cap."""
        ...

    def answers(self, conversation_id: uuid.UUID) -> list[Answer]:
        """Return a conversation's answers in the order they were given."""
        ...

    def save_answer(
        self,
        conversation_id: uuid.UUID,
        question_id: str,
        raw_text: str | None,
        value: AnswerJson,
        language: str,
        answered_at: datetime,
    ) -> None:
        """Store the answer to a question, replacing an earlier answer to it."""
        ...

    def record_text(self, conversation_id: uuid.UUID, status: str, now: datetime) -> None:
        """Note that a text of the conversation reached `status` (first sent, first delivered)."""
        ...


class ContactRepository(Protocol):
    """Store police contacts and find the surveys asked for about them."""

    def add(self, contact: Contact) -> None:
        """Store a new contact now, so its id and defaults are set."""
        ...

    def get(self, contact_id: uuid.UUID | None) -> Contact | None:
        """Return the police contact a survey is about, if it is still stored."""
        ...

    def conversation_for_contact(
        self, respondent_id: uuid.UUID, incident_id: str | None, occurred_at: datetime | None
    ) -> Conversation | None:
        """Return the survey already asked for about this contact, if any."""
        ...

    def live_for_incident(self, incident_id: str) -> list[Conversation]:
        """Return every scheduled or active survey about an incident."""
        ...


class MessageRepository(Protocol):
    """Log, find and lock messages in and out."""

    def find(self, channel: str, provider_message_id: str) -> Message | None:
        """Return the message a provider knows by this id, if any."""
        ...

    def get(self, message_id: uuid.UUID, *, for_update: bool = False) -> Message | None:
        """Return the message with this id, if any; `for_update` locks it until commit."""
        ...

    def last_inbound_at(self, respondent_id: uuid.UUID) -> datetime | None:
        """Return when the respondent's newest message came in, if any."""
        ...

    def inbound_since(self, respondent_id: uuid.UUID, since: datetime) -> int:
        """Count the respondent's messages received at or after `since`."""
        ...

    def last_outbound(self, respondent_id: uuid.UUID) -> Message | None:
        """Return the newest message sent to a respondent, if any."""
        ...

    def replies_to(self, message_id: uuid.UUID) -> list[Message]:
        """Return the outbound replies to an inbound message, in order."""
        ...

    def queued_for(self, conversation_id: uuid.UUID) -> list[Message]:
        """Return a conversation's outbound messages not yet handed over, locked."""
        ...

    def first_body(self, conversation_id: uuid.UUID) -> str | None:
        """Return the body of the first message sent for a conversation, if any."""
        ...

    def add_inbound(
        self,
        channel: str,
        provider_message_id: str | None,
        respondent_id: uuid.UUID | None,
        conversation_id: uuid.UUID | None,
        now: datetime,
    ) -> uuid.UUID | None:
        """Log an inbound message; return its id, or None if it was logged already."""
        ...

    def add_outbound(
        self,
        channel: str,
        body: str,
        respondent_id: uuid.UUID | None,
        conversation_id: uuid.UUID | None,
        reply_to_id: uuid.UUID | None,
        now: datetime,
        status: MessageStatus = ...,  # queued; replied_inline for a webhook's own answer
        buttons: str | None = None,  # answer buttons shown under it, as JSON (Telegram)
    ) -> uuid.UUID:
        """Log an outbound message; return its id."""
        ...


class ScheduleRepository(Protocol):
    """Scheduled items (start, remind, expire, reply) and per-sender pacing slots."""

    def schedule(
        self,
        conversation_id: uuid.UUID,
        kind: ItemKind,
        due_at: datetime,
        now: datetime,
        ordinal: int = 0,
    ) -> ScheduledItem:
        """Add a pending item for a conversation."""
        ...

    def add_reply(self, message_id: uuid.UUID, now: datetime) -> ScheduledItem:
        """Add a reply due now whose text is composed: sent, paced and retried like any item."""
        ...

    def reply_waiting(self, respondent_id: uuid.UUID, before: datetime) -> bool:
        """Say whether a reply to the resident made before `before` has still not left."""
        ...

    def get(self, item_id: uuid.UUID, *, for_update: bool = False) -> ScheduledItem | None:
        """Return an item, locked until commit when asked."""
        ...

    def for_conversation(self, conversation_id: uuid.UUID) -> list[ScheduledItem]:
        """Return a conversation's items, soonest first."""
        ...

    def due(self, now: datetime, limit: int) -> list[uuid.UUID]:
        """Return the ids of pending items due by `now`, oldest first."""
        ...

    def due_items(self, now: datetime, limit: int) -> list[tuple[uuid.UUID, datetime]]:
        """Return (id, due time) of pending items due by `now`, oldest first."""
        ...

    def next_due_at(self, after: datetime | None = None) -> datetime | None:
        """Return when the soonest pending item (due after `after`) falls due."""
        ...

    def release_stale(self, claimed_before: datetime, now: datetime) -> int:
        """Return to pending the items a crashed worker claimed and never finished."""
        ...

    def cancel(
        self,
        conversation_ids: list[uuid.UUID],
        kinds: tuple[ItemKind, ...],
        now: datetime,
        reason: str,
    ) -> int:
        """Cancel the pending items of these kinds for these conversations; return how many."""
        ...

    def reserve_slot(self, sender: str, now: datetime, cost: timedelta) -> datetime:
        """Reserve the sender's next free moment for a send taking `cost`; return it."""
        ...
