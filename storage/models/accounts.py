"""Who may use Parley besides residents: staff accounts and the HTTP API's tokens."""

from __future__ import annotations

import secrets
import uuid
from datetime import datetime

from sqlalchemy import CheckConstraint, Integer, String, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base, UtcDateTime, utc_now


def new_session_token() -> str:
    """Return a fresh random token that login cookies must carry."""
    return secrets.token_urlsafe(24)


ROLES = ("officer", "supervisor", "admin")


class User(Base):
    """A person who signs in to Parley's pages; residents never have one."""

    __tablename__ = "users"
    __table_args__ = (CheckConstraint("role IN ('officer', 'supervisor', 'admin')", name="role"),)

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    # Stored lower-case so the unique key cannot hold one person twice in two spellings.
    email: Mapped[str] = mapped_column(String(254), unique=True)
    role: Mapped[str] = mapped_column(String(16))
    # werkzeug.security's "scrypt:N:r:p$salt$hash"; never the password itself.
    password_hash: Mapped[str] = mapped_column(String(255))
    # The badge or officer number written on the contacts this person triggers surveys for.
    officer_id: Mapped[str] = mapped_column(String(64))
    unit: Mapped[str | None] = mapped_column(String(64))
    # Failed logins since failed_since; reset by a success or when the window has passed.
    failed_logins: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    # Part of every login cookie: a new value signs out every open login (sign-out, disable).
    session_token: Mapped[str] = mapped_column(String(64), default=new_session_token)
    failed_since: Mapped[datetime | None] = mapped_column(UtcDateTime)
    locked_until: Mapped[datetime | None] = mapped_column(UtcDateTime)
    disabled_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    last_login_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)


class ApiToken(Base):
    """A bearer token for the HTTP API; only its SHA-256 hex digest is stored."""

    __tablename__ = "api_tokens"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    name: Mapped[str] = mapped_column(String(100))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)
    last_used_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    # Space-separated, as in OAuth: what the token may do (bot.services.tokens.SCOPES).
    scopes: Mapped[str] = mapped_column(String(200), server_default="surveys:write")
