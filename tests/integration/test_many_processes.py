"""Two web servers and two RQ workers on one PostgreSQL and one Redis, as on two machines.

Residents answer the whole survey at once, each alternating between the servers, and every
message is delivered twice at the same moment, to both servers (Twilio retrying a webhook it
thinks timed out). Afterwards the database shows each inbound stored once, each turn applied
once and in order, and the Twilio stand-in shows each first text sent once.
"""

from __future__ import annotations

import secrets
import uuid
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import requests
from sqlalchemy import Engine, text

from bot.config.settings import Settings
from storage.db import make_engine
from tests.backing_services import postgres_schema
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

RESIDENTS = 6
# The first texts fall due this long after the API call: the workers send them, not the server.
DUE_IN = timedelta(seconds=3)


@pytest.fixture()
def postgres(make_settings: Callable[[str], Settings]) -> Iterator[str]:
    """Yield a migrated PostgreSQL schema of this test's own."""
    from bot.bootstrap import bootstrap

    with postgres_schema() as url:
        bootstrap(make_settings(url), migrate=True).close()
        yield url


def _api_token(settings: Settings) -> str:
    """Create an API token allowed to start surveys, on the servers' database."""
    from bot.bootstrap import bootstrap
    from bot.services.tokens import create_token

    rt = bootstrap(settings, migrate=False)
    try:
        return create_token(rt.uow, "dispatch", rt.clock())
    finally:
        rt.close()


def _ask(base: str, token: str, number: str) -> uuid.UUID:
    """Ask a server for a survey about a contact whose survey falls due in DUE_IN."""
    occurred = datetime.now(UTC) - timedelta(minutes=2) + DUE_IN  # SURVEY_DELAY_MINUTES=2
    body = {
        "channel": "sms",
        "address": number,
        "flow": "post_contact",
        "call_type": "traffic_stop",
        "incident_id": f"2026-{secrets.token_hex(4)}",
        "occurred_at": occurred.isoformat(),
    }
    headers = {"Authorization": f"Bearer {token}"}
    response = requests.post(f"{base}/api/v1/surveys", json=body, headers=headers, timeout=30)
    assert response.status_code == 201, response.text
    assert response.json()["status"] == "scheduled"
    return uuid.UUID(response.json()["id"])


def _resident(bases: list[str], twilio: TwilioStandIn, number: str, script: list[str]) -> None:
    """Wait for the first text, then answer every question, alternating between servers.

    Each answer reaches both servers at the same moment under one MessageSid: the original
    and Twilio's redelivery racing each other.
    """
    assert wait_for(lambda: bool(twilio.bodies_to(number)), timeout=60), "no first text"
    with ThreadPoolExecutor(2) as pool:
        for turn, body in enumerate(script):
            form = inbound(number, body)
            pair = (bases[turn % 2], bases[(turn + 1) % 2])
            statuses = [r.status_code for r in pool.map(post_sms, pair, (form, form))]
            assert statuses == [200, 200], (turn, statuses)


def test_two_servers_and_two_workers_store_apply_and_send_everything_once(
    postgres: str,
    redis_url: str,
    twilio: TwilioStandIn,
    make_settings: Callable[[str], Settings],
    tmp_path: Path,
) -> None:
    token = _api_token(make_settings(postgres))
    env = parley_env(postgres, twilio.url, tmp_path, REDIS_URL=redis_url)
    env["SURVEY_DELAY_MINUTES"] = "2"
    script = answer_script()
    log = tmp_path / "parley.log"
    surveys = _run(env, log, token, twilio, [body for _, body in script])
    engine = make_engine(postgres)
    try:
        _check_stored_once(engine, RESIDENTS * len(script), tail(log))
        for number, survey_id in surveys.items():
            _check_applied_in_order(engine, survey_id, [q for q, _ in script])
            assert len(twilio.bodies_to(number)) == 1, twilio.bodies_to(number)
    finally:
        engine.dispose()
    assert len(twilio.sent) == RESIDENTS


def _run(
    env: dict[str, str], log: Path, token: str, twilio: TwilioStandIn, answers: list[str]
) -> dict[str, uuid.UUID]:
    """Serve two servers and two workers; ask for RESIDENTS surveys and answer them all."""
    numbers = [new_york() for _ in range(RESIDENTS)]
    with server(env, log) as first, server(env, log) as second, workers(env, log, 2):
        bases = [first, second]
        surveys = {n: _ask(bases[i % 2], token, n) for i, n in enumerate(numbers)}
        # Nothing is sent by the servers: the texts wait for the workers.
        assert twilio.sent == []
        with ThreadPoolExecutor(RESIDENTS) as pool:
            done = [pool.submit(_resident, bases, twilio, n, answers) for n in numbers]
            for future in done:
                try:
                    future.result(timeout=120)
                except AssertionError as exc:
                    raise AssertionError(f"{exc}\n{tail(log)}") from exc
        # A sweep or two more on every process: nothing goes out again.
        wait_for(lambda: False, timeout=2.5)
    return surveys


def _check_stored_once(engine: Engine, expected: int, log: str) -> None:
    """Assert every inbound provider id was stored once, and all of them were."""
    query = text(
        "SELECT provider_message_id, count(*) FROM messages WHERE direction = 'in' "
        "GROUP BY provider_message_id"
    )
    with engine.connect() as conn:
        counts = {str(sid): int(n) for sid, n in conn.execute(query).all()}
    assert len(counts) == expected, log
    assert set(counts.values()) == {1}


def _check_applied_in_order(engine: Engine, survey_id: uuid.UUID, questions: list[str]) -> None:
    """Assert a survey completed with one answer per question, answered in the order asked."""
    with engine.connect() as conn:
        status = conn.execute(
            text("SELECT status FROM conversations WHERE id = :id"), {"id": survey_id}
        ).scalar_one()
        answered = conn.execute(
            text(
                "SELECT question_id FROM answers WHERE conversation_id = :id "
                "ORDER BY answered_at, question_id"
            ),
            {"id": survey_id},
        ).scalars()
        starts = conn.execute(
            text(
                "SELECT status FROM scheduled_items WHERE conversation_id = :id AND kind = 'start'"
            ),
            {"id": survey_id},
        ).scalars()
        assert (status, list(answered), list(starts)) == ("completed", questions, ["done"])
