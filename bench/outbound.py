"""The 09:00 storm: thousands of first texts due at once, sent at a short code's pace.

Usage: .venv/bin/python bench/outbound.py [--texts 10000] [--pace 100] [--servers 2] [--workers 2]

On a throwaway PostgreSQL schema and a Redis database of its own (REDIS_URL, default
redis://127.0.0.1:6379/7, flushed), it asks for --texts SMS surveys through the service layer
in this process, all due at the same moment, then starts --servers gunicorn servers and
--workers RQ workers (`python -m bot worker`) with SMS_SEGMENTS_PER_SECOND=--pace, and lets them
send every first text through the Twilio stand-in. Meanwhile residents answer surveys of their
own through the servers, and their webhook latency is measured: before the storm, during it,
and against the bare Flask endpoint. It prints segments per second against the pace, texts
sent twice (none expected), sends out of due-time order, and the latency figures.
"""

from __future__ import annotations

import argparse
import os
import secrets
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


from bench.webhooks import postgres_url, served  # noqa: E402
from tests.integration import processes  # noqa: E402
from tests.standins import TwilioStandIn, twilio_standin  # noqa: E402

REDIS = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/7")


class TimedTwilio:
    """Note when each create reached the Twilio stand-in (monotonic seconds)."""

    def __init__(self, standin: TwilioStandIn) -> None:
        self.standin = standin
        self.times: list[float] = []
        original = standin.respond

        def respond(path: str, form: dict[str, str]) -> tuple[int, dict[str, object]]:
            self.times.append(time.monotonic())
            return original(path, form)

        standin.respond = respond  # type: ignore[method-assign]


def ask_for_surveys(url: str, count: int, due: datetime) -> dict[str, datetime]:
    """Ask for `count` SMS surveys (the real service), due from `due` a millisecond apart.

    Returns each number's due time. They fall due together, as at the end of quiet hours, but
    each a little after the one before, so the order they leave in can be checked.
    """
    from bot.bootstrap import bootstrap
    from bot.config.settings import Settings
    from bot.scheduling.model import SendPolicy
    from bot.services.surveys import SurveyRequest, start_survey

    asked_at = due - timedelta(minutes=10)
    policy = SendPolicy(delay=timedelta(minutes=10), quiet_hours=None, frequency_cap=timedelta(0))
    settings = Settings.from_env().with_overrides(
        database_url=url, send_policy=policy, redis_url="", sweep_seconds=None
    )
    tick = [asked_at]
    rt = bootstrap(settings, clock=lambda: tick[0])
    numbers: dict[str, datetime] = {}
    try:
        for n in range(count):
            tick[0] = asked_at + timedelta(milliseconds=n)
            number = f"+1555{n:07d}"
            request = SurveyRequest("sms", number, "post_contact", language="en")
            started = start_survey(rt, request)
            assert started.status == "scheduled", started
            numbers[number] = tick[0] + policy.delay
    finally:
        rt.close()
    return numbers


@contextmanager
def latency_probe(bases: list[str], script: list[str]) -> Iterator[list[float]]:
    """Have residents answer surveys through the servers, in turn, while the block runs."""
    latencies: list[float] = []
    failures: list[int] = []
    stop = threading.Event()

    def resident(k: int) -> None:
        while not stop.is_set():
            number = f"+1556{secrets.randbelow(10**7):07d}"
            for step, text in enumerate(script):
                base = bases[(k + step) % len(bases)]  # alternating servers, as a balancer does
                began = time.perf_counter()
                response = processes.post_sms(base, processes.inbound(number, text))
                latencies.append(time.perf_counter() - began)
                if response.status_code != 200:
                    failures.append(response.status_code)
                time.sleep(0.2)

    threads = [threading.Thread(target=resident, args=(k,), daemon=True) for k in range(4)]
    for thread in threads:
        thread.start()
    try:
        yield latencies
    finally:
        stop.set()
        for thread in threads:
            thread.join(timeout=60)
        if failures:
            print(f"webhook answers other than 200: {len(failures)} ({sorted(set(failures))})")


def percentiles(latencies: list[float]) -> str:
    """Say p50 and p99 in milliseconds."""
    ordered = sorted(latencies)
    p99 = ordered[max(int(len(ordered) * 0.99) - 1, 0)]
    return f"p50 {statistics.median(ordered) * 1000:.1f} ms, p99 {p99 * 1000:.1f} ms"


