"""The FlowStore: each flow's live version from its files, every version ever loaded from the
database, so a conversation runs to its end on the version it began on.

The database keeps each loaded definition in the flow file format (translations merged in);
this module turns definitions into rows' content and back into Flows, caching what it built.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping
from datetime import datetime
from types import MappingProxyType
from typing import Any

from bot.engine.flowdef import flow_from_dict
from bot.engine.model import Flow
from bot.flows.files import FlowDefinition
from bot.ports import FlowVersionRecords, StoredFlowVersion, UnknownFlowVersionError

logger = logging.getLogger(__name__)


class RecordedFlowStore:
    """A FlowStore over recorded definitions, with the flows loaded at start as the live ones.

    A version never changes once recorded, so what is built from it is cached for the life of
    the process: a conversation's turn finds its flow without touching the database.
    """

    def __init__(self, live: Mapping[str, Flow], records: FlowVersionRecords) -> None:
        self._live: Mapping[str, Flow] = MappingProxyType(dict(live))
        self._records = records
        self._built: dict[tuple[str, str], Flow] = {
            (flow.id, flow.version): flow for flow in live.values()
        }

    def live(self, flow_id: str) -> Flow:
        """Return the version of `flow_id` new conversations begin on; KeyError if not offered."""
        return self._live[flow_id]

    def live_flows(self) -> Mapping[str, Flow]:
        """Return the live version of every offered flow, keyed by flow id."""
        return self._live

    def get(self, flow_id: str, version: str) -> Flow:
        """Return `version` of `flow_id`, built from its record once and then from the cache."""
        key = (flow_id, version)
        flow = self._built.get(key)
        if flow is None:
            # Two threads missing at once both build it: the same Flow, so either may win.
            flow = self._built[key] = self._build(flow_id, version)
        return flow

    def _build(self, flow_id: str, version: str) -> Flow:
        """Read a recorded version and build its Flow."""
        stored = self._records.find(flow_id, version)
        if stored is None:
            raise UnknownFlowVersionError(flow_id, version)
        logger.info(
            "loaded flow %s version %d (%s) from the database", flow_id, stored.number, version
        )
        return flow_of_record(stored)


def open_flow_store(
    records: FlowVersionRecords, loaded: Mapping[str, FlowDefinition], now: datetime
) -> RecordedFlowStore:
    """Record every loaded flow's definition not recorded yet; serve the loaded ones as live."""
    if records.ready():
        for item in loaded.values():
            records.record(item.flow.id, item.flow.version, stored_definition(item), now)
    else:
        # A worker started before the web app migrated: the web app records the same files.
        logger.warning(
            "flow versions not recorded: the database schema predates them "
            "(start the web app or run `python -m bot db upgrade`)"
        )
    return RecordedFlowStore({flow_id: item.flow for flow_id, item in loaded.items()}, records)


def stored_definition(item: FlowDefinition) -> dict[str, Any]:
    """Return a loaded flow's definition as plain JSON data, to be kept in the database."""
    # A round trip through JSON copies it deeply, and fails at start on anything JSON lacks.
    return json.loads(json.dumps(item.definition, ensure_ascii=False))  # type: ignore[no-any-return]


def flow_of_record(stored: StoredFlowVersion) -> Flow:
    """Build the Flow a recorded definition describes, with its digest as its version."""
    return flow_from_dict(stored.definition, stored.digest)
