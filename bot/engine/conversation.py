"""Move a conversation through a flow: pure functions from (flow, state, reply) to prompts."""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime
from functools import lru_cache

from bot.engine.branching import next_id
from bot.engine.locale import FALLBACK_LANGUAGE, system_message
from bot.engine.model import (
    AnswerRecord,
    AnswerValue,
    ConversationState,
    Flow,
    LanguageChanged,
    Locale,
    LocalText,
    Node,
    NodeKind,
    Prompt,
    PromptOption,
    Reprompted,
    Status,
    StepResult,
)
from bot.engine.parsing import parse_answer
from bot.engine.render import text_of
from bot.engine.text import render

logger = logging.getLogger(__name__)

_EMPTY_BRACKETS = re.compile(r"\s*\(\s*\)")


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


def begin(flow: Flow, language: str, ctx: Context) -> StepResult:
    """Start a conversation: send the flow's opening messages up to its first question.

    It takes no `now`: opening messages record nothing, so the moment changes nothing.
    """
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
        return _walk(flow, next_id(node, None), state.language, ctx)
    locales = tuple(ctx.locales[code] for code in flow.languages if code in ctx.locales)
    parsed = parse_answer(node, text, locales, state.language)
    if parsed.ok:
        return _move_on(flow, node, state, ctx, _answer(node, text, parsed.value, state, now))
    retries = state.retries + 1
    if retries <= node.retries:
        reprompt = _reprompt(flow, node, state.language, ctx)
        waiting = ConversationState(node.id, state.language, Status.ACTIVE, retries)
        return StepResult(waiting, (reprompt,), events=(Reprompted(node.id, retries),))
    # Out of re-prompts: record the question as unanswered and move on; nobody is ever stuck.
    return _move_on(flow, node, state, ctx, _answer(node, text, None, state, now))


def question(flow: Flow, state: ConversationState, ctx: Context) -> Prompt | None:
    """Return the question the conversation waits on, in its language (None if none)."""
    node = flow.nodes.get(state.node_id) if state.node_id is not None else None
    if node is None or not node.waits:
        return None
    return _question(flow, node, state.language, ctx)


def prompt(flow: Flow, state: ConversationState, ctx: Context) -> str:
    """Render the question the conversation waits on as plain text, with its hint ("" if none)."""
    asked = question(flow, state, ctx)
    return text_of(asked) if asked is not None else ""


def switch_language(
    flow: Flow, state: ConversationState, language: str, ctx: Context
) -> StepResult:
    """Speak `language` from now on and ask the waiting question afresh in it."""
    # Earlier misses were in another language: they don't count against the question.
    switched = replace(state, language=language, retries=0)
    asked = question(flow, switched, ctx)
    changed = (LanguageChanged(state.language, language),) if language != state.language else ()
    return StepResult(switched, (asked,) if asked is not None else (), events=changed)


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
    result = _walk(flow, next_id(node, answer.value), state.language, ctx)
    # Built directly rather than with dataclasses.replace(): this runs on every answer.
    return StepResult(result.state, result.prompts, (answer,), result.events)


def _walk(flow: Flow, node_id: str | None, language: str, ctx: Context) -> StepResult:
    """Send message nodes from node_id on, stopping at a question (asked) or the end."""
    prompts: list[Prompt] = []
    # A walk without loops visits each node once at most; the bound stops a loop of messages.
    for _ in range(len(flow.nodes)):
        node = flow.nodes.get(node_id) if node_id is not None else None
        if node is None:
            logger.warning("flow %s has no node %s; completing the conversation", flow.id, node_id)
            break
        if node.waits:
            prompts.append(_question(flow, node, language, ctx))
            return StepResult(ConversationState(node.id, language), tuple(prompts))
        text = _local(flow, node.text, language, ctx)
        if text.strip():  # an end node without text says nothing
            prompts.append(Prompt(text, node.kind))
        if node.kind is NodeKind.END:
            break
        node_id = next_id(node, None)
    else:
        logger.warning("flow %s loops through messages; completing the conversation", flow.id)
    done = ConversationState(node_id=None, language=language, status=Status.COMPLETED)
    return StepResult(state=done, prompts=tuple(prompts))


