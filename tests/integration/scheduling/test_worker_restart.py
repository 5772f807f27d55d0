"""The RQ worker forks a process per job: on PostgreSQL each must use connections of its own."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import text

from bot.config.settings import Settings
from bot.scheduling.model import SendPolicy
from storage.db import make_engine
from tests.backing_services import postgres_schema
from tests.integration.scheduling.conftest import new_york
from tests.integration.scheduling.helpers import trigger
from tests.standins import TwilioStandIn
from tests.support import ACCOUNT_SID, AUTH_TOKEN, PUBLIC_BASE_URL, FakeClock

ROOT = Path(__file__).resolve().parents[3]
BACKLOG = 12


@pytest.fixture()
def postgres() -> Iterator[str]:
    """Yield a PostgreSQL schema of this test's own."""
    with postgres_schema() as url:
        yield url


def _backend_pid(url_engine: object) -> int:
    """Return the PostgreSQL server process serving one of the engine's connections."""
    with url_engine.connect() as conn:  # type: ignore[attr-defined]
        return int(conn.execute(text("SELECT pg_backend_pid()")).scalar_one())


def test_a_forked_child_opens_its_own_postgresql_connections(postgres: str) -> None:
    engine = make_engine(postgres)
    try:
        parent = _backend_pid(engine)  # now pooled: a child must not reuse its socket
        read, write = os.pipe()
        child = os.fork()
        if child == 0:  # pragma: no cover - runs in the child
            code = 1
            try:
                os.write(write, str(_backend_pid(engine)).encode())
                code = 0
            finally:
                os._exit(code)
        os.close(write)
        answer = os.read(read, 64)
        os.close(read)
        _, status = os.waitpid(child, 0)
        assert os.waitstatus_to_exitcode(status) == 0
        assert int(answer) != parent
        assert _backend_pid(engine) == parent  # the parent's connection was left alone
    finally:
        engine.dispose()


def _environment(database_url: str, redis_url: str, twilio: TwilioStandIn) -> dict[str, str]:
    """Return the environment of a worker on PostgreSQL and Redis, sending to the stand-in."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TWILIO_", "SURVEY_"))}
    env.update(
        DATABASE_URL=database_url,
        REDIS_URL=redis_url,
        MIGRATE_ON_START="false",
        PUBLIC_BASE_URL=PUBLIC_BASE_URL,
        TWILIO_ACCOUNT_SID=ACCOUNT_SID,
        TWILIO_AUTH_TOKEN=AUTH_TOKEN,
        TWILIO_FROM_NUMBER="+15005550006",
        TWILIO_API_BASE_URL=twilio.url,
        SURVEY_DELAY_MINUTES="0",
        QUIET_HOURS="",
        SURVEY_FREQUENCY_DAYS="0",
        SMS_SEGMENTS_PER_SECOND="100",
        SWEEP_SECONDS="1",
        LOG_LEVEL="INFO",
    )
    return env


def _wait_for(condition: Callable[[], bool], timeout: float) -> bool:
    """Poll until `condition` holds or the time is up."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.1)
    return True


def _worker(env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    """Start `python -m bot worker` as a real process, its output in `log`."""
    with log.open("ab") as out:
        return subprocess.Popen(
            [sys.executable, "-m", "bot", "worker"], cwd=ROOT, env=env, stdout=out, stderr=out
        )


def _stop(process: subprocess.Popen[bytes]) -> None:
    """Stop a worker as a deploy does (SIGTERM: finish the job in hand), or kill it."""
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=5)


def _backlog(settings: Settings) -> list[str]:
    """Ask for BACKLOG surveys that fell due a minute ago while no worker ran; return numbers."""
    from bot.bootstrap import bootstrap

    clock = FakeClock(datetime.now(UTC) - timedelta(minutes=2))
    policy = SendPolicy(delay=timedelta(minutes=1), quiet_hours=None, frequency_cap=timedelta(0))
    rt = bootstrap(settings.with_overrides(send_policy=policy), clock=clock)
    numbers = [new_york() for _ in range(BACKLOG)]
    try:
        assert {trigger(rt, number).status for number in numbers} == {"scheduled"}
    finally:
        rt.close()
    return numbers


def test_a_worker_restarted_with_a_backlog_on_postgresql_sends_everything_once(
    postgres: str,
    redis_url: str,
    twilio: TwilioStandIn,
    make_settings: Callable[[str], Settings],
    tmp_path: Path,
) -> None:
    numbers = _backlog(make_settings(postgres).with_overrides(redis_url=redis_url))
    twilio.delay = 0.2  # a provider call takes a while, so the restart lands mid-backlog
    env, log = _environment(postgres, redis_url, twilio), tmp_path / "worker.log"

    first = _worker(env, log)
    try:
        # Generous deadlines: a loaded CI machine starts a worker slowly; nothing waits them out.
        started = _wait_for(lambda: len(twilio.sent) >= 3, timeout=90)
    finally:
        _stop(first)
    assert started, log.read_text()[-3000:]
    second = _worker(env, log)
    try:
        done = _wait_for(lambda: len(twilio.sent) >= BACKLOG, timeout=90)
        time.sleep(1.5)  # a sweep or two more: nothing goes out twice
    finally:
        _stop(second)
    assert done, log.read_text()[-3000:]
    assert sorted(m["To"] for m in twilio.sent) == sorted(numbers)
