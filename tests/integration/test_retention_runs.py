"""How retention runs: two at once, from the sweep, from the CLI; and who it still answers."""

from __future__ import annotations

import threading
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from flask import Flask
from sqlalchemy import func, select

from bot.cli.main import main
from bot.config.privacy import new_key
from bot.scheduling.states import ItemStatus, MessageStatus, RunOutcome
from bot.services.key_rotation import rotate_keys, rows_per_key
from bot.services.retention import RetentionReport, run_retention
from bot.services.scheduled_items import run_item
from bot.services.tokens import SCOPES, create_token
from bot.tasks.sweep import Sweeper
from storage.contact_cipher import decode_key, key_id
from storage.models import Conversation, Message, Respondent, ScheduledItem
from tests.integration.retention_helpers import (
    CAPPED,
    ask,
    engine_of,
    respondent_id,
    respondent_row,
    row,
    runtime,
    take_survey,
)
from tests.support import DATA_KEY, FakeClock
from tests.telegram_standin import TelegramStandIn, fresh_token, telegram_standin
from tests.web.helpers import random_number
from tests.web.telegram_helpers import SECRET, post_update, random_chat, update


@pytest.fixture()
def site(make_app: Callable[..., Flask], own_database_url: str) -> Flask:
    """Return the app on the test's own database, a resident surveyed once in 60 days."""
    return make_app(own_database_url, send_policy=CAPPED)


@pytest.fixture()
def token(site: Flask) -> str:
    """Return an API token of the site."""
    rt = runtime(site)
    return create_token(rt.uow, "test", rt.clock(), SCOPES)


def _anonymous_rows(site: Flask) -> int:
    """Count the anonymous respondents retention made."""
    query = select(func.count()).where(Respondent.address_hash.like("anon-%"))
    with engine_of(site).connect() as connection:
        return int(connection.execute(query).scalar_one())


def test_two_runs_at_once_share_the_work_and_do_nothing_twice(
    site: Flask, token: str, clock: FakeClock
) -> None:
    client, rt = site.test_client(), runtime(site)
    # Refused at once (an excluded call type): ended surveys, each with its contact.
    surveys = [
        ask(client, token, random_number(), "U-race", call_type="domestic_violence")["id"]
        for _ in range(12)
    ]
    clock.advance(days=31)
    start, reports = threading.Barrier(2), list[RetentionReport]()

    def retain() -> None:
        start.wait(10)
        reports.append(run_retention(rt, clock(), batch=2))

    threads = [threading.Thread(target=retain) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)

    assert sum(report.conversations for report in reports) == len(surveys)
    assert _anonymous_rows(site) == len(surveys)
    owners = {row(site, Conversation, uuid.UUID(key)).respondent_id for key in surveys}
    assert len(owners) == len(surveys)
    assert sum(report.deleted for report in reports) == len(surveys)


def test_the_sweep_runs_retention_at_most_once_an_hour(
    site: Flask, token: str, clock: FakeClock
) -> None:
    client, rt = site.test_client(), runtime(site)
    ask(client, token, random_number(), "U-sweep", call_type="domestic_violence")
    clock.advance(minutes=30)
    ask(client, token, random_number(), "U-sweep", call_type="domestic_violence")
    sweeper = Sweeper(None)
    clock.advance(days=30, minutes=-15)  # past the first survey's period, not the second's

    first = sweeper.retain(rt)
    clock.advance(minutes=45)  # the second is due now, but the hour is not over
    skipped = sweeper.retain(rt)
    clock.advance(minutes=15)
    later = sweeper.retain(rt)

    assert first is not None and first.conversations == 1
    assert skipped is None
    assert later is not None and later.conversations == 1


