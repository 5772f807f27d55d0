"""System menus on Telegram: a button per language, offers of a word, presses checked."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from bot.engine.locale import system_message
from tests.telegram_standin import TOKEN, TelegramStandIn, telegram_standin
from tests.web.helpers import post_sms, random_number, reply
from tests.web.telegram_helpers import (
    SECRET,
    buttons_of,
    post_update,
    press,
    random_chat,
    update,
)

STALE = "This question has already been answered."
STALE_ES = "Esta pregunta ya tiene respuesta."
INTROS = [("en", "Choose your language:"), ("es", "Elija su idioma:")]
SPANISH_QUESTION = "¿El agente le ha escuchado cuando usted le hablaba?"
SPANISH_BUTTONS = [[("Sí", "listened:1"), ("No", "listened:2")]]


@pytest.fixture()
def telegram() -> Iterator[TelegramStandIn]:
    """Serve a local stand-in of the Bot API."""
    with telegram_standin() as standin:
        yield standin


@pytest.fixture()
def app(make_app: Callable[..., Flask], telegram: TelegramStandIn, tmp_path: Path) -> Flask:
    """Return an app with Telegram configured against the stand-in."""
    return make_app(
        f"sqlite:///{tmp_path / 'tg.db'}",
        telegram_bot_token=TOKEN,
        telegram_webhook_secret=SECRET,
        telegram_api_base_url=telegram.base_url,
    )


@pytest.fixture()
def bot(app: Flask) -> FlaskClient:
    """Return a test client of the app."""
    return app.test_client()


def menu_of(
    bot: FlaskClient, telegram: TelegramStandIn, chat: int, **fields: Any
) -> dict[str, Any]:
    """Send /language from `chat` and return the menu message it got."""
    post_update(bot, update(chat, "/language", **fields))
    return telegram.sent_to(chat)[-1]


def language_of(app: Flask, chat: int) -> tuple[str | None, str | None]:
    """Return the chat's remembered language and its open conversation's, if any."""
    rt = app.extensions["parley.runtime"]
    with rt.uow() as uow:
        respondent = uow.respondents.find("telegram", str(chat))
        conversation = uow.conversations.open_for(respondent.id)
        return respondent.language, conversation.language if conversation else None


@pytest.mark.parametrize(
    ("language", "intro"), [("en", "Choose your language:"), ("es", "Elija su idioma:")]
)
def test_the_menu_is_a_button_per_language_in_the_residents_language(
    app: Flask, bot: FlaskClient, telegram: TelegramStandIn, language: str, intro: str
) -> None:
    chat = random_chat()
    post_update(bot, update(chat, "/start", language_code=language))
    menu = menu_of(bot, telegram, chat, language_code=language)
    assert menu["text"] == intro  # no numbers to type: the buttons say it
    rt = app.extensions["parley.runtime"]
    offered = rt.flows["post_contact"].languages
    rows = buttons_of(menu)
    assert [button for row in rows for button in row] == [
        (rt.locales[code].name, f"~language:{code}") for code in offered
    ]
    assert all(2 <= len(row) <= 3 for row in rows)
    assert all(len(data.encode()) <= 64 for row in rows for _, data in row)


def test_a_press_switches_to_spanish_and_asks_again_in_it(
    app: Flask, bot: FlaskClient, telegram: TelegramStandIn
) -> None:
    chat = random_chat()
    post_update(bot, update(chat, "/start"))
    menu = menu_of(bot, telegram, chat)
    assert post_update(bot, press(chat, menu, "~language:es")).status_code == 200
    assert telegram.called("answerCallbackQuery")[-1].get("text") is None
    (edited,) = telegram.called("editMessageText")
    assert edited["message_id"] == menu["message_id"]
    assert edited["text"].endswith("✓ Español")
    assert language_of(app, chat) == ("es", "es")
    following = telegram.sent_to(chat)[-1]
    assert following["text"].rstrip().endswith(SPANISH_QUESTION)
    assert buttons_of(following) == SPANISH_BUTTONS
    # The question is answered in Spanish from here on.
    post_update(bot, press(chat, following, "listened:1"))
    assert "dignidad" in telegram.texts_to(chat)[-1]


def test_a_press_without_a_survey_sets_the_language(
    app: Flask, bot: FlaskClient, telegram: TelegramStandIn
) -> None:
    chat = random_chat()
    menu = menu_of(bot, telegram, chat)
    post_update(bot, press(chat, menu, "~language:es"))
    assert language_of(app, chat) == ("es", None)
    assert (
        telegram.texts_to(chat)[-1]
        == app.extensions["parley.runtime"].locales["es"].messages["language_set"]
    )


def test_a_press_on_a_stale_menu_gets_a_toast_and_changes_nothing(
    app: Flask, bot: FlaskClient, telegram: TelegramStandIn
) -> None:
    chat = random_chat()
    post_update(bot, update(chat, "/start"))
    first = menu_of(bot, telegram, chat)
    post_update(bot, press(chat, first, "~language:es"))
    second = menu_of(bot, telegram, chat, language_code="es")
    third = menu_of(bot, telegram, chat, language_code="es")
    sent, edits = len(telegram.messages), len(telegram.called("editMessageText"))
    for stale in (press(chat, first, "~language:fr"), press(chat, second, "~language:fr")):
        assert post_update(bot, stale).status_code == 200
        assert (
            telegram.called("answerCallbackQuery")[-1]["text"]
            == "Esta pregunta ya tiene respuesta."
        )
    assert (len(telegram.messages), len(telegram.called("editMessageText"))) == (sent, edits)
    assert language_of(app, chat) == ("es", "es")
    # The newest menu still works.
    post_update(bot, press(chat, third, "~language:fr"))
    assert language_of(app, chat) == ("fr", "fr")


def test_forged_menu_presses_change_nothing(
    app: Flask, bot: FlaskClient, telegram: TelegramStandIn
) -> None:
    chat, other = random_chat(), random_chat()
    post_update(bot, update(chat, "/start"))
    mine = menu_of(bot, telegram, chat)
    theirs = menu_of(bot, telegram, other)
    question = telegram.sent_to(chat)[0]
    sent = len(telegram.messages)
    forged = [
        press(chat, theirs, "~language:es"),  # another chat's menu, in this chat
        press(other, theirs, "~language:es", presser=chat),  # pressed by someone else
        press(chat, mine, "~language:xx"),  # no such language
        press(chat, mine, "~language:es " + "x" * 40),  # made-up data
        press(chat, mine, "~help:es"),  # no such menu
        press(chat, question, "~language:es"),  # a question has no language buttons
    ]
    for body in forged:
        assert post_update(bot, body).status_code == 200
    toasts = [call["text"] for call in telegram.called("answerCallbackQuery")]
    assert toasts == [STALE] * len(forged)
    assert len(telegram.messages) == sent
    assert telegram.called("editMessageText") == []
    assert language_of(app, chat) == ("en", "en")
    assert language_of(app, other)[0] is None


@pytest.mark.parametrize("typed", ["2", "Español", "español por favor"])
def test_typed_choices_still_switch(
    app: Flask, bot: FlaskClient, telegram: TelegramStandIn, typed: str
) -> None:
    chat = random_chat()
    post_update(bot, update(chat, "/start"))
    menu_of(bot, telegram, chat)
    number = str(app.extensions["parley.runtime"].flows["post_contact"].languages.index("es") + 1)
    post_update(bot, update(chat, number if typed == "2" else typed))
    assert language_of(app, chat) == ("es", "es")
    following = telegram.sent_to(chat)[-1]
    assert following["text"].rstrip().endswith(SPANISH_QUESTION)
    assert buttons_of(following) == SPANISH_BUTTONS


def opted_out(app: Flask, chat: int) -> bool:
    """Say whether the chat's resident is opted out."""
    rt = app.extensions["parley.runtime"]
    with rt.uow() as uow:
        return uow.respondents.find("telegram", str(chat)).opted_out_at is not None


