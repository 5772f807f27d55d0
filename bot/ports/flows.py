"""Flow versions: look a flow up by id and version; record each definition loaded."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from bot.engine.model import Flow
    from storage.models import FlowDraft, FlowVersion


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

    def refresh(self) -> None:
        """Look for newly published versions now, not at the next periodic check."""
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

    @property
    def origin(self) -> str:
        """Return where it came from: "from file post_contact.yaml", "rollback to version 2"."""
        ...

    @property
    def files(self) -> Mapping[str, str] | None:
        """Return the files it was published as, name -> text (None: recorded before kept)."""
        ...


class FlowVersionRecords(Protocol):
    """Where flow definitions are kept, one immutable row per version (the database)."""

    def ready(self) -> bool:
        """Say whether versions can be recorded (the schema has the table)."""
        ...

    def record(
        self,
        flow_id: str,
        digest: str,
        definition: Mapping[str, Any],
        now: datetime,
        *,
        origin: str = "from files",
        files: Mapping[str, str] | None = None,
    ) -> StoredFlowVersion:
        """Keep a definition unless its digest is already kept; return its version either way."""
        ...

    def find(self, flow_id: str, digest: str) -> StoredFlowVersion | None:
        """Return the version of `flow_id` with this digest, if recorded."""
        ...

    def versions(self, flow_id: str) -> Sequence[StoredFlowVersion]:
        """Return every recorded version of `flow_id`, oldest first."""
        ...

    def heads(self) -> Mapping[str, int]:
        """Return each flow's newest version number: a cheap check for new publications."""
        ...

    def numbered(self, flow_id: str, number: int) -> StoredFlowVersion | None:
        """Return version `number` of `flow_id`, if recorded."""
        ...


class FlowRepository(Protocol):
    """Flows as admins edit them: published versions, one draft per flow, routes by call type."""

    def flow_ids(self) -> list[str]:
        """Return every flow with a published version or a draft, by id."""
        ...

    def versions(self, flow_id: str) -> list[FlowVersion]:
        """Return every published version of a flow, oldest first."""
        ...

    def version(self, flow_id: str, number: int) -> FlowVersion | None:
        """Return version `number` of a flow, if published."""
        ...

    def latest(self, flow_id: str) -> FlowVersion | None:
        """Return a flow's newest version (its live one), if it has any."""
        ...

    def running(self, flow_id: str) -> dict[str, int]:
        """Count the flow's scheduled and active conversations by the version (digest) begun on."""
        ...

    def digest_taken(self, flow_id: str, digest: str) -> bool:
        """Say whether a version of the flow already has this digest."""
        ...

    def add_version(self, version: FlowVersion) -> None:
        """Store a new published version now."""
        ...

    def draft(self, flow_id: str, *, lock: bool = False) -> FlowDraft | None:
        """Return the flow's draft, if it has one; `lock`: until commit (one publish at a time)."""
        ...

    def save_draft(
        self,
        flow_id: str,
        files: Mapping[str, str],
        based_on: int | None,
        by: str | None,
        now: datetime,
    ) -> FlowDraft:
        """Create or replace the flow's draft files."""
        ...

    def discard_draft(self, flow_id: str) -> bool:
        """Delete the flow's draft; say whether there was one."""
        ...

    def routes(self) -> dict[str, str]:
        """Return every route: call type (or the default route) -> flow id."""
        ...

    def route(self, call_type: str) -> str | None:
        """Return the flow a call type is routed to, if it has a route."""
        ...

    def set_route(self, call_type: str, flow_id: str, by: str | None, now: datetime) -> None:
        """Route a call type (or the default route) to a flow."""
        ...

    def remove_route(self, call_type: str) -> bool:
        """Delete a call type's route; say whether it had one."""
        ...
