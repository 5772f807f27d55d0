"""Recognise global keywords (stop, nosurvey, erase, start, help, language) in a message.

Choices, and why:
- A keyword is normally the whole message after normalise(), so "STOP", "stop.", " Stop! " and
  "No más" match while "I was stopped for speeding" does not.
- Opting out is different: missing it means texting someone who asked us to stop, which is
  worse than asking a resident who did not mean it to text START. So stop is also found
  (1) inside any message through a few unambiguous English phrases ("stop texting",
  "unsubscribe", "remove me"...), and (2) in a short message made only of a stop keyword plus
  filler words ("stop please", "please stop", "parar por favor", "no más mensajes").
  Filler words are required because "stop" is a noun in police work: "the traffic stop was fair"
  must stay an answer. They come from the locales' `filler:` lists plus a built-in English one,
  shared by every language since residents write STOP with their own "please" ("stop po").
  In scripts written without spaces they may be glued on: "请停止" (请 + 停止), "중지해주세요".
- The carriers' standard English keywords are always on, whatever the locales say: STOP,
  STOPALL, UNSUBSCRIBE, CANCEL, END, QUIT, REVOKE, OPTOUT, OPT OUT; START, UNSTOP; HELP, INFO.
  "YES" is deliberately not a start keyword: it answers yes/no questions.
- Words that answer questions are never keywords, even if a locale lists them: the locales'
  yes/no words ("no", "yes") and bare numbers ("1").
- Some stop words are also ordinary answers: "no más" and "huwag na po" answer "anything
  else?", "the end" ends a comment. They are listed apart (`stop_alone:`; the carriers' END is
  one) and opt out only as the whole message, give or take punctuation: "No más" stops, "No
  más, gracias" is an answer. Unambiguous stops keep their filler ("stop, thanks").
- NOSURVEY puts a resident on the do-not-survey list for good; STOP stops every text until
  START. The literal NOSURVEY and NO SURVEY work whatever the locales say, like the carriers'
  words. A message made only of no-survey words and filler ("no more surveys please") is
  nosurvey: it names what to stop. "Stop" with filler stays stop, even when the filler is
  "survey" ("stop the survey", "cancel the survey"), and so does a message with both a stop
  word and a no-survey phrase ("STOP NOSURVEY"): a resident who writes STOP gets no texts.
- ERASE (DELETE, BORRAR, 删除...) asks for the resident's data to be deleted. It is only ever the
  whole message, like HELP: "he deleted the video" stays an answer. Nothing is deleted on the
  word alone: the services ask for a YES first, so a mistaken match costs one question.
  A word that is also a stop or no-survey keyword stays that: opting out comes first.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from bot.engine.locale import LocaleMemo, may_join
from bot.engine.model import Locale
from bot.engine.text import normalise, words_of

STOP, NOSURVEY, START, HELP, LANGUAGE = "stop", "nosurvey", "start", "help", "language"
ERASE = "erase"
# Stop words that are also answers: they opt out only as the whole message.
STOP_ALONE = "stop_alone"
# When a word is a keyword of several kinds, the first kind here wins: opting out first.
KINDS = (STOP, STOP_ALONE, NOSURVEY, ERASE, START, HELP, LANGUAGE)
# What a message matching a kind's words is: a lone stop_alone word is a stop.
_HIT_KIND = {STOP_ALONE: STOP}
# The kinds also found among filler words in a short message, in the order they are tried.
_AMONG_FILLER = (NOSURVEY, STOP)
BUILT_IN_LANGUAGE = "en"
BUILT_IN: Mapping[str, frozenset[str]] = {
    STOP: frozenset(
        {"stop", "stopall", "stop all", "unsubscribe", "cancel", "quit", "revoke"}
        | {"optout", "opt out", "opt-out"}
    ),
    # "The end" closes many a comment: the carriers' END opts out only alone.
    STOP_ALONE: frozenset({"end"}),
    NOSURVEY: frozenset({"nosurvey", "nosurveys", "no survey", "no surveys", "no-survey"}),
    START: frozenset({"start", "unstop"}),
    HELP: frozenset({"help", "info"}),
    # The whole message only: "delete" inside an answer is an answer.
    ERASE: frozenset({"delete", "delete my data", "erase", "erase my data"}),
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
# Words that may surround a stop keyword in a short opt-out message. Each locale adds its own
# (`filler:`); these English ones are always on, like the carriers' English keywords.
# fmt: off
BUILT_IN_FILLER = frozenset({
    "please", "pls", "plz", "now", "it", "me", "us", "thanks", "thank", "you", "thx", "ty", "ok",
    "okay", "just", "all", "right", "away", "immediately", "already", "asap", "the", "this",
    "these", "those", "your", "texts", "text", "messages", "message", "texting", "messaging",
    "sms", "survey", "surveys",
})
# fmt: on
# Longest message, in words and in characters, searched for a stop keyword among filler words.
# The character bound keeps the search short for scripts written without spaces.
_SHORT_MESSAGE = 6
_SHORT_CHARACTERS = 60


@dataclass(frozen=True)
class KeywordHit:
    """A recognised keyword: its kind (stop, nosurvey, ...) and the language it was in."""

    kind: str
    language: str


Row = tuple[str, str, frozenset[str]]


@dataclass(frozen=True)
class Table:
    """The words matched against every message, built once per set of locales.

    `rows` lists (kind, language, words) in priority order; `filler` is every locale's filler
    words and the built-in ones; `words` every stop and every nosurvey keyword, by kind;
    `beside_stop` the filler and the nosurvey keywords, which may surround a stop keyword;
    `longest` the length of the longest of all those words, which bounds the pieces a message
    is cut into.
    """

    rows: Sequence[Row]
    filler: frozenset[str]
    words: Mapping[str, frozenset[str]]
    beside_stop: frozenset[str]
    longest: int


def match_keyword(text: str, locales: Iterable[Locale]) -> KeywordHit | None:
    """Return the global keyword a message is, or None when it is an ordinary reply."""
    norm = normalise(text)
    if not norm:
        return None
    table = _memo_table(tuple(locales))
    for kind, language, words in table.rows:
        if norm in words:
            return KeywordHit(kind=_HIT_KIND.get(kind, kind), language=language)
    return _alone(norm, table) or _stop_intent(norm, table)


def _alone(norm: str, table: Table) -> KeywordHit | None:
    """Find a stop word that is also an answer, alone but for punctuation or emoji inside."""
    bare = " ".join(words_of(norm))
    if bare == norm:
        return None  # already compared as the whole message
    for kind, language, words in table.rows:
        if kind == STOP_ALONE and bare in words:
            return KeywordHit(kind=STOP, language=language)
    return None


def _build_table(locales: tuple[Locale, ...]) -> Table:
    """Gather the keyword rows, the filler words and the bounds of a search for opt-outs."""
    rows = _rows(locales)
    by_kind = {
        kind: frozenset().union(*(words for row_kind, _, words in rows if row_kind == kind))
        for kind in _AMONG_FILLER
    }
    # Filler is shared by every language: residents write "STOP" (the word every message
    # gives) with their own "please" ("stop por favor", "stop po").
    filler = BUILT_IN_FILLER.union(*(locale.filler for locale in locales))
    filler = frozenset(word for word in filler if not word.isdigit())
    longest = max(map(len, filler.union(*by_kind.values())), default=0)
    beside_stop = filler | by_kind[NOSURVEY]
    return Table(rows, filler, by_kind, beside_stop, longest)


# Tables built per set of locale objects: every message is checked, the locales rarely change.
_TABLES = LocaleMemo(_build_table)


def _memo_table(locales: tuple[Locale, ...]) -> Table:
    """Return the keyword table for these locale objects, built once."""
    return _TABLES.get(locales)


def _rows(locales: Sequence[Locale]) -> list[Row]:
    """List (kind, language, words) in priority order: the locales' words, then built-ins."""
    answers = frozenset().union(*(locale.yes | locale.no for locale in locales))
    rows: list[Row] = []
    for kind in KINDS:
        for locale in locales:
            words = (normalise(word) for word in locale.keywords.get(kind, ()))
            usable = {word for word in words if word and word not in answers}
            rows.append((kind, locale.code, frozenset(w for w in usable if not w.isdigit())))
        rows.append((kind, BUILT_IN_LANGUAGE, BUILT_IN.get(kind, frozenset())))
    return rows


