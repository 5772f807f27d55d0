"""The scheduler's sweep costs what is due, not what is stored: 1,000 vs 100,000 items.

Usage: .venv/bin/python bench/schedule.py [--sizes 1000 100000] [--due 50] [--runs 200]
Builds a migrated database per size (a SQLite file; PostgreSQL in a throwaway schema when
127.0.0.1:5432 answers, unless --no-postgres) holding that many scheduled items: mostly done or
cancelled, many pending days ahead, exactly --due pending items whose time has come. Times each
function in TIMED, prints the plans, and exits 1 when the largest size costs over MAX_RATIO
times the smallest, a plan skips the sweep's index, or the sweep misses the due items.
"""

from __future__ import annotations

import argparse
import os
import random
import secrets
import socket
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import sqlalchemy as sa  # noqa: E402
from sqlalchemy.orm import Session, sessionmaker  # noqa: E402

from storage.db import make_engine, make_session_factory, upgrade  # noqa: E402
from storage.models import Conversation, Respondent, ScheduledItem  # noqa: E402
from storage.repositories import SqlAlchemyScheduleRepository  # noqa: E402

PG_URL = os.environ.get("BENCH_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
INDEX = "ix_scheduled_items_status_due_at"
MAX_RATIO = 3.0
SWEEP_LIMIT = 500
NOW = datetime(2026, 11, 2, 15, 0, tzinfo=UTC)
KINDS = ("start", "reminder", "expiry")


@dataclass(frozen=True)
class Target:
    """A populated database the timed functions run against, and the sweep's `now`."""

    engine: sa.Engine
    sessions: sessionmaker[Session]
    now: datetime
    due: int


def time_due(target: Target) -> int:
    """Run the sweep's query in a fresh session; return how many items it found due."""
    with target.sessions() as session:
        return len(SqlAlchemyScheduleRepository(session).due(target.now, limit=SWEEP_LIMIT))


def time_next_due_at(target: Target) -> int:
    """Ask when the soonest pending item falls due; return 1 when there is one."""
    with target.sessions() as session:
        return int(SqlAlchemyScheduleRepository(session).next_due_at() is not None)


# name -> (function, what it must return). Swap in the real sweep here once it exists; keep it
# read-only (or restore what it claims), so every run sees the same due items.
TIMED: dict[str, tuple[Callable[[Target], int], Callable[[Target], int]]] = {
    f"due(now, limit={SWEEP_LIMIT})": (time_due, lambda t: t.due),
    "next_due_at()": (time_next_due_at, lambda t: 1),
}


def item_rows(size: int, due: int, now: datetime, rng: random.Random) -> list[dict[str, Any]]:
    """Describe `size` items: a realistic mix of finished and future work, `due` of them due."""
    rows = []
    for i in range(size):
        roll = rng.random()
        if roll < 0.55:  # sent long ago
            status, due_at = "done", now - timedelta(minutes=rng.randint(1, 90 * 24 * 60))
        elif roll < 0.65:  # opted out or completed before a reminder or expiry fell due
            status, due_at = "cancelled", now + timedelta(minutes=rng.randint(-60_000, 60_000))
        elif roll < 0.67:
            status, due_at = "failed", now - timedelta(minutes=rng.randint(1, 60_000))
        else:  # waiting: quiet hours, next morning, reminders and expiries days ahead
            status, due_at = "pending", now + timedelta(minutes=rng.randint(1, 14 * 24 * 60))
        rows.append(_item(i, status, due_at, now))
    for i in rng.sample(range(size), due):
        rows[i] |= {"status": "pending", "due_at": now - timedelta(seconds=rng.randint(0, 600))}
    return rows


def _item(i: int, status: str, due_at: datetime, now: datetime) -> dict[str, Any]:
    """Describe one scheduled item of conversation i // 3."""
    return {
        "id": uuid.uuid4(),
        # Conversation n and its respondent both have the id n + 1.
        "conversation_id": uuid.UUID(int=i // len(KINDS) + 1),
        "kind": KINDS[i % len(KINDS)],
        "ordinal": 0,
        "due_at": due_at,
        "status": status,
        "attempts": int(status != "pending"),
        "paced": False,
        "created_at": now - timedelta(days=1),
        "updated_at": now - timedelta(days=1),
    }


def populate(engine: sa.Engine, size: int, due: int) -> None:
    """Insert the respondents, conversations and scheduled items of one database."""
    rng = random.Random(size)
    count = -(-size // len(KINDS))
    respondents = [
        {"id": uuid.UUID(int=n + 1), "channel": "sms", "address": f"+1{n:010d}", "created_at": NOW}
        for n in range(count)
    ]
    conversations = [_conversation(n) for n in range(count)]
    with engine.begin() as conn:
        # Core executemany: batched multi-row INSERTs, seconds for 100,000 rows.
        conn.execute(sa.insert(Respondent.__table__), respondents)  # type: ignore[arg-type]
        conn.execute(sa.insert(Conversation.__table__), conversations)  # type: ignore[arg-type]
        rows = item_rows(size, due, NOW, rng)
        conn.execute(sa.insert(ScheduledItem.__table__), rows)  # type: ignore[arg-type]
        if engine.dialect.name == "postgresql":
            # Autovacuum keeps statistics current in production; a fresh bulk load has none.
            conn.exec_driver_sql("ANALYZE scheduled_items")


def _conversation(n: int) -> dict[str, Any]:
    """Describe conversation n, scheduled or already run."""
    return {
        "id": uuid.UUID(int=n + 1),
        "respondent_id": uuid.UUID(int=n + 1),
        "flow_id": "post_contact",
        "flow_version": "1",
        "language": "en",
        "status": "active" if n % 2 else "completed",
        "retries": 0,
        "created_at": NOW - timedelta(days=1),
        "updated_at": NOW - timedelta(days=1),
    }


Figures = dict[str, tuple[float, float]]


def measure(targets: dict[int, Target], runs: int, rounds: int = 10) -> dict[int, Figures]:
    """Time every function in TIMED on every size; return medians and p95s in microseconds.

    Sizes take turns, a tenth of the runs at a time, so drift on a shared machine (another
    process waking up) hits every size alike instead of whichever ran at that moment.
    """
    samples: dict[tuple[int, str], list[float]] = {}
    for size, target in targets.items():
        for name, (function, expected) in TIMED.items():
            if (found := function(target)) != expected(target):
                raise SystemExit(f"{name} on {size:,} items found {found}, not {expected(target)}")
            for _ in range(max(runs // 10, 5)):  # warm caches and the connection pool
                function(target)
    for _ in range(rounds):
        for size, target in targets.items():
            for name, (function, _expected) in TIMED.items():
                samples.setdefault((size, name), []).extend(timed(function, target, runs // rounds))
    return {size: {name: summary(samples[size, name]) for name in TIMED} for size in targets}


def timed(function: Callable[[Target], int], target: Target, runs: int) -> list[float]:
    """Run a function `runs` times; return each run's time in microseconds."""
    times = []
    for _ in range(runs):
        started = time.perf_counter_ns()
        function(target)
        times.append((time.perf_counter_ns() - started) / 1000)
    return times


def summary(samples: list[float]) -> tuple[float, float]:
    """Return the median and the 95th percentile of some timings."""
    ordered = sorted(samples)
    return statistics.median(ordered), ordered[max(int(len(ordered) * 0.95) - 1, 0)]


def explain(target: Target, function: Callable[[Target], int]) -> list[str]:
    """Return the database's plan for exactly the statement a timed function sends."""
    sent: list[tuple[str, Any]] = []

    def capture(conn: Any, cursor: Any, statement: str, params: Any, *_: Any) -> None:
        sent.append((statement, params))

    sa.event.listen(target.engine, "before_cursor_execute", capture)
    try:
        function(target)
    finally:
        sa.event.remove(target.engine, "before_cursor_execute", capture)
    statement, params = next((s, p) for s, p in sent if "scheduled_items" in s)
    postgres = target.engine.dialect.name == "postgresql"
    prefix = "EXPLAIN (ANALYZE, BUFFERS, TIMING OFF) " if postgres else "EXPLAIN QUERY PLAN "
    with target.engine.connect() as conn:
        rows = conn.exec_driver_sql(prefix + statement, params).all()
    return [str(row[0] if postgres else row[-1]) for row in rows]


@contextmanager
def database(kind: str, directory: str, size: int) -> Iterator[str]:
    """Yield the URL of an empty database of one kind, removed afterwards."""
    if kind == "sqlite":
        yield f"sqlite:///{directory}/schedule-{size}.db"
        return
    schema = f"parley_bench_{secrets.token_hex(4)}"
    admin = sa.create_engine(PG_URL, isolation_level="AUTOCOMMIT", poolclass=sa.NullPool)
    with admin.connect() as conn:
        conn.exec_driver_sql(f'CREATE SCHEMA "{schema}"')
    try:
        yield f"{PG_URL}?options=-csearch_path%3D{schema}"
    finally:
        with admin.connect() as conn:
            conn.exec_driver_sql(f'DROP SCHEMA "{schema}" CASCADE')
        admin.dispose()


def run_kind(kind: str, args: argparse.Namespace) -> dict[int, Figures]:
    """Build, fill and measure one database per size, side by side."""
    with ExitStack() as stack:
        tmp = stack.enter_context(tempfile.TemporaryDirectory())
        targets = {}
        for size in args.sizes:
            engine = make_engine(stack.enter_context(database(kind, tmp, size)))
            stack.callback(engine.dispose)
            targets[size] = build(kind, engine, size, args.due)
        return measure(targets, args.runs)


def build(kind: str, engine: sa.Engine, size: int, due: int) -> Target:
    """Migrate and fill one database; print its plans; fail unless they use the index."""
    upgrade(engine)
    started = time.perf_counter()
    populate(engine, size, due)
    print(f"\n{kind}, {size:,} items (loaded in {time.perf_counter() - started:.1f} s)")
    target = Target(engine, make_session_factory(engine), NOW, due)
    for name, (function, _expected) in TIMED.items():
        plan = explain(target, function)
        print(f"  plan of {name}:\n" + "\n".join(f"    {line}" for line in plan))
        if not any(INDEX in line for line in plan):
            raise SystemExit(f"{kind}: {name} does not use {INDEX}")
    return target


def postgres_reachable() -> bool:
    """Say whether the local PostgreSQL answers."""
    try:
        with socket.create_connection(("127.0.0.1", 5432), timeout=1):
            return True
    except OSError:
        return False


def report(kind: str, sizes: list[int], results: dict[int, Figures]) -> bool:
    """Print one database's rows; return whether every ratio is within MAX_RATIO."""
    within = True
    for name in TIMED:
        base = results[sizes[0]][name][0]
        for size in sizes:
            median, p95 = results[size][name]
            ratio = median / base
            within = within and ratio <= MAX_RATIO
            print(
                f"| {kind:<10} | {name:<19} | {size:>9,} | {median:>8.0f} | {p95:>8.0f} | "
                f"{ratio:>5.2f}x |"
            )
    return within


def main() -> None:
    """Run the benchmark, print the table, and exit 1 unless the sweep's cost stays flat."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000, 100_000])
    parser.add_argument("--due", type=int, default=50)
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--no-postgres", action="store_true")
    args = parser.parse_args()
    kinds = ["sqlite"] + ([] if args.no_postgres or not postgres_reachable() else ["postgresql"])
    results = {kind: run_kind(kind, args) for kind in kinds}
    print(f"\n{args.due} items due in each database; {args.runs} runs each, fresh session per run")
    print("| database   | query               |     items | p50 µs   | p95 µs   | ratio  |")
    print("|------------|---------------------|----------:|---------:|---------:|-------:|")
    # Every database's rows are printed before the verdict.
    flat = [report(kind, args.sizes, results[kind]) for kind in kinds]
    if not all(flat):
        raise SystemExit(f"the sweep's cost grew more than {MAX_RATIO}x with the table")


if __name__ == "__main__":
    main()
