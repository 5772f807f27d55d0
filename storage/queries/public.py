"""Read counts for the pages shown beyond supervisors: an officer's feedback, the public page.

Everything here is grouped in SQL and returns counts, never a conversation: completed
surveys per month and unit or language, and answers per score value. Only the officer's own
comments leave as text, without a date or anything else of their survey. Months and days are
UTC, bucketed by the database (storage.queries.periods).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

from sqlalchemy import ColumnElement, Select, Text, and_, cast, false, func, or_, select
from sqlalchemy.orm import Session, sessionmaker

from bot.engine.model import Status
from storage.models import Answer, AnswerJson, Contact, Conversation
from storage.queries.periods import period

# A question across versions: (flow id, question id).
QuestionKey = tuple[str, str]


@dataclass(frozen=True)
class GroupCount:
    """Completed surveys in one group (a unit, a language; None: not recorded) and month."""

    group: str | None
    month: str
    count: int


@dataclass(frozen=True)
class ValueCount:
    """How many answers to one question took one value, in one unit and month if grouped so."""

    flow_id: str
    question_id: str
    value: AnswerJson
    count: int
    group: str | None = None
    month: str | None = None


@dataclass(frozen=True)
class Comment:
    """An officer's comment as their feedback shows it: the words and their translation."""

    text: str
    translation: str | None


_COMPLETED = Conversation.status == Status.COMPLETED.value


def _window(since: datetime | None, until: datetime) -> ColumnElement[bool]:
    """Select the surveys completed in [since, until)."""
    ended = and_(_COMPLETED, Conversation.completed_at < until)
    return ended if since is None else and_(ended, Conversation.completed_at >= since)


def _among(questions: Sequence[QuestionKey]) -> ColumnElement[bool]:
    """Select the answers to the questions named (none named: no answer)."""
    if not questions:
        return false()
    return or_(*(and_(Conversation.flow_id == f, Answer.question_id == q) for f, q in questions))


def _decoded(text: str | None) -> AnswerJson:
    """Read back a value grouped as its JSON text (4, true, "x")."""
    value: AnswerJson = json.loads(text) if text is not None else None
    return value


def _month(first_day: str) -> str:
    """Name a month by its first day's 'YYYY-MM', as the pages and the open data do."""
    return first_day[:7]


class SqlAlchemyPublicQueries:
    """Read aggregates for officer feedback and the public page, each in a short transaction."""

    def __init__(self, session_factory: sessionmaker[Session]) -> None:
        self._session_factory = session_factory

    def _all(self, query: Select[*tuple[Any, ...]]) -> list[Any]:
        """Run a read-only query and return its rows."""
        with self._session_factory() as session:
            return list(session.execute(query).all())

    def completed(
        self, by: Literal["unit", "language"], since: datetime, until: datetime
    ) -> list[GroupCount]:
        """Count the surveys completed in [since, until) per month and unit or language."""
        group = Contact.unit if by == "unit" else Conversation.language
        month = period("month", Conversation.completed_at)
        query = (
            select(group, month, func.count())
            .select_from(Conversation)
            .outerjoin(Contact, Contact.id == Conversation.contact_id)
            .where(_window(since, until))
            .group_by(group, month)
        )
        return [GroupCount(g, _month(m), n) for g, m, n in self._all(query)]

    def values_by_unit(
        self, questions: Sequence[QuestionKey], since: datetime, until: datetime
    ) -> list[ValueCount]:
        """Count the answers per value, unit and month to these questions, in [since, until)."""
        month = period("month", Conversation.completed_at)
        value = cast(Answer.value, Text)
        query = (
            select(Conversation.flow_id, Answer.question_id, value, func.count())
            .add_columns(Contact.unit, month)
            .join(Answer, Answer.conversation_id == Conversation.id)
            .outerjoin(Contact, Contact.id == Conversation.contact_id)
            .where(_window(since, until), _among(questions), Answer.value.is_not(None))
            .group_by(Conversation.flow_id, Answer.question_id, value, Contact.unit, month)
        )
        rows = self._all(query)
        return [ValueCount(f, q, _decoded(v), n, u, _month(m)) for f, q, v, n, u, m in rows]

    def values(
        self, questions: Sequence[QuestionKey], until: datetime, officer_id: str | None = None
    ) -> list[ValueCount]:
        """Count the answers per value to these questions completed before `until`."""
        value = cast(Answer.value, Text)
        query = (
            select(Conversation.flow_id, Answer.question_id, value, func.count())
            .join(Answer, Answer.conversation_id == Conversation.id)
            .where(_window(None, until), _among(questions), Answer.value.is_not(None))
            .group_by(Conversation.flow_id, Answer.question_id, value)
        )
        if officer_id is not None:
            query = query.join(Contact, Contact.id == Conversation.contact_id).where(
                Contact.officer_id == officer_id
            )
        return [ValueCount(f, q, _decoded(v), n) for f, q, v, n in self._all(query)]

    def officer_days(self, officer_id: str, until: datetime) -> list[tuple[str, int]]:
        """Count an officer's surveys completed before `until` per UTC day, oldest first."""
        day = period("day", Conversation.completed_at)
        query = (
            select(day, func.count())
            .join(Contact, Contact.id == Conversation.contact_id)
            .where(_window(None, until), Contact.officer_id == officer_id)
            .group_by(day)
            .order_by(day)
        )
        return [(d, n) for d, n in self._all(query)]

    def comments(
        self, officer_id: str, questions: Sequence[QuestionKey], until: datetime, limit: int
    ) -> tuple[int, list[Comment]]:
        """Count an officer's comments before `until`; return the newest `limit`, by their text."""
        where = (
            _window(None, until),
            Contact.officer_id == officer_id,
            _among(questions),
            # A skipped comment ("no", "nothing") keeps its words but has no value.
            Answer.value.is_not(None),
            Answer.raw_text.is_not(None),
        )
        joined = (
            select(func.count())
            .select_from(Conversation)
            .join(Contact, Contact.id == Conversation.contact_id)
            .join(Answer, Answer.conversation_id == Conversation.id)
            .where(*where)
        )
        newest = joined.with_only_columns(Answer.raw_text, Answer.translation).order_by(
            Conversation.completed_at.desc(), Answer.id
        )
        with self._session_factory() as session:
            total = session.execute(joined).scalar_one()
            rows = session.execute(newest.limit(limit)).all()
        # Ordered by their words, so the order tells nothing of when each was written.
        return total, sorted(
            (Comment(t or "", tr) for t, tr in rows), key=lambda c: c.text.casefold()
        )
