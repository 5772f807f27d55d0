"""The results dashboard's read side: every figure aggregated in SQL, plain dataclasses out.

Public API (each function takes a Session or Connection, then a `ResultsFilter`; none loops
over conversations in Python, each is one statement):

    funnel(db, where) -> Funnel                          how far the surveys got
    refusals(db, where) -> list[Count]                   refused before sending, per reason
    breakdown(db, where, dimension) -> list[BreakdownRow]   the funnel's core per group
    score_means(db, where, dimension, questions) -> list[ScoreMean]
    flow_versions(db, where) -> list[VersionCount]       the flow versions in scope
    answer_counts(db, where, questions, bucket) -> list[AnswerCount]   per period and value
    comments(db, where, page, per_page) -> CommentPage   free text, newest first

`SqlAlchemyResultsQueries` (results_reader.py) runs each in a short read-only transaction
(bot.ports' ResultsQueries). The stages are SQL on the conversation's own row in
results_stages.py; precisely (a conversation counts in each stage it reached):

triggered      every conversation created in the range (a survey asked for);
refused        never sent: a send rule refused it, or staff cancelled it, before a text left
               (status refused with no started_at); `refusals` splits them by reason;
sent           a provider took one of its texts (sent_at, set with the first message status
               of accepted, scheduled, sent, delivered, read or undelivered, or replied inline:
               returned in the answer to the resident's own text, as TwiML does);
delivered      the provider reported one of its texts delivered or read (delivered_at);
started        the resident answered (or skipped) at least one question (answered_at);
completed      disposition complete: the resident reached the end of the flow;
partial        closed unfinished with at least half of its questions answered;
expired        closed unfinished after being sent (no_response, breakoff, partial);
undeliverable  the first text never reached the resident;
opted_out      the resident texted STOP (or blocked the number at their provider).

Response rate (after AAPOR's RR2): (completed + partial) / sent.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select

from storage.models import Answer, Contact, Conversation, FlowVersion, Respondent
from storage.queries.results_answers import (
    AnswerCount,
    Comment,
    CommentPage,
    answer_counts,
    comments,
)
from storage.queries.results_sql import (
    BUCKETS,
    DIMENSIONS,
    Executor,
    Query,
    ResultsFilter,
    json_number,
    scoped,
    with_version_number,
)
from storage.queries.results_stages import REFUSED, counted

__all__ = [
    "BUCKETS",
    "DIMENSIONS",
    "AnswerCount",
    "BreakdownRow",
    "Comment",
    "CommentPage",
    "Count",
    "Executor",
    "Funnel",
    "ResultsFilter",
    "ScoreMean",
    "VersionCount",
    "answer_counts",
    "breakdown",
    "comments",
    "flow_versions",
    "funnel",
    "refusals",
    "score_means",
]


@dataclass(frozen=True)
class Funnel:
    """How far the surveys in scope got; see the module's docstring for each stage."""

    triggered: int
    refused: int
    sent: int
    delivered: int
    started: int
    completed: int
    partial: int
    expired: int
    undeliverable: int
    opted_out: int

    @property
    def response_rate(self) -> float | None:
        """Return (completed + partial) / sent, as AAPOR's RR2 counts it; None if none sent."""
        return (self.completed + self.partial) / self.sent if self.sent else None


@dataclass(frozen=True)
class Count:
    """How many conversations have one value (a refusal reason)."""

    key: str | None
    count: int


@dataclass(frozen=True)
class BreakdownRow:
    """The funnel's core for one group of a dimension (its key None: not recorded)."""

    key: str | None
    triggered: int
    sent: int
    started: int
    completed: int
    partial: int

    @property
    def response_rate(self) -> float | None:
        """Return (completed + partial) / sent; None if none was sent."""
        return (self.completed + self.partial) / self.sent if self.sent else None


@dataclass(frozen=True)
class ScoreMean:
    """The mean of one score question's answers in one group, and how many answers."""

    key: str | None
    flow_id: str
    question_id: str
    mean: float
    answers: int


@dataclass(frozen=True)
class VersionCount:
    """A flow version surveys in scope ran on: its digest, its number if recorded, how many."""

    flow_id: str
    digest: str
    number: int | None
    count: int


