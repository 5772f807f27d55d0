"""Background work: scheduled sends and translations, on threads of this process or on RQ.

Both dispatchers start nothing until first used: a preloading server forks its workers after
bootstrap, and threads do not survive a fork. Both also sweep the database (every 30 seconds,
sooner when an item falls due), so work left due by a crash, a failure or a lost Redis is
handed out again: the database, not the queue, says what is due.
"""

from __future__ import annotations

import contextlib
import logging
import os
import threading
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime

from bot.ports import TranslationError
from bot.services.runtime import Runtime
from bot.services.schedule import run_item, sweep_items
from bot.services.translations import sweep_translations, translate_answer

log = logging.getLogger(__name__)

SWEEP_SECONDS = 30.0
# Never sweep more often than this, however soon the next item falls due.
MIN_WAIT_SECONDS = 0.5
QUEUE_NAME = "parley"
TRANSLATE_JOB = "bot.jobs.translate_answer"
ITEM_JOB = "bot.jobs.run_item"
# RQ job states in which a job will still run by itself: enqueueing it again would duplicate it.
IN_HAND = frozenset({"queued", "started", "deferred", "scheduled"})
# Unexpected errors in an item job (the database was down): RQ tries again after these waits.
ITEM_RETRY_SECONDS = [10, 60, 300]


def sweep_once(rt: Runtime) -> datetime | None:
    """Hand out every due item and translation; return when the next item falls due."""
    if rt.translator is not None:
        sweep_translations(rt)
    return sweep_items(rt)


class Sweeper:
    """Run sweep_once at once and then every `interval` seconds (or sooner), on a daemon thread.

    No interval means no sweeping in this process (tests sweep by hand; RQ deployments may
    run `bot.jobs.sweep` from `rq cron` instead).
    """

    def __init__(self, interval: float | None = SWEEP_SECONDS) -> None:
        self._interval = interval
        self._stop = threading.Event()
        self._wake = threading.Event()
        self._thread: threading.Thread | None = None
        self._pid = 0
        self._lock = threading.Lock()

    def start(self, rt: Runtime) -> None:
        """Start sweeping for `rt`, unless this process already is."""
        with self._lock:
            if self._interval is None or self._pid == os.getpid() or self._stop.is_set():
                return
            self._pid = os.getpid()
            self._thread = threading.Thread(
                target=self._run, args=(rt,), name="parley-sweep", daemon=True
            )
            self._thread.start()

    def wake(self) -> None:
        """Sweep again now rather than at the end of the wait (new work falls due soon)."""
        self._wake.set()

    def stop(self) -> None:
        """Stop sweeping and wait for a sweep in progress."""
        self._stop.set()
        self._wake.set()
        thread = self._thread
        if thread is not None and thread is not threading.current_thread():
            thread.join(timeout=10)

    def _run(self, rt: Runtime) -> None:
        """Sweep until stopped; a failed sweep is logged and tried again next time."""
        interval = self._interval or SWEEP_SECONDS
        while not self._stop.is_set():
            upcoming = None
            try:
                upcoming = sweep_once(rt)
            except Exception:
                log.exception("background sweep failed")
            self._wake.wait(_wait(rt, upcoming, interval))
            self._wake.clear()


def _wait(rt: Runtime, upcoming: datetime | None, interval: float) -> float:
    """Return how long to wait before the next sweep."""
    if upcoming is None:
        return interval
    until = (upcoming - rt.clock()).total_seconds()
    return min(interval, max(MIN_WAIT_SECONDS, until))


def bound(rt: Runtime | None) -> Runtime:
    """Return the runtime a dispatcher was bound to, or explain the wiring mistake."""
    if rt is None:
        raise RuntimeError("dispatcher used before bind(runtime): see bot.bootstrap")
    return rt


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
        pool.submit(self._guarded, kind, key, work)

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
