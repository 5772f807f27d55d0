"""Which version is live: the newest published, checked against the records every few seconds."""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.flows.files import FlowDefinition, load_flow_definitions
from bot.flows.store import RecordedFlowStore, open_flow_store, seed_flow, stored_definition
from bot.services.flow_routes import FlowRoutes, read_routes, route_key, set_route
from bot.services.runtime import Runtime
from tests.fake_flows import FakeFlowVersionRecords
from tests.translation_samples import FLOW, write

NOW = datetime(2026, 11, 2, 15, 0, tzinfo=UTC)
REWORDED = FLOW.replace('"How was it?"', '"How did it go?"')


def _loaded(directory: Path, text: str) -> FlowDefinition:
    """Write the tiny flow as `text` and load it, as a start does."""
    write(directory, "tiny.yaml", text)
    return load_flow_definitions(directory)["tiny"]


def _publish(records: FakeFlowVersionRecords, item: FlowDefinition, origin: str) -> str:
    """Record a definition as an admin's publish; return its digest."""
    digest = f"admin{len(records.rows)}"
    records.record("tiny", digest, stored_definition(item), NOW, origin=origin, files=item.files)
    return digest


def test_a_publish_elsewhere_is_served_from_the_next_check_on(tmp_path: Path) -> None:
    records, ticks = FakeFlowVersionRecords(), [0.0]
    first = _loaded(tmp_path, FLOW)
    seed_flow(records, first, NOW)
    store = RecordedFlowStore(
        {"tiny": first.flow}, records, refresh_seconds=5.0, monotonic=lambda: ticks[0]
    )
    assert store.live("tiny") is first.flow
    digest = _publish(records, _loaded(tmp_path / "b", REWORDED), "published in the browser")
    ticks[0] = 4.0
    assert store.live("tiny") is first.flow  # checked at 0: not again before 5
    ticks[0] = 5.0
    assert store.live("tiny").version == digest
    assert store.live("tiny").nodes["rate"].text["en"] == "How did it go?"
    assert records.lookups == 0  # the live versions come from the cheap check, not lookups


def test_a_refresh_serves_a_publish_of_this_process_at_once(tmp_path: Path) -> None:
    records = FakeFlowVersionRecords()
    store = open_flow_store(records, {"tiny": _loaded(tmp_path, FLOW)}, NOW, refresh_seconds=60)
    store.live("tiny")
    digest = _publish(records, _loaded(tmp_path / "b", REWORDED), "published in the browser")
    store.refresh()
    assert store.live("tiny").version == digest


def test_a_flow_published_in_the_browser_is_offered_without_a_file(tmp_path: Path) -> None:
    records = FakeFlowVersionRecords()
    _publish(records, _loaded(tmp_path, FLOW), "published in the browser")
    assert "tiny" in open_flow_store(records, {}, NOW).live_flows()
    # A flow known only from a file that is gone is withdrawn, as before.
    gone = FakeFlowVersionRecords()
    seed_flow(gone, _loaded(tmp_path / "b", FLOW), NOW)
    assert "tiny" not in open_flow_store(gone, {}, NOW).live_flows()


def test_files_put_back_as_they_were_become_the_newest_version(tmp_path: Path) -> None:
    records = FakeFlowVersionRecords()
    first = _loaded(tmp_path, FLOW)
    seed_flow(records, first, NOW)
    seed_flow(records, _loaded(tmp_path, REWORDED), NOW)
    third = seed_flow(records, _loaded(tmp_path, FLOW), NOW)
    assert third is not None and third.number == 3 and third.digest != first.flow.version
    assert seed_flow(records, _loaded(tmp_path, FLOW), NOW) is None
    store = open_flow_store(records, {"tiny": _loaded(tmp_path, FLOW)}, NOW)
    assert store.live("tiny").version == third.digest


def test_a_changed_file_after_a_browser_publish_wins_with_a_warning(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    records = FakeFlowVersionRecords()
    seed_flow(records, _loaded(tmp_path, FLOW), NOW)
    _publish(records, _loaded(tmp_path / "b", REWORDED), "published in the browser")
    assert seed_flow(records, _loaded(tmp_path, FLOW), NOW) is None  # unchanged: nothing
    with caplog.at_level(logging.WARNING, logger="bot.flows.store"):
        changed = seed_flow(records, _loaded(tmp_path, FLOW.replace("Tiny", "Small")), NOW)
    assert changed is not None and changed.number == 3
    assert "tiny.yaml changed after version 2 was published" in caplog.text


def test_call_types_are_routed_as_the_send_rules_spell_them(rt: Runtime) -> None:
    assert route_key(rt, "Traffic Stop") == route_key(rt, "TRAFFIC-STOP") == "traffic_stop"
    assert route_key(rt, "") == route_key(rt, " * ") == "*"
    set_route(rt, "traffic stop", "post_contact")
    routes = read_routes(rt)
    assert routes.by_call_type == {"traffic_stop": "post_contact"}
    assert routes.default_from_settings and routes.default == rt.default_flow
    flows = FlowRoutes(rt)
    assert flows("Traffic-Stop") == flows(None) == "post_contact"
    assert FlowRoutes(rt, "named")("Traffic Stop") == "named"
