"""The contact import starts the DEFAULT_FLOW when several flows are loaded and none is named."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.flows.files import load_flow_definitions
from bot.flows.store import open_flow_store
from bot.services.dispatch_import.importer import choose_flow
from bot.services.dispatch_import.reader import ExportError
from bot.services.runtime import Runtime
from tests.fake_flows import FakeFlowVersionRecords
from tests.translation_samples import FLOW, write

NOW = datetime(2026, 11, 2, 15, 0, tzinfo=UTC)


def _runtime(directory: Path, default_flow: str) -> Runtime:
    """Wire a runtime with two flows, `tiny` and `traffic`, and nothing else it would use."""
    write(directory, "tiny.yaml", FLOW)
    traffic = FLOW.replace("id: tiny", "id: traffic", 1).replace("[TINY]", "[TRAFFIC]", 1)
    write(directory, "traffic.yaml", traffic.replace("[PEQUE]", "[TRAFICO]", 1))
    store = open_flow_store(FakeFlowVersionRecords(), load_flow_definitions(directory), NOW)
    return Runtime(
        uow=None,  # type: ignore[arg-type]  # choosing a flow opens no unit of work
        flow_store=store,
        surveys=None,  # type: ignore[arg-type]
        admin=None,  # type: ignore[arg-type]
        responses=None,  # type: ignore[arg-type]
        results=None,  # type: ignore[arg-type]
        locales={},
        values={},
        senders={},
        clock=lambda: NOW,
        default_flow=default_flow,
    )


def test_the_default_flow_is_started_when_none_is_named(tmp_path: Path) -> None:
    rt = _runtime(tmp_path, "traffic")
    assert sorted(rt.flows) == ["tiny", "traffic"]
    assert choose_flow(rt, None) == "traffic"
    assert choose_flow(replace(rt, default_flow="tiny"), None) == "tiny"
    assert choose_flow(rt, "tiny") == "tiny"  # a named flow wins


def test_a_default_flow_that_is_not_loaded_asks_for_one(tmp_path: Path) -> None:
    rt = _runtime(tmp_path, "post_contact")
    with pytest.raises(ExportError, match="several flows are loaded"):
        choose_flow(rt, None)
