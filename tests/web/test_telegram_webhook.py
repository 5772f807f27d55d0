"""Telegram's webhook: the secret, malformed bodies, redeliveries, chats and update kinds."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.telegram_standin import TOKEN, TelegramStandIn, telegram_standin
from tests.web.telegram_helpers import PATH, SECRET, buttons_of, post_update, random_chat, update


@pytest.fixture()
def telegram() -> Iterator[TelegramStandIn]:
    """Serve a local stand-in of the Bot API."""
    with telegram_standin() as standin:
        yield standin


@pytest.fixture()
def make_bot_app(
    make_app: Callable[..., Flask], telegram: TelegramStandIn, tmp_path: Path
) -> Callable[..., Flask]:
    """Return a builder of apps with Telegram configured against the stand-in."""

    def build(**overrides: object) -> Flask:
        settings = {
            "telegram_bot_token": TOKEN,
            "telegram_webhook_secret": SECRET,
            "telegram_api_base_url": telegram.base_url,
            **overrides,
        }
        return make_app(f"sqlite:///{tmp_path / 'tg.db'}", **settings)

    return build


@pytest.fixture()
def bot(make_bot_app: Callable[..., Flask]) -> FlaskClient:
    """Return a test client of an app with Telegram configured."""
    return make_bot_app().test_client()


def test_an_update_with_the_secret_is_answered_in_the_chat(
    bot: FlaskClient, telegram: TelegramStandIn
) -> None:
    chat = random_chat()
    response = post_update(bot, update(chat, "/start"))
    assert response.status_code == 200
    assert response.data == b""
    (text,) = telegram.texts_to(chat)
    assert "Springfield Police" in text
    assert "Did the officer listen" in text


@pytest.mark.parametrize("secret", [None, "", "wrong-secret", SECRET + "x"])
def test_a_missing_or_wrong_secret_is_refused(
    bot: FlaskClient, telegram: TelegramStandIn, secret: str | None
) -> None:
    response = post_update(bot, update(random_chat(), "/start"), secret=secret)
    assert response.status_code == 403
    assert telegram.calls == []


@pytest.mark.parametrize("secret", [None, SECRET, ""])
def test_every_update_is_refused_while_no_secret_is_configured(
    make_bot_app: Callable[..., Flask], telegram: TelegramStandIn, secret: str | None
) -> None:
    client = make_bot_app(telegram_webhook_secret="").test_client()
    response = post_update(client, update(random_chat(), "/start"), secret=secret)
    assert response.status_code == 403
    assert "not configured" in response.get_json()["reason"]


@pytest.mark.parametrize("body", [{"hello": 1}, [1, 2], {"update_id": "7"}, "text"])
def test_a_body_that_is_not_an_update_gets_400(bot: FlaskClient, body: object) -> None:
    assert post_update(bot, body).status_code == 400


def test_a_body_that_is_not_json_gets_400(bot: FlaskClient) -> None:
    headers = {"X-Telegram-Bot-Api-Secret-Token": SECRET}
    assert bot.post(PATH, data=b"\x00not json", headers=headers).status_code == 400


def test_a_repeated_update_is_stored_and_answered_once(
    bot: FlaskClient, telegram: TelegramStandIn
) -> None:
    chat = random_chat()
    first = update(chat, "/start")
    assert post_update(bot, first).status_code == 200
    assert post_update(bot, first).status_code == 200
    assert len(telegram.texts_to(chat)) == 1


def test_a_group_chat_gets_one_short_explanation_and_nothing_else(
    bot: FlaskClient, telegram: TelegramStandIn
) -> None:
    group = -random_chat()
    body = update(group, "/start", chat={"id": group, "type": "group", "title": "Block party"})
    assert post_update(bot, body).status_code == 200
    assert post_update(bot, body).status_code == 200  # Telegram delivered it again
    (text,) = telegram.texts_to(group)
    assert "private chat" in text
    assert "Did the officer" not in text


def test_a_sticker_is_asked_to_be_typed_in_the_residents_language(
    bot: FlaskClient, telegram: TelegramStandIn
) -> None:
    chat = random_chat()
    post_update(bot, update(chat, "/start", language_code="es"))
    sticker = {
        "file_id": "CAAD",
        "file_unique_id": "AQAD",
        "type": "regular",
        "width": 512,
        "height": 512,
        "is_animated": False,
        "is_video": False,
    }
    assert post_update(bot, update(chat, sticker=sticker)).status_code == 200
    texts = telegram.texts_to(chat)
    assert len(texts) == 2
    assert "solo podemos leer mensajes de texto" in texts[1]
    assert "escuchado" in texts[1]  # the question again


def test_an_edited_message_is_ignored(bot: FlaskClient, telegram: TelegramStandIn) -> None:
    chat = random_chat()
    post_update(bot, update(chat, "/start"))
    assert post_update(bot, update(chat, "yes", kind="edited_message")).status_code == 200
    assert len(telegram.texts_to(chat)) == 1


def test_stop_and_help_commands_are_the_keywords(
    bot: FlaskClient, telegram: TelegramStandIn
) -> None:
    chat = random_chat()
    post_update(bot, update(chat, "/start"))
    post_update(bot, update(chat, "/help"))
    post_update(bot, update(chat, "/stop"))
    post_update(bot, update(chat, "yes"))
    texts = telegram.texts_to(chat)
    assert len(texts) == 3  # nothing after STOP
    assert "555-0100" in texts[1]
    assert "won't" in texts[2] or "stop" in texts[2].lower()


def test_opening_the_chat_again_after_stop_opts_back_in(
    bot: FlaskClient, telegram: TelegramStandIn
) -> None:
    # Telegram's "Restart bot" sends a bare /start: after /stop it asks to be texted again.
    chat = random_chat()
    post_update(bot, update(chat, "/start"))
    post_update(bot, update(chat, "/stop"))
    post_update(bot, update(chat, "/start"))
    texts = telegram.texts_to(chat)
    assert len(texts) == 3
    assert texts[2] != texts[1] and "subscribed" in texts[2].lower()
    rt = bot.application.extensions["parley.runtime"]
    with rt.uow() as uow:
        respondent = uow.respondents.find("telegram", str(chat))
        assert respondent is not None and respondent.opted_out_at is None


def test_the_language_command_shows_the_menu(bot: FlaskClient, telegram: TelegramStandIn) -> None:
    chat = random_chat()
    post_update(bot, update(chat, "/start"))
    post_update(bot, update(chat, "/language"))
    menu = telegram.sent_to(chat)[1]
    assert menu["text"] == "Choose your language:"
    assert ("Español", "~language:es") in [b for row in buttons_of(menu) for b in row]
