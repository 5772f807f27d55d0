"""Flows kept in memory: the FlowVersionRecords and FlowRepository roles without a database."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from storage.models import LIVE, Conversation, FlowDraft, FlowRoute, FlowVersion

if TYPE_CHECKING:
    from tests.fakes import FakeUnitOfWork


@dataclass(frozen=True)
class FakeStoredVersion:
    """A recorded version, as the database adapter returns it."""

    flow_id: str
    number: int
    digest: str
    definition: Mapping[str, Any]
    origin: str = "from files"
    files: Mapping[str, str] | None = None


class FakeFlowVersionRecords:
    """Flow versions kept in a list; counts lookups, so tests see what the cache spared."""

    def __init__(self, ready: bool = True) -> None:
        self.rows: list[FakeStoredVersion] = []
        self.lookups = 0
        self._ready = ready

    def ready(self) -> bool:
        """Say whether the schema has the table."""
        return self._ready

    def record(
        self,
        flow_id: str,
        digest: str,
        definition: Mapping[str, Any],
        now: datetime,
        *,
        origin: str = "from files",
        files: Mapping[str, str] | None = None,
    ) -> FakeStoredVersion:
        """Keep a definition unless its digest is kept; number it after the flow's last."""
        for row in self.rows:
            if (row.flow_id, row.digest) == (flow_id, digest):
                return row
        number = 1 + sum(1 for row in self.rows if row.flow_id == flow_id)
        row = FakeStoredVersion(flow_id, number, digest, definition, origin, files)
        self.rows.append(row)
        return row

    def find(self, flow_id: str, digest: str) -> FakeStoredVersion | None:
        """Return the row with this digest, counting the lookup."""
        self.lookups += 1
        return next((r for r in self.rows if (r.flow_id, r.digest) == (flow_id, digest)), None)

    def versions(self, flow_id: str) -> Sequence[FakeStoredVersion]:
        """Return the flow's rows, oldest first."""
        return [row for row in self.rows if row.flow_id == flow_id]

    def heads(self) -> dict[str, int]:
        """Return each flow's newest number (not counted: it is the cheap periodic check)."""
        return {row.flow_id: row.number for row in self.rows}

    def numbered(self, flow_id: str, number: int) -> FakeStoredVersion | None:
        """Return the flow's row with this number."""
        return next((r for r in self.rows if (r.flow_id, r.number) == (flow_id, number)), None)


class FakeFlowRepository:
    """Flows' versions, drafts and routes in the fake database (the FlowRepository role)."""

    def __init__(self, uow: FakeUnitOfWork) -> None:
        self._uow = uow

    def flow_ids(self) -> list[str]:
        """Return every flow with a version or a draft."""
        rows = [*self._uow.rows(FlowVersion), *self._uow.rows(FlowDraft)]
        return sorted({row.flow_id for row in rows})

    def versions(self, flow_id: str) -> list[FlowVersion]:
        """Return a flow's versions, oldest first."""
        rows = [row for row in self._uow.rows(FlowVersion) if row.flow_id == flow_id]
        return sorted(rows, key=lambda row: row.number)

    def version(self, flow_id: str, number: int) -> FlowVersion | None:
        """Return one version of a flow."""
        return next((row for row in self.versions(flow_id) if row.number == number), None)

    def latest(self, flow_id: str) -> FlowVersion | None:
        """Return a flow's newest version."""
        versions = self.versions(flow_id)
        return versions[-1] if versions else None

    def running(self, flow_id: str) -> dict[str, int]:
        """Count the flow's live conversations by version."""
        counts: dict[str, int] = {}
        for row in self._uow.rows(Conversation):
            if row.flow_id == flow_id and row.status in LIVE:
                counts[row.flow_version] = counts.get(row.flow_version, 0) + 1
        return counts

    def digest_taken(self, flow_id: str, digest: str) -> bool:
        """Say whether a version of the flow has this digest."""
        return any(row.digest == digest for row in self.versions(flow_id))

    def add_version(self, version: FlowVersion) -> None:
        """Stage a version, refusing a number or digest the flow already has (as the keys do)."""
        for row in self.versions(version.flow_id):
            if version.number == row.number or version.digest == row.digest:
                raise ValueError(f"flow {version.flow_id} version {version.number} clashes")
        self._uow.add(version)

    def draft(self, flow_id: str, *, lock: bool = False) -> FlowDraft | None:
        """Return the flow's draft (one block at a time here: nothing to lock)."""
        return self._uow.first(FlowDraft, lambda row: row.flow_id == flow_id)

    def save_draft(
        self,
        flow_id: str,
        files: Mapping[str, str],
        based_on: int | None,
        by: str | None,
        now: datetime,
    ) -> FlowDraft:
        """Create or replace the draft."""
        draft = self.draft(flow_id) or self._uow.add(FlowDraft(flow_id=flow_id, based_on=based_on))
        draft.files, draft.updated_at, draft.updated_by = dict(files), now, by
        return draft

    def discard_draft(self, flow_id: str) -> bool:
        """Delete the draft at once (committed or not)."""
        return self._delete(FlowDraft, lambda row: row.flow_id == flow_id)

    def routes(self) -> dict[str, str]:
        """Return every route."""
        return {row.call_type: row.flow_id for row in self._uow.rows(FlowRoute)}

    def route(self, call_type: str) -> str | None:
        """Return a call type's flow."""
        return self.routes().get(call_type)

    def set_route(self, call_type: str, flow_id: str, by: str | None, now: datetime) -> None:
        """Create or change a route."""
        row = self._uow.first(FlowRoute, lambda r: r.call_type == call_type)
        row = row or self._uow.add(FlowRoute(call_type=call_type))
        row.flow_id, row.updated_at, row.updated_by = flow_id, now, by

    def remove_route(self, call_type: str) -> bool:
        """Delete a route at once."""
        return self._delete(FlowRoute, lambda row: row.call_type == call_type)

    def _delete(self, kind: type[Any], where: Callable[[Any], bool]) -> bool:
        """Remove matching rows from the database and the staged ones; say if any were."""
        uow = self._uow
        before = len(uow.database.rows) + len(uow.staged)
        uow.database.rows = [r for r in uow.database.rows if not (isinstance(r, kind) and where(r))]
        uow.staged = [r for r in uow.staged if not (isinstance(r, kind) and where(r))]
        return len(uow.database.rows) + len(uow.staged) < before
