"""API tokens: shown once when created, stored only as a SHA-256 hash, each with its scopes."""

from __future__ import annotations

import hashlib
import secrets
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from bot.ports import UnitOfWorkFactory
from bot.services.audit import SYSTEM, Action, record

PREFIX = "pk_"
SURVEYS_WRITE = "surveys:write"
RESULTS_READ = "results:read"
RESPONSES_READ = "responses:read"
# What a token may do: start surveys (and read their status), read residents' answers one
# survey at a time, or export every conversation's responses at once (GET /api/v1/responses).
SCOPES = (SURVEYS_WRITE, RESULTS_READ, RESPONSES_READ)
# A dispatch system needs to start surveys, not to read what residents said.
DEFAULT_SCOPES = (SURVEYS_WRITE,)
MAX_NAME = 100


class TokenError(ValueError):
    """A token that cannot be created as asked (the message says why)."""


@dataclass(frozen=True)
class Bearer:
    """Who a live token belongs to and what it may do."""

    name: str
    scopes: frozenset[str]

    def may(self, scope: str) -> bool:
        """Say whether the token was granted `scope`."""
        return scope in self.scopes


def hash_token(raw: str) -> str:
    """Hash a token for storage and lookup.

    Tokens carry 256 random bits, so a fast hash suffices: there is nothing to brute-force.
    """
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


def create_token(
    uow: UnitOfWorkFactory,
    name: str,
    now: datetime,
    scopes: Iterable[str] = DEFAULT_SCOPES,
    actor: str = SYSTEM,
) -> str:
    """Create a token named `name` with `scopes`; return its plain text, which is never stored."""
    name = name.strip()
    granted = _checked_scopes(scopes)
    if not 0 < len(name) <= MAX_NAME:
        raise TokenError(f"a token name must be 1 to {MAX_NAME} characters")
    raw = PREFIX + secrets.token_urlsafe(32)
    with uow() as work:
        # Names tell live tokens apart in `token list` and `token revoke NAME`.
        if any(t.name == name and t.revoked_at is None for t in work.tokens.all()):
            raise TokenError(f"a live token is already named {name!r}: revoke it or pick another")
        work.tokens.add(name, hash_token(raw), now, " ".join(granted))
        record(work, actor, Action.TOKEN_CREATED, name, "scopes " + " ".join(granted), now)
        work.commit()
    return raw


def _checked_scopes(scopes: Iterable[str]) -> list[str]:
    """Return the scopes asked for in SCOPES order; refuse unknown ones and none at all."""
    asked = set(scopes)
    unknown = sorted(asked - set(SCOPES))
    if unknown:
        raise TokenError(f"unknown scope {unknown[0]!r}: choose from {', '.join(SCOPES)}")
    if not asked:
        raise TokenError(f"a token needs at least one scope: {', '.join(SCOPES)}")
    return [scope for scope in SCOPES if scope in asked]


def authenticate(uow: UnitOfWorkFactory, raw: str, now: datetime) -> Bearer | None:
    """Return who holds the live token `raw` and its scopes, or None; note when it was used."""
    if not raw.startswith(PREFIX):
        return None
    with uow() as work:
        token = work.tokens.by_hash(hash_token(raw))
        if token is None:
            return None
        token.last_used_at = now
        work.commit()
        return Bearer(token.name, frozenset(token.scopes.split()))


@dataclass(frozen=True)
class TokenInfo:
    """What staff may see of a token: never the token itself."""

    id: uuid.UUID
    name: str
    created_at: datetime
    last_used_at: datetime | None
    revoked_at: datetime | None
    scopes: tuple[str, ...] = ()


def list_tokens(uow: UnitOfWorkFactory) -> list[TokenInfo]:
    """Describe every API token, live and revoked."""
    with uow() as work:
        return [
            TokenInfo(
                t.id, t.name, t.created_at, t.last_used_at, t.revoked_at, tuple(t.scopes.split())
            )
            for t in work.tokens.all()
        ]


def revoke_tokens(
    uow: UnitOfWorkFactory, name_or_id: str, now: datetime, actor: str = SYSTEM
) -> int:
    """Revoke the live tokens with this name or id at once; return how many."""
    with uow() as work:
        found = [
            t
            for t in work.tokens.all()
            if t.revoked_at is None and name_or_id in (t.name, str(t.id))
        ]
        for token in found:
            token.revoked_at = now
            record(work, actor, Action.TOKEN_REVOKED, token.name, f"id {token.id}", now)
        work.commit()
        return len(found)
