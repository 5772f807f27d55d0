"""Read a resident's reply to a question, forgivingly, in any of the flow's languages."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache

from bot.engine.locale import LocaleMemo, may_join
from bot.engine.model import AnswerValue, Locale, Node, NodeKind, Option
from bot.engine.padding import (
    end_label,
    held_yes_or_no,
    is_negative,
    only_padding,
    unpadded,
    yes_or_no,
)
from bot.engine.text import normalise

# Clause breaks after which a yes/no reply may go on to explain itself.
_CLAUSE = re.compile(r"[,.!;，。！،؛]")


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
# Words that may follow a score ("4 stars", "5점") and words between a score and the scale's top
# ("4 out of 5"): each locale adds its own (`units:`, `out_of:`); these English ones are always on.
BUILT_IN_UNITS = frozenset({"star", "stars", "point", "points", "pts"})
BUILT_IN_OUT_OF = frozenset({"out of", "of"})


@dataclass(frozen=True)
class Scoring:
    """The unit and "out of" words of a set of locales, built once for them.

    `out_of` holds the words with a space either side, longest first, so "4 out of 5" is split
    at "out of" before "of" is tried; `longest_unit` bounds the endings tried as a unit ("5점").
    """

    units: frozenset[str]
    out_of: tuple[str, ...]
    longest_unit: int


# An option as the prompt lists it: its number, perhaps "." or ")", then its label.
_NUMBERED = re.compile(r"(?P<n>\d{1,3})[.):-]?\s+(?P<rest>.+)")
# A unique prefix of a choice label must be this long to count ("tra" for "Traffic"), so that
# one or two letters ("n", "no") never pick an option by accident.
_MIN_PREFIX = 3
# Numbers longer than this are not scores or option numbers; refuse before int() does work.
_MAX_DIGITS = 4


def parse_answer(
    node: Node, text: str, locales: Sequence[Locale], language: str | None = None
) -> Parsed:
    """Read `text` as an answer to `node`: in `language` first, then in every locale given.

    A reply made only of the conversation's own polite words ("um", "thanks") answers nothing,
    even where another language reads it as an answer ("um" is Portuguese for one).
    """
    handler = PARSERS.get(node.kind)
    if handler is None:
        return FAILED
    if node.kind is not NodeKind.TEXT and is_negative(text):
        return FAILED  # "-5" is not 5
    norm = normalise(text)
    own = tuple(locale for locale in locales if locale.code == language)
    if not own or node.kind is NodeKind.TEXT:
        # Free text takes anything: only skip words, in every language, are read in it.
        return _read(handler, node, text, norm, locales)
    # The conversation's language first: its number words win, and a word it shares with
    # another language as yes there and no here ("no") is read as it means here.
    ordered = (*own, *(locale for locale in locales if locale is not own[0]))
    parsed = _read(handler, node, text, norm, ordered)
    if parsed.ok:
        return FAILED if only_padding(norm, own[0]) else parsed
    return _read(handler, node, text, norm, own)


def _read(handler: Handler, node: Node, text: str, norm: str, locales: Sequence[Locale]) -> Parsed:
    """Read a reply as it is, then without the polite words around it ("yes sir", "a 4")."""
    # A skip word is never a valid answer of its own, so it is checked first for every kind.
    if norm and _is_skip(norm, node, locales):
        return SKIPPED
    parsed = handler(node, text, norm, locales)
    if not norm or (parsed.ok and node.kind is not NodeKind.TEXT):
        return parsed
    core = unpadded(norm, locales)
    if not core or core == norm:
        return parsed
    if _is_skip(core, node, locales):
        return SKIPPED  # "nada más, gracias"
    if parsed.ok or node.kind is NodeKind.TEXT:
        return parsed
    return handler(node, core, core, locales)


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
    """Read a score: "4", "four", "4/5", "4 out of 5", "4 stars", "5점", "⭐⭐⭐⭐".

    A denominator must equal the scale's top: "3/10" on a 1-5 scale is not silently 3. Units
    never change the number, so the caller's range check still refuses "50分" on a 1-5 scale.
    """
    if not norm:
        return _star_count(raw)
    whole = _number(norm, locales)
    if whole is not None:
        return whole
    scoring = _SCORINGS.get(tuple(locales))
    score, most = _split_out_of(norm, scoring.out_of)
    if most is not None and _amount(most, scoring, locales) != top:
        return None
    return _amount(score, scoring, locales)


def _build_scoring(locales: tuple[Locale, ...]) -> Scoring:
    """Gather the unit and "out of" words of the locales and the built-in English ones."""
    units = BUILT_IN_UNITS.union(*(locale.units for locale in locales))
    out_of = BUILT_IN_OUT_OF.union(*(locale.out_of for locale in locales))
    return Scoring(
        units=units,
        out_of=tuple(f" {words} " for words in sorted(out_of, key=lambda w: (-len(w), w))),
        longest_unit=max(map(len, units), default=0),
    )


# Replies to scale questions are read against the same few locale objects every time.
_SCORINGS = LocaleMemo(_build_scoring, size=64)


def _split_out_of(norm: str, out_of: Sequence[str]) -> tuple[str, str | None]:
    """Split "4/5" or "4 out of 5" into the score and the scale's top (None when not given)."""
    score, slash, most = norm.partition("/")
    if slash:
        return score.strip(), most.strip()
    if " " not in norm:
        return norm, None
    padded = f" {norm} "
    for padded_words in out_of:
        if padded_words in padded:
            score, _, most = padded.partition(padded_words)
            return score.strip(), most.strip()
    return norm, None


def _amount(part: str, scoring: Scoring, locales: Sequence[Locale]) -> int | None:
    """Read a number, alone or followed by a unit: "4", "four", "4 stars", "5점", "五分"."""
    number = _number(part, locales)
    if number is not None:
        return number
    for cut in _unit_starts(part, scoring):
        number = _number(part[:cut].rstrip(), locales)
        if number is not None:
            return number
    return None


def _unit_starts(part: str, scoring: Scoring) -> Iterator[int]:
    """Yield where a unit ending `part` begins: after a space, a digit, or glued in CJK."""
    for size in range(1, min(len(part) - 1, scoring.longest_unit) + 1):
        cut = len(part) - size
        if part[cut:] not in scoring.units:
            continue
        before = part[cut - 1]
        if before == " " or before.isdigit() or may_join(before, part[cut]):
            yield cut


def _parse_scale(node: Node, raw: str, norm: str, locales: Sequence[Locale]) -> Parsed:
    """Accept a whole number from node.min to node.max in any of the score forms."""
    value = _score(norm, raw, node.max, locales)
    if value is None:
        value = end_label(node, norm)  # "not at all", "completely": the ends as printed
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
    verdict = yes_or_no(norm, locales)
    if verdict is None and _CLAUSE.search(raw):
        # "Sí, me escuchó" / "No, not really": the first clause answers, the rest explains.
        # Only after punctuation: "no sé" (I don't know) must not read as "no".
        verdict = yes_or_no(normalise(_CLAUSE.split(raw, maxsplit=1)[0]), locales)
    if verdict is None:
        verdict = held_yes_or_no(norm, locales)  # "yesss", "nooo"
    if verdict is not None:
        return Parsed(ok=True, value=verdict)
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
