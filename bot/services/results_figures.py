"""Build each table of the results dashboard from the read side's aggregates."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from bot.services.results_questions import QuestionInfo
from bot.services.results_table import NOT_RECORDED, Cell, Table, percent, slug
from bot.services.translations import TranslationStatus

if TYPE_CHECKING:
    from storage.queries.results import (
        AnswerCount,
        BreakdownRow,
        Comment,
        Count,
        Funnel,
        ScoreMean,
    )

STAGES = (
    ("triggered", "Triggered"),
    ("refused", "Refused by a rule"),
    ("sent", "Sent"),
    ("delivered", "Delivered"),
    ("started", "Started"),
    ("completed", "Completed"),
    ("partial", "Partial"),
    ("expired", "Expired"),
    ("undeliverable", "Undeliverable"),
    ("opted_out", "Opted out"),
)
DIMENSION_LABELS = {
    "unit": "Unit",
    "officer": "Officer",
    "call_type": "Call type",
    "language": "Language",
    "channel": "Channel",
    "flow_version": "Flow version",
}
PERIOD_LABELS = {"week": "Week starting", "month": "Month starting"}
UNTRANSLATED: dict[str, str] = {
    TranslationStatus.NOT_NEEDED: "(same language)",
    TranslationStatus.PENDING: "(translation pending)",
    TranslationStatus.FAILED: "(translation failed)",
    TranslationStatus.DISABLED: "(no translator set)",
}


def funnel_table(funnel: Funnel) -> Table:
    """Return every stage's count and its share of the surveys triggered."""
    rows = tuple(
        (label, getattr(funnel, name), percent(getattr(funnel, name), funnel.triggered))
        for name, label in STAGES
    )
    rate = funnel.response_rate
    said = f"{100 * rate:.1f}%" if rate is not None else "none sent"
    caption = f"Survey funnel (response rate: {said})"
    return Table("funnel", caption, ("Stage", "Surveys", "Share of triggered (%)"), rows)


def refusal_table(counts: Sequence[Count]) -> Table:
    """Return the surveys refused before sending, per reason."""
    rows = tuple((c.key or NOT_RECORDED, c.count) for c in counts)
    return Table("refusals", "Refused before sending, by reason", ("Reason", "Surveys"), rows)


def question_tables(
    question: QuestionInfo, counts: Sequence[AnswerCount], bucket: str
) -> tuple[Table, Table]:
    """Return one question's distribution and trend tables."""
    own = [c for c in counts if (c.flow_id, c.question_id) == (question.flow_id, question.id)]
    return _distribution(question, own), _trend(question, own, bucket)


def _distribution(question: QuestionInfo, counts: Sequence[AnswerCount]) -> Table:
    """Count each answer a question offers (zero included), then any other value given."""
    totals: dict[str, int] = {label: 0 for _, label in question.answers}
    for count in counts:
        label = question.answer_label(count.value)
        totals[label] = totals.get(label, 0) + count.count
    n = sum(totals.values())
    # A question nobody answered shows no chart of zeros: the page says there is nothing.
    rows = tuple((label, total, percent(total, n)) for label, total in totals.items() if n)
    caption = f"{question.label}: answers ({n} in all)"
    columns = ("Answer", "Answers", "Share (%)")
    return Table(slug("dist", question.flow_id, question.id), caption, columns, rows)


def _trend(question: QuestionInfo, counts: Sequence[AnswerCount], bucket: str) -> Table:
    """Return a score's mean per period, or each answer's count per period."""
    periods: dict[str, dict[object, int]] = defaultdict(dict)
    for count in counts:
        periods[count.period][count.value] = count.count
    first = PERIOD_LABELS[bucket]
    ident = slug("trend", question.flow_id, question.id)
    caption = f"{question.label}: per {bucket}"
    if question.scored:
        rows = tuple((start, sum(v.values()), _mean(v)) for start, v in sorted(periods.items()))
        return Table(ident, caption, (first, "Answers", "Mean"), rows, "line", (2,))
    labels = [label for _, label in question.answers]
    table: list[tuple[Cell, ...]] = []
    for start, values in sorted(periods.items()):
        by_label = {question.answer_label(v): n for v, n in values.items()}
        table.append((start, sum(values.values()), *[by_label.get(lb, 0) for lb in labels]))
    series = tuple(range(2, 2 + len(labels)))
    columns = (first, "Answers", *labels)
    return Table(ident, caption, columns, tuple(table), "stacked", series)


def _mean(values: Mapping[object, int]) -> float | None:
    """Return the mean of numeric values weighted by their counts, to two decimals."""
    scores = {v: n for v, n in values.items() if isinstance(v, int) and not isinstance(v, bool)}
    total = sum(scores.values())
    return round(sum(v * n for v, n in scores.items()) / total, 2) if total else None


def breakdown_table(
    dimension: str,
    rows: Sequence[BreakdownRow],
    means: Sequence[ScoreMean],
    scored: Sequence[QuestionInfo],
) -> Table:
    """Return the funnel's core per group, with each score question's mean."""
    found = {(m.key, m.flow_id, m.question_id): m.mean for m in means}
    columns = (
        DIMENSION_LABELS[dimension],
        "Surveys",
        "Sent",
        "Completed",
        "Response rate (%)",
        *[f"Mean: {q.label}" for q in scored],
    )
    table = tuple(
        (
            row.key if row.key is not None else NOT_RECORDED,
            row.triggered,
            row.sent,
            row.completed,
            percent(row.completed + row.partial, row.sent),
            *[_round(found.get((row.key, q.flow_id, q.id))) for q in scored],
        )
        for row in rows
    )
    caption = f"Surveys by {DIMENSION_LABELS[dimension].lower()}"
    return Table("breakdown", caption, columns, table, "bar", (1, 3))


def _round(mean: float | None) -> float | None:
    """Round a mean to two decimals."""
    return round(mean, 2) if mean is not None else None


def comment_table(
    comments: Sequence[Comment], labels: Mapping[tuple[str, str], str], zone: ZoneInfo
) -> Table:
    """Return free-text answers, newest first: when, which question, original, translation."""
    rows = tuple(
        (
            c.answered_at.astimezone(zone).strftime("%Y-%m-%d %H:%M"),
            labels.get((c.flow_id, c.question_id), c.question_id),
            c.text,
            _translation(c),
        )
        for c in comments
    )
    columns = ("Answered", "Question", "Original", "Translation")
    return Table("comments", "Comments, newest first", columns, rows, "", ())


def _translation(comment: Comment) -> str:
    """Return a comment's translation once done, else why there is none."""
    if comment.translation_status == TranslationStatus.DONE and comment.translation:
        return comment.translation
    return UNTRANSLATED.get(comment.translation_status or "", "")
