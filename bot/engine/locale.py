"""Build Locales from parsed locale YAML, pick system messages with language fallback, and
remember the tables matching builds from a set of locales."""

from __future__ import annotations

import logging
import operator
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from functools import lru_cache
from typing import Any, Generic, TypeVar

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
    "nosurvey_confirm",
    "start_confirm",
    "help",
    "unknown",
    "completed",
    "reminder",
    "expired",
    "recently_surveyed",
    "language_menu",
    # Telegram: the line above the language menu's buttons.
    "language_buttons",
    "language_switched",
    "emergency",
    "media_only",
    "language_set",
    # Survey cards: a code that opens nothing, and the line printed on a card.
    "card_invalid",
    "card_used",
    "card_expired",
    "card_wait",
    "card_line",
    # Telegram: a group chat is told surveys are private; a stale button press gets a toast.
    "group_chat",
    "button_stale",
    # Erasure on request: DELETE asks for a YES; then the receipt, or the NO's reassurance.
    "erase_confirm",
    "erase_done",
    "erase_kept",
)
FALLBACK_LANGUAGE = "en"


def locale_from_dict(data: Mapping[str, Any]) -> Locale:
    """Build a Locale from a parsed locale YAML mapping, storing every word normalised."""
    code = data.get("code")
    if not isinstance(code, str) or not code.strip():
        raise ValueError("a locale needs a 'code'")
    return Locale(
        code=code.strip(),
        name=str(data.get("name") or code),
        names=_words(data.get("names")),
        direction="rtl" if data.get("direction") == "rtl" else "ltr",
        messages=_messages(_mapping(data, "messages")),
        numbers=_numbers(data.get("numbers")),
        yes=_words(_yaml_get(data, "yes", True)),
        no=_words(_yaml_get(data, "no", False)),
        skip=_words(data.get("skip")),
        keywords={str(kind): _words(words) for kind, words in _mapping(data, "keywords").items()},
        filler=_words(data.get("filler")),
        units=_words(data.get("units")),
        out_of=_words(data.get("out_of")),
        emergency=_words(data.get("emergency")),
        defaults=_messages(_mapping(data, "defaults")),
        answer_filler=_words(data.get("answer_filler")),
        language_request=_words(data.get("language_request")),
        yes_label=_label(_yaml_get(data, "yes", True)),
        no_label=_label(_yaml_get(data, "no", False)),
    )


def _mapping(data: Mapping[str, Any], key: str) -> Mapping[Any, Any]:
    """Return the mapping under `key`, or an empty one when it is missing or not a mapping."""
    found = data.get(key)
    return found if isinstance(found, Mapping) else {}


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


def _label(raw: Any) -> str:
    """Label an answer with the first word of its list, as written, its first letter upper-cased.

    The lists open with the plain word ("sí", "oui", "是"), so it reads well on a button.
    """
    items = raw if isinstance(raw, list | tuple) else [raw]
    first = _word(items[0]).strip() if items and items[0] is not None else ""
    return first[:1].upper() + first[1:]


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


def language_values(
    locales: Mapping[str, Locale],
    agency: Mapping[str, str],
    by_language: Mapping[str, Mapping[str, str]],
) -> dict[str, dict[str, str]]:
    """Return each language's own placeholder values, to lay over the values for all languages.

    A value the agency gives for one language (HELP_CONTACT_ES) wins; then one it gives for all
    (a phone number reads the same in every language); then the locale's own wording, so that no
    English sentence lands inside a Spanish text.
    """
    wanted = {code.lower(): values for code, values in by_language.items()}
    return {
        code: {**locale.defaults, **agency, **wanted.get(code.lower(), {})}
        for code, locale in locales.items()
    }


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


T = TypeVar("T")


class LocaleMemo(Generic[T]):
    """Remember what `build` makes of a set of Locale objects, keyed by the objects themselves.

    Every message is matched against the same few locale objects, which rarely change, so the
    word tables built from them are kept rather than rebuilt per message.
    """

    def __init__(self, build: Callable[[tuple[Locale, ...]], T], size: int = 16) -> None:
        """Remember up to `size` values made by `build`; beyond that, start afresh."""
        self._build = build
        self._size = size
        self._built: dict[tuple[int, ...], tuple[tuple[Locale, ...], T]] = {}

    def get(self, locales: tuple[Locale, ...]) -> T:
        """Return the value built from these locale objects, building it the first time."""
        key = tuple(map(id, locales))
        hit = self._built.get(key)
        # Holding the locales in the entry keeps their ids from being reused by other objects.
        if hit is not None and all(map(operator.is_, hit[0], locales)):
            return hit[1]
        if len(self._built) >= self._size:
            self._built.clear()
        value = self._build(locales)
        self._built[key] = (locales, value)
        return value


# Scripts whose words run together: Chinese and Japanese write no spaces, and Korean glues
# endings and particles to its words ("중지해주세요", "5점").
_UNSPACED_SCRIPTS = (
    "CJK UNIFIED IDEOGRAPH",
    "CJK COMPATIBILITY IDEOGRAPH",
    "IDEOGRAPHIC",
    "HIRAGANA",
    "KATAKANA",
    "HANGUL SYLLABLE",
)


@lru_cache(maxsize=4096)
def unspaced(char: str) -> bool:
    """Say whether a character belongs to a script that writes words without spaces between."""
    return unicodedata.name(char, "").startswith(_UNSPACED_SCRIPTS)


def may_join(left: str, right: str) -> bool:
    """Say whether two adjacent characters may end one word and start the next (no space)."""
    return unspaced(left) or unspaced(right)