def test_the_stop_confirmation_offers_start_as_a_button(
    app: Flask, bot: FlaskClient, telegram: TelegramStandIn
) -> None:
    chat = random_chat()
    post_update(bot, update(chat, "/start"))
    post_update(bot, update(chat, "/stop"))
    confirmation = telegram.sent_to(chat)[-1]
    assert confirmation["text"].endswith("To sign up again, reply START.")
    assert buttons_of(confirmation) == [[("START", "~stop_confirm:start")]]
    assert opted_out(app, chat)
    post_update(bot, press(chat, confirmation, "~stop_confirm:start"))
    assert not opted_out(app, chat)
    assert "you're subscribed again" in telegram.texts_to(chat)[-1]
    # Pressed again, the confirmation is stale: nothing more is sent.
    sent = len(telegram.messages)
    post_update(bot, press(chat, confirmation, "~stop_confirm:start"))
    assert telegram.called("answerCallbackQuery")[-1]["text"] == STALE
    assert len(telegram.messages) == sent


@pytest.mark.parametrize(("language", "word"), [("en", "SURVEY"), ("es", "ENCUESTA")])
def test_the_pointer_offers_the_survey_keyword_as_a_button(
    app: Flask, bot: FlaskClient, telegram: TelegramStandIn, language: str, word: str
) -> None:
    chat = random_chat()
    post_update(bot, update(chat, "hello there", language_code=language))
    (pointer,) = telegram.sent_to(chat)
    assert word in pointer["text"]
    assert buttons_of(pointer) == [[(word, "~unknown:post_contact")]]
    post_update(bot, press(chat, pointer, "~unknown:post_contact", language_code=language))
    question = telegram.sent_to(chat)[-1]
    assert buttons_of(question)[0][0][1] == "listened:1"
    assert language_of(app, chat)[1] == language


def test_sms_offers_read_as_they_always_have(app: Flask) -> None:
    rt = app.extensions["parley.runtime"]
    client, number = app.test_client(), random_number()
    values = {**rt.context.values_for("en"), "keyword": "SURVEY"}
    said = system_message(rt.locales, "en", "unknown", values)
    assert reply(post_sms(client, number, "hello there")) == said
    stopped = system_message(rt.locales, "en", "stop_confirm", rt.context.values_for("en"))
    assert reply(post_sms(client, number, "STOP")) == stopped