def test_the_cli_prints_counts_and_never_a_number(
    site: Flask, token: str, clock: FakeClock, tmp_path: Path
) -> None:
    client, rt = site.test_client(), runtime(site)
    number = random_number()
    ask(client, token, number, "U-cli")
    take_survey(client, number, f"my number is {number}")
    clock.advance(days=31)

    result = CliRunner().invoke(main, ["retention", "run", "--batch", "10"], obj=rt)

    assert result.exit_code == 0, result.output
    assert "retention after 30 days:" in result.output
    assert "  conversations: 1" in result.output and "  answers: 1" in result.output
    assert "  hash only: 1" in result.output
    assert number[2:] not in result.output
    again = CliRunner().invoke(main, ["retention", "run"], obj=rt)
    assert "  conversations: 0" in again.output


def test_a_send_to_an_erased_row_fails_closed(site: Flask, token: str, clock: FakeClock) -> None:
    client, rt = site.test_client(), runtime(site)
    number = random_number()
    survey = uuid.UUID(ask(client, token, number, "U-send")["id"])
    take_survey(client, number, "fine")
    clock.advance(days=31)
    run_retention(rt, clock())
    anonymous = row(site, Conversation, survey).respondent_id
    with rt.uow() as uow:
        message = uow.messages.add_outbound("sms", "hello", anonymous, None, None, clock())
        item = uow.schedule.add_reply(message, clock())
        uow.commit()

    assert run_item(rt, item.id) == RunOutcome.FAILED

    sent = row(site, Message, message)
    assert (sent.status, sent.error_code) == (MessageStatus.FAILED, "erased")
    closed = row(site, ScheduledItem, item.id)
    assert closed.status == ItemStatus.FAILED and "erased" in closed.last_error
    assert number[2:] not in closed.last_error


@pytest.fixture()
def telegram() -> Iterator[TelegramStandIn]:
    """Serve a local stand-in of the Bot API."""
    with telegram_standin() as standin:
        yield standin


def test_a_telegram_resident_is_answered_after_retention(
    make_app: Callable[..., Flask],
    own_database_url: str,
    telegram: TelegramStandIn,
    clock: FakeClock,
) -> None:
    site = make_app(
        own_database_url,
        send_policy=CAPPED,
        telegram_bot_token=fresh_token(),
        telegram_webhook_secret=SECRET,
        telegram_api_base_url=telegram.base_url,
    )
    client, chat = site.test_client(), random_chat()
    for says in ("/start", "yes", "5", "4", "2", "wait", "3", "no"):
        assert post_update(client, update(chat, says)).status_code == 200
    assert "Thank you" in telegram.texts_to(chat)[-1]
    resident = respondent_id(site, "telegram", str(chat))
    clock.advance(days=31)
    run_retention(runtime(site), clock())
    assert respondent_row(site, resident).address_enc == ""

    post_update(client, update(chat, "/start"))

    assert "already taken this survey recently" in telegram.texts_to(chat)[-1]
    assert respondent_id(site, "telegram", str(chat)) == resident
    assert respondent_row(site, resident).address_enc != ""


def test_the_app_restarts_and_keys_rotate_over_rows_retention_left_without_a_number(
    make_app: Callable[..., Flask], own_database_url: str, clock: FakeClock
) -> None:
    site = make_app(own_database_url, send_policy=CAPPED)
    client, token = site.test_client(), create_token(runtime(site).uow, "t", clock(), SCOPES)
    number, active = random_number(), random_number()
    ask(client, token, number, "U-keys")
    take_survey(client, number, "fine")
    clock.advance(days=31)
    ask(client, token, active, "U-keys")
    clock.advance(minutes=1)
    run_retention(runtime(site), clock())  # newest rows now: anonymous, and a hash-only one

    new = new_key()
    rt = runtime(make_app(own_database_url, send_policy=CAPPED, data_keys=(new, DATA_KEY)))
    steps = list(rotate_keys(rt.uow, 10))

    assert sum(step.resealed for step in steps) == 1  # the active resident's alone
    assert rows_per_key(rt.uow) == {key_id(decode_key(new)): 1}
