"""A conversation's progress columns (sent_at, delivered_at, answered_at) set by the real flows.

The results funnel reads them instead of the messages and answers, so each must be written by
the event itself, once: a later report or answer never moves it.
"""

from __future__ import annotations

import io
import uuid
from collections.abc import Callable
from datetime import datetime, timedelta

import pytest
from flask import Flask

from bot.channels.console import run_chat
from tests.standins import TwilioStandIn
from tests.support import FakeClock
from tests.web.helpers import post_sms, random_number, reply
from tests.web.test_twilio_status import Survey

Progress = tuple[datetime | None, datetime | None, datetime | None]


def progress(app: Flask, conversation_id: uuid.UUID) -> Progress:
    """Read a conversation's sent_at, delivered_at and answered_at."""
    with app.extensions["parley.runtime"].uow() as uow:
        conversation = uow.conversations.get(conversation_id)
        assert conversation is not None
        return conversation.sent_at, conversation.delivered_at, conversation.answered_at


def conversation_of(app: Flask, number: str) -> uuid.UUID:
    """Return the id of the newest conversation with an SMS number."""
    with app.extensions["parley.runtime"].uow() as uow:
        respondent = uow.respondents.find("sms", number)
        assert respondent is not None
        conversation = uow.conversations.latest_for(respondent.id)
        assert conversation is not None
        return conversation.id


@pytest.fixture()
def survey(
    make_app: Callable[[str], Flask], database_url: str, twilio: TwilioStandIn
) -> tuple[Flask, Survey]:
    """Start an SMS survey through the API (sent by the Twilio stand-in), SQLite then PostgreSQL."""
    app = make_app(database_url)
    return app, Survey(app, database_url, twilio)


def test_a_survey_sent_by_the_provider_is_sent_not_yet_delivered_nor_answered(
    survey: tuple[Flask, Survey], clock: FakeClock
) -> None:
    app, started = survey
    assert progress(app, uuid.UUID(started.id)) == (clock.now, None, None)


def test_a_delivery_report_sets_delivered_once(
    survey: tuple[Flask, Survey], clock: FakeClock
) -> None:
    app, started = survey
    sent_at = clock.now
    clock.advance(seconds=30)
    assert started.report("delivered").status_code == 204
    delivered_at = clock.now
    clock.advance(minutes=5)
    assert started.report("read").status_code == 204
    assert started.report("delivered").status_code == 204

    assert progress(app, uuid.UUID(started.id)) == (sent_at, delivered_at, None)


def test_a_failed_report_after_sending_leaves_it_sent(
    survey: tuple[Flask, Survey], clock: FakeClock
) -> None:
    app, started = survey
    sent_at = clock.now
    clock.advance(seconds=30)
    assert started.report("undelivered", "30003").status_code == 204
    assert progress(app, uuid.UUID(started.id)) == (sent_at, None, None)


def test_the_first_answer_sets_answered_and_a_later_one_does_not_move_it(
    survey: tuple[Flask, Survey], clock: FakeClock
) -> None:
    app, started = survey
    sent_at = clock.now
    clock.advance(minutes=2)
    assert reply(post_sms(started.client, started.number, "yes"))
    answered_at = clock.now
    clock.advance(minutes=2)
    assert reply(post_sms(started.client, started.number, "5"))

    assert progress(app, uuid.UUID(started.id)) == (sent_at, None, answered_at)


def test_a_survey_started_by_keyword_is_sent_by_its_inline_twiml_reply(
    app: Flask, clock: FakeClock
) -> None:
    client, number = app.test_client(), random_number()
    assert reply(post_sms(client, number, "SURVEY"))
    conversation = conversation_of(app, number)
    started_at = clock.now
    clock.advance(minutes=1)
    assert reply(post_sms(client, number, "yes"))
    answered_at = clock.now
    clock.advance(minutes=1)
    assert reply(post_sms(client, number, "4"))

    # No delivery report ever comes for a TwiML reply: it is sent, never known delivered.
    assert progress(app, conversation) == (started_at, None, answered_at)


def test_a_console_chat_is_sent_when_printed_and_started_when_answered(
    app: Flask, clock: FakeClock
) -> None:
    rt = app.extensions["parley.runtime"]
    said = iter(["yes", "5"])

    def ask() -> str:
        """Answer as a resident at the console, a minute later each time, then leave."""
        clock.advance(minutes=1)
        text = next(said, None)
        if text is None:
            raise EOFError
        return text

    address = f"console-{uuid.uuid4().hex[:8]}"
    printed_at = clock.now
    run_chat(rt, "post_contact", "en", ask, io.StringIO(), address)
    with rt.uow() as uow:
        respondent = uow.respondents.find("console", address)
        assert respondent is not None
        conversation = uow.conversations.latest_for(respondent.id)
        assert conversation is not None
        conversation_id = conversation.id

    sent_at, delivered_at, answered_at = progress(app, conversation_id)
    assert (sent_at, delivered_at) == (printed_at, None)
    assert answered_at == printed_at + timedelta(minutes=1)
