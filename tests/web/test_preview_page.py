"""The survey preview page: roles, CSRF, a stateless transcript, and the replies a resident gets."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from bot.services.preview import MAX_REPLIES
from tests.standins import TwilioStandIn
from tests.web.helpers import post_sms, random_number, reply
from tests.web.pages import csrf_token, log_in, make_user, text

PAGE = "/admin/flows/post_contact/preview"


def signed_in(app: Flask, role: str) -> FlaskClient:
    """Return a client signed in with `role`."""
    client = app.test_client()
    assert log_in(client, make_user(app, role=role)).status_code == 302
    return client


@pytest.fixture()
def admin(app: Flask) -> FlaskClient:
    """Return a client signed in as an admin."""
    return signed_in(app, "admin")


def send(client: FlaskClient, said: list[str], query: str = "", **fields: str) -> TestResponse:
    """Post the preview's form: the replies so far (hidden fields) and a new one."""
    data = {"csrf_token": csrf_token(client, PAGE + query), "said": said, **fields}
    return client.post(PAGE + query, data=data)


def transcript(response: TestResponse) -> list[str]:
    """Return the hidden replies the reply form carries on."""
    form = re.search(r'<form method="post"[^>]*class="reply".*?</form>', text(response), re.S)
    assert form, text(response)
    return re.findall(r'name="said" value="([^"]*)"', form.group(0))


def bubbles(response: TestResponse) -> list[str]:
    """Return the texts of Parley's bubbles, in order."""
    return re.findall(r'<li class="bubble parley">.*?dir="auto">(.*?)</p>', text(response), re.S)


@pytest.mark.parametrize(
    ("role", "status"), [("officer", 403), ("supervisor", 200), ("admin", 200)]
)
def test_admins_and_supervisors_preview_officers_may_not(
    app: Flask, role: str, status: int
) -> None:
    client = signed_in(app, role)
    assert client.get(PAGE).status_code == status
    if status == 200:
        assert send(client, [], text="yes").status_code == 200


def test_strangers_are_sent_to_sign_in(client: FlaskClient) -> None:
    response = client.get(PAGE)
    assert response.status_code == 302
    assert "/login?next=" in response.headers["Location"]


def test_the_first_text_shows_with_its_encoding_and_segments(admin: FlaskClient) -> None:
    page = admin.get(PAGE + "?language=es")
    assert page.status_code == 200
    (first,) = bubbles(page)
    assert "queremos mejorar" in first
    assert '<span class="badge">GSM-7</span> <span class="badge">3 segments</span>' in text(page)
    assert transcript(page) == []


def test_each_reply_is_carried_in_the_form_and_answered_again(admin: FlaskClient) -> None:
    reprompt = send(admin, [], text="maybe")
    assert bubbles(reprompt)[-1] == "Sorry, I didn't understand.\nReply YES or NO."
    assert transcript(reprompt) == ["t:maybe"]
    answered = send(admin, transcript(reprompt), text="yes")
    assert "dignity and respect" in bubbles(answered)[-1]
    assert transcript(answered) == ["t:maybe", "t:yes"]


def test_the_preview_sends_nothing_and_matches_the_sms_webhook(
    app: Flask, admin: FlaskClient, twilio: TwilioStandIn, api_token: str
) -> None:
    said = ["maybe", "yes", "HELP", "español", "4", "STOP"]
    shown = bubbles(send(admin, [f"t:{s}" for s in said[:-1]], text=said[-1]))
    assert twilio.sent == []
    # The same replies, texted to the real webhook after a survey the API started.
    number = random_number()
    started = app.test_client().post(
        "/api/v1/surveys",
        json={"channel": "sms", "address": number, "flow": "post_contact", "language": "en"},
        headers={"Authorization": f"Bearer {api_token}"},
    )
    assert started.status_code == 201
    webhook = twilio.bodies_to(number) + [
        reply(post_sms(app.test_client(), number, s)) for s in said
    ]
    assert shown == webhook


def test_telegram_buttons_are_submits_that_send_their_value(admin: FlaskClient) -> None:
    query = "?channel=telegram"
    page = admin.get(PAGE + query)
    buttons = re.findall(
        r'<button type="submit" name="press" value="([^"]+)"[^>]*>([^<]+)<', text(page)
    )
    assert buttons == [("listened:1", "Yes"), ("listened:2", "No")]
    assert "Reply YES or NO" not in text(page)
    pressed = send(admin, [], query, press="listened:1")
    assert pressed.status_code == 200
    assert "Resident pressed" in text(pressed) and "✓ Yes" in text(pressed)
    assert transcript(pressed) == ["b:listened:1"]
    assert 'value="respect:5"' in text(pressed)


