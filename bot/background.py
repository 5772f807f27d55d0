"""Background work: translate answers on threads of this process, or on RQ workers.

Both dispatchers start nothing until first used: a preloading server forks its workers after
bootstrap, and threads do not survive a fork. Both also sweep the database every 30 seconds,
so answers left due by a crash, a failure or a lost Redis are enqueued again.
"""

from __future__ import annotations

import logging
import os
import threading
import uuid
from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING, Any

from bot.ports import TranslationError
from bot.services.runtime import Runtime
from bot.services.translations import (
    MAX_ATTEMPTS,
    retry_intervals,
    sweep_translations,
    translate_answer,
)

if TYPE_CHECKING:
    from rq import Queue

log = logging.getLogger(__name__)

SWEEP_SECONDS = 30.0
QUEUE_NAME = "parley"
TRANSLATE_JOB = "bot.jobs.translate_answer"
# RQ job states in which a job will still run by itself: enqueueing it again would duplicate it.
IN_HAND = frozenset({"queued", "started", "deferred"})


class Sweeper:
    """Run sweep_translations at once and then every `interval` seconds, on a daemon thread.

    No interval means no sweeping in this process (RQ deployments may run `bot.jobs.sweep`
    from `rq cron` instead).
    """

    def __init__(self, interval: float | None = SWEEP_SECONDS) -> None:
        self._interval = interval
        self._stop = threading.Event()
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

    def stop(self) -> None:
        """Stop sweeping and wait for a sweep in progress."""
        self._stop.set()
        thread = self._thread
        if thread is not None and thread is not threading.current_thread():
            thread.join(timeout=10)

    def _run(self, rt: Runtime) -> None:
        """Sweep until stopped; a failed sweep is logged and tried again next time."""
        interval = self._interval or SWEEP_SECONDS
        while not self._stop.is_set():
            try:
                sweep_translations(rt)
            except Exception:
                log.exception("translation sweep failed")
            self._stop.wait(interval)


def _bound(rt: Runtime | None) -> Runtime:
    """Return the runtime a dispatcher was bound to, or explain the wiring mistake."""
    if rt is None:
        raise RuntimeError("dispatcher used before bind(runtime): see bot.bootstrap")
    return rt


class InProcessDispatcher:
    """Translate on a small pool of worker threads in this process; the database is the queue."""

    def __init__(self, workers: int = 2, sweep_seconds: float | None = SWEEP_SECONDS) -> None:
        self._workers = workers
        self._sweeper = Sweeper(sweep_seconds)
        self._rt: Runtime | None = None
        self._executor: ThreadPoolExecutor | None = None
        self._pid = 0
        self._closed = False
        # Ids queued or running: a sweep during a slow call must not queue the answer twice.
        self._queued: set[uuid.UUID] = set()
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
        with self._idle:
            pool = self._pool()
            if pool is None or answer_id in self._queued:
                return
            self._queued.add(answer_id)
        pool.submit(self._translate, answer_id)

    def drain(self, timeout: float) -> bool:
        """Wait until nothing is queued or running; say whether that happened in time."""
        with self._idle:
            return self._idle.wait_for(lambda: not self._queued, timeout)

    def close(self) -> None:
        """Stop the sweep, let running translations finish, drop queued ones (they are due)."""
        with self._idle:
            self._closed = True
            pool, self._executor = self._executor, None
        self._sweeper.stop()
        if pool is not None and self._pid == os.getpid():
            pool.shutdown(wait=True, cancel_futures=True)
        with self._idle:
            self._queued.clear()
            self._idle.notify_all()

    def _pool(self) -> ThreadPoolExecutor | None:
        """Return this process's worker pool, starting it (and the sweep) on first use."""
        if self._closed:
            return None
        if self._executor is None or self._pid != os.getpid():
            # A forked child inherits the parent's pool object but none of its threads.
            self._executor = ThreadPoolExecutor(self._workers, "parley-translate")
            self._pid = os.getpid()
            self._queued.clear()
            self._sweeper.start(_bound(self._rt))
        return self._executor

    def _translate(self, answer_id: uuid.UUID) -> None:
        """Run one translation; failures are recorded in the database and retried by the sweep."""
        try:
            translate_answer(_bound(self._rt), answer_id)
        except TranslationError:
            pass  # Recorded and logged by the service; the answer stays pending.
        except Exception:
            log.exception("translating answer %s failed", answer_id)
        finally:
            with self._idle:
                self._queued.discard(answer_id)
                self._idle.notify_all()


class RqDispatcher:
    """Enqueue translations on RQ (Redis) for `rq worker parley`; retried with backoff."""

    def __init__(
        self,
        redis_url: str,
        sweep_seconds: float | None = SWEEP_SECONDS,
        queue_name: str = QUEUE_NAME,
    ) -> None:
        self._redis_url = redis_url
        self._queue_name = queue_name
        self._queue: Queue | None = None
        self._sweeper = Sweeper(sweep_seconds)
        self._rt: Runtime | None = None

    def bind(self, rt: Runtime) -> None:
        """Give the dispatcher the runtime its sweep runs with."""
        self._rt = rt

    def start(self) -> None:
        """Start sweeping the database in this process, so a lost Redis loses nothing."""
        self._sweeper.start(_bound(self._rt))

    def enqueue_translation(self, answer_id: uuid.UUID) -> None:
        """Enqueue bot.jobs.translate_answer for an answer, once: one job id per answer."""
        from rq.exceptions import DuplicateJobError

        queue = self.queue()
        job_id = f"parley-translate-{answer_id}"
        try:
            self._enqueue(queue, answer_id, job_id)
        except DuplicateJobError:
            job = queue.fetch_job(job_id)
            if job is not None and job.get_status(refresh=True) in IN_HAND:
                return
            # Finished, failed or stuck in a schedule no worker serves: the database says
            # the answer is due, so replace the old job.
            if job is not None:
                job.delete()
            self._enqueue(queue, answer_id, job_id)

    def queue(self) -> Queue:
        """Return the RQ queue, connecting on first use."""
        if self._queue is None:
            from redis import Redis
            from rq import Queue

            self._queue = Queue(self._queue_name, connection=Redis.from_url(self._redis_url))
        return self._queue

    def close(self) -> None:
        """Stop the sweep and close the Redis connections."""
        self._sweeper.stop()
        if self._queue is not None:
            self._queue.connection.close()

    @staticmethod
    def _enqueue(queue: Queue, answer_id: uuid.UUID, job_id: str) -> Any:
        """Enqueue the job with RQ's own retries on the service's backoff schedule."""
        from rq import Retry

        retry = Retry(max=MAX_ATTEMPTS - 1, interval=retry_intervals())
        return queue.enqueue(TRANSLATE_JOB, str(answer_id), job_id=job_id, unique=True, retry=retry)
