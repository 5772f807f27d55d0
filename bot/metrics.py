"""Prometheus metrics: what happened (counters, a latency histogram) and what is waiting (gauges).

Counters and the histogram live in each process; under gunicorn (several processes) and with
RQ workers on the same machine they are written to PROMETHEUS_MULTIPROC_DIR (gunicorn.conf.py
sets it) and summed at scrape time. The backlog gauges are counted from the database at scrape
time instead, so every process reports the same truth and none has to keep it up to date.
Labels are channels, directions, statuses and kinds: never a number, a chat id or an answer.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Sequence
from datetime import datetime
from typing import TYPE_CHECKING

from prometheus_client import REGISTRY, CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.multiprocess import MultiProcessCollector

if TYPE_CHECKING:
    from storage.queries import Backlog

MULTIPROC_DIR = "PROMETHEUS_MULTIPROC_DIR"

MESSAGES = Counter(
    "parley_messages_total",
    "Messages in and out, by channel, direction and the status they reached",
    ["channel", "direction", "status"],
)
CONVERSATIONS = Counter(
    "parley_conversation_outcomes_total",
    "Conversations reaching a status (scheduled, active, completed, expired, opted_out...)",
    ["status"],
)
RETRIES = Counter(
    "parley_send_retries_total", "Scheduled items tried again after a failure, by kind", ["kind"]
)
WEBHOOK_SECONDS = Histogram(
    "parley_webhook_seconds",
    "Time to answer a provider's webhook, by endpoint",
    ["endpoint"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0),
)


def record(changes: Sequence[tuple[str, ...]]) -> None:
    """Count what a committed unit of work changed (storage/observe.py)."""
    for change in changes:
        kind, labels = change[0], change[1:]
        if kind == "message":
            MESSAGES.labels(*labels).inc()
        elif kind == "conversation":
            CONVERSATIONS.labels(*labels).inc()
        elif kind == "retry":
            RETRIES.labels(*labels).inc()


class _Backlog:
    """A collector that counts the backlog from the database on every scrape."""

    def __init__(self, read: Callable[[datetime], Backlog], now: datetime) -> None:
        self._read, self._now = read, now

    def collect(self) -> Iterable[Metric]:
        """Yield the due, overdue and translation gauges."""
        backlog = self._read(self._now)
        due = GaugeMetricFamily(
            "parley_scheduled_due", "Scheduled items due and not yet done", labels=["kind"]
        )
        overdue = GaugeMetricFamily(
            "parley_scheduled_overdue",
            "Scheduled items still pending two minutes after falling due",
            labels=["kind"],
        )
        for family, counts in ((due, backlog.due), (overdue, backlog.overdue)):
            for kind, total in sorted(counts.items()):
                family.add_metric([kind], total)
        queue = GaugeMetricFamily("parley_translations_pending", "Answers waiting for translation")
        queue.add_metric([], backlog.translations)
        return [due, overdue, queue]


def exposition(read_backlog: Callable[[datetime], Backlog] | None, now: datetime) -> bytes:
    """Return every metric in Prometheus' text format: all processes', then the backlog."""
    if os.environ.get(MULTIPROC_DIR):
        processes = CollectorRegistry()
        MultiProcessCollector(processes)  # type: ignore[no-untyped-call]
        text = generate_latest(processes)
    else:
        text = generate_latest(REGISTRY)
    if read_backlog is not None:
        backlog = CollectorRegistry()
        backlog.register(_Backlog(read_backlog, now))
        text += generate_latest(backlog)
    return text