def main() -> None:
    """Run the storm and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--texts", type=int, default=10_000)
    parser.add_argument("--pace", type=float, default=100.0)
    parser.add_argument("--servers", type=int, default=2)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    from bot.config.privacy import new_key

    _flush(REDIS)
    with ExitStack() as stack:
        url = stack.enter_context(postgres_url())
        tmp = Path(stack.enter_context(tempfile.TemporaryDirectory()))
        twilio = TimedTwilio(stack.enter_context(twilio_standin()))
        keys = {"DATA_KEY": new_key(), "ADDRESS_HASH_KEY": new_key()}
        # The send rules at send time (the workers') match those the surveys were asked under.
        pace = {"SMS_SEGMENTS_PER_SECOND": str(args.pace), "SURVEY_DELAY_MINUTES": "10"}
        env = processes.parley_env(url, twilio.standin.url, tmp, REDIS_URL=REDIS, **pace, **keys)
        os.environ.update({k: v for k, v in env.items() if k in _KEYS})
        _migrate(url)
        storm(stack, args, url, env, tmp, twilio)


def storm(
    stack: ExitStack, args: Any, url: str, env: dict[str, str], tmp: Path, twilio: TimedTwilio
) -> None:
    """Ask for the surveys, start the processes, and measure the sends and the webhooks."""
    script = [text for _, text in processes.answer_script()]
    script = ["SURVEY", *script]
    bare = stack.enter_context(served("bench.bare_app", {}))
    bases = [stack.enter_context(processes.server(env, tmp / f"web{i}.log")) for i in range(2)]
    with latency_probe([bare], script) as floor:
        time.sleep(20)
    with latency_probe(bases, script) as idle:
        time.sleep(20)
    due = datetime.now(UTC) + timedelta(seconds=5)
    began = time.perf_counter()
    asked = ask_for_surveys(url, args.texts, due)
    print(f"asked for {args.texts:,} surveys in {time.perf_counter() - began:.1f} s", flush=True)
    with latency_probe(bases, script) as during:
        stack.enter_context(processes.workers(env, tmp / "workers.log", args.workers))
        finished = processes.wait_for(lambda: _firsts(twilio, asked) >= args.texts, 3600, 1)
    report(args, twilio, asked, finished, floor, idle, during)


def _firsts(twilio: TimedTwilio, asked: dict[str, datetime]) -> int:
    """Count the first texts sent to the asked numbers so far."""
    return sum(1 for record in list(twilio.standin.sent) if record.get("To") in asked)


def report(
    args: Any,
    twilio: TimedTwilio,
    asked: dict[str, datetime],
    finished: bool,
    floor: list[float],
    idle: list[float],
    during: list[float],
) -> None:
    """Print pace, duplicates, order and latency."""
    from bot.i18n.sms import segments

    pairs = [
        (when, record)
        for when, record in zip(twilio.times, list(twilio.standin.sent), strict=False)
        if record.get("To") in asked
    ]
    sent = [record for _, record in pairs]
    tos = [record["To"] for record in sent]
    total = sum(segments(record["Body"]) for record in sent)
    elapsed = pairs[-1][0] - pairs[0][0] if len(pairs) > 1 else 0.0
    rate = total / elapsed if elapsed else 0.0
    print(f"\n{len(sent):,} of {args.texts:,} first texts sent{'' if finished else ' (timed out)'}")
    print(f"{total:,} segments in {elapsed:.1f} s: {rate:.1f} segments/s, ")
    print(f"  {rate / args.pace * 100:.0f}% of SMS_SEGMENTS_PER_SECOND={args.pace:g}")
    print(f"sent twice: {len(tos) - len(set(tos))}")
    late = _inversions([asked[to] for to in tos])
    print(f"sent after a text due more than a second later: {late}")
    print(f"webhook, bare endpoint:        {percentiles(floor)}")
    print(f"webhook, Parley before storm:  {percentiles(idle)}")
    print(f"webhook, Parley during storm:  {percentiles(during)}")


def _inversions(due: list[datetime]) -> int:
    """Count entries earlier than the latest before them by more than a second."""
    latest: datetime | None = None
    late = 0
    for moment in due:
        if latest is not None and moment < latest - timedelta(seconds=1):
            late += 1
        latest = moment if latest is None else max(latest, moment)
    return late


# What this process needs of the servers' environment to ask for surveys on their database.
_KEYS = (
    "DATABASE_URL",
    "TWILIO_ACCOUNT_SID",
    "TWILIO_AUTH_TOKEN",
    "TWILIO_FROM_NUMBER",
    "TWILIO_API_BASE_URL",
    "PUBLIC_BASE_URL",
    "DATA_KEY",
    "ADDRESS_HASH_KEY",
)


def _migrate(url: str) -> None:
    """Bring the schema up to date, as the migrate unit does before the processes start."""
    from storage.db import make_engine, upgrade

    engine = make_engine(url)
    try:
        upgrade(engine)
    finally:
        engine.dispose()


def _flush(redis_url: str) -> None:
    """Start from an empty Redis database."""
    import redis

    client = redis.Redis.from_url(redis_url)
    client.flushdb()
    client.close()


if __name__ == "__main__":
    main()
