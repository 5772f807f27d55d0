"""Conversations and their answers, within one Session the unit of work owns."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import func, or_, select, update
from sqlalchemy.orm import Session

from bot.engine.model import Status
from bot.scheduling.states import DELIVERED, REACHED
from storage.models import LIVE, Answer, AnswerJson, Conversation
from storage.repositories.statements import dialect_of, statements


class SqlAlchemyConversationRepository:
    """Read and write conversations and the answers given in them."""

    def __init__(self, session: Session) -> None:
        self._session = session

    def add(self, conversation: Conversation) -> None:
        """Store a new conversation now, so its id and defaults are set."""
        self._session.add(conversation)
        self._session.flush()

    def get(self, conversation_id: uuid.UUID) -> Conversation | None:
        """Return the conversation with this id, if any."""
        return self._session.get(Conversation, conversation_id)

    def open_for(self, respondent_id: uuid.UUID) -> Conversation | None:
        """Return the respondent's newest active conversation, if any."""
        query = statements(dialect_of(self._session)).open_conversation
        conversation: Conversation | None = self._session.scalars(
            query, {"respondent_id": respondent_id}
        ).first()
        return conversation

    def latest_for(self, respondent_id: uuid.UUID) -> Conversation | None:
        """Return the respondent's newest conversation in any status, if any."""
        query = (
            select(Conversation)
            .where(Conversation.respondent_id == respondent_id)
            .order_by(Conversation.created_at.desc())
            .limit(1)
        )
        return self._session.scalars(query).first()

    def live_for(self, respondent_id: uuid.UUID) -> list[Conversation]:
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
        self._session.execute(statements(dialect_of(self._session)).answer_upsert, params)

    def record_text(self, conversation_id: uuid.UUID, status: str, now: datetime) -> None:
        """Note that a text of the conversation reached `status`, in one UPDATE of its row.

        The row is rarely loaded where a provider's report lands, so it is not read first:
        only a time not yet set is written, so a repeated or later report moves nothing.
        """
        marks = [(Conversation.sent_at, REACHED), (Conversation.delivered_at, DELIVERED)]
        unset = [column for column, statuses in marks if status in statuses]
        if not unset:
            return
        query = (
            update(Conversation)
            .where(Conversation.id == conversation_id, or_(*(c.is_(None) for c in unset)))
            .values({c.key: func.coalesce(c, now) for c in unset})
            .execution_options(synchronize_session="fetch")
        )
        self._session.execute(query)
