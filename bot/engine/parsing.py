"""Read a resident's reply to a question, forgivingly, in any of the flow's languages."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache

from bot.engine.model import AnswerValue, Locale, Node, NodeKind, Option
from bot.engine.text import normalise


@dataclass(frozen=True)
class Parsed:
    """The outcome of reading a reply: `ok` with its value (None when skipped), or not ok."""

    ok: bool
    value: AnswerValue = None


Handler = Callable[[Node, str, str, Sequence[Locale]], Parsed]

FAILED = Parsed(ok=False)
SKIPPED = Parsed(ok=True, value=None)

# Labels, synonyms and skip words come from a handful of flows: cache their normal forms.
_normal = lru_cache(maxsize=8192)(normalise)

# Star characters counted as a rating when a reply is made of nothing else ("⭐⭐⭐⭐" = 4).
_STARS = frozenset("\u2b50\u2605\U0001f31f")
_STAR_PADDING = frozenset("\ufe0e\ufe0f")
# Words that may follow a score ("4 stars", "4 estrellas"). Locale files have no slot for them,
# and a wrong guess only costs a re-prompt, so a small list of the likely ones is kept here.
_UNITS = frozenset({
    "star", "stars", "estrella", "estrellas", "etoile", "etoiles", "estrela", "estrelas",
    "point", "points", "pts", "punto", "puntos",
})  # fmt: skip
# "4/5", "4 out of 5", "4 of 5", "4 de 5", "4 sobre 5", "4 sur 5", each with an optional unit.
_SCORE = re.compile(
    r"(?P<n>[^\s/]+)(?:(?:\s*/\s*|\s+(?:out of|of|de|sobre|sur)\s+)(?P<d>[^\s/]+))?"
    r"(?:\s+(?P<u>\S+))?"
)
# An option as the prompt lists it: its number, perhaps "." or ")", then its label.
_NUMBERED = re.compile(r"(?P<n>\d{1,3})[.):-]?\s+(?P<rest>.+)")
# A unique prefix of a choice label must be this long to count ("tra" for "Traffic"), so that
# one or two letters ("n", "no") never pick an option by accident.
_MIN_PREFIX = 3
# Numbers longer than this are not scores or option numbers; refuse before int() does work.
_MAX_DIGITS = 4


def parse_answer(node: Node, text: str, locales: Sequence[Locale]) -> Parsed:
    """Read `text` as an answer to `node`, accepting the words of every locale given."""
    handler = PARSERS.get(node.kind)
    if handler is None:
        return FAILED
    norm = normalise(text)
    # A skip word is never a valid answer of its own, so it is checked first for every kind.
    if norm and _is_skip(norm, node, locales):
        return SKIPPED
    return handler(node, text, norm, locales)


def _is_skip(norm: str, node: Node, locales: Sequence[Locale]) -> bool:
    """Say whether a reply is a locale skip word or one of the node's own skip words."""
    if any(norm in locale.skip for locale in locales):
        return True
    return any(norm == _normal(word) for words in node.skip_words.values() for word in words)


def _number(word: str, locales: Sequence[Locale]) -> int | None:
    """Read a number given in digits or as a number word of one of the locales."""
    if word.isascii() and word.isdigit():
        return int(word) if len(word) <= _MAX_DIGITS else None
    for locale in locales:
        value = locale.numbers.get(word)
        if value is not None:
            return value
    return None


def _star_count(raw: str) -> int | None:
    """Count the stars of a reply made only of star characters."""
    marks = [char for char in raw if not char.isspace() and char not in _STAR_PADDING]
    if marks and all(char in _STARS for char in marks):
        return len(marks)
    return None


def _score(norm: str, raw: str, top: int, locales: Sequence[Locale]) -> int | None:
    """Read a score: "4", "four", "4/5", "4 out of 5", "4 stars", "⭐⭐⭐⭐".

    A denominator must equal the scale's top: "3/10" on a 1-5 scale is not silently 3.
    """
    if not norm:
        return _star_count(raw)
    whole = _number(norm, locales)
    if whole is not None:
        return whole
    match = _SCORE.fullmatch(norm)
    if match is None or (match["u"] is not None and match["u"] not in _UNITS):
        return None
    if match["d"] is not None and _number(match["d"], locales) != top:
        return None
    return _number(match["n"], locales)


