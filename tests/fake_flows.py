"""Flow versions kept in memory: the FlowVersionRecords role without a database."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any


@dataclass(frozen=True)
class FakeStoredVersion:
    """A recorded version, as the database adapter returns it."""

    flow_id: str
    number: int
    digest: str
    definition: Mapping[str, Any]
    origin: str = ""
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
        origin: str = "",
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
