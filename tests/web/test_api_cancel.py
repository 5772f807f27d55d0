"""Cancelling through the API: a reclassified call, DELETE /surveys/<id>, cancel by incident."""

from __future__ import annotations

import secrets
import uuid
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from bot.scheduling.model import SendPolicy
from bot.services.scheduled_items import run_due_items
from bot.services.tokens import create_token
from tests.standins import TwilioStandIn
from tests.support import FakeClock
from tests.web.helpers import random_number

# The two-hour delay: a survey asked for now is scheduled, not sent.
DELAYED = SendPolicy(delay=timedelta(hours=2), quiet_hours=None, default_timezone="UTC")


@pytest.fixture()
def delayed(make_app: Callable[..., Flask], tmp_path: Path) -> tuple[Flask, FlaskClient, str]:
    """Return an app whose surveys wait two hours, its client and a live token."""
    app = make_app(f"sqlite:///{tmp_path / 'app.db'}", send_policy=DELAYED)
    rt = app.extensions["parley.runtime"]
    return app, app.test_client(), create_token(rt.uow, "cad", rt.clock())


def _auth(token: str) -> dict[str, str]:
    """Return the bearer header for a token."""
    return {"Authorization": f"Bearer {token}"}


def _ask(client: FlaskClient, token: str, number: str, incident: str, call_type: str) -> Any:
    """POST a survey request as a CAD system would."""
    payload = {"channel": "sms", "address": number, "flow": "post_contact"}
    payload |= {"incident_id": incident, "call_type": call_type}
    return client.post("/api/v1/surveys", json=payload, headers=_auth(token))


def test_the_same_incident_reclassified_as_dv_is_cancelled(
    delayed: tuple[Flask, FlaskClient, str], clock: FakeClock, twilio: TwilioStandIn
) -> None:
    app, client, token = delayed
    number, incident = random_number(), f"R-{secrets.token_hex(3)}"
    first = _ask(client, token, number, incident, "Disturbance")
    assert first.status_code == 201
    assert first.get_json()["status"] == "scheduled"

    again = _ask(client, token, number, incident, "DV")

    assert again.status_code == 200
    body = again.get_json()
    assert body["id"] == first.get_json()["id"]
    assert (body["duplicate"], body["cancelled"]) == (True, True)
    assert (body["status"], body["reason"]) == ("refused", "excluded_call_type")
    shown = client.get(f"/api/v1/surveys/{body['id']}", headers=_auth(token)).get_json()
    assert shown["refusal_reason"] == "excluded_call_type"
    clock.advance(hours=3)
    assert run_due_items(app.extensions["parley.runtime"]) == []
    assert twilio.sent == []


def test_delete_cancels_a_survey_and_is_idempotent(
    delayed: tuple[Flask, FlaskClient, str], clock: FakeClock, twilio: TwilioStandIn
) -> None:
    app, client, token = delayed
    survey = _ask(client, token, random_number(), "24-1", "Traffic stop").get_json()["id"]

    first = client.delete(f"/api/v1/surveys/{survey}", headers=_auth(token))
    again = client.delete(f"/api/v1/surveys/{survey}", headers=_auth(token))

    assert first.status_code == again.status_code == 200
    assert first.get_json() | {"cancelled": None} == again.get_json() | {"cancelled": None}
    assert (first.get_json()["cancelled"], again.get_json()["cancelled"]) == (True, False)
    assert (first.get_json()["status"], first.get_json()["reason"]) == ("refused", "cancelled")
    clock.advance(hours=3)
    assert run_due_items(app.extensions["parley.runtime"]) == []
    assert twilio.sent == []


@pytest.mark.parametrize("survey", [str(uuid.UUID(int=7)), "not-a-uuid"])
def test_delete_of_an_unknown_survey_is_404(
    delayed: tuple[Flask, FlaskClient, str], survey: str
) -> None:
    _, client, token = delayed
    assert client.delete(f"/api/v1/surveys/{survey}", headers=_auth(token)).status_code == 404


def test_delete_needs_a_token(delayed: tuple[Flask, FlaskClient, str]) -> None:
    _, client, token = delayed
    survey = _ask(client, token, random_number(), "24-2", "Alarm").get_json()["id"]
    assert client.delete(f"/api/v1/surveys/{survey}").status_code == 401


def test_cancel_by_incident_cancels_every_resident_asked_about_it(
    delayed: tuple[Flask, FlaskClient, str], clock: FakeClock, twilio: TwilioStandIn
) -> None:
    app, client, token = delayed
    incident = f"24-{secrets.token_hex(3)}"
    ids = {_ask(client, token, random_number(), incident, "Alarm").get_json()["id"] for _ in "ab"}
    kept = _ask(client, token, random_number(), "24-other", "Alarm").get_json()["id"]

    response = client.post(
        "/api/v1/surveys/cancel",
        json={"incident_id": incident.upper(), "reason": "excluded_call_type"},
        headers=_auth(token),
    )

    assert response.status_code == 200
    cancelled = response.get_json()["cancelled"]
    assert {s["id"] for s in cancelled} == ids
    assert {s["reason"] for s in cancelled} == {"excluded_call_type"}
    clock.advance(hours=3)
    assert run_due_items(app.extensions["parley.runtime"]) == ["sent"]
    assert len(twilio.sent) == 1
    shown = client.get(f"/api/v1/surveys/{kept}", headers=_auth(token)).get_json()
    assert shown["status"] == "active"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "incident_id"),
        ({"incident_id": ""}, "incident_id"),
        ({"incident_id": "24-1", "reason": "because"}, "reason"),
        ({"incident_id": "24-1", "extra": 1}, "extra"),
    ],
)
def test_a_bad_cancel_request_is_400_with_the_reason(
    delayed: tuple[Flask, FlaskClient, str], body: dict[str, Any], field: str
) -> None:
    _, client, token = delayed
    response = client.post("/api/v1/surveys/cancel", json=body, headers=_auth(token))
    assert response.status_code == 400
    assert field in response.get_json()["fields"]


def test_an_incident_number_with_an_invisible_character_is_400(
    delayed: tuple[Flask, FlaskClient, str],
) -> None:
    _, client, token = delayed
    response = _ask(client, token, random_number(), "R-\u200b1", "Alarm")
    assert response.status_code == 400
    assert "incident_id" in response.get_json()["fields"]
