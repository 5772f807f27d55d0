"""An officer's own feedback: their scores and comments beside the agency's, never one survey.

Three rules keep a resident from being traced by the officer they met:
- Delay: a survey counts only once FEEDBACK_DELAY_DAYS whole days have passed since the day it
  was completed, so today's answer cannot be matched to today's contact.
- Batches of K: the figures move on only when at least K more of the officer's surveys have
  passed the delay (release_through), so watching the page day by day never shows the change
  one answer made; until the first K, the page says only that there are fewer than K.
- No survey apart: scores come as counts per value and a mean, a question answered fewer than
  K times shows nothing, and comments show only once there are K of them, ordered by their
  words, with no date, incident or call type.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import TYPE_CHECKING

from bot.engine.model import AnswerValue, Flow, LocalText, Node, NodeKind
from bot.ports import PublicQueries

if TYPE_CHECKING:
    from storage.queries import Comment, ValueCount

# The questions shown: scores (with a mean) and yes/no (their shares).
FEEDBACK_KINDS = frozenset({NodeKind.SCALE, NodeKind.NPS, NodeKind.YES_NO})
# The newest comments shown (by their words, not their order).
COMMENTS_SHOWN = 20


@dataclass(frozen=True)
class Distribution:
    """Answers to one question: how many took each value, and the mean of numeric ones."""

    counts: Mapping[AnswerValue, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        """Return how many answers there are."""
        return sum(self.counts.values())

    @property
    def mean(self) -> float | None:
        """Return the mean of numeric answers (None for yes/no or none)."""
        numbers = {v: n for v, n in self.counts.items() if type(v) is int}
        count = sum(numbers.values())
        return round(sum(v * n for v, n in numbers.items()) / count, 1) if count else None

    def share(self, value: AnswerValue) -> float:
        """Return the share of answers that took `value`, 0 to 1."""
        return self.counts.get(value, 0) / self.total if self.total else 0.0


@dataclass(frozen=True)
class QuestionFeedback:
    """One question: its words, its values in order, the officer's answers and the agency's."""

    flow_id: str
    question_id: str
    kind: NodeKind
    text: LocalText
    values: tuple[AnswerValue, ...]
    mine: Distribution | None  # None: answered fewer than K times
    agency: Distribution


@dataclass(frozen=True)
class OfficerFeedback:
    """What /officer/feedback shows; `through` is None until K surveys have been released."""

    k: int
    through: date | None = None
    responses: int = 0
    questions: tuple[QuestionFeedback, ...] = ()
    comments: tuple[Comment, ...] | None = None  # None: fewer than K comments


def release_through(days: Sequence[tuple[str, int]], k: int) -> date | None:
    """Return the last day whose surveys are released: batches of at least K, oldest first.

    `days` counts the officer's surveys per day ('YYYY-MM-DD', oldest first) that have passed
    the delay. The released days never change as more days are added, so a figure shown
    once is shown again, and each change adds at least K surveys.
    """
    released, pending = None, 0
    for day, count in days:
        pending += count
        if pending >= k:
            released, pending = date.fromisoformat(day), 0
    return released


def feedback(
    queries: PublicQueries,
    flows: Iterable[Flow],
    officer_id: str,
    k: int,
    delay_days: int,
    now: datetime,
) -> OfficerFeedback:
    """Return an officer's feedback as of `now`, or only K if too few surveys are released."""
    passed = datetime.combine(now.astimezone(UTC).date(), time(), UTC) - timedelta(delay_days)
    through = release_through(queries.officer_days(officer_id, passed), k) if officer_id else None
    if through is None:
        return OfficerFeedback(k=k)
    until = datetime.combine(through + timedelta(days=1), time(), UTC)
    nodes = [(flow.id, node) for flow in flows for node in flow.nodes.values()]
    texts = [(flow_id, node.id) for flow_id, node in nodes if node.kind == NodeKind.TEXT]
    count, comments = queries.comments(officer_id, texts, until, COMMENTS_SHOWN)
    return OfficerFeedback(
        k=k,
        through=through,
        responses=sum(n for _, n in queries.officer_days(officer_id, until)),
        questions=_questions(queries, nodes, officer_id, until, k),
        comments=tuple(comments) if count >= k else None,
    )


def _questions(
    queries: PublicQueries,
    nodes: Sequence[tuple[str, Node]],
    officer_id: str,
    until: datetime,
    k: int,
) -> tuple[QuestionFeedback, ...]:
    """Return each question the agency has answers to, the officer's side hidden below K."""
    asked = [(flow_id, node) for flow_id, node in nodes if node.kind in FEEDBACK_KINDS]
    keys = [(flow_id, node.id) for flow_id, node in asked]
    mine = _by_question(queries.values(keys, until, officer_id))
    agency = _by_question(queries.values(keys, until))
    found = []
    for flow_id, node in asked:
        theirs = agency.get((flow_id, node.id))
        if theirs is None:
            continue
        own = mine.get((flow_id, node.id))
        shown = own if own is not None and own.total >= k else None
        values = _values(node.kind, node.min, node.max)
        found.append(
            QuestionFeedback(flow_id, node.id, node.kind, node.text, values, shown, theirs)
        )
    return tuple(found)


def _values(kind: NodeKind, low: int, high: int) -> tuple[AnswerValue, ...]:
    """Return the values a question's answers take, in the order they are shown."""
    if kind == NodeKind.YES_NO:
        return (True, False)
    return tuple(range(low, high + 1))


def _by_question(counts: Iterable[ValueCount]) -> dict[tuple[str, str], Distribution]:
    """Gather counts per value into one distribution per question."""
    found: dict[tuple[str, str], dict[AnswerValue, int]] = {}
    for c in counts:
        values = found.setdefault((c.flow_id, c.question_id), {})
        values[c.value] = values.get(c.value, 0) + c.count
    return {key: Distribution(values) for key, values in found.items()}
