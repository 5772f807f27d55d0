"""An in-memory unit of work implementing bot.ports, for service tests with no database.

Rows are the real ORM classes, never flushed: staging one fills in its column defaults as a
flush would. New rows stay staged until the unit of work commits and are dropped when it ends
without committing; changes to rows already committed are not undone (no test relies on it).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from types import TracebackType
from typing import TYPE_CHECKING, Any, TypeVar

from sqlalchemy import inspect

from bot.bootstrap import build_renderers
from bot.engine.locale import language_values
from bot.engine.model import Status
from bot.flows.store import open_flow_store
from bot.services.runtime import Runtime
from storage.models import Answer, AuditEntry, Conversation, ScheduledItem
from storage.queries import (
    AnswerView,
    AuditFilter,
    AuditPage,
    AuditView,
    ItemView,
    RunningCount,
    SurveyView,
)
from tests.fake_alerts import FakeAlertRepository
from tests.fake_cards import FakeCardRepository
from tests.fake_flows import FakeFlowRepository, FakeFlowVersionRecords
from tests.fake_operations import (
    FakeAccountRepository,
    FakeAuditRepository,
    FakeScheduleRepository,
    FakeTokenRepository,
    FakeTranslationRepository,
)
from tests.fake_residents import (
    FakeContactRepository,
    FakeConversationRepository,
    FakeMessageRepository,
    FakeRespondentRepository,
)
from tests.support import IMMEDIATE_POLICY, FakeClock

if TYPE_CHECKING:
    from bot.bootstrap import Definitions
    from bot.config.settings import Settings

Row = TypeVar("Row")


class FakeDatabase:
    """What the fake units of work committed, shared by every unit of work made on it."""

    def __init__(self) -> None:
        self.rows: list[Any] = []
        self.commits = 0

    def unit_of_work(self) -> FakeUnitOfWork:
        """Return a fresh unit of work on this database (a UnitOfWorkFactory)."""
        return FakeUnitOfWork(self)

    def all(self, kind: type[Row]) -> list[Row]:
        """Return every committed row of a table."""
        return [row for row in self.rows if isinstance(row, kind)]


def with_defaults(row: Row) -> Row:
    """Fill in the column defaults a flush would: ids, timestamps, counters, statuses."""
    for key, column in inspect(type(row)).columns.items():
        default = column.default
        if getattr(row, key) is None and default is not None:
            arg = default.arg
            # SQLAlchemy wraps callable defaults to take the execution context.
            setattr(row, key, arg(None) if callable(arg) else arg)
    return row


class FakeUnitOfWork:
    """One block of work on a FakeDatabase: commit explicitly, staged rows dropped otherwise."""

    def __init__(self, database: FakeDatabase) -> None:
        self.database = database
        self.staged: list[Any] = []
        self._after_commit: list[Callable[[], None]] = []
        self.respondents = FakeRespondentRepository(self)
        self.conversations = FakeConversationRepository(self)
        self.contacts = FakeContactRepository(self)
        self.messages = FakeMessageRepository(self)
        self.schedule = FakeScheduleRepository(self)
        self.tokens = FakeTokenRepository(self)
        self.accounts = FakeAccountRepository(self)
        self.translations = FakeTranslationRepository(self)
        self.cards = FakeCardRepository(self)
        self.audit = FakeAuditRepository(self)
        self.alerts = FakeAlertRepository(self)
        self.flows = FakeFlowRepository(self)

    def __enter__(self) -> FakeUnitOfWork:
        """Begin the block."""
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        """Drop whatever was not committed."""
        self.rollback()

    def add(self, row: Row) -> Row:
        """Stage a new row, with its defaults, until the block commits."""
        self.staged.append(with_defaults(row))
        return row

    def rows(self, kind: type[Row]) -> Iterator[Row]:
        """Yield the rows of a table this block sees: committed ones, then its own."""
        for row in [*self.database.rows, *self.staged]:
            if isinstance(row, kind):
                yield row

    def first(self, kind: type[Row], where: Callable[[Row], bool]) -> Row | None:
        """Return the first row of a table that matches, if any."""
        return next((row for row in self.rows(kind) if where(row)), None)

    def commit(self) -> None:
        """Store the staged rows, then run the after-commit actions."""
        self.database.rows.extend(self.staged)
        self.database.commits += 1
        self.staged = []
        actions, self._after_commit = self._after_commit, []
        for action in actions:
            action()

    def rollback(self) -> None:
        """Drop the staged rows and the after-commit actions."""
        self.staged = []
        self._after_commit = []

    def after_commit(self, action: Callable[[], None]) -> None:
        """Run `action` once the next commit happens."""
        self._after_commit.append(action)


class FakeSurveyQueries:
    """The read side over a FakeDatabase's committed rows."""

    def __init__(self, database: FakeDatabase) -> None:
        self._database = database

    def survey(self, survey_id: uuid.UUID, *, answers: bool = True) -> SurveyView | None:
        """Return a committed survey with its scheduled sends and answers."""
        found = [c for c in self._database.all(Conversation) if c.id == survey_id]
        if not found:
            return None
        fields = [f for f in SurveyView.__dataclass_fields__ if f not in ("items", "answers")]
        items = [i for i in self._database.all(ScheduledItem) if i.conversation_id == survey_id]
        given = [a for a in self._database.all(Answer) if a.conversation_id == survey_id]
        given.sort(key=lambda a: (a.answered_at, a.question_id))
        return SurveyView(
            **{name: getattr(found[0], name) for name in fields},
            items=tuple(_view(ItemView, i) for i in sorted(items, key=_item_order)),
            answers=tuple(_view(AnswerView, a) for a in given) if answers else (),
        )


