"""Residents' numbers and chat ids at rest: nowhere in plain text, found by keyed hash, fail closed.

On SQLite and PostgreSQL: after a survey over SMS and over Telegram, no table's raw rows hold
the number or the chat id; webhook look-ups still find the resident; a wrong key stops start-up
or a read with a clear message; key rotation in the middle of traffic loses nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from click.testing import CliRunner
from flask import Flask

from bot.cli.main import main
from bot.config.privacy import new_key
from bot.errors import ConfigError
from bot.services.key_rotation import rotate_keys, rows_per_key
from storage.contact_cipher import UnreadableContactError, decode_key, key_id
from storage.db import make_engine
from storage.models import Respondent
from tests.support import ADDRESS_HASH_KEY, DATA_KEY, cipher_for_tests
from tests.telegram_standin import TelegramStandIn, fresh_token, telegram_standin
from tests.web.helpers import post_sms, random_number, reply
from tests.web.telegram_helpers import SECRET, post_update, random_chat, update

SURVEY = ["SURVEY", "yes", "5", "4", "2", "wait", "3", "no"]


def raw_text(database_url: str, table: str | None = None) -> str:
    """Return every row of every table (or one) as text, as a copy of the database shows it."""
    engine = make_engine(database_url)
    try:
        with engine.connect() as connection:
            names = [table] if table else sa.inspect(connection).get_table_names()
            rows = [
                repr(tuple(row))
                for name in names
                for row in connection.execute(sa.text(f'SELECT * FROM "{name}"'))
            ]
    finally:
        engine.dispose()
    return "\n".join(rows)


@pytest.fixture()
def telegram() -> Iterator[TelegramStandIn]:
    """Serve a local stand-in of the Bot API."""
    with telegram_standin() as standin:
        yield standin


def test_after_an_sms_survey_the_number_is_nowhere_in_the_database(
    make_app: Callable[..., Flask], own_database_url: str
) -> None:
    client = make_app(own_database_url).test_client()
    number = random_number()

    answers = [reply(post_sms(client, number, text)) for text in SURVEY]

    assert "Thank you" in answers[-1]  # one respondent, found again on every webhook
    everything = raw_text(own_database_url)
    assert number not in everything and number.lstrip("+") not in everything
    assert number[-7:] not in raw_text(own_database_url, "respondents")
    with client.application.extensions["parley.runtime"].uow() as uow:
        respondent = uow.respondents.find("sms", number)
        assert respondent is not None and uow.respondents.get(respondent.id) is respondent
    assert _respondents(own_database_url) == 1


def test_after_a_telegram_survey_the_chat_id_is_nowhere_in_the_database(
    make_app: Callable[..., Flask], own_database_url: str, telegram: TelegramStandIn
) -> None:
    app = make_app(
        own_database_url,
        telegram_bot_token=fresh_token(),
        telegram_webhook_secret=SECRET,
        telegram_api_base_url=telegram.base_url,
    )
    client = app.test_client()
    chat = random_chat()

    for text in ["/start", "yes", "5", "4", "2", "wait", "3", "no"]:
        assert post_update(client, update(chat, text)).status_code == 200

    assert "Thank you" in telegram.texts_to(chat)[-1]
    assert str(chat) not in raw_text(own_database_url)
    tag = cipher_for_tests().chat_tag(str(chat))
    assert tag in raw_text(own_database_url, "messages")  # sent ids name the chat by its tag


def test_a_wrong_data_key_or_hash_key_stops_start_up_with_the_variable_named(
    make_app: Callable[..., Flask], own_database_url: str
) -> None:
    post_sms(make_app(own_database_url).test_client(), random_number(), "SURVEY")

    with pytest.raises(ConfigError, match=r"^DATA_KEY: .*key id '\w{8}'.*does not hold"):
        make_app(own_database_url, data_keys=(new_key(),))
    with pytest.raises(ConfigError, match=r"^ADDRESS_HASH_KEY: .*every resident would look new"):
        make_app(own_database_url, address_hash_key=new_key())
    make_app(own_database_url, data_keys=(new_key(), DATA_KEY))  # the old key after a new one


def test_production_without_keys_does_not_start(
    make_app: Callable[..., Flask], own_database_url: str
) -> None:
    with pytest.raises(ConfigError, match=r"^DATA_KEY: set the key"):
        make_app(own_database_url, data_keys=())


def test_an_altered_ciphertext_fails_closed_when_the_address_is_needed(
    make_app: Callable[..., Flask], own_database_url: str
) -> None:
    app = make_app(own_database_url)
    number = random_number()
    post_sms(app.test_client(), number, "SURVEY")
    rt = app.extensions["parley.runtime"]
    with rt.uow() as uow:
        found = uow.respondents.find("sms", number)
        assert found is not None
        other = cipher_for_tests().seal(random_number(), "respondents:sms:" + "0" * 64)
        found.address_enc = other
        uow.commit()

    with rt.uow() as uow, pytest.raises(UnreadableContactError) as raised:
        uow.respondents.get(found.id)
    assert number not in str(raised.value)


def test_rotation_in_the_middle_of_traffic_loses_nothing(
    make_app: Callable[..., Flask], own_database_url: str
) -> None:
    before = make_app(own_database_url).test_client()
    residents = [random_number() for _ in range(12)]
    for number in residents:
        assert "listen" in reply(post_sms(before, number, "SURVEY"))
    new = new_key()
    rotating = make_app(own_database_url, data_keys=(new, DATA_KEY))
    client, rt = rotating.test_client(), rotating.extensions["parley.runtime"]

    for step, number in zip(rotate_keys(rt.uow, batch_size=5), residents, strict=False):
        # Between batches, webhook turns of residents already moved and not yet moved, and new.
        assert "respect" in reply(post_sms(client, number, "yes")), step
        newcomer = random_number()
        assert "listen" in reply(post_sms(client, newcomer, "SURVEY"))
        residents.append(newcomer)

    list(rotate_keys(rt.uow, batch_size=5))  # a rerun resumes, and finds nothing left to do
    assert rows_per_key(rt.uow) == {key_id(decode_key(new)): _respondents(own_database_url)}
    only_new = make_app(own_database_url, data_keys=(new,))
    with only_new.extensions["parley.runtime"].uow() as uow:
        for number in residents:
            found = uow.respondents.find("sms", number)
            assert found is not None and _opened(uow, found) == number


def _opened(uow: object, found: Respondent) -> str:
    """Open a respondent's sealed address through a fresh read by id."""
    found.__dict__.pop("_address")
    opened = uow.respondents.get(found.id)  # type: ignore[attr-defined]
    return str(opened.address)


