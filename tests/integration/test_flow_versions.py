"""A flow file changed under running conversations: they finish on the version they began on.

The flow is reworded and shortened in a copy of flows/ and the app restarted, as a deployment
would; residents already in the survey keep the old questions to the end, new ones get the new.
"""

from __future__ import annotations

import secrets
import shutil
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from sqlalchemy import Engine

from storage.db import make_engine, upgrade
from storage.flow_versions import SqlAlchemyFlowVersions
from tests.integration.scheduling.conftest import new_york
from tests.integration.scheduling.helpers import report, run, sent_to, text, trigger
from tests.standins import TwilioStandIn
from tests.support import FakeClock
from tests.translation_samples import ROOT

if TYPE_CHECKING:
    from bot.services.runtime import Runtime

NOW = datetime(2026, 11, 2, 15, 0, tzinfo=UTC)
OLD_Q1 = "Did the officer listen to what you had to say?"
NEW_Q1 = "Did the officer hear you out?"
OLD_Q2 = "Did the officer treat you with dignity and respect?"
NEW_Q2 = "Were you treated with dignity and respect?"
OLD_Q3 = "How well did the officer explain what was happening and why?"
OVERALL = "Overall, how satisfied are you with this contact?"
TRUST = "How much do you trust our police department?"
COMMENT = "Anything else you'd like to tell us?"
THANKS = "Thank you for your time."


def _changed(source: str) -> str:
    """Reword the first two questions and drop the third (explained), as an agency might."""
    start, end = source.index("  - id: explained"), source.index("  - id: overall")
    shorter = source[:start] + source[end:]
    return (
        shorter.replace(OLD_Q1, NEW_Q1)
        .replace(OLD_Q2, NEW_Q2)
        .replace("next: explained", "next: overall")
    )


@pytest.fixture()
def flows_dir(tmp_path: Path) -> Path:
    """Copy the shipped default flow (without its translation files) to a directory of its own."""
    directory = tmp_path / "flows"
    directory.mkdir()
    shutil.copy(ROOT / "flows" / "post_contact.yaml", directory)
    return directory


def _say(rt: Runtime, number: str, body: str) -> str:
    """Deliver a resident's SMS; return the replies as one text."""
    return "\n".join(text(rt, number, body))


def test_a_changed_flow_file_reaches_new_residents_only(
    start: Callable[[], Runtime],
    engine: Engine,
    flows_dir: Path,
    clock: FakeClock,
    twilio: TwilioStandIn,
) -> None:
    rt = start()
    answering, silent, later, newcomer = new_york(), new_york(), new_york(), new_york()
    begun = trigger(rt, answering, occurred_at=clock.now - timedelta(hours=3))
    trigger(rt, silent, occurred_at=clock.now - timedelta(hours=3))
    # Asked for now, sent in two hours (the delay after a contact): after the restart.
    assert trigger(rt, later, occurred_at=clock.now).status == "scheduled"
    assert OLD_Q1 in sent_to(twilio, answering)[0]
    assert OLD_Q2 in _say(rt, answering, "yes")

    path = flows_dir / "post_contact.yaml"
    path.write_text(_changed(path.read_text(encoding="utf-8")), encoding="utf-8")
    rt = start()
    old, new = SqlAlchemyFlowVersions(engine).versions("post_contact")
    assert (old.number, new.number) == (1, 2)
    assert rt.flows["post_contact"].version == new.digest
    assert report(rt, begun.id)["flow_version"] == old.digest

    # The resident who began on version 1 is asked its third question, then the rest of it.
    assert OLD_Q3 in _say(rt, answering, "4")
    assert OVERALL in _say(rt, answering, "4")
    assert TRUST in _say(rt, answering, "4")
    assert COMMENT in _say(rt, answering, "4")
    assert THANKS in _say(rt, answering, "no")
    assert report(rt, begun.id)["status"] == "completed"

    # A new resident begins on version 2: reworded, and without the third question.
    fresh = trigger(rt, newcomer, occurred_at=clock.now - timedelta(hours=3))
    assert report(rt, fresh.id)["flow_version"] == new.digest
    first = sent_to(twilio, newcomer)[0]
    assert NEW_Q1 in first and OLD_Q1 not in first
    assert NEW_Q2 in _say(rt, newcomer, "yes")
    assert OVERALL in _say(rt, newcomer, "4")

    # The survey asked for before the change goes out as it was when asked for.
    clock.advance(hours=2)
    assert run(rt) == ["sent"]
    assert OLD_Q1 in sent_to(twilio, later)[0]

    # The silent resident's reminder asks version 1's question again, as it was first asked.
    clock.advance(hours=22)
    assert run(rt) == ["sent"]
    reminder = sent_to(twilio, silent)[-1]
    assert OLD_Q1 in reminder and NEW_Q1 not in reminder


def test_a_restart_with_unchanged_files_records_no_new_version(
    start: Callable[[], Runtime], engine: Engine
) -> None:
    start()
    start()
    (only,) = SqlAlchemyFlowVersions(engine).versions("post_contact")
    assert only.number == 1 and only.definition["id"] == "post_contact"


@pytest.fixture()
def records(database_url: str) -> Iterator[SqlAlchemyFlowVersions]:
    """Record flow versions in the test database (shared: each test uses its own flow ids)."""
    engine = make_engine(database_url)
    upgrade(engine)
    yield SqlAlchemyFlowVersions(engine)
    engine.dispose()


def test_a_definition_is_kept_once_and_numbered_per_flow(records: SqlAlchemyFlowVersions) -> None:
    flow_id = f"flow_{secrets.token_hex(4)}"
    first = records.record(flow_id, "aaa", {"id": flow_id, "texts": ["¿Qué tal?"]}, NOW)
    again = records.record(flow_id, "aaa", {"id": flow_id, "changed": True}, NOW)
    second = records.record(flow_id, "bbb", {"id": flow_id}, NOW + timedelta(days=1))
    assert (first.number, again.number, second.number) == (1, 1, 2)
    assert again.definition == {"id": flow_id, "texts": ["¿Qué tal?"]}
    assert [v.digest for v in records.versions(flow_id)] == ["aaa", "bbb"]
    found = records.find(flow_id, "bbb")
    assert found is not None and found.created_at == NOW + timedelta(days=1)
    assert records.find(flow_id, "ccc") is None and records.ready()


def test_a_version_is_read_beside_an_open_unit_of_work(
    rt: Runtime, records: SqlAlchemyFlowVersions
) -> None:
    flow_id = f"flow_{secrets.token_hex(4)}"
    records.record(flow_id, "aaa", {"id": flow_id}, NOW)
    with rt.uow() as uow:
        # A turn holds the writer's turn (on SQLite) while it looks its flow version up.
        uow.respondents.for_update("sms", new_york(), NOW)  # writes: holds the writer lock
        found = records.find(flow_id, "aaa")
    assert found is not None and found.number == 1
