"""Read a conversation's answers against the alert rules: what should supervisors hear of?

Rules (bot.config.alert_rules.AlertRules), each firing at most once per conversation:
- `score:<question>`: a scale or 0-10 answer at or below its threshold;
- `lowest:<question>`: otherwise, the lowest answer: a scale's minimum, "no", or a choice the
  rules name as lowest;
- `words:<question>:<category>`: free text mentioning force, threats, injury, weapons or
  discrimination, in the language it was written in or in its translation;
- `commendation`: a completed survey with every score at its top, at least one comment, no
  alert word in any comment (original or translation) and no alert. That is what "a positive
  comment" means here: praise is not read, only the absence of trouble beside top marks.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from bot.config.alert_rules import AlertRules
from bot.engine.model import SCORED_KINDS, Flow, Node, NodeKind
from bot.i18n.alert_words import WordList, mentions
from bot.ports import AlertOutlet
from bot.scheduling.states import AlertKind
from storage.models import Answer


@dataclass(frozen=True)
class Alerting:
    """What alerting needs: the rules, each language's words, the outlets and the site's URL."""

    rules: AlertRules = field(default_factory=AlertRules)
    words: Mapping[str, WordList] = field(default_factory=dict)
    # By name ("email", "webhook"); none configured: alerts are only shown on the alert page.
    outlets: Mapping[str, AlertOutlet] = field(default_factory=dict)
    # PUBLIC_BASE_URL: the links in emails and webhooks point at the alert page there.
    base_url: str = ""


@dataclass(frozen=True)
class Finding:
    """One rule an answer met, with a line saying what met it (never the resident's words)."""

    kind: AlertKind
    rule: str
    detail: str


def findings(
    flow: Flow, answers: Sequence[Answer], alerting: Alerting, completed: bool
) -> list[Finding]:
    """Return every rule the conversation's answers meet (a commendation only once completed)."""
    found: list[Finding] = []
    for answer in answers:
        node = flow.nodes.get(answer.question_id)
        if node is not None and answer.value is not None:
            found.extend(_of_answer(node, answer, alerting))
    if completed and not found and alerting.rules.commendations:
        found.extend(_commendation(flow, answers, alerting))
    return found


def _of_answer(node: Node, answer: Answer, alerting: Alerting) -> list[Finding]:
    """Return the findings one answer makes, by its question's kind."""
    rules, value = alerting.rules, answer.value
    if node.kind in SCORED_KINDS and isinstance(value, int) and not isinstance(value, bool):
        return _scored(node, value, rules)
    lowest = rules.lowest_category and (
        (node.kind is NodeKind.YES_NO and value is False)
        or (node.kind is NodeKind.CHOICE and value in rules.lowest_choices.get(node.id, ()))
    )
    if lowest:
        return [Finding(AlertKind.ALERT, f"lowest:{node.id}", f"{node.id}: {_shown(value)}")]
    if node.kind is NodeKind.TEXT and rules.words:
        touched = sorted(set(_mentions(answer, alerting.words)) & rules.word_categories)
        return [_words(node.id, category) for category in touched]
    return []


def _scored(node: Node, value: int, rules: AlertRules) -> list[Finding]:
    """Return the alert a score makes: at or below its threshold, else at its minimum."""
    threshold = rules.threshold(node.id, node.kind is NodeKind.NPS)
    detail = f"{node.id}: {value} of {node.max}"
    if threshold is not None and value <= threshold:
        return [Finding(AlertKind.ALERT, f"score:{node.id}", detail)]
    if rules.lowest_category and value <= node.min:
        return [Finding(AlertKind.ALERT, f"lowest:{node.id}", detail)]
    return []


def _words(question_id: str, category: str) -> Finding:
    """Return the alert for free text that mentions a category."""
    return Finding(
        AlertKind.ALERT, f"words:{question_id}:{category}", f"{question_id}: mentions {category}"
    )


def _mentions(answer: Answer, words: Mapping[str, WordList]) -> dict[str, str]:
    """Return the categories an answer's text mentions, written or translated."""
    text = answer.value if isinstance(answer.value, str) else ""
    written = [answer.language, *([answer.detected_language] if answer.detected_language else [])]
    found = mentions(words, text, written)
    if answer.translation and answer.translation_language:
        translated = mentions(words, answer.translation, [answer.translation_language])
        found = {**translated, **found}
    return found


def _commendation(flow: Flow, answers: Sequence[Answer], alerting: Alerting) -> list[Finding]:
    """Return the commendation for top scores beside a comment free of alert words."""
    scores = comments = 0
    for answer in answers:
        node = flow.nodes.get(answer.question_id)
        if node is None or answer.value is None:
            continue
        if node.kind in SCORED_KINDS:
            if answer.value != node.max:
                return []
            scores += 1
        elif node.kind is NodeKind.TEXT and isinstance(answer.value, str):
            if _mentions(answer, alerting.words):
                return []
            comments += bool(answer.value.strip())
    if not (scores and comments):
        return []
    detail = f"top score on {scores} question{'s' * (scores != 1)}, with a comment"
    return [Finding(AlertKind.COMMENDATION, "commendation", detail)]


def _shown(value: object) -> str:
    """Return an answer's value as the alert line shows it ("no" for False)."""
    return "no" if value is False else str(value)
