"""Read a survey for its report: the conversation, its scheduled sends and its answers.

Plain rows in frozen dataclasses, read in a short transaction of their own: a report never
locks, stages or changes anything, so it does not go through the unit of work.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from storage.models import Answer, AnswerJson, Conversation, ScheduledItem


@dataclass(frozen=True)
class ItemView:
    """One scheduled send of a survey: what, when, and how it went."""

    kind: str
    due_at: datetime
    status: str
    attempts: int


@dataclass(frozen=True)
class AnswerView:
    """One answer of a survey, with its translation state."""

    question_id: str
    value: AnswerJson
    raw_text: str | None
    language: str
    answered_at: datetime
    detected_language: str | None
    translation: str | None
    translation_language: str | None
    translation_provider: str | None
    translation_status: str | None


@dataclass(frozen=True)
class SurveyView:
    """A survey as its report shows it: status, timing, scheduled sends and answers."""

    id: uuid.UUID
    flow_id: str
    flow_version: str
    status: str
    refusal_reason: str | None
    disposition: str | None
    scheduled_for: datetime | None
    started_at: datetime | None
    expires_at: datetime | None
    language: str
    created_at: datetime
    completed_at: datetime | None
    items: tuple[ItemView, ...]
    answers: tuple[AnswerView, ...]


# The columns each view is built from, in the order of its fields.
_SURVEY = [
    getattr(Conversation, name)
    for name in SurveyView.__dataclass_fields__
    if name not in ("items", "answers")
]
_ITEM = [getattr(ScheduledItem, name) for name in ItemView.__dataclass_fields__]
_ANSWER = [getattr(Answer, name) for name in AnswerView.__dataclass_fields__]


class SqlAlchemySurveyQueries:
    """Read surveys for reports, each in a short transaction of its own that changes nothing."""

    def __init__(self, session_factory: sessionmaker[Session]) -> None:
        self._session_factory = session_factory

    def survey(self, survey_id: uuid.UUID, *, answers: bool = True) -> SurveyView | None:
        """Return a survey with its scheduled sends and (unless `answers` is false) answers."""
        with self._session_factory() as session:
            row = session.execute(select(*_SURVEY).where(Conversation.id == survey_id)).first()
            if row is None:
                return None
            items = session.execute(
                select(*_ITEM)
                .where(ScheduledItem.conversation_id == survey_id)
                .order_by(ScheduledItem.due_at, ScheduledItem.kind, ScheduledItem.ordinal)
            )
            given = _answers(session, survey_id) if answers else ()
            return SurveyView(
                **row._asdict(),
                items=tuple(ItemView(**item._asdict()) for item in items),
                answers=given,
            )


def _answers(session: Session, survey_id: uuid.UUID) -> tuple[AnswerView, ...]:
    """Read a survey's answers in the order they were given."""
    query = (
        select(*_ANSWER)
        .where(Answer.conversation_id == survey_id)
        .order_by(Answer.answered_at, Answer.question_id)
    )
    return tuple(AnswerView(**row._asdict()) for row in session.execute(query))
