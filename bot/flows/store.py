"""The FlowStore: each flow's live version, and every version ever published, from the database.

The newest published version of a flow is its live one. The flow files seed the database at
start (open_flow_store); admins publish more versions from the browser (bot.services.flow_admin).
Each process caches what it built, and looks for newer versions at most every few seconds with
one small query, so a conversation's turn costs what it cost when flows came from files only.
"""

from __future__ import annotations

import hashlib
import json
import logging
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from datetime import datetime
from types import MappingProxyType
from typing import Any

from bot.engine.flowdef import flow_from_dict
from bot.engine.model import Flow
from bot.flows.files import FlowDefinition
from bot.ports import FlowVersionRecords, StoredFlowVersion, UnknownFlowVersionError

logger = logging.getLogger(__name__)

# The origin of a version read from the flow files (older rows say "from files").
FROM_FILE = "from file"


def from_file(origin: str) -> bool:
    """Say whether a version's origin is the flow files (not a publish in the browser)."""
    return origin.startswith(FROM_FILE)


class RecordedFlowStore:
    """A FlowStore over published versions, with the flows in the files as the first live ones.

    A version never changes once published, so what is built from it is cached for the life of
    the process. The live versions are checked against the database every `refresh_seconds`
    (one GROUP BY over the primary key); in between, a lookup touches no database at all.
    """

    def __init__(
        self,
        live: Mapping[str, Flow],
        records: FlowVersionRecords,
        *,
        refresh_seconds: float = 5.0,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self._files: Mapping[str, Flow] = MappingProxyType(dict(live))
        self._live: Mapping[str, Flow] = self._files
        self._records = records
        self._built: dict[tuple[str, str], Flow] = {
            (flow.id, flow.version): flow for flow in live.values()
        }
        self._heads: Mapping[str, int] = {}
        self._refresh_seconds, self._monotonic = refresh_seconds, monotonic
        self._next_check = float("-inf")
        self._ready = False
        self._lock = threading.Lock()

    def live(self, flow_id: str) -> Flow:
        """Return the version of `flow_id` new conversations begin on; KeyError if not offered."""
        return self._current()[flow_id]

    def live_flows(self) -> Mapping[str, Flow]:
        """Return the live version of every offered flow, keyed by flow id."""
        return self._current()

    def get(self, flow_id: str, version: str) -> Flow:
        """Return `version` of `flow_id`, built from its record once and then from the cache."""
        key = (flow_id, version)
        flow = self._built.get(key)
        if flow is None:
            # Two threads missing at once both build it: the same Flow, so either may win.
            flow = self._built[key] = self._build(flow_id, version)
        return flow

    def refresh(self) -> None:
        """Look for newly published versions now (this process has just published one)."""
        self._next_check = float("-inf")
        self._current()

    def _current(self) -> Mapping[str, Flow]:
        """Return the live flows, first checking the database when the last check is stale."""
        if self._monotonic() < self._next_check:
            return self._live
        with self._lock:
            if self._monotonic() >= self._next_check:
                # Once migrated, a schema stays so: the periodic check is then one query.
                self._ready = self._ready or self._records.ready()
                if self._ready:
                    self._reload()
                self._next_check = self._monotonic() + self._refresh_seconds
        return self._live

    def _reload(self) -> None:
        """Serve each flow's newest version, if any flow has a newer one than last time."""
        heads = dict(self._records.heads())
        if heads == self._heads:
            return
        live = dict(self._files)
        for flow_id, number in heads.items():
            stored = self._records.numbered(flow_id, number)
            if stored is None:
                continue
            # A flow whose file was removed is withdrawn, unless an admin published it since.
            if flow_id in self._files or not from_file(stored.origin):
                live[flow_id] = self._cached(stored)
        self._live, self._heads = MappingProxyType(live), heads

    def _cached(self, stored: StoredFlowVersion) -> Flow:
        """Return the Flow of a stored version, built once."""
        key = (stored.flow_id, stored.digest)
        flow = self._built.get(key)
        if flow is None:
            flow = self._built[key] = flow_of_record(stored)
            logger.info("flow %s version %d is live", stored.flow_id, stored.number)
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
    records: FlowVersionRecords,
    loaded: Mapping[str, FlowDefinition],
    now: datetime,
    refresh_seconds: float = 5.0,
) -> RecordedFlowStore:
    """Seed the database with every flow file changed since last recorded; serve the newest."""
    if records.ready():
        for item in loaded.values():
            seed_flow(records, item, now)
    else:
        # A worker started before the web app migrated: the web app records the same files.
        logger.warning(
            "flow versions not recorded: the database schema predates them "
            "(start the web app or run `python -m bot db upgrade`)"
        )
    live = {flow_id: item.flow for flow_id, item in loaded.items()}
    return RecordedFlowStore(live, records, refresh_seconds=refresh_seconds)


def seed_flow(
    records: FlowVersionRecords, item: FlowDefinition, now: datetime
) -> StoredFlowVersion | None:
    """Record a flow's files as its next version if they changed; return the new version.

    The files changed when they differ from the version last read from them (and from the live
    one). Unchanged files add nothing, so a version an admin published since stays live. Changed
    files win, as the newest publish: the warning says so when they set an admin's work aside.
    """
    flow_id, name = item.flow.id, next(iter(item.files), f"{item.flow.id}.yaml")
    versions = list(records.versions(flow_id))
    head = versions[-1] if versions else None
    last_read = next((v for v in reversed(versions) if from_file(v.origin)), None)
    if any(v is not None and _same(v, item) for v in (head, last_read)):
        return None
    stored = records.record(
        flow_id,
        unused_digest(item.flow.version, versions),
        stored_definition(item),
        now,
        origin=f"{FROM_FILE} {name}",
        files=item.files or None,
    )
    if head is not None and not from_file(head.origin):
        logger.warning(
            "flow %s: %s changed after version %d was published (%s); "
            "the file is now version %d, and live",
            *(flow_id, name, head.number, head.origin, stored.number),
        )
    return stored


def unused_digest(digest: str, versions: Sequence[StoredFlowVersion]) -> str:
    """Return `digest`, or one of its own for files an earlier version already holds."""
    if all(version.digest != digest for version in versions):
        return digest
    # Files put back as they once were (or a rollback): each number needs its own digest,
    # so that the version a conversation records names exactly one number.
    return hashlib.sha256(f"{digest}:{len(versions) + 1}".encode()).hexdigest()[:12]


def _same(version: StoredFlowVersion, item: FlowDefinition) -> bool:
    """Say whether a version holds these very files (by digest if it predates kept files)."""
    if version.files is not None and item.files:
        return dict(version.files) == dict(item.files)
    return version.digest == item.flow.version


def stored_definition(item: FlowDefinition) -> dict[str, Any]:
    """Return a loaded flow's definition as plain JSON data, to be kept in the database."""
    # A round trip through JSON copies it deeply, and fails at start on anything JSON lacks.
    return json.loads(json.dumps(item.definition, ensure_ascii=False))  # type: ignore[no-any-return]


def flow_of_record(stored: StoredFlowVersion) -> Flow:
    """Build the Flow a recorded definition describes, with its digest as its version."""
    return flow_from_dict(stored.definition, stored.digest)
