"""Fill a PostgreSQL database with stored conversations for the results dashboard benchmark.

Usage: .venv/bin/python bench/seed_results.py [--size 1000000] [--url URL] [--force]

Creates the database when it is missing (default `parley_bench` on 127.0.0.1:5432, or
$BENCH_RESULTS_URL), migrates it to head with Alembic, then draws --size conversations over the
two years before NOW in server-side SQL (bench/seed_sql.py, shapes in bench/seed_shape.py):
their respondents, contacts with 300 officers in 12 units and 20 call types, 13 languages,
three channels, refusals with their reasons, the first text and its delivery, answers to
post_contact's questions with comments and their translations, and the messages of each
reply. The same size gives the same rows on every run. A database already seeded at that size
keeps its rows (the bench_seed table says so) and is only migrated to head; another size
replaces its schema.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, TextIO

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import sqlalchemy as sa  # noqa: E402

from bench import seed_shape as shape  # noqa: E402
from bench import seed_sql as sql  # noqa: E402
from bot.flows.files import load_flow_definitions  # noqa: E402
from bot.flows.store import stored_definition, unused_digest  # noqa: E402
from storage.db import make_engine, upgrade  # noqa: E402
from storage.flow_versions import SqlAlchemyFlowVersions  # noqa: E402

DEFAULT_URL = os.environ.get(
    "BENCH_RESULTS_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/parley_bench"
)
DEFAULT_SIZE = 1_000_000
# A fixed "now": the same rows on every run, whatever the date.
NOW = datetime(2026, 12, 1, tzinfo=UTC)
START = NOW - timedelta(days=730)
# post_contact was published three times over those two years (versions 1, 2 and 3).
VERSION_DAYS = (0, 240, 500)
MARKER = "bench_seed"
INTRO = (
    "Springfield Police: please help us improve with a short, optional survey about your recent"
    " contact with one of our officers. Your answers are not shared with the officer, and we"
    " will never ask for personal details. Reply STOP to opt out. Did the officer listen to"
    " what you had to say? Reply YES or NO."
)
REPLY = (
    "Did the officer treat you with dignity and respect? Reply 1 (not at all) to 5 (completely)."
)


def ensure_database(url: str) -> None:
    """Create the URL's database on its server when it does not exist yet."""
    target = sa.make_url(url)
    admin = sa.create_engine(
        target.set(database="postgres"), isolation_level="AUTOCOMMIT", poolclass=sa.NullPool
    )
    try:
        with admin.connect() as conn:
            found = conn.execute(
                sa.text("SELECT 1 FROM pg_database WHERE datname = :name"),
                {"name": target.database},
            ).first()
            if found is None:
                conn.exec_driver_sql(f'CREATE DATABASE "{target.database}"')
    finally:
        admin.dispose()


def seeded_size(engine: sa.Engine) -> int | None:
    """Return the size the database was seeded at, or None when it was never (fully) seeded."""
    with engine.connect() as conn:
        if not sa.inspect(conn).has_table(MARKER):
            return None
        return conn.execute(sa.text(f"SELECT size FROM {MARKER}")).scalar()


def reset(engine: sa.Engine) -> None:
    """Drop every table of the database's schema, seeded or half seeded, and migrate afresh."""
    with engine.begin() as conn:
        schema = conn.execute(sa.text("SELECT current_schema()")).scalar_one()
        conn.exec_driver_sql(f'DROP SCHEMA "{schema}" CASCADE')
        conn.exec_driver_sql(f'CREATE SCHEMA "{schema}"')
    upgrade(engine)


def record_flow_versions(engine: sa.Engine) -> list[str]:
    """Record post_contact's three versions from its files; return their digests in order."""
    item = load_flow_definitions(ROOT / "flows")["post_contact"]
    records, digests = SqlAlchemyFlowVersions(engine), []
    for days in VERSION_DAYS:
        digest = unused_digest(item.flow.version, records.versions("post_contact"))
        stored = records.record(
            "post_contact",
            digest,
            stored_definition(item),
            START + timedelta(days=days),
            files=dict(item.files),
        )
        digests.append(stored.digest)
    return digests


