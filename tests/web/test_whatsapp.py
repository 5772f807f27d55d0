"""WhatsApp through Twilio: signed webhooks, the opening template, the 24-hour window."""

from __future__ import annotations

import json
import secrets
import uuid
from collections.abc import Callable
from dataclasses import replace
from datetime import timedelta
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from bot.engine.model import Status
from bot.scheduling.states import ItemKind, ItemStatus, MessageStatus, RunOutcome
from bot.services.runtime import Runtime
from bot.services.scheduled_items import run_due_items
from bot.services.tokens import SCOPES, create_token
from tests.standins import TwilioStandIn
from tests.support import IMMEDIATE_POLICY, FakeClock, sign
from tests.web.helpers import post_sms, random_number, replies, reply

WHATSAPP_FROM = "+15005550007"
TEMPLATES = {"": "HX" + "0" * 32, "es": "HX" + "e" * 32}
PAYLOAD = {"channel": "whatsapp", "flow": "post_contact", "call_type": "traffic_stop"}
# A whole survey, answered in each language (a high overall score skips "what went wrong").
CONVERSATIONS = {
    "en": ("survey", ("yes", "5", "4", "5", "5", "Fine")),
    "es": ("encuesta", ("sí", "5", "4", "5", "5", "Bien")),
}


class WhatsApp:
    """An app with a WhatsApp sender, its runtime, an API token and one resident's number."""

    def __init__(self, app: Flask) -> None:
        self.client = app.test_client()
        self.rt: Runtime = app.extensions["parley.runtime"]
        self.token = create_token(self.rt.uow, f"t-{secrets.token_hex(4)}", self.rt.clock(), SCOPES)
        self.number = random_number()

    def says(self, body: str) -> TestResponse:
        """Post the resident's signed WhatsApp message as Twilio would."""
        return post_whatsapp(self.client, self.number, body)

    def start(self, **fields: Any) -> TestResponse:
        """Ask the API for a WhatsApp survey to the resident, as a dispatch system would."""
        payload = {**PAYLOAD, "address": self.number, **fields}
        headers = {"Authorization": f"Bearer {self.token}"}
        return self.client.post("/api/v1/surveys", json=payload, headers=headers)

    def respondent(self, channel: str) -> Any:
        """Return the resident's respondent on a channel, if any."""
        with self.rt.uow() as uow:
            return uow.respondents.find(channel, self.number)


def post_whatsapp(client: FlaskClient, number: str, body: str) -> TestResponse:
    """Post one signed inbound WhatsApp message: Twilio's SMS webhook, `whatsapp:` numbers."""
    extra = {"To": "whatsapp:" + WHATSAPP_FROM, "ProfileName": "Resident", "WaId": number[1:]}
    return post_sms(client, "whatsapp:" + number, body, extra=extra)


@pytest.fixture()
def whatsapp(make_app: Callable[..., Flask], database_url: str) -> WhatsApp:
    """Build an app with WhatsApp and its templates configured, on SQLite then PostgreSQL."""
    app = make_app(database_url, whatsapp_from=WHATSAPP_FROM, whatsapp_templates=TEMPLATES)
    return WhatsApp(app)


@pytest.mark.parametrize("language", sorted(CONVERSATIONS))
def test_a_whatsapp_conversation_runs_over_signed_webhooks(
    whatsapp: WhatsApp, twilio: TwilioStandIn, language: str
) -> None:
    keyword, answers = CONVERSATIONS[language]
    opening = reply(whatsapp.says(keyword))
    assert "Springfield Police" in opening
    for answer in answers:
        # Each answer is answered in the webhook's TwiML, as on SMS.
        assert replies(whatsapp.says(answer))
    respondent = whatsapp.respondent("whatsapp")
    assert respondent is not None and respondent.language == language
    assert whatsapp.respondent("sms") is None
    with whatsapp.rt.uow() as uow:
        conversation = uow.conversations.latest_for(respondent.id)
        assert conversation is not None and conversation.status == Status.COMPLETED
        assert len(uow.conversations.answers(conversation.id)) == len(answers)
    # Everything went back inline: nothing through the REST API.
    assert twilio.sent == []


def test_whatsapp_and_sms_are_two_respondents_and_stop_opts_out_only_whatsapp(
    whatsapp: WhatsApp,
) -> None:
    reply(whatsapp.says("survey"))
    reply(post_sms(whatsapp.client, whatsapp.number, "survey"))
    on_whatsapp, on_sms = whatsapp.respondent("whatsapp"), whatsapp.respondent("sms")
    assert on_whatsapp.id != on_sms.id
    assert reply(whatsapp.says("STOP"))  # The opt-out is confirmed on WhatsApp.
    assert whatsapp.respondent("whatsapp").opted_out_at is not None
    assert whatsapp.respondent("sms").opted_out_at is None


def test_an_api_survey_opens_with_the_languages_template(
    whatsapp: WhatsApp, twilio: TwilioStandIn
) -> None:
    response = whatsapp.start(language="es")
    assert response.status_code == 201, response.get_json()
    assert response.get_json()["delivery"] == "sent"
    [sent] = twilio.sent_to("whatsapp:" + whatsapp.number)
    assert sent["From"] == "whatsapp:" + WHATSAPP_FROM
    assert sent["ContentSid"] == TEMPLATES["es"]
    assert json.loads(sent["ContentVariables"]) == {"1": "Springfield Police"}
    assert "Body" not in sent
    # The resident's reply opens the window: the survey goes on in the webhook's answer.
    assert "5" in reply(whatsapp.says("sí"))


def test_a_language_without_its_own_template_uses_the_default(
    whatsapp: WhatsApp, twilio: TwilioStandIn
) -> None:
    assert whatsapp.start(language="en").status_code == 201
    [sent] = twilio.sent_to("whatsapp:" + whatsapp.number)
    assert sent["ContentSid"] == TEMPLATES[""]


