"""/readyz: 200 when the database (and Redis, when configured) answer; 503 naming what did not."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from functools import partial
from pathlib import Path

from flask import Flask
from flask.testing import FlaskClient

from storage.db import make_engine, ping

# Nothing listens here: connecting is refused at once.
DEAD_POSTGRES = "postgresql+psycopg://parley@127.0.0.1:9/parley"
DEAD_REDIS = "redis://127.0.0.1:9/0"


def test_ready_when_the_database_answers(client: FlaskClient) -> None:
    response = client.get("/readyz")

    assert response.status_code == 200
    assert response.get_json() == {"status": "ready", "checks": {"database": "ok"}}
    assert client.get("/healthz").status_code == 200


def test_not_ready_while_the_database_is_down(app: Flask) -> None:
    rt = app.extensions["parley.runtime"]
    engine = make_engine(DEAD_POSTGRES)
    app.extensions["parley.runtime"] = dataclasses.replace(
        rt, probes={"database": partial(ping, engine)}
    )
    try:
        response = app.test_client().get("/readyz")
    finally:
        app.extensions["parley.runtime"] = rt
        engine.dispose()

    assert response.status_code == 503
    assert response.get_json() == {"status": "unavailable", "checks": {"database": "unavailable"}}
    assert "127.0.0.1" not in response.get_data(as_text=True)  # no host or user to a stranger


def test_redis_is_checked_when_work_goes_through_it(
    make_app: Callable[..., Flask], tmp_path: Path, redis_url: str
) -> None:
    live = make_app(f"sqlite:///{tmp_path / 'live.db'}", redis_url=redis_url).test_client()
    dead = make_app(f"sqlite:///{tmp_path / 'dead.db'}", redis_url=DEAD_REDIS).test_client()

    assert live.get("/readyz").get_json()["checks"] == {"database": "ok", "redis": "ok"}
    response = dead.get("/readyz")
    assert response.status_code == 503
    assert response.get_json()["checks"] == {"database": "ok", "redis": "unavailable"}


def test_every_answer_names_its_request_and_keeps_a_plain_id_it_was_given(
    client: FlaskClient,
) -> None:
    given = client.get("/healthz", headers={"X-Request-Id": "lb-5d2c"})
    forged = client.get("/healthz", headers={"X-Request-Id": "a\tb"})
    fresh = client.get("/readyz")

    assert given.headers["X-Request-Id"] == "lb-5d2c"
    assert forged.headers["X-Request-Id"] != "a\tb" and len(forged.headers["X-Request-Id"]) == 32
    assert len(fresh.headers["X-Request-Id"]) == 32
