"""The officer page's channel choice: SMS by default, WhatsApp where configured and templated."""

from __future__ import annotations

import re
import secrets
from collections.abc import Callable
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy.orm import Session
from werkzeug.test import TestResponse

from storage.db import make_engine
from storage.models import Contact, Respondent
from tests.standins import TwilioStandIn
from tests.web.helpers import random_number
from tests.web.pages import csrf_token, log_in, make_user, sqlite, text
from tests.web.test_officer_page import error_of, outcome

WHATSAPP_FROM = "+15005550007"
# Spanish has its own approved template; no default, so English has none.
SPANISH_ONLY = {"es": "HX" + "e" * 32}


@pytest.fixture()
def with_whatsapp(make_app: Callable[..., Flask], database_url: str) -> Flask:
    """Return an app with WhatsApp configured (a Spanish template only), on both databases."""
    return make_app(database_url, whatsapp_from=WHATSAPP_FROM, whatsapp_templates=SPANISH_ONLY)


def officer(app: Flask, unit: str | None = None) -> FlaskClient:
    """Return a client signed in as officer B-1042, of `unit` if given."""
    client = app.test_client()
    assert log_in(client, make_user(app, officer_id="B-1042", unit=unit)).status_code == 302
    return client


def request_survey(client: FlaskClient, **fields: str) -> TestResponse:
    """Fill in and submit the officer form (the channel left as it is unless given)."""
    form = {"phone": random_number(), "language": "", "incident": "", "call_type": "", **fields}
    data = {"csrf_token": csrf_token(client, "/officer"), **form}
    return client.post("/officer", data=data, follow_redirects=True)


def contacts(database_url: str, incident: str) -> list[tuple[str, str | None, str | None]]:
    """Read back (channel, officer id, unit) of the contacts recorded for an incident."""
    engine = make_engine(database_url)
    try:
        with Session(engine) as session:
            query = (
                sa.select(Respondent.channel, Contact.officer_id, Contact.unit)
                .join(Respondent, Respondent.id == Contact.respondent_id)
                .where(Contact.incident_id == incident)
            )
            return [(row[0], row[1], row[2]) for row in session.execute(query)]
    finally:
        engine.dispose()


def token(app: Flask) -> str:
    """Create an API token allowed to start surveys."""
    from bot.services.tokens import SURVEYS_WRITE, create_token

    rt = app.extensions["parley.runtime"]
    return create_token(rt.uow, f"t-{secrets.token_hex(4)}", rt.clock(), (SURVEYS_WRITE,))


def radios(page: str) -> dict[str, str]:
    """Return the channel radio buttons on a page: {value: the <input> tag}."""
    found = re.findall(r'<input [^>]*name="channel"[^>]*>', page)
    return {re.search(r'value="(\w+)"', tag).group(1): tag for tag in found}  # type: ignore[union-attr]


def test_sms_is_the_default_and_the_result_says_so(
    with_whatsapp: Flask, twilio: TwilioStandIn, database_url: str
) -> None:
    client = officer(with_whatsapp, unit="Traffic East")
    page = text(client.get("/officer"))
    assert re.search(r"<fieldset [^>]*>\s*<legend>Send by</legend>", page)
    offered = radios(page)
    assert list(offered) == ["sms", "whatsapp"] and "checked" in offered["sms"]
    assert '<label for="channel-0">Text message (SMS)</label>' in page
    assert '<label for="channel-1">WhatsApp</label>' in page
    number, incident = random_number(), f"24-{secrets.token_hex(3)}"

    response = request_survey(client, phone=number, incident=incident)

    assert outcome(response) == "sent"
    assert 'Channel: <span class="channel">Text message (SMS)</span>' in text(response)
    assert twilio.bodies_to(number) and twilio.sent_to("whatsapp:" + number) == []
    assert contacts(database_url, incident) == [("sms", "B-1042", "Traffic East")]


def test_whatsapp_opens_with_the_languages_template(
    with_whatsapp: Flask, twilio: TwilioStandIn, database_url: str
) -> None:
    number, incident = random_number(), f"24-{secrets.token_hex(3)}"
    response = request_survey(
        officer(with_whatsapp), phone=number, channel="whatsapp", language="es", incident=incident
    )

    assert response.status_code == 200 and outcome(response) == "sent"
    assert 'Channel: <span class="channel">WhatsApp</span>' in text(response)
    [sent] = twilio.sent_to("whatsapp:" + number)
    assert sent["From"] == "whatsapp:" + WHATSAPP_FROM
    assert sent["ContentSid"] == SPANISH_ONLY["es"]
    assert twilio.bodies_to(number) == []  # nothing by SMS
    assert contacts(database_url, incident) == [("whatsapp", "B-1042", None)]


def test_whatsapp_without_a_template_for_the_language_is_refused_by_the_field(
    with_whatsapp: Flask, twilio: TwilioStandIn, database_url: str
) -> None:
    number, incident = random_number(), f"24-{secrets.token_hex(3)}"
    response = request_survey(
        officer(with_whatsapp), phone=number, channel="whatsapp", language="en", incident=incident
    )

    assert response.status_code == 400
    reason = "channel 'whatsapp' can start a survey only with an approved template, and none is"
    assert error_of(response, "channel") == f"C{reason[1:]} configured for language 'en'."
    # The API gives the same reason for the same request.
    api = with_whatsapp.test_client().post(
        "/api/v1/surveys",
        json={"channel": "whatsapp", "address": number, "flow": "post_contact", "language": "en"},
        headers={"Authorization": f"Bearer {token(with_whatsapp)}"},
    )
    assert api.get_json()["fields"]["channel"] == f"{reason} configured for language 'en'"
    page = text(response)
    assert re.search(r'<fieldset [^>]*aria-describedby="channel-error"', page)
    # What was typed and chosen stays, to change the language or the channel and send again.
    assert f'value="{number}"' in page and f'value="{incident}"' in page
    assert "checked" in radios(page)["whatsapp"]
    assert '<option value="en" lang="en" dir="auto" selected>' in page
    assert twilio.sent == [] and contacts(database_url, incident) == []


def test_whatsapp_is_not_offered_where_it_is_not_configured(app: Flask) -> None:
    page = text(officer(app).get("/officer"))
    assert radios(page) == {} and "WhatsApp" not in page and "<fieldset" not in page


@pytest.mark.parametrize(
    ("whatsapp", "channel", "offered"),
    [
        (True, "telegram", "Text message (SMS) or WhatsApp"),
        (True, "", "Text message (SMS) or WhatsApp"),
        (False, "whatsapp", "Text message (SMS)."),
    ],
)
def test_a_channel_not_offered_is_a_field_error(
    make_app: Callable[..., Flask],
    tmp_path: Path,
    twilio: TwilioStandIn,
    whatsapp: bool,
    channel: str,
    offered: str,
) -> None:
    settings = {"whatsapp_from": WHATSAPP_FROM, "whatsapp_templates": SPANISH_ONLY}
    app = make_app(sqlite(tmp_path), **(settings if whatsapp else {}))
    number = random_number()
    response = request_survey(officer(app), phone=number, channel=channel)
    assert response.status_code == 400
    assert f"Choose how to send the survey: {offered}" in error_of(response, "channel")
    assert twilio.sent == []
