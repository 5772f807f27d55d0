"""The sweep: the database says what is due; every dispatcher hands that work out again.

Both dispatchers start nothing until first used: a preloading server forks its workers after
bootstrap, and threads do not survive a fork. Both also sweep the database (every 30 seconds,
sooner when an item falls due), so work left due by a crash, a failure or a lost Redis is
handed out again: the database, not the queue, says what is due.
"""

from __future__ import annotations

import logging
import os
import threading
from datetime import datetime, timedelta

from bot.services.alert_delivery import sweep_alerts
from bot.services.retention import RetentionReport, run_retention
from bot.services.runtime import Runtime
from bot.services.scheduled_items import sweep_items
from bot.services.translations import sweep_translations

log = logging.getLogger(__name__)

SWEEP_SECONDS = 30.0
# Never sweep more often than this, however soon the next item falls due.
MIN_WAIT_SECONDS = 0.5
QUEUE_NAME = "parley"
TRANSLATE_JOB = "bot.tasks.jobs.translate_answer"
ITEM_JOB = "bot.tasks.jobs.run_item"
ALERT_JOB = "bot.tasks.jobs.deliver_alert"
# RQ job states in which a job will still run by itself: enqueueing it again would duplicate it.
IN_HAND = frozenset({"queued", "started", "deferred", "scheduled"})
# Retention erases what fell due at most this often per process: the database says what is
# due, so a process that stops (or a lost Redis) loses nothing; the next run does it.
RETENTION_EVERY = timedelta(hours=1)
# Unexpected errors in an item job (the database was down): RQ tries again after these waits.
ITEM_RETRY_SECONDS = [10, 60, 300]

# A fork copies every lock a thread holds at that instant into the child, held, and no thread
# of the child will ever release it. RQ forks its scheduler and a work horse per job while the
# sweep runs on its thread; a sweep reading a job's dates holds _strptime's lock, and a
# scheduler forked then hung on it for good, leaving every scheduled job unsent. So a fork
# waits for the sweep in progress and no sweep starts during one (see _fork_guard).
_SWEEPING = threading.RLock()
_guarded: list[bool] = []


def sweep_once(rt: Runtime) -> datetime | None:
    """Hand out every due item, translation and alert; return when the next item falls due."""
    if rt.translator is not None:
        sweep_translations(rt)
    sweep_alerts(rt)
    return sweep_items(rt)


class Sweeper:
    """Run sweep_once at once and then every `interval` seconds (or sooner), on a daemon thread.

    No interval means no sweeping in this process (tests sweep by hand; RQ deployments may
    run `bot.tasks.jobs.sweep` from `rq cron` instead).
    """

    def __init__(self, interval: float | None = SWEEP_SECONDS) -> None:
        self._interval = interval
        self._stop = threading.Event()
        self._wake = threading.Event()
        self._thread: threading.Thread | None = None
        self._pid = 0
        self._lock = threading.Lock()
        self._retained_at: datetime | None = None

    def start(self, rt: Runtime) -> None:
        """Start sweeping for `rt`, unless this process already is."""
        with self._lock:
            if self._interval is None or self._pid == os.getpid() or self._stop.is_set():
                return
            self._pid = os.getpid()
            _fork_guard()
            self._thread = threading.Thread(
                target=self._run, args=(rt,), name="parley-sweep", daemon=True
            )
            self._thread.start()

    def retain(self, rt: Runtime) -> RetentionReport | None:
        """Run retention unless this process did within the hour; return its counts if run.

        It takes the fork guard per batch, never for the whole run, so a long first run does
        not hold up RQ's forks; a failed run is tried again an hour later, not every sweep.
        """
        now = rt.clock()
        if self._retained_at is not None and now - self._retained_at < RETENTION_EVERY:
            return None
        self._retained_at = now
        return run_retention(rt, now, guard=_SWEEPING)

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
                with _SWEEPING:
                    upcoming = sweep_once(rt)
                self.retain(rt)
            except Exception as exc:
                if not rt.unavailable(exc):
                    log.exception("background sweep failed")
                else:  # the database is down or restarting: no bug, and the next sweep retries
                    log.warning("background sweep: database unavailable (%s)", type(exc).__name__)
            self._wake.wait(_wait(rt, upcoming, interval))
            self._wake.clear()


def _fork_guard() -> None:
    """Make every fork of this process wait for a sweep in progress (once per process).

    Registered when the first sweep starts, after the libraries' own hooks: before-fork hooks
    run newest first, so the fork waits for the sweep before any library takes its locks.
    """
    with _SWEEPING:
        if not _guarded:
            os.register_at_fork(
                before=_SWEEPING.acquire,
                after_in_parent=_SWEEPING.release,
                after_in_child=_SWEEPING.release,
            )
            _guarded.append(True)


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
