"""Where a webhook turn's time goes: SQL statements per message and the profile's top items.

Usage: .venv/bin/python bench/profile_turn.py [--residents 40] [--sqlite] [--top 20]
Runs residents through the whole survey in one process (Flask's test client: no HTTP, no
gunicorn, so the profile shows Parley's own work), counting the statements each message sends
to the database and profiling with cProfile. Prints statements per message by kind, then the
functions with the most time of their own and the most time under them.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import pstats
import re
import secrets
import sys
import tempfile
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from twilio.request_validator import RequestValidator  # noqa: E402

from bench.webhooks import TOKEN, answer_script, parley_env, postgres_url  # noqa: E402

SMS_PATH = "/webhooks/twilio/sms"


def _kind(statement: str) -> str:
    """Name a statement by its verb and first table ("SELECT respondents")."""
    verb = statement.split(None, 1)[0].upper()
    table = re.search(r"\b(?:FROM|INTO|UPDATE)\s+\"?(\w+)", statement, re.IGNORECASE)
    return f"{verb} {table.group(1) if table else ''}".strip()


@contextmanager
def counting() -> Iterator[Counter[str]]:
    """Count the statements every engine sends, by kind, while the block runs."""
    from sqlalchemy import event
    from sqlalchemy.engine import Engine

    seen: Counter[str] = Counter()

    def note(_conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        seen[_kind(statement)] += 1

    event.listen(Engine, "before_cursor_execute", note)
    try:
        yield seen
    finally:
        event.remove(Engine, "before_cursor_execute", note)


def drive(client: Any, script: list[str], residents: int) -> int:
    """Send every resident's whole survey as signed webhooks; return the messages sent."""
    validator = RequestValidator(TOKEN)
    url = "http://localhost" + SMS_PATH
    for _ in range(residents):
        number = f"+1555{secrets.randbelow(10**7):07d}"
        for text in script:
            form = {"MessageSid": "SM" + secrets.token_hex(16), "From": number, "Body": text}
            headers = {"X-Twilio-Signature": validator.compute_signature(url, form)}
            response = client.post(SMS_PATH, data=form, headers=headers)
            assert response.status_code == 200, response.get_data(as_text=True)[:200]
    return residents * len(script)


def build_app(database_url: str) -> Any:
    """Build Parley's app as wsgi.py does, from an environment like the benchmark's."""
    import os

    os.environ.update({**parley_env(database_url), "LOG_LEVEL": "WARNING"})
    from bot import create_app

    return create_app()


def main() -> None:
    """Profile the turns and print the report."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--residents", type=int, default=40)
    parser.add_argument("--sqlite", action="store_true")
    parser.add_argument("--top", type=int, default=20)
    args = parser.parse_args()
    script = answer_script()
    tmp = tempfile.mkdtemp()
    database = postgres_url() if not args.sqlite else _nullcontext(f"sqlite:///{tmp}/p.db")
    with database as url:
        app = build_app(url)
        client = app.test_client()
        drive(client, script, 3)  # warm up: flows cached, pools filled
        report(app, client, script, args)
        app.extensions["parley.runtime"].close()


def report(_app: Any, client: Any, script: list[str], args: argparse.Namespace) -> None:
    """Profile the residents' turns and print statements per message and the top functions."""
    profiler = cProfile.Profile()
    with counting() as seen:
        profiler.enable()
        messages = drive(client, script, args.residents)
        profiler.disable()
    total = sum(seen.values())
    print(f"{messages} messages, {total / messages:.1f} statements per message:")
    for kind, count in seen.most_common():
        print(f"  {count / messages:5.2f}  {kind}")
    for order in ("tottime", "cumulative"):
        out = io.StringIO()
        stats = pstats.Stats(profiler, stream=out).strip_dirs().sort_stats(order)
        stats.print_stats(args.top)
        print(f"\n--- top {args.top} by {order} ---")
        print("\n".join(out.getvalue().splitlines()[6:]))


@contextmanager
def _nullcontext(value: str) -> Iterator[str]:
    """Yield a value (the SQLite URL) where PostgreSQL yields a schema's URL."""
    yield value


if __name__ == "__main__":
    main()
