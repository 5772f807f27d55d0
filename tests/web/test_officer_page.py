"""The officer page: a quick form that asks for a survey; errors shown by their fields."""

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

from bot.scheduling.model import SendPolicy
from storage.db import make_engine
from storage.models import Contact, Conversation
from tests.standins import TwilioStandIn
from tests.web.helpers import post_sms, random_number
from tests.web.pages import csrf_token, log_in, make_user, sqlite, text


@pytest.fixture()
def site(make_app: Callable[[str], Flask], database_url: str) -> Flask:
    """Return the app on SQLite, then on PostgreSQL."""
    return make_app(database_url)


def officer(app: Flask, officer_id: str = "B-1042") -> FlaskClient:
    """Return a client signed in as an officer."""
    client = app.test_client()
    assert log_in(client, make_user(app, officer_id=officer_id)).status_code == 302
    return client


def request_survey(client: FlaskClient, **fields: str) -> TestResponse:
    """Fill in and submit the officer form."""
    form = {"phone": "", "language": "", "incident": "", "call_type": "", **fields}
    data = {"csrf_token": csrf_token(client, "/officer"), **form}
    return client.post("/officer", data=data, follow_redirects=True)


def outcome(response: TestResponse) -> str:
    """Return the kind of result the page shows (sent, scheduled, refused, duplicate…)."""
    found = re.search(r'data-outcome="(\w+)"', response.get_data(as_text=True))
    assert found, text(response)
    return found.group(1)


def error_of(response: TestResponse, field: str) -> str:
    """Return the error shown next to a field ('' when there is none)."""
    found = re.search(rf'<p class="error" id="{field}-error">([^<]*)</p>', text(response))
    return found.group(1) if found else ""


def stored(database_url: str, incident: str) -> list[tuple[str | None, str | None, str, str]]:
    """Read back (officer id, call type, language, flow) of the surveys for an incident."""
    engine = make_engine(database_url)
    try:
        with Session(engine) as session:
            query = (
                sa.select(Contact.officer_id, Contact.call_type, Conversation.language)
                .add_columns(Conversation.flow_id)
                .join(Conversation, Conversation.contact_id == Contact.id)
                .where(Contact.incident_id == incident)
            )
            return [tuple(row) for row in session.execute(query)]
    finally:
        engine.dispose()


def test_form_is_quick_to_fill_on_a_phone(app: Flask) -> None:
    page = text(officer(app).get("/officer"))
    phone = re.search(r"<input [^>]*id=\"phone\"[^>]*>", page)
    assert phone and 'type="tel"' in phone.group(0) and "autofocus" in phone.group(0)
    assert 'inputmode="tel"' in phone.group(0)
    for field in ("phone", "language", "incident", "call_type"):
        assert f'<label for="{field}">' in page, field
    assert '<option value="" selected>Let the resident\'s number decide</option>' in page
    assert '<option value="es" lang="es" dir="auto">Español</option>' in page
    assert ">简体中文</option>" in page and ">繁體中文</option>" in page
    assert ">العربية</option>" in page
    assert 'list="call-types"' in page and '<option value="Traffic stop">' in page


def test_a_request_texts_the_resident_and_records_the_officer(
    site: Flask, twilio: TwilioStandIn, database_url: str
) -> None:
    number, incident = random_number(), f"24-{secrets.token_hex(3)}"
    client = officer(site, officer_id="B-1042")

    response = request_survey(
        client, phone=number, language="es", incident=incident, call_type="Traffic stop"
    )

    assert response.status_code == 200
    assert outcome(response) == "sent"
    page = text(response)
    assert f"…{number[-2:]}" in page and number[2:] not in page
    (body,) = twilio.bodies_to(number)
    assert "encuesta" in body
    assert stored(database_url, incident) == [("B-1042", "Traffic stop", "es", "post_contact")]


def test_national_numbers_and_the_number_language(app: Flask, twilio: TwilioStandIn) -> None:
    client = officer(app)
    response = request_survey(client, phone="(555) 010-4477", incident="24-9")
    assert outcome(response) == "sent"
    assert twilio.bodies_to("+15550104477")


def test_the_same_incident_twice_is_already_requested(app: Flask, twilio: TwilioStandIn) -> None:
    client = officer(app)
    number, incident = random_number(), f"24-{secrets.token_hex(3)}"
    assert outcome(request_survey(client, phone=number, incident=incident)) == "sent"

    again = request_survey(client, phone=number, incident=incident)

    assert outcome(again) == "duplicate" and "Already requested" in text(again)
    assert len(twilio.bodies_to(number)) == 1


