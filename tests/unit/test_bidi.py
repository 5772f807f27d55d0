"""Right-to-left SMS: marks exactly where mixed text needs them, none elsewhere."""

from __future__ import annotations

import pytest

from bot.i18n.bidi import RLM, prepare_rtl, strip_marks


def test_pure_arabic_gets_no_marks() -> None:
    text = "شكرا لوقتكم. هذا الاستبيان اختياري."
    assert prepare_rtl(text) == text


def test_latin_first_line_starts_right_to_left() -> None:
    marked = prepare_rtl("Springfield Police: شكرا لكم")
    assert marked.startswith(RLM + "Springfield Police" + RLM + ":")


def test_a_latin_phrase_stays_one_run() -> None:
    marked = prepare_rtl("شكرا Springfield Police Department. نعم")
    assert "Springfield Police Department" + RLM + "." in marked
    assert marked.count(RLM) == 1


def test_keyword_before_punctuation_keeps_its_side() -> None:
    marked = prepare_rtl("للإيقاف، أرسلوا STOP.")
    assert marked.endswith("STOP" + RLM + ".")


def test_each_line_is_its_own_paragraph() -> None:
    marked = prepare_rtl("سؤال؟\n1 Yes\n2 لا")
    lines = marked.split("\n")
    assert lines[0] == "سؤال؟"
    assert lines[1] == "1 Yes"  # an all-LTR line needs nothing
    assert lines[2] == "2 لا"


@pytest.mark.parametrize("control", ["\u200e", "\u202b", "\u2067", "\u202e"])
def test_stray_controls_are_removed(control: str) -> None:
    assert prepare_rtl(f"شكرا{control} لكم") == "شكرا لكم"
    assert strip_marks(f"Hello{control}") == "Hello"


def test_numbers_inside_arabic_need_no_marks() -> None:
    text = "اتصلوا على 555-0100 للمساعدة"
    assert prepare_rtl(text) == text
