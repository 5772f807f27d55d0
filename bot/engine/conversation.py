"""Move a conversation through a flow: pure functions from (flow, state, reply) to replies."""

from __future__ import annotations

import logging
import operator
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime

from bot.engine.locale import system_message
from bot.engine.model import (
    AnswerRecord,
    AnswerValue,
    ConversationState,
    Flow,
    Locale,
    LocalText,
    Node,
    NodeKind,
    Rule,
    Status,
    StepResult,
)
from bot.engine.parsing import parse_answer
from bot.engine.text import render

logger = logging.getLogger(__name__)

_EMPTY_BRACKETS = re.compile(r"\s*\(\s*\)")
RuleValue = AnswerValue | tuple[AnswerValue, ...]
Test = Callable[[AnswerValue, RuleValue], bool]


@dataclass(frozen=True)
class Context:
    """What a conversation needs besides its flow: the locales and the placeholder values.

    `values` fill placeholders in every language; `by_language` holds each language's own
    values laid over them ({help} worded in Spanish for Spanish texts).
    """

    locales: Mapping[str, Locale]
    values: Mapping[str, str]
    by_language: Mapping[str, Mapping[str, str]] = field(default_factory=dict)

    def values_for(self, language: str) -> Mapping[str, str]:
        """Return the placeholder values for texts in `language`."""
        own = self.by_language.get(language)
        return {**self.values, **own} if own else self.values


def begin(flow: Flow, language: str, ctx: Context, now: datetime) -> StepResult:
    """Start a conversation: send the flow's opening messages up to its first question."""
    language = language if language in flow.languages else flow.base_language
    return _walk(flow, flow.start, language, ctx)


def step(
    flow: Flow, state: ConversationState, text: str, now: datetime, ctx: Context
) -> StepResult:
    """Take the resident's reply to the current question and move the conversation on."""
    if state.status is not Status.ACTIVE:
        return StepResult(state=state)
    node = flow.nodes.get(state.node_id) if state.node_id is not None else None
    if node is None:
        # The flow was edited under a live conversation: finish it rather than fail.
        logger.warning(
            "flow %s has no node %s; completing the conversation", flow.id, state.node_id
        )
        return StepResult(state=replace(state, node_id=None, status=Status.COMPLETED, retries=0))
    if not node.waits:
        return _walk(flow, _next_id(node, None), state.language, ctx)
    locales = tuple(ctx.locales[code] for code in flow.languages if code in ctx.locales)
    parsed = parse_answer(node, text, locales, state.language)
    if parsed.ok:
        return _move_on(flow, node, state, ctx, _answer(node, text, parsed.value, state, now))
    retries = state.retries + 1
    if retries <= node.retries:
        reprompt = _reprompt(flow, node, state.language, ctx)
        waiting = ConversationState(node.id, state.language, Status.ACTIVE, retries)
        return StepResult(state=waiting, replies=_sendable([reprompt]))
    # Out of re-prompts: record the question as unanswered and move on; nobody is ever stuck.
    return _move_on(flow, node, state, ctx, _answer(node, text, None, state, now))


def prompt(flow: Flow, state: ConversationState, ctx: Context) -> str:
    """Render the question the conversation waits on, with its answering hint ("" if none)."""
    node = flow.nodes.get(state.node_id) if state.node_id is not None else None
    if node is None or not node.waits:
        return ""
    return _question(flow, node, state.language, ctx)


def _answer(
    node: Node, text: str, value: AnswerValue, state: ConversationState, now: datetime
) -> AnswerRecord:
    """Build the record of one answer (value None when skipped or never understood)."""
    return AnswerRecord(
        question_id=node.id, raw=text, value=value, language=state.language, answered_at=now
    )


def _move_on(
    flow: Flow, node: Node, state: ConversationState, ctx: Context, answer: AnswerRecord
) -> StepResult:
    """Store an answer and walk on along the branch it selects."""
    result = _walk(flow, _next_id(node, answer.value), state.language, ctx)
    return StepResult(state=result.state, replies=result.replies, answers=(answer,))


def _walk(flow: Flow, node_id: str | None, language: str, ctx: Context) -> StepResult:
    """Send message nodes from node_id on, stopping at a question (asked) or the end."""
    replies: list[str] = []
    # A walk without loops visits each node once at most; the bound stops a loop of messages.
    for _ in range(len(flow.nodes)):
        node = flow.nodes.get(node_id) if node_id is not None else None
        if node is None:
            logger.warning("flow %s has no node %s; completing the conversation", flow.id, node_id)
            break
        if node.waits:
            replies.append(_question(flow, node, language, ctx))
            return StepResult(
                state=ConversationState(node.id, language), replies=_sendable(replies)
            )
        replies.append(_local(flow, node.text, language, ctx))
        if node.kind is NodeKind.END:
            break
        node_id = _next_id(node, None)
    else:
        logger.warning("flow %s loops through messages; completing the conversation", flow.id)
    done = ConversationState(node_id=None, language=language, status=Status.COMPLETED)
    return StepResult(state=done, replies=_sendable(replies))


def _sendable(replies: list[str]) -> tuple[str, ...]:
    """Drop empty texts (an end node without text, a missing system message)."""
    return tuple(reply for reply in replies if reply.strip())


