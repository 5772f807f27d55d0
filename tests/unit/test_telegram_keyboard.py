"""Telegram's answer buttons laid out from the engine's prompts (no network, no database)."""

from __future__ import annotations

from bot.channels.telegram_buttons import keyboard, telegram_texts
from bot.engine.model import NodeKind, Prompt, PromptOption
from bot.engine.render import text_of


def _numbers(low: int, high: int) -> tuple[PromptOption, ...]:
    return tuple(PromptOption(n, str(n)) for n in range(low, high + 1))


def test_nps_comes_in_two_rows() -> None:
    prompt = Prompt("How likely…?", NodeKind.NPS, "nps", _numbers(0, 10), "Reply 0-10.")
    rows = keyboard([prompt])
    assert rows is not None
    assert [len(row) for row in rows] == [6, 5]
    assert rows[0][0] == ("0", "nps:0") and rows[1][-1] == ("10", "nps:10")


def test_a_choice_has_one_option_a_row_and_yes_no_answers_as_digits() -> None:
    options = (PromptOption("wait_time", "La espera"), PromptOption("other", "Otra cosa"))
    choice = Prompt("¿Qué falló?", NodeKind.CHOICE, "what", options, "")
    assert keyboard([choice]) == (
        (("La espera", "what:wait_time"),),
        (("Otra cosa", "what:other"),),
    )
    yes_no = Prompt(
        "Ok?", NodeKind.YES_NO, "ok", (PromptOption(True, "Oui"), PromptOption(False, "Non"))
    )
    assert keyboard([yes_no]) == ((("Oui", "ok:1"), ("Non", "ok:2")),)


def test_texts_drop_the_hints_of_questions_with_buttons_only() -> None:
    intro = Prompt("Welcome.", NodeKind.MESSAGE)
    scale = Prompt("Rate it.", NodeKind.SCALE, "rate", _numbers(1, 5), "Reply 1 to 5.")
    text = Prompt("Anything else?", NodeKind.TEXT, "comment", (), "Or reply SKIP.")
    assert telegram_texts([intro, scale, text]) == (
        "Welcome.",
        "Rate it.",
        "Anything else?\nOr reply SKIP.",
    )
    assert keyboard([intro, text]) is None


def _languages(count: int) -> tuple[PromptOption, ...]:
    return tuple(PromptOption(f"l{n}", f"Language {n}", key=str(n)) for n in range(1, count + 1))


def test_a_menu_goes_two_or_three_a_row_as_evenly_as_it_can() -> None:
    layouts = {}
    for count in (1, 2, 3, 4, 5, 7, 12, 13):
        menu = Prompt("Choose:", NodeKind.CHOICE, None, _languages(count), "Reply 1:", "language")
        rows = keyboard([menu])
        assert rows is not None
        assert [data for row in rows for _, data in row] == [
            f"~language:l{n}" for n in range(1, count + 1)
        ]
        layouts[count] = [len(row) for row in rows]
    assert layouts == {
        1: [1],
        2: [2],
        3: [3],
        4: [2, 2],
        5: [3, 2],
        7: [3, 2, 2],
        12: [3, 3, 3, 3],
        13: [3, 3, 3, 2, 2],
    }


def test_a_menu_shows_its_text_above_buttons_and_its_hint_with_numbers_in_a_text() -> None:
    options = (PromptOption("en", "English", key="1"), PromptOption("es", "Español", key="4"))
    menu = Prompt("Choose:", NodeKind.CHOICE, None, options, "Reply with a number:", "language")
    assert telegram_texts([menu]) == ("Choose:",)
    assert text_of(menu) == "Reply with a number:\n1 English\n4 Español"


def test_an_offer_is_its_text_everywhere_with_its_word_as_a_button() -> None:
    option = PromptOption("start", "START")
    offer = Prompt("Stopped. Reply START.", NodeKind.MESSAGE, options=(option,), menu="stop")
    assert telegram_texts([offer]) == ("Stopped. Reply START.",)
    assert text_of(offer) == "Stopped. Reply START."
    assert keyboard([offer]) == ((("START", "~stop:start"),),)
