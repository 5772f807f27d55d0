"""Erasure on request over the signed Twilio webhook: DELETE in several languages, the question it
asks, and what YES, NO or anything else does then; on SQLite and the real PostgreSQL."""

from __future__ import annotations

import secrets
import uuid
from collections.abc import Callable, Iterator

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from bot.engine.locale import system_message
from bot.i18n.bidi import strip_marks
from storage.db import make_engine
from storage.models import AuditEntry, Respondent
from tests.support import FakeClock
from tests.web.erasure_helpers import bodies, cached, deliveries_of, held, seed, still_there
from tests.web.helpers import post_sms, random_number, reply


@pytest.fixture()
def api_token(app: Flask) -> str:
    """Create an API token with a name of its own: PostgreSQL runs share one schema."""
    from bot.services.tokens import SCOPES, create_token

    rt = app.extensions["parley.runtime"]
    return create_token(rt.uow, f"erasure-{secrets.token_hex(4)}", rt.clock(), SCOPES)


@pytest.fixture()
def app(make_app: Callable[..., Flask], database_url: str) -> Flask:
    """Return the app on SQLite, then on the real PostgreSQL."""
    return make_app(database_url)


@pytest.fixture()
def client(app: Flask) -> FlaskClient:
    """Return a test client of the app."""
    return app.test_client()


@pytest.fixture()
def engine(app: Flask) -> Iterator[Engine]:
    """Open the app's database directly, to seed rows and count them."""
    engine = make_engine(app.extensions["parley.settings"].database_url)
    yield engine
    engine.dispose()


def said(app: Flask, language: str, key: str) -> str:
    """Render a system message as the services send it in `language`, without direction marks."""
    rt = app.extensions["parley.runtime"]
    return system_message(rt.locales, language, key, rt.context.values_for(language))


def says(client: FlaskClient, number: str, text: str) -> str:
    """Text Parley as the resident; return its answer without direction marks."""
    return strip_marks(reply(post_sms(client, number, text)))


def surveyed(client: FlaskClient, token: str, language: str) -> str:
    """Start a survey in `language` through the API and answer its first question; the number."""
    number = random_number()
    created = client.post(
        "/api/v1/surveys",
        json={"channel": "sms", "address": number, "flow": "post_contact", "language": language},
        headers={"Authorization": f"Bearer {token}"},
    )
    assert created.status_code == 201, created.get_json()
    says(client, number, "1")
    return number


def respondent_id(engine: Engine, number: str, app: Flask) -> uuid.UUID:
    """Return the id of the resident at an SMS number."""
    rt = app.extensions["parley.runtime"]
    with rt.uow() as uow:
        found = uow.respondents.find("sms", number)
        assert found is not None
        resident: uuid.UUID = found.id
        return resident


# (language, DELETE as the resident writes it, YES as they write it)
ERASED = [
    ("en", "DELETE", "YES"),
    ("es", "BORRAR", "SÍ"),
    ("fr", "Supprimer", "oui"),
    ("zh", "删除", "是"),
    ("ar", "حذف", "نعم"),
]


@pytest.mark.parametrize(("language", "delete", "yes"), ERASED)
def test_delete_then_yes_erases_everything_and_answers_in_the_residents_language(
    app: Flask, client: FlaskClient, engine: Engine, api_token: str, clock: FakeClock,
    language: str, delete: str, yes: str,
) -> None:  # fmt: skip
    number, other = surveyed(client, api_token, language), surveyed(client, api_token, "en")
    resident, neighbour = respondent_id(engine, number, app), respondent_id(engine, other, app)
    seed(engine, resident, f"mine {number}", clock())
    seed(engine, resident, "shared words", clock())
    seed(engine, neighbour, "shared words", clock())
    before, deliveries = held(engine, neighbour), deliveries_of(engine, resident)
    assert len(deliveries) == 2
    transcript = [
        (delete, said(app, language, "erase_confirm")),
        (yes, said(app, language, "erase_done")),
    ]
    for resident_says, parley_answers in transcript:
        assert says(client, number, resident_says) == parley_answers
    left = held(engine, resident)
    assert left == {
        "answers": 0, "alerts": 0, "alert_deliveries": 0, "scheduled_items": 0,
        "conversations": 0, "contacts": 0, "card_attempts": 0, "messages": 2,
    }  # fmt: skip
    assert still_there(engine, deliveries) == 0
    # What stays: the YES it answers (no body is ever stored for an inbound text) and the receipt.
    assert bodies(engine, resident) == [None, said(app, language, "erase_done")]
    assert not cached(engine, f"mine {number}")
    assert cached(engine, "shared words"), "another resident's answer uses the same cache row"
    assert held(engine, neighbour) == before


