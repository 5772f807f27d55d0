"""Read a call type as words, however a CAD system or a hurried dispatcher wrote it.

`fold` makes one spelling of many: NFKC (full-width letters, no-break spaces), no format
characters (category Cf: zero-width spaces, soft hyphens, byte-order marks, direction marks,
which a copy from a spreadsheet or a chat carries invisibly), case folded, accents removed
("Doméstica" -> "domestica"). `words` then splits on everything but letters and digits, and
joins runs of single letters into the initialism they spell ("D.V." and "D / V" -> "dv").

`word_matches` says whether one written word stands for one word of a known term: the word
itself; the word followed by a number ("DV1" for "dv"); an abbreviation of at least three
letters ("Dom" for "domestic", "Viol" for "violence"); or, for words of six letters or more,
one slip of the keyboard (a letter missing, added, changed, or two swapped: "Domestc").
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

# An abbreviation shorter than this says too little: "do" could be anything.
MIN_ABBREVIATION = 3
# Words this long tolerate one typo; a slip in a shorter word makes another word too easily.
TYPO_LENGTH = 6

_WORD = re.compile(r"[^\W_]+")


def fold(raw: str) -> str:
    """Fold width, invisible format characters, case and accents out of a call type."""
    text = unicodedata.normalize("NFKC", raw)
    text = "".join(ch for ch in text if unicodedata.category(ch) != "Cf")
    text = unicodedata.normalize("NFKD", text.casefold())
    return unicodedata.normalize("NFC", "".join(ch for ch in text if not unicodedata.combining(ch)))


def words(folded: str) -> tuple[str, ...]:
    """Split folded text into words, joining single letters into initialisms ("d v" -> "dv")."""
    joined: list[str] = []
    letters = ""
    for word in _WORD.findall(folded):
        if len(word) == 1 and word.isalpha():
            letters += word
            continue
        if letters:
            joined.append(letters)
            letters = ""
        joined.append(word)
    if letters:
        joined.append(letters)
    return tuple(joined)


def contains(written: Sequence[str], term: Sequence[str]) -> bool:
    """Say whether the written words hold the term's words in a row, each matched."""
    span = len(term)
    if span == 0:
        return False
    return any(
        all(word_matches(written[start + i], term[i]) for i in range(span))
        for start in range(len(written) - span + 1)
    )


def word_matches(word: str, term: str) -> bool:
    """Say whether a written word stands for a term's word (itself, numbered, short, mistyped)."""
    if word == term:
        return True
    if not term.isalpha():
        return False  # Numeric codes ("273.5", "5150") match only as written.
    if word.startswith(term) and word[len(term) :].isdigit():
        return True  # "DV1", "DV2": a numbered variant of the code.
    if not word.isalpha():
        return False
    if len(word) >= MIN_ABBREVIATION and term.startswith(word):
        return True
    return min(len(word), len(term)) >= TYPO_LENGTH and _one_slip(word, term)


def _one_slip(a: str, b: str) -> bool:
    """Say whether `a` and `b` differ by at most one edit (Damerau-Levenshtein distance ≤ 1)."""
    if abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        diffs = [i for i in range(len(a)) if a[i] != b[i]]
        if len(diffs) <= 1:
            return True
        first, second = diffs[0], diffs[-1]
        # Two neighbouring letters swapped: "domestci".
        return (
            len(diffs) == 2
            and second == first + 1
            and (a[first], a[second]) == (b[second], b[first])
        )
    shorter, longer = (a, b) if len(a) < len(b) else (b, a)
    return any(longer[:i] + longer[i + 1 :] == shorter for i in range(len(longer)))
