"""Persistence for Parley: SQLAlchemy models, a repository, a unit of work and migrations."""

from storage.db import (
    current_revision,
    head_revision,
    make_engine,
    make_session_factory,
    upgrade,
)
from storage.repository import SqlAlchemyRepository
from storage.unit_of_work import SqlAlchemyUnitOfWork

__all__ = [
    "SqlAlchemyRepository",
    "SqlAlchemyUnitOfWork",
    "current_revision",
    "head_revision",
    "make_engine",
    "make_session_factory",
    "upgrade",
]