def _stop_intent(norm: str, table: Table) -> KeywordHit | None:
    """Find a no-survey or stop keyword among filler words, or an opt-out phrase anywhere."""
    words = words_of(norm)
    text = " ".join(words)
    short = len(words) <= _SHORT_MESSAGE and len(text) <= _SHORT_CHARACTERS
    if short and (found := _among_filler(text, NOSURVEY, table, table.filler)):
        return found
    if any(f" {phrase} " in f" {text} " for phrase in _OPT_OUT_PHRASES):
        return KeywordHit(kind=STOP, language=BUILT_IN_LANGUAGE)
    # A no-survey phrase beside a stop word ("STOP NOSURVEY") reads as filler: stop wins.
    return _among_filler(text, STOP, table, table.beside_stop) if short else None


def _among_filler(text: str, kind: str, table: Table, filler: frozenset[str]) -> KeywordHit | None:
    """Find a keyword of `kind` in a short message made only of such keywords and filler."""
    if not any(word in text for word in table.words[kind]):
        return None  # the usual case: no such keyword anywhere in the message
    pieces = _pieces(text, table.longest)
    seen = {piece for starting in pieces.values() for _, piece in starting}
    for row_kind, language, keywords in table.rows:
        if row_kind != kind or keywords.isdisjoint(seen):
            continue
        if _only_filler_around(pieces, len(text), keywords, filler):
            return KeywordHit(kind=kind, language=language)
    return None


