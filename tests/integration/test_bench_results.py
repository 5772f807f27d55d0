"""The results benchmark's seeder and harness, run small on the real PostgreSQL."""

from __future__ import annotations

import io
from collections.abc import Iterator

import pytest
import sqlalchemy as sa

from bench import dashboard
from bench.seed_results import ensure_seeded
from tests.backing_services import postgres_schema

SIZE = 2000


@pytest.fixture(scope="module")
def seeded_url() -> Iterator[str]:
    """Yield a throwaway schema seeded with SIZE conversations."""
    with postgres_schema() as url:
        assert ensure_seeded(url, SIZE, io.StringIO())
        yield url


def _scalar(url: str, statement: str) -> object:
    """Run one statement on the seeded schema and return its single value."""
    engine = sa.create_engine(url, poolclass=sa.NullPool)
    try:
        with engine.connect() as conn:
            return conn.execute(sa.text(statement)).scalar_one()
    finally:
        engine.dispose()


def test_seeding_stores_the_size_once(seeded_url: str) -> None:
    assert _scalar(seeded_url, "SELECT count(*) FROM conversations") == SIZE
    # Seeding again at the same size leaves the rows as they are.
    assert not ensure_seeded(seeded_url, SIZE, io.StringIO())


def test_seeding_again_gives_the_same_rows(seeded_url: str) -> None:
    fingerprint = (
        "SELECT md5(string_agg(c.id::text || c.status || coalesce(a.value::text, '-'), ','"
        " ORDER BY c.id, a.question_id)) FROM conversations AS c"
        " LEFT JOIN answers AS a ON a.conversation_id = c.id"
    )
    before = _scalar(seeded_url, fingerprint)
    assert ensure_seeded(seeded_url, SIZE, io.StringIO(), force=True)
    assert _scalar(seeded_url, fingerprint) == before


def test_seeded_progress_is_what_the_stored_texts_and_answers_say(seeded_url: str) -> None:
    # The columns the services write with each event, recomputed as migration 0020 backfills
    # them: no conversation differs.
    recomputed = (
        "SELECT count(*) FROM conversations AS c"
        " LEFT JOIN (SELECT conversation_id AS id,"
        "   min(created_at) FILTER (WHERE status IN"
        "     ('accepted', 'scheduled', 'sent', 'delivered', 'read', 'undelivered',"
        "      'replied_inline')) AS sent,"
        "   min(updated_at) FILTER (WHERE status IN ('delivered', 'read')) AS delivered"
        "   FROM messages WHERE direction = 'out' GROUP BY conversation_id) AS m ON m.id = c.id"
        " LEFT JOIN (SELECT conversation_id AS id, min(answered_at) AS answered"
        "   FROM answers GROUP BY conversation_id) AS a ON a.id = c.id"
        " WHERE c.sent_at IS DISTINCT FROM m.sent"
        " OR c.delivered_at IS DISTINCT FROM m.delivered"
        " OR c.answered_at IS DISTINCT FROM a.answered"
    )
    assert _scalar(seeded_url, recomputed) == 0
    assert _scalar(seeded_url, "SELECT count(*) FROM conversations WHERE answered_at IS NOT NULL")


def test_seeded_rows_follow_the_flow(seeded_url: str) -> None:
    # Every answer belongs to one of post_contact's questions; what_wrong follows a low score.
    assert (
        _scalar(
            seeded_url,
            "SELECT count(*) FROM answers WHERE question_id NOT IN"
            " ('listened', 'respect', 'explained', 'overall', 'what_wrong', 'trust', 'comment')",
        )
        == 0
    )
    assert (
        _scalar(
            seeded_url,
            "SELECT count(*) FROM answers AS w JOIN answers AS o"
            " ON o.conversation_id = w.conversation_id AND o.question_id = 'overall'"
            " WHERE w.question_id = 'what_wrong' AND (o.value::text)::int > 2",
        )
        == 0
    )
    # Refused surveys carry their reason, and nothing was sent for them.
    assert (
        _scalar(
            seeded_url,
            "SELECT count(*) FROM conversations AS c WHERE c.status = 'refused'"
            " AND (c.refusal_reason IS NULL"
            " OR EXISTS (SELECT 1 FROM messages AS m WHERE m.conversation_id = c.id))",
        )
        == 0
    )
    assert _scalar(seeded_url, "SELECT count(DISTINCT language) FROM conversations") == 13


def test_harness_prints_a_row_per_query(seeded_url: str) -> None:
    out = io.StringIO()
    dashboard.main(["--url", seeded_url, "--size", str(SIZE), "--runs", "1"], out=out)
    table = out.getvalue()
    assert "PostgreSQL" in table and "cores" in table
    for name in dashboard.registry():
        assert f"| {name} |" in table
    assert f"| {dashboard.BASELINE} |" in table


def test_only_keeps_the_named_queries_and_the_baseline(seeded_url: str) -> None:
    out = io.StringIO()
    dashboard.main(
        ["--url", seeded_url, "--size", str(SIZE), "--runs", "1", "--only", "FUNNEL"], out=out
    )
    rows = [line for line in out.getvalue().splitlines() if line.startswith("| ")][1:]
    names = [row.split(" | ")[0].removeprefix("| ") for row in rows]
    assert names[0] == dashboard.BASELINE
    assert names[1:] and all("funnel" in name for name in names[1:])
