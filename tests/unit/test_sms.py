"""SMS segment counting: GSM-7 (160/153 septets, extension characters count two) or UCS-2."""

from __future__ import annotations

import pytest

from bot.i18n.sms import GSM7_BASIC, GSM7_EXTENSION, is_gsm7, segments


def test_the_gsm7_alphabet_has_127_basic_characters_and_10_extensions() -> None:
    # 128 code points minus the escape; the extension table holds \f ^ { } \ [ ~ ] | €.
    assert len(GSM7_BASIC) == 127
    assert frozenset("\f^{}\\[~]|€") == GSM7_EXTENSION
    assert not GSM7_BASIC & GSM7_EXTENSION


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", 0),
        ("a", 1),
        ("a" * 160, 1),
        ("a" * 161, 2),
        ("a" * 306, 2),
        ("a" * 307, 3),
        # Spanish letters that GSM-7 has: ñ, é, ¿, ¡, ü.
        ("¿Señor Müller, qué tal? ¡Bien!" + "a" * 130, 1),
        # An extension character takes two septets.
        ("€" * 80, 1),
        ("€" * 81, 2),
        ("a" * 159 + "€", 2),
    ],
)
def test_gsm7_texts_fill_160_septets_then_parts_of_153(text: str, expected: int) -> None:
    assert is_gsm7(text)
    assert segments(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("á", 1),
        ("á" * 70, 1),
        ("á" * 71, 2),
        ("á" * 134, 2),
        ("á" * 135, 3),
        # Outside the BMP an emoji is two UTF-16 units: 35 of them fill one part.
        ("👍" * 35, 1),
        ("👍" * 36, 2),
    ],
)
def test_other_texts_travel_as_ucs2_in_70_units_then_parts_of_67(text: str, expected: int) -> None:
    assert not is_gsm7(text)
    assert segments(text) == expected


def test_an_escape_pair_is_never_split_across_parts() -> None:
    # 152 septets, then "€" (2) does not fit the first part of 153: it opens a second one.
    text = "a" * 152 + "€" + "a" * 152
    assert segments(text) == 3
    assert segments("a" * 151 + "€" + "a" * 153) == 2


def test_a_surrogate_pair_is_never_split_across_parts() -> None:
    # 66 units, then a 2-unit emoji does not fit the first part of 67.
    assert segments("á" * 66 + "👍" + "á" * 66) == 3
    assert segments("á" * 65 + "👍" + "á" * 67) == 2


def test_one_accent_outside_gsm7_switches_the_whole_text_to_ucs2() -> None:
    gsm = "Gracias por su tiempo. " * 4
    assert segments(gsm) == 1
    assert segments(gsm + "ó") == 2