def parameters(size: int, digests: list[str]) -> dict[str, Any]:
    """Return the bound values the seeding SQL reads: sizes, times and the weighted lists."""
    bound: dict[str, Any] = {
        "size": size,
        "respondents": max(1, size * 4 // 5),
        "officers": shape.OFFICERS,
        "units": shape.UNITS,
        "start": START,
        "now": NOW,
        "digests": digests,
        "excluded": list(shape.EXCLUDED_CALL_TYPES),
        "questions": [qid for qid, _kind in shape.QUESTIONS] + [None],
        "comment_share": shape.COMMENT_SHARE,
        "intro": INTRO,
        "reply": REPLY,
    }
    for name, weights in (
        ("call", shape.CALL_TYPES),
        ("outcome", shape.OUTCOMES),
        ("reason", shape.REFUSAL_REASONS),
        ("language", shape.LANGUAGES),
        ("channel", shape.CHANNELS),
        ("wrong", shape.WHAT_WRONG),
    ):
        bound[f"{name}_v"], bound[f"{name}_b"] = shape.bounds(weights)
    return bound


def comment_rows() -> list[dict[str, Any]]:
    """Return the comment pool as rows: language, tone, position, text, translation, count."""
    return [
        {"language": lang, "tone": tone, "n": n, "body": body, "translation": tr, "cnt": len(pool)}
        for lang, tones in shape.COMMENTS.items()
        for tone, pool in tones.items()
        for n, (body, tr) in enumerate(pool)
    ]


def _steps(bound: dict[str, Any]) -> list[tuple[str, Callable[[sa.Connection], object]]]:
    """Name each seeding step with what it runs on the connection."""

    def run(statement: str) -> Callable[[sa.Connection], object]:
        return lambda conn: conn.execute(sa.text(statement), bound)

    def pool(conn: sa.Connection) -> object:
        conn.exec_driver_sql(sql.COMMENT_POOL)
        insert = (
            "INSERT INTO _bench_comments VALUES (:language, :tone, :n, :body, :translation, :cnt)"
        )
        return conn.execute(sa.text(insert), comment_rows())

    return [
        ("plan", run(sql.PLAN)),
        ("plan: overall scores", run(sql.PLAN_OVERALL)),
        ("respondents", run(sql.RESPONDENTS)),
        ("contacts", run(sql.CONTACTS)),
        ("conversations", run(sql.CONVERSATIONS)),
        ("comment pool", pool),
        ("answers", run(sql.ANSWERS)),
        ("messages: first texts", run(sql.FIRST_TEXTS)),
        ("messages: replies", run(sql.REPLIES)),
        ("clean up", run(sql.CLEANUP)),
    ]


def seed(engine: sa.Engine, size: int, out: TextIO) -> float:
    """Seed a freshly migrated database with `size` conversations; return the seconds taken."""
    began = time.perf_counter()
    bound = parameters(size, record_flow_versions(engine))
    with engine.begin() as conn:
        # A lost bulk load is simply run again: no need to wait for each WAL flush.
        conn.exec_driver_sql("SET LOCAL synchronous_commit = off")
        for name, step in _steps(bound):
            t0 = time.perf_counter()
            step(conn)
            print(f"  {name:<24} {time.perf_counter() - t0:8.1f} s", file=out, flush=True)
    t0 = time.perf_counter()
    with engine.connect() as conn:
        # Autovacuum keeps statistics and visibility maps current in production; do it now.
        # Only the seeded tables: the database may hold other schemas (the tests' PostgreSQL).
        tables = ", ".join(sql.TABLES)
        conn.execution_options(isolation_level="AUTOCOMMIT").exec_driver_sql(
            f"VACUUM ANALYZE {tables}"
        )
    print(f"  {'vacuum analyze':<24} {time.perf_counter() - t0:8.1f} s", file=out, flush=True)
    seconds = time.perf_counter() - began
    with engine.begin() as conn:
        conn.exec_driver_sql(f"CREATE TABLE {MARKER} (size int, seconds float8, at timestamptz)")
        conn.execute(
            sa.text(f"INSERT INTO {MARKER} VALUES (:size, :seconds, now())"),
            {"size": size, "seconds": seconds},
        )
    return seconds


def ensure_seeded(url: str, size: int, out: TextIO, force: bool = False) -> bool:
    """Seed the database at `url` with `size` conversations unless it holds them; say if it did."""
    if sa.make_url(url).get_backend_name() != "postgresql":
        raise SystemExit(f"the results benchmark needs PostgreSQL, not {url}")
    ensure_database(url)
    engine = make_engine(url)
    try:
        if not force and seeded_size(engine) == size:
            # Migrations added since (an index, say) apply to the seeded rows, as in production.
            upgrade(engine)
            print(f"already seeded with {size:,} conversations", file=out)
            return False
        print(f"seeding {size:,} conversations", file=out, flush=True)
        reset(engine)
        seconds = seed(engine, size, out)
        print(f"seeded {size:,} conversations in {seconds:.1f} s", file=out)
        return True
    finally:
        engine.dispose()


def main(argv: list[str] | None = None) -> int:
    """Parse the command line and seed."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=DEFAULT_SIZE, help="conversations to store")
    parser.add_argument("--url", default=DEFAULT_URL, help="the PostgreSQL database to fill")
    parser.add_argument("--force", action="store_true", help="seed again even at the same size")
    args = parser.parse_args(argv)
    if args.size < 1:
        parser.error("--size must be at least 1")
    ensure_seeded(args.url, args.size, sys.stdout, force=args.force)
    return 0


if __name__ == "__main__":
    sys.exit(main())
