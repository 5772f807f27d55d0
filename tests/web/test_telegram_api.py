"""Surveys the agency starts on Telegram: only to a chat that started the bot, with buttons."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.telegram_standin import TOKEN, TelegramStandIn, telegram_standin
from tests.web.telegram_helpers import SECRET, buttons_of, post_update, press, random_chat, update

PAYLOAD = {"channel": "telegram", "flow": "post_contact", "officer_id": "B77", "call_type": "theft"}


@pytest.fixture()
def telegram() -> Iterator[TelegramStandIn]:
    """Serve a local stand-in of the Bot API."""
    with telegram_standin() as standin:
        yield standin


@pytest.fixture()
def bot_app(make_app: Any, telegram: TelegramStandIn, tmp_path: Path) -> Flask:
    """Return an app with Telegram configured against the stand-in."""
    app: Flask = make_app(
        f"sqlite:///{tmp_path / 'tg.db'}",
        telegram_bot_token=TOKEN,
        telegram_webhook_secret=SECRET,
        telegram_api_base_url=telegram.base_url,
    )
    return app


@pytest.fixture()
def token(bot_app: Flask) -> str:
    """Create an API token allowed to start surveys."""
    from bot.services.tokens import SCOPES, create_token

    rt = bot_app.extensions["parley.runtime"]
    return create_token(rt.uow, "test", rt.clock(), SCOPES)


def create(client: FlaskClient, token: str, payload: dict[str, Any]) -> Any:
    """POST a survey request with a bearer token."""
    return client.post(
        "/api/v1/surveys", json=payload, headers={"Authorization": f"Bearer {token}"}
    )


def test_a_chat_that_never_started_the_bot_is_refused_with_a_reason(
    bot_app: Flask, token: str, telegram: TelegramStandIn
) -> None:
    response = create(bot_app.test_client(), token, {**PAYLOAD, "address": str(random_chat())})
    assert response.status_code == 400
    assert "has not started the bot" in response.get_json()["fields"]["address"]
    assert telegram.messages == []


def test_an_address_that_is_no_chat_id_is_refused(bot_app: Flask, token: str) -> None:
    response = create(bot_app.test_client(), token, {**PAYLOAD, "address": "+15550100"})
    assert response.status_code == 400
    assert "numeric id" in response.get_json()["fields"]["address"]


def test_a_chat_that_started_the_bot_gets_the_survey_with_buttons(
    bot_app: Flask, token: str, telegram: TelegramStandIn
) -> None:
    client = bot_app.test_client()
    chat = random_chat()
    post_update(client, update(chat, "/help", language_code="es"))
    payload = {**PAYLOAD, "address": str(chat), "language": "es", "incident_id": f"24-{chat}"}
    response = create(client, token, payload)
    assert response.status_code == 201, response.get_json()
    assert response.get_json()["delivery"] == "sent"
    first = telegram.sent_to(chat)[-1]
    assert "le ha escuchado" in first["text"]
    assert buttons_of(first) == [[("Sí", "listened:1"), ("No", "listened:2")]]
    post_update(client, press(chat, first, "listened:1", language_code="es"))
    assert telegram.called("editMessageText")[-1]["text"].endswith("✓ Sí")
    assert "dignidad y respeto" in telegram.texts_to(chat)[-1]
