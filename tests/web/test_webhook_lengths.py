"""Every provider field Parley reads has a length limit: longer gets 400 with the reason, on
SQLite and on PostgreSQL (whose columns, unlike SQLite's, refuse an over-long value)."""

from __future__ import annotations

import secrets
from collections.abc import Callable

import pytest
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from tests.support import sign
from tests.web.helpers import SMS_PATH, random_number

STATUS_PATH = "/webhooks/twilio/status"


def sid() -> str:
    """Return a Twilio-shaped message SID no other test uses."""
    return "SM" + secrets.token_hex(16)


def inbound(**fields: str) -> dict[str, str]:
    """Return an inbound SMS form with `fields` replaced."""
    return {"MessageSid": sid(), "From": random_number(), "Body": "HELP", **fields}


def status(**fields: str) -> dict[str, str]:
    """Return a status callback form with `fields` replaced."""
    return {"MessageSid": sid(), "MessageStatus": "delivered", **fields}


def post(client: FlaskClient, path: str, form: dict[str, str]) -> TestResponse:
    """Post a form signed as Twilio signs it."""
    return client.post(path, data=form, headers={"X-Twilio-Signature": sign(path, form)})


@pytest.fixture()
def db_client(make_app: Callable[[str], Flask], database_url: str) -> FlaskClient:
    """Return a client of the app on SQLite, then on the real PostgreSQL."""
    return make_app(database_url).test_client()


TOO_LONG = [
    (SMS_PATH, inbound(MessageSid="SM" + "a" * 127), "MessageSid", 64),
    (SMS_PATH, inbound(MessageSid="SM" + "a" * 63), "MessageSid", 64),
    (SMS_PATH, {**inbound(), "MessageSid": "", "SmsSid": "SM" + "b" * 200}, "SmsSid", 64),
    (SMS_PATH, inbound(From="+1" + "5" * 100), "From", 64),
    (SMS_PATH, inbound(Body="x" * 1601), "Body", 1600),
    (SMS_PATH, inbound(OptOutType="STOP" * 10), "OptOutType", 16),
    (SMS_PATH, inbound(NumMedia="1" * 10), "NumMedia", 4),
    (STATUS_PATH, status(MessageSid="SM" + "c" * 200), "MessageSid", 64),
    (STATUS_PATH, status(MessageStatus="delivered" * 10), "MessageStatus", 32),
]


@pytest.mark.parametrize(("path", "form", "field", "limit"), TOO_LONG)
def test_an_over_long_field_gets_400_naming_it(
    db_client: FlaskClient, path: str, form: dict[str, str], field: str, limit: int
) -> None:
    response = post(db_client, path, form)
    assert response.status_code == 400, response.get_data(as_text=True)
    assert response.get_json()["reason"] == f"{field}: longer than {limit} characters"


AT_THE_LIMIT = [
    (SMS_PATH, inbound(MessageSid="SM" + "d" * 62), 200),
    (SMS_PATH, {**inbound(), "MessageSid": "", "SmsSid": "SM" + "e" * 62}, 200),
    (SMS_PATH, inbound(Body="y" * 1600), 200),
    (SMS_PATH, inbound(OptOutType="S" * 16), 200),
    (SMS_PATH, inbound(NumMedia="0000"), 200),
    (STATUS_PATH, status(MessageSid="SM" + "f" * 62), 204),
    (STATUS_PATH, status(MessageStatus="failed", ErrorCode="3" * 10), 204),
]


@pytest.mark.parametrize(("path", "form", "expected"), AT_THE_LIMIT)
def test_a_field_at_its_limit_is_accepted(
    db_client: FlaskClient, path: str, form: dict[str, str], expected: int
) -> None:
    assert post(db_client, path, form).status_code == expected


CONTROLS = [
    (SMS_PATH, inbound(MessageSid="SM\x00" + "a" * 10), "MessageSid"),
    (SMS_PATH, {**inbound(), "MessageSid": "", "SmsSid": "SM\x00x"}, "SmsSid"),
    (SMS_PATH, inbound(MessageSid="SM\u202e" + "a" * 10), "MessageSid"),
    (STATUS_PATH, status(MessageSid="SM\x00" + "b" * 10), "MessageSid"),
]


@pytest.mark.parametrize(("path", "form", "field"), CONTROLS)
def test_a_message_sid_with_control_characters_gets_400(
    db_client: FlaskClient, path: str, form: dict[str, str], field: str
) -> None:
    response = post(db_client, path, form)
    assert response.status_code == 400, response.get_data(as_text=True)
    assert response.get_json()["reason"] == f"{field}: must not contain control characters"
