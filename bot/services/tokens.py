"""API tokens: shown once when created, stored only as a SHA-256 hash."""

from __future__ import annotations

import hashlib
import secrets
import uuid
from dataclasses import dataclass
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


@dataclass(frozen=True)
class TokenInfo:
    """What staff may see of a token: never the token itself."""

    id: uuid.UUID
    name: str
    created_at: datetime
    last_used_at: datetime | None
    revoked_at: datetime | None


def list_tokens(uow: UnitOfWorkFactory) -> list[TokenInfo]:
    """Describe every API token, live and revoked."""
    with uow() as work:
        return [
            TokenInfo(t.id, t.name, t.created_at, t.last_used_at, t.revoked_at)
            for t in work.repo.tokens()
        ]


def revoke_tokens(uow: UnitOfWorkFactory, name_or_id: str, now: datetime) -> int:
    """Revoke the live tokens with this name or id at once; return how many."""
    with uow() as work:
        found = [
            t
            for t in work.repo.tokens()
            if t.revoked_at is None and name_or_id in (t.name, str(t.id))
        ]
        for token in found:
            token.revoked_at = now
        work.commit()
        return len(found)
