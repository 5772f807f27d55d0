"""A sender writing 100 messages a minute is stored, slowed and logged; nobody else notices."""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.support import FakeClock
from tests.web.helpers import post_sms, random_number, replies, reply

LIMIT = 20  # INBOUND_PER_MINUTE's default


def _inbound_count(app: Flask, number: str) -> int:
    """Count the messages stored from a number (through the repository, as the limit does)."""
    rt = app.extensions["parley.runtime"]
    with rt.uow() as uow:
        respondent = uow.respondents.find("sms", number)
        assert respondent is not None
        stored: int = uow.messages.inbound_since(respondent.id, rt.clock().replace(year=2000))
        return stored


def test_a_flood_is_stored_but_answered_only_up_to_the_limit_and_logged_once(
    app: Flask, clock: FakeClock, caplog: pytest.LogCaptureFixture
) -> None:
    client = app.test_client()
    flooder, neighbour = random_number(), random_number()
    assert "Thank you" not in reply(post_sms(client, flooder, "SURVEY"))

    with caplog.at_level(logging.INFO, logger="bot"):
        answered = [bool(replies(post_sms(client, flooder, "what?"))) for _ in range(99)]
        # Another resident, in the middle of the flood, is answered as usual.
        assert reply(post_sms(client, neighbour, "SURVEY"))
        assert reply(post_sms(client, neighbour, "yes"))

    assert sum(answered) <= LIMIT - 1 and not any(answered[LIMIT:])
    assert _inbound_count(app, flooder) == 100  # every message stored: retries are known
    floods = [r for r in caplog.records if "inbound flood" in r.getMessage()]
    assert len(floods) == 1 and floods[0].levelno == logging.WARNING
    assert flooder not in floods[0].getMessage() and flooder[-2:] in floods[0].getMessage()

    clock.advance(seconds=61)  # the minute passed: the resident is answered again
    assert "STOP" in reply(post_sms(client, flooder, "HELP"))


def test_stop_is_honoured_in_the_middle_of_a_flood(app: Flask) -> None:
    client = app.test_client()
    flooder = random_number()
    for _ in range(LIMIT + 5):
        post_sms(client, flooder, "hello?")

    confirmation = reply(post_sms(client, flooder, "STOP"))

    assert "START" in confirmation
    rt = app.extensions["parley.runtime"]
    with rt.uow() as uow:
        respondent = uow.respondents.find("sms", flooder)
        assert respondent is not None and respondent.opted_out_at is not None


def test_no_limit_when_the_agency_turns_it_off(
    make_app: Callable[..., Flask], tmp_path: Path
) -> None:
    limited = make_app(f"sqlite:///{tmp_path / 'limited.db'}").test_client()
    unlimited = make_app(f"sqlite:///{tmp_path / 'free.db'}", inbound_per_minute=0).test_client()

    def answered(client: FlaskClient) -> int:
        number = random_number()
        return sum(bool(replies(post_sms(client, number, "HELP"))) for _ in range(LIMIT + 5))

    assert answered(limited) == LIMIT and answered(unlimited) == LIMIT + 5


@pytest.mark.parametrize("in_a_survey", [False, True], ids=["stranger", "in a survey"])
def test_an_auto_responder_answering_every_text_stops_hearing_from_us(
    app: Flask, in_a_survey: bool
) -> None:
    client = app.test_client()
    number = random_number()
    ours = reply(post_sms(client, number, "SURVEY" if in_a_survey else "hi"))
    exchanges = 0
    while ours and exchanges < 100:  # the auto-responder answers each of our texts at once
        ours = reply(post_sms(client, number, "I'm driving, I'll get back to you later."))
        exchanges += 1

    # A stranger is pointed to the survey once a day; in a survey each question is asked
    # again at most its retries, then the survey moves on and ends.
    assert exchanges <= (1 if not in_a_survey else 20)
