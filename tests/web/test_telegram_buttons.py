"""Answer buttons on Telegram: keyboards in the resident's language, presses current and not."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.telegram_standin import TOKEN, TelegramStandIn, telegram_standin
from tests.web.telegram_helpers import (
    SECRET,
    buttons_of,
    post_update,
    press,
    random_chat,
    update,
)

STALE = {
    "en": "This question has already been answered.",
    "es": "Esta pregunta ya tiene respuesta.",
}


@pytest.fixture()
def telegram() -> Iterator[TelegramStandIn]:
    """Serve a local stand-in of the Bot API."""
    with telegram_standin() as standin:
        yield standin


@pytest.fixture()
def bot(make_app: Callable[..., Flask], telegram: TelegramStandIn, tmp_path: Path) -> FlaskClient:
    """Return a test client of an app with Telegram configured against the stand-in."""
    app = make_app(
        f"sqlite:///{tmp_path / 'tg.db'}",
        telegram_bot_token=TOKEN,
        telegram_webhook_secret=SECRET,
        telegram_api_base_url=telegram.base_url,
    )
    return app.test_client()


def test_questions_carry_buttons_in_the_residents_language_without_the_hint(
    bot: FlaskClient, telegram: TelegramStandIn
) -> None:
    chat = random_chat()
    post_update(bot, update(chat, "/start", language_code="es"))
    (question,) = telegram.sent_to(chat)
    assert buttons_of(question) == [[("Sí", "listened:1"), ("No", "listened:2")]]
    assert "Responda SI o NO" not in question["text"]  # the hint gives way to the buttons
    assert question["text"].rstrip().endswith("¿El agente le ha escuchado cuando usted le hablaba?")


def test_a_press_answers_edits_the_question_and_asks_the_next(
    bot: FlaskClient, telegram: TelegramStandIn
) -> None:
    chat = random_chat()
    post_update(bot, update(chat, "/start"))
    question = telegram.sent_to(chat)[0]
    assert post_update(bot, press(chat, question, "listened:1")).status_code == 200
    (answered,) = telegram.called("answerCallbackQuery")
    assert answered.get("text") is None
    (edited,) = telegram.called("editMessageText")
    assert edited["message_id"] == question["message_id"]
    assert edited["text"].endswith("✓ Yes")
    assert "reply_markup" not in edited
    following = telegram.sent_to(chat)[-1]
    assert "dignity and respect" in following["text"]
    row = [("1", "respect:1"), ("2", "respect:2"), ("3", "respect:3")]
    assert buttons_of(following)[0][:3] == row
    assert len(buttons_of(following)) == 1


def test_typed_answers_still_work_beside_the_buttons(
    bot: FlaskClient, telegram: TelegramStandIn
) -> None:
    chat = random_chat()
    post_update(bot, update(chat, "/start"))
    post_update(bot, update(chat, "yes"))
    assert "dignity and respect" in telegram.texts_to(chat)[-1]


@pytest.mark.parametrize("language", ["en", "es"])
def test_a_press_on_an_earlier_question_gets_a_toast_and_changes_nothing(
    bot: FlaskClient, telegram: TelegramStandIn, language: str
) -> None:
    chat = random_chat()
    post_update(bot, update(chat, "/start", language_code=language))
    first = telegram.sent_to(chat)[0]
    post_update(bot, press(chat, first, "listened:1", language_code=language))
    sent, edits = len(telegram.messages), len(telegram.called("editMessageText"))
    assert post_update(bot, press(chat, first, "listened:2")).status_code == 200
    assert telegram.called("answerCallbackQuery")[-1]["text"] == STALE[language]
    assert (len(telegram.messages), len(telegram.called("editMessageText"))) == (sent, edits)


def test_a_press_after_the_survey_ended_gets_a_toast(
    bot: FlaskClient, telegram: TelegramStandIn
) -> None:
    chat = random_chat()
    post_update(bot, update(chat, "/start"))
    first = telegram.sent_to(chat)[0]
    post_update(bot, update(chat, "/stop"))
    sent = len(telegram.messages)
    post_update(bot, press(chat, first, "listened:1"))
    assert telegram.called("answerCallbackQuery")[-1]["text"] == STALE["en"]
    assert len(telegram.messages) == sent
    assert telegram.called("editMessageText") == []


def test_forged_presses_change_nothing(bot: FlaskClient, telegram: TelegramStandIn) -> None:
    chat, other = random_chat(), random_chat()
    post_update(bot, update(chat, "/start"))
    post_update(bot, update(other, "/start"))
    mine, theirs = telegram.sent_to(chat)[0], telegram.sent_to(other)[0]
    sent = len(telegram.messages)
    forged = [
        press(chat, theirs, "listened:1"),  # another chat's message, in this chat
        press(other, theirs, "listened:1", presser=chat),  # pressed by someone else
        press(chat, mine, "listened:7"),  # no such button
        press(chat, mine, "respect:1"),  # a button it never had
    ]
    for body in forged:
        assert post_update(bot, body).status_code == 200
    toasts = [call["text"] for call in telegram.called("answerCallbackQuery")]
    assert toasts == [STALE["en"]] * len(forged)
    assert len(telegram.messages) == sent
    assert telegram.called("editMessageText") == []
    # The real press still counts afterwards.
    post_update(bot, press(chat, mine, "listened:2"))
    assert "dignity and respect" in telegram.texts_to(chat)[-1]


def test_a_redelivered_press_is_answered_once(bot: FlaskClient, telegram: TelegramStandIn) -> None:
    chat = random_chat()
    post_update(bot, update(chat, "/start"))
    body = press(chat, telegram.sent_to(chat)[0], "listened:1")
    post_update(bot, body)
    post_update(bot, body)
    assert len(telegram.texts_to(chat)) == 2
