"""Count the SMS segments a text takes, as carriers bill it: GSM-7 when it can, else UCS-2."""

from __future__ import annotations

# GSM 03.38 default alphabet: one septet each.
GSM7_BASIC = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
# The extension table: an escape septet plus one, so two septets each.
GSM7_EXTENSION = frozenset("\f^{}\\[~]|€")

GSM7_SINGLE, GSM7_PART = 160, 153  # septets; a multi-part message loses 7 to its header
UCS2_SINGLE, UCS2_PART = 70, 67  # UTF-16 code units


def is_gsm7(text: str) -> bool:
    """Say whether every character of `text` can be sent in the GSM-7 alphabet."""
    return all(char in GSM7_BASIC or char in GSM7_EXTENSION for char in text)


def segments(text: str) -> int:
    """Return how many SMS segments `text` is sent in (0 for an empty text)."""
    if not text:
        return 0
    if is_gsm7(text):
        return _count([2 if char in GSM7_EXTENSION else 1 for char in text], GSM7_SINGLE, GSM7_PART)
    # Characters outside the Basic Multilingual Plane (most emoji) take two UTF-16 units.
    return _count([2 if ord(char) > 0xFFFF else 1 for char in text], UCS2_SINGLE, UCS2_PART)


def _count(sizes: list[int], single: int, part: int) -> int:
    """Fill parts of `part` units, never splitting one character (escape or surrogate pair)."""
    if sum(sizes) <= single:
        return 1
    parts, used = 1, 0
    for size in sizes:
        if used + size > part:
            parts, used = parts + 1, 0
        used += size
    return parts
