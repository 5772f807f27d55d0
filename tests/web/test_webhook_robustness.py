"""No input ever produces a 500; proxies are handled; nothing personal is logged at INFO."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from twilio.request_validator import RequestValidator
from werkzeug.test import TestResponse

from bot.bootstrap import Definitions
from bot.config.settings import Settings
from tests.support import AUTH_TOKEN, FakeClock, sign
from tests.web.helpers import SMS_PATH, post_sms, random_number, reply

# Values short, around the SID column's 128 characters, and around a message's 1,600.
VALUES = st.one_of(
    st.text(max_size=200),
    st.text(min_size=100, max_size=300),
    st.text(alphabet="SM0123456789abcdef", min_size=60, max_size=200),
    st.text(min_size=1590, max_size=1700),
)
PHONES = st.from_regex(r"\+1555[0-9]{7}", fullmatch=True)
# Each field may be missing, plausible or anything at all: a form that gets past one check
# (a real phone number in From) must meet every later one with odd values.
FIELDS = st.fixed_dictionaries(
    {},
    optional={
        "MessageSid": VALUES,
        "SmsSid": VALUES,
        "From": st.one_of(VALUES, PHONES),
        "Body": VALUES,
        "OptOutType": st.one_of(VALUES, st.sampled_from(["STOP", "START", "HELP"])),
        "NumMedia": st.one_of(VALUES, st.sampled_from(["0", "1", "10"])),
        "To": VALUES,
        "Other": VALUES,
    },
)
STATUS_FIELDS = st.fixed_dictionaries(
    {},
    optional={
        "MessageSid": VALUES,
        "MessageStatus": st.one_of(VALUES, st.sampled_from(["delivered", "failed", "sent"])),
        "ErrorCode": st.one_of(VALUES, st.sampled_from(["21610", "30006"])),
        "SmsStatus": VALUES,
    },
)


@pytest.fixture()
def db_client(make_app: Callable[[str], Flask], database_url: str) -> FlaskClient:
    """Return a client of the app on SQLite, then on the real PostgreSQL."""
    return make_app(database_url).test_client()


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(form=FIELDS)
def test_any_signed_form_gets_an_answer_not_a_500(
    db_client: FlaskClient, form: dict[str, str]
) -> None:
    response = post_sms_raw(db_client, form)
    assert response.status_code in {200, 400}, response.get_data(as_text=True)


@settings(
    max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(form=STATUS_FIELDS)
def test_any_signed_status_callback_gets_an_answer_not_a_500(
    db_client: FlaskClient, form: dict[str, str]
) -> None:
    path = "/webhooks/twilio/status"
    response = db_client.post(path, data=form, headers={"X-Twilio-Signature": sign(path, form)})
    assert response.status_code in {204, 400}, response.get_data(as_text=True)


@settings(
    max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(body=st.text(max_size=1600))
def test_any_body_mid_survey_gets_a_reply(client: FlaskClient, body: str) -> None:
    number = random_number()
    reply(post_sms(client, number, "SURVEY"))
    assert post_sms(client, number, body).status_code == 200


def post_sms_raw(client: FlaskClient, form: dict[str, str]) -> TestResponse:
    """Post an arbitrary form with a valid signature."""
    return client.post(SMS_PATH, data=form, headers={"X-Twilio-Signature": sign(SMS_PATH, form)})


@pytest.fixture()
def proxied_app(
    make_settings: Callable[[str], Settings],
    clock: FakeClock,
    tmp_path: Path,
    definitions: Callable[[Settings], Definitions],
) -> Iterator[Flask]:
    """An app behind one reverse proxy, without PUBLIC_BASE_URL."""
    from bot import create_app
    from bot.bootstrap import bootstrap

    base = make_settings(f"sqlite:///{tmp_path / 'proxy.db'}")
    settings = base.with_overrides(public_base_url="", trusted_proxies=1)
    rt = bootstrap(settings, clock=clock, definitions=definitions(settings))
    yield create_app(settings, rt)
    rt.close()


def test_signature_checked_against_the_forwarded_public_url(proxied_app: Flask) -> None:
    form = {"MessageSid": "SM" + "b" * 32, "From": random_number(), "Body": "HELP"}
    public = "https://survey.example.gov/webhooks/twilio/sms"
    signature = RequestValidator(AUTH_TOKEN).compute_signature(public, form)
    forwarded = {"X-Forwarded-Proto": "https", "X-Forwarded-Host": "survey.example.gov"}
    client = proxied_app.test_client()
    ok = client.post(SMS_PATH, data=form, headers={"X-Twilio-Signature": signature, **forwarded})
    assert ok.status_code == 200
    bare = client.post(SMS_PATH, data=form, headers={"X-Twilio-Signature": signature})
    assert bare.status_code == 403


def test_no_phone_number_or_answer_text_in_logs_at_info(
    client: FlaskClient, caplog: pytest.LogCaptureFixture
) -> None:
    number = random_number()
    secret_comment = "my neighbour Zebulon saw everything"
    with caplog.at_level(logging.INFO):
        for text in ["SURVEY", "yes", "5", "4", "5", "5", secret_comment, "STOP"]:
            post_sms(client, number, text)
    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert caplog.records, "the turns should be logged"
    assert number not in logged and number[2:] not in logged
    assert "Zebulon" not in logged