def test_an_excluded_call_type_is_not_sent(app: Flask, twilio: TwilioStandIn) -> None:
    number = random_number()
    response = request_survey(officer(app), phone=number, call_type="Domestic violence")
    assert outcome(response) == "refused"
    assert "Not sent" in text(response)
    assert "never sent after this type of call" in text(response)
    assert twilio.bodies_to(number) == []


def test_a_resident_who_opted_out_is_not_texted(app: Flask, twilio: TwilioStandIn) -> None:
    number = random_number()
    post_sms(app.test_client(), number, "STOP")
    sent_before = len(twilio.bodies_to(number))

    response = request_survey(officer(app), phone=number)

    assert outcome(response) == "refused"
    assert "A survey cannot be sent to this number." in text(response)
    assert len(twilio.bodies_to(number)) == sent_before


def test_a_number_opted_out_at_the_carrier_is_not_said_to_be_scheduled(
    app: Flask, twilio: TwilioStandIn
) -> None:
    twilio.failures.append((400, 21610))
    response = request_survey(officer(app), phone=random_number())
    assert outcome(response) == "refused"
    assert "A survey cannot be sent to this number." in text(response)


def test_fields_without_errors_carry_no_aria_error_attributes(app: Flask) -> None:
    page = text(officer(app).get("/officer"))
    assert "None" not in re.findall(r'aria-[a-z]+="([^"]*)"', page)
    assert 'aria-invalid="' not in page


def test_a_survey_for_later_says_when(make_app: Callable[..., Flask], tmp_path: Path) -> None:
    # The agency defaults: two hours after the contact, no texts at night.
    app = make_app(sqlite(tmp_path), send_policy=SendPolicy())
    response = request_survey(officer(app), phone=random_number())
    assert outcome(response) == "scheduled"
    # The clock reads 15:00 UTC on Monday 2 November 2026: 10:00 in New York, plus two hours.
    assert "will be texted at 12:00 on Mon 2 Nov (EST)" in text(response)


@pytest.mark.parametrize(
    ("phone", "message"),
    [("", "Enter the resident's phone number."), ("12", "Not a possible phone number.")],
)
def test_number_errors_are_shown_by_the_number(
    site: Flask, database_url: str, phone: str, message: str
) -> None:
    incident = f"24-{secrets.token_hex(3)}"
    response = request_survey(officer(site), phone=phone, incident=incident, language="es")
    assert response.status_code == 400
    assert message in error_of(response, "phone")
    page = text(response)
    assert re.search(r'<input [^>]*aria-invalid="true"[^>]*id="phone"', page)
    assert f'value="{incident}"' in page  # what was typed stays
    assert '<option value="es" lang="es" dir="auto" selected>' in page
    assert stored(database_url, incident) == []


def test_other_field_errors(app: Flask) -> None:
    client = officer(app)
    language = request_survey(client, phone=random_number(), language="xx")
    assert language.status_code == 400 and error_of(language, "language")
    long = request_survey(client, phone=random_number(), incident="9" * 65)
    assert long.status_code == 400 and "64" in error_of(long, "incident")
    control = request_survey(client, phone=random_number(), call_type="Traffic\x00stop")
    assert control.status_code == 400 and error_of(control, "call_type")


def test_without_sms_configured_the_page_says_so(
    make_app: Callable[..., Flask], tmp_path: Path
) -> None:
    app = make_app(sqlite(tmp_path), twilio_account_sid="")
    response = request_survey(officer(app), phone=random_number())
    assert response.status_code == 503
    assert "Tell your administrator" in text(response)


def test_reloading_the_result_asks_for_nothing_again(app: Flask, twilio: TwilioStandIn) -> None:
    client = officer(app)
    number = random_number()
    data = {"csrf_token": csrf_token(client, "/officer"), "phone": number, "language": ""}
    posted = client.post("/officer", data={**data, "incident": "", "call_type": ""})
    assert posted.status_code == 303 and posted.headers["Location"] == "/officer/result"
    for _ in range(3):
        shown = client.get("/officer/result")
        assert outcome(shown) == "sent"
    assert len(twilio.bodies_to(number)) == 1


def test_the_result_page_without_a_request_leads_to_the_form(app: Flask) -> None:
    assert officer(app).get("/officer/result").headers["Location"] == "/officer"
