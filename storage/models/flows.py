"""Flow versions: every definition a flow has had, kept so a conversation finishes on its own."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base, UtcDateTime, utc_now


class FlowVersion(Base):
    """One definition of a flow as it was loaded, never changed: version `number` of `flow_id`.

    A conversation keeps the `digest` of the version it began on (conversations.flow_version)
    and is stepped with that definition to its end, whatever the flow files say by then.
    """

    __tablename__ = "flow_versions"
    # A definition is kept once: loading the same files again finds it by its content hash.
    __table_args__ = (UniqueConstraint("flow_id", "digest"),)

    flow_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    # 1, 2, 3... per flow in the order recorded: "version 3 of post_contact" to a person.
    number: Mapped[int] = mapped_column(Integer, primary_key=True)
    # The content hash of the flow file and its offered translations (bot.flows.files).
    digest: Mapped[str] = mapped_column(String(32))
    # The flow file format with the translations merged in: bot.flows.store builds the Flow.
    definition: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)
