"""In-memory repositories of the resident's side: respondents, conversations, messages, contacts."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING

from bot.engine.model import Status
from bot.scheduling.states import Direction, MessageStatus
from storage.models import (
    LIVE,
    Answer,
    AnswerJson,
    Contact,
    Conversation,
    Message,
    Respondent,
    incident_key,
)
from tests.fake_erasure import fake_erase

if TYPE_CHECKING:
    from tests.fakes import FakeUnitOfWork


class FakeRespondentRepository:
    """Respondents in memory; one block runs at a time, so there is nothing to lock."""

    def __init__(self, uow: FakeUnitOfWork) -> None:
        self._uow = uow

    def for_update(self, channel: str, address: str, now: datetime) -> Respondent:
        """Get or create the respondent at an address."""
        return self.with_open_conversation(channel, address, now)[0]

    def with_open_conversation(
        self, channel: str, address: str, now: datetime
    ) -> tuple[Respondent, Conversation | None]:
        """Get or create the respondent, with its open conversation."""
        found = self.find(channel, address)
        if found is None:
            # No cipher in memory: the hash and ciphertext stand in, the address is revealed.
            row = Respondent(
                channel=channel, address_hash=address, address_enc=address, created_at=now
            )
            row.reveal(address)
            found = self._uow.add(row)
        return found, self._uow.conversations.open_for(found.id)

    def lock_for_item(self, item_id: uuid.UUID) -> None:
        """Lock the resident a scheduled item is for: one block runs at a time, nothing to do."""

    def find(self, channel: str, address: str) -> Respondent | None:
        """Return the respondent at an address, if any."""
        return self._uow.first(Respondent, lambda r: (r.channel, r.address) == (channel, address))

    def get(self, respondent_id: uuid.UUID) -> Respondent | None:
        """Return the respondent with this id, if any."""
        return self._uow.first(Respondent, lambda r: r.id == respondent_id)

    def erase(self, respondent_id: uuid.UUID, keep_message_id: uuid.UUID | None) -> dict[str, int]:
        """Drop everything held about a resident but their row (and one message)."""
        return fake_erase(self._uow, respondent_id, keep_message_id)


class FakeConversationRepository:
    """Conversations and their answers in memory."""

    def __init__(self, uow: FakeUnitOfWork) -> None:
        self._uow = uow

    def add(self, conversation: Conversation) -> None:
        """Stage a new conversation."""
        self._uow.add(conversation)

    def get(self, conversation_id: uuid.UUID) -> Conversation | None:
        """Return the conversation with this id, if any."""
        return self._uow.first(Conversation, lambda c: c.id == conversation_id)

    def _of(self, respondent_id: uuid.UUID, statuses: tuple[str, ...] = ()) -> list[Conversation]:
        """Return a respondent's conversations (in these statuses), newest first."""
        found = [
            c
            for c in self._uow.rows(Conversation)
            if c.respondent_id == respondent_id and (not statuses or c.status in statuses)
        ]
        return sorted(found, key=lambda c: c.created_at, reverse=True)

    def open_for(self, respondent_id: uuid.UUID) -> Conversation | None:
        """Return the respondent's newest active conversation, if any."""
        return next(iter(self._of(respondent_id, (Status.ACTIVE,))), None)

    def latest_for(self, respondent_id: uuid.UUID) -> Conversation | None:
        """Return the respondent's newest conversation, if any."""
        return next(iter(self._of(respondent_id)), None)

    def live_for(self, respondent_id: uuid.UUID) -> list[Conversation]:
        """Return a respondent's scheduled and active conversations."""
        return self._of(respondent_id, LIVE)

    def last_survey_at(
        self, respondent_id: uuid.UUID, besides: uuid.UUID | None, *, started_only: bool = False
    ) -> datetime | None:
        """Return when the respondent was last surveyed, counted as the SQL query counts."""
        counted = (Status.SCHEDULED, Status.ACTIVE, Status.COMPLETED, Status.EXPIRED)
        moments = [
            c.started_at or c.scheduled_for
            for c in self._of(respondent_id)
            if (c.status in counted or c.started_at is not None)
            and c.id != besides
            and (c.started_at is not None or not started_only)
        ]
        return max((m for m in moments if m is not None), default=None)

    def answers(self, conversation_id: uuid.UUID) -> list[Answer]:
        """Return a conversation's answers in the order they were given."""
        given = [a for a in self._uow.rows(Answer) if a.conversation_id == conversation_id]
        return sorted(given, key=lambda a: (a.answered_at, a.question_id))

    def save_answer(
        self,
        conversation_id: uuid.UUID,
        question_id: str,
        raw_text: str | None,
        value: AnswerJson,
        language: str,
        answered_at: datetime,
    ) -> None:
        """Store an answer, replacing an earlier answer to the same question."""
        key = (conversation_id, question_id)
        answer = self._uow.first(Answer, lambda a: (a.conversation_id, a.question_id) == key)
        if answer is None:
            answer = self._uow.add(Answer(conversation_id=conversation_id, question_id=question_id))
        answer.raw_text, answer.value, answer.language = raw_text, value, language
        answer.answered_at = answered_at

    def record_text(self, conversation_id: uuid.UUID, status: str, now: datetime) -> None:
        """Note a text's status on its conversation, as the SQL repository does."""
        conversation = self.get(conversation_id)
        if conversation is not None:
            conversation.record_text(status, now)


