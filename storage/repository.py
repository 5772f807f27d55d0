"""Queries and writes on Parley's tables, within one Session the unit of work owns."""

from __future__ import annotations

import functools
import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast

from sqlalchemy import Select, Table, bindparam, insert, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot.engine.model import Status
from bot.scheduling.states import Direction, MessageStatus
from storage.models import (
    Answer,
    AnswerJson,
    ApiToken,
    Base,
    Conversation,
    Message,
    Respondent,
    next_seq,
)


class SqlAlchemyRepository:
    """Read and write respondents, conversations, answers, messages and tokens."""

    def __init__(self, session: Session) -> None:
        self._session = session

    def add(self, obj: Base) -> None:
        """Stage a new or changed object for the next flush."""
        self._session.add(obj)

    def flush(self) -> None:
        """Send pending changes to the database without committing."""
        self._session.flush()

    # Respondents ------------------------------------------------------------------------------

    def respondent_for_update(self, channel: str, address: str, now: datetime) -> Respondent:
        """Get or create the respondent at an address and lock its row until commit."""
        return self.respondent_and_conversation(channel, address, now)[0]

    def respondent_and_conversation(
        self, channel: str, address: str, now: datetime
    ) -> tuple[Respondent, Conversation | None]:
        """Get or create the respondent, lock its row, then read its open conversation.

        The lock serialises turns of one resident on PostgreSQL (SQLite's BEGIN IMMEDIATE
        already serialises all writers). The conversation is read in a second statement, after
        the lock is held: joined into the locking query, PostgreSQL would return the row as it
        was before the lock wait, and two simultaneous replies would lose one update. Creation
        is race-safe: the insert runs in a SAVEPOINT, and a concurrent insert of the same
        address makes it fail and re-read the winner's row.
        """
        statements = _statements(self._dialect())
        params = {"channel": channel, "address": address}
        respondent = self._session.scalars(statements.respondent_for_update, params).first()
        if respondent is None:
            try:
                with self._session.begin_nested():
                    self._session.add(Respondent(channel=channel, address=address, created_at=now))
            except IntegrityError:
                pass  # Another transaction created it first; the row is committed now.
            respondent = self._session.scalars(statements.respondent_for_update, params).one()
        return respondent, self.open_conversation(respondent.id)

    def find_respondent(self, channel: str, address: str) -> Respondent | None:
        """Return the respondent at an address, if any, without locking."""
        return self._session.scalars(self._respondent_query(channel, address)).one_or_none()

    def get_respondent(self, respondent_id: uuid.UUID) -> Respondent | None:
        """Return the respondent with this id, if any."""
        return self._session.get(Respondent, respondent_id)

    @staticmethod
    def _respondent_query(channel: str, address: str) -> Select[Respondent]:
        """Build the query for the respondent at an address."""
        return select(Respondent).where(
            Respondent.channel == channel, Respondent.address == address
        )

    # Conversations and answers ----------------------------------------------------------------

    def open_conversation(self, respondent_id: uuid.UUID) -> Conversation | None:
        """Return the respondent's newest active conversation, if any."""
        query = _statements(self._dialect()).open_conversation
        conversation: Conversation | None = self._session.scalars(
            query, {"respondent_id": respondent_id}
        ).first()
        return conversation

    def latest_conversation(self, respondent_id: uuid.UUID) -> Conversation | None:
        """Return the respondent's newest conversation in any status, if any."""
        query = (
            select(Conversation)
            .where(Conversation.respondent_id == respondent_id)
            .order_by(Conversation.created_at.desc())
            .limit(1)
        )
        return self._session.scalars(query).first()

    def get_conversation(self, conversation_id: uuid.UUID) -> Conversation | None:
        """Return the conversation with this id, if any."""
        return self._session.get(Conversation, conversation_id)

    def answers(self, conversation_id: uuid.UUID) -> list[Answer]:
        """Return a conversation's answers in the order they were given."""
        query = (
            select(Answer)
            .where(Answer.conversation_id == conversation_id)
            .order_by(Answer.answered_at, Answer.question_id)
        )
        return list(self._session.scalars(query))

    def save_answer(
        self,
        conversation_id: uuid.UUID,
        question_id: str,
        raw_text: str | None,
        value: AnswerJson,
        language: str,
        answered_at: datetime,
    ) -> None:
        """Store the answer to a question, replacing an earlier answer to the same question."""
        params = {
            "id": uuid.uuid4(),
            "conversation_id": conversation_id,
            "question_id": question_id,
            "raw_text": raw_text,
            "value": value,
            "language": language,
            "answered_at": answered_at,
        }
        self._session.execute(_statements(self._dialect()).answer_upsert, params)

    def _dialect(self) -> str:
        """Name the database dialect this repository's session talks to."""
        return self._session.get_bind().dialect.name

    # Messages ---------------------------------------------------------------------------------

    def find_message(self, channel: str, provider_message_id: str) -> Message | None:
        """Return the message a provider knows by this id, if any."""
        query = select(Message).where(
            Message.channel == channel, Message.provider_message_id == provider_message_id
        )
        return self._session.scalars(query).one_or_none()

    def get_message(self, message_id: uuid.UUID, *, for_update: bool = False) -> Message | None:
        """Return the message with this id, if any; `for_update` locks its row until commit.

        Lock when claiming a queued message to send it, so two deliverers cannot both see
        it still queued (on SQLite, BEGIN IMMEDIATE already serialises them).
        """
        if not for_update:
            return self._session.get(Message, message_id)
        query = select(Message).where(Message.id == message_id).with_for_update()
        query = query.execution_options(populate_existing=True)
        return self._session.scalars(query).one_or_none()

    def last_outbound(self, respondent_id: uuid.UUID) -> Message | None:
        """Return the newest message sent to a respondent, if any."""
        query = select(Message).where(Message.respondent_id == respondent_id)
        query = query.where(Message.direction == Direction.OUT)
        return self._session.scalars(query.order_by(Message.seq.desc()).limit(1)).first()

    def replies_to(self, message_id: uuid.UUID) -> list[Message]:
        """Return the outbound replies to an inbound message, in the order they were created."""
        query = (
            select(Message)
            .where(Message.reply_to_id == message_id)
            .order_by(Message.created_at, Message.seq)
        )
        return list(self._session.scalars(query))

    def add_inbound_message(
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
        result = self._session.execute(_statements(self._dialect()).inbound_insert, params)
        inserted: uuid.UUID | None = result.scalar_one_or_none()
        return inserted

    def add_outbound_message(
        self,
        channel: str,
        body: str,
        respondent_id: uuid.UUID | None,
        conversation_id: uuid.UUID | None,
        reply_to_id: uuid.UUID | None,
        now: datetime,
        status: MessageStatus = MessageStatus.QUEUED,
    ) -> uuid.UUID:
        """Log an outbound message (queued, or replied inline by a webhook); return its id."""
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
            "created_at": now,
            "updated_at": now,
        }
        self._session.execute(_statements(self._dialect()).message_insert, params)
        return message_id

    # API tokens -------------------------------------------------------------------------------

    def token_by_hash(self, token_hash: str) -> ApiToken | None:
        """Return the unrevoked token with this SHA-256 hex digest, if any."""
        query = select(ApiToken).where(
            ApiToken.token_hash == token_hash, ApiToken.revoked_at.is_(None)
        )
        return self._session.scalars(query).one_or_none()

    def tokens(self) -> list[ApiToken]:
        """Return every API token, oldest first."""
        return list(self._session.scalars(select(ApiToken).order_by(ApiToken.created_at)))

    def add_token(
        self, name: str, token_hash: str, now: datetime, scopes: str = "surveys:write"
    ) -> ApiToken:
        """Store a new API token by its SHA-256 hex digest, with its space-separated scopes."""
        token = ApiToken(name=name, token_hash=token_hash, created_at=now, scopes=scopes)
        self._session.add(token)
        self._session.flush()
        return token


