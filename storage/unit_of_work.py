"""A unit of work: one Session, one transaction, rolled back unless committed."""

from __future__ import annotations

from types import TracebackType
from typing import Self

from sqlalchemy.orm import Session, sessionmaker

from storage.repository import SqlAlchemyRepository


class SqlAlchemyUnitOfWork:
    """Open a Session per `with` block; commit explicitly, roll back otherwise."""

    def __init__(self, session_factory: sessionmaker[Session]) -> None:
        self._session_factory = session_factory
        self._session: Session | None = None
        self._repo: SqlAlchemyRepository | None = None

    @property
    def repo(self) -> SqlAlchemyRepository:
        """Return the repository of the open block."""
        if self._repo is None:
            raise RuntimeError("unit of work is not open: use it in a `with` block")
        return self._repo

    def __enter__(self) -> Self:
        """Open a fresh Session and its repository."""
        if self._session is not None:
            raise RuntimeError("unit of work is already open")
        self._session = self._session_factory()
        self._repo = SqlAlchemyRepository(self._session)
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        """Roll back whatever was not committed and close the Session."""
        session, self._session, self._repo = self._session, None, None
        if session is not None:
            # close() rolls back the open transaction like rollback() would, but without
            # expiring loaded objects: what was read inside stays readable (detached) after.
            session.close()

    def commit(self) -> None:
        """Commit the work done so far in this block."""
        self._open_session().commit()

    def rollback(self) -> None:
        """Discard the work done since the last commit."""
        self._open_session().rollback()

    def _open_session(self) -> Session:
        """Return the open Session, or fail outside a `with` block."""
        if self._session is None:
            raise RuntimeError("unit of work is not open: use it in a `with` block")
        return self._session
