"""Retention through the real code paths: surveys by SMS, then the clock past RETENTION_DAYS."""

from __future__ import annotations

import secrets
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import func, select

from bot.services.retention import REMOVED, RetentionReport, run_retention
from bot.services.tokens import SCOPES, create_token
from storage.models import Contact, Conversation, Message
from storage.queries.results_sql import ResultsFilter
from tests.integration.retention_helpers import (
    CAPPED,
    answers_of,
    ask,
    engine_of,
    links,
    messages_of,
    respondent_id,
    respondent_row,
    row,
    runtime,
    take_survey,
)
from tests.standins import TwilioStandIn
from tests.support import IMMEDIATE_POLICY, FakeClock
from tests.web.helpers import post_sms, random_number, reply


@pytest.fixture()
def site(make_app: Callable[..., Flask], own_database_url: str) -> Flask:
    """Return the app on the test's own database, a resident surveyed once in 60 days."""
    return make_app(own_database_url, send_policy=CAPPED)


@pytest.fixture()
def token(site: Flask) -> str:
    """Return an API token of the site, allowed to start surveys and read results."""
    rt = runtime(site)
    return create_token(rt.uow, "test", rt.clock(), SCOPES)


def _figures(site: Flask, unit: str, clock: FakeClock) -> tuple[object, ...]:
    """Return the unit's results: the funnel, and the breakdown by channel and language."""
    results = runtime(site).results
    start = datetime(2026, 1, 1, tzinfo=UTC)
    where = ResultsFilter(since=start, until=clock.now + timedelta(days=1), unit=unit)
    return (
        results.funnel(where),
        results.breakdown(where, "channel"),
        results.breakdown(where, "language"),
    )


@dataclass
class PastRetention:
    """A survey taken through the webhook, then retention run 31 days later."""

    survey: uuid.UUID
    resident: uuid.UUID
    number: str
    unit: str
    figures: tuple[object, ...]
    answers: dict[str, tuple[Any, ...]]
    sent: int
    report: RetentionReport


OWN_COMMENT = "Call me on {own} or +1 (555) 201-4477, waited 45 minutes. Kind officer"
SCRUBBED = f"Call me on {REMOVED} or {REMOVED}, waited 45 minutes. Kind officer"


def _past_retention(site: Flask, token: str, clock: FakeClock) -> PastRetention:
    """Take a survey with the resident's number typed in its comment; run retention after."""
    client, rt = site.test_client(), runtime(site)
    number, unit = random_number(), "U-" + secrets.token_hex(3)
    survey = uuid.UUID(ask(client, token, number, unit)["id"])
    resident = respondent_id(site, "sms", number)
    assert resident is not None
    take_survey(client, number, OWN_COMMENT.format(own=f"{number[2:5]}-{number[5:8]}-{number[8:]}"))
    # The webhook found the resident the API created, every time.
    assert respondent_id(site, "sms", number) == resident
    figures, answers = _figures(site, unit, clock), answers_of(site, survey)
    sent = len(messages_of(site, survey))
    clock.advance(days=31)
    report = run_retention(rt, clock())
    return PastRetention(survey, resident, number, unit, figures, answers, sent, report)


def test_a_survey_past_retention_keeps_its_answers_and_results(
    site: Flask, token: str, clock: FakeClock
) -> None:
    past = _past_retention(site, token, clock)

    assert (past.report.conversations, past.report.messages) == (1, past.sent)
    assert past.report.answers == 1
    conversation = row(site, Conversation, past.survey)
    assert (conversation.status, conversation.language) == ("completed", "en")
    assert conversation.disposition == "complete" and conversation.redacted_at == clock.now
    contact = row(site, Contact, conversation.contact_id)
    assert (contact.officer_id, contact.unit, contact.call_type) == (
        "A123",
        past.unit,
        "traffic_stop",
    )
    assert answers_of(site, past.survey) == {**past.answers, "comment": (SCRUBBED, SCRUBBED, "en")}
    assert _figures(site, past.unit, clock) == past.figures


