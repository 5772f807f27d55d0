"""Recognise a reply that looks like an emergency ("help me", "911", "ayuda", "救命").

Parley's number is not watched by anyone, so a resident in danger must be told to call the
emergency number instead. Choices, and why:
- Each locale lists its own words and phrases (`emergency:`); every language's list is checked,
  since a resident in danger writes in whatever language comes first. The emergency numbers
  themselves (911, or the agency's) count too.
- A word or phrase must stand whole, after normalise(): "help" is found in "please help
  someone is breaking in" but not in "helpful". In scripts written without spaces (Chinese,
  Japanese, Korean) a phrase is found anywhere in the message ("快来救命").
- Erring towards the pointer is cheap (it is sent once per conversation, and the reply is not
  lost: the question is asked again); missing a resident in danger is not.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from bot.engine.locale import LocaleMemo, unspaced
from bot.engine.model import Locale
from bot.engine.text import normalise, words_of

DEFAULT_NUMBERS = ("911",)


@dataclass(frozen=True)
class EmergencyWords:
    """Every locale's emergency words: `spaced` matched as whole words, `glued` anywhere."""

    spaced: frozenset[str]
    glued: frozenset[str]
    # The most words in one spaced phrase: a message is looked up by its runs of that many.
    longest: int = 1


def looks_like_emergency(
    text: str, locales: Iterable[Locale], numbers: Iterable[str] = DEFAULT_NUMBERS
) -> bool:
    """Say whether a message looks like a call for help that the survey line must not hold."""
    norm = normalise(text)
    if not norm:
        return False
    words = _memo_words(tuple(locales))
    tokens = words_of(norm)
    if not {normalise(number) for number in numbers if number.strip()}.isdisjoint(tokens):
        return True
    # Every run of up to `longest` words, looked up at once: the check costs a few set
    # lookups per word however many phrases the locales list.
    runs = {
        " ".join(tokens[start:end])
        for start in range(len(tokens))
        for end in range(start + 1, min(len(tokens), start + words.longest) + 1)
    }
    if not words.spaced.isdisjoint(runs):
        return True
    return any(phrase in norm for phrase in words.glued)


def _build_words(locales: tuple[Locale, ...]) -> EmergencyWords:
    """Sort every locale's emergency words into whole-word ones and ones written unspaced."""
    every = frozenset().union(*(locale.emergency for locale in locales))
    glued = frozenset(word for word in every if any(map(unspaced, word)))
    spaced = frozenset(" ".join(words_of(word)) for word in every - glued)
    spaced = frozenset(word for word in spaced if word)
    longest = max((len(word.split()) for word in spaced), default=1)
    return EmergencyWords(spaced=spaced, glued=glued, longest=longest)


# Built once per set of locale objects: every reply is checked.
_WORDS = LocaleMemo(_build_words)


def _memo_words(locales: tuple[Locale, ...]) -> EmergencyWords:
    """Return the emergency words of these locale objects, sorted once."""
    return _WORDS.get(locales)
