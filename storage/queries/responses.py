"""Read conversations for exports, a page at a time: one row each, with its contact and answers.

Two statements a page, whatever its size: one for the page of conversations (joined to their
contact and to their respondent's channel, never to the address) and one for those
conversations' answers. Pages follow the key (created_at, id), which never changes once a
conversation is stored, so walking the pages yields each conversation once even while new
ones are inserted.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, and_, or_, select
from sqlalchemy.orm import Session, sessionmaker

from storage.models import Answer, AnswerJson, Contact, Conversation, Respondent


@dataclass(frozen=True)
class ResponseKey:
    """Where a page of responses ends: the next page starts after it."""

    created_at: datetime
    id: uuid.UUID


@dataclass(frozen=True)
class ResponseAnswer:
    """One answer as an export shows it: its value, the resident's words and their translation."""

    question_id: str
    value: AnswerJson
    raw_text: str | None
    language: str
    answered_at: datetime
    detected_language: str | None
    translation: str | None
    translation_language: str | None
    translation_status: str | None


@dataclass(frozen=True)
class ResponseRow:
    """One conversation as an export shows it; nothing here reaches the resident."""

    id: uuid.UUID
    flow_id: str
    flow_version: str
    channel: str
    language: str
    status: str
    disposition: str | None
    refusal_reason: str | None
    officer_id: str | None
    unit: str | None
    incident_id: str | None
    call_type: str | None
    occurred_at: datetime | None
    created_at: datetime
    started_at: datetime | None
    completed_at: datetime | None
    updated_at: datetime
    answers: tuple[ResponseAnswer, ...]

    @property
    def key(self) -> ResponseKey:
        """Return the key the next page starts after."""
        return ResponseKey(self.created_at, self.id)


# Where each row field comes from. The respondent is joined for its channel alone: an export
# never reads respondents.address.
_ROW = (
    Conversation.id,
    Conversation.flow_id,
    Conversation.flow_version,
    Respondent.channel,
    Conversation.language,
    Conversation.status,
    Conversation.disposition,
    Conversation.refusal_reason,
    Contact.officer_id,
    Contact.unit,
    Contact.incident_id,
    Contact.call_type,
    Contact.occurred_at,
    Conversation.created_at,
    Conversation.started_at,
    Conversation.completed_at,
    Conversation.updated_at,
)
_ANSWER = [getattr(Answer, name) for name in ResponseAnswer.__dataclass_fields__]


class SqlAlchemyResponseQueries:
    """Read pages of responses, each in a short transaction of its own that changes nothing."""

    def __init__(self, session_factory: sessionmaker[Session]) -> None:
        self._session_factory = session_factory

    def page(
        self, after: ResponseKey | None, since: datetime | None, limit: int
    ) -> list[ResponseRow]:
        """Return up to `limit` conversations created at or after `since`, following `after`."""
        query = (
            select(*_ROW)
            .join(Respondent, Respondent.id == Conversation.respondent_id)
            .outerjoin(Contact, Contact.id == Conversation.contact_id)
            .order_by(Conversation.created_at, Conversation.id)
            .limit(limit)
        )
        if since is not None:
            query = query.where(Conversation.created_at >= since)
        if after is not None:
            query = query.where(_following(after))
        with self._session_factory() as session:
            rows = session.execute(query).all()
            answers = _answers(session, [row.id for row in rows])
        return [ResponseRow(**row._asdict(), answers=answers.get(row.id, ())) for row in rows]

    def question_ids(self, since: datetime | None) -> list[tuple[str, str, str]]:
        """Return (flow id, flow version, question id) for every question answered since `since`."""
        query = (
            select(Conversation.flow_id, Conversation.flow_version, Answer.question_id)
            .join(Answer, Answer.conversation_id == Conversation.id)
            .distinct()
        )
        if since is not None:
            query = query.where(Conversation.created_at >= since)
        with self._session_factory() as session:
            return [(row[0], row[1], row[2]) for row in session.execute(query)]


def _following(after: ResponseKey) -> ColumnElement[bool]:
    """Return the condition "comes after `after`" in (created_at, id) order."""
    return or_(
        Conversation.created_at > after.created_at,
        and_(Conversation.created_at == after.created_at, Conversation.id > after.id),
    )


def _answers(
    session: Session, conversation_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, tuple[ResponseAnswer, ...]]:
    """Read the answers of a page of conversations in one statement, in the order given."""
    if not conversation_ids:
        return {}
    query = (
        select(Answer.conversation_id, *_ANSWER)
        .where(Answer.conversation_id.in_(conversation_ids))
        .order_by(Answer.conversation_id, Answer.answered_at, Answer.question_id)
    )
    found: dict[uuid.UUID, list[ResponseAnswer]] = {}
    for row in session.execute(query):
        fields = row._asdict()
        found.setdefault(fields.pop("conversation_id"), []).append(ResponseAnswer(**fields))
    return {key: tuple(answers) for key, answers in found.items()}
