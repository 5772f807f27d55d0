"""Migrations build the schema the models describe, from empty, on SQLite and PostgreSQL."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Engine
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from storage.db import alembic_config, current_revision, head_revision, make_engine, upgrade
from storage.flow_versions import SqlAlchemyFlowVersions
from storage.models import Base, Contact, Message  # every table joins Base.metadata
from storage.models.base import UtcDateTime
from tests.backing_services import postgres_schema

T0 = datetime(2025, 3, 1, 12, 0, tzinfo=UTC)
TABLES = {
    "respondents",
    "alerts",
    "alert_deliveries",
    "contacts",
    "conversations",
    "answers",
    "messages",
    "api_tokens",
    "scheduled_items",
    "sender_slots",
    "flow_versions",
    "flow_drafts",
    "flow_routes",
    "translations",
    "users",
    "cards",
    "audit_log",
    "card_attempts",
}


@pytest.fixture(params=["sqlite", "postgresql"])
def empty_engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    """Yield an engine on an empty database: a new SQLite file or a new PostgreSQL schema."""
    if request.param == "sqlite":
        engine = make_engine(f"sqlite:///{tmp_path / 'nested' / 'parley.db'}")
        yield engine
        engine.dispose()
        return
    # Not the shared `postgres_url` schema: other tests may have migrated that one already.
    with postgres_schema() as url:
        engine = make_engine(url)
        yield engine
        engine.dispose()


def _tables(engine: Engine) -> set[str]:
    """Return the tables in the engine's default schema."""
    return set(sa.inspect(engine).get_table_names())


def test_upgrade_from_empty_reaches_head(empty_engine: Engine) -> None:
    assert current_revision(empty_engine) is None
    assert _tables(empty_engine) == set()

    upgrade(empty_engine)

    assert current_revision(empty_engine) == head_revision() == "0023_privacy_indexes"
    assert _tables(empty_engine) == TABLES | {"alembic_version"}


def test_upgrade_is_idempotent(empty_engine: Engine) -> None:
    upgrade(empty_engine)
    upgrade(empty_engine)

    assert current_revision(empty_engine) == head_revision()
    with empty_engine.connect() as connection:
        versions = connection.execute(sa.text("SELECT version_num FROM alembic_version"))
        assert versions.scalars().all() == [head_revision()]


def test_migrated_schema_matches_models(empty_engine: Engine) -> None:
    upgrade(empty_engine)

    with empty_engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        differences = compare_metadata(context, Base.metadata)

    assert differences == []


def test_tokens_made_before_scopes_may_start_surveys_but_not_read_answers(
    empty_engine: Engine,
) -> None:
    with empty_engine.begin() as connection:
        command.upgrade(alembic_config(connection), "0006_accounts")
        connection.execute(
            sa.text(
                "INSERT INTO api_tokens (id, name, token_hash, created_at)"
                " VALUES (:id, 'cad', :hash, :now)"
            ),
            {"id": uuid.uuid4().hex, "hash": "f" * 64, "now": T0},
        )

    upgrade(empty_engine)

    with empty_engine.connect() as connection:
        scopes = connection.execute(sa.text("SELECT scopes FROM api_tokens")).scalars().all()
    assert scopes == ["surveys:write"]


def test_flow_versions_recorded_before_drafts_stay_readable_as_read_from_files(
    empty_engine: Engine,
) -> None:
    with empty_engine.begin() as connection:
        command.upgrade(alembic_config(connection), "0011_cards")
        connection.execute(
            sa.text(
                "INSERT INTO flow_versions (flow_id, number, digest, definition, created_at)"
                " VALUES ('tiny', 1, 'abc123', :definition, :now)"
            ),
            {"definition": '{"id": "tiny"}', "now": T0},
        )

    upgrade(empty_engine)

    found = SqlAlchemyFlowVersions(empty_engine).find("tiny", "abc123")
    assert found is not None and found.definition == {"id": "tiny"}
    assert (found.number, found.origin, found.files) == (1, "from files", None)


def _insert(connection: sa.Connection, table: str, **values: object) -> None:
    """Insert one row with plain SQL (the models describe the head, not this revision)."""
    names = ", ".join(values)
    binds = [sa.bindparam(k, type_=UtcDateTime()) for k in values if k.endswith("_at")]
    statement = sa.text(f"INSERT INTO {table} ({names}) VALUES (:{', :'.join(values)})")
    connection.execute(statement.bindparams(*binds), values)


def _conversation(connection: sa.Connection, respondent: str) -> str:
    """Insert a conversation as stored before 0020 and return its id."""
    conversation = uuid.uuid4().hex
    _insert(connection, "conversations", id=conversation, respondent_id=respondent,
            flow_id="f", flow_version="v", language="en", status="active", retries=0,
            updated_at=T0, created_at=T0)  # fmt: skip
    return conversation


