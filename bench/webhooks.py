"""Residents completing the survey over signed webhooks against gunicorn, vs a bare endpoint.

Usage: .venv/bin/python bench/webhooks.py [--residents 60] [--concurrency 8] [--no-postgres]
Prints messages per second, p50/p99 latency, and Parley's throughput as a share of a bare Flask
endpoint served the same way (the floor of the stack).
"""

from __future__ import annotations

import argparse
import os
import secrets
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import requests  # noqa: E402
from twilio.request_validator import RequestValidator  # noqa: E402

TOKEN = "bench-auth-token"
PG_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
ANSWERS = {"yes_no": "yes", "scale": "4", "nps": "9", "choice": "1", "text": "All good, thanks."}


def answer_script(language: str = "en") -> list[str]:
    """Walk the default survey with the engine to find what a resident types, in order."""
    from bot.engine.conversation import Context, begin, step
    from bot.flows.files import load_flows
    from bot.flows.locales import load_locales

    flow = load_flows(ROOT / "flows")["post_contact"]
    ctx = Context(locales=load_locales(ROOT / "locales"), values={})
    now = datetime.now(UTC)
    state = begin(flow, language, ctx).state
    script = [flow.keywords[language][0]]
    while state.node_id is not None:
        text = ANSWERS[flow.nodes[state.node_id].kind.value]
        script.append(text)
        state = step(flow, state, text, now, ctx).state
    return script


def free_port() -> int:
    """Ask the OS for a free loopback port."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def served(module: str, env: dict[str, str]) -> Iterator[str]:
    """Serve `module:app` with Parley's gunicorn settings; yield the base URL."""
    port = free_port()
    full_env = {**os.environ, **env, "PORT": str(port), "LOG_LEVEL": "WARNING"}
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "-c",
        "gunicorn.conf.py",
        "--access-logfile",
        "/dev/null",
        f"{module}:app",
    ]
    process = subprocess.Popen(command, cwd=ROOT, env=full_env, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(base, process)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=30)