def _next_id(node: Node, value: AnswerValue) -> str | None:
    """Pick where to go after a node: the first rule the answer satisfies, else `next`."""
    for rule in node.rules:
        if _satisfies(rule, value):
            return rule.next
    return node.next


def _same(value: AnswerValue, target: AnswerValue) -> bool:
    """Compare strictly: True is not 1 and 1 is not True."""
    return isinstance(value, bool) == isinstance(target, bool) and value == target


def _is_number(value: object) -> bool:
    """Say whether a value is a whole number and not a boolean."""
    return isinstance(value, int) and not isinstance(value, bool)


def _ordered(test: Callable[[int, int], bool]) -> Test:
    """Make a numeric comparison that is false unless both sides are numbers."""

    def check(value: AnswerValue, target: RuleValue) -> bool:
        if isinstance(value, int) and isinstance(target, int) and _is_number(value):
            return _is_number(target) and test(value, target)
        return False

    return check


# Comparisons against a value are false for an unanswered question: use no_answer for that.
_TESTS: Mapping[str, Test] = {
    "eq": lambda value, target: (
        value is not None and not isinstance(target, tuple) and _same(value, target)
    ),
    "ne": lambda value, target: (
        value is not None and not isinstance(target, tuple) and not _same(value, target)
    ),
    "in": lambda value, target: (
        value is not None
        and isinstance(target, tuple)
        and any(_same(value, item) for item in target)
    ),
    "lt": _ordered(operator.lt),
    "lte": _ordered(operator.le),
    "gt": _ordered(operator.gt),
    "gte": _ordered(operator.ge),
    "answered": lambda value, target: value is not None,
    "no_answer": lambda value, target: value is None,
    "always": lambda value, target: True,
}


def _satisfies(rule: Rule, value: AnswerValue) -> bool:
    """Say whether an answer satisfies a rule; unknown operators never match."""
    test = _TESTS.get(rule.op)
    return test is not None and test(value, rule.value)


def _local(flow: Flow, texts: LocalText, language: str, ctx: Context) -> str:
    """Render a flow text in the language, falling back to the base language, then any."""
    text = texts.get(language) or texts.get(flow.base_language) or next(iter(texts.values()), "")
    return render(text, ctx.values_for(language))


def _system(ctx: Context, language: str, key: str, extra: Mapping[str, str] | None = None) -> str:
    """Render a locale system message with the context's values and any extra ones."""
    values = {**ctx.values_for(language), **extra} if extra else ctx.values_for(language)
    return system_message(ctx.locales, language, key, values)


def _question(flow: Flow, node: Node, language: str, ctx: Context) -> str:
    """Render a question's text followed by the hint on how to answer it."""
    parts = (_local(flow, node.text, language, ctx), _HINTS[node.kind](flow, node, language, ctx))
    return "\n".join(part for part in parts if part)


def _reprompt(flow: Flow, node: Node, language: str, ctx: Context) -> str:
    """Render the re-prompt after a reply that could not be read: apology plus hint."""
    key = "reprompt_text" if node.kind is NodeKind.TEXT else "reprompt"
    parts = (_system(ctx, language, key), _HINTS[node.kind](flow, node, language, ctx))
    return "\n".join(part for part in parts if part)


def _choice_hint(flow: Flow, node: Node, language: str, ctx: Context) -> str:
    """List a choice's options one per line as "1 Label"."""
    return "\n".join(
        f"{number} {_local(flow, option.label, language, ctx)}"
        for number, option in enumerate(node.options, start=1)
    )


def _scale_hint(flow: Flow, node: Node, language: str, ctx: Context) -> str:
    """Explain a scale's range and the meaning of its ends."""
    values = {
        "min": str(node.min),
        "max": str(node.max),
        "min_label": _local(flow, node.min_label, language, ctx) if node.min_label else "",
        "max_label": _local(flow, node.max_label, language, ctx) if node.max_label else "",
    }
    hint = _system(ctx, language, "hint_scale", values)
    # An end without a label would show as "1 ()": drop the empty brackets instead.
    return _EMPTY_BRACKETS.sub("", hint) if not node.min_label or not node.max_label else hint


def _fixed_hint(key: str) -> Callable[[Flow, Node, str, Context], str]:
    """Make a hint that is one locale system message."""

    def hint(flow: Flow, node: Node, language: str, ctx: Context) -> str:
        return _system(ctx, language, key)

    return hint


def _no_hint(flow: Flow, node: Node, language: str, ctx: Context) -> str:
    """Give no hint: message and end nodes ask nothing."""
    return ""


# One hint per kind of node.
_HINTS: Mapping[NodeKind, Callable[[Flow, Node, str, Context], str]] = {
    NodeKind.CHOICE: _choice_hint,
    NodeKind.SCALE: _scale_hint,
    NodeKind.NPS: _scale_hint,
    NodeKind.YES_NO: _fixed_hint("hint_yes_no"),
    NodeKind.TEXT: _fixed_hint("hint_skip"),
    NodeKind.MESSAGE: _no_hint,
    NodeKind.END: _no_hint,
}
