"""Which language a survey starts in: hint, memory, the number's country, the default."""

from __future__ import annotations

import pytest

from bot.i18n.choice import choose_language, country_languages

OFFERED = ["en", "es", "zh", "vi", "tl", "ar", "ko", "ru", "ht", "so", "fr", "pt"]


@pytest.mark.parametrize(
    ("kwargs", "expected"),
    [
        ({"hint": "vi", "remembered": "es", "address": "+525512345678"}, "vi"),
        ({"hint": "xx", "remembered": "es"}, "es"),
        ({"remembered": "ko", "address": "+525512345678"}, "ko"),
        ({"address": "+525512345678"}, "es"),
        ({"address": "+84912345678"}, "vi"),
        ({"address": "+50937123456"}, "ht"),
        ({"address": "+639171234567"}, "en"),
        ({"address": "+15551230000"}, "en"),
        ({"address": "+15551230000", "default": "es"}, "es"),
        ({"address": "telegram-chat-42"}, "en"),
        ({}, "en"),
    ],
)
def test_choice_order(kwargs: dict[str, str], expected: str) -> None:
    assert choose_language(OFFERED, **kwargs) == expected


def test_home_region_numbers_say_nothing() -> None:
    assert list(country_languages("+15551230000", "US")) == []
    assert list(country_languages("+525512345678", "MX")) == []


def test_filipino_is_offered_as_tagalog() -> None:
    assert "tl" in list(country_languages("+639171234567", "US"))


def test_falls_back_to_the_first_offered_language() -> None:
    assert choose_language(["fr", "pt"], default="en") == "fr"


@pytest.mark.parametrize(
    ("tag", "expected"),
    [
        ("es-MX", "es"),
        ("pt-BR", "pt"),
        ("zh-CN", "zh"),
        ("zh-Hans", "zh"),
        ("fil", "tl"),
        ("EN", "en"),
        ("xx-YY", None),
        (None, None),
    ],
)
def test_region_tags_fall_back_to_their_base_language(
    tag: str | None, expected: str | None
) -> None:
    from bot.i18n.choice import offered_tag

    assert offered_tag(tag, OFFERED) == expected


THIRTEEN = [*OFFERED, "zh-Hant"]


@pytest.mark.parametrize(
    ("tag", "expected"),
    [
        ("zh-Hant", "zh-Hant"),
        ("zh-hant", "zh-Hant"),
        ("zh-TW", "zh-Hant"),
        ("zh_TW", "zh-Hant"),
        ("zh-HK", "zh-Hant"),
        ("zh-MO", "zh-Hant"),
        ("zh-Hant-TW", "zh-Hant"),
        ("yue", "zh-Hant"),
        ("yue-HK", "zh-Hant"),
        ("zh-CN", "zh"),
        ("zh-Hans", "zh"),
        ("zh-Hans-HK", "zh"),
        ("zh-SG", "zh"),
        ("zh", "zh"),
    ],
)
def test_traditional_chinese_tags_choose_traditional_chinese(tag: str, expected: str) -> None:
    from bot.i18n.choice import offered_tag

    assert offered_tag(tag, THIRTEEN) == expected


def test_traditional_tags_fall_back_to_chinese_where_it_is_not_offered() -> None:
    from bot.i18n.choice import offered_tag

    assert offered_tag("zh-TW", OFFERED) == "zh"


@pytest.mark.parametrize(
    ("address", "expected"),
    [("+886912345678", "zh-Hant"), ("+85291234567", "zh-Hant"), ("+8613812345678", "zh")],
)
def test_taiwan_and_hong_kong_numbers_start_in_traditional_chinese(
    address: str, expected: str
) -> None:
    assert choose_language(THIRTEEN, address=address) == expected
