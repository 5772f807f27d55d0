"""Flows published from the database: conversations keep their version, files seed and export.

Each test has a database of its own: publishing post_contact there must not change what the
other tests' residents are asked.
"""

from __future__ import annotations

import logging
import shutil
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from click.testing import CliRunner
from sqlalchemy import Engine

from bot.cli.main import main
from bot.flows.store import RecordedFlowStore
from bot.services.flow_admin import (
    PublishRefusedError,
    list_versions,
    open_draft,
    publish,
    save_draft,
)
from storage.flow_versions import SqlAlchemyFlowVersions
from tests.integration.scheduling.conftest import new_york
from tests.integration.scheduling.helpers import report, run, sent_to, trigger
from tests.integration.test_flow_versions import _say
from tests.standins import TwilioStandIn
from tests.support import FakeClock
from tests.translation_samples import ROOT

if TYPE_CHECKING:
    from bot.services.runtime import Runtime

BASE, FRENCH = "post_contact.yaml", "post_contact.fr.yaml"
OLD_Q1 = "Did the officer listen to what you had to say?"
NEW_Q1 = "Did the officer hear you out?"
OLD_Q2 = "Did the officer treat you with dignity and respect?"
OLD_Q3 = "How well did the officer explain what was happening and why?"
FILE_Q1 = "Were you listened to?"
THANKS = "Thank you for your time."


@pytest.fixture()
def flows_dir(tmp_path: Path) -> Path:
    """Copy the shipped flows (the default flow and every translation) to a directory of its own."""
    directory = tmp_path / "flows"
    shutil.copytree(ROOT / "flows", directory)
    return directory


def _reworded(rt: Runtime) -> None:
    """Open a draft of the live version, reword the first question in English, publish it."""
    draft = open_draft(rt, "post_contact", by="admin@example.org")
    files = {**draft.files, BASE: draft.files[BASE].replace(OLD_Q1, NEW_Q1)}
    assert save_draft(rt, "post_contact", files, by="admin@example.org").valid


def test_a_conversation_begun_on_version_1_finishes_on_it_while_version_2_is_live(
    start: Callable[[], Runtime], clock: FakeClock, twilio: TwilioStandIn
) -> None:
    rt = start()
    answering, silent, newcomer = new_york(), new_york(), new_york()
    begun = trigger(rt, answering, occurred_at=clock.now - timedelta(hours=3))
    trigger(rt, silent, occurred_at=clock.now - timedelta(hours=3))
    assert OLD_Q1 in sent_to(twilio, answering)[0] and OLD_Q2 in _say(rt, answering, "yes")
    first = report(rt, begun.id)["flow_version"]

    _reworded(rt)
    published = publish(rt, "post_contact", by="admin@example.org")
    assert published.number == 2 and rt.flows["post_contact"].version == published.digest
    assert [(v.number, v.running) for v in list_versions(rt, "post_contact")] == [(1, 2), (2, 0)]

    # The resident who began on version 1 goes on with it to its end.
    assert OLD_Q3 in _say(rt, answering, "4")
    assert THANKS in [_say(rt, answering, answer) for answer in ("4", "4", "4", "no")][-1]
    survey = report(rt, begun.id)
    assert (survey["status"], survey["flow_version"]) == ("completed", first)

    # The silent resident's reminder asks version 1's question, as it was first asked.
    clock.advance(hours=24)
    run(rt)
    assert OLD_Q1 in sent_to(twilio, silent)[-1] and NEW_Q1 not in sent_to(twilio, silent)[-1]

    # A new survey begins on version 2.
    fresh = trigger(rt, newcomer, occurred_at=clock.now - timedelta(hours=3))
    assert report(rt, fresh.id)["flow_version"] == published.digest
    assert NEW_Q1 in sent_to(twilio, newcomer)[0]


