"""Normalise residents' replies for matching, and render message templates without failing."""

from __future__ import annotations

import re
import string
import unicodedata
from collections.abc import Mapping
from functools import lru_cache

# Characters that ride along with emoji and carry no meaning for matching: variation selectors,
# the keycap combiner (so "4️⃣" = "4" U+FE0F U+20E3 becomes "4"), zero-width joiners/spaces.
# Typographic quotes become ASCII ones so "don’t" from a phone keyboard matches "don't".
_TRANSLATE: dict[int, str | None] = {
    **dict.fromkeys(map(ord, "\ufe0e\ufe0f\u20e3\u200b\u200c\u200d\u2060"), None),
    0x1F51F: "10",  # KEYCAP TEN: NFKC leaves it alone, residents use it for "10".
    0x2018: "'",
    0x2019: "'",
    0x02BC: "'",
    0x201C: '"',
    0x201D: '"',
}
_ASCII_EDGES = string.punctuation + string.whitespace
_FIELD = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")
_FORMATTER = string.Formatter()
Part = tuple[str, str | None, str | None, str | None]


def normalise(text: str) -> str:
    """Reduce a reply to the canonical form every word list and label is compared in."""
    if text.isascii():
        # Fast path for the common case: casefold is lower() for ASCII, nothing to decompose.
        return " ".join(text.lower().strip(_ASCII_EDGES).split())
    text = unicodedata.normalize("NFKC", text).translate(_TRANSLATE).casefold()
    text = _ascii_digits(_strip_latin_accents(text))
    return " ".join(_strip_edges(text).split())


def words_of(norm: str) -> list[str]:
    """Split a normalised text into words, dropping punctuation and emoji between them."""
    keep = "".join(
        char
        if char.isalnum() or char in "'-" or unicodedata.category(char).startswith("M")
        else " "
        for char in norm
    )
    return keep.split()


def _strip_latin_accents(text: str) -> str:
    """Drop combining marks that sit on Latin letters only (é→e, ñ→n, ệ→e).

    Marks on other scripts are letters in their own right (Cyrillic й, Devanagari vowel signs),
    and Hangul syllables decompose into jamo under NFD, so everything else is kept and
    recomposed with NFC.
    """
    kept: list[str] = []
    on_latin = False
    for char in unicodedata.normalize("NFD", text):
        if unicodedata.combining(char):
            if not on_latin:
                kept.append(char)
            continue
        on_latin = _is_latin(char)
        kept.append(char)
    return unicodedata.normalize("NFC", "".join(kept))


@lru_cache(maxsize=4096)
def _is_latin(char: str) -> bool:
    """Say whether a character belongs to the Latin script."""
    return unicodedata.name(char, "").startswith("LATIN")


def _ascii_digits(text: str) -> str:
    """Turn every decimal digit form (Arabic-Indic ٤, dingbat ❶, ...) into its ASCII digit."""
    if not any(char.isdigit() and not char.isascii() for char in text):
        return text
    return "".join(_ascii_digit(char) for char in text)


def _ascii_digit(char: str) -> str:
    """Return the ASCII digit a character stands for, or the character itself."""
    if char.isascii():
        return char
    digit = unicodedata.digit(char, None)
    return char if digit is None else str(digit)


def _is_word_char(char: str) -> bool:
    """Say whether a character belongs to a word (letters, digits and their marks)."""
    return char.isalnum() or unicodedata.category(char).startswith("M")


def _strip_edges(text: str) -> str:
    """Drop punctuation, symbols (emoji) and spaces around the words, keeping those inside."""
    start, end = 0, len(text)
    while start < end and not _is_word_char(text[start]):
        start += 1
    while end > start and not _is_word_char(text[end - 1]):
        end -= 1
    return text[start:end]


def render(template: str, values: Mapping[str, str]) -> str:
    """Fill `{name}` placeholders from values, leaving unknown ones as written; never raise."""
    if "{" not in template and "}" not in template:
        return template
    parts = _parts(template)
    if parts is None:
        # Unbalanced braces: substitute the well-formed placeholders and keep the rest verbatim.
        return _FIELD.sub(lambda match: values.get(match.group(1), match.group(0)), template)
    out: list[str] = []
    for literal, field, spec, conversion in parts:
        out.append(literal)
        if field is not None:
            out.append(_fill(field, spec or "", conversion, values))
    return "".join(out)


# Templates come from a few flow and locale files and are rendered on every turn.
@lru_cache(maxsize=2048)
def _parts(template: str) -> tuple[Part, ...] | None:
    """Split a template into (literal, field, spec, conversion) parts; None if malformed."""
    try:
        return tuple(_FORMATTER.parse(template))
    except ValueError:
        return None


def _fill(field: str, spec: str, conversion: str | None, values: Mapping[str, str]) -> str:
    """Render one placeholder, or give it back as written when it cannot be filled."""
    value = values.get(field)
    if value is not None and not spec and not conversion:
        return value  # the usual "{agency}"
    as_written = "{" + field + (f"!{conversion}" if conversion else "")
    as_written += (f":{spec}" if spec else "") + "}"
    if value is None:
        return as_written
    converted = {"r": repr, "a": ascii}.get(conversion or "s", str)(value)
    try:
        return format(converted, spec)
    except ValueError:
        return as_written


def placeholders(template: str) -> frozenset[str]:
    """List the placeholder names a template uses (`{agency}` gives "agency")."""
    parts = _parts(template)
    if parts is None:
        return frozenset(_FIELD.findall(template))
    # "{a.b}" and "{a[0]}" name the placeholder "a"; odd names are kept so checks can report them.
    return frozenset(
        re.split(r"[.\[]", field, maxsplit=1)[0] for _, field, _, _ in parts if field is not None
    )
