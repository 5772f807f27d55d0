"""The results dashboard's figures against hand-counted surveys, on SQLite and PostgreSQL."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import replace

import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from storage.queries.results import (
    BreakdownRow,
    Count,
    Funnel,
    ResultsFilter,
    VersionCount,
    answer_counts,
    breakdown,
    comments,
    flow_versions,
    funnel,
    refusals,
    score_means,
)
from tests.integration.results_dataset import FLOW, SINCE, UNTIL, V1, V2, store_surveys

NOVEMBER = ResultsFilter(since=SINCE, until=UNTIL)


@pytest.fixture()
def db(engine: Engine) -> Iterator[Session]:
    """Store the hand-counted surveys; yield a session on them (closed after)."""
    store_surveys(engine)
    with Session(engine) as session:
        yield session


def test_every_stage_of_the_funnel_is_counted(db: Session) -> None:
    found = funnel(db, NOVEMBER)

    assert found == Funnel(
        triggered=11,
        refused=3,
        sent=7,
        delivered=5,
        started=5,
        completed=3,
        partial=1,
        expired=2,
        undeliverable=1,
        opted_out=1,
    )
    assert found.response_rate == pytest.approx(4 / 7)


def test_filters_combine(db: Session) -> None:
    north = replace(NOVEMBER, unit="north")
    assert funnel(db, north) == Funnel(7, 2, 5, 4, 4, 2, 1, 1, 0, 1)
    assert funnel(db, replace(north, officer_id="A")).triggered == 4
    assert funnel(db, replace(north, officer_id="A", call_type="theft")).triggered == 2
    assert funnel(db, replace(north, officer_id="A", language="es")).completed == 1
    assert funnel(db, replace(NOVEMBER, channel="telegram")).opted_out == 1
    assert funnel(db, replace(NOVEMBER, channel="whatsapp", unit="south")).triggered == 0
    assert funnel(db, replace(NOVEMBER, flow_id=FLOW, flow_version=2)).partial == 1
    assert funnel(db, replace(NOVEMBER, flow_id=FLOW, flow_version=2)).triggered == 1
    assert funnel(db, replace(NOVEMBER, flow_id="other")).triggered == 0
    two = replace(NOVEMBER, flow_id=FLOW, flow_version=2)
    assert [v.number for v in flow_versions(db, two)] == [2]
    assert [r.key for r in breakdown(db, two, "flow_version")] == [f"{FLOW} v2"]


def test_the_range_is_half_open_by_creation_time(db: Session) -> None:
    october = replace(NOVEMBER, since=SINCE.replace(month=10), until=SINCE)
    assert funnel(db, october).triggered == 1
    assert funnel(db, replace(NOVEMBER, since=SINCE.replace(month=10))).completed == 4
    assert funnel(db, replace(NOVEMBER, until=NOVEMBER.since)).sent == 0
    assert funnel(db, replace(NOVEMBER, until=NOVEMBER.since)).response_rate is None


def test_refusals_are_counted_per_reason(db: Session) -> None:
    assert refusals(db, NOVEMBER) == [
        Count("frequency_cap", 2),
        Count("excluded_call_type", 1),
    ]
    assert refusals(db, replace(NOVEMBER, unit="south")) == [Count("frequency_cap", 1)]


def test_each_question_is_counted_per_value_and_week(db: Session) -> None:
    rows = answer_counts(db, NOVEMBER, ["overall", "listened"], "week")
    overall = {(r.period, r.value): r.count for r in rows if r.question_id == "overall"}

    assert overall == {
        ("2026-11-02", 3): 1,
        ("2026-11-02", 5): 2,
        ("2026-11-09", 4): 1,
        ("2026-11-23", 1): 1,
    }
    listened = Counter[object]()
    for row in rows:
        if row.question_id == "listened":
            listened[row.value] += row.count
    assert listened == {True: 2, False: 1}
    assert {r.flow_id for r in rows} == {FLOW}


def test_months_bucket_every_november_answer_together(db: Session) -> None:
    rows = answer_counts(db, NOVEMBER, ["overall"], "month")
    assert {r.period for r in rows} == {"2026-11-01"}
    assert sum(r.count for r in rows) == 5
    october = replace(NOVEMBER, since=SINCE.replace(month=10))
    months = {r.period for r in answer_counts(db, october, ["overall"], "month")}
    assert months == {"2026-10-01", "2026-11-01"}


def test_breakdowns_count_the_funnel_per_group(db: Session) -> None:
    assert breakdown(db, NOVEMBER, "unit") == [
        BreakdownRow("north", 7, 5, 4, 2, 1),
        BreakdownRow("south", 3, 1, 0, 0, 0),
        BreakdownRow(None, 1, 1, 1, 1, 0),
    ]
    channels = {row.key: row.triggered for row in breakdown(db, NOVEMBER, "channel")}
    assert channels == {"sms": 9, "whatsapp": 1, "telegram": 1}
    versions = {row.key: row.triggered for row in breakdown(db, NOVEMBER, "flow_version")}
    assert versions == {f"{FLOW} v1": 10, f"{FLOW} v2": 1}
    officers = breakdown(db, replace(NOVEMBER, unit="north"), "officer")
    assert [(r.key, r.triggered, r.completed) for r in officers] == [("A", 4, 2), ("B", 3, 0)]
    languages = {row.key: row.completed for row in breakdown(db, NOVEMBER, "language")}
    assert languages == {"en": 2, "es": 1}
    calls = {row.key: row.triggered for row in breakdown(db, NOVEMBER, "call_type")}
    assert calls == {"traffic": 8, "theft": 2, None: 1}


def test_score_means_per_group(db: Session) -> None:
    means = {(m.key, m.question_id): (m.mean, m.answers) for m in score_means(
        db, NOVEMBER, "unit", ["overall", "listened"]
    )}  # fmt: skip
    # "listened" holds categories, never averaged; north: 5, 3, 4, 1.
    assert means == {("north", "overall"): (3.25, 4), (None, "overall"): (5.0, 1)}
    assert score_means(db, NOVEMBER, "unit", []) == []


def test_flow_versions_in_scope(db: Session) -> None:
    assert flow_versions(db, NOVEMBER) == [
        VersionCount(FLOW, V1, 1, 10),
        VersionCount(FLOW, V2, 2, 1),
    ]


def test_comments_newest_first_with_translation_and_no_identity(db: Session) -> None:
    first = comments(db, NOVEMBER, 1, 2)
    assert [c.text for c in first.comments] == ["=cmd()", "Muy bien"]
    assert first.has_next
    assert first.comments[1].translation == "Very good"
    second = comments(db, NOVEMBER, 2, 2)
    assert [c.text for c in second.comments] == ["Great"] and not second.has_next
    fields = set(type(first.comments[0]).__dataclass_fields__)
    assert not fields & {"id", "conversation_id", "address", "respondent_id"}
    assert comments(db, replace(NOVEMBER, unit="north", language="es"), 1, 5).comments[0].text == (
        "Muy bien"
    )


def test_a_connection_serves_as_well_as_a_session(engine: Engine, db: Session) -> None:
    # The benchmarks call the query functions on a bare connection.
    expected = funnel(db, NOVEMBER), comments(db, NOVEMBER, 1, 5)
    db.close()  # one transaction at a time on SQLite
    with engine.connect() as connection:
        assert (funnel(connection, NOVEMBER), comments(connection, NOVEMBER, 1, 5)) == expected