def test_a_survey_past_retention_leads_nowhere_from_the_residents_hash(
    site: Flask, token: str, clock: FakeClock
) -> None:
    past = _past_retention(site, token, clock)

    conversation = row(site, Conversation, past.survey)
    anonymous = respondent_row(site, conversation.respondent_id)
    assert anonymous.address_hash.startswith("anon-") and anonymous.address_enc == ""
    assert (anonymous.channel, row(site, Contact, conversation.contact_id).respondent_id) == (
        "sms",
        anonymous.id,
    )
    assert messages_of(site, past.survey) == [(None, None, None, anonymous.id)] * past.sent
    # With the keys, the number's hash finds a row that says nothing of the survey.
    assert respondent_id(site, "sms", past.number) == past.resident
    kept = respondent_row(site, past.resident)
    assert (kept.address_enc, kept.last_surveyed_at) == ("", datetime(2026, 11, 3, tzinfo=UTC))
    assert links(site, past.resident) == {"conversations": 0, "contacts": 0, "messages": 0}
    again = run_retention(runtime(site), clock())
    assert set(dict(again.counts()).values()) == {0}
    assert answers_of(site, past.survey)["comment"][0] == SCRUBBED


def test_a_returning_resident_is_answered_and_the_cap_still_holds(
    site: Flask, token: str, clock: FakeClock, twilio: TwilioStandIn
) -> None:
    client, rt = site.test_client(), runtime(site)
    number = random_number()
    ask(client, token, number, "U-cap")
    take_survey(client, number, "fine")
    clock.advance(days=31)
    run_retention(rt, clock())
    resident = respondent_id(site, "sms", number)
    assert respondent_row(site, resident).address_enc == ""

    # Texting back seals the number again: the resident is answered, but not surveyed.
    assert "already taken this survey recently" in reply(post_sms(client, number, "SURVEY"))
    assert respondent_row(site, resident).address_enc != ""
    refused = ask(client, token, number, "U-cap")
    assert (refused["status"], refused["reason"]) == ("refused", "frequency_cap")


def test_a_resident_on_no_list_is_forgotten_once_the_cap_no_longer_needs_them(
    site: Flask, token: str, clock: FakeClock, twilio: TwilioStandIn
) -> None:
    client, rt = site.test_client(), runtime(site)
    number = random_number()
    ask(client, token, number, "U-forget")
    take_survey(client, number, "fine")
    clock.advance(days=31)
    first = run_retention(rt, clock())
    assert (first.hash_only, first.deleted) == (1, 0)

    clock.advance(days=31)  # 62 days after the survey: past the 60-day cap
    second = run_retention(rt, clock())

    assert (second.hash_only, second.deleted) == (0, 1)
    assert respondent_id(site, "sms", number) is None
    assert ask(client, token, number, "U-forget")["status"] == "active"
    assert len(twilio.bodies_to(number)) == 2


def test_stop_and_nosurvey_survive_retention_on_the_hash_alone(
    make_app: Callable[..., Flask], own_database_url: str, clock: FakeClock, twilio: TwilioStandIn
) -> None:
    site = make_app(own_database_url, send_policy=IMMEDIATE_POLICY)
    client, rt = site.test_client(), runtime(site)
    token = create_token(rt.uow, "test", rt.clock(), SCOPES)
    stopped, listed, idle = random_number(), random_number(), random_number()
    post_sms(client, stopped, "SURVEY")
    post_sms(client, stopped, "STOP")
    post_sms(client, listed, "NOSURVEY")
    post_sms(client, idle, "pizza?")
    ids = {n: respondent_id(site, "sms", n) for n in (stopped, listed, idle)}
    clock.advance(days=31)

    report = run_retention(rt, clock())

    assert (report.hash_only, report.deleted) == (3, 1)
    assert respondent_id(site, "sms", idle) is None
    for number in (stopped, listed):
        assert respondent_id(site, "sms", number) == ids[number]
        assert respondent_row(site, ids[number]).address_enc == ""
    assert _loose_bodies_or_links(site) == 0
    texted = {n: len(twilio.bodies_to(n)) for n in (stopped, listed)}
    refused = {n: ask(client, token, n, "U-lists")["reason"] for n in (stopped, listed)}
    assert refused == {stopped: "opted_out", listed: "do_not_survey"}
    assert {n: len(twilio.bodies_to(n)) for n in (stopped, listed)} == texted
    assert "subscribed again" in reply(post_sms(client, stopped, "START"))


