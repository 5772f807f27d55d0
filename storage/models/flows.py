"""Flows in the database: their published versions, each flow's draft, and routing by call type."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base, UtcDateTime, utc_now

# The route of a survey whose call type has no route of its own: the default flow.
DEFAULT_ROUTE = "*"


class FlowVersion(Base):
    """One published definition of a flow, never changed: version `number` of `flow_id`.

    A conversation keeps the `digest` of the version it began on (conversations.flow_version)
    and is stepped with that definition to its end, whatever is published by then. The newest
    number of a flow is its live version: what new conversations begin on.
    """

    __tablename__ = "flow_versions"
    # A definition is kept once: loading the same files again finds it by its content hash.
    __table_args__ = (UniqueConstraint("flow_id", "digest"),)

    flow_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    # 1, 2, 3... per flow in the order published: "version 3 of post_contact" to a person.
    number: Mapped[int] = mapped_column(Integer, primary_key=True)
    # The content hash of the flow file and its offered translations (bot.flows.files).
    digest: Mapped[str] = mapped_column(String(32))
    # The flow file format with the translations merged in: bot.flows.store builds the Flow.
    definition: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)
    # Where it came from, for a person: "from file post_contact.yaml", "rollback to version 2".
    origin: Mapped[str] = mapped_column(String(200), default="")
    # Who published it (an account's email); none for the files read at start.
    published_by: Mapped[str | None] = mapped_column(String(254), nullable=True)
    # The flow's files as published, file name -> YAML text: exported back byte for byte.
    # None for versions recorded before drafts existed (exported from `definition` instead).
    files: Mapped[dict[str, str] | None] = mapped_column(JSON, nullable=True)


class FlowDraft(Base):
    """The one draft of a flow: its files being edited, copied from a published version."""

    __tablename__ = "flow_drafts"

    flow_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    # The version the draft was copied from (None: a new flow, never published).
    based_on: Mapped[int | None] = mapped_column(Integer, nullable=True)
    # File name -> YAML text, in the shape of flows/ (base file plus one per translation).
    files: Mapped[dict[str, str]] = mapped_column(JSON)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)
    updated_by: Mapped[str | None] = mapped_column(String(254), nullable=True)


class FlowRoute(Base):
    """Which flow a survey of a call type uses; the row for DEFAULT_ROUTE is the default flow."""

    __tablename__ = "flow_routes"

    # Stored folded (bot.services.flow_routes): "Traffic Stop" and "traffic stop" are one.
    call_type: Mapped[str] = mapped_column(String(64), primary_key=True)
    flow_id: Mapped[str] = mapped_column(String(64))
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)
    updated_by: Mapped[str | None] = mapped_column(String(254), nullable=True)
