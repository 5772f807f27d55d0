"""The officer's result page: cancel a survey, see a reclassified call cancelled, say when a
queued survey really goes out, and never reveal a resident's history."""

from __future__ import annotations

import secrets
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from bot.scheduling.model import SendPolicy
from bot.services.scheduled_items import run_due_items
from bot.services.send_slots import sender_key
from tests.standins import TwilioStandIn
from tests.support import FakeClock
from tests.web.helpers import post_sms, random_number
from tests.web.pages import csrf_token, sqlite, text
from tests.web.test_officer_page import officer, outcome, request_survey

# The agency defaults: two hours after the contact, no texts at night, one survey a month.
DEFAULTS = SendPolicy()
BUTTON = "Cancel this survey"


def _cancel(client: FlaskClient) -> str:
    """Press the result page's Cancel button; return the page it leads to."""
    token = csrf_token(client, "/officer/result")
    posted = client.post("/officer/cancel", data={"csrf_token": token})
    assert posted.status_code == 303 and posted.headers["Location"] == "/officer/result"
    return text(client.get("/officer/result"))


def test_an_officer_cancels_the_survey_they_just_asked_for(
    make_app: Callable[..., Flask], tmp_path: Path, clock: FakeClock, twilio: TwilioStandIn
) -> None:
    app = make_app(sqlite(tmp_path), send_policy=DEFAULTS)
    client, number = officer(app), random_number()
    shown = request_survey(client, phone=number, incident="24-77")
    assert outcome(shown) == "scheduled" and BUTTON in text(shown)

    page = _cancel(client)

    assert 'data-outcome="cancelled"' in page
    assert "Cancelled — nothing will be sent." in page
    assert BUTTON not in page
    assert number[-2:] in page and number[2:] not in page
    clock.advance(days=1)
    assert run_due_items(app.extensions["parley.runtime"]) == []
    assert twilio.bodies_to(number) == []


def test_a_refused_or_sent_survey_offers_no_button(app: Flask) -> None:
    client = officer(app)
    refused = request_survey(client, phone=random_number(), call_type="DV")
    assert outcome(refused) == "refused" and BUTTON not in text(refused)


def test_cancel_needs_the_forms_csrf_token(
    make_app: Callable[..., Flask], tmp_path: Path, clock: FakeClock, twilio: TwilioStandIn
) -> None:
    app = make_app(sqlite(tmp_path), send_policy=DEFAULTS)
    client, number = officer(app), random_number()
    request_survey(client, phone=number)
    assert client.post("/officer/cancel", data={}).status_code == 400
    clock.advance(hours=2)
    assert run_due_items(app.extensions["parley.runtime"]) == ["sent"]


def test_cancel_needs_a_signed_in_officer(app: Flask) -> None:
    response = app.test_client().post("/officer/cancel")
    assert response.status_code in (302, 400)
    assert "/officer/result" not in response.headers.get("Location", "")


def test_a_call_reclassified_on_the_officer_page_is_cancelled(
    make_app: Callable[..., Flask], tmp_path: Path, clock: FakeClock, twilio: TwilioStandIn
) -> None:
    app = make_app(sqlite(tmp_path), send_policy=DEFAULTS)
    client, number, incident = officer(app), random_number(), f"R-{secrets.token_hex(2)}"
    assert outcome(request_survey(client, phone=number, incident=incident)) == "scheduled"

    again = request_survey(client, phone=number, incident=incident, call_type="Dom. Viol.")

    assert outcome(again) == "cancelled"
    assert "never surveyed" in text(again) and "nothing will be sent" in text(again)
    assert "Nothing new was sent" not in text(again)
    clock.advance(days=1)
    assert run_due_items(app.extensions["parley.runtime"]) == []
    assert twilio.bodies_to(number) == []


def _opted_out(app: Flask, number: str) -> None:
    post_sms(app.test_client(), number, "STOP")


def _no_survey(app: Flask, number: str) -> None:
    post_sms(app.test_client(), number, "NOSURVEY")


def _surveyed(app: Flask, number: str) -> None:
    assert outcome(request_survey(officer(app), phone=number)) == "sent"


@pytest.mark.parametrize("history", [_opted_out, _no_survey, _surveyed])
def test_a_residents_history_is_never_revealed(
    make_app: Callable[..., Flask], tmp_path: Path, history: Callable[[Flask, str], None]
) -> None:
    # Surveys go out at once, one a month at most.
    policy = SendPolicy(delay=timedelta(0), quiet_hours=None)
    app = make_app(sqlite(tmp_path), send_policy=policy)
    number = random_number()
    history(app, number)

    page = text(request_survey(officer(app), phone=number, incident="24-9"))

    assert "A survey cannot be sent to this number." in page
    for telling in ("opted", "asked not", "do-not-survey", "recently", "STOP", "list"):
        assert telling not in page.split("<main")[-1], telling


def test_a_number_opted_out_at_the_carrier_is_not_revealed_either(
    app: Flask, twilio: TwilioStandIn
) -> None:
    twilio.failures.append((400, 21610))
    page = text(request_survey(officer(app), phone=random_number()))
    assert "A survey cannot be sent to this number." in page


def test_queued_says_when_the_text_will_really_go_out(app: Flask, clock: FakeClock) -> None:
    rt = app.extensions["parley.runtime"]
    with rt.uow() as uow:  # 25 minutes of texts already waiting on the agency's number
        uow.schedule.reserve_slot(
            sender_key("sms", rt.senders["sms"]), clock.now, timedelta(minutes=25)
        )
        uow.commit()

    page = request_survey(officer(app), phone=random_number())

    assert outcome(page) == "queued"
    # 15:25 UTC is 10:25 in New York, the agency's zone.
    assert "will be texted at 10:25 on Mon 2 Nov (EST)" in text(page)
    assert BUTTON in text(page)
