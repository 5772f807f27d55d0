"""Telegram replies go through the scheduled pipeline: answered at once, sent after, paced, retried.

The webhook commits the turn with its reply as a scheduled item and answers 200; the dispatcher
sends the reply. These tests move the clock by hand and sweep the database as a worker would.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import select

from bot.scheduling.states import Direction, ItemKind, ItemStatus, MessageStatus, RunOutcome
from bot.services.runtime import Runtime
from bot.services.scheduled_items import run_due_items
from storage.models import Message, ScheduledItem
from tests.support import FakeClock
from tests.telegram_standin import TelegramStandIn, fresh_token
from tests.web.telegram_helpers import SECRET, post_update, random_chat, update
from tests.web.test_telegram_survey import bot_app, telegram  # noqa: F401  # fixtures

FIRST_QUESTION = "Did the officer listen"


def runtime(app: Flask) -> Runtime:
    """Return the app's runtime."""
    return app.extensions["parley.runtime"]  # type: ignore[no-any-return]


def replies(rt: Runtime, chat: int) -> list[tuple[str, str, str | None]]:
    """Return each reply item to a chat as (item status, message status, body start), in order."""
    engine = rt.uow()._session_factory.kw["bind"]
    query = (
        select(ScheduledItem.status, Message.status, Message.body)
        .join(Message, Message.id == ScheduledItem.message_id)
        .where(ScheduledItem.kind == ItemKind.REPLY, Message.direction == Direction.OUT)
        .order_by(Message.created_at)
    )
    with rt.uow() as uow:
        respondent = uow.respondents.find("telegram", str(chat))
    assert respondent is not None
    query = query.where(Message.respondent_id == respondent.id)
    with engine.connect() as connection:
        return [(row[0], row[1], (row[2] or "")[:30]) for row in connection.execute(query)]


def test_a_slowed_down_reply_waits_for_telegrams_retry_after_and_goes_once(
    bot_app: Flask,  # noqa: F811
    telegram: TelegramStandIn,  # noqa: F811
    clock: FakeClock,
) -> None:
    client, rt, chat = bot_app.test_client(), runtime(bot_app), random_chat()
    first = update(chat, "/start")
    telegram.failures.append((429, "Too Many Requests: retry after 3", 3))
    # The webhook answers 200 at once: the reply is stored, and Telegram need not send it again.
    assert post_update(client, first).status_code == 200
    assert telegram.texts_to(chat) == []
    assert [status for status, _, _ in replies(rt, chat)] == [ItemStatus.PENDING]
    # A redelivery of the same update changes nothing and sends nothing.
    assert post_update(client, first).status_code == 200
    assert len(replies(rt, chat)) == 1
    clock.advance(seconds=2)
    assert run_due_items(rt) == []  # not before Telegram's retry_after
    clock.advance(seconds=1)
    assert run_due_items(rt) == [RunOutcome.SENT]
    assert run_due_items(rt) == []
    (text,) = telegram.texts_to(chat)
    assert FIRST_QUESTION in text


def test_a_reply_left_by_a_lost_dispatcher_is_found_and_sent_by_the_sweep(
    bot_app: Flask,  # noqa: F811
    telegram: TelegramStandIn,  # noqa: F811
) -> None:
    client, rt, chat = bot_app.test_client(), runtime(bot_app), random_chat()
    assert rt.dispatcher is not None
    rt.dispatcher.close()  # a worker died, or Redis lost its queue: the job never runs
    assert post_update(client, update(chat, "/start")).status_code == 200
    assert telegram.texts_to(chat) == []
    assert run_due_items(rt) == [RunOutcome.SENT]  # the sweep: the database says what is due
    assert run_due_items(rt) == []
    assert len(telegram.texts_to(chat)) == 1


