"""Does a message cost more when millions of conversations are stored? 10,000 against 1,000,000.

Usage: .venv/bin/python bench/growth.py [--small 10000] [--large 1000000] [--residents 40]

Seeds two PostgreSQL databases with bench/seed_results.py (`parley_growth` with --small
conversations, `parley_bench` with --large, the dashboard benchmark's), then runs the same
residents through the whole survey in one process against each (signed webhooks through Flask's
test client, as bench/profile_turn.py does), alternating rounds, and prints the median time and
the statements per message, and the difference. Then it prints PostgreSQL's plan (EXPLAIN
ANALYZE) of every distinct statement one resident's survey sends, on the large database: each
should find its rows by an index, not by reading a table.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


from bench.profile_turn import counting, drive  # noqa: E402
from bench.seed_results import ensure_seeded  # noqa: E402
from bench.webhooks import TOKEN, answer_script  # noqa: E402

BASE = "postgresql+psycopg://postgres@127.0.0.1:5432/"
# Fixed bench keys: the app checks, at start, the newest respondent against them.
DATA_KEY = "dH955s2D4HWJOH9VVnupidOsFAPP4drpfQCmGZck39A="
HASH_KEY = "WnxYOgLGT6V2AmOJVRO-Kjo8r5uqLIy0Yh4Mb3FVrmI="


_ANALYZE = "ANALYZE, COSTS OFF, TIMING OFF"


@contextmanager
def app_on(url: str) -> Iterator[Any]:
    """Build Parley on a seeded database, with one resident sealed under the bench keys."""
    os.environ.update(
        {
            "DATABASE_URL": url,
            "TWILIO_AUTH_TOKEN": TOKEN,
            "PUBLIC_BASE_URL": "",
            "DATA_KEY": DATA_KEY,
            "ADDRESS_HASH_KEY": HASH_KEY,
            "LOG_LEVEL": "WARNING",
            "MIGRATE_ON_START": "false",
        }
    )
    _seal_one_resident(url)
    from bot import create_app

    app = create_app()
    try:
        yield app
    finally:
        app.extensions["parley.runtime"].close()


def _seal_one_resident(url: str) -> None:
    """Store one real respondent (the seed's are stand-ins), so start-up's key check passes."""
    from datetime import UTC, datetime

    from bot.config.privacy import contact_keys
    from bot.config.settings import Settings
    from storage.contact_cipher import ContactCipher
    from storage.db import make_engine, make_session_factory
    from storage.unit_of_work import SqlAlchemyUnitOfWork

    engine = make_engine(url)
    cipher = ContactCipher(*contact_keys(Settings.from_env()))
    try:
        with SqlAlchemyUnitOfWork(make_session_factory(engine), cipher) as uow:
            uow.respondents.for_update("sms", "+15550100000", datetime.now(UTC))
            uow.commit()
    finally:
        engine.dispose()


def per_message(app: Any, script: list[str], residents: int) -> tuple[float, float]:
    """Run residents through the survey; return milliseconds and statements per message."""
    client = app.test_client()
    with counting() as seen:
        started = time.perf_counter()
        messages = drive(client, script, residents)
        elapsed = time.perf_counter() - started
    return elapsed / messages * 1000, sum(seen.values()) / messages


def plans(app: Any, script: list[str], url: str) -> None:
    """Print EXPLAIN ANALYZE of each distinct statement of one resident's survey."""
    from sqlalchemy import event
    from sqlalchemy.engine import Engine

    captured: dict[str, Any] = {}
    turns = threading.get_ident()  # the webhook's statements, not the background sweep's

    def note(_conn: Any, _cursor: Any, statement: str, params: Any, *_: Any) -> None:
        verb = statement.lstrip().split(None, 1)[0].upper()
        if verb in {"SELECT", "UPDATE", "INSERT", "DELETE"} and threading.get_ident() == turns:
            captured.setdefault(statement, params)

    event.listen(Engine, "before_cursor_execute", note)
    try:
        drive(app.test_client(), script, 1)
    finally:
        event.remove(Engine, "before_cursor_execute", note)
    import psycopg

    with psycopg.connect(url.replace("+psycopg", ""), autocommit=True) as raw:
        for statement, params in captured.items():
            with raw.cursor() as cursor:
                # An insert's plan is the insert; the rest are run (then rolled back) to be seen.
                how = "COSTS OFF" if statement.lstrip().upper().startswith("INSERT") else _ANALYZE
                cursor.execute("BEGIN")
                cursor.execute(f"EXPLAIN ({how}) {statement}", params)
                plan = "\n    ".join(row[0] for row in cursor.fetchall())
                cursor.execute("ROLLBACK")  # EXPLAIN ANALYZE runs the write: undo it
            print(f"\n{' '.join(statement.split())[:160]}\n    {plan}")


def main() -> None:
    """Seed both sizes, compare the per-message cost, print the plans."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--small", type=int, default=10_000)
    parser.add_argument("--large", type=int, default=1_000_000)
    parser.add_argument("--residents", type=int, default=40)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    sizes = {args.small: BASE + "parley_growth", args.large: BASE + "parley_bench"}
    for size, url in sizes.items():
        ensure_seeded(url, size, sys.stdout)
    script = answer_script()
    results: dict[int, list[tuple[float, float]]] = {size: [] for size in sizes}
    for _ in range(args.rounds):
        for size, url in sizes.items():
            with app_on(url) as app:
                drive(app.test_client(), script, 2)  # warm up
                results[size].append(per_message(app, script, args.residents))
    report(results, args, len(script))
    with app_on(sizes[args.large]) as app:
        plans(app, script, sizes[args.large])


def report(results: dict[int, list[tuple[float, float]]], args: Any, steps: int) -> None:
    """Print the per-message cost at each size and the difference."""
    print(f"\n{args.residents} residents x {steps} messages, median of {args.rounds} rounds")
    print("| stored conversations | ms per message | statements per message |")
    print("|---------------------:|---------------:|-----------------------:|")
    medians = {}
    for size, runs in results.items():
        medians[size] = statistics.median(ms for ms, _ in runs)
        print(f"| {size:>20,} | {medians[size]:>14.2f} | {runs[0][1]:>22.1f} |")
    small, large = medians[args.small], medians[args.large]
    print(f"difference: {(large - small) / small * 100:+.1f}%")


if __name__ == "__main__":
    main()
