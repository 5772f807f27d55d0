"""Recognise global keywords (stop, start, help, language) in a resident's message.

Choices, and why:
- A keyword is normally the whole message after normalise(), so "STOP", "stop.", " Stop! " and
  "No más" match while "I was stopped for speeding" does not.
- Opting out is different: missing it means texting someone who asked us to stop, which is
  worse than asking a resident who did not mean it to text START. So stop is also found
  (1) inside any message through a few unambiguous English phrases ("stop texting",
  "unsubscribe", "remove me"...), and (2) in a short message made only of a stop keyword plus
  filler words ("stop please", "please stop", "parar por favor", "no más mensajes").
  Filler words are required because "stop" is a noun in police work: "the traffic stop was fair"
  must stay an answer.
- The carriers' standard English keywords are always on, whatever the locales say: STOP,
  STOPALL, UNSUBSCRIBE, CANCEL, END, QUIT, REVOKE, OPTOUT, OPT OUT; START, UNSTOP; HELP, INFO.
  "YES" is deliberately not a start keyword: it answers yes/no questions.
- Words that answer questions are never keywords, even if a locale lists them: the locales'
  yes/no words ("no", "yes") and bare numbers ("1").
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from bot.engine.model import Locale
from bot.engine.text import normalise

STOP, START, HELP, LANGUAGE = "stop", "start", "help", "language"
# When a word is a keyword of several kinds, the first kind here wins: opting out first.
KINDS = (STOP, START, HELP, LANGUAGE)
BUILT_IN_LANGUAGE = "en"
BUILT_IN: Mapping[str, frozenset[str]] = {
    STOP: frozenset(
        {"stop", "stopall", "stop all", "unsubscribe", "cancel", "end", "quit", "revoke"}
        | {"optout", "opt out", "opt-out"}
    ),
    START: frozenset({"start", "unstop"}),
    HELP: frozenset({"help", "info"}),
}
# Phrases that mean "opt me out" wherever they appear in a message.
_OPT_OUT_PHRASES = (
    "stop texting",
    "stop messaging",
    "stop sending",
    "stop contacting",
    "stop calling",
    "stop all",
    "stopall",
    "unsubscribe",
    "optout",
    "opt out",
    "opt-out",
    "do not text",
    "don't text",
    "dont text",
    "do not contact",
    "don't contact",
    "dont contact",
    "remove me",
    "take me off",
    "leave me alone",
    "no more texts",
    "no more messages",
)
# Words that may surround a stop keyword in a short opt-out message, in English and Spanish.
# fmt: off
_FILLER = frozenset({
    "please", "pls", "plz", "now", "it", "me", "us", "thanks", "thank", "you", "ok", "okay",
    "just", "all", "right", "away", "immediately", "already", "asap", "the", "this", "these",
    "those", "your", "texts", "text", "messages", "message", "texting", "messaging", "sms",
    "survey", "surveys",
    "por", "favor", "ya", "gracias", "mensajes", "mensaje", "textos", "de", "los", "las", "la",
    "esto", "ahora", "inmediatamente", "encuesta",
})
# fmt: on
# Longest message (in words) searched for a stop keyword among filler words.
_SHORT_MESSAGE = 6


@dataclass(frozen=True)
class KeywordHit:
    """A recognised keyword: its kind (stop, start, help, language) and the language it was in."""

    kind: str
    language: str


Table = Sequence[tuple[str, str, frozenset[str]]]


def match_keyword(text: str, locales: Iterable[Locale]) -> KeywordHit | None:
    """Return the global keyword a message is, or None when it is an ordinary reply."""
    norm = normalise(text)
    if not norm:
        return None
    table = _memo_table(tuple(locales))
    for kind, language, words in table:
        if norm in words:
            return KeywordHit(kind=kind, language=language)
    return _stop_intent(norm, table)


# Tables built per set of locale objects: every message is checked, the locales rarely change.
_TABLES: dict[tuple[int, ...], tuple[tuple[Locale, ...], Table]] = {}


def _memo_table(locales: tuple[Locale, ...]) -> Table:
    """Return the keyword table for these locale objects, built once."""
    key = tuple(id(locale) for locale in locales)
    hit = _TABLES.get(key)
    # Holding the locales in the entry keeps their ids from being reused by other objects.
    if hit is not None and all(a is b for a, b in zip(hit[0], locales, strict=True)):
        return hit[1]
    if len(_TABLES) >= 16:
        _TABLES.clear()
    table = _table(locales)
    _TABLES[key] = (locales, table)
    return table


def _table(locales: Sequence[Locale]) -> Table:
    """List (kind, language, words) in priority order: the locales' words, then built-ins."""
    answers = frozenset().union(*(locale.yes | locale.no for locale in locales))
    rows: list[tuple[str, str, frozenset[str]]] = []
    for kind in KINDS:
        for locale in locales:
            words = (normalise(word) for word in locale.keywords.get(kind, ()))
            usable = {word for word in words if word and word not in answers}
            rows.append((kind, locale.code, frozenset(w for w in usable if not w.isdigit())))
        rows.append((kind, BUILT_IN_LANGUAGE, BUILT_IN.get(kind, frozenset())))
    return rows


def _words_of(norm: str) -> list[str]:
    """Split a normalised message into words, dropping punctuation and emoji between them."""
    keep = "".join(
        char
        if char.isalnum() or char in "'-" or unicodedata.category(char).startswith("M")
        else " "
        for char in norm
    )
    return keep.split()


def _stop_intent(norm: str, table: Table) -> KeywordHit | None:
    """Find an opt-out phrase anywhere, or a stop keyword among filler words in a short message."""
    words = _words_of(norm)
    padded = f" {' '.join(words)} "
    if any(f" {phrase} " in padded for phrase in _OPT_OUT_PHRASES):
        return KeywordHit(kind=STOP, language=BUILT_IN_LANGUAGE)
    if len(words) > _SHORT_MESSAGE:
        return None
    for kind, language, keywords in table:
        if kind == STOP and _only_filler_around(padded, keywords):
            return KeywordHit(kind=STOP, language=language)
    return None


def _only_filler_around(padded: str, keywords: frozenset[str]) -> bool:
    """Say whether removing the keywords from a message leaves only filler words."""
    rest, found = padded, False
    for keyword in keywords:
        while f" {keyword} " in rest:
            rest, found = rest.replace(f" {keyword} ", " "), True
    return found and all(word in _FILLER for word in rest.split())