def _parse_scale(node: Node, raw: str, norm: str, locales: Sequence[Locale]) -> Parsed:
    """Accept a whole number from node.min to node.max in any of the score forms."""
    value = _score(norm, raw, node.max, locales)
    if value is None or not node.min <= value <= node.max:
        return FAILED
    return Parsed(ok=True, value=value)


def _names(option: Option) -> Iterable[str]:
    """Yield the normalised words that name an option: its value, labels and synonyms."""
    yield _normal(option.value)
    yield from (_normal(label) for label in option.label.values())
    yield from (_normal(word) for words in option.synonyms.values() for word in words)


def _only(values: set[str]) -> Parsed:
    """Accept a match only when it names exactly one option."""
    return Parsed(ok=True, value=values.pop()) if len(values) == 1 else FAILED


def _parse_choice(node: Node, raw: str, norm: str, locales: Sequence[Locale]) -> Parsed:
    """Accept an option's number, label or synonym in any language, or a unique label prefix."""
    number = _number(norm, locales)
    if number is not None:
        in_range = 1 <= number <= len(node.options)
        return Parsed(ok=True, value=node.options[number - 1].value) if in_range else FAILED
    if not norm:
        return FAILED
    copied = _NUMBERED.fullmatch(norm)
    if copied is not None:
        # A line copied from the prompt ("2 Noise complaint", "2. noise") must agree with itself.
        number = int(copied["n"])
        in_range = 1 <= number <= len(node.options)
        if in_range and copied["rest"] in set(_names(node.options[number - 1])):
            return Parsed(ok=True, value=node.options[number - 1].value)
    exact = {option.value for option in node.options if norm in set(_names(option))}
    if exact:
        return _only(exact)
    if len(norm) < _MIN_PREFIX:
        return FAILED
    return _only(
        {option.value for option in node.options if any(n.startswith(norm) for n in _names(option))}
    )


# Thumbs (any skin tone) answer a yes/no question when nothing else was written.
_THUMBS: Mapping[str, bool] = {"\U0001f44d": True, "\U0001f44e": False}
# "1" and "2" stand for yes and no, as the yes/no hint offers.
_YES_NO_DIGITS: Mapping[str, bool] = {"1": True, "2": False}


def _parse_yes_no(node: Node, raw: str, norm: str, locales: Sequence[Locale]) -> Parsed:
    """Accept the yes/no words of every locale, 1 for yes, 2 for no, or a thumb emoji."""
    if norm in _YES_NO_DIGITS:
        return Parsed(ok=True, value=_YES_NO_DIGITS[norm])
    is_yes = any(norm in locale.yes for locale in locales)
    is_no = any(norm in locale.no for locale in locales)
    if norm and is_yes != is_no:
        # A word that is "yes" in one language and "no" in another is refused, not guessed.
        return Parsed(ok=True, value=is_yes)
    thumbs = {_THUMBS[char] for char in raw if char in _THUMBS}
    if not norm and len(thumbs) == 1:
        return Parsed(ok=True, value=thumbs.pop())
    return FAILED


def _parse_text(node: Node, raw: str, norm: str, locales: Sequence[Locale]) -> Parsed:
    """Accept any non-blank text as written, trimmed and cut to the node's max_length."""
    answer = raw.strip()
    return Parsed(ok=True, value=answer[: node.max_length]) if answer else FAILED


# One small handler per kind of question; message and end nodes take no answer.
PARSERS: Mapping[NodeKind, Handler] = {
    NodeKind.CHOICE: _parse_choice,
    NodeKind.SCALE: _parse_scale,
    NodeKind.NPS: _parse_scale,
    NodeKind.YES_NO: _parse_yes_no,
    NodeKind.TEXT: _parse_text,
}
