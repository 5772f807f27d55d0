"""The HTTP API's bearer tokens, stored by their SHA-256 digest."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from storage.models import ApiToken


class SqlAlchemyTokenRepository:
    """Find, list and add API tokens."""

    def __init__(self, session: Session) -> None:
        self._session = session

    def by_hash(self, token_hash: str) -> ApiToken | None:
        """Return the unrevoked token with this SHA-256 hex digest, if any."""
        query = select(ApiToken).where(
            ApiToken.token_hash == token_hash, ApiToken.revoked_at.is_(None)
        )
        return self._session.scalars(query).one_or_none()

    def all(self) -> list[ApiToken]:
        """Return every API token, oldest first."""
        return list(self._session.scalars(select(ApiToken).order_by(ApiToken.created_at)))

    def add(
        self, name: str, token_hash: str, now: datetime, scopes: str = "surveys:write"
    ) -> ApiToken:
        """Store a new API token by its SHA-256 hex digest, with its space-separated scopes."""
        token = ApiToken(name=name, token_hash=token_hash, created_at=now, scopes=scopes)
        self._session.add(token)
        self._session.flush()
        return token