Pieces = dict[int, list[tuple[int, str]]]


def _pieces(text: str, longest: int) -> Pieces:
    """Map each place a word may start to the (next start, piece) pairs beginning there.

    Words start and end at spaces, and also between two characters of a script written without
    spaces ("请停止" is 请 + 停止), so keywords and filler may be glued together there. A piece
    may hold spaces: keywords and filler can be phrases ("no más", "por favor").
    """
    size = len(text)
    spaces = {i for i, char in enumerate(text) if char == " "}
    joins: set[int] = set()
    if not text.isascii():  # the scripts that glue words are never ASCII
        joins = {i for i in range(1, size) if may_join(text[i - 1], text[i])}
        joins -= spaces | {i + 1 for i in spaces}
    ends = sorted({size} | joins | spaces)
    starts = {0} | joins | {i + 1 for i in spaces}
    pieces: Pieces = {}
    for start in sorted(starts):
        pieces[start] = [
            (end + 1 if end < size and text[end] == " " else end, text[start:end])
            for end in ends
            if start < end <= start + longest
        ]
    return pieces


def _only_filler_around(
    pieces: Pieces, size: int, keywords: frozenset[str], filler: frozenset[str]
) -> bool:
    """Say whether a message splits into filler words and at least one of the keywords."""
    # reached[i]: the message up to i splits into keywords and filler; True if a keyword is in.
    reached: dict[int, bool] = {0: False}
    for start, starting in sorted(pieces.items()):
        if start not in reached:
            continue
        for after, piece in starting:
            is_keyword = piece in keywords
            if is_keyword or piece in filler:
                reached[after] = reached.get(after, False) or reached[start] or is_keyword
    return reached.get(size, False)
