"""Surveys run through the real webhook and API for the retention tests, and what they left."""

from __future__ import annotations

import secrets
import uuid
from datetime import timedelta
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from bot.scheduling.model import SendPolicy
from bot.services.runtime import Runtime
from storage.models import Answer, Contact, Conversation, Message, Respondent
from tests.web.helpers import post_sms, reply

# Surveys go out at once; a resident is surveyed at most once in 60 days.
CAPPED = SendPolicy(delay=timedelta(0), quiet_hours=None, frequency_cap=timedelta(days=60))
# (resident says) through the post_contact flow in English, ending with a typed comment.
ANSWERS = ["yes", "5", "4", "4", "3"]


def runtime(app: Flask) -> Runtime:
    """Return the app's runtime."""
    runtime: Runtime = app.extensions["parley.runtime"]
    return runtime


def engine_of(app: Flask) -> Engine:
    """Return the app's database engine, to read rows as they are stored."""
    engine: Engine = runtime(app).uow()._session_factory.kw["bind"]  # type: ignore[attr-defined]
    return engine


def ask(client: FlaskClient, token: str, number: str, unit: str, **extra: Any) -> Any:
    """Ask for an SMS survey through the API, as a dispatch system does; return the reply."""
    payload = {
        "channel": "sms",
        "flow": "post_contact",
        "language": "en",
        "officer_id": "A123",
        "unit": unit,
        "incident_id": "24-" + secrets.token_hex(4),
        "call_type": "traffic_stop",
        "address": number,
        **extra,
    }
    response = client.post(
        "/api/v1/surveys", json=payload, headers={"Authorization": f"Bearer {token}"}
    )
    assert response.status_code == 201, response.get_data(as_text=True)
    return response.get_json()


def take_survey(client: FlaskClient, number: str, comment: str) -> None:
    """Answer every question of the survey texted to `number`, ending with `comment`."""
    for says in ANSWERS:
        assert reply(post_sms(client, number, says)), says
    assert "Thank you" in reply(post_sms(client, number, comment))


def respondent_id(app: Flask, channel: str, address: str) -> uuid.UUID | None:
    """Return the id of the respondent the webhook finds at an address, if any."""
    with runtime(app).uow() as uow:
        found = uow.respondents.find(channel, address)
        return found.id if found is not None else None


def row(app: Flask, kind: type[Any], key: Any) -> Any:
    """Return one stored row by its primary key, as it is now (None if gone)."""
    with Session(engine_of(app)) as session:
        return session.get(kind, key)


def links(app: Flask, respondent: uuid.UUID) -> dict[str, int]:
    """Count what points at a respondent: conversations, contacts, messages."""
    tables = {"conversations": Conversation, "contacts": Contact, "messages": Message}
    with engine_of(app).connect() as connection:
        return {
            name: int(
                connection.execute(
                    select(func.count()).where(table.respondent_id == respondent)
                ).scalar_one()
            )
            for name, table in tables.items()
        }


def messages_of(app: Flask, conversation: uuid.UUID) -> list[Any]:
    """Return a conversation's messages as stored (body, buttons, provider id, respondent)."""
    columns = (Message.body, Message.buttons, Message.provider_message_id, Message.respondent_id)
    query = select(*columns).where(Message.conversation_id == conversation)
    with engine_of(app).connect() as connection:
        return list(connection.execute(query))


def answers_of(app: Flask, conversation: uuid.UUID) -> dict[str, tuple[Any, ...]]:
    """Return a conversation's answers by question: (raw text, value, language)."""
    query = select(Answer).where(Answer.conversation_id == conversation)
    with Session(engine_of(app)) as session:
        found = session.scalars(query)
        return {a.question_id: (a.raw_text, a.value, a.language) for a in found}


def respondent_row(app: Flask, key: uuid.UUID) -> Respondent | None:
    """Return a respondent row without opening its address."""
    found: Respondent | None = row(app, Respondent, key)
    return found
