"""Migration 0019 moves plain-text addresses to hashes and ciphertexts, and back, or refuses."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic import command
from sqlalchemy import Engine

from storage.contact_cipher import address_context
from storage.db import alembic_config, downgrade, make_engine, upgrade
from tests.backing_services import postgres_schema
from tests.support import ADDRESS_HASH_KEY, DATA_KEY, cipher_for_tests

T0 = datetime(2026, 11, 1, 12, 0, tzinfo=UTC)
BEFORE = "0018_results_indexes"
NUMBER, CHAT = "+15550104477", "1234567890"


@pytest.fixture(params=["sqlite", "postgresql"])
def engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    """Yield an engine on an empty database: a new SQLite file or a new PostgreSQL schema."""
    if request.param == "sqlite":
        made = make_engine(f"sqlite:///{tmp_path / 'parley.db'}")
        yield made
        made.dispose()
        return
    with postgres_schema() as url:
        made = make_engine(url)
        yield made
        made.dispose()


def _plain_rows(engine: Engine) -> tuple[uuid.UUID, uuid.UUID]:
    """Migrate to just before 0019; store an SMS and a Telegram resident, and a sent message."""
    sms, chat = uuid.uuid4(), uuid.uuid4()
    with engine.begin() as connection:
        command.upgrade(alembic_config(connection), BEFORE)
        insert = sa.text(
            "INSERT INTO respondents (id, channel, address, created_at)"
            " VALUES (:id, :channel, :address, :now)"
        )
        for rid, channel, address in ((sms, "sms", NUMBER), (chat, "telegram", CHAT)):
            connection.execute(insert, {"id": _id(engine, rid), "channel": channel, **_at(address)})
        connection.execute(
            sa.text(
                "INSERT INTO messages (id, seq, direction, channel, provider_message_id,"
                " respondent_id, status, created_at, updated_at)"
                " VALUES (:id, 1, 'out', 'telegram', :pid, :rid, 'sent', :now, :now)"
            ),
            {"id": _id(engine, uuid.uuid4()), "pid": f"{CHAT}:42", "rid": _id(engine, chat)}
            | {"now": T0},
        )
    return sms, chat


def _id(engine: Engine, value: uuid.UUID) -> object:
    """Write a UUID as each database stores it (SQLite: 32 hex digits)."""
    return value.hex if engine.dialect.name == "sqlite" else value


def _at(address: str) -> dict[str, object]:
    return {"address": address, "now": T0}


def _dump(engine: Engine, table: str) -> str:
    with engine.connect() as connection:
        rows = connection.execute(sa.text(f"SELECT * FROM {table}")).all()
    return repr(rows)


def test_upgrade_hashes_and_seals_every_address_and_downgrade_opens_them(engine: Engine) -> None:
    _plain_rows(engine)
    cipher = cipher_for_tests()

    upgrade(engine, cipher)

    respondents = _dump(engine, "respondents") + _dump(engine, "messages")
    assert NUMBER not in respondents and CHAT not in respondents
    with engine.connect() as connection:
        rows = connection.execute(
            sa.text("SELECT channel, address_hash, address_enc FROM respondents")
        ).all()
        sent = connection.execute(sa.text("SELECT provider_message_id FROM messages")).scalar()
    opened = {cipher.open(enc, address_context(ch, digest)) for ch, digest, enc in rows}
    assert opened == {NUMBER, CHAT}
    assert {digest for _, digest, _ in rows} == {cipher.digest(NUMBER), cipher.digest(CHAT)}
    assert sent == f"{cipher.chat_tag(CHAT)}:42"
    assert "address" not in {c["name"] for c in sa.inspect(engine).get_columns("respondents")}

    downgrade(engine, BEFORE, cipher)

    with engine.connect() as connection:
        back = connection.execute(sa.text("SELECT address FROM respondents")).scalars().all()
        sent = connection.execute(sa.text("SELECT provider_message_id FROM messages")).scalar()
    assert set(back) == {NUMBER, CHAT} and sent == f"{CHAT}:42"


def test_the_residents_contacts_and_conversations_survive_the_migration(engine: Engine) -> None:
    sms, _ = _plain_rows(engine)
    with engine.begin() as connection:
        connection.execute(
            sa.text(
                "INSERT INTO contacts (id, respondent_id, occurred_at, created_at)"
                " VALUES (:id, :rid, :now, :now)"
            ),
            {"id": _id(engine, uuid.uuid4()), "rid": _id(engine, sms), "now": T0},
        )

    upgrade(engine, cipher_for_tests())

    with engine.connect() as connection:
        contacts = connection.execute(sa.text("SELECT respondent_id FROM contacts")).scalars()
        linked = connection.execute(sa.text("SELECT respondent_id FROM messages")).scalars()
        assert [str(x).replace("-", "") for x in contacts] == [sms.hex]
        assert None not in set(linked)


def test_upgrade_reads_the_keys_from_the_environment_when_none_is_handed_over(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    _plain_rows(engine)
    monkeypatch.setenv("DATA_KEY", DATA_KEY)
    monkeypatch.setenv("ADDRESS_HASH_KEY", ADDRESS_HASH_KEY)

    upgrade(engine)

    with engine.connect() as connection:
        hashes = connection.execute(sa.text("SELECT address_hash FROM respondents")).scalars()
        assert set(hashes) == {cipher_for_tests().digest(NUMBER), cipher_for_tests().digest(CHAT)}


def test_upgrade_with_rows_and_no_keys_refuses_and_changes_nothing(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    _plain_rows(engine)
    monkeypatch.delenv("DATA_KEY")
    monkeypatch.delenv("ADDRESS_HASH_KEY")

    with pytest.raises(RuntimeError, match="set DATA_KEY and ADDRESS_HASH_KEY"):
        upgrade(engine)

    assert NUMBER in _dump(engine, "respondents")  # rolled back: still the old schema's rows


def test_an_empty_database_migrates_without_keys(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("DATA_KEY")
    monkeypatch.delenv("ADDRESS_HASH_KEY")

    upgrade(engine)

    assert "address_enc" in {c["name"] for c in sa.inspect(engine).get_columns("respondents")}
