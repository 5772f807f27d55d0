"""Messages in and out: the inbound log that catches redeliveries, and the outbound queue."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.scheduling.states import Direction, MessageStatus
from storage.models import Message, next_seq
from storage.observe import note
from storage.repositories.statements import dialect_of, statements


class SqlAlchemyMessageRepository:
    """Log, find and lock messages."""

    def __init__(self, session: Session) -> None:
        self._session = session

    def find(self, channel: str, provider_message_id: str) -> Message | None:
        """Return the message a provider knows by this id, if any."""
        query = select(Message).where(
            Message.channel == channel, Message.provider_message_id == provider_message_id
        )
        return self._session.scalars(query).one_or_none()

    def get(self, message_id: uuid.UUID, *, for_update: bool = False) -> Message | None:
        """Return the message with this id, if any; `for_update` locks its row until commit.

        Lock when claiming a queued message to send it, so two deliverers cannot both see
        it still queued (on SQLite, BEGIN IMMEDIATE already serialises them).
        """
        if not for_update:
            return self._session.get(Message, message_id)
        query = select(Message).where(Message.id == message_id).with_for_update()
        query = query.execution_options(populate_existing=True)
        return self._session.scalars(query).one_or_none()

    def last_inbound_at(self, respondent_id: uuid.UUID) -> datetime | None:
        """Return when the respondent's newest message came in, if any."""
        query = select(func.max(Message.created_at)).where(
            Message.respondent_id == respondent_id, Message.direction == Direction.IN
        )
        latest: datetime | None = self._session.scalars(query).first()
        return latest

    def inbound_since(self, respondent_id: uuid.UUID, since: datetime) -> int:
        """Count the respondent's messages received at or after `since` (their index first)."""
        prepared = statements(dialect_of(self._session))
        params = {"respondent_id": respondent_id, "since": since}
        return int(self._session.execute(prepared.inbound_count, params).scalar_one())

    def last_outbound(self, respondent_id: uuid.UUID) -> Message | None:
        """Return the newest message sent to a respondent, if any."""
        query = select(Message).where(Message.respondent_id == respondent_id)
        query = (
            query.where(Message.direction == Direction.OUT).order_by(Message.seq.desc()).limit(1)
        )
        return self._session.scalars(query).first()

    def replies_to(self, message_id: uuid.UUID) -> list[Message]:
        """Return the outbound replies to an inbound message, in the order they were created."""
        query = (
            select(Message)
            .where(Message.reply_to_id == message_id)
            .order_by(Message.created_at, Message.seq)
        )
        return list(self._session.scalars(query))

    def queued_for(self, conversation_id: uuid.UUID) -> list[Message]:
        """Return a conversation's outbound messages not yet handed to the provider, locked."""
        query = (
            select(Message)
            .where(
                Message.conversation_id == conversation_id,
                Message.direction == Direction.OUT,
                Message.status == MessageStatus.QUEUED,
            )
            .with_for_update()
        )
        return list(self._session.scalars(query))

    def first_body(self, conversation_id: uuid.UUID) -> str | None:
        """Return the body of the first message sent for a conversation, if any."""
        query = (
            select(Message.body)
            .where(Message.conversation_id == conversation_id, Message.direction == Direction.OUT)
            .order_by(Message.created_at, Message.seq)
            .limit(1)
        )
        return self._session.scalars(query).first()

    def add_inbound(
        self,
        channel: str,
        provider_message_id: str | None,
        respondent_id: uuid.UUID | None,
        conversation_id: uuid.UUID | None,
        now: datetime,
    ) -> uuid.UUID | None:
        """Log an inbound message (without its body); return its id, or None if already logged."""
        message_id = uuid.uuid4()
        params = {
            "id": message_id,
            "seq": next_seq(),
            "direction": Direction.IN,
            "channel": channel,
            "provider_message_id": provider_message_id,
            "respondent_id": respondent_id,
            "conversation_id": conversation_id,
            "status": MessageStatus.RECEIVED,
            "created_at": now,
            "updated_at": now,
        }
        prepared = statements(dialect_of(self._session))
        inserted: uuid.UUID | None = self._session.execute(
            prepared.inbound_insert, params
        ).scalar_one_or_none()
        if inserted is not None:
            note(self._session, ("message", channel, Direction.IN, MessageStatus.RECEIVED))
        return inserted

    def add_outbound(
        self,
        channel: str,
        body: str,
        respondent_id: uuid.UUID | None,
        conversation_id: uuid.UUID | None,
        reply_to_id: uuid.UUID | None,
        now: datetime,
        status: MessageStatus = MessageStatus.QUEUED,
        buttons: str | None = None,
    ) -> uuid.UUID:
        """Log an outbound message (queued, or sent for webhook replies); return its id."""
        message_id = uuid.uuid4()
        params = {
            "id": message_id,
            "seq": next_seq(),
            "direction": Direction.OUT,
            "channel": channel,
            "body": body,
            "respondent_id": respondent_id,
            "conversation_id": conversation_id,
            "reply_to_id": reply_to_id,
            "status": status,
            "buttons": buttons,
            "created_at": now,
            "updated_at": now,
        }
        self._session.execute(statements(dialect_of(self._session)).message_insert, params)
        note(self._session, ("message", channel, Direction.OUT, status))
        return message_id