@dataclass(frozen=True)
class _Statements:
    """Hot-path statements, built once per dialect rather than once per webhook turn."""

    answer_upsert: Any
    inbound_insert: Any
    message_insert: Any
    respondent_for_update: Any
    open_conversation: Any


@functools.cache
def _statements(dialect: str) -> _Statements:
    """Build the dialect's ON CONFLICT statements (PostgreSQL and SQLite share the syntax)."""
    flavour = postgresql if dialect == "postgresql" else sqlite
    answers = flavour.insert(Answer.__table__)
    replaced = ("raw_text", "value", "language", "answered_at")
    return _Statements(
        # One upsert statement: a webhook turn is a handful of round trips, each one counts.
        answer_upsert=answers.on_conflict_do_update(
            index_elements=["conversation_id", "question_id"],
            set_={name: answers.excluded[name] for name in replaced},
        ),
        # ON CONFLICT DO NOTHING: race-safe against a concurrent redelivery, in one round trip.
        # Console turns carry no provider id, and NULLs never conflict.
        inbound_insert=flavour.insert(Message.__table__)
        .on_conflict_do_nothing(index_elements=["channel", "provider_message_id"])
        .returning(Message.__table__.c.id),
        message_insert=insert(cast(Table, Message.__table__)),
        respondent_for_update=select(Respondent)
        .where(Respondent.channel == bindparam("channel"))
        .where(Respondent.address == bindparam("address"))
        .with_for_update()
        .execution_options(populate_existing=True),
        open_conversation=select(Conversation)
        .where(Conversation.respondent_id == bindparam("respondent_id"))
        .where(Conversation.status == Status.ACTIVE)
        .order_by(Conversation.created_at.desc())
        .limit(1),
    )
