"""Translations run in the background: worker threads after a webhook turn, or RQ on Redis.

Each test gets a database of its own (a new SQLite file or PostgreSQL schema): a sweep
translates whatever is due, and must not find other tests' answers.
"""

from __future__ import annotations

import secrets
import time
import uuid
from collections.abc import Iterator
from dataclasses import replace
from typing import TYPE_CHECKING, Any

import pytest

from bot import create_app
from bot.bootstrap import bootstrap
from bot.config.settings import Settings
from bot.services.reports import survey_report
from bot.services.runtime import Runtime
from bot.tasks import jobs
from bot.tasks.in_process import InProcessDispatcher
from bot.tasks.rq import RqDispatcher
from tests.integration.test_translations import SPANISH, _comment, _settings, _translation
from tests.standins import LibreStandIn, libre_standin
from tests.support import ADDRESS_HASH_KEY, DATA_KEY, FakeClock
from tests.web.helpers import post_sms, random_number, reply

if TYPE_CHECKING:
    from rq import Queue


@pytest.fixture()
def libre() -> Iterator[LibreStandIn]:
    """Serve a LibreTranslate stand-in."""
    with libre_standin() as standin:
        yield standin


def _wait_for(rt: Runtime, survey_id: uuid.UUID, status: str, seconds: float = 5) -> Any:
    """Poll the survey report until its answer's translation reaches `status`."""
    deadline = time.monotonic() + seconds
    while (translation := _translation(rt, survey_id))["status"] != status:
        assert time.monotonic() < deadline, translation
        time.sleep(0.02)
    return translation


def test_worker_threads_translate_an_answer_after_a_webhook_turn(
    own_database_url: str, make_settings: Any, clock: FakeClock, libre: LibreStandIn
) -> None:
    settings = make_settings(own_database_url).with_overrides(
        translator="libre", translator_url=libre.url, translator_timeout_seconds=2.0
    )
    rt = bootstrap(settings, clock=clock)
    client = create_app(settings, rt).test_client()
    number, comment = random_number(), f"{SPANISH} ({secrets.token_hex(3)})"
    try:
        # Start by keyword, then: listened, respect, explained, overall (4: no follow-up), trust.
        for text in ("ENCUESTA", "Sí", "cuatro", "cuatro", "cuatro", "cuatro", comment):
            assert reply(post_sms(client, number, text))
        assert isinstance(rt.dispatcher, InProcessDispatcher)
        assert rt.dispatcher.drain(timeout=10)
        with rt.uow() as uow:
            respondent = uow.respondents.find("sms", number)
            assert respondent is not None
            survey = uow.conversations.latest_for(respondent.id)
            assert survey is not None
        report = survey_report(rt, survey.id)
    finally:
        rt.close()
    assert report is not None
    (answer,) = [a for a in report["answers"] if a["question"] == "comment"]
    assert answer["text"] == comment
    assert answer["translation"]["status"] == "done"
    assert answer["translation"]["text"] == f"[es>en] {comment}"
    assert [call["q"] for call in libre.calls] == [comment]


def test_the_sweep_thread_retries_a_failed_translation_when_it_is_due(
    own_database_url: str, clock: FakeClock, libre: LibreStandIn
) -> None:
    base = bootstrap(_settings(own_database_url, libre), clock=clock, senders={})
    dispatcher = InProcessDispatcher(sweep_seconds=0.05)
    rt = replace(base, dispatcher=dispatcher)
    dispatcher.bind(rt)
    libre.failures = [500]
    try:
        survey_id, _ = _comment(rt, f"{SPANISH} ({secrets.token_hex(3)})")
        assert dispatcher.drain(timeout=5)
        time.sleep(0.2)  # several sweeps: none retries before the backoff has passed
        assert _translation(rt, survey_id)["status"] == "pending"
        assert len(libre.calls) == 1

        clock.advance(minutes=1)

        assert _wait_for(rt, survey_id, "done")["provider"] == "libre"
        assert len(libre.calls) == 2
    finally:
        dispatcher.close()
        base.close()


