"""Choose the language to survey a resident in, before they have said a word."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

import phonenumbers
from babel.languages import get_official_languages

TRADITIONAL, CHINESE = "zh-Hant", "zh"

# Babel's codes where Parley's differ: Filipino is written as Tagalog (tl) in our locales, and
# Cantonese is written in Traditional characters.
ALIASES = {"fil": "tl", "yue": TRADITIONAL}
# Subtags of a Chinese tag that mean Traditional characters: the script, or a region writing it.
_TRADITIONAL_SUBTAGS = frozenset({"hant", "tw", "hk", "mo"})


def country_languages(address: str, home_region: str) -> Iterator[str]:
    """Yield the official languages of a foreign phone number's country, most used first.

    A number from the agency's own region says nothing about its owner's language, so it
    yields nothing; a Mexican or Vietnamese number in a US city is a useful first guess.
    """
    try:
        number = phonenumbers.parse(address, None)
    except phonenumbers.NumberParseException:
        return
    region = phonenumbers.region_code_for_number(number)
    if not region or region == home_region.upper():
        return
    for code in get_official_languages(region, de_facto=True):
        base, _, script = code.partition("_")
        # "zh_Hant" (Taiwan, Hong Kong) keeps its script: it says which Chinese to write.
        yield ALIASES.get(base, base) + (f"-{script}" if script else "")


def choose_language(
    offered: Sequence[str],
    *,
    hint: str | None = None,
    remembered: str | None = None,
    address: str | None = None,
    home_region: str = "US",
    default: str = "en",
) -> str:
    """Pick the trigger's hint, else the remembered language, else the number's, else default."""
    guesses: list[str | None] = [hint, remembered]
    if address:
        guesses.extend(country_languages(address, home_region))
    guesses.append(default)
    for guess in guesses:
        chosen = offered_tag(guess, offered)
        if chosen is not None:
            return chosen
    return offered[0]


def offered_tag(tag: str | None, offered: Sequence[str]) -> str | None:
    """Match a language tag to an offered language: exactly, else by its base (es-MX → es).

    Chinese goes by script: zh-Hant, zh-TW, zh-HK, zh-MO and Cantonese (yue) are Traditional
    Chinese when it is offered; zh-CN, zh-Hans and plain zh are Simplified.
    """
    if not tag:
        return None
    if tag in offered:
        return tag
    parts = tag.replace("_", "-").lower().split("-")
    base = ALIASES.get(parts[0], parts[0])
    if base == TRADITIONAL or (
        base == CHINESE and "hans" not in parts and not _TRADITIONAL_SUBTAGS.isdisjoint(parts)
    ):
        return TRADITIONAL if TRADITIONAL in offered else _offered(CHINESE, offered)
    return _offered(base, offered)


def _offered(code: str, offered: Sequence[str]) -> str | None:
    """Return `code` if it is offered, matching case-insensitively ("zh-hant")."""
    return next((language for language in offered if language.lower() == code.lower()), None)
