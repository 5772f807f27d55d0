"""The export read side: two statements a page, whatever its size, on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask

from storage.db import make_engine, make_session_factory
from storage.queries import SqlAlchemyResponseQueries
from tests.web.helpers import post_sms, random_number, reply
from tests.web.responses_helpers import SCORES, answer, ask, token


@pytest.fixture()
def site(make_app: Callable[..., Flask], own_database_url: str) -> Flask:
    """An app on a database of its own (SQLite, then PostgreSQL) to store surveys with."""
    return make_app(own_database_url)


@pytest.fixture()
def statements(site: Flask) -> Iterator[tuple[SqlAlchemyResponseQueries, list[str]]]:
    """Export queries on an engine of their own, with every statement they run recorded."""
    engine = make_engine(site.extensions["parley.settings"].database_url)
    seen: list[str] = []

    def record(*args: Any) -> None:
        seen.append(args[2])

    sa.event.listen(engine, "before_cursor_execute", record)
    yield SqlAlchemyResponseQueries(make_session_factory(engine)), seen
    engine.dispose()


def test_a_page_costs_two_statements_however_many_answers(
    site: Flask, statements: tuple[SqlAlchemyResponseQueries, list[str]]
) -> None:
    queries, seen = statements
    client = site.test_client()
    writer = token(site, "surveys:write")
    for _ in range(4):
        _, number = ask(client, writer)
        answer(client, number, *SCORES, "Thank you")

    seen.clear()
    rows = queries.page(None, None, 10)

    assert [len(row.answers) for row in rows] == [6, 6, 6, 6]
    assert len([s for s in seen if s.lstrip().upper().startswith("SELECT")]) == 2
    assert not any("address" in s for s in seen)


def test_a_survey_the_resident_started_has_no_contact_fields(
    site: Flask, statements: tuple[SqlAlchemyResponseQueries, list[str]]
) -> None:
    queries, _ = statements
    # Texting the flow's keyword starts a survey with no police contact recorded.
    assert reply(post_sms(site.test_client(), random_number(), "SURVEY"))

    [row] = queries.page(None, None, 10)

    assert (row.channel, row.officer_id, row.unit, row.incident_id, row.occurred_at) == (
        "sms",
        None,
        None,
        None,
        None,
    )
    assert queries.page(row.key, None, 10) == []
