"""Twilio status callbacks: signatures, validation, ordering, duplicates, carrier opt-outs."""

from __future__ import annotations

import io
import secrets
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime

import pytest
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from bot.channels.console import ConsoleSender
from bot.channels.twilio_sms import TwilioSender
from bot.config.settings import Settings
from bot.ports import DeliveryError
from bot.services.runtime import Runtime
from bot.services.tokens import create_token
from tests.standins import TwilioStandIn
from tests.support import FROM_NUMBER, PUBLIC_BASE_URL, FakeClock, sign
from tests.web.helpers import random_number

STATUS_PATH = "/webhooks/twilio/status"
PAYLOAD = {"channel": "sms", "flow": "post_contact", "language": "en", "call_type": "traffic_stop"}


class Survey:
    """An app on one database with a survey started through the API, as a dispatcher would."""

    def __init__(self, app: Flask, database_url: str, twilio: TwilioStandIn) -> None:
        self.database_url = database_url
        self.client = app.test_client()
        self.rt: Runtime = app.extensions["parley.runtime"]
        self.token = create_token(self.rt.uow, f"test-{secrets.token_hex(4)}", self.rt.clock())
        self.number = random_number()
        response = self.start()
        assert response.status_code == 201, response.get_json()
        self.id = response.get_json()["id"]
        self.sid = twilio.sent[-1]["sid"]

    def start(self) -> TestResponse:
        """Ask the API for a survey to this survey's number."""
        headers = {"Authorization": f"Bearer {self.token}"}
        payload = {**PAYLOAD, "address": self.number}
        return self.client.post("/api/v1/surveys", json=payload, headers=headers)

    def report(self, status: str, error_code: str | None = None) -> TestResponse:
        """Post Twilio's signed status callback for the survey's first message."""
        return post_status(self.client, self.sid, status, error_code)

    def message(self) -> tuple[str, str | None, datetime]:
        """Read the first message's status, error code and last update."""
        with self.rt.uow() as uow:
            message = uow.messages.find("sms", self.sid)
            assert message is not None
            return message.status, message.error_code, message.updated_at

    def survey_status(self) -> str:
        """Read the survey's status through the API."""
        headers = {"Authorization": f"Bearer {self.token}"}
        response = self.client.get(f"/api/v1/surveys/{self.id}", headers=headers)
        return str(response.get_json()["status"])

    def opted_out_at(self) -> datetime | None:
        """Read when the respondent opted out, if they did."""
        with self.rt.uow() as uow:
            respondent = uow.respondents.find("sms", self.number)
            assert respondent is not None
            return respondent.opted_out_at


def post_status(
    client: FlaskClient, sid: str, status: str | None, error_code: str | None = None
) -> TestResponse:
    """Post a status callback signed as Twilio signs it."""
    form = {"MessageSid": sid, "AccountSid": "AC" + "0" * 32, "To": "+15550100000"}
    if status is not None:
        form |= {"MessageStatus": status, "SmsStatus": status}
    if error_code is not None:
        form["ErrorCode"] = error_code
    headers = {"X-Twilio-Signature": sign(STATUS_PATH, form)}
    return client.post(STATUS_PATH, data=form, headers=headers)


@pytest.fixture()
def survey(make_app: Callable[[str], Flask], database_url: str, twilio: TwilioStandIn) -> Survey:
    """Start a survey on SQLite, then on PostgreSQL."""
    return Survey(make_app(database_url), database_url, twilio)


def test_statuses_move_the_message_forward(survey: Survey, clock: FakeClock) -> None:
    assert survey.message()[0] == "sent"
    clock.advance(seconds=3)
    assert survey.report("delivered").status_code == 204
    assert survey.message() == ("delivered", None, clock.now)


@pytest.mark.parametrize(
    ("arrivals", "final"),
    [
        (["delivered", "sent", "queued"], "delivered"),
        (["queued", "failed", "sending", "sent"], "failed"),
        (["undelivered", "delivered"], "undelivered"),
        (["accepted", "queued", "sent", "delivered", "read"], "read"),
    ],
)
def test_late_statuses_never_move_the_message_back(
    survey: Survey, arrivals: list[str], final: str
) -> None:
    for status in arrivals:
        assert survey.report(status).status_code == 204
    assert survey.message()[0] == final


def test_a_duplicate_callback_changes_nothing(survey: Survey, clock: FakeClock) -> None:
    survey.report("undelivered", "30003")
    first = survey.message()
    clock.advance(minutes=5)
    assert survey.report("undelivered", "30003").status_code == 204
    assert survey.message() == first == ("undelivered", "30003", first[2])


@pytest.mark.parametrize("code", ["30004", "30005", "30006"])
def test_unreachable_numbers_are_recorded_only(survey: Survey, code: str) -> None:
    assert survey.report("undelivered", code).status_code == 204
    assert survey.message()[:2] == ("undelivered", code)
    assert survey.opted_out_at() is None
    assert survey.survey_status() == "active"


def test_carrier_stop_opts_the_resident_out(survey: Survey, clock: FakeClock) -> None:
    clock.advance(seconds=2)
    assert survey.report("failed", "21610").status_code == 204
    assert survey.message()[:2] == ("failed", "21610")
    assert survey.opted_out_at() == clock.now
    assert survey.survey_status() == "opted_out"
    again = survey.start()
    assert again.status_code == 201
    assert again.get_json()["status"] == "opted_out"


