"""Persistence for Parley: tables, one repository per aggregate, a unit of work, a read side."""

from storage.db import (
    current_revision,
    head_revision,
    make_engine,
    make_session_factory,
    upgrade,
)
from storage.queries import SqlAlchemySurveyQueries
from storage.unit_of_work import SqlAlchemyUnitOfWork

__all__ = [
    "SqlAlchemySurveyQueries",
    "SqlAlchemyUnitOfWork",
    "current_revision",
    "head_revision",
    "make_engine",
    "make_session_factory",
    "upgrade",
]