def test_a_reply_that_may_have_left_is_never_sent_again(
    bot_app: Flask,  # noqa: F811
    telegram: TelegramStandIn,  # noqa: F811
    clock: FakeClock,
) -> None:
    client, rt, chat = bot_app.test_client(), runtime(bot_app), random_chat()
    # A gateway error: Telegram may have taken the message before failing.
    telegram.failures.append((502, "Bad Gateway", None))
    post_update(client, update(chat, "/start"))
    for _ in range(8):  # every retry the pipeline would make, and more
        clock.advance(hours=3)
        run_due_items(rt)
    assert telegram.texts_to(chat) == []  # Telegram cannot be asked, so it is never resent
    ((item_status, message_status, _),) = replies(rt, chat)
    assert (item_status, message_status) == (ItemStatus.FAILED, MessageStatus.UNKNOWN)


def test_replies_keep_their_order_behind_a_reply_that_waits(
    bot_app: Flask,  # noqa: F811
    telegram: TelegramStandIn,  # noqa: F811
    clock: FakeClock,
) -> None:
    client, rt, chat = bot_app.test_client(), runtime(bot_app), random_chat()
    post_update(client, update(chat, "/start"))
    telegram.failures.append((429, "Too Many Requests: retry after 5", 5))
    clock.advance(seconds=1)
    post_update(client, update(chat, "yes"))  # its answer waits for Telegram
    clock.advance(seconds=1)
    post_update(client, update(chat, "5"))  # the next question must not overtake it
    assert len(telegram.texts_to(chat)) == 1
    clock.advance(seconds=5)
    run_due_items(rt)
    clock.advance(seconds=1)
    run_due_items(rt)
    texts = telegram.texts_to(chat)
    assert len(texts) == 3
    assert "dignity and respect" in texts[1] and "explain what was happening" in texts[2]


def test_a_reply_composed_before_the_resident_stopped_is_withdrawn(
    bot_app: Flask,  # noqa: F811
    telegram: TelegramStandIn,  # noqa: F811
    clock: FakeClock,
) -> None:
    client, rt, chat = bot_app.test_client(), runtime(bot_app), random_chat()
    post_update(client, update(chat, "/start"))
    telegram.failures.append((429, "Too Many Requests: retry after 5", 5))
    clock.advance(seconds=1)
    post_update(client, update(chat, "yes"))  # its answer (the next question) waits
    clock.advance(seconds=1)
    post_update(client, update(chat, "/stop"))
    for _ in range(3):
        clock.advance(seconds=5)
        run_due_items(rt)
    texts = telegram.texts_to(chat)
    assert len(texts) == 2 and "dignity and respect" not in " ".join(texts)
    statuses = [message for _, message, _ in replies(rt, chat)]
    assert statuses == [MessageStatus.SENT, MessageStatus.CANCELLED, MessageStatus.SENT]


@pytest.fixture()
def slow_bot(
    make_app: Callable[..., Flask],
    telegram: TelegramStandIn,  # noqa: F811
    tmp_path: Path,
) -> Flask:
    """Return an app whose bot may send one message every ten seconds."""
    return make_app(
        f"sqlite:///{tmp_path / 'slow.db'}",
        telegram_bot_token=fresh_token(),
        telegram_webhook_secret=SECRET,
        telegram_api_base_url=telegram.base_url,
        telegram_messages_per_second=0.1,
    )


def test_replies_are_paced_per_bot(
    slow_bot: Flask,
    telegram: TelegramStandIn,  # noqa: F811
    clock: FakeClock,
) -> None:
    client, rt = slow_bot.test_client(), runtime(slow_bot)
    chats = [random_chat() for _ in range(3)]
    for chat in chats:
        post_update(client, update(chat, "/start"))
    # One message every ten seconds: the first goes at once, the others wait for their slots.
    assert [len(telegram.texts_to(chat)) for chat in chats] == [1, 0, 0]
    clock.advance(seconds=9)
    assert run_due_items(rt) == []
    clock.advance(seconds=1)
    assert run_due_items(rt) == [RunOutcome.SENT]
    clock.advance(seconds=10)
    assert run_due_items(rt) == [RunOutcome.SENT]
    assert [len(telegram.texts_to(chat)) for chat in chats] == [1, 1, 1]
