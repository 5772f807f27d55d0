"""Flow versions: look a flow up by id and version; record each definition loaded."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from bot.engine.model import Flow


class UnknownFlowVersionError(LookupError):
    """No definition of this version of a flow was ever recorded."""

    def __init__(self, flow_id: str, version: str) -> None:
        super().__init__(f"flow {flow_id!r} has no recorded version {version!r}")
        self.flow_id = flow_id
        self.version = version


class FlowStore(Protocol):
    """Flow definitions by version: the live one of each flow, and every one ever recorded.

    A version is the content hash a conversation keeps in `flow_version`: a conversation is
    stepped with the version it began on, new conversations begin on the live one.
    """

    def live(self, flow_id: str) -> Flow:
        """Return the version of `flow_id` new conversations begin on; KeyError if not offered."""
        ...

    def live_flows(self) -> Mapping[str, Flow]:
        """Return the live version of every offered flow, keyed by flow id."""
        ...

    def get(self, flow_id: str, version: str) -> Flow:
        """Return `version` of `flow_id` as recorded; UnknownFlowVersionError if it never was."""
        ...


class StoredFlowVersion(Protocol):
    """One recorded, never changed definition of a flow: version `number` of `flow_id`."""

    @property
    def flow_id(self) -> str:
        """Return the flow's id."""
        ...

    @property
    def number(self) -> int:
        """Return the version's number, counting from 1 per flow in the order recorded."""
        ...

    @property
    def digest(self) -> str:
        """Return the content hash of the files the definition was built from."""
        ...

    @property
    def definition(self) -> Mapping[str, Any]:
        """Return the definition in the flow file format, translations merged in."""
        ...


class FlowVersionRecords(Protocol):
    """Where flow definitions are kept, one immutable row per version (the database)."""

    def ready(self) -> bool:
        """Say whether versions can be recorded (the schema has the table)."""
        ...

    def record(
        self, flow_id: str, digest: str, definition: Mapping[str, Any], now: datetime
    ) -> StoredFlowVersion:
        """Keep a definition unless its digest is already kept; return its version either way."""
        ...

    def find(self, flow_id: str, digest: str) -> StoredFlowVersion | None:
        """Return the version of `flow_id` with this digest, if recorded."""
        ...

    def versions(self, flow_id: str) -> Sequence[StoredFlowVersion]:
        """Return every recorded version of `flow_id`, oldest first."""
        ...
