"""Build Locales from parsed locale YAML, and pick system messages with language fallback."""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from typing import Any

from bot.engine.model import Locale
from bot.engine.text import normalise, render

logger = logging.getLogger(__name__)

# System message keys the engine and the services send; every locale file should define them.
MESSAGE_KEYS = (
    "hint_yes_no",
    "hint_scale",
    "hint_skip",
    "reprompt",
    "reprompt_text",
    "stop_confirm",
    "start_confirm",
    "help",
    "unknown",
    "completed",
    "reminder",
    "expired",
    "language_menu",
    "language_switched",
)
FALLBACK_LANGUAGE = "en"


def locale_from_dict(data: Mapping[str, Any]) -> Locale:
    """Build a Locale from a parsed locale YAML mapping, storing every word normalised."""
    code = data.get("code")
    if not isinstance(code, str) or not code.strip():
        raise ValueError("a locale needs a 'code'")
    messages = data.get("messages")
    keywords = data.get("keywords")
    return Locale(
        code=code.strip(),
        name=str(data.get("name") or code),
        names=_words(data.get("names")),
        direction="rtl" if data.get("direction") == "rtl" else "ltr",
        messages=_messages(messages if isinstance(messages, Mapping) else {}),
        numbers=_numbers(data.get("numbers")),
        yes=_words(_yaml_get(data, "yes", True)),
        no=_words(_yaml_get(data, "no", False)),
        skip=_words(data.get("skip")),
        keywords={
            str(kind): _words(words)
            for kind, words in (keywords.items() if isinstance(keywords, Mapping) else ())
        },
    )


def _yaml_get(data: Mapping[Any, Any], key: str, boolean: bool) -> Any:
    """Read `yes:`/`no:`, which PyYAML (YAML 1.1) parses as the keys True/False."""
    if key in data:
        return data[key]
    return data.get(boolean)


def _word(item: Any) -> str:
    """Turn one YAML list item into a word; bare yes/no arrive as booleans from PyYAML."""
    if isinstance(item, bool):
        return "yes" if item else "no"
    return str(item)


def _words(raw: Any) -> frozenset[str]:
    """Normalise a YAML word list (or a single word) into a set, dropping empty entries."""
    if raw is None:
        return frozenset()
    items: Iterable[Any] = raw if isinstance(raw, list | tuple | set | frozenset) else [raw]
    return frozenset(word for word in (normalise(_word(item)) for item in items) if word)


def _numbers(raw: Any) -> dict[str, int]:
    """Map normalised number words to their values, ignoring entries that are not integers."""
    if not isinstance(raw, Mapping):
        return {}
    return {
        normalise(_word(word)): value
        for word, value in raw.items()
        if isinstance(value, int) and not isinstance(value, bool) and normalise(_word(word))
    }


def _messages(raw: Mapping[Any, Any]) -> dict[str, str]:
    """Keep the message texts as written (they are sent, not matched)."""
    return {str(key): str(text) for key, text in raw.items() if text is not None}


def system_message(
    locales: Mapping[str, Locale], language: str, key: str, values: Mapping[str, str]
) -> str:
    """Render a system message in `language`, falling back to English, then to any locale."""
    for code in (language, FALLBACK_LANGUAGE, *locales):
        locale = locales.get(code)
        if locale is not None and key in locale.messages:
            return render(locale.messages[key], values)
    # A missing text must not break a conversation; the caller drops empty replies.
    logger.warning("no locale defines the system message %r", key)
    return ""
