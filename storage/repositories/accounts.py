"""Staff accounts (officers, supervisors, admins) and the queries the login needs."""

from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.orm import Session

from storage.models import User


class SqlAlchemyAccountRepository:
    """Find and add staff accounts inside a unit of work's transaction."""

    def __init__(self, session: Session) -> None:
        self._session = session

    def add(self, user: User) -> None:
        """Stage a new account; the unit of work's commit stores it."""
        self._session.add(user)
        self._session.flush()

    def by_email(self, email: str, *, for_update: bool = False) -> User | None:
        """Return the account with this (lower-case) email, locked for update if asked.

        The login locks the row so simultaneous wrong guesses all count toward the lockout.
        """
        query = select(User).where(User.email == email.lower())
        if for_update:
            query = query.with_for_update()
        return self._session.scalars(query).one_or_none()

    def get(self, user_id: uuid.UUID, *, for_update: bool = False) -> User | None:
        """Return the account with this id, locked for update if asked."""
        return self._session.get(User, user_id, with_for_update=for_update or None)

    def all(self) -> list[User]:
        """Return every account, by email."""
        return list(self._session.scalars(select(User).order_by(User.email)))

    def enabled_admins(self) -> list[User]:
        """Return the accounts that may administer Parley now, locked until commit.

        Locked so two admins demoting each other at once cannot leave nobody in charge.
        """
        query = select(User).where(User.role == "admin", User.disabled_at.is_(None))
        return list(self._session.scalars(query.order_by(User.email).with_for_update()))

    def unit_of_officer(self, officer_id: str) -> str | None:
        """Return the unit the officer's live accounts name, if they name exactly one.

        Officer ids are not unique among accounts: two accounts in two units leave it unknown.
        """
        query = (
            select(User.unit)
            .where(User.officer_id == officer_id, User.disabled_at.is_(None))
            .where(User.unit.is_not(None))
            .distinct()
        )
        units = list(self._session.scalars(query))
        return units[0] if len(units) == 1 else None
