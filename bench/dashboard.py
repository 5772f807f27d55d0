"""Time the results dashboard's and the transparency page's queries over stored conversations.

Usage: .venv/bin/python bench/dashboard.py [--size 1000000] [--url URL] [--runs 10]
           [--only TEXT ...] [--explain] [--indexes keep|add|drop]

Seeds the database first when it does not hold --size conversations (bench/seed_results.py,
default `parley_bench` on 127.0.0.1:5432), then runs each named query once to warm the cache
and --runs times more, each in a fresh session, and prints its median and p95 milliseconds and
the rows it returned, beside the bare baseline of the same run: `SELECT count(*) FROM
conversations` over the same data. --only keeps the queries whose name contains one of the
texts; --explain prints EXPLAIN (ANALYZE, BUFFERS) of every statement each query runs;
--indexes drop (or add back) the indexes README.md's Benchmarks weighs, before timing.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TextIO

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import sqlalchemy as sa  # noqa: E402
from sqlalchemy.orm import Session, sessionmaker  # noqa: E402

from bench.dashboard_public import public_queries  # noqa: E402
from bench.dashboard_results import Timed, dashboard_queries  # noqa: E402
from bench.seed_results import DEFAULT_SIZE, DEFAULT_URL, ensure_seeded  # noqa: E402
from storage.db import make_engine, make_session_factory  # noqa: E402

BASELINE = "bare: SELECT count(*) FROM conversations"

# Indexes whose worth README.md's Benchmarks shows: `--indexes drop` times without them,
# `--indexes add` puts them back (migration 0021 creates the comments page's in every database).
INDEXES = {
    # The comments page: free text is what has a translation status; newest first.
    "ix_answers_comments": (
        "CREATE INDEX IF NOT EXISTS ix_answers_comments"
        " ON answers (answered_at, id) WHERE translation_status IS NOT NULL"
    ),
}


def baseline(session: Session) -> int:
    """Count the stored conversations: the floor every dashboard query is compared with."""
    return len(session.execute(sa.text("SELECT count(*) FROM conversations")).all())


def registry() -> dict[str, Timed]:
    """Name every timed query: the bare baseline first, then the dashboard's and public page's."""
    return {BASELINE: baseline, **dashboard_queries(), **public_queries()}


def selected(queries: dict[str, Timed], only: list[str] | None) -> dict[str, Timed]:
    """Keep the baseline and the queries whose name contains one of `only` (all without it)."""
    if not only:
        return queries
    wanted = [text.casefold() for text in only]
    return {
        name: fn
        for name, fn in queries.items()
        if name == BASELINE or any(text in name.casefold() for text in wanted)
    }


def measure(sessions: sessionmaker[Session], fn: Timed, runs: int) -> tuple[float, float, int]:
    """Run `fn` once to warm up, then `runs` times; return median ms, p95 ms and its rows."""
    with sessions() as session:
        rows = fn(session)
    times = []
    for _ in range(runs):
        with sessions() as session:
            began = time.perf_counter()
            fn(session)
            times.append((time.perf_counter() - began) * 1000)
    p95 = statistics.quantiles(times, n=20)[18] if len(times) > 1 else times[0]
    return statistics.median(times), p95, rows


@contextmanager
def captured(engine: sa.Engine) -> Iterator[list[tuple[str, Any]]]:
    """Collect the statements and parameters run on `engine` inside the block."""
    seen: list[tuple[str, Any]] = []

    def keep(conn: Any, cursor: Any, statement: str, params: Any, context: Any, many: Any) -> None:
        seen.append((statement, params))

    sa.event.listen(engine, "before_cursor_execute", keep)
    try:
        yield seen
    finally:
        sa.event.remove(engine, "before_cursor_execute", keep)


def explain(engine: sa.Engine, sessions: sessionmaker[Session], fn: Timed, out: TextIO) -> None:
    """Print EXPLAIN (ANALYZE, BUFFERS) of every statement `fn` runs."""
    with captured(engine) as seen, sessions() as session:
        fn(session)
    with engine.connect() as conn:
        for statement, params in seen:
            plan = conn.exec_driver_sql("EXPLAIN (ANALYZE, BUFFERS) " + statement, params)
            print("\n".join(f"    {line}" for (line,) in plan), file=out)


def set_indexes(engine: sa.Engine, mode: str) -> None:
    """Add or drop the indexes weighed (then refresh statistics); leave them on keep."""
    if mode == "keep":
        return
    with engine.connect() as conn:
        auto = conn.execution_options(isolation_level="AUTOCOMMIT")
        for name, create in INDEXES.items():
            auto.exec_driver_sql(create if mode == "add" else f"DROP INDEX IF EXISTS {name}")
        auto.exec_driver_sql("VACUUM ANALYZE answers, messages")


def header(engine: sa.Engine, size: int) -> str:
    """Describe the run: date, machine, PostgreSQL version and the data it holds."""
    with engine.connect() as conn:
        version = conn.exec_driver_sql("SHOW server_version").scalar_one()
        indexes = conn.execute(
            sa.text("SELECT indexname FROM pg_indexes WHERE indexname = ANY(:names)"),
            {"names": list(INDEXES)},
        ).scalars()
        present = ", ".join(indexes) or "none"
    return (
        f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC; {platform.machine()}, {os.cpu_count()} cores;"
        f" PostgreSQL {version}; {size:,} conversations; weighed indexes present: {present}"
    )


def report(
    engine: sa.Engine, queries: dict[str, Timed], runs: int, out: TextIO, *, plans: bool
) -> None:
    """Time each query and print one table row for it (and its plans when asked)."""
    sessions = make_session_factory(engine)
    print("| query | median ms | p95 ms | rows |\n|---|---:|---:|---:|", file=out)
    for name, fn in queries.items():
        median, p95, rows = measure(sessions, fn, runs)
        print(f"| {name} | {median:.1f} | {p95:.1f} | {rows:,} |", file=out, flush=True)
        if plans:
            explain(engine, sessions, fn, out)


def main(argv: list[str] | None = None, out: TextIO = sys.stdout) -> int:
    """Parse the command line, seed when needed, and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=DEFAULT_SIZE, help="conversations stored")
    parser.add_argument("--url", default=DEFAULT_URL, help="the PostgreSQL database to read")
    parser.add_argument("--runs", type=int, default=10, help="timed runs of each query")
    parser.add_argument("--only", nargs="+", metavar="TEXT", help="queries whose name has TEXT")
    parser.add_argument("--explain", action="store_true", help="print each statement's plan")
    parser.add_argument("--indexes", choices=("keep", "add", "drop"), default="keep")
    args = parser.parse_args(argv)
    if args.runs < 1:
        parser.error("--runs must be at least 1")
    ensure_seeded(args.url, args.size, out)
    engine = make_engine(args.url)
    try:
        set_indexes(engine, args.indexes)
        print(header(engine, args.size), file=out)
        queries = selected(registry(), args.only)
        report(engine, queries, args.runs, out, plans=args.explain)
    finally:
        engine.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main())
