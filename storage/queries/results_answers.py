"""The results dashboard's answers: counts per question, period and value; free-text comments.

Answer values are JSON (a category, a score, true/false or text); they are grouped as their
JSON text, which both databases keep as SQLAlchemy wrote it, and read back with json.loads
on the grouped rows only. Periods and dates follow the conversation's created_at, as the
funnel's range does, so every figure of the dashboard counts the same surveys.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Text, cast, func, select

from storage.models import Answer, AnswerJson, Conversation
from storage.queries.periods import period
from storage.queries.results_sql import Executor, Query, ResultsFilter, scoped


@dataclass(frozen=True)
class AnswerCount:
    """How many answers one question of one flow got with one value in one period."""

    flow_id: str
    question_id: str
    period: str  # the period's first day, YYYY-MM-DD (UTC)
    value: AnswerJson
    count: int


@dataclass(frozen=True)
class Comment:
    """A free-text answer as the dashboard shows it: no conversation id, no address."""

    flow_id: str
    question_id: str
    answered_at: datetime
    text: str
    language: str
    detected_language: str | None
    translation: str | None
    translation_language: str | None
    translation_status: str | None


@dataclass(frozen=True)
class CommentPage:
    """One page of comments, newest first, and whether an older page follows."""

    comments: tuple[Comment, ...]
    page: int
    has_next: bool


def answer_counts(
    db: Executor, where: ResultsFilter, questions: Sequence[str], bucket: str
) -> list[AnswerCount]:
    """Count the answers to `questions` per flow, question, period and value (skips left out)."""
    if not questions:
        return []
    when = period(bucket, Conversation.created_at)
    value = cast(Answer.value, Text)
    query: Query = select(
        Conversation.flow_id, Answer.question_id, when, value, func.count()
    ).select_from(Conversation)
    query = scoped(query.join(Answer, Answer.conversation_id == Conversation.id), where)
    query = query.where(Answer.question_id.in_(questions), Answer.value.is_not(None))
    query = query.group_by(Conversation.flow_id, Answer.question_id, when, value)
    query = query.order_by(Conversation.flow_id, Answer.question_id, when, value)
    return [
        AnswerCount(flow_id, question_id, str(start), json.loads(text), n)
        for flow_id, question_id, start, text, n in db.execute(query)
    ]


def comments(db: Executor, where: ResultsFilter, page: int, per_page: int) -> CommentPage:
    """Return page `page` (from 1) of free-text answers, newest first."""
    query: Query = select(
        Conversation.flow_id,
        Answer.question_id,
        Answer.answered_at,
        Answer.raw_text,
        Answer.language,
        Answer.detected_language,
        Answer.translation,
        Answer.translation_language,
        Answer.translation_status,
    ).select_from(Conversation)
    query = scoped(query.join(Answer, Answer.conversation_id == Conversation.id), where)
    # Only free-text answers carry a translation status (storage.models.Answer).
    query = query.where(Answer.translation_status.is_not(None), Answer.raw_text.is_not(None))
    query = query.order_by(Answer.answered_at.desc(), Answer.id.desc())
    rows = db.execute(query.offset((page - 1) * per_page).limit(per_page + 1)).all()
    found = tuple(Comment(*row) for row in rows[:per_page])
    return CommentPage(found, page, len(rows) > per_page)