def _local(flow: Flow, texts: LocalText, language: str, ctx: Context) -> str:
    """Render a flow text in the language, falling back to the base language, then any."""
    text = texts.get(language) or texts.get(flow.base_language) or next(iter(texts.values()), "")
    return render(text, ctx.values_for(language))


def _system(ctx: Context, language: str, key: str, extra: Mapping[str, str] | None = None) -> str:
    """Render a locale system message with the context's values and any extra ones."""
    values = {**ctx.values_for(language), **extra} if extra else ctx.values_for(language)
    return system_message(ctx.locales, language, key, values)


def _question(flow: Flow, node: Node, language: str, ctx: Context) -> Prompt:
    """Build a question: its text, its options and the hint on how to answer it."""
    return _asking(flow, node, language, ctx, _local(flow, node.text, language, ctx))


def _reprompt(flow: Flow, node: Node, language: str, ctx: Context) -> Prompt:
    """Build the re-prompt after a reply that could not be read: apology, options and hint."""
    key = "reprompt_text" if node.kind is NodeKind.TEXT else "reprompt"
    return _asking(flow, node, language, ctx, _system(ctx, language, key))


def _asking(flow: Flow, node: Node, language: str, ctx: Context, text: str) -> Prompt:
    """Build a prompt that asks `node` with `text` before its options and hint."""
    options = _OPTIONS[node.kind](flow, node, language, ctx)
    hint = _HINTS[node.kind](flow, node, language, ctx)
    return Prompt(text, node.kind, node.id, options, hint)


def _choice_options(
    flow: Flow, node: Node, language: str, ctx: Context
) -> tuple[PromptOption, ...]:
    """Give a choice's options: each one's stable value and its label in `language`."""
    return tuple(
        PromptOption(option.value, _local(flow, option.label, language, ctx))
        for option in node.options
    )


@lru_cache(maxsize=64)
def _numbers(low: int, high: int) -> tuple[PromptOption, ...]:
    """Give every whole number of a scale as an option (the same in every language)."""
    return tuple(PromptOption(number, str(number)) for number in range(low, high + 1))


def _scale_options(flow: Flow, node: Node, language: str, ctx: Context) -> tuple[PromptOption, ...]:
    """Give a scale's numbers, lowest first."""
    return _numbers(node.min, node.max)


def _yes_no_options(
    flow: Flow, node: Node, language: str, ctx: Context
) -> tuple[PromptOption, ...]:
    """Give yes and no, labelled in `language` (else English) from its locale's words."""
    locale = ctx.locales.get(language) or ctx.locales.get(FALLBACK_LANGUAGE)
    return _yes_no(locale.yes_label, locale.no_label) if locale is not None else ()


@lru_cache(maxsize=64)
def _yes_no(yes: str, no: str) -> tuple[PromptOption, ...]:
    """Give yes and no with their labels (built once per language)."""
    return (PromptOption(True, yes), PromptOption(False, no))


def _no_options(flow: Flow, node: Node, language: str, ctx: Context) -> tuple[PromptOption, ...]:
    """Give no options: a free-text question is answered in words."""
    return ()


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
    """Give no hint: a choice's options are its hint, and messages ask nothing."""
    return ""


# One hint per kind of question: how to answer it in words.
_HINTS: Mapping[NodeKind, Callable[[Flow, Node, str, Context], str]] = {
    NodeKind.CHOICE: _no_hint,
    NodeKind.SCALE: _scale_hint,
    NodeKind.NPS: _scale_hint,
    NodeKind.YES_NO: _fixed_hint("hint_yes_no"),
    NodeKind.TEXT: _fixed_hint("hint_skip"),
}
# The answers each kind of question offers to pick from.
_OPTIONS: Mapping[NodeKind, Callable[[Flow, Node, str, Context], tuple[PromptOption, ...]]] = {
    NodeKind.CHOICE: _choice_options,
    NodeKind.SCALE: _scale_options,
    NodeKind.NPS: _scale_options,
    NodeKind.YES_NO: _yes_no_options,
    NodeKind.TEXT: _no_options,
}