def _text(connection: sa.Connection, conversation: str, status: str, minutes: int) -> None:
    """Insert an outbound text composed `minutes` after T0 and last updated an hour later."""
    at = T0 + timedelta(minutes=minutes)
    _insert(connection, "messages", id=uuid.uuid4().hex, seq=minutes, direction="out",
            channel="sms", conversation_id=conversation, body="b", status=status,
            created_at=at, updated_at=at + timedelta(hours=1))  # fmt: skip


def test_progress_is_backfilled_from_the_stored_texts_and_answers(empty_engine: Engine) -> None:
    with empty_engine.begin() as connection:
        command.upgrade(alembic_config(connection), "0019_encrypted_addresses")
        respondent = uuid.uuid4().hex
        _insert(connection, "respondents", id=respondent, channel="sms", address_hash="h",
                address_enc="e", created_at=T0)  # fmt: skip
        answered, failed = (
            _conversation(connection, respondent),
            _conversation(connection, respondent),
        )
        for minutes, status in ((1, "failed"), (2, "sent"), (3, "read"), (4, "delivered")):
            _text(connection, answered, status, minutes)
        _text(connection, failed, "failed", 5)
        for minutes, question in ((7, "b"), (6, "a")):
            _insert(connection, "answers", id=uuid.uuid4().hex, conversation_id=answered,
                    question_id=question, language="en", value="1",
                    answered_at=T0 + timedelta(minutes=minutes))  # fmt: skip

    upgrade(empty_engine)

    query = sa.text("SELECT sent_at, delivered_at, answered_at FROM conversations WHERE id = :id")
    query = query.bindparams(sa.bindparam("id", type_=sa.Uuid()))
    query = query.columns(
        *(sa.column(c, UtcDateTime()) for c in ("sent_at", "delivered_at", "answered_at"))
    )
    with empty_engine.connect() as connection:
        first = connection.execute(query, {"id": uuid.UUID(answered)}).one()
        never = connection.execute(query, {"id": uuid.UUID(failed)}).one()
    minutes = [T0 + timedelta(minutes=n) for n in (2, 3, 6)]
    assert tuple(first) == (minutes[0], minutes[1] + timedelta(hours=1), minutes[2])
    assert tuple(never) == (None, None, None)


def test_downgrade_to_base_drops_every_table(empty_engine: Engine) -> None:
    upgrade(empty_engine)

    with empty_engine.begin() as connection:
        command.downgrade(alembic_config(connection), "base")

    assert current_revision(empty_engine) is None
    assert _tables(empty_engine) == {"alembic_version"}


def _orphan_contact() -> Base:
    """Build a contact whose respondent does not exist."""
    return Contact(respondent_id=uuid.uuid4(), occurred_at=T0)


def _inbound_with_body() -> Base:
    """Build an inbound message that carries its text, which we must never store."""
    return Message(direction="in", channel="sms", body="secret", status="received")


def _unknown_direction() -> Base:
    """Build a message that is neither inbound nor outbound."""
    return Message(direction="up", channel="sms", status="received")


@pytest.mark.parametrize("build", [_orphan_contact, _inbound_with_body, _unknown_direction])
def test_migrated_schema_refuses_bad_rows(empty_engine: Engine, build: Callable[[], Base]) -> None:
    upgrade(empty_engine)

    with Session(empty_engine) as session:
        session.add(build())
        with pytest.raises(IntegrityError):
            session.flush()


def test_postgresql_version_table_lands_in_the_search_path_schema() -> None:
    with postgres_schema() as url:
        engine = make_engine(url)
        try:
            upgrade(engine)
            with engine.connect() as connection:
                schema = connection.execute(sa.text("SELECT current_schema()")).scalar_one()
                found = connection.execute(
                    sa.text(
                        "SELECT table_schema FROM information_schema.tables"
                        " WHERE table_name = 'alembic_version' AND table_schema = :schema"
                    ),
                    {"schema": schema},
                ).scalars()
                assert schema.startswith("parley_test_")
                assert found.all() == [schema]
        finally:
            engine.dispose()


def test_command_line_fallback_reads_database_url(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    monkeypatch.setenv("DATABASE_URL", url)

    command.upgrade(alembic_config(), "head")  # no connection: env.py opens its own

    engine = make_engine(url)
    try:
        assert current_revision(engine) == head_revision()
    finally:
        engine.dispose()


def test_sqlite_engine_uses_wal_and_foreign_keys(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'a' / 'b' / 'parley.db'}")
    try:
        with engine.connect() as connection:
            journal = connection.exec_driver_sql("PRAGMA journal_mode").scalar()
            foreign_keys = connection.exec_driver_sql("PRAGMA foreign_keys").scalar()
            busy = connection.exec_driver_sql("PRAGMA busy_timeout").scalar()
        assert (journal, foreign_keys, busy) == ("wal", 1, 15_000)
    finally:
        engine.dispose()
