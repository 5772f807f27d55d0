"""The alert page: who sees which alerts, their visible age, and acknowledging with a note."""

from __future__ import annotations

import re
import secrets
import uuid
from collections.abc import Callable
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from tests.integration.test_alert_delivery import answer_survey
from tests.support import FakeClock
from tests.web.admin_pages import audit_rows, page_text
from tests.web.pages import log_in, make_user, sqlite

_TOKEN = re.compile(r'name="[^"]*csrf_token"[^>]*value="([^"]+)"')
_ALERT_ID = re.compile(r'id="alert-([0-9a-f-]{36})"')


@pytest.fixture()
def app(make_app: Callable[..., Flask], tmp_path: Path) -> Flask:
    """Return the app on a SQLite file, without outlets: alerts are only shown on the page."""
    return make_app(sqlite(tmp_path))


def unit_with_alert(app: Flask, answers: tuple[str, ...] = ("yes", "1")) -> tuple[str, str]:
    """Create an officer in a new unit whose survey raises an alert; return unit, number."""
    unit, officer = f"unit-{secrets.token_hex(3)}", f"C{secrets.token_hex(3)}"
    make_user(app, "officer", officer_id=officer, unit=unit)
    return unit, answer_survey(app, officer, answers)


def client_of(app: Flask, role: str, unit: str | None = None) -> FlaskClient:
    """Return a client signed in with a new account of `role` in `unit`."""
    client = app.test_client()
    assert log_in(client, make_user(app, role, unit=unit)).status_code == 302
    return client


def alert_ids(response: TestResponse) -> list[str]:
    """Return the ids of the alerts a page lists, in order."""
    return _ALERT_ID.findall(response.get_data(as_text=True))


def acknowledge(client: FlaskClient, alert_id: str, note: str, token: bool = True) -> TestResponse:
    """Post an alert's acknowledge form as the browser would."""
    page = client.get("/admin/alerts?show=all").get_data(as_text=True)
    found = _TOKEN.search(page)
    data = {f"alert-{alert_id}-note": note}
    if token and found:
        data[f"alert-{alert_id}-csrf_token"] = found.group(1)
    return client.post(f"/admin/alerts/{alert_id}/acknowledge", data=data)


def test_an_officer_may_neither_list_nor_acknowledge_alerts(app: Flask) -> None:
    unit, _ = unit_with_alert(app)
    admin = client_of(app, "admin")
    [alert_id] = alert_ids(admin.get("/admin/alerts"))
    officer = client_of(app, "officer", unit)

    assert officer.get("/admin/alerts").status_code == 403
    assert acknowledge(officer, alert_id, "seen").status_code in (400, 403)
    assert app.test_client().get("/admin/alerts").status_code == 302  # to sign in


def test_a_supervisor_sees_only_their_units_alerts_and_an_admin_sees_all(app: Flask) -> None:
    north, north_number = unit_with_alert(app)
    south, _ = unit_with_alert(app)

    north_page = client_of(app, "supervisor", north).get("/admin/alerts")
    south_page = client_of(app, "supervisor", south).get("/admin/alerts")
    no_unit = client_of(app, "supervisor").get("/admin/alerts")
    admin_page = client_of(app, "admin").get("/admin/alerts")

    assert len(alert_ids(north_page)) == len(alert_ids(south_page)) == 1
    assert alert_ids(north_page) != alert_ids(south_page)
    assert set(alert_ids(admin_page)) == set(alert_ids(north_page) + alert_ids(south_page))
    assert alert_ids(no_unit) == []
    assert north in page_text(north_page) and south not in page_text(north_page)
    assert north_number not in page_text(admin_page)
    assert north_number.lstrip("+") not in page_text(admin_page)


def test_the_comment_is_shown_beside_its_alert(app: Flask) -> None:
    words = ("yes", "4", "4", "4", "4", "Le agent m'a poussé contre la voiture")
    unit, _ = unit_with_alert(app, words)
    page = page_text(client_of(app, "supervisor", unit).get("/admin/alerts"))

    assert "comment: mentions force" in page
    assert "Le agent m'a poussé contre la voiture" in page


def test_an_unacknowledged_alert_shows_how_long_it_has_waited(app: Flask, clock: FakeClock) -> None:
    unit, _ = unit_with_alert(app)
    supervisor = client_of(app, "supervisor", unit)
    clock.advance(hours=3, minutes=10)

    assert "3 h unacknowledged" in page_text(supervisor.get("/admin/alerts"))


def test_acknowledging_records_who_when_and_the_note_and_audits_it(app: Flask) -> None:
    unit, _ = unit_with_alert(app)
    supervisor = client_of(app, "supervisor", unit)
    [alert_id] = alert_ids(supervisor.get("/admin/alerts"))

    done = acknowledge(supervisor, alert_id, "Spoke with the officer; reviewing the video.")

    assert done.status_code == 303
    assert alert_ids(supervisor.get("/admin/alerts")) == []
    acknowledged = supervisor.get("/admin/alerts?show=acknowledged")
    assert alert_ids(acknowledged) == [alert_id]
    assert "Spoke with the officer; reviewing the video." in page_text(acknowledged)
    assert "unacknowledged</strong>" not in page_text(acknowledged)
    [(actor, action, subject, detail)] = audit_rows(app, "alert_acknowledged")
    assert (action, subject, detail) == ("alert_acknowledged", alert_id, "score:respect")
    assert actor.startswith("supervisor")
    assert acknowledge(supervisor, alert_id, "again").status_code == 400


def test_a_note_is_required_and_a_token_and_another_unit_refused(app: Flask) -> None:
    unit, _ = unit_with_alert(app)
    supervisor = client_of(app, "supervisor", unit)
    [alert_id] = alert_ids(supervisor.get("/admin/alerts"))

    empty = acknowledge(supervisor, alert_id, "  ")
    assert empty.status_code == 400
    assert "Say what was done" in page_text(empty)
    assert acknowledge(supervisor, alert_id, "seen", token=False).status_code == 400
    other = client_of(app, "supervisor", "elsewhere")
    assert acknowledge(other, alert_id, "seen").status_code == 404
    unknown = acknowledge(supervisor, str(uuid.uuid4()), "seen")
    assert unknown.status_code == 404
    assert alert_ids(supervisor.get("/admin/alerts")) == [alert_id]
