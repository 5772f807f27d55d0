"""The audit log's read side on SQLite and PostgreSQL: order, filters, pages."""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest

from bot.services.audit import Action, record
from bot.services.runtime import Runtime
from storage.queries import AuditFilter
from tests.support import TEST_KEYS

NOW = datetime(2026, 12, 6, 15, 0, tzinfo=UTC)


@pytest.fixture()
def rt(database_url: str) -> Iterator[Runtime]:
    """A runtime on SQLite, then on PostgreSQL."""
    from bot.bootstrap import bootstrap
    from bot.config.settings import Settings

    runtime = bootstrap(Settings(database_url=database_url, **TEST_KEYS), clock=lambda: NOW)
    yield runtime
    runtime.close()


def write(rt: Runtime, entries: list[tuple[str, Action, datetime]]) -> None:
    """Record (actor, action, at) entries in one commit, in this order."""
    with rt.uow() as work:
        for actor, action, at in entries:
            record(work, actor, action, "subject", "detail", at)
        work.commit()


def actors(rt: Runtime, where: AuditFilter, page: int = 1, per_page: int = 50) -> list[str]:
    """Return the actors of one page of entries."""
    return [entry.actor for entry in rt.admin.audit_page(where, page, per_page).entries]


def test_newest_first_and_in_writing_order_within_an_instant(rt: Runtime) -> None:
    tag = secrets.token_hex(4)
    a, b, c = (f"{name}-{tag}@agency.example" for name in "abc")
    write(rt, [(a, Action.SIGN_IN, NOW), (b, Action.SIGN_IN, NOW), (c, Action.SIGN_OUT, NOW)])
    write(rt, [(a, Action.SIGN_OUT, NOW + timedelta(seconds=1))])
    assert actors(rt, AuditFilter(actor=tag)) == [a, c, b, a]
    assert actors(rt, AuditFilter(actor=tag, action="sign_out")) == [a, c]


def test_actor_is_matched_in_part_whatever_its_case_and_wildcards_are_literal(
    rt: Runtime,
) -> None:
    tag = secrets.token_hex(4)
    plain, odd = f"reyes-{tag}@agency.example", f"100%_{tag}@agency.example"
    write(rt, [(plain, Action.SIGN_IN, NOW), (odd, Action.SIGN_IN, NOW)])
    assert actors(rt, AuditFilter(actor=f"REYES-{tag}")) == [plain]
    assert actors(rt, AuditFilter(actor=f"100%_{tag}")) == [odd]
    assert actors(rt, AuditFilter(actor=f"%{tag}")) == []  # % is not a wildcard


def test_a_range_includes_its_start_and_excludes_its_end(rt: Runtime) -> None:
    tag = secrets.token_hex(4)
    times = [NOW - timedelta(hours=1), NOW, NOW + timedelta(hours=1)]
    write(rt, [(f"{i}-{tag}@agency.example", Action.SIGN_IN, at) for i, at in enumerate(times)])
    window = AuditFilter(actor=tag, since=NOW, until=NOW + timedelta(hours=1))
    assert actors(rt, window) == [f"1-{tag}@agency.example"]


def test_pages_say_whether_an_older_one_follows(rt: Runtime) -> None:
    tag = secrets.token_hex(4)
    write(
        rt, [(f"{i}-{tag}@x.example", Action.SIGN_IN, NOW + timedelta(minutes=i)) for i in range(5)]
    )
    first = rt.admin.audit_page(AuditFilter(actor=tag), 1, 2)
    last = rt.admin.audit_page(AuditFilter(actor=tag), 3, 2)
    assert [e.actor[0] for e in first.entries] == ["4", "3"] and first.has_next
    assert [e.actor[0] for e in last.entries] == ["0"] and not last.has_next
    assert "sign_in" in rt.admin.audit_actions()