def wait_until_up(base: str, process: subprocess.Popen[bytes]) -> None:
    """Wait (at most 60 s) for the server to accept connections."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"server exited with {process.returncode}")
        try:
            requests.get(base + "/healthz", timeout=1)
            return
        except requests.ConnectionError:
            time.sleep(0.2)
    raise SystemExit("server did not start")


def resident(base: str, script: list[str]) -> list[float]:
    """Send one resident's whole survey as signed webhooks; return each request's latency."""
    number = f"+1555{secrets.randbelow(10**7):07d}"
    url = base + "/webhooks/twilio/sms"
    validator = RequestValidator(TOKEN)
    latencies = []
    with requests.Session() as http:
        for text in script:
            form = {"MessageSid": "SM" + secrets.token_hex(16), "From": number, "Body": text}
            headers = {"X-Twilio-Signature": validator.compute_signature(url, form)}
            started = time.perf_counter()
            response = http.post(url, data=form, headers=headers, timeout=30)
            latencies.append(time.perf_counter() - started)
            if response.status_code != 200:
                raise SystemExit(f"{response.status_code}: {response.text[:200]}")
    return latencies


def load(base: str, script: list[str], residents: int, concurrency: int) -> Run:
    """Run `residents` surveys, `concurrency` at a time; return the time and latencies."""
    started = time.perf_counter()
    with ThreadPoolExecutor(concurrency) as pool:
        runs = list(pool.map(lambda _: resident(base, script), range(residents)))
    return Run(time.perf_counter() - started, [x for run in runs for x in run])


@dataclass
class Run:
    """One load run against one server."""

    elapsed: float
    latencies: list[float]

    @property
    def rate(self) -> float:
        """Messages per second."""
        return len(self.latencies) / self.elapsed


def summarise(runs: list[Run]) -> dict[str, float]:
    """Median rate over rounds; latency percentiles over every request of every round."""
    latencies = sorted(x for run in runs for x in run.latencies)
    return {
        "messages": len(latencies),
        "rate": statistics.median(run.rate for run in runs),
        "p50": statistics.median(latencies) * 1000,
        "p99": latencies[int(len(latencies) * 0.99) - 1] * 1000,
    }


@contextmanager
def postgres_url() -> Iterator[str]:
    """Create a throwaway schema on the local PostgreSQL; yield a URL that uses it."""
    import sqlalchemy as sa

    schema = f"parley_bench_{secrets.token_hex(4)}"
    admin = sa.create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    try:
        yield f"{PG_URL}?options=-csearch_path%3D{schema}"
    finally:
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))


def parley_env(database_url: str) -> dict[str, str]:
    """Environment for Parley under the benchmark (fresh contact-detail keys for its database)."""
    from bot.config.privacy import new_key

    return {
        "DATABASE_URL": database_url,
        "TWILIO_AUTH_TOKEN": TOKEN,
        "PUBLIC_BASE_URL": "",
        "DATA_KEY": new_key(),
        "ADDRESS_HASH_KEY": new_key(),
    }


def report(name: str, figures: dict[str, float], floor: float) -> None:
    """Print one row of the result table."""
    share = figures["rate"] / floor * 100
    print(
        f"| {name:<27} | {figures['messages']:>8.0f} | {figures['rate']:>9.1f} | "
        f"{figures['p50']:>8.1f} | {figures['p99']:>8.1f} | {share:>6.0f}% |"
    )


def main() -> None:
    """Run the benchmark and print a Markdown table."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--residents", type=int, default=60)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--no-postgres", action="store_true")
    args = parser.parse_args()
    script = answer_script()
    print(
        f"{args.residents} residents x {len(script)} messages, {args.concurrency} at a time, "
        f"median of {args.rounds} alternating rounds; gunicorn.conf.py "
        f"({os.environ.get('WEB_CONCURRENCY', 'default')} workers)"
    )
    print("| server                      | messages |  msgs/s   | p50 ms   | p99 ms   | share  |")
    print("|-----------------------------|---------:|----------:|---------:|---------:|-------:|")
    targets = ["sqlite"] + ([] if args.no_postgres else ["postgresql"])
    for kind in targets:
        with (
            tempfile.TemporaryDirectory() as tmp,
            postgres_url() if kind == "postgresql" else _sqlite(tmp) as url,
            served("bench.bare_app", {}) as bare,
            served("wsgi", parley_env(url)) as parley,
        ):
            floor, figures = compare(bare, parley, script, args)
            check_completed(url, (args.residents + 5) * args.rounds)
        name = "PostgreSQL" if kind == "postgresql" else "SQLite"
        report(f"bare Flask ({name} run)", floor, floor["rate"])
        report(f"Parley on {name}", figures, floor["rate"])


def compare(
    bare: str, parley: str, script: list[str], args: argparse.Namespace
) -> tuple[dict[str, float], dict[str, float]]:
    """Load the bare endpoint and Parley in alternating rounds, so drift hits both alike."""
    bare_runs, parley_runs = [], []
    for _ in range(args.rounds):
        load(bare, script, 5, args.concurrency)  # warm-up
        bare_runs.append(load(bare, script, args.residents, args.concurrency))
        load(parley, script, 5, args.concurrency)
        parley_runs.append(load(parley, script, args.residents, args.concurrency))
    return summarise(bare_runs), summarise(parley_runs)


def check_completed(database_url: str, expected: int) -> None:
    """Fail loudly unless every simulated resident really completed the survey."""
    import sqlalchemy as sa

    engine = sa.create_engine(database_url, poolclass=sa.NullPool)
    with engine.connect() as conn:
        query = "SELECT count(*) FROM conversations WHERE status = 'completed'"
        completed = conn.execute(sa.text(query)).scalar_one()
    engine.dispose()
    if completed != expected:
        raise SystemExit(f"only {completed} of {expected} surveys completed: figures invalid")


@contextmanager
def _sqlite(directory: str) -> Iterator[str]:
    """Yield a SQLite file URL in a temporary directory."""
    yield f"sqlite:///{directory}/bench.db"


if __name__ == "__main__":
    main()
