"""A number refused by the officer page, the API or a webhook is named by its fault, never quoted.

Error pages and bodies end up in proxies' logs, browsers' histories and dispatch systems'
error queues; a mistyped number may still be a resident's.
"""

from __future__ import annotations

import re

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.web.pages import csrf_token, log_in, make_user

# Refused for each reason the service gives: too short, no area code, an area code that does
# not exist, not a number at all (its digits), and a Telegram chat id that is not an id.
BAD = [
    ("sms", "12345", "not a possible phone number"),
    ("sms", "555-0142", "no area code"),
    ("sms", "+1 (012) 555-0142", "area code that does not exist"),
    ("sms", "+999 555 0142 77", "not a phone number"),
    ("whatsapp", "41555501234567890123", "not a phone number"),
]


def digits(text: str) -> str:
    """Return a number's digits, as a search for it in a body wants them."""
    return re.sub(r"\D", "", text)


def leaks(body: str, typed: str) -> bool:
    """Say whether a body holds the number typed, as typed or as its digits."""
    return typed in body or digits(typed) in re.sub(r"\D", "", body)


def officer(app: Flask) -> FlaskClient:
    """Return a client signed in as an officer."""
    client = app.test_client()
    assert log_in(client, make_user(app, officer_id="B-1042")).status_code == 302
    return client


@pytest.mark.parametrize(("channel", "typed", "reason"), BAD)
def test_the_officer_form_names_the_fault_not_the_number(
    app: Flask, channel: str, typed: str, reason: str
) -> None:
    client = officer(app)
    form = {"phone": typed, "language": "en", "incident": "24-1", "call_type": "Traffic stop"}
    response = client.post("/officer", data={"csrf_token": csrf_token(client, "/officer"), **form})

    body = response.get_data(as_text=True)
    assert response.status_code == 400
    assert reason in body.lower()
    assert not leaks(body, typed), "the page quotes the number typed"


@pytest.mark.parametrize(("channel", "typed", "reason"), [*BAD, ("telegram", "+1555x", "id")])
def test_the_api_names_the_fault_not_the_number(
    client: FlaskClient, api_token: str, channel: str, typed: str, reason: str
) -> None:
    body = {"channel": channel, "address": typed, "incident_id": "24-1"}
    response = client.post(
        "/api/v1/surveys", json=body, headers={"Authorization": f"Bearer {api_token}"}
    )

    assert response.status_code == 400
    assert reason in response.get_json()["fields"]["address"]
    assert not leaks(response.get_data(as_text=True), typed)


def test_the_sms_webhook_names_the_fault_not_the_sender(client: FlaskClient) -> None:
    from tests.web.helpers import post_sms

    sender = "+999 555 0142 77"
    response = post_sms(client, sender, "hello")

    assert response.status_code == 400
    assert "From: not a phone number" in response.get_data(as_text=True)
    assert not leaks(response.get_data(as_text=True), sender)
