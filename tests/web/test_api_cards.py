"""POST /api/v1/cards, and the card it makes opening the survey by SMS, on both databases."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

import pytest
from flask import Flask
from flask.testing import FlaskClient

from storage.models import Contact
from tests.web.helpers import post_sms, random_number, reply
from tests.web.pages import make_user

CARD = {"officer_id": "B77", "incident_id": "24-77", "call_type": "theft", "language": "es"}


def bearer(raw: str) -> dict[str, str]:
    """Return the Authorization header for a token."""
    return {"Authorization": f"Bearer {raw}"}


def token(app: Flask, *scopes: str) -> str:
    """Create a token with `scopes`."""
    from bot.services.tokens import create_token

    rt = app.extensions["parley.runtime"]
    return create_token(rt.uow, f"t-{random_number()}", rt.clock(), scopes)


@pytest.fixture()
def linked(make_app: Callable[..., Flask], database_url: str) -> Flask:
    """Return an app (on SQLite and PostgreSQL) that knows its Telegram bot and WhatsApp number."""
    from bot.config.settings import Settings

    env = {"TELEGRAM_BOT_USERNAME": "@SpringPDBot", "WHATSAPP_NUMBER": "+1 (555) 010-0999"}
    read = Settings.from_env(env)
    return make_app(
        database_url,
        telegram_bot_username=read.telegram_bot_username,
        whatsapp_number=read.whatsapp_number,
    )


def test_a_card_is_made_with_its_links_and_opens_the_survey_by_sms(linked: Flask) -> None:
    from storage.models import Contact

    client = linked.test_client()
    made = client.post("/api/v1/cards", json=CARD, headers=bearer(token(linked, "surveys:write")))
    assert made.status_code == 201, made.get_json()
    card = made.get_json()
    code = card["code"]
    assert card["telegram_url"] == f"https://t.me/SpringPDBot?start={code}"
    assert card["whatsapp_url"] == f"https://wa.me/15550100999?text=SURVEY%20{code}"
    assert card["sms_text"] == f"SURVEY {code}"
    assert datetime.fromisoformat(card["expires_at"]) > linked.extensions["parley.runtime"].clock()
    number = random_number()
    # The card's language hint (es) wins over the English keyword.
    assert "encuesta" in reply(post_sms(client, number, f"survey {code.lower()}"))
    assert "ya se inició" in reply(post_sms(client, random_number(), f"SURVEY {code}"))
    rt = linked.extensions["parley.runtime"]
    with rt.uow() as uow:
        respondent = uow.respondents.for_update("sms", number, rt.clock())
        contact = uow.contacts.conversation_for_contact(respondent.id, "24-77", None)
        assert contact is not None
        stored = uow.contacts.get(contact.contact_id)
    assert isinstance(stored, Contact)
    assert (stored.officer_id, stored.call_type) == ("B77", "theft")


def opened_contact(app: Flask, code: str) -> Contact:
    """Text a card's code from a new resident; return the contact the survey is about."""
    client, number = app.test_client(), random_number()
    assert "please help us" in reply(post_sms(client, number, f"SURVEY {code}"))
    rt = app.extensions["parley.runtime"]
    with rt.uow() as uow:
        respondent = uow.respondents.for_update("sms", number, rt.clock())
        conversation = uow.conversations.latest_for(respondent.id)
        assert conversation is not None and conversation.contact_id is not None
        contact = uow.contacts.get(conversation.contact_id)
    assert contact is not None
    return contact


def test_a_cards_unit_is_the_one_given_else_the_officers_account_unit(linked: Flask) -> None:
    headers = bearer(token(linked, "surveys:write"))
    make_user(linked, officer_id="B88", unit="Precinct 5")

    def unit_of_card(**fields: object) -> str | None:
        made = linked.test_client().post("/api/v1/cards", json=fields, headers=headers)
        assert made.status_code == 201, made.get_json()
        return opened_contact(linked, made.get_json()["code"]).unit

    assert unit_of_card(officer_id="B77", unit=" Traffic East ") == "Traffic East"
    assert unit_of_card(officer_id="B88") == "Precinct 5"
    assert unit_of_card(officer_id="B88", unit="Detectives") == "Detectives"
    assert unit_of_card(officer_id="B77") is None  # no account, no unit given


def test_links_are_left_out_when_not_configured(client: FlaskClient, api_token: str) -> None:
    made = client.post("/api/v1/cards", json={"officer_id": "B77"}, headers=bearer(api_token))
    assert made.status_code == 201
    assert made.get_json()["telegram_url"] is None and made.get_json()["whatsapp_url"] is None


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({**CARD, "call_type": "domestic violence"}, "call_type"),
        ({**CARD, "language": "xx"}, "language"),
        ({"incident_id": "1"}, "officer_id"),
        ({**CARD, "reusable": True}, "reusable"),
        ({**CARD, "pin": "1"}, "pin"),
        ({**CARD, "unit": "Traffic\x00East"}, "unit"),
        ({**CARD, "unit": "x" * 65}, "unit"),
    ],
)
def test_a_card_the_rules_forbid_is_refused_with_the_field(
    client: FlaskClient, api_token: str, body: dict[str, object], field: str
) -> None:
    refused = client.post("/api/v1/cards", json=body, headers=bearer(api_token))
    assert refused.status_code == 400
    assert field in refused.get_json()["fields"]


def test_a_card_needs_a_token_with_the_write_scope(app: Flask, client: FlaskClient) -> None:
    assert client.post("/api/v1/cards", json=CARD).status_code == 401
    wrong = client.post("/api/v1/cards", json=CARD, headers=bearer("not-a-token"))
    assert wrong.status_code == 401
    reader = client.post("/api/v1/cards", json=CARD, headers=bearer(token(app, "results:read")))
    assert reader.status_code == 403