def test_the_erasure_is_audited_without_the_number(
    app: Flask, client: FlaskClient, engine: Engine, api_token: str
) -> None:
    number = surveyed(client, api_token, "en")
    says(client, number, "delete")
    says(client, number, "yes")
    with Session(engine) as session:
        entries = session.scalars(
            select(AuditEntry).where(AuditEntry.action == "respondent_erased")
        ).all()
        resident = session.scalars(select(Respondent.address_hash)).all()
    entry = entries[-1]
    assert entry.actor == "resident (sms)"
    assert entry.detail.startswith("sms keyword: ")
    assert "answers" in entry.detail and "messages" in entry.detail
    for secret in (number, number.lstrip("+"), number[-7:], *resident):
        assert secret not in f"{entry.actor} {entry.subject} {entry.detail}"


def test_after_erasure_the_number_is_opted_out(
    app: Flask, client: FlaskClient, engine: Engine, api_token: str
) -> None:
    number = surveyed(client, api_token, "en")
    says(client, number, "DELETE")
    says(client, number, "Yes")
    with app.extensions["parley.runtime"].uow() as uow:
        kept = uow.respondents.find("sms", number)
        # Only the hash is left: the receipt went back in the webhook's answer.
        assert kept is not None and kept.address_enc == ""
    created = client.post(
        "/api/v1/surveys",
        json={"channel": "sms", "address": number, "flow": "post_contact"},
        headers={"Authorization": f"Bearer {api_token}"},
    )
    assert created.get_json()["status"] == "opted_out"
    assert says(client, number, "hello?") == ""
    assert says(client, number, "START") == said(app, "en", "start_confirm")


@pytest.mark.parametrize(
    ("language", "delete", "no"), [("en", "DELETE", "no"), ("es", "borrar", "No")]
)
def test_delete_then_no_keeps_everything(
    app: Flask, client: FlaskClient, engine: Engine, api_token: str, clock: FakeClock,
    language: str, delete: str, no: str,
) -> None:  # fmt: skip
    number = surveyed(client, api_token, language)
    resident = respondent_id(engine, number, app)
    seed(engine, resident, f"mine {number}", clock())
    before = held(engine, resident)
    assert says(client, number, delete) == said(app, language, "erase_confirm")
    assert says(client, number, no) == said(app, language, "erase_kept")
    after = held(engine, resident)
    assert {**after, "messages": 0} == {**before, "messages": 0}
    assert after["messages"] == before["messages"] + 4  # two texts in, two answers out
    assert cached(engine, f"mine {number}")
    assert says(client, number, "yes") != said(app, language, "erase_done"), "the question is over"


def test_delete_then_anything_else_keeps_everything_and_is_handled_as_usual(
    app: Flask, client: FlaskClient, engine: Engine, api_token: str
) -> None:
    number = surveyed(client, api_token, "en")
    resident = respondent_id(engine, number, app)
    answers = held(engine, resident)["answers"]
    says(client, number, "DELETE")
    # The survey waits on a 1-to-5 question: "4" answers it, and the next question comes.
    following = says(client, number, "4")
    assert following and following != said(app, "en", "erase_done")
    assert held(engine, resident)["answers"] == answers + 1
    assert says(client, number, "YES") != said(app, "en", "erase_done")


def test_a_late_yes_erases_nothing(
    app: Flask, client: FlaskClient, engine: Engine, api_token: str, clock: FakeClock
) -> None:
    number = surveyed(client, api_token, "en")
    resident = respondent_id(engine, number, app)
    says(client, number, "DELETE")
    clock.advance(hours=25)
    assert says(client, number, "YES") != said(app, "en", "erase_done")
    assert held(engine, resident)["conversations"] == 1


AFTER_STOP = [("en", "STOP", "DELETE", "YES"), ("es", "ALTO", "BORRAR", "si")]


@pytest.mark.parametrize(("language", "stop", "delete", "yes"), AFTER_STOP)
def test_delete_after_stop_is_still_honoured(
    app: Flask, client: FlaskClient, engine: Engine, api_token: str,
    language: str, stop: str, delete: str, yes: str,
) -> None:  # fmt: skip
    number = surveyed(client, api_token, language)
    resident = respondent_id(engine, number, app)
    assert says(client, number, stop).startswith(said(app, language, "stop_confirm"))
    assert says(client, number, delete) == said(app, language, "erase_confirm")
    assert says(client, number, yes) == said(app, language, "erase_done")
    assert held(engine, resident)["conversations"] == 0


MENTIONS = ["he deleted the video", "delete the officer's name please", "Borrar la cinta"]


@pytest.mark.parametrize("answer", MENTIONS)
def test_an_answer_that_mentions_deleting_is_an_answer(
    app: Flask, client: FlaskClient, api_token: str, answer: str
) -> None:
    number = surveyed(client, api_token, "en")
    assert "delete" not in says(client, number, answer).lower()
