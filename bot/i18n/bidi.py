"""Make right-to-left SMS read correctly: direction marks only where mixed text needs them."""

from __future__ import annotations

import unicodedata

from bot.engine.model import Locale

RLM = "\u200f"
LRM = "\u200e"
# Marks and isolates that break rendering on phones that ignore or show them; we never send
# stray ones, and we place our own.
_DIRECTION_CONTROLS = dict.fromkeys(
    map(ord, "\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
)
_STRONG_LTR = {"L"}
_STRONG_RTL = {"R", "AL"}
_NEUTRAL = {"WS", "ON", "CS", "ES", "ET", "B", "S"}


def _kind(char: str) -> str:
    """Classify a character's direction as 'ltr', 'rtl', or 'other' (digits, punctuation)."""
    bidi = unicodedata.bidirectional(char)
    if bidi in _STRONG_LTR:
        return "ltr"
    if bidi in _STRONG_RTL:
        return "rtl"
    return "other"


def prepare_rtl(text: str) -> str:
    """Return an RTL message with the marks mixed text needs, and no others.

    Two things go wrong on phones with Arabic text that contains Latin words (an agency name,
    STOP, a phone number): a paragraph whose first strong letter is Latin is laid out
    left-to-right, and punctuation after a Latin run sticks to it on the wrong side. An RLM at
    the start of such a line, and after each Latin run that neutral characters follow, fixes
    both; pure Arabic text gets no marks at all.
    """
    clean = text.translate(_DIRECTION_CONTROLS)
    return "\n".join(_prepare_line(line) for line in clean.split("\n"))


def _prepare_line(line: str) -> str:
    """Mark one line (a paragraph on the phone) of RTL text."""
    kinds = [_kind(char) for char in line]
    if "rtl" not in kinds or "ltr" not in kinds:
        return line  # single-direction text needs nothing
    strong = [kind for kind in kinds if kind != "other"]
    out = [RLM] if strong[0] == "ltr" else []
    for index, char in enumerate(line):
        out.append(char)
        if kinds[index] == "ltr" and _latin_run_ends(kinds, index):
            out.append(RLM)
    return "".join(out)


def _latin_run_ends(kinds: list[str], index: int) -> bool:
    """Say whether the Latin run through `index` ends here, before neutrals and RTL text.

    Words of one Latin phrase ("Springfield Police") stay one run: a mark between them would
    make the phone lay them out right-to-left, in reverse order.
    """
    following = kinds[index + 1 :]
    if not following or following[0] != "other":
        return False
    next_strong = next((kind for kind in following if kind != "other"), None)
    return next_strong != "ltr"


def for_locale(text: str, locale: Locale | None) -> str:
    """Prepare an outgoing message in a locale: direction marks for right-to-left ones."""
    if locale is not None and locale.direction == "rtl":
        return prepare_rtl(text)
    return text


def strip_marks(text: str) -> str:
    """Remove every direction control (for LTR messages, and before comparing texts)."""
    return text.translate(_DIRECTION_CONTROLS)
