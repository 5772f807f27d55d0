"""Tell a reply's language from its writing system: Hangul, Arabic, Cyrillic, Han, kana."""

from __future__ import annotations

from bisect import bisect_right
from collections import Counter

# (first, last, script) code point ranges of the non-Latin scripts residents may write in.
_RANGES = sorted(
    [
        (0x0370, 0x03FF, "greek"),
        (0x0400, 0x052F, "cyrillic"),
        (0x0530, 0x058F, "armenian"),
        (0x0590, 0x05FF, "hebrew"),
        (0x0600, 0x06FF, "arabic"),
        (0x0750, 0x077F, "arabic"),
        (0x0900, 0x097F, "devanagari"),
        (0x0980, 0x09FF, "bengali"),
        (0x0B80, 0x0BFF, "tamil"),
        (0x0E00, 0x0E7F, "thai"),
        (0x10A0, 0x10FF, "georgian"),
        (0x1100, 0x11FF, "hangul"),
        (0x1200, 0x139F, "ethiopic"),
        (0x1780, 0x17FF, "khmer"),
        (0x1C80, 0x1C8F, "cyrillic"),
        (0x3040, 0x30FF, "kana"),
        (0x3130, 0x318F, "hangul"),
        (0x31F0, 0x31FF, "kana"),
        (0x3400, 0x4DBF, "han"),
        (0x4E00, 0x9FFF, "han"),
        (0xA960, 0xA97F, "hangul"),
        (0xAC00, 0xD7AF, "hangul"),
        (0xF900, 0xFAFF, "han"),
        (0xFB50, 0xFDFF, "arabic"),
        (0xFE70, 0xFEFF, "arabic"),
        (0xFF66, 0xFF9F, "kana"),
        (0x20000, 0x2FA1F, "han"),
    ]
)
_STARTS = [first for first, _, _ in _RANGES]

# The language a script stands for among residents. Arabic script is also Persian and Urdu,
# Cyrillic also Ukrainian, but Arabic and Russian are the ones Parley may offer.
SCRIPT_LANGUAGES = {
    "arabic": "ar",
    "armenian": "hy",
    "bengali": "bn",
    "cyrillic": "ru",
    "devanagari": "hi",
    "ethiopic": "am",
    "georgian": "ka",
    "greek": "el",
    "han": "zh",
    "hangul": "ko",
    "hebrew": "he",
    "kana": "ja",
    "khmer": "km",
    "tamil": "ta",
    "thai": "th",
}

# Latin letters only Vietnamese uses among the offered languages: ă đ ĩ ũ ơ ư and the block of
# tone-marked vowels (ạ ả ấ … ỹ). â ê ô à á are French or Portuguese too, so they say nothing.
_VIETNAMESE = frozenset("ăđĩũơư" + "".join(chr(point) for point in range(0x1EA0, 0x1EFA)))


def script_of(char: str) -> str | None:
    """Name the non-Latin script a character belongs to, or None (Latin, digits, emoji)."""
    point = ord(char)
    index = bisect_right(_STARTS, point) - 1
    if index < 0:
        return None
    first, last, script = _RANGES[index]
    return script if first <= point <= last else None


def script_language(folded: str) -> str | None:
    """Give the language of the reply's main non-Latin script, or None if it has none.

    Any letter in another script outweighs Latin ones: "OK 好的" is Chinese, the OK a loan.
    Kana beside Han means Japanese, whose texts mix both.
    """
    if folded.isascii():
        return None
    counts = Counter(
        script
        for char in folded
        if ord(char) >= 0x0370 and char.isalpha() and (script := script_of(char)) is not None
    )
    if not counts:
        return None
    if "kana" in counts:
        counts["kana"] += counts.pop("han", 0)
    return SCRIPT_LANGUAGES[counts.most_common(1)[0][0]]


def has_vietnamese_letters(folded: str) -> bool:
    """Say whether a case-folded, composed (NFC) text holds a letter only Vietnamese uses."""
    return not folded.isascii() and not _VIETNAMESE.isdisjoint(folded)
