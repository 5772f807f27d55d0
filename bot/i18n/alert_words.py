"""Find the words that raise an alert in a resident's free text, in any offered language.

Each language lists words and phrases per category (force, threats, injury, weapons,
discrimination) in locales/alert_words/<lang>.yaml. Text and words are compared folded: case
folded, accents and other combining marks removed (Arabic short vowels and hamza seats too), so
"Golpeó", "golpeo" and "GOLPEÓ" are one word. A word matches whole ("hit" is not in "white"), a
trailing `*` takes any ending ("punch*": punched), a language may list the prefixes its
words take (Arabic "و", "ال": "وهددني" is "هددني"), and it may match from the start of a word
(Korean, whose particles attach to the word) or anywhere (Chinese, written unspaced).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum

CATEGORIES = ("force", "threats", "injury", "weapons", "discrimination")
# Letters residents write interchangeably: Arabic forms, and Latin letters whose stroke no
# decomposition removes (Vietnamese typed without diacritics writes "danh" for "đánh").
_FORMS = str.maketrans({"ى": "ي", "ـ": None, "ة": "ه", "đ": "d", "ł": "l", "ø": "o"})


class Boundary(StrEnum):
    """Where a listed word may sit in the text."""

    WORDS = "words"  # whole words and phrases only
    PREFIX = "prefix"  # at the start of a word (endings attached)
    ANYWHERE = "anywhere"  # inside any run of text (unspaced scripts)


def fold(text: str) -> str:
    """Return text case-folded, without accents or combining marks, spaces made single."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    bare = unicodedata.normalize("NFC", bare).translate(_FORMS)
    return " ".join(re.sub(r"[^\w\s]", " ", bare).split())


@dataclass(frozen=True)
class WordList:
    """One language's alert words, compiled: a pattern per category."""

    language: str
    patterns: Mapping[str, re.Pattern[str]] = field(default_factory=dict)

    @classmethod
    def build(
        cls,
        language: str,
        words: Mapping[str, Iterable[str]],
        boundary: Boundary = Boundary.WORDS,
        prefixes: Iterable[str] = (),
    ) -> WordList:
        """Compile each category's words into one pattern."""
        lead = "|".join(sorted({re.escape(fold(p)) for p in prefixes if fold(p)}, key=len))
        lead = f"(?:{lead})?" if lead else ""
        patterns = {}
        for category, entries in words.items():
            found = {_pattern(w, boundary, lead) for w in entries if fold(w)}
            # Longest first: the word reported is the longest listed one that matched.
            alternatives = sorted(found, key=len)
            if alternatives:
                patterns[category] = re.compile("|".join(reversed(alternatives)))
        return cls(language, patterns)

    def find(self, text: str) -> dict[str, str]:
        """Return each category the text touches, with the first word that matched it."""
        folded = fold(text)
        found = {}
        for category, pattern in self.patterns.items():
            match = pattern.search(folded)
            if match is not None:
                found[category] = match.group(0)
        return found


def _pattern(word: str, boundary: Boundary, lead: str) -> str:
    """Return the regular expression for one listed word or phrase."""
    stem = word.strip().endswith("*")
    body = re.escape(fold(word.strip().rstrip("*")))
    if boundary is Boundary.ANYWHERE:
        return body
    tail = r"\w*" if stem or boundary is Boundary.PREFIX else r"(?!\w)"
    return rf"(?<!\w){lead}{body}{tail}"


def mentions(lists: Mapping[str, WordList], text: str, languages: Iterable[str]) -> dict[str, str]:
    """Return the categories `text` mentions in any of `languages` (each with its word)."""
    found: dict[str, str] = {}
    for language in dict.fromkeys(languages):
        words = lists.get(language) or lists.get(language.split("-")[0])
        if words is not None:
            for category, word in words.find(text).items():
                found.setdefault(category, word)
    return found