class FakeAdminQueries:
    """The admin site's read side over a FakeDatabase's committed rows."""

    def __init__(self, database: FakeDatabase) -> None:
        self._database = database

    def audit_page(self, where: AuditFilter, page: int, per_page: int) -> AuditPage:
        """Return one page of the committed entries `where` selects, newest first."""
        entries = [e for e in self._entries() if _selected(e, where)]
        start = (page - 1) * per_page
        shown = entries[start : start + per_page]
        return AuditPage(
            tuple(_view(AuditView, e) for e in shown), page, len(entries) > start + per_page
        )

    def audit_actions(self) -> list[str]:
        """Return every action the committed entries hold."""
        return sorted({e.action for e in self._entries()})

    def version_number(self, flow_id: str, digest: str) -> int | None:
        """Return None: the fake database records no flow versions."""
        return None

    def running(self) -> list[RunningCount]:
        """Count the committed scheduled and active surveys per flow version."""
        counts: dict[tuple[str, str], list[int]] = {}
        for c in self._database.all(Conversation):
            if c.status in (Status.ACTIVE, Status.SCHEDULED):
                pair = counts.setdefault((c.flow_id, c.flow_version), [0, 0])
                pair[0 if c.status == Status.ACTIVE else 1] += 1
        return [RunningCount(f, d, None, a, s) for (f, d), (a, s) in sorted(counts.items())]

    def _entries(self) -> list[AuditEntry]:
        """Return the committed entries, newest first (later commits first among equals)."""
        entries = self._database.all(AuditEntry)
        for number, entry in enumerate(entries, start=1):
            entry.id = entry.id or number
        return sorted(entries, key=lambda e: (e.at, e.id), reverse=True)


def _selected(entry: AuditEntry, where: AuditFilter) -> bool:
    """Say whether an entry passes a filter, as the SQL read side decides."""
    return (
        (not where.action or entry.action == where.action)
        and (not where.actor or where.actor.strip().lower() in entry.actor.lower())
        and (where.since is None or entry.at >= where.since)
        and (where.until is None or entry.at < where.until)
    )


def _item_order(item: ScheduledItem) -> tuple[Any, ...]:
    """Order scheduled items as the SQL read side does."""
    return (item.due_at, item.kind, item.ordinal)


def _view(kind: type[Row], row: Any) -> Row:
    """Copy a row's columns into a read-side view of the same field names."""
    return kind(**{name: getattr(row, name) for name in kind.__dataclass_fields__})  # type: ignore[attr-defined]


def fake_runtime(
    database: FakeDatabase, definitions: Definitions, settings: Settings, clock: FakeClock
) -> Runtime:
    """Wire a runtime as bootstrap() does, on the fake database and with no senders."""
    return Runtime(
        uow=database.unit_of_work,
        surveys=FakeSurveyQueries(database),
        admin=FakeAdminQueries(database),
        # No service on the fake database exports: exports are tested on real databases.
        responses=None,  # type: ignore[arg-type]
        # Nor does any read results: the dashboard's figures are tested on real databases.
        results=None,  # type: ignore[arg-type]
        flow_store=open_flow_store(FakeFlowVersionRecords(), definitions.loaded, clock()),
        locales=definitions.locales,
        values=settings.placeholder_values,
        by_language=language_values(
            definitions.locales, settings.agency_contacts, settings.contacts
        ),
        senders={},
        renderers=build_renderers(),
        clock=clock,
        detect=definitions.detector.detect,
        policy=IMMEDIATE_POLICY,
    )
