"""Background work on a pool of threads in this process (no REDIS_URL); the database is the queue.

It starts nothing until first used: a preloading server forks its workers after bootstrap, and
threads do not survive a fork.
"""

from __future__ import annotations

import contextlib
import contextvars
import logging
import os
import threading
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime

from bot.ports import TranslationError
from bot.services.alert_delivery import deliver_alert
from bot.services.runtime import Runtime
from bot.services.scheduled_items import run_item
from bot.services.translations import translate_answer
from bot.tasks.sweep import SWEEP_SECONDS, Sweeper, bound

log = logging.getLogger(__name__)


class InProcessDispatcher:
    """Run work on a small pool of threads in this process; the database is the queue."""

    def __init__(self, workers: int = 2, sweep_seconds: float | None = SWEEP_SECONDS) -> None:
        self._workers = workers
        self._sweeper = Sweeper(sweep_seconds)
        self._rt: Runtime | None = None
        self._executor: ThreadPoolExecutor | None = None
        self._pid = 0
        self._closed = False
        # Work queued or running: a sweep during a slow call must not queue it twice.
        self._queued: set[tuple[str, uuid.UUID]] = set()
        self._idle = threading.Condition()

    def bind(self, rt: Runtime) -> None:
        """Give the dispatcher the runtime its work runs with."""
        self._rt = rt

    def start(self) -> None:
        """Start the worker threads and the sweep, if this process has not yet."""
        with self._idle:
            self._pool()

    def enqueue_translation(self, answer_id: uuid.UUID) -> None:
        """Translate an answer on a worker thread soon."""
        self._submit("translate", answer_id, self._translate)

    def enqueue_item(self, item_id: uuid.UUID, due_at: datetime) -> None:
        """Run a scheduled item on a worker thread now, or let the sweep find it when due."""
        if due_at > bound(self._rt).clock():
            with self._idle:
                self._pool()
            self._sweeper.wake()  # The sweep recomputes its wait from the new soonest item.
            return
        self._submit("item", item_id, self._run_item)

    def enqueue_alert(self, delivery_id: uuid.UUID) -> None:
        """Send an alert delivery on a worker thread soon."""
        self._submit("alert", delivery_id, self._deliver_alert)

    def probes(self) -> dict[str, Callable[[], None]]:
        """Return what readiness checks here: nothing, the work runs in this process."""
        return {}

    def drain(self, timeout: float) -> bool:
        """Wait until nothing is queued or running; say whether that happened in time."""
        with self._idle:
            return self._idle.wait_for(lambda: not self._queued, timeout)

    def close(self) -> None:
        """Stop the sweep, let running work finish, drop queued work (the database has it)."""
        with self._idle:
            self._closed = True
            pool, self._executor = self._executor, None
        self._sweeper.stop()
        if pool is not None and self._pid == os.getpid():
            pool.shutdown(wait=True, cancel_futures=True)
        with self._idle:
            self._queued.clear()
            self._idle.notify_all()

    def _submit(self, kind: str, key: uuid.UUID, work: Callable[[uuid.UUID], None]) -> None:
        """Run `work(key)` on the pool unless the same work is already queued or running."""
        with self._idle:
            pool = self._pool()
            if pool is None or (kind, key) in self._queued:
                return
            self._queued.add((kind, key))
        # The work logs under the id of the request that asked for it (bot/logs.py).
        pool.submit(contextvars.copy_context().run, self._guarded, kind, key, work)

    def _pool(self) -> ThreadPoolExecutor | None:
        """Return this process's worker pool, starting it (and the sweep) on first use."""
        if self._closed:
            return None
        if self._executor is None or self._pid != os.getpid():
            # A forked child inherits the parent's pool object but none of its threads.
            self._executor = ThreadPoolExecutor(self._workers, "parley-background")
            self._pid = os.getpid()
            self._queued.clear()
            self._sweeper.start(bound(self._rt))
        return self._executor

    def _guarded(self, kind: str, key: uuid.UUID, work: Callable[[uuid.UUID], None]) -> None:
        """Run one piece of work; failures are logged, and the database keeps it due."""
        try:
            work(key)
        except Exception:
            log.exception("background %s %s failed", kind, key)
        finally:
            with self._idle:
                self._queued.discard((kind, key))
                self._idle.notify_all()

    def _translate(self, answer_id: uuid.UUID) -> None:
        """Run one translation; provider failures are recorded and retried by the sweep."""
        # A provider failure is recorded and logged by the service; the answer stays pending.
        with contextlib.suppress(TranslationError):
            translate_answer(bound(self._rt), answer_id)

    def _run_item(self, item_id: uuid.UUID) -> None:
        """Run one scheduled item."""
        run_item(bound(self._rt), item_id)

    def _deliver_alert(self, delivery_id: uuid.UUID) -> None:
        """Send one alert delivery."""
        deliver_alert(bound(self._rt), delivery_id)
