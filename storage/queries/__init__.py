"""The read side: what staff and systems see of surveys, read apart from the repositories."""

from storage.queries.admin import (
    AuditFilter,
    AuditPage,
    AuditView,
    RunningCount,
    SqlAlchemyAdminQueries,
)
from storage.queries.operations import Backlog, SqlAlchemyOperationsQueries
from storage.queries.public import Comment, GroupCount, SqlAlchemyPublicQueries, ValueCount
from storage.queries.responses import (
    ResponseAnswer,
    ResponseKey,
    ResponseRow,
    SqlAlchemyResponseQueries,
)
from storage.queries.results import ResultsFilter
from storage.queries.results_reader import SqlAlchemyResultsQueries
from storage.queries.surveys import (
    AnswerView,
    ItemView,
    SqlAlchemySurveyQueries,
    SurveyView,
)

__all__ = [
    "AnswerView",
    "AuditFilter",
    "AuditPage",
    "AuditView",
    "Backlog",
    "Comment",
    "GroupCount",
    "ItemView",
    "ResponseAnswer",
    "ResponseKey",
    "ResponseRow",
    "ResultsFilter",
    "RunningCount",
    "SqlAlchemyAdminQueries",
    "SqlAlchemyOperationsQueries",
    "SqlAlchemyPublicQueries",
    "SqlAlchemyResponseQueries",
    "SqlAlchemyResultsQueries",
    "SqlAlchemySurveyQueries",
    "SurveyView",
    "ValueCount",
]
