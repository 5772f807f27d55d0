"""/metrics: counters of what commits changed, webhook latency, the backlog; closed to outsiders."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

from flask import Flask
from flask.testing import FlaskClient

from bot.scheduling.model import SendPolicy
from bot.services.surveys import SurveyRequest, start_survey
from tests.support import FakeClock
from tests.web.helpers import post_sms, random_number, reply

TOKEN = "m3tr1cs-scrape-token"  # a test's token


def _value(text: str, name: str, **labels: str) -> float:
    """Return a sample's value from the exposition text (0 when absent)."""
    wanted = ",".join(f'{key}="{value}"' for key, value in sorted(labels.items()))
    for line in text.splitlines():
        found = re.fullmatch(rf"{re.escape(name)}(?:\{{(.*)\}})? (\S+)", line)
        if found and ",".join(sorted((found.group(1) or "").split(","))) == wanted:
            return float(found.group(2))
    return 0.0


def _scrape(client: FlaskClient) -> str:
    """Read /metrics as this machine does."""
    response = client.get("/metrics")
    assert response.status_code == 200
    assert response.content_type.startswith("text/plain; version=0.0.4")
    return response.get_data(as_text=True)


def test_a_survey_is_counted_in_and_out_with_its_webhook_time(client: FlaskClient) -> None:
    before = _scrape(client)
    number = random_number()

    for text in ("SURVEY", "yes"):
        assert reply(post_sms(client, number, text))

    after = _scrape(client)
    inbound = {"channel": "sms", "direction": "in", "status": "received"}
    started = {"status": "active"}
    timed = {"endpoint": "twilio_sms.inbound_sms"}
    assert (
        _value(after, "parley_messages_total", **inbound)
        - _value(before, "parley_messages_total", **inbound)
        == 2
    )
    assert _value(after, "parley_conversation_outcomes_total", **started) > _value(
        before, "parley_conversation_outcomes_total", **started
    )
    assert (
        _value(after, "parley_webhook_seconds_count", **timed)
        - _value(before, "parley_webhook_seconds_count", **timed)
        == 2
    )
    assert number not in after and number.lstrip("+") not in after


def test_the_backlog_is_counted_from_the_database(
    make_app: Callable[..., Flask], tmp_path: Path, clock: FakeClock
) -> None:
    in_an_hour = SendPolicy(delay=timedelta(hours=1), quiet_hours=None, frequency_cap=timedelta(0))
    app = make_app(f"sqlite:///{tmp_path / 'b.db'}", send_policy=in_an_hour)
    client = app.test_client()
    start_survey(app.extensions["parley.runtime"], SurveyRequest("sms", random_number(), ""))
    assert _value(_scrape(client), "parley_scheduled_due", kind="start") == 0  # not yet

    clock.advance(minutes=61)
    text = _scrape(client)
    assert _value(text, "parley_scheduled_due", kind="start") == 1
    assert _value(text, "parley_scheduled_overdue", kind="start") == 0

    clock.advance(minutes=5)  # no sweep runs in tests: it stays pending, now overdue
    text = _scrape(client)
    assert _value(text, "parley_scheduled_overdue", kind="start") == 1
    assert "parley_translations_pending 0.0" in text


def test_without_a_token_only_this_machine_may_scrape(client: FlaskClient) -> None:
    outsider = client.get("/metrics", environ_base={"REMOTE_ADDR": "203.0.113.9"})
    inside = client.get("/metrics", environ_base={"REMOTE_ADDR": "::1"})

    assert outsider.status_code == 403 and b"parley_" not in outsider.data
    assert inside.status_code == 200


def test_with_a_token_every_scrape_must_send_it(
    make_app: Callable[..., Flask], tmp_path: Path
) -> None:
    client = make_app(f"sqlite:///{tmp_path / 'm.db'}", metrics_token=TOKEN).test_client()

    assert client.get("/metrics").status_code == 403  # not even from this machine
    wrong = client.get("/metrics", headers={"Authorization": "Bearer nope"})
    right = client.get(
        "/metrics",
        headers={"Authorization": f"Bearer {TOKEN}"},
        environ_base={"REMOTE_ADDR": "203.0.113.9"},
    )
    assert wrong.status_code == 403 and right.status_code == 200
    assert b"parley_scheduled_due" in right.data or b"parley_translations_pending" in right.data


_COUNT_ONE = (
    "from bot import metrics; metrics.record([('message', 'telegram', 'out', 'delivered')])"
)
_READ = (
    "from datetime import UTC, datetime; from bot import metrics; "
    "print(metrics.exposition(None, datetime.now(UTC)).decode())"
)


def test_processes_counts_are_summed_in_multiprocess_mode(tmp_path: Path) -> None:
    env = {**os.environ, "PROMETHEUS_MULTIPROC_DIR": str(tmp_path)}
    for _ in range(2):  # two web workers, each counting one delivered text
        subprocess.run([sys.executable, "-c", _COUNT_ONE], env=env, check=True, timeout=60)

    text = subprocess.run(
        [sys.executable, "-c", _READ], env=env, check=True, timeout=60, capture_output=True
    ).stdout.decode()

    labels = {"channel": "telegram", "direction": "out", "status": "delivered"}
    assert _value(text, "parley_messages_total", **labels) == 2
