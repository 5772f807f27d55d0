"""Erasure on request in a Telegram chat: the question comes with YES and NO buttons, a press
answers it, and the receipt reaches the chat after everything else is gone."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from flask import Flask
from flask.testing import FlaskClient

from bot.engine.locale import system_message
from tests.telegram_standin import TOKEN, TelegramStandIn, telegram_standin
from tests.web.telegram_helpers import SECRET, buttons_of, post_update, press, random_chat, update


@pytest.fixture()
def telegram() -> Iterator[TelegramStandIn]:
    """Serve a local stand-in of the Bot API."""
    with telegram_standin() as standin:
        yield standin


@pytest.fixture()
def app(make_app: Callable[..., Flask], telegram: TelegramStandIn, database_url: str) -> Flask:
    """Return an app with Telegram configured against the stand-in, on SQLite then PostgreSQL."""
    return make_app(
        database_url,
        telegram_bot_token=TOKEN,
        telegram_webhook_secret=SECRET,
        telegram_api_base_url=telegram.base_url,
    )


@pytest.fixture()
def bot(app: Flask) -> FlaskClient:
    """Return a test client of the app."""
    return app.test_client()


def said(app: Flask, language: str, key: str) -> str:
    """Render a system message as the services send it in `language`."""
    rt = app.extensions["parley.runtime"]
    return system_message(rt.locales, language, key, rt.context.values_for(language))


def held(app: Flask, chat: int) -> tuple[int, list[str | None]]:
    """Return the chat's conversations and the bodies of the messages left of it."""
    rt = app.extensions["parley.runtime"]
    with rt.uow() as uow:
        respondent = uow.respondents.find("telegram", str(chat))
        assert respondent is not None
        latest = uow.conversations.latest_for(respondent.id)
        last = uow.messages.last_outbound(respondent.id)
        return int(latest is not None), [last.body if last else None]


CHATS = [("en", "DELETE", "Yes"), ("es", "BORRAR", "Sí")]


@pytest.mark.parametrize(("language", "word", "yes"), CHATS)
def test_a_press_on_yes_erases_and_the_receipt_reaches_the_chat(
    app: Flask, bot: FlaskClient, telegram: TelegramStandIn, language: str, word: str, yes: str
) -> None:
    chat = random_chat()
    post_update(bot, update(chat, "/start", language_code=language))
    post_update(bot, update(chat, "SURVEY", language_code=language))
    assert held(app, chat)[0] == 1
    post_update(bot, update(chat, word, language_code=language))
    question = telegram.sent_to(chat)[-1]
    assert question["text"] == said(app, language, "erase_confirm")
    no = app.extensions["parley.runtime"].locales[language].no_label
    assert buttons_of(question) == [[(yes, "~erase_confirm:yes"), (no, "~erase_confirm:no")]]
    post_update(bot, press(chat, question, "~erase_confirm:yes", language_code=language))
    receipt = telegram.sent_to(chat)[-1]
    assert receipt["text"] == said(app, language, "erase_done")
    assert buttons_of(receipt) == [[("START", "~erase_done:start")]]
    assert held(app, chat) == (0, [receipt["text"]])
    with app.extensions["parley.runtime"].uow() as uow:
        kept = uow.respondents.find("telegram", str(chat))
        # The receipt is sent after the turn: the sealed chat id waits for retention.
        assert kept is not None and kept.address_enc != ""


def test_a_press_on_no_keeps_everything(
    app: Flask, bot: FlaskClient, telegram: TelegramStandIn
) -> None:
    chat = random_chat()
    post_update(bot, update(chat, "SURVEY"))
    post_update(bot, update(chat, "/delete"))
    question = telegram.sent_to(chat)[-1]
    assert question["text"] == said(app, "en", "erase_confirm")
    post_update(bot, press(chat, question, "~erase_confirm:no"))
    assert telegram.sent_to(chat)[-1]["text"] == said(app, "en", "erase_kept")
    assert held(app, chat)[0] == 1