def test_a_post_without_the_csrf_token_is_refused(admin: FlaskClient) -> None:
    response = admin.post(PAGE, data={"text": "yes"})
    assert response.status_code == 400
    assert "csrf" in text(response).lower()


@pytest.mark.parametrize(
    ("query", "reason"),
    [
        ("?language=xx", "language must be one the flow offers: en, es"),
        ("?channel=fax", "channel must be one of: sms, telegram"),
    ],
)
def test_a_bad_language_or_channel_is_refused_with_the_reason(
    admin: FlaskClient, query: str, reason: str
) -> None:
    response = admin.get(PAGE + query)
    assert response.status_code == 400
    assert reason in text(response)


def test_an_unknown_flow_is_not_found(admin: FlaskClient) -> None:
    response = admin.get("/admin/flows/nope/preview")
    assert response.status_code == 404
    assert "no flow 'nope'" in text(response)


@pytest.mark.parametrize(
    ("said", "fields", "reason"),
    [
        (["yes"], {"text": "no"}, "were altered"),
        (["t:yes"] * (MAX_REPLIES + 1), {"text": "no"}, "at most"),
        (["t:yes"] * MAX_REPLIES, {"text": "no"}, "at most"),
        (["b:listened:1"], {"text": "no"}, "sms has no buttons"),
        (["t:yes\x07"], {"text": "no"}, "control characters"),
        (["t:" + "y" * 1601], {"text": "no"}, "1 to 1600 characters"),
        (["t:"], {"text": "no"}, "1 to 1600 characters"),
        ([], {"press": "respect:4"}, "sms has no buttons"),
    ],
)
def test_a_tampered_transcript_is_refused_with_the_reason(
    admin: FlaskClient, said: list[str], fields: dict[str, str], reason: str
) -> None:
    response = send(admin, said, **fields)
    assert response.status_code == 400
    assert reason in text(response)


def test_a_press_on_no_button_shown_is_refused(admin: FlaskClient) -> None:
    response = send(admin, [], "?channel=telegram", press="respect:4")
    assert response.status_code == 400
    assert "names no button shown" in text(response)


@pytest.mark.parametrize(
    ("typed", "error"),
    [("   ", "Type a reply to send."), ("y" * 1601, "A reply has at most 1600 characters.")],
)
def test_a_blank_or_long_reply_is_shown_next_to_the_box(
    admin: FlaskClient, typed: str, error: str
) -> None:
    response = send(admin, ["t:yes"], text=typed)
    assert response.status_code == 400
    assert f'<p class="error" id="text-error">{error}</p>' in text(response)
    assert transcript(response) == ["t:yes"]


def test_the_preview_runs_beside_either_database_and_stores_nothing(
    make_app: Callable[[str], Flask], database_url: str
) -> None:
    site = make_app(database_url)
    client = signed_in(site, "admin")
    response = send(client, ["t:yes"], "?language=es", text="4")
    assert response.status_code == 200
    assert "¿Qué tan bien le explicó el agente" in bubbles(response)[-1]
    rt = site.extensions["parley.runtime"]
    with rt.uow() as uow:
        # The made-up resident of every preview was never written to the agency's database.
        assert uow.respondents.find("sms", "+15555550100") is None


def test_telegram_commands_are_read_as_the_telegram_webhook_reads_them(
    admin: FlaskClient,
) -> None:
    helped = send(admin, [], "?channel=telegram", text="/help")
    assert bubbles(helped)[-1].startswith("Springfield Police community survey.")
    stopped = send(admin, transcript(helped), "?channel=telegram", text="/stop")
    assert "you're unsubscribed" in bubbles(stopped)[-1]
    assert 'data-status="opted_out"' in text(stopped)
    # Telegram's /start carries a card's code apart from the text; on SMS it is just text.
    carded = send(admin, [], "?channel=telegram", text="/start K7M4Q2HX")
    assert "we couldn't find that card code" in bubbles(carded)[-1]
    assert "card code" not in bubbles(send(admin, [], text="/start K7M4Q2HX"))[-1]
