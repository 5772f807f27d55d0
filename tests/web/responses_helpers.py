"""Surveys answered through the API and signed SMS, and what an export must never contain."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from tests.web.helpers import post_sms, random_number, reply

PAYLOAD = {
    "channel": "sms",
    "flow": "post_contact",
    "language": "en",
    "officer_id": "A123",
    "unit": "North Precinct",
    "call_type": "traffic_stop",
    "occurred_at": "2026-11-02T14:30:00+00:00",
}
# The answers of a whole survey: heard (yes/no), three scores, trust, then the comment.
SCORES = ("yes", "5", "4", "5", "5")


def bearer(raw: str) -> dict[str, str]:
    """Return the Authorization header for a token."""
    return {"Authorization": f"Bearer {raw}"}


def token(app: Flask, *scopes: str) -> str:
    """Create a token with `scopes` on the app's database."""
    from bot.services.tokens import create_token

    rt = app.extensions["parley.runtime"]
    return create_token(rt.uow, f"t-{random_number()}", rt.clock(), scopes)


def ask(client: FlaskClient, raw: str, **fields: Any) -> tuple[str, str]:
    """Ask for a survey of a fresh resident; return the survey's id and the resident's number."""
    number = random_number()
    body = {**PAYLOAD, "incident_id": f"24-{number[-7:]}", "address": number, **fields}
    created = client.post("/api/v1/surveys", json=body, headers=bearer(raw))
    assert created.status_code == 201, created.get_json()
    return str(created.get_json()["id"]), number


def answer(client: FlaskClient, number: str, *said: str) -> None:
    """Have the resident text each reply in turn."""
    for text in said:
        reply(post_sms(client, number, text))


def addresses(app: Flask) -> list[str]:
    """Return every respondent's address stored (sealed) in the app's database, opened."""
    from storage.db import make_engine
    from storage.models import Respondent

    engine = make_engine(app.extensions["parley.settings"].database_url)
    try:
        with engine.connect() as connection:
            ids = list(connection.scalars(sa.select(Respondent.id)))
    finally:
        engine.dispose()
    with app.extensions["parley.runtime"].uow() as uow:
        return [uow.respondents.get(rid).address for rid in ids]


def assert_no_address(values: Any, known: list[str]) -> None:
    """Fail if any exported value contains a respondent's address, with or without its +."""
    texts = list(_strings(values))
    assert texts, "nothing was exported"
    for address in known:
        for form in {address, address.lstrip("+")}:
            leaked = [text for text in texts if form in text]
            assert not leaked, f"an export holds a respondent's address: {leaked[:3]}"


def _strings(values: Any) -> list[str]:
    """Return every scalar in nested JSON data, or in rows of cells, as text."""
    if isinstance(values, dict):
        return [s for key, value in values.items() for s in (str(key), *_strings(value))]
    if isinstance(values, list | tuple):
        return [s for value in values for s in _strings(value)]
    return [] if values is None else [str(values)]