def test_another_process_notices_a_publish_at_its_next_check(
    start: Callable[[], Runtime], engine: Engine
) -> None:
    rt = start()
    ticks = [100.0]
    # A second process: it checks for new versions every 5 seconds of its own clock.
    other = RecordedFlowStore(
        dict(rt.flows),
        SqlAlchemyFlowVersions(engine),
        refresh_seconds=5.0,
        monotonic=lambda: ticks[0],
    )
    before = other.live("post_contact")
    _reworded(rt)
    published = publish(rt, "post_contact")
    ticks[0] += 4.9
    assert other.live("post_contact") is before  # between checks: no query, the old one
    ticks[0] += 0.2
    assert other.live("post_contact").version == published.digest
    assert other.get("post_contact", before.version) is before


def test_unchanged_files_leave_a_browser_publish_live_and_a_changed_file_wins(
    start: Callable[[], Runtime], flows_dir: Path, caplog: pytest.LogCaptureFixture
) -> None:
    rt = start()
    _reworded(rt)
    published = publish(rt, "post_contact", by="admin@example.org")
    rt = start()
    assert rt.flows["post_contact"].version == published.digest
    assert [v.number for v in list_versions(rt, "post_contact")] == [1, 2]

    path = flows_dir / BASE
    path.write_text(path.read_text(encoding="utf-8").replace(OLD_Q1, FILE_Q1), encoding="utf-8")
    with caplog.at_level(logging.WARNING, logger="bot.flows.store"):
        rt = start()
    assert "changed after version 2 was published (published in the browser)" in caplog.text
    versions = list_versions(rt, "post_contact")
    assert [(v.number, v.origin, v.live) for v in versions][-1] == (
        3,
        "from file post_contact.yaml",
        True,
    )
    assert "Were you listened to?" in rt.flows["post_contact"].nodes["listened"].text["en"]
    rt = start()
    assert len(list_versions(rt, "post_contact")) == 3


def test_publish_is_refused_for_an_invalid_flow_and_an_incomplete_language(
    start: Callable[[], Runtime],
) -> None:
    rt = start()
    draft = open_draft(rt, "post_contact")
    broken = {**draft.files, BASE: draft.files[BASE].replace("next: respect", "next: nowhere")}
    save_draft(rt, "post_contact", broken)
    with pytest.raises(PublishRefusedError) as invalid:
        publish(rt, "post_contact")
    assert "nodes[1].next" in {problem.field for problem in invalid.value.problems}

    french = draft.files[FRENCH]
    cut = french.index("  listened:")
    incomplete = {**draft.files, FRENCH: french[:cut] + french[french.index("  respect:") :]}
    save_draft(rt, "post_contact", incomplete)
    with pytest.raises(PublishRefusedError) as gaps:
        publish(rt, "post_contact")
    assert [(p.field, p.file) for p in gaps.value.problems] == [("nodes[1].text.fr", FRENCH)]
    assert [v.number for v in list_versions(rt, "post_contact")] == [1]


def test_seeded_files_export_back_byte_for_byte(
    start: Callable[[], Runtime], flows_dir: Path, tmp_path: Path
) -> None:
    rt = start()
    out = tmp_path / "exported"
    result = CliRunner().invoke(
        main, ["flows", "export", "post_contact", "--out", str(out)], obj=rt
    )
    assert result.exit_code == 0, result.output
    shipped = sorted(p for p in flows_dir.iterdir() if p.name.startswith("post_contact."))
    assert sorted(p.name for p in out.iterdir()) == [p.name for p in shipped]
    for path in shipped:
        assert (out / path.name).read_bytes() == path.read_bytes(), path.name

    # The exported files seed nothing new: they are the version already live.
    _reworded(rt)
    publish(rt, "post_contact")
    result = CliRunner().invoke(
        main, ["flows", "export", "post_contact", "--version", "2", "--out", str(flows_dir)], obj=rt
    )
    assert result.exit_code == 0, result.output
    rt = start()
    assert [v.number for v in list_versions(rt, "post_contact")] == [1, 2]
    assert NEW_Q1 in rt.flows["post_contact"].nodes["listened"].text["en"]
    missing = CliRunner().invoke(
        main, ["flows", "export", "post_contact", "--version", "7", "--out", str(out)], obj=rt
    )
    assert missing.exit_code == 1 and "no version 7" in missing.output
