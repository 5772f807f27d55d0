"""Telegram's answer buttons laid out from the engine's prompts (no network, no database)."""

from __future__ import annotations

from bot.channels.telegram_buttons import keyboard, telegram_texts
from bot.engine.model import NodeKind, Prompt, PromptOption


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
