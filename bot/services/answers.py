"""Say whether a reply answers the current question in one language alone."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace

from bot.engine.model import Flow, Locale, LocalText, Node, NodeKind, Option
from bot.engine.parsing import parse_answer


def answers_in(
    flow: Flow, node_id: str | None, text: str, locales: Mapping[str, Locale], language: str
) -> bool:
    """Say whether `text` answers the question `node_id` with `language`'s words alone.

    Digits and other universal forms count; another language's labels and words do not. A
    free-text question takes anything, so only its skip words count there.
    """
    node = flow.nodes.get(node_id) if node_id is not None else None
    locale = locales.get(language)
    if node is None or locale is None or not node.waits:
        return False
    own = _in_language(node, language)
    parsed = parse_answer(own, text, (locale,), language)
    return parsed.ok and (node.kind is not NodeKind.TEXT or parsed.value is None)


def _in_language(node: Node, language: str) -> Node:
    """Return the node with only `language`'s labels, synonyms and skip words."""
    return replace(
        node,
        min_label=_only(node.min_label, language),
        max_label=_only(node.max_label, language),
        skip_words={k: v for k, v in node.skip_words.items() if k == language},
        options=tuple(_option_in(option, language) for option in node.options),
    )


def _option_in(option: Option, language: str) -> Option:
    """Return an option with only `language`'s label and synonyms."""
    synonyms = {k: v for k, v in option.synonyms.items() if k == language}
    return replace(option, label=_only(option.label, language), synonyms=synonyms)


def _only(text: LocalText, language: str) -> LocalText:
    """Keep one language's text of a LocalText."""
    return {k: v for k, v in text.items() if k == language}
