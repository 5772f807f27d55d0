"""The results dashboard's building blocks: its filter, the rows it scopes, a dialect helper.

Every results query starts from `scoped()`: conversations created in the filter's range, joined
to their contact and their respondent's channel only when a filter or a grouping needs them
(never to the respondent's address). `json_number()`, like `period()` in
storage.queries.periods, is a small SQL expression compiled differently for PostgreSQL and
SQLite, so the arithmetic stays in the database.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypeAlias

from sqlalchemy import ColumnElement, Float, Select, and_, select
from sqlalchemy.engine import Connection
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import Session, aliased
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.functions import FunctionElement

from storage.models import Contact, Conversation, FlowVersion, Respondent

# A statement of any columns (SQLAlchemy 2.1 types a Select by its columns).
Query: TypeAlias = Select[*tuple[Any, ...]]
# What every query function takes first: a session, or a connection (the benchmarks use one).
Executor = Session | Connection

BUCKETS = ("week", "month")
# The columns each breakdown dimension groups by; a flow version is (flow, version number).
DIMENSIONS = ("unit", "officer", "call_type", "language", "channel", "flow_version")


@dataclass(frozen=True)
class ResultsFilter:
    """Which conversations the figures count: created in since ≤ created_at < until, and more.

    Each other field, when set, keeps only conversations whose contact (unit, officer_id,
    call_type), conversation (language, flow_id, flow_version: the version's number) or
    respondent (channel) has that value. They combine: every one set must hold.
    """

    since: datetime
    until: datetime
    unit: str | None = None
    officer_id: str | None = None
    call_type: str | None = None
    language: str | None = None
    channel: str | None = None
    flow_id: str | None = None
    flow_version: int | None = None

    @property
    def needs_contact(self) -> bool:
        """Say whether a contact field is filtered on."""
        return any(v is not None for v in (self.unit, self.officer_id, self.call_type))


def scoped(
    query: Query,
    where: ResultsFilter,
    contact: bool = False,
    respondent: bool = False,
) -> Query:
    """Restrict `query` (selecting from conversations) to `where`, joining what it needs."""
    if contact or where.needs_contact:
        query = query.outerjoin(Contact, Contact.id == Conversation.contact_id)
    if respondent or where.channel is not None:
        query = query.join(Respondent, Respondent.id == Conversation.respondent_id)
    return query.where(*_conditions(where))


def _conditions(where: ResultsFilter) -> list[ColumnElement[bool]]:
    """Return the SQL conditions a filter sets."""
    found = [Conversation.created_at >= where.since, Conversation.created_at < where.until]
    pairs = (
        (Contact.unit, where.unit),
        (Contact.officer_id, where.officer_id),
        (Contact.call_type, where.call_type),
        (Conversation.language, where.language),
        (Respondent.channel, where.channel),
        (Conversation.flow_id, where.flow_id),
    )
    found += [column == value for column, value in pairs if value is not None]
    if where.flow_version is not None:
        # Aliased and correlated to conversations alone: some queries join flow_versions too.
        version = aliased(FlowVersion)
        digest = (
            select(version.digest)
            .where(version.flow_id == Conversation.flow_id, version.number == where.flow_version)
            .correlate(Conversation)
        )
        found.append(Conversation.flow_version.in_(digest.scalar_subquery()))
    return found


def with_version_number(query: Query) -> Query:
    """Join each conversation's flow version row, for its number (NULL if never recorded)."""
    return query.outerjoin(
        FlowVersion,
        and_(
            FlowVersion.flow_id == Conversation.flow_id,
            FlowVersion.digest == Conversation.flow_version,
        ),
    )


class json_number(FunctionElement[float]):  # noqa: N801  # an SQL function
    """A JSON answer value as a number when it is one (a score), else NULL."""

    type = Float()
    inherit_cache = True


@compiles(json_number, "postgresql")
def _json_number_postgresql(element: json_number, compiler: SQLCompiler, **kw: Any) -> str:
    """json_typeof guards the cast: a category's text never reaches ::numeric."""
    value = compiler.process(element.clauses, **kw)
    number = f"CAST(CAST({value} AS TEXT) AS FLOAT)"
    return f"(CASE WHEN json_typeof({value}) = 'number' THEN {number} END)"


@compiles(json_number, "sqlite")
def _json_number_sqlite(element: json_number, compiler: SQLCompiler, **kw: Any) -> str:
    """json_type says whether the stored JSON text is a number."""
    value = compiler.process(element.clauses, **kw)
    return f"(CASE WHEN json_type({value}) IN ('integer', 'real') THEN CAST({value} AS REAL) END)"