@pytest.fixture()
def worker_env(
    monkeypatch: pytest.MonkeyPatch, own_database_url: str, libre: LibreStandIn, redis_url: str
) -> Iterator[Settings]:
    """Configure this process as an RQ worker would be; close the worker's runtime after."""
    environ = {
        "DATABASE_URL": own_database_url,
        "TRANSLATOR": "libre",
        "TRANSLATOR_URL": libre.url,
        "TRANSLATOR_TIMEOUT_SECONDS": "2",
        "REDIS_URL": redis_url,
        "AGENCY_LANGUAGE": "en",
        "DATA_KEY": DATA_KEY,
        "ADDRESS_HASH_KEY": ADDRESS_HASH_KEY,
    }
    for name, value in environ.items():
        monkeypatch.setenv(name, value)
    yield Settings.from_env(environ)
    jobs.reset()


@pytest.fixture()
def web(worker_env: Settings) -> Iterator[Runtime]:
    """Wire the web side: answers enqueued on RQ (its periodic sweep off, so tests drive it)."""
    base = bootstrap(worker_env, senders={})
    dispatcher = RqDispatcher(worker_env.redis_url, sweep_seconds=None)
    rt = replace(base, dispatcher=dispatcher)
    dispatcher.bind(rt)
    # The worker process: its own runtime, wired from the same environment and installed for
    # its jobs, as `python -m bot worker` does (worker_env's jobs.reset() closes it).
    jobs.install(bootstrap(Settings.from_env(), migrate=False))
    yield rt
    dispatcher.close()
    base.close()


def _queue(rt: Runtime) -> Queue:
    """Return the RQ queue the runtime enqueues on."""
    assert isinstance(rt.dispatcher, RqDispatcher)
    return rt.dispatcher.queue()


def _work(queue: Queue) -> None:
    """Run an RQ worker in this process until the queue is empty."""
    from rq import SimpleWorker

    SimpleWorker([queue], connection=queue.connection).work(burst=True)


def test_an_rq_worker_translates_the_answer(web: Runtime, libre: LibreStandIn) -> None:
    survey_id, answer_id = _comment(web, f"{SPANISH} ({secrets.token_hex(3)})")
    queue, dispatcher = _queue(web), web.dispatcher
    assert dispatcher is not None
    job_id = f"parley-translate-{answer_id}"
    assert queue.job_ids == [job_id]
    waiting = queue.fetch_job(job_id)
    assert waiting is not None
    dispatcher.enqueue_translation(answer_id)
    again = queue.fetch_job(job_id)
    # Asking again while the job waits adds nothing and leaves the job as it was.
    assert queue.count == 1
    assert again is not None and again.created_at == waiting.created_at

    _work(queue)

    assert _translation(web, survey_id)["status"] == "done"
    finished = queue.fetch_job(job_id)
    assert finished is not None and finished.get_status() == "finished"
    # A finished job is replaced when asked again; the database says there is nothing to do.
    dispatcher.enqueue_translation(answer_id)
    assert queue.count == 1
    _work(queue)
    assert len(libre.calls) == 1


def test_a_failed_rq_job_is_recorded_by_rq_and_scheduled_for_retry(
    web: Runtime, libre: LibreStandIn
) -> None:
    libre.failures = [503]
    survey_id, answer_id = _comment(web, f"{SPANISH} ({secrets.token_hex(3)})")
    queue = _queue(web)

    _work(queue)

    job = queue.fetch_job(f"parley-translate-{answer_id}")
    assert job is not None
    assert job.get_status() == "scheduled"  # RQ's own retry, a minute later
    assert job.retries_left == 8
    assert _translation(web, survey_id)["status"] == "pending"


def test_losing_redis_loses_nothing(web: Runtime) -> None:
    survey_id, _ = _comment(web, f"{SPANISH} ({secrets.token_hex(3)})")
    queue = _queue(web)
    assert queue.count == 1

    queue.connection.flushdb()  # Redis restarted without its data
    assert queue.count == 0
    queue.enqueue("bot.tasks.jobs.sweep")
    _work(queue)

    assert _translation(web, survey_id)["status"] == "done"
