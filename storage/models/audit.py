"""The audit log: who did what to accounts, tokens and flows, and every sign-in, kept for good."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base, UtcDateTime


class AuditEntry(Base):
    """One thing a person or the command line did; nothing on the site edits or deletes it."""

    __tablename__ = "audit_log"
    __table_args__ = (
        Index("ix_audit_log_at", "at"),
        Index("ix_audit_log_action_at", "action", "at"),
    )

    # Increasing with each entry: orders entries written in the same instant.
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[datetime] = mapped_column(UtcDateTime)
    # Who: a staff account's email, or "command line (<os user>)"; the email typed for a
    # failed sign-in (never the password).
    actor: Mapped[str] = mapped_column(String(254))
    # What: bot.services.audit.Action (sign_in, account_created, token_revoked...).
    action: Mapped[str] = mapped_column(String(32))
    # What it was done to: an account's email, a token's name, a flow's id.
    subject: Mapped[str] = mapped_column(String(254), default="")
    # The particulars in a line: "role officer → supervisor", "wrong password".
    detail: Mapped[str] = mapped_column(String(500), default="")
