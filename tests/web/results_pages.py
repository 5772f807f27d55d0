"""Shared by the results dashboard's page and browser tests: an app holding the counted surveys."""

from __future__ import annotations

import csv
import io
from html.parser import HTMLParser

from flask import Flask

from storage.db import make_engine
from tests.integration.results_dataset import FLOW, store_surveys

NOVEMBER = "since=2026-11-01&until=2026-11-30"


def with_surveys(app: Flask) -> None:
    """Store the hand-counted surveys on the app's database, on its live flow version."""
    digest = app.extensions["parley.runtime"].flow_store.live(FLOW).version
    engine = make_engine(app.extensions["parley.settings"].database_url)
    try:
        store_surveys(engine, (digest, digest))
    finally:
        engine.dispose()


class _Tables(HTMLParser):
    """Collect each <table id=...>'s rows of cell texts."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: dict[str, list[list[str]]] = {}
        self._table: str | None = None
        self._cell: list[str] | None = None
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "table":
            self._table = dict(attrs).get("id") or ""
            self.tables[self._table] = []
        elif tag == "tr" and self._table is not None:
            self.tables[self._table].append([])
        elif tag in ("td", "th") and self._table is not None:
            self._cell = []
        elif tag == "caption":
            self._skip += 1

    def handle_endtag(self, tag: str) -> None:
        if tag == "table":
            self._table = None
        elif tag in ("td", "th") and self._cell is not None and self._table is not None:
            self.tables[self._table][-1].append("".join(self._cell).strip())
            self._cell = None
        elif tag == "caption":
            self._skip -= 1

    def handle_data(self, data: str) -> None:
        if self._cell is not None and not self._skip:
            self._cell.append(data)


def html_tables(page: str) -> dict[str, list[list[str]]]:
    """Return every table of a page by its id: header row first, each row's cell texts."""
    parser = _Tables()
    parser.feed(page)
    return parser.tables


def csv_rows(text: str) -> list[list[str]]:
    """Read a CSV download's rows, header first."""
    return list(csv.reader(io.StringIO(text)))


def add_survey(app: Flask, unit: str, comment: str, language: str, translation: str) -> None:
    """Store one more completed survey of `unit` in November with a comment in `language`."""
    from datetime import UTC, datetime

    from sqlalchemy.orm import Session

    from tests.integration.results_dataset import add_survey_row

    digest = app.extensions["parley.runtime"].flow_store.live(FLOW).version
    answers = {"overall": 2, "listened": False}
    row = ("x1", unit, "D", "traffic", "sms", language, "completed", "complete", None, True,
           ["delivered"], (11, 20), answers, (comment, translation))  # fmt: skip
    engine = make_engine(app.extensions["parley.settings"].database_url)
    try:
        with Session(engine) as session:
            add_survey_row(session, row, datetime(2026, 11, 26, 9, tzinfo=UTC), (digest, digest))
            session.commit()
    finally:
        engine.dispose()