def funnel(db: Executor, where: ResultsFilter) -> Funnel:
    """Count every stage of the funnel in one statement."""
    names = tuple(name for name in Funnel.__dataclass_fields__ if name != "triggered")
    query = select(func.count().label("triggered"), *counted(names))
    query = scoped(query.select_from(Conversation), where)
    row = db.execute(query).one()
    return Funnel(**row._asdict())


def refusals(db: Executor, where: ResultsFilter) -> list[Count]:
    """Count the surveys refused before sending, per reason, most frequent first."""
    query: Query = scoped(
        select(Conversation.refusal_reason, func.count().label("n")).select_from(Conversation),
        where,
    ).where(REFUSED)
    query = query.group_by(Conversation.refusal_reason).order_by(
        func.count().desc(), Conversation.refusal_reason
    )
    return [Count(reason, n) for reason, n in db.execute(query)]


def _dimension(dimension: str) -> list[Any]:
    """Return the columns a dimension groups by."""
    columns: dict[str, list[Any]] = {
        "unit": [Contact.unit],
        "officer": [Contact.officer_id],
        "call_type": [Contact.call_type],
        "language": [Conversation.language],
        "channel": [Respondent.channel],
        "flow_version": [Conversation.flow_id, FlowVersion.number],
    }
    if dimension not in columns:
        raise ValueError(f"no breakdown by {dimension!r}; one of {', '.join(DIMENSIONS)}")
    return columns[dimension]


def _grouped(columns: Sequence[Any], *selected: Any) -> Any:
    """Select `columns` and `selected` from conversations, joined for any dimension."""
    query: Query = select(*columns, *selected).select_from(Conversation)
    return with_version_number(query) if FlowVersion.number in columns else query


def _key(values: Sequence[Any]) -> str | None:
    """Name a group: its one value, or "flow v<number>" for a flow version."""
    if len(values) == 1:
        return None if values[0] is None else str(values[0])
    flow_id, number = values
    return f"{flow_id} v{number}" if number is not None else f"{flow_id} (unrecorded version)"


def breakdown(db: Executor, where: ResultsFilter, dimension: str) -> list[BreakdownRow]:
    """Count the funnel's core stages per group of `dimension`, largest group first."""
    columns = _dimension(dimension)
    stages = counted(("sent", "started", "completed", "partial"))
    query = scoped(
        _grouped(columns, func.count().label("triggered"), *stages),
        where,
        contact=True,
        respondent=dimension == "channel",
    )
    query = query.group_by(*columns).order_by(func.count().desc(), *columns)
    rows = db.execute(query).all()
    n = len(columns)
    return [BreakdownRow(_key(row[:n]), *row[n:]) for row in rows]


def score_means(
    db: Executor, where: ResultsFilter, dimension: str, questions: Sequence[str]
) -> list[ScoreMean]:
    """Average the numeric answers to `questions` per group of `dimension` and question."""
    if not questions:
        return []
    columns = _dimension(dimension)
    score = json_number(Answer.value)
    query: Query = _grouped(
        columns, Conversation.flow_id, Answer.question_id, func.avg(score), func.count(score)
    ).join(Answer, Answer.conversation_id == Conversation.id)
    query = scoped(query, where, contact=True, respondent=dimension == "channel")
    query = query.where(Answer.question_id.in_(questions), score.is_not(None))
    query = query.group_by(*columns, Conversation.flow_id, Answer.question_id)
    n = len(columns)
    return [
        ScoreMean(_key(row[:n]), row[n], row[n + 1], float(row[n + 2]), row[n + 3])
        for row in db.execute(query)
    ]


def flow_versions(db: Executor, where: ResultsFilter) -> list[VersionCount]:
    """Return each flow version the surveys in scope ran on, with how many ran on it."""
    query: Query = with_version_number(
        select(
            Conversation.flow_id, Conversation.flow_version, FlowVersion.number, func.count()
        ).select_from(Conversation)
    )
    query = scoped(query, where).group_by(
        Conversation.flow_id, Conversation.flow_version, FlowVersion.number
    )
    query = query.order_by(Conversation.flow_id, FlowVersion.number)
    return [VersionCount(*row) for row in db.execute(query)]