def test_keys_rotate_prints_counts_never_addresses(
    make_app: Callable[..., Flask], own_database_url: str
) -> None:
    client = make_app(own_database_url).test_client()
    numbers = [random_number() for _ in range(3)]
    for number in numbers:
        post_sms(client, number, "SURVEY")
    new = new_key()
    rt = make_app(own_database_url, data_keys=(new, DATA_KEY)).extensions["parley.runtime"]

    env = {"DATA_KEY": f"{new},{DATA_KEY}", "ADDRESS_HASH_KEY": ADDRESS_HASH_KEY}
    result = CliRunner().invoke(main, ["keys", "rotate", "--batch", "2"], obj=rt, env=env)

    assert result.exit_code == 0, result.output
    assert f"current key: {key_id(decode_key(new))}" in result.output
    assert "batch 2: 3 rows read, 3 re-encrypted" in result.output
    assert f"after:  key {key_id(decode_key(new))}: 3 rows" in result.output
    assert not any(number[2:] in result.output for number in numbers)


def test_keys_rotate_without_the_old_key_stops_with_a_clear_message(
    make_app: Callable[..., Flask], own_database_url: str
) -> None:
    post_sms(make_app(own_database_url).test_client(), random_number(), "SURVEY")
    new = new_key()
    env = {"DATA_KEY": new, "ADDRESS_HASH_KEY": ADDRESS_HASH_KEY, "DATABASE_URL": own_database_url}

    result = CliRunner().invoke(main, ["keys", "rotate"], env=env)

    assert result.exit_code == 1
    assert "DATA_KEY" in result.output and "does not hold" in result.output


def test_keys_generate_prints_a_usable_key() -> None:
    result = CliRunner().invoke(main, ["keys", "generate"])

    assert result.exit_code == 0
    assert len(decode_key(result.output.strip())) == 32


def _respondents(database_url: str) -> int:
    """Count the respondent rows."""
    engine = make_engine(database_url)
    try:
        with engine.connect() as connection:
            return int(connection.execute(sa.text("SELECT count(*) FROM respondents")).scalar_one())
    finally:
        engine.dispose()


def test_the_quick_start_chat_needs_no_key(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DATA_KEY")
    monkeypatch.delenv("ADDRESS_HASH_KEY")
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'kept.db'}")

    result = CliRunner().invoke(main, ["chat", "post_contact"], input="yes\n" * 3)

    assert "Did the officer listen" in result.output, result.output
    assert "DATA_KEY" not in result.output
