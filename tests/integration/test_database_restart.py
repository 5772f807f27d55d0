"""PostgreSQL restarted under a running server: 503s while it is down, then it recovers alone.

Twilio retries a webhook that failed; so must it fail in a way that says "try again" (503 with
Retry-After), never as a bug (500), and the retry must be stored once.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import requests
from sqlalchemy import Engine, text
from sqlalchemy.exc import DBAPIError, IntegrityError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeoutError

from bot.config.settings import Settings
from bot.scheduling.model import SendPolicy
from storage.db import is_transient, make_engine
from storage.sqlite import WriterBusyError
from tests.integration.postgres_server import PostgresServer, private_postgres
from tests.integration.processes import (
    answer_script,
    inbound,
    parley_env,
    post_sms,
    server,
    tail,
    wait_for,
    workers,
)
from tests.integration.scheduling.conftest import new_york
from tests.standins import TwilioStandIn

# The first text falls due this long after it is asked for.
DUE_IN = timedelta(seconds=4)


@pytest.fixture()
def postgres() -> Iterator[PostgresServer]:
    """Run a PostgreSQL server of this test's own, which it may stop and start."""
    with private_postgres() as found:
        yield found


def _ready(base: str) -> int:
    """Return the status of the server's readiness probe."""
    return requests.get(base + "/readyz", timeout=10).status_code


def test_webhooks_answer_503_while_postgresql_is_down_and_recover_by_themselves(
    postgres: PostgresServer, twilio: TwilioStandIn, tmp_path: Path
) -> None:
    env = parley_env(postgres.url, twilio.url, tmp_path, MIGRATE_ON_START="true")
    number, log = new_york(), tmp_path / "parley.log"
    script = [body for _, body in answer_script()]
    with server(env, log) as base:
        assert post_sms(base, inbound(number, "SURVEY")).status_code == 200, tail(log)
        assert post_sms(base, inbound(number, script[0])).status_code == 200

        postgres.stop()
        retried = inbound(number, script[1])
        down = post_sms(base, retried)
        assert (down.status_code, down.headers.get("Retry-After")) == (503, "5"), tail(log)
        assert "Traceback" not in tail(log)  # an outage is not a bug
        assert _ready(base) == 503
        assert requests.get(base + "/healthz", timeout=10).status_code == 200  # alive

        postgres.start()
        # Twilio's retry of the same message: served once the database is back, no restart.
        assert wait_for(lambda: post_sms(base, retried).status_code == 200, timeout=20), tail(log)
        assert _ready(base) == 200
        assert post_sms(base, retried).status_code == 200  # one more redelivery
        for body in script[2:]:
            assert post_sms(base, inbound(number, body)).status_code == 200
    engine = make_engine(postgres.url)
    try:
        _check(engine, retried["MessageSid"], len(script) + 1)
    finally:
        engine.dispose()


def _due_soon(settings: Settings, number: str) -> None:
    """Ask for a survey whose first text falls due a few seconds from now (queued on RQ)."""
    from bot.bootstrap import bootstrap
    from tests.integration.scheduling.helpers import trigger

    policy = SendPolicy(delay=timedelta(minutes=1), quiet_hours=None, frequency_cap=timedelta(0))
    rt = bootstrap(settings.with_overrides(send_policy=policy), migrate=True)
    try:
        occurred = datetime.now(UTC) - timedelta(minutes=1) + DUE_IN
        assert trigger(rt, number, occurred_at=occurred).status == "scheduled"
    finally:
        rt.close()


def test_a_worker_rides_out_a_postgresql_restart_and_sends_what_fell_due_once(
    postgres: PostgresServer,
    redis_url: str,
    twilio: TwilioStandIn,
    make_settings: Callable[[str], Settings],
    tmp_path: Path,
) -> None:
    number, log = new_york(), tmp_path / "worker.log"
    _due_soon(make_settings(postgres.url).with_overrides(redis_url=redis_url), number)
    env = parley_env(postgres.url, twilio.url, tmp_path, REDIS_URL=redis_url)
    env["SURVEY_DELAY_MINUTES"] = "1"
    with workers(env, log, 1) as [worker]:
        assert wait_for(lambda: "Listening on" in tail(log), timeout=60), tail(log)
        postgres.stop()  # down before the text falls due, for a while after
        time.sleep(DUE_IN.total_seconds() + 3)
        postgres.start()
        # RQ retries the failed job after 10 s; the sweep finds the item anyway.
        sent = wait_for(lambda: bool(twilio.bodies_to(number)), timeout=60)
        wait_for(lambda: False, timeout=2.5)  # a sweep or two more: nothing goes out again
        assert worker.poll() is None, tail(log)  # the worker rode it out
    assert sent, tail(log)
    assert len(twilio.bodies_to(number)) == 1
    assert "database unavailable" in tail(log, 100_000)


def _check(engine: Engine, sid: str, inbound_count: int) -> None:
    """Assert the retried message was stored once and the survey completed in order."""
    with engine.connect() as conn:
        stored = conn.execute(
            text("SELECT count(*) FROM messages WHERE provider_message_id = :sid"), {"sid": sid}
        ).scalar_one()
        received = conn.execute(
            text("SELECT count(*) FROM messages WHERE direction = 'in'")
        ).scalar_one()
        status = conn.execute(text("SELECT status FROM conversations")).scalars().all()
        answered = conn.execute(text("SELECT question_id FROM answers ORDER BY answered_at"))
        questions = [q for q, _ in answer_script()]
        assert (stored, received) == (1, inbound_count)
        assert (status, list(answered.scalars())) == (["completed"], questions)


@pytest.mark.parametrize(
    ("error", "transient"),
    [
        (OperationalError("SELECT 1", {}, Exception("server closed the connection")), True),
        (PoolTimeoutError("QueuePool limit reached"), True),
        (DBAPIError("SELECT 1", {}, Exception("reset"), connection_invalidated=True), True),
        (WriterBusyError("another SQLite writer held the lock too long"), True),
        (IntegrityError("INSERT", {}, Exception("duplicate key")), False),
        (DBAPIError("SELECT 1", {}, Exception("syntax")), False),
        (ValueError("a bug"), False),
    ],
)
def test_only_errors_that_may_pass_are_transient(error: Exception, transient: bool) -> None:
    assert is_transient(error) is transient
