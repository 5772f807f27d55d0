"""Find the answer inside a padded reply: "yes sir", "I'd say 4", "نعم شكرا", "yesss", "-5"."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from bot.engine.locale import LocaleMemo
from bot.engine.model import Locale, Node
from bot.engine.text import normalise

# The longest polite phrase stripped in one piece ("i would say").
_LONGEST = 3
# A minus sign before a number: a hyphen or dash right before it ("-5"), or a minus sign
# (U+2212, small, full-width) even with a space; "- 3" is a bullet, not a minus.
_NEGATIVE = re.compile(r"\s*(?:[-\u2012\u2013\u2014]|[\u2212\ufe63\uff0d]\s*)\d")
# A letter held down: "yesss", "nooo".
_HELD = re.compile(r"([^\W\d_])\1+")


@dataclass(frozen=True)
class Padding:
    """The polite words of a set of locales, and their yes/no words with held letters squeezed.

    `yes` and `no` are squeezed forms that are yes (or no) in one of the locales and never the
    other, so "yesss" is read only where the squeezing cannot change the answer.
    """

    words: frozenset[str]
    yes: frozenset[str]
    no: frozenset[str]


def _build(locales: tuple[Locale, ...]) -> Padding:
    """Gather the filler words and squeezed yes/no words of a set of locales."""
    polite = frozenset().union(*(locale.filler | locale.answer_filler for locale in locales))
    # A word that reads a score ("de" in "4 de 5") is never padding: "de 5" stays unread.
    scoring = frozenset().union(*(locale.out_of | locale.units for locale in locales))
    words = polite - scoring
    yes = {squeezed(word) for locale in locales for word in locale.yes}
    no = {squeezed(word) for locale in locales for word in locale.no}
    return Padding(words=words, yes=frozenset(yes - no), no=frozenset(no - yes))


# One entry per conversation language (read first) and one for all of a flow's languages.
PADDINGS = LocaleMemo(_build, size=64)
# Words of replies and the flow's labels recur: normalise each once.
_normal = lru_cache(maxsize=8192)(normalise)


def is_negative(text: str) -> bool:
    """Say whether a reply is a number with a minus sign (never a score or an option)."""
    return _NEGATIVE.match(text) is not None


def squeezed(word: str) -> str:
    """Write each run of one held-down letter once: "yesss" → "yes", "siii" → "si"."""
    return _HELD.sub(r"\1", word)


def unpadded(norm: str, locales: Sequence[Locale]) -> str:
    """Strip the polite words before and after an answer ("I'd say 4, thanks" → "4")."""
    return stripped(norm, PADDINGS.get(tuple(locales)).words)


def stripped(norm: str, padding: frozenset[str]) -> str:
    """Strip the words and phrases of `padding` from both ends of a normalised reply."""
    firsts, lasts = _ends(padding)
    words = norm.split()
    if not words or (_normal(words[0]) not in firsts and _normal(words[-1]) not in lasts):
        return norm  # the usual "4" or "yes": nothing polite at either end
    tokens = [token for token in (_normal(word) for word in norm.split()) if token]
    start, end = 0, len(tokens)
    while start < end:
        size = _phrase_at(tokens, start, end, padding, from_end=False)
        if not size:
            break
        start += size
    while end > start:
        size = _phrase_at(tokens, start, end, padding, from_end=True)
        if not size:
            break
        end -= size
    return " ".join(tokens[start:end])


@lru_cache(maxsize=64)
def _ends(padding: frozenset[str]) -> tuple[frozenset[str], frozenset[str]]:
    """Return the words polite phrases start with, and those they end with."""
    phrases = [phrase.split() for phrase in padding]
    return frozenset(p[0] for p in phrases if p), frozenset(p[-1] for p in phrases if p)


def _phrase_at(
    tokens: Sequence[str], start: int, end: int, padding: frozenset[str], *, from_end: bool
) -> int:
    """Return the length of the longest polite phrase at one end of tokens[start:end], or 0."""
    for size in range(min(_LONGEST, end - start), 0, -1):
        words = tokens[end - size : end] if from_end else tokens[start : start + size]
        if " ".join(words) in padding:
            return size
    return 0


def only_padding(norm: str, locale: Locale) -> bool:
    """Say whether a reply is nothing but one language's polite words ("um", "thanks").

    A word the language itself answers with is no padding, even where it pads ("un" in "un 4").
    """
    answers = (locale.yes, locale.no, locale.skip, locale.numbers)
    if not norm or any(norm in words for words in answers):
        return False
    return not unpadded(norm, (locale,))


def yes_or_no(norm: str, locales: Sequence[Locale]) -> bool | None:
    """Read a yes/no word; None when it is neither, or yes in one language and no in another."""
    is_yes = any(norm in locale.yes for locale in locales)
    is_no = any(norm in locale.no for locale in locales)
    return is_yes if norm and is_yes != is_no else None


def confirmation(text: str, locales: Sequence[Locale]) -> bool | None:
    """Read a reply to a yes/no confirmation: only a whole yes or no word of a locale counts.

    Stricter than an answer to a yes/no question (no digits, thumbs, held letters or reasons
    after a comma): a yes here deletes data, so it must be the word itself.
    """
    return yes_or_no(normalise(text), locales)


def held_yes_or_no(norm: str, locales: Sequence[Locale]) -> bool | None:
    """Read a yes/no word typed with held-down letters ("yesss", "nooo"); None otherwise."""
    padding = PADDINGS.get(tuple(locales))
    word = squeezed(norm)
    if word == norm:
        return None  # nothing held down ("o" is not Tagalog "oo")
    if word in padding.yes:
        return True
    if word in padding.no:
        return False
    return None


def end_label(node: Node, norm: str) -> int | None:
    """Read a scale's printed end label ("not at all", "completely") as its end's number."""
    ends = {node.min: node.min_label, node.max: node.max_label}
    hits = {
        value
        for value, labels in ends.items()
        if any(norm == _normal(label) for label in labels.values())
    }
    return hits.pop() if len(hits) == 1 else None