class FakeMessageRepository:
    """Messages in memory; a provider's message id is stored once per channel."""

    def __init__(self, uow: FakeUnitOfWork) -> None:
        self._uow = uow

    def find(self, channel: str, provider_message_id: str) -> Message | None:
        """Return the message a provider knows by this id, if any."""
        key = (channel, provider_message_id)
        return self._uow.first(Message, lambda m: (m.channel, m.provider_message_id) == key)

    def get(self, message_id: uuid.UUID, *, for_update: bool = False) -> Message | None:
        """Return the message with this id, if any."""
        return self._uow.first(Message, lambda m: m.id == message_id)

    def _out(self, where: Callable[[Message], bool]) -> list[Message]:
        """Return the outbound messages that match, oldest first."""
        found = [m for m in self._uow.rows(Message) if m.direction == Direction.OUT and where(m)]
        return sorted(found, key=lambda m: (m.created_at, m.seq))

    def inbound_since(self, respondent_id: uuid.UUID, since: datetime) -> int:
        """Count the respondent's messages received at or after `since`."""
        return sum(
            1
            for m in self._uow.rows(Message)
            if m.direction == Direction.IN
            and m.respondent_id == respondent_id
            and m.created_at >= since
        )

    def last_inbound_at(self, respondent_id: uuid.UUID) -> datetime | None:
        """Return when the respondent's newest message came in, if any."""
        came = [
            m.created_at
            for m in self._uow.rows(Message)
            if m.direction == Direction.IN and m.respondent_id == respondent_id
        ]
        return max(came, default=None)

    def last_outbound(self, respondent_id: uuid.UUID) -> Message | None:
        """Return the newest message sent to a respondent, if any."""
        sent = self._out(lambda m: m.respondent_id == respondent_id)
        return max(sent, key=lambda m: m.seq) if sent else None

    def replies_to(self, message_id: uuid.UUID) -> list[Message]:
        """Return the replies to an inbound message, in order."""
        return self._out(lambda m: m.reply_to_id == message_id)

    def queued_for(self, conversation_id: uuid.UUID) -> list[Message]:
        """Return a conversation's outbound messages still queued."""
        return self._out(
            lambda m: m.conversation_id == conversation_id and m.status == MessageStatus.QUEUED
        )

    def first_body(self, conversation_id: uuid.UUID) -> str | None:
        """Return the body of the first message sent for a conversation, if any."""
        sent = self._out(lambda m: m.conversation_id == conversation_id)
        return sent[0].body if sent else None

    def add_inbound(
        self,
        channel: str,
        provider_message_id: str | None,
        respondent_id: uuid.UUID | None,
        conversation_id: uuid.UUID | None,
        now: datetime,
    ) -> uuid.UUID | None:
        """Log an inbound message; None if its provider id was logged before."""
        if provider_message_id is not None and self.find(channel, provider_message_id):
            return None
        message = Message(direction=Direction.IN, channel=channel, status=MessageStatus.RECEIVED)
        message.provider_message_id = provider_message_id
        return self._stage(message, respondent_id, conversation_id, now)

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
        """Log an outbound message; return its id."""
        message = Message(direction=Direction.OUT, channel=channel, body=body, status=status)
        message.buttons = buttons
        message.reply_to_id = reply_to_id
        return self._stage(message, respondent_id, conversation_id, now)

    def _stage(
        self,
        message: Message,
        respondent_id: uuid.UUID | None,
        conversation_id: uuid.UUID | None,
        now: datetime,
    ) -> uuid.UUID:
        """Stage a message for a respondent and conversation; return its id."""
        message.respondent_id, message.conversation_id = respondent_id, conversation_id
        message.created_at = message.updated_at = now
        return self._uow.add(message).id


class FakeContactRepository:
    """Police contacts in memory, and the surveys asked for about them."""

    def __init__(self, uow: FakeUnitOfWork) -> None:
        self._uow = uow

    def add(self, contact: Contact) -> None:
        """Stage a new contact."""
        self._uow.add(contact)

    def get(self, contact_id: uuid.UUID | None) -> Contact | None:
        """Return the contact with this id, if any."""
        return self._uow.first(Contact, lambda c: c.id == contact_id)

    def _surveys(self, about: Callable[[Contact], bool]) -> list[Conversation]:
        """Return the conversations about contacts that match, oldest first."""
        contacts = {c.id for c in self._uow.rows(Contact) if about(c)}
        found = [c for c in self._uow.rows(Conversation) if c.contact_id in contacts]
        return sorted(found, key=lambda c: c.created_at)

    def conversation_for_contact(
        self, respondent_id: uuid.UUID, incident_id: str | None, occurred_at: datetime | None
    ) -> Conversation | None:
        """Return the survey already asked for about this contact, if any."""
        if not incident_id and occurred_at is None:
            return None
        wanted = incident_key(incident_id) if incident_id else None

        def same(contact: Contact) -> bool:
            if contact.respondent_id != respondent_id:
                return False
            if wanted is not None:
                return (
                    contact.incident_id is not None and incident_key(contact.incident_id) == wanted
                )
            return contact.incident_id is None and contact.occurred_at == occurred_at

        return next(iter(self._surveys(same)), None)

    def live_for_incident(self, incident_id: str) -> list[Conversation]:
        """Return every scheduled or active survey about an incident."""
        wanted = incident_key(incident_id)
        about = self._surveys(lambda c: incident_key(c.incident_id or "") == wanted)
        return [c for c in about if c.status in LIVE]
