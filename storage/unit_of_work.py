"""A unit of work: one Session, one transaction, rolled back unless committed."""

from __future__ import annotations

from collections.abc import Callable
from types import TracebackType
from typing import Self

from sqlalchemy.orm import Session, sessionmaker

from storage.accounts import AccountsRepository
from storage.repository import SqlAlchemyRepository
from storage.schedule import ScheduleRepository
from storage.translations_repo import TranslationsRepository


class SqlAlchemyUnitOfWork:
    """Open a Session per `with` block; commit explicitly, roll back otherwise."""

    def __init__(self, session_factory: sessionmaker[Session]) -> None:
        self._session_factory = session_factory
        self._session: Session | None = None
        self._repo: SqlAlchemyRepository | None = None
        self._translations: TranslationsRepository | None = None
        self._schedule: ScheduleRepository | None = None
        self._accounts: AccountsRepository | None = None
        self._after_commit: list[Callable[[], None]] = []

    @property
    def repo(self) -> SqlAlchemyRepository:
        """Return the repository of the open block."""
        if self._repo is None:
            raise RuntimeError("unit of work is not open: use it in a `with` block")
        return self._repo

    @property
    def translations(self) -> TranslationsRepository:
        """Return the translation queries of the open block."""
        if self._translations is None:
            raise RuntimeError("unit of work is not open: use it in a `with` block")
        return self._translations

    @property
    def schedule(self) -> ScheduleRepository:
        """Return the scheduled-item queries of the open block."""
        if self._schedule is None:
            raise RuntimeError("unit of work is not open: use it in a `with` block")
        return self._schedule

    @property
    def accounts(self) -> AccountsRepository:
        """Return the staff-account queries of the open block."""
        if self._accounts is None:
            raise RuntimeError("unit of work is not open: use it in a `with` block")
        return self._accounts

    def __enter__(self) -> Self:
        """Open a fresh Session and its repository."""
        if self._session is not None:
            raise RuntimeError("unit of work is already open")
        self._session = self._session_factory()
        self._repo = SqlAlchemyRepository(self._session)
        self._translations = TranslationsRepository(self._session)
        self._schedule = ScheduleRepository(self._session)
        self._accounts = AccountsRepository(self._session)
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        """Roll back whatever was not committed and close the Session."""
        session, self._session, self._repo = self._session, None, None
        self._translations = None
        self._schedule = None
        self._accounts = None
        self._after_commit.clear()
        if session is not None:
            # close() rolls back the open transaction like rollback() would, but without
            # expiring loaded objects: what was read inside stays readable (detached) after.
            session.close()

    def after_commit(self, action: Callable[[], None]) -> None:
        """Run `action` once this block's next commit succeeds; drop it on rollback or exit.

        Background work (a translation) must only be handed over once the rows it reads are
        committed, or a fast worker would find nothing to do.
        """
        self._open_session()
        self._after_commit.append(action)

    def commit(self) -> None:
        """Commit the work done so far in this block, then run the after-commit actions."""
        self._open_session().commit()
        actions, self._after_commit = self._after_commit, []
        for action in actions:
            action()

    def rollback(self) -> None:
        """Discard the work done since the last commit, and its after-commit actions."""
        self._open_session().rollback()
        self._after_commit.clear()

    def _open_session(self) -> Session:
        """Return the open Session, or fail outside a `with` block."""
        if self._session is None:
            raise RuntimeError("unit of work is not open: use it in a `with` block")
        return self._session
