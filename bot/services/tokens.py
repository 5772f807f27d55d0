"""API tokens: shown once when created, stored only as a SHA-256 hash."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime

from bot.ports import UnitOfWorkFactory

PREFIX = "pk_"


def hash_token(raw: str) -> str:
    """Hash a token for storage and lookup.

    Tokens carry 256 random bits, so a fast hash suffices: there is nothing to brute-force.
    """
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


def create_token(uow: UnitOfWorkFactory, name: str, now: datetime) -> str:
    """Create a token named `name`; return its plain text, which is never stored."""
    raw = PREFIX + secrets.token_urlsafe(32)
    with uow() as work:
        work.repo.add_token(name, hash_token(raw), now)
        work.commit()
    return raw


def authenticate(uow: UnitOfWorkFactory, raw: str, now: datetime) -> str | None:
    """Return the name of the live token `raw`, or None; note when it was last used."""
    if not raw.startswith(PREFIX):
        return None
    with uow() as work:
        token = work.repo.token_by_hash(hash_token(raw))
        if token is None:
            return None
        token.last_used_at = now
        work.commit()
        return token.name
