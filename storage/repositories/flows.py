"""Flows edited by admins: published versions, the one draft per flow, routes by call type."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from storage.models import LIVE, Conversation, FlowDraft, FlowRoute, FlowVersion


class SqlAlchemyFlowRepository:
    """Read and write flows' versions, drafts and routes inside the unit of work's Session."""

    def __init__(self, session: Session) -> None:
        self._session = session

    def flow_ids(self) -> list[str]:
        """Return every flow with a published version or a draft, by id."""
        published = set(self._session.scalars(select(FlowVersion.flow_id).distinct()))
        drafted = set(self._session.scalars(select(FlowDraft.flow_id)))
        return sorted(published | drafted)

    def versions(self, flow_id: str) -> list[FlowVersion]:
        """Return every published version of a flow, oldest first."""
        query = select(FlowVersion).where(FlowVersion.flow_id == flow_id)
        return list(self._session.scalars(query.order_by(FlowVersion.number)))

    def version(self, flow_id: str, number: int) -> FlowVersion | None:
        """Return version `number` of a flow, if published."""
        return self._session.get(FlowVersion, (flow_id, number))

    def latest(self, flow_id: str) -> FlowVersion | None:
        """Return a flow's newest version (its live one), if it has any."""
        query = select(FlowVersion).where(FlowVersion.flow_id == flow_id)
        return self._session.scalars(query.order_by(FlowVersion.number.desc()).limit(1)).first()

    def running(self, flow_id: str) -> dict[str, int]:
        """Count the flow's scheduled and active conversations by the version they began on."""
        query = (
            select(Conversation.flow_version, func.count())
            .where(Conversation.flow_id == flow_id, Conversation.status.in_(LIVE))
            .group_by(Conversation.flow_version)
        )
        return {str(digest): int(count) for digest, count in self._session.execute(query)}

    def digest_taken(self, flow_id: str, digest: str) -> bool:
        """Say whether a version of the flow already has this digest."""
        query = select(func.count()).where(
            FlowVersion.flow_id == flow_id, FlowVersion.digest == digest
        )
        return bool(self._session.scalar(query))

    def add_version(self, version: FlowVersion) -> None:
        """Store a new published version now (a clash on its number raises IntegrityError)."""
        self._session.add(version)
        self._session.flush()

    def draft(self, flow_id: str, *, lock: bool = False) -> FlowDraft | None:
        """Return the flow's draft, if it has one; `lock`: until commit (one publish at a time)."""
        return self._session.get(FlowDraft, flow_id, with_for_update=lock or None)

    def save_draft(
        self,
        flow_id: str,
        files: Mapping[str, str],
        based_on: int | None,
        by: str | None,
        now: datetime,
    ) -> FlowDraft:
        """Create or replace the flow's draft files."""
        draft = self.draft(flow_id)
        if draft is None:
            draft = FlowDraft(flow_id=flow_id, based_on=based_on)
            self._session.add(draft)
        draft.files, draft.updated_at, draft.updated_by = dict(files), now, by
        self._session.flush()
        return draft

    def discard_draft(self, flow_id: str) -> bool:
        """Delete the flow's draft; say whether there was one."""
        result: Any = self._session.execute(delete(FlowDraft).where(FlowDraft.flow_id == flow_id))
        return bool(result.rowcount)

    def routes(self) -> dict[str, str]:
        """Return every route: call type (or DEFAULT_ROUTE) -> flow id."""
        rows = self._session.scalars(select(FlowRoute).order_by(FlowRoute.call_type))
        return {row.call_type: row.flow_id for row in rows}

    def route(self, call_type: str) -> str | None:
        """Return the flow a call type is routed to, if it has a route."""
        row = self._session.get(FlowRoute, call_type)
        return row.flow_id if row is not None else None

    def set_route(self, call_type: str, flow_id: str, by: str | None, now: datetime) -> None:
        """Route a call type (or DEFAULT_ROUTE) to a flow."""
        row = self._session.get(FlowRoute, call_type)
        if row is None:
            row = FlowRoute(call_type=call_type)
            self._session.add(row)
        row.flow_id, row.updated_at, row.updated_by = flow_id, now, by
        self._session.flush()

    def remove_route(self, call_type: str) -> bool:
        """Delete a call type's route; say whether it had one."""
        result: Any = self._session.execute(
            delete(FlowRoute).where(FlowRoute.call_type == call_type)
        )
        return bool(result.rowcount)
