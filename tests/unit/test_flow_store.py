"""The flow store: every loaded version kept, the live one served, older ones built once."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.flows.files import FlowDefinition, load_flow_definitions
from bot.flows.store import RecordedFlowStore, flow_of_record, open_flow_store, stored_definition
from bot.ports import UnitOfWork, UnknownFlowVersionError
from bot.services.runtime import Runtime
from storage.models import Conversation
from tests.fake_flows import FakeFlowVersionRecords, FakeStoredVersion
from tests.translation_samples import FLOW, ROOT, VI, write

NOW = datetime(2026, 11, 2, 15, 0, tzinfo=UTC)
REWORDED = FLOW.replace('"How was it?"', '"How did it go?"')


def _loaded(directory: Path, text: str) -> dict[str, FlowDefinition]:
    """Write the tiny flow as `text` and load the directory, as a start does."""
    write(directory, "tiny.yaml", text)
    return load_flow_definitions(directory)


def test_a_start_records_each_loaded_flow_and_an_unchanged_restart_nothing_more(
    tmp_path: Path,
) -> None:
    records = FakeFlowVersionRecords()
    first = _loaded(tmp_path, FLOW)
    open_flow_store(records, first, NOW)
    open_flow_store(records, _loaded(tmp_path, FLOW), NOW)
    assert [(row.number, row.digest) for row in records.rows] == [(1, first["tiny"].flow.version)]

    second = _loaded(tmp_path, REWORDED)
    open_flow_store(records, second, NOW)
    assert [(row.number, row.digest) for row in records.versions("tiny")] == [
        (1, first["tiny"].flow.version),
        (2, second["tiny"].flow.version),
    ]


def test_the_live_version_is_served_without_a_lookup(tmp_path: Path) -> None:
    records = FakeFlowVersionRecords()
    loaded = _loaded(tmp_path, FLOW)
    store = open_flow_store(records, loaded, NOW)
    flow = loaded["tiny"].flow
    assert store.live("tiny") is flow and dict(store.live_flows()) == {"tiny": flow}
    assert store.get("tiny", flow.version) is flow
    assert records.lookups == 0


def test_an_earlier_version_is_built_from_its_record_once(tmp_path: Path) -> None:
    records = FakeFlowVersionRecords()
    first = _loaded(tmp_path, FLOW)
    open_flow_store(records, first, NOW)
    old = first["tiny"].flow
    # A restart after the file changed: only the new version is loaded from the files.
    store = open_flow_store(records, _loaded(tmp_path, REWORDED), NOW)
    assert store.live("tiny").nodes["rate"].text["en"] == "How did it go?"

    again = store.get("tiny", old.version)
    assert again == old and again.nodes["rate"].text["en"] == "How was it?"
    assert store.get("tiny", old.version) is again
    assert records.lookups == 1


def test_a_version_never_recorded_is_unknown(tmp_path: Path) -> None:
    store = open_flow_store(FakeFlowVersionRecords(), _loaded(tmp_path, FLOW), NOW)
    with pytest.raises(UnknownFlowVersionError, match="no recorded version 'abc'"):
        store.get("tiny", "abc")
    with pytest.raises(KeyError):
        store.live("other")


def test_without_the_table_nothing_is_recorded_but_the_files_are_served(tmp_path: Path) -> None:
    records = FakeFlowVersionRecords(ready=False)
    loaded = _loaded(tmp_path, FLOW)
    store = open_flow_store(records, loaded, NOW)
    assert records.rows == [] and store.live("tiny") is loaded["tiny"].flow


@pytest.mark.parametrize("translated", [False, True])
def test_a_recorded_definition_builds_the_same_flow(tmp_path: Path, translated: bool) -> None:
    if translated:
        write(tmp_path, "tiny.vi.yaml", VI)
    (loaded,) = _loaded(tmp_path, FLOW).values()
    stored = FakeStoredVersion("tiny", 1, loaded.flow.version, stored_definition(loaded))
    assert flow_of_record(stored) == loaded.flow


def test_every_shipped_flow_survives_being_recorded() -> None:
    for loaded in load_flow_definitions(ROOT / "flows").values():
        stored = FakeStoredVersion(
            loaded.flow.id, 1, loaded.flow.version, stored_definition(loaded)
        )
        assert flow_of_record(stored) == loaded.flow


def _runtime(store: RecordedFlowStore) -> Runtime:
    """Wire a runtime around a flow store alone: flow_of needs nothing else."""

    def no_database() -> UnitOfWork:
        raise AssertionError("flow_of must not open a unit of work")

    return Runtime(
        uow=no_database,
        flow_store=store,
        surveys=None,  # type: ignore[arg-type]  # flow_of reads nothing
        admin=None,  # type: ignore[arg-type]
        responses=None,  # type: ignore[arg-type]
        results=None,  # type: ignore[arg-type]
        locales={},
        values={},
        senders={},
        clock=lambda: NOW,
    )


def test_a_conversation_is_stepped_with_its_own_version(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    records = FakeFlowVersionRecords()
    first = _loaded(tmp_path, FLOW)
    open_flow_store(records, first, NOW)
    old = first["tiny"].flow
    rt = _runtime(open_flow_store(records, _loaded(tmp_path, REWORDED), NOW))

    assert rt.flow_of(Conversation(flow_id="tiny", flow_version=old.version)) == old
    assert rt.flows["tiny"].nodes["rate"].text["en"] == "How did it go?"
    # Begun before versions were kept, on a file changed since: the live version is all there is.
    unrecorded = Conversation(flow_id="tiny", flow_version="0123456789ab")
    assert rt.flow_of(unrecorded) is rt.flows["tiny"]
    assert "never recorded" in caplog.text
    # A withdrawn flow (its file removed) has no version to step, as before versions were kept.
    assert rt.flow_of(Conversation(flow_id="gone", flow_version=old.version)) is None
