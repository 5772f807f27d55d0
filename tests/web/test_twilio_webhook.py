"""The signed Twilio SMS webhook: signatures, malformed requests, keywords, redeliveries."""

from __future__ import annotations

import secrets

import pytest
from flask import Flask
from flask.testing import FlaskClient

from bot.scheduling.states import Direction, MessageStatus
from tests.support import sign
from tests.web.helpers import SMS_PATH, post_sms, random_number, replies, reply


def test_keyword_starts_the_survey_naming_the_agency(client: FlaskClient) -> None:
    text = reply(post_sms(client, random_number(), "survey"))
    assert "Springfield Police" in text
    assert "STOP" in text


def test_unknown_sender_texting_a_random_word_is_told_what_this_is(client: FlaskClient) -> None:
    text = reply(post_sms(client, random_number(), "pizza?"))
    assert "Springfield Police" in text
    assert "SURVEY" in text


@pytest.mark.parametrize(
    ("headers", "why"),
    [
        ({}, "missing X-Twilio-Signature"),
        ({"X-Twilio-Signature": "bm90IGEgc2lnbmF0dXJl"}, "invalid X-Twilio-Signature"),
    ],
)
def test_unsigned_or_badly_signed_requests_are_refused(
    client: FlaskClient, headers: dict[str, str], why: str
) -> None:
    form = {"MessageSid": "SM1", "From": random_number(), "Body": "hi"}
    response = client.post(SMS_PATH, data=form, headers=headers)
    assert response.status_code == 403
    assert response.get_json()["reason"] == why


def test_signature_for_another_url_is_refused(client: FlaskClient) -> None:
    form = {"MessageSid": "SM1", "From": random_number(), "Body": "hi"}
    signature = sign("/webhooks/twilio/other", form)
    response = client.post(SMS_PATH, data=form, headers={"X-Twilio-Signature": signature})
    assert response.status_code == 403


def test_signature_made_with_another_token_is_refused(client: FlaskClient) -> None:
    form = {"MessageSid": "SM1", "From": random_number(), "Body": "hi"}
    signature = sign(SMS_PATH, form, token="another-token")
    response = client.post(SMS_PATH, data=form, headers={"X-Twilio-Signature": signature})
    assert response.status_code == 403


def test_tampered_body_is_refused(client: FlaskClient) -> None:
    form = {"MessageSid": "SM1", "From": random_number(), "Body": "5"}
    signature = sign(SMS_PATH, form)
    response = client.post(
        SMS_PATH, data={**form, "Body": "1"}, headers={"X-Twilio-Signature": signature}
    )
    assert response.status_code == 403


@pytest.mark.parametrize("missing", ["MessageSid", "From"])
def test_missing_fields_get_400_with_the_reason(client: FlaskClient, missing: str) -> None:
    form = {"MessageSid": "SM" + "a" * 32, "From": random_number(), "Body": "hi"}
    del form[missing]
    response = client.post(
        SMS_PATH, data=form, headers={"X-Twilio-Signature": sign(SMS_PATH, form)}
    )
    assert response.status_code == 400
    assert "MessageSid and From are required" in response.get_json()["reason"]


def test_sender_that_is_not_a_phone_number_gets_400(client: FlaskClient) -> None:
    response = post_sms(client, "not-a-number", "hi")
    assert response.status_code == 400
    assert response.get_json()["reason"].startswith("From:")


def test_json_body_with_valid_signature_gets_400_not_500(client: FlaskClient) -> None:
    response = client.post(
        SMS_PATH,
        data="{]",
        content_type="application/json",
        headers={"X-Twilio-Signature": sign(SMS_PATH, {})},
    )
    assert response.status_code == 400


def test_get_is_405(client: FlaskClient) -> None:
    assert client.get(SMS_PATH).status_code == 405


@pytest.mark.parametrize("body", ["", " ", "🙂", "x" * 1600, "\u202e\u0000bad", "4️⃣"])
def test_odd_bodies_get_an_answer(client: FlaskClient, body: str) -> None:
    number = random_number()
    reply(post_sms(client, number, "SURVEY"))
    assert reply(post_sms(client, number, body)), "every odd body still gets an answer"


def test_redelivered_message_sid_gets_the_same_reply_and_stores_once(
    app: Flask, client: FlaskClient
) -> None:
    number = random_number()
    reply(post_sms(client, number, "SURVEY"))
    first = post_sms(client, number, "yes", sid="SMduplicate0001")
    again = post_sms(client, number, "yes", sid="SMduplicate0001")
    assert replies(first) == replies(again)
    rt = app.extensions["parley.runtime"]
    with rt.uow() as uow:
        respondent = uow.respondents.find("sms", number)
        conversation = uow.conversations.open_for(respondent.id)
        assert len(uow.conversations.answers(conversation.id)) == 1
        assert uow.messages.find("sms", "SMduplicate0001") is not None


def test_a_reply_given_in_the_twiml_answer_is_logged_as_replied_inline(
    app: Flask, client: FlaskClient
) -> None:
    # Twilio sends a TwiML reply itself and reports nothing on it: it is never logged "sent".
    sid = "SM" + secrets.token_hex(16)
    answer = reply(post_sms(client, random_number(), "SURVEY", sid=sid))
    rt = app.extensions["parley.runtime"]
    with rt.uow() as uow:
        inbound = uow.messages.find("sms", sid)
        assert inbound is not None and inbound.status == MessageStatus.RECEIVED
        logged = [
            (m.direction, m.status, m.body, m.provider_message_id)
            for m in uow.messages.replies_to(inbound.id)
        ]
    assert logged == [(Direction.OUT, MessageStatus.REPLIED_INLINE, answer, None)]
    assert MessageStatus.REPLIED_INLINE == "replied_inline"


def test_stop_opts_out_in_every_conversation_and_start_lifts_it(client: FlaskClient) -> None:
    number = random_number()
    reply(post_sms(client, number, "SURVEY"))
    confirmation = reply(post_sms(client, number, "Stop."))
    assert "Springfield Police" in confirmation
    assert reply(post_sms(client, number, "SURVEY")) == ""
    # HELP is answered whatever happened before, as carriers require.
    assert "Springfield Police" in reply(post_sms(client, number, "HELP"))
    assert "Springfield Police" in reply(post_sms(client, number, "START"))
    assert reply(post_sms(client, number, "SURVEY"))


def test_spanish_stop_word_is_confirmed_in_spanish(client: FlaskClient) -> None:
    number = random_number()
    reply(post_sms(client, number, "ENCUESTA"))
    confirmation = reply(post_sms(client, number, "no más"))
    assert "Springfield Police" in confirmation
    assert reply(post_sms(client, number, "5")) == ""


def test_twilio_opt_out_type_is_honoured(client: FlaskClient) -> None:
    number = random_number()
    reply(post_sms(client, number, "SURVEY"))
    post_sms(client, number, "please leave me alone", extra={"OptOutType": "STOP"})
    assert reply(post_sms(client, number, "SURVEY")) == ""


@pytest.mark.parametrize(("word", "language_word"), [("HELP", "STOP"), ("AYUDA", "ALTO")])
def test_help_says_who_is_texting_and_how_to_stop(
    client: FlaskClient, word: str, language_word: str
) -> None:
    text = reply(post_sms(client, random_number(), word))
    assert "Springfield Police" in text
    assert language_word in text
