"""A database that cannot be reached is answered 503 with Retry-After, never 500.

The server keeps running on an app built on a working database; its units of work are pointed
at a PostgreSQL nobody listens on, as when the database goes down under a running server.
tests/integration/test_database_restart.py stops and starts a real one.
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Iterator
from functools import partial

import pytest
from flask import Flask

from storage.db import make_engine, make_session_factory
from storage.unit_of_work import SqlAlchemyUnitOfWork
from tests.support import cipher_for_tests
from tests.web.helpers import post_sms, random_number

# Nothing listens here: connecting is refused at once.
DEAD_POSTGRES = "postgresql+psycopg://parley@127.0.0.1:9/parley"


@pytest.fixture()
def down(app: Flask) -> Iterator[Flask]:
    """Point the app's units of work at a database that refuses connections."""
    rt = app.extensions["parley.runtime"]
    engine = make_engine(DEAD_POSTGRES)
    uow = partial(SqlAlchemyUnitOfWork, make_session_factory(engine), cipher_for_tests())
    app.extensions["parley.runtime"] = dataclasses.replace(rt, uow=uow)
    try:
        yield app
    finally:
        app.extensions["parley.runtime"] = rt
        engine.dispose()


def test_a_webhook_while_the_database_is_down_is_answered_503_to_be_retried(
    down: Flask, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING):
        response = post_sms(down.test_client(), random_number(), "yes")

    assert response.status_code == 503
    assert response.headers["Retry-After"] == "5"
    assert response.get_json() == {"error": "unavailable", "reason": "try again shortly"}
    assert "127.0.0.1" not in response.get_data(as_text=True)  # no host or user to a stranger
    assert "database unavailable" in caplog.text
    assert not any(record.exc_info for record in caplog.records)  # an outage is not a bug


def test_an_api_call_while_the_database_is_down_is_answered_503(
    api_token: str, down: Flask
) -> None:
    response = down.test_client().post(
        "/api/v1/surveys",
        json={"channel": "sms", "address": random_number()},
        headers={"Authorization": f"Bearer {api_token}"},  # created before the outage
    )

    assert (response.status_code, response.headers.get("Retry-After")) == (503, "5")


def test_a_bug_is_still_a_500(app: Flask) -> None:
    rt = app.extensions["parley.runtime"]

    def broken() -> None:
        raise RuntimeError("a programming error")

    app.extensions["parley.runtime"] = dataclasses.replace(rt, uow=broken)
    try:
        response = post_sms(app.test_client(), random_number(), "yes")
    finally:
        app.extensions["parley.runtime"] = rt

    assert response.status_code == 500
    assert "Retry-After" not in response.headers
