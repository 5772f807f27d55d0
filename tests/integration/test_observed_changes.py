"""The unit of work tells the metrics what a commit changed, and nothing a rollback undid."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from pathlib import Path

from storage.db import make_engine, make_session_factory, upgrade
from storage.observe import Change, watch
from storage.unit_of_work import SqlAlchemyUnitOfWork
from tests.support import cipher_for_tests

NOW = datetime(2026, 3, 2, 15, 0, tzinfo=UTC)


def test_a_commit_reports_its_changes_and_a_rollback_drops_them(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'o.db'}")
    cipher = cipher_for_tests()
    upgrade(engine, cipher)
    factory = make_session_factory(engine)
    watch(factory)
    seen: list[list[Change]] = []
    uow = SqlAlchemyUnitOfWork(factory, cipher, observe=seen.append)
    try:
        with uow:
            uow.messages.add_inbound("sms", f"SM{uuid.uuid4().hex}", None, None, NOW)
            uow.rollback()
            uow.commit()  # nothing left to report
        assert seen == []

        with uow:
            respondent = uow.respondents.for_update("telegram", "1234567", NOW)
            uow.messages.add_outbound("telegram", "Hello", respondent.id, None, None, NOW)
            uow.commit()
        assert seen == [[("message", "telegram", "out", "queued")]]
    finally:
        engine.dispose()


def test_a_failure_to_count_never_fails_the_commit_nor_what_follows_it(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'o.db'}")
    cipher = cipher_for_tests()
    upgrade(engine, cipher)
    factory = make_session_factory(engine)
    watch(factory)

    def broken(changes: list[Change]) -> None:
        # As prometheus_client does when PROMETHEUS_MULTIPROC_DIR names no directory.
        raise FileNotFoundError("metrics/counter_1.db")

    followed: list[str] = []
    uow = SqlAlchemyUnitOfWork(factory, cipher, observe=broken)
    try:
        with uow:
            uow.messages.add_inbound("sms", "SMcounted", None, None, NOW)
            uow.after_commit(lambda: followed.append("enqueued"))
            uow.commit()
        with uow:
            assert uow.messages.find("sms", "SMcounted") is not None
        assert followed == ["enqueued"]
    finally:
        engine.dispose()
