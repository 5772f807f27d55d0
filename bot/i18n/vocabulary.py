"""Gather, per language, the words residents answer with: our locales, flows and common words."""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass

from bot.engine.model import Flow, Locale, Node
from bot.engine.text import normalise
from bot.i18n.wordlists import COMMON_WORDS, NEUTRAL

# Runs of letters: digits, punctuation, emoji and apostrophes split words ("c'est" → c, est).
_WORD = re.compile(r"[^\W\d_]+")
Languages = frozenset[str]
# Kinds of entry: an answer ("yes", "no gracias"), a number word, a language's name.
ANSWER, NUMBER, NAME = "answer", "number", "name"


@dataclass(frozen=True)
class Vocabulary:
    """Which languages use each word and each whole answer.

    `words` is keyed by the accent-free form, `accented` by the form as written (only for words
    with accents: "très" is French where "tres" is also Spanish), `phrases` by the whole
    answer's words joined by single spaces.
    """

    words: Mapping[str, Languages]
    accented: Mapping[str, Languages]
    phrases: Mapping[str, Languages]

    def languages_of(self, word: str, plain: str) -> Languages:
        """Return the languages a word belongs to, trusting its accented form first."""
        if word != plain:
            found = self.accented.get(word)
            if found is not None:
                return found
        return self.words.get(plain, frozenset())


def fold(text: str) -> str:
    """Compose and case-fold a text, keeping its accents (é, ơ) and its scripts."""
    if text.isascii():
        return text.lower()
    return unicodedata.normalize("NFKC", text).casefold()


def words_of(folded: str) -> list[tuple[str, str]]:
    """Split a folded text into (word as written, accent-free word) pairs."""
    if folded.isascii():
        return [(word, word) for word in _WORD.findall(folded)]
    return [(word, word if word.isascii() else normalise(word)) for word in _WORD.findall(folded)]


def phrase_key(pairs: Iterable[tuple[str, str]]) -> str:
    """Key a whole answer by its accent-free words, ignoring punctuation and spacing."""
    return " ".join(plain for _, plain in pairs)


def build_vocabulary(
    locales: Mapping[str, Locale], flows: Mapping[str, Flow], languages: Iterable[str]
) -> Vocabulary:
    """Index the answer words of every offered language: locales, flows, then common words."""
    offered = frozenset(languages)
    words: dict[str, set[str]] = defaultdict(set)
    accented: dict[str, set[str]] = defaultdict(set)
    phrases: dict[str, set[str]] = defaultdict(set)
    for language, entry, kind in _entries(locales, flows):
        if language not in offered:
            continue
        pairs = words_of(fold(entry))
        # Number words stay words: locales store them without accents, so as whole answers
        # they would outvote the word lists on collisions accents told apart (vi "bốn", "bon").
        if len(pairs) > 1 or (pairs and kind != NUMBER and pairs[0][1] not in NEUTRAL):
            phrases[phrase_key(pairs)].add(language)
        if kind != NAME:
            _index(pairs, language, words, accented)
    for language, text in COMMON_WORDS.items():
        if language in offered:
            _index(words_of(fold(text)), language, words, accented)
    return Vocabulary(_frozen(words), _frozen(accented), _frozen(phrases))


def _index(
    pairs: Iterable[tuple[str, str]],
    language: str,
    words: dict[str, set[str]],
    accented: dict[str, set[str]],
) -> None:
    """Add each word of an entry to the language's word sets, skipping neutral words."""
    for word, plain in pairs:
        if plain in NEUTRAL:
            continue
        words[plain].add(language)
        if word != plain:
            accented[word].add(language)


def _frozen(index: Mapping[str, set[str]]) -> dict[str, Languages]:
    """Freeze an index's language sets, sharing one frozenset per distinct set."""
    shared: dict[Languages, Languages] = {}
    return {
        key: shared.setdefault(frozenset(value), frozenset(value)) for key, value in index.items()
    }


def _entries(
    locales: Mapping[str, Locale], flows: Mapping[str, Flow]
) -> Iterator[tuple[str, str, str]]:
    """Yield (language, entry, kind) for every word list of our locales and flows.

    Language names are whole answers only: "tiếng anh" names English, but its words are not
    English words, so they must not count as such inside a sentence.
    """
    for code, locale in locales.items():
        for entry in locale.names:
            yield code, entry, NAME
        for entry in locale.numbers:
            yield code, entry, NUMBER
        lists: list[Iterable[str]] = [locale.yes, locale.no, locale.skip]
        lists.extend(locale.keywords.values())
        for entries in lists:
            for entry in entries:
                yield code, entry, ANSWER
    for flow in flows.values():
        for language, entries in flow.keywords.items():
            for entry in entries:
                yield language, entry, ANSWER
        for node in flow.nodes.values():
            yield from _node_entries(node)


def _node_entries(node: Node) -> Iterator[tuple[str, str, str]]:
    """Yield the answer words a node accepts or shows: labels, synonyms, skip words."""
    texts: list[Mapping[str, str]] = [node.min_label, node.max_label]
    texts.extend(option.label for option in node.options)
    for text in texts:
        for language, entry in text.items():
            yield language, entry, ANSWER
    lists = [node.skip_words, *(option.synonyms for option in node.options)]
    for word_lists in lists:
        for language, entries in word_lists.items():
            for entry in entries:
                yield language, entry, ANSWER