def _loose_bodies_or_links(site: Flask) -> int:
    """Count messages of no conversation that still hold a body or name a respondent."""
    query = select(func.count()).where(
        Message.conversation_id.is_(None),
        (Message.body.is_not(None)) | (Message.respondent_id.is_not(None)),
    )
    with engine_of(site).connect() as connection:
        return int(connection.execute(query).scalar_one())


def test_a_live_survey_and_one_ended_recently_are_left_alone(
    site: Flask, token: str, clock: FakeClock
) -> None:
    client, rt = site.test_client(), runtime(site)
    old, live, recent = random_number(), random_number(), random_number()
    ask(client, token, old, "U-live")
    take_survey(client, old, "fine")
    live_id = uuid.UUID(ask(client, token, live, "U-live")["id"])
    clock.advance(days=20)
    recent_id = uuid.UUID(ask(client, token, recent, "U-live")["id"])
    take_survey(client, recent, "fine")
    untouched = {key: messages_of(site, key) for key in (live_id, recent_id)}
    clock.advance(days=11)

    report = run_retention(rt, clock())

    assert report.conversations == 1
    for key, number in ((live_id, live), (recent_id, recent)):
        conversation = row(site, Conversation, key)
        assert conversation.redacted_at is None
        assert conversation.respondent_id == respondent_id(site, "sms", number)
        assert messages_of(site, key) == untouched[key]
        assert any(body is not None for body, *_ in untouched[key])


def test_wrong_card_codes_and_cached_translations_go_after_the_period(
    site: Flask, clock: FakeClock
) -> None:
    client, rt = site.test_client(), runtime(site)
    number = random_number()
    post_sms(client, number, "hello")
    resident = respondent_id(site, "sms", number)
    with rt.uow() as uow:
        uow.cards.record_attempt(resident, clock())
        uow.translations.remember("hola", "es", "en", "libre", "hello", clock())
        uow.commit()
    clock.advance(days=29)
    early = run_retention(rt, clock())
    assert (early.card_attempts, early.translations, early.hash_only) == (0, 0, 0)
    clock.advance(days=2)

    report = run_retention(rt, clock())

    assert (report.card_attempts, report.translations) == (1, 1)
    assert (report.hash_only, report.deleted) == (1, 1)
    assert respondent_id(site, "sms", number) is None


def test_an_anonymous_row_is_read_without_error_and_names_no_number(
    site: Flask, token: str, clock: FakeClock
) -> None:
    client, rt = site.test_client(), runtime(site)
    number = random_number()
    survey = uuid.UUID(ask(client, token, number, "U-anon")["id"])
    take_survey(client, number, "fine")
    clock.advance(days=31)
    run_retention(rt, clock())
    anonymous = row(site, Conversation, survey).respondent_id

    with rt.uow() as uow:
        found = uow.respondents.get(anonymous)
        assert found is not None and not found.reachable
        with pytest.raises(LookupError) as raised:
            _ = found.address
    assert "erased" in str(raised.value) and number[2:] not in str(raised.value)
    response = client.delete(
        f"/api/v1/surveys/{survey}", headers={"Authorization": f"Bearer {token}"}
    )
    # Cancelling it afterwards describes it as it ended, rather than failing on the row.
    assert response.status_code == 200
    assert (response.get_json()["id"], response.get_json()["status"]) == (str(survey), "completed")
