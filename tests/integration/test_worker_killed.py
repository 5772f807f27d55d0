"""A worker killed with SIGKILL in the middle of a send: its claim is taken over, sent once.

The worker claims the survey's first text and calls Twilio, which is slow to answer; it is
killed (no handler runs: a lost machine or the OOM killer). Another worker, after the claim's
lease, looks the text up at Twilio first: found, it is recorded as sent; not there, it is sent.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine, text

from bot.config.settings import Settings
from bot.scheduling.model import SendPolicy
from storage.db import make_engine
from tests.backing_services import postgres_schema
from tests.integration.processes import (
    kill_tree,
    parley_env,
    start_worker,
    stop,
    tail,
    wait_for,
)
from tests.integration.scheduling.conftest import new_york
from tests.integration.scheduling.helpers import trigger
from tests.standins import TwilioStandIn
from tests.support import FakeClock

# The worker gives up on Twilio after TIMEOUT; the lease must outlast a send and its lookup.
TIMEOUT, LEASE = 3, 10
SHORT_LEASE = {
    "TWILIO_TIMEOUT_SECONDS": str(TIMEOUT),
    "CLAIM_LEASE_SECONDS": str(LEASE),
    "SURVEY_DELAY_MINUTES": "1",  # as _due_survey asks for it
}
# Longer than the test: a hung Twilio, as far as the killed worker knows.
HUNG = 120.0


@pytest.fixture()
def postgres(make_settings: Callable[[str], Settings]) -> Iterator[str]:
    """Yield a migrated PostgreSQL schema of this test's own."""
    from bot.bootstrap import bootstrap

    with postgres_schema() as url:
        bootstrap(make_settings(url), migrate=True).close()
        yield url


def _due_survey(settings: Settings, number: str) -> uuid.UUID:
    """Ask for a survey whose first text is already due (queued on RQ); return its id."""
    from bot.bootstrap import bootstrap

    clock = FakeClock(datetime.now(UTC) - timedelta(minutes=2))
    policy = SendPolicy(delay=timedelta(minutes=1), quiet_hours=None, frequency_cap=timedelta(0))
    rt = bootstrap(settings.with_overrides(send_policy=policy), clock=clock)
    try:
        started = trigger(rt, number)
    finally:
        rt.close()
    assert started.status == "scheduled"
    return started.id


def _state(engine: Engine, survey_id: uuid.UUID) -> tuple[str, str | None, str | None]:
    """Return the start item's status, its text's status and the text's provider id."""
    query = text(
        "SELECT i.status, m.status, m.provider_message_id FROM scheduled_items i "
        "LEFT JOIN messages m ON m.id = i.message_id "
        "WHERE i.conversation_id = :id AND i.kind = 'start'"
    )
    with engine.connect() as conn:
        row = conn.execute(query, {"id": survey_id}).one()
    return row[0], row[1], row[2]


@pytest.mark.parametrize("twilio_took_it", [True, False], ids=["taken", "lost"])
def test_a_worker_killed_mid_send_is_taken_over_after_the_lease_and_sends_once(
    postgres: str,
    redis_url: str,
    twilio: TwilioStandIn,
    make_settings: Callable[[str], Settings],
    tmp_path: Path,
    twilio_took_it: bool,
) -> None:
    number, log = new_york(), tmp_path / "worker.log"
    survey_id = _due_survey(make_settings(postgres).with_overrides(redis_url=redis_url), number)
    env = parley_env(postgres, twilio.url, tmp_path, REDIS_URL=redis_url, **SHORT_LEASE)
    twilio.clock = lambda: datetime.now(UTC)
    twilio.delay, twilio.dropped = HUNG, 0 if twilio_took_it else 1
    engine = make_engine(postgres)
    try:
        assert _killed_mid_send(env, log, engine, survey_id, twilio) == ("running", "sending")
        twilio.delay = 0  # Twilio answers again
        assert _taken_over(env, log, engine, survey_id), tail(log)
        [sent] = twilio.sent_to(number)
        assert _state(engine, survey_id) == ("done", "sent", sent["sid"])
    finally:
        engine.dispose()
    # Looked up before anything was sent again, and sent again only when Twilio had nothing.
    assert [lookup["To"] for lookup in twilio.lookups] == [number]
    assert twilio.creates == (1 if twilio_took_it else 2)


def _killed_mid_send(
    env: dict[str, str], log: Path, engine: Engine, survey_id: uuid.UUID, twilio: TwilioStandIn
) -> tuple[str, str | None]:
    """Start a worker, SIGKILL it while Twilio holds its call; return (item, text) statuses."""
    first = start_worker(env, log)
    try:
        assert wait_for(lambda: twilio.creates == 1, timeout=60), tail(log)
        claimed = _state(engine, survey_id)
        kill_tree(first)  # mid-call, work horse and all: no handler, no cleanup runs
    finally:
        stop(first)
    return claimed[0], claimed[1]


def _taken_over(env: dict[str, str], log: Path, engine: Engine, survey_id: uuid.UUID) -> bool:
    """Start another worker; say whether it finished the dead one's item."""
    second = start_worker(env, log)
    try:
        finished = wait_for(lambda: _state(engine, survey_id)[0] == "done", timeout=60)
        wait_for(lambda: False, timeout=2.5)  # a sweep or two more: nothing goes out again
    finally:
        stop(second)
    return finished


def test_the_claim_lease_is_a_setting_that_must_outlast_a_send_and_its_lookup() -> None:
    from bot.errors import ConfigError

    assert Settings.from_env({}).claim_lease_seconds == 600.0
    shorter = {"CLAIM_LEASE_SECONDS": "45", "TWILIO_TIMEOUT_SECONDS": "10"}
    assert Settings.from_env(shorter).claim_lease_seconds == 45.0
    with pytest.raises(ConfigError, match="CLAIM_LEASE_SECONDS"):
        Settings.from_env({"CLAIM_LEASE_SECONDS": "30", "TWILIO_TIMEOUT_SECONDS": "10"})
