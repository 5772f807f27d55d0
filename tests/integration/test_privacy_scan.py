"""Issue 13's proof: after surveys, an erasure and a retention run, nothing says who answered.

On SQLite and PostgreSQL, with the real Redis: a resident answers by SMS (typing their own
number into the comment), another on Telegram, a third asks for erasure; RQ sends what is
queued; then the clock passes RETENTION_DAYS and retention runs. Every column of every table,
every Redis key and value (job data unpickled), and every log line Parley wrote, are then
searched for the numbers, the chat id and their keyed hashes.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator

import pytest
from flask import Flask

from bot.services.retention import run_retention
from bot.services.tokens import SCOPES, create_token
from bot.tasks import jobs
from bot.tasks.rq import RqDispatcher
from tests.integration.retention_helpers import CAPPED, ask, take_survey
from tests.integration.scheduling.test_redis_holds_no_contact import everything_in
from tests.integration.test_encrypted_addresses import raw_text
from tests.standins import TwilioStandIn
from tests.support import FakeClock, cipher_for_tests
from tests.telegram_standin import TelegramStandIn, fresh_token, telegram_standin
from tests.web.helpers import post_sms, random_number, reply
from tests.web.telegram_helpers import PATH, SECRET, random_chat, update

CHAT_ANSWERS = ["/start", "yes", "5", "4", "2", "wait", "3", "no"]


@pytest.fixture()
def telegram() -> Iterator[TelegramStandIn]:
    """Serve a local stand-in of the Bot API."""
    with telegram_standin() as standin:
        yield standin


@pytest.fixture(autouse=True)
def _forget_worker_runtime() -> Iterator[None]:
    """Leave no runtime installed for the next test's jobs."""
    yield
    jobs.reset()


def _work(app: Flask) -> None:
    """Run an RQ worker in this process until nothing is queued (Telegram replies, sends)."""
    from rq import SimpleWorker

    rt = app.extensions["parley.runtime"]
    assert isinstance(rt.dispatcher, RqDispatcher)
    jobs.install(rt)
    queue = rt.dispatcher.queue()
    SimpleWorker([queue], connection=queue.connection).work(burst=True)


def _traces(address: str) -> list[str]:
    """Return what would give a resident away: the address, its digits, its keyed hash."""
    digits = address.lstrip("+")
    return [address, digits, digits[-10:], cipher_for_tests().digest(address)]


def test_after_surveys_an_erasure_and_retention_nothing_says_who_answered(
    make_app: Callable[..., Flask],
    own_database_url: str,
    redis_url: str,
    telegram: TelegramStandIn,
    twilio: TwilioStandIn,
    clock: FakeClock,
    caplog: pytest.LogCaptureFixture,
) -> None:
    app = make_app(
        own_database_url,
        send_policy=CAPPED,
        redis_url=redis_url,
        telegram_bot_token=fresh_token(),
        telegram_webhook_secret=SECRET,
        telegram_api_base_url=telegram.base_url,
    )
    rt = app.extensions["parley.runtime"]
    client = app.test_client()
    token = create_token(rt.uow, "dispatch", rt.clock(), SCOPES)
    texter, eraser, chat = random_number(), random_number(), random_chat()

    with caplog.at_level(logging.DEBUG):
        # An SMS survey asked for by dispatch, sent by a worker, answered to the end; the
        # comment carries the resident's own number ("call me back on ...").
        ask(client, token, texter, "North")
        _work(app)
        assert twilio.bodies_to(texter), "the worker sent the first text"
        take_survey(
            client, texter, f"Please call me back on {texter[2:5]}-{texter[5:8]}-{texter[8:]}"
        )
        # A Telegram resident: each reply is a job on RQ.
        for said in CHAT_ANSWERS:
            headers = {"X-Telegram-Bot-Api-Secret-Token": SECRET}
            assert client.post(PATH, json=update(chat, said), headers=headers).status_code == 200
            _work(app)
        assert "Thank you" in telegram.texts_to(chat)[-1]
        # A third resident takes the survey, then asks for erasure and confirms.
        reply(post_sms(client, eraser, "SURVEY"))
        assert "YES" in reply(post_sms(client, eraser, "DELETE"))
        assert "deleted" in reply(post_sms(client, eraser, "YES"))

        clock.advance(days=31)
        report = run_retention(rt, clock.now)
        clock.advance(days=61)  # the frequency cap no longer needs the hash-only rows
        again = run_retention(rt, clock.now)

    assert report.conversations == 2, report  # the texter's and the chat's; the eraser's is gone
    assert again.conversations == 0
    database = raw_text(own_database_url)
    redis = b"\n".join(everything_in(redis_url)).decode("utf-8", "replace")
    logged = "\n".join(
        r.getMessage()
        for r in caplog.records
        if r.levelno >= logging.INFO or r.name.startswith("bot")
    )
    for address in (texter, eraser, str(chat)):
        for trace in _traces(address)[:3]:
            assert trace not in database, f"{trace} in the database"
            assert trace not in redis, f"{trace} in Redis"
            assert trace not in logged, f"{trace} in the logs"
    # With the keys, the texter's and the chat's hashes lead nowhere (their rows are gone), and
    # the eraser's only to the opt-out list: a row with no address and nothing pointing at it.
    assert _traces(texter)[3] not in database and _traces(str(chat))[3] not in database
    with rt.uow() as uow:
        kept = uow.respondents.find("sms", eraser)
        assert kept is not None and kept.opted_out_at is not None and kept.address_enc == ""
    assert "[number removed]" in database  # the comment kept, the number in it gone