def test_unknown_message_is_acknowledged_and_nothing_stored(survey: Survey) -> None:
    before = table_rows(survey.database_url)
    response = post_status(survey.client, "SM" + secrets.token_hex(16), "failed", "21610")
    assert response.status_code == 204
    assert table_rows(survey.database_url) == before
    assert survey.opted_out_at() is None
    assert survey.message()[0] == "sent"


def table_rows(database_url: str) -> dict[str, object]:
    """Read every row of the message log and of the respondents, to compare before and after."""
    import sqlalchemy as sa

    engine = sa.create_engine(database_url, poolclass=sa.NullPool)
    try:
        with engine.connect() as conn:
            return {
                table: conn.execute(sa.text(f"SELECT * FROM {table} ORDER BY id")).all()
                for table in ("messages", "respondents", "conversations")
            }
    finally:
        engine.dispose()


CALLBACK = {"MessageSid": "SM1", "MessageStatus": "delivered"}


@pytest.mark.parametrize(
    ("headers", "why"),
    [
        ({}, "missing X-Twilio-Signature"),
        ({"X-Twilio-Signature": "bm90IGEgc2lnbmF0dXJl"}, "invalid X-Twilio-Signature"),
        # Signed for the inbound webhook: a signature names its URL, so it is not valid here.
        ({"X-Twilio-Signature": sign("/webhooks/twilio/sms", CALLBACK)}, "invalid"),
        ({"X-Twilio-Signature": sign(STATUS_PATH, CALLBACK, token="another")}, "invalid"),
        ({"X-Twilio-Signature": sign(STATUS_PATH, {**CALLBACK, "MessageStatus": "sent"})}, "in"),
    ],
)
def test_unsigned_or_badly_signed_callbacks_are_refused(
    client: FlaskClient, headers: dict[str, str], why: str
) -> None:
    response = client.post(STATUS_PATH, data=CALLBACK, headers=headers)
    assert response.status_code == 403
    assert why in response.get_json()["reason"]


@pytest.mark.parametrize(
    ("sid", "status", "error_code", "reason"),
    [
        (None, "delivered", None, "MessageSid and MessageStatus are required"),
        ("SM1", None, None, "MessageSid and MessageStatus are required"),
        ("SM1", "lost", None, "MessageStatus: 'lost' is not a Twilio message status"),
        ("SM1", "DELIVERED", None, "is not a Twilio message status"),
        ("SM1", "failed", "30x03", "ErrorCode: must be a number"),
        ("SM1", "failed", "1" * 40, "ErrorCode: must be a number"),
    ],
)
def test_malformed_callbacks_get_400_with_the_reason(
    client: FlaskClient, sid: str | None, status: str | None, error_code: str | None, reason: str
) -> None:
    form = {"MessageStatus": status, "MessageSid": sid, "ErrorCode": error_code}
    data = {k: v for k, v in form.items() if v is not None}
    headers = {"X-Twilio-Signature": sign(STATUS_PATH, data)}
    response = client.post(STATUS_PATH, data=data, headers=headers)
    assert response.status_code == 400
    assert reason in response.get_json()["reason"]


def test_sender_asks_twilio_for_status_callbacks(
    make_settings: Callable[[str], Settings], twilio: TwilioStandIn
) -> None:
    sender = TwilioSender.from_settings(make_settings("sqlite://"))
    sid = sender.send("+15550100001", "hello")
    [sent] = twilio.sent
    assert sent["sid"] == sid
    assert sent["StatusCallback"] == PUBLIC_BASE_URL + STATUS_PATH
    assert sender.identity == FROM_NUMBER


def test_sender_without_a_public_origin_asks_for_no_callbacks(
    make_settings: Callable[[str], Settings], twilio: TwilioStandIn
) -> None:
    settings = replace(make_settings("sqlite://"), public_base_url="")
    TwilioSender.from_settings(settings).send("+15550100001", "hello")
    assert "StatusCallback" not in twilio.sent[0]


@pytest.mark.parametrize(
    ("http_status", "code", "permanent"),
    [
        (429, 20429, False),
        (503, 20500, False),
        (500, 21610, False),
        (400, 21610, True),
        (400, 21211, True),
        (401, 20003, False),
    ],
)
def test_sender_says_which_refusals_are_worth_retrying(
    make_settings: Callable[[str], Settings],
    twilio: TwilioStandIn,
    http_status: int,
    code: int,
    permanent: bool,
) -> None:
    twilio.failures.append((http_status, code))
    sender = TwilioSender.from_settings(make_settings("sqlite://"))
    with pytest.raises(DeliveryError) as caught:
        sender.send("+15550100001", "hello")
    assert (caught.value.code, caught.value.permanent) == (str(code), permanent)


def test_unreachable_twilio_is_worth_retrying(make_settings: Callable[[str], Settings]) -> None:
    settings = replace(make_settings("sqlite://"), twilio_api_base_url="http://127.0.0.1:9")
    with pytest.raises(DeliveryError) as caught:
        TwilioSender.from_settings(settings).send("+15550100001", "hello")
    assert caught.value.permanent is False


def test_console_sender_has_an_identity() -> None:
    assert ConsoleSender(io.StringIO()).identity == "console"