def test_within_the_window_an_api_survey_goes_as_a_plain_message(
    whatsapp: WhatsApp, twilio: TwilioStandIn
) -> None:
    reply(whatsapp.says("hello?"))  # Not a survey yet: it opens the 24-hour window.
    assert whatsapp.start(language="en").status_code == 201
    [sent] = twilio.sent_to("whatsapp:" + whatsapp.number)
    assert "Springfield Police" in sent["Body"]
    assert "ContentSid" not in sent


@pytest.mark.parametrize(
    ("settings", "reason"),
    [
        ({"whatsapp_from": WHATSAPP_FROM}, "approved template"),
        ({"whatsapp_from": WHATSAPP_FROM, "whatsapp_templates": {"es": "HX1"}}, "'en'"),
        ({}, "not configured"),
    ],
)
def test_an_api_survey_without_a_template_or_number_is_refused(
    make_app: Callable[..., Flask],
    tmp_path: Any,
    twilio: TwilioStandIn,
    settings: dict[str, Any],
    reason: str,
) -> None:
    whatsapp = WhatsApp(make_app(f"sqlite:///{tmp_path / 'w.db'}", **settings))
    response = whatsapp.start(language="en")
    assert response.status_code == 400
    assert reason in response.get_json()["fields"]["channel"]
    assert twilio.sent == []
    assert whatsapp.respondent("whatsapp") is None


def test_status_callbacks_for_whatsapp_messages_are_recorded(
    whatsapp: WhatsApp, twilio: TwilioStandIn
) -> None:
    assert whatsapp.start(language="en").status_code == 201
    sid = twilio.sent[-1]["sid"]
    form = {
        "MessageSid": sid,
        "AccountSid": "AC" + "0" * 32,
        "From": "whatsapp:" + WHATSAPP_FROM,
        "To": "whatsapp:" + whatsapp.number,
        "MessageStatus": "read",
    }
    path = "/webhooks/twilio/status"
    response = whatsapp.client.post(
        path, data=form, headers={"X-Twilio-Signature": sign(path, form)}
    )
    assert response.status_code == 204
    with whatsapp.rt.uow() as uow:
        message = uow.messages.find("whatsapp", sid)
        assert message is not None and message.status == MessageStatus.READ


def test_a_reminder_outside_the_window_is_not_sent(
    whatsapp: WhatsApp, twilio: TwilioStandIn, clock: FakeClock
) -> None:
    survey = whatsapp.start(language="en").get_json()
    clock.advance(hours=25)
    assert RunOutcome.CANCELLED in run_due_items(whatsapp.rt)
    assert len(twilio.sent_to("whatsapp:" + whatsapp.number)) == 1
    with whatsapp.rt.uow() as uow:
        items = uow.schedule.for_conversation(uuid.UUID(survey["id"]))
        [reminder] = [item for item in items if item.kind == ItemKind.REMINDER]
        assert reminder.status == ItemStatus.CANCELLED
        assert reminder.last_error == "not sent: outside the channel's reply window"


def test_a_reminder_within_the_window_goes_as_a_plain_message(
    make_app: Callable[..., Flask], database_url: str, twilio: TwilioStandIn, clock: FakeClock
) -> None:
    # Any reply cancels reminders, so only a resident who wrote before the survey started and
    # then fell silent is reminded within the window: with reminders sooner than 24 hours.
    policy = replace(IMMEDIATE_POLICY, reminder_after=timedelta(hours=20))
    whatsapp = WhatsApp(
        make_app(
            database_url,
            whatsapp_from=WHATSAPP_FROM,
            whatsapp_templates=TEMPLATES,
            send_policy=policy,
        )
    )
    reply(whatsapp.says("hello?"))
    assert whatsapp.start(language="en").status_code == 201
    clock.advance(hours=21)
    assert RunOutcome.SENT in run_due_items(whatsapp.rt)
    first, reminder = twilio.sent_to("whatsapp:" + whatsapp.number)
    assert "ContentSid" not in first and "ContentSid" not in reminder
    assert "Did the officer listen" in reminder["Body"]


def test_a_whatsapp_message_costs_one_unit_of_pace(whatsapp: WhatsApp) -> None:
    sender = whatsapp.rt.senders["whatsapp"]
    assert sender.cost("ü" * 500) == 1  # As SMS, 500 UCS-2 characters would be 8 segments.
    assert sender.identity == "whatsapp:" + WHATSAPP_FROM


def test_a_template_that_timed_out_after_twilio_took_it_is_looked_up_not_resent(
    make_app: Callable[..., Flask], tmp_path: Any, twilio: TwilioStandIn, clock: FakeClock
) -> None:
    app = make_app(
        f"sqlite:///{tmp_path / 'w.db'}",
        whatsapp_from=WHATSAPP_FROM,
        whatsapp_templates=TEMPLATES,
        twilio_timeout_seconds=1.0,
    )
    whatsapp = WhatsApp(app)
    twilio.clock, twilio.delay = clock, 2.0  # Twilio takes it; the client gives up first.
    assert whatsapp.start(language="en").get_json()["delivery"] == "retry"
    twilio.delay = 0
    clock.advance(seconds=40)
    # Twilio's copy holds the template's text, not Parley's: found by To, From and time.
    assert run_due_items(whatsapp.rt) == [RunOutcome.SENT]
    [sent] = twilio.sent_to("whatsapp:" + whatsapp.number)
    assert twilio.lookups[0]["To"] == "whatsapp:" + whatsapp.number
    with whatsapp.rt.uow() as uow:
        message = uow.messages.find("whatsapp", sent["sid"])
        assert message is not None and message.status == MessageStatus.SENT
