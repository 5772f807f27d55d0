"""Background work on RQ (Redis), run by `python -m bot worker`; the database stays the truth.

Every job id names its work (and, for scheduled items, the moment it is due), so enqueueing the
same work twice queues it once. Redis being down never fails the caller: the work is already
in the database, and the sweep hands it out once Redis is back.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, Any

from bot.logs import request_id
from bot.services.runtime import Runtime
from bot.services.translations import MAX_ATTEMPTS, retry_intervals
from bot.tasks.sweep import (
    ALERT_JOB,
    IN_HAND,
    ITEM_JOB,
    ITEM_RETRY_SECONDS,
    QUEUE_NAME,
    SWEEP_SECONDS,
    TRANSLATE_JOB,
    Sweeper,
    bound,
)

if TYPE_CHECKING:
    from rq import Queue

log = logging.getLogger(__name__)
# Seconds to wait for Redis to connect or answer.
REDIS_TIMEOUT = 5.0


class RqDispatcher:
    """Enqueue work on RQ for `python -m bot worker`; retried with backoff."""

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
        self._sweeper.start(bound(self._rt))

    def enqueue_translation(self, answer_id: uuid.UUID) -> None:
        """Enqueue bot.tasks.jobs.translate_answer for an answer, once: one job id per answer."""
        from rq import Retry

        retry = Retry(max=MAX_ATTEMPTS - 1, interval=retry_intervals())
        self._once(f"parley-translate-{answer_id}", TRANSLATE_JOB, str(answer_id), retry, None)

    def enqueue_item(self, item_id: uuid.UUID, due_at: datetime) -> None:
        """Enqueue bot.tasks.jobs.run_item for a scheduled item at its due time, once each."""
        from rq import Retry

        retry = Retry(max=len(ITEM_RETRY_SECONDS), interval=ITEM_RETRY_SECONDS)
        job_id = f"parley-item-{item_id}-{int(due_at.timestamp())}"
        later = due_at if due_at > bound(self._rt).clock() else None
        self._once(job_id, ITEM_JOB, str(item_id), retry, later)

    def enqueue_alert(self, delivery_id: uuid.UUID) -> None:
        """Enqueue bot.tasks.jobs.deliver_alert for a delivery, once: one job id per delivery."""
        from rq import Retry

        retry = Retry(max=len(ITEM_RETRY_SECONDS), interval=ITEM_RETRY_SECONDS)
        self._once(f"parley-alert-{delivery_id}", ALERT_JOB, str(delivery_id), retry, None)

    def queue(self) -> Queue:
        """Return the RQ queue, connecting on first use."""
        if self._queue is None:
            from redis import Redis
            from rq import Queue

            # Bounded waits: a Redis that stops answering must not hold a webhook or /readyz.
            connection = Redis.from_url(
                self._redis_url, socket_connect_timeout=REDIS_TIMEOUT, socket_timeout=REDIS_TIMEOUT
            )
            self._queue = Queue(self._queue_name, connection=connection)
        return self._queue

    def probes(self) -> dict[str, Callable[[], None]]:
        """Return what readiness checks here: that Redis answers."""
        return {"redis": self._ping}

    def _ping(self) -> None:
        """Raise unless Redis answers."""
        self.queue().connection.ping()

    def close(self) -> None:
        """Stop the sweep and close the Redis connections."""
        self._sweeper.stop()
        if self._queue is not None:
            self._queue.connection.close()

    def _once(self, job_id: str, func: str, arg: str, retry: Any, at: datetime | None) -> None:
        """Enqueue a job unless one with its id will still run; never raise (Redis, RQ)."""
        try:
            self._enqueue_once(job_id, func, arg, retry, at)
        except Exception as exc:
            # The database holds the work; the sweep enqueues it again (Redis back, job gone).
            log.warning("could not enqueue %s: %s", job_id, type(exc).__name__)

    def _enqueue_once(
        self, job_id: str, func: str, arg: str, retry: Any, at: datetime | None
    ) -> None:
        """Enqueue, replacing a finished or failed job of the same id (the database says due)."""
        from rq.exceptions import DuplicateJobError, InvalidJobOperation

        queue = self.queue()
        try:
            self._enqueue(queue, job_id, func, arg, retry, at)
        except DuplicateJobError:
            job = queue.fetch_job(job_id)
            try:
                status = job.get_status(refresh=True) if job is not None else None
            except InvalidJobOperation:
                status = None  # A half-expired record: nothing will run it; replace it.
            if status in IN_HAND:
                return
            if job is not None:
                job.delete()
            self._enqueue(queue, job_id, func, arg, retry, at)

    @staticmethod
    def _enqueue(
        queue: Queue, job_id: str, func: str, arg: str, retry: Any, at: datetime | None
    ) -> Any:
        """Enqueue now, or at `at` for the worker's scheduler, carrying the request's id."""
        meta = {"request_id": request_id()}
        if at is not None:
            return queue.enqueue_at(
                at, func, arg, job_id=job_id, unique=True, retry=retry, meta=meta
            )
        return queue.enqueue(func, arg, job_id=job_id, unique=True, retry=retry, meta=meta)
