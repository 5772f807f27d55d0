"""A whole survey over Telegram, in two languages, through PTB against the Bot API stand-in."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from bot.scheduling.states import Direction, MessageStatus
from bot.services.cards import CardRequest, make_card
from bot.services.runtime import Runtime
from storage.models import Message
from tests.telegram_standin import TelegramStandIn, fresh_token, telegram_standin
from tests.web.telegram_helpers import SECRET, post_update, random_chat, update

# (resident says, a piece of what Parley answers), per language.
TRANSCRIPTS = {
    "en": [
        ("/start", "Did the officer listen"),
        ("yes", "dignity and respect"),
        ("5", "explain what was happening"),
        ("4", "Overall, how satisfied"),
        ("2", "What went wrong most"),
        ("wait", "trust our police"),
        ("3", "Anything else"),
        ("no", "Thank you for your time"),
    ],
    "es": [
        ("/start", "le ha escuchado"),
        ("sí", "dignidad y respeto"),
        ("5", "le explicó"),
        ("4", "qué tan conforme"),
        ("1", "Qué fue lo que más falló"),
        ("espera", "Cuánto confía"),
        ("4", "Algo más"),
        ("nada", "Gracias por su tiempo"),
    ],
}


@pytest.fixture()
def telegram() -> Iterator[TelegramStandIn]:
    """Serve a local stand-in of the Bot API."""
    with telegram_standin() as standin:
        yield standin


@pytest.fixture(params=["sqlite", "postgresql"])
def bot_app(
    request: pytest.FixtureRequest,
    make_app: Callable[..., Flask],
    telegram: TelegramStandIn,
    tmp_path: Path,
) -> Flask:
    """Return an app with Telegram configured against the stand-in, on each database."""
    url = f"sqlite:///{tmp_path / 'tg.db'}"
    if request.param == "postgresql":
        url = str(request.getfixturevalue("postgres_url"))
    return make_app(
        url,
        telegram_bot_token=fresh_token(),
        telegram_webhook_secret=SECRET,
        telegram_api_base_url=telegram.base_url,
    )


@pytest.mark.parametrize("language", sorted(TRANSCRIPTS))
def test_a_resident_completes_the_survey_in_their_apps_language(
    bot_app: Flask, telegram: TelegramStandIn, language: str
) -> None:
    client: FlaskClient = bot_app.test_client()
    chat = random_chat()
    for says, expected in TRANSCRIPTS[language]:
        response = post_update(client, update(chat, says, language_code=language))
        assert response.status_code == 200
        assert expected in telegram.texts_to(chat)[-1], says
    assert len(telegram.texts_to(chat)) == len(TRANSCRIPTS[language])
    rt = bot_app.extensions["parley.runtime"]
    with rt.uow() as uow:
        respondent = uow.respondents.find("telegram", str(chat))
        conversation = uow.conversations.latest_for(respondent.id)
        assert (conversation.language, conversation.status) == (language, "completed")
    assert set(_outbound(rt, respondent.id)) == {(MessageStatus.SENT, None)}


def test_a_resident_who_blocked_the_bot_is_opted_out(
    bot_app: Flask, telegram: TelegramStandIn
) -> None:
    client = bot_app.test_client()
    chat = random_chat()
    post_update(client, update(chat, "/start"))
    telegram.failures.append((403, "Forbidden: bot was blocked by the user", None))
    assert post_update(client, update(chat, "yes")).status_code == 200
    post_update(client, update(chat, "5"))
    assert len(telegram.texts_to(chat)) == 1  # the refused reply, then nothing
    rt = bot_app.extensions["parley.runtime"]
    with rt.uow() as uow:
        respondent = uow.respondents.find("telegram", str(chat))
        assert respondent.opted_out_at is not None
    expected = [(MessageStatus.SENT, None), (MessageStatus.FAILED, "403")]
    assert _outbound(rt, respondent.id) == expected


def _outbound(rt: Runtime, respondent_id: uuid.UUID) -> list[tuple[str, str | None]]:
    """Return the status and error code of every message sent to a respondent, in order."""
    engine = rt.uow()._session_factory.kw["bind"]
    query = (
        select(Message.status, Message.error_code)
        .where(Message.respondent_id == respondent_id, Message.direction == Direction.OUT)
        .order_by(Message.created_at)
    )
    with engine.connect() as connection:
        return [(row.status, row.error_code) for row in connection.execute(query)]


@pytest.mark.parametrize("language", ["es", "en"])
def test_a_card_scanned_into_telegram_opens_the_survey_tied_to_its_officer(
    bot_app: Flask, telegram: TelegramStandIn, language: str
) -> None:
    rt = bot_app.extensions["parley.runtime"]
    incident = f"26-{uuid.uuid4().hex[:8]}"
    card = make_card(rt, CardRequest("B77", incident, "traffic stop", language))
    client = bot_app.test_client()
    chat = random_chat()
    # The QR code's deep link t.me/<bot>?start=<code> arrives as "/start <code>".
    assert post_update(client, update(chat, f"/start {card.code}")).status_code == 200
    opening = TRANSCRIPTS[language][0][1]
    assert opening in telegram.texts_to(chat)[-1]
    with rt.uow() as uow:
        respondent = uow.respondents.find("telegram", str(chat))
        conversation = uow.conversations.latest_for(respondent.id)
        contact = uow.contacts.get(conversation.contact_id)
        assert (contact.officer_id, contact.incident_id) == ("B77", incident)
        assert conversation.language == language
    # A second scan of the single-use card starts nothing more.
    other = random_chat()
    post_update(client, update(other, f"/start {card.code}"))
    with rt.uow() as uow:
        stranger = uow.respondents.find("telegram", str(other))
        assert stranger is None or uow.conversations.latest_for(stranger.id) is None
