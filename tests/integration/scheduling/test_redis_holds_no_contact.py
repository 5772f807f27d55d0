"""Redis holds ids only: after SMS and Telegram surveys run on RQ, no key or value in it (job
data unpickled included) holds a resident's number, chat id or answer."""

from __future__ import annotations

import contextlib
import pickle
import secrets
import zlib
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from bot.ports import InboundMessage
from bot.services.chat_replies import answer_in_chat, start_word
from bot.services.runtime import Runtime
from bot.services.scheduled_items import sweep_items
from bot.services.surveys import SurveyStarted
from bot.tasks import jobs
from bot.tasks.rq import RqDispatcher
from tests.integration.scheduling.conftest import new_york
from tests.integration.scheduling.helpers import report, text, trigger
from tests.standins import LibreStandIn, TwilioStandIn, libre_standin
from tests.support import FakeClock
from tests.telegram_standin import TelegramStandIn, fresh_token, telegram_standin
from tests.web.telegram_helpers import random_chat

# The answers of a whole post_contact survey; the last is free text, translated by a job.
ANSWERS = ("yes", "5", "4", "2", "wait", "3")
COMMENT = "El agente fue muy amable conmigo"
# Another text: a translation already made is reused from the cache, with no job.
CHAT_COMMENT = "Le policier a été très correct avec moi"


@pytest.fixture()
def telegram() -> Iterator[TelegramStandIn]:
    """Serve a local stand-in of the Bot API."""
    with telegram_standin() as standin:
        yield standin


@pytest.fixture()
def libre() -> Iterator[LibreStandIn]:
    """Serve a LibreTranslate stand-in: free-text answers become translation jobs."""
    with libre_standin() as standin:
        yield standin


@pytest.fixture(autouse=True)
def _forget_worker_runtime() -> Iterator[None]:
    """Leave no runtime installed for the next test's jobs."""
    yield
    jobs.reset()


def work(rt: Runtime) -> None:
    """Run an RQ worker with its scheduler in this process until nothing is due."""
    from rq import SimpleWorker

    assert isinstance(rt.dispatcher, RqDispatcher)
    queue = rt.dispatcher.queue()
    SimpleWorker([queue], connection=queue.connection).work(burst=True, with_scheduler=True)


def chat(rt: Runtime, chat_id: str, said: str) -> None:
    """Have a Telegram resident write, then let the worker send the reply."""
    message = InboundMessage("telegram", chat_id, said, f"tg-{secrets.token_hex(6)}", rt.clock())
    answer_in_chat(rt, message)
    work(rt)


def everything_in(redis_url: str) -> list[bytes]:
    """Return every key of the Redis database and every value in it, of every type, as bytes.

    Values that are compressed or pickled (RQ's job data and exceptions) are given opened too.
    """
    import redis

    client = redis.Redis.from_url(redis_url)
    found: list[bytes] = []
    try:
        for key in client.scan_iter("*"):
            found.append(key)
            found.extend(opened(blob) for blob in _values(client, key))
    finally:
        client.close()
    return found


def _values(client: Any, key: bytes) -> list[bytes]:
    """Return a key's values, whatever its type."""
    kind = client.type(key).decode()
    if kind == "string":
        return [client.get(key)]
    if kind == "hash":
        return [b for pair in client.hgetall(key).items() for b in pair]
    if kind == "list":
        return list(client.lrange(key, 0, -1))
    if kind == "set":
        return list(client.smembers(key))
    if kind == "zset":
        return [member for member, _ in client.zrange(key, 0, -1, withscores=True)]
    if kind == "stream":
        return [repr(entry).encode() for entry in client.xrange(key)]
    raise AssertionError(f"a Redis key of an unexpected type: {kind}")


def opened(blob: bytes) -> bytes:
    """Return a value with its decompressed and unpickled forms appended."""
    forms = [blob]
    with contextlib.suppress(zlib.error):
        forms.append(zlib.decompress(blob))
    for form in list(forms):
        # Most values are not pickles; those that are come from our own test Redis.
        with contextlib.suppress(Exception):
            forms.append(repr(pickle.loads(form)).encode())
    return b"\n".join(forms)


def survey_by_sms(rt: Runtime, clock: FakeClock) -> tuple[str, SurveyStarted]:
    """Ask for an SMS survey, let the worker send it two hours later, answer it to the end."""
    number = new_york()
    survey = trigger(rt, number)
    clock.advance(hours=2)
    sweep_items(rt)
    work(rt)
    for said in (*ANSWERS, COMMENT):
        text(rt, number, said)
    return number, survey


def survey_on_telegram(rt: Runtime) -> str:
    """Have a Telegram resident open the chat and answer, each reply sent by a job."""
    chat_id = str(random_chat())
    for said in (start_word(rt), *ANSWERS, CHAT_COMMENT):
        chat(rt, chat_id, said)
    return chat_id


def rq_runtime(
    build_rt: Callable[..., Runtime], redis_url: str, telegram: TelegramStandIn, libre: str
) -> Runtime:
    """Wire a runtime on RQ with SMS, Telegram and a translator, and make the jobs use it."""
    rt = build_rt(
        redis_url=redis_url,
        telegram_bot_token=fresh_token(),
        telegram_api_base_url=telegram.base_url,
        translator="libre",
        translator_url=libre,
    )
    assert isinstance(rt.dispatcher, RqDispatcher)
    jobs.install(rt)
    return rt


def test_redis_holds_no_number_chat_id_or_answer(
    build_rt: Callable[..., Runtime],
    redis_url: str,
    clock: FakeClock,
    twilio: TwilioStandIn,
    telegram: TelegramStandIn,
    libre: LibreStandIn,
) -> None:
    rt = rq_runtime(build_rt, redis_url, telegram, libre.url)
    number, survey = survey_by_sms(rt, clock)
    chat_id = survey_on_telegram(rt)
    # A second SMS resident who has not answered: their first text and reminder are queued.
    waiting = new_york()
    trigger(rt, waiting)
    work(rt)

    assert report(rt, survey.id)["status"] == "completed"
    assert len(twilio.bodies_to(number)) >= 1 and telegram.messages
    assert len(libre.calls) == 2  # both comments went through translation jobs
    stored = b"\n".join(everything_in(redis_url))
    # The scan saw the jobs and read their pickled data: a blind scan would prove nothing.
    assert b"parley-item-" in stored and b"bot.tasks.jobs.translate_answer" in stored
    assert b"('bot.tasks.jobs.run_item', None, ('" in stored  # a job's data, unpickled
    for secret in (number, waiting, chat_id):
        for form in {secret, secret.lstrip("+"), secret[-10:]}:
            assert form.encode() not in stored, f"Redis holds {form[:3]}…"
    for words in (COMMENT, CHAT_COMMENT):
        assert words.encode() not in stored and words[-12:].encode() not in stored
