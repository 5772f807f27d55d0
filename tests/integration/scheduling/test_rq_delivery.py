"""Scheduled sends on RQ and the real Redis: burst workers, duplicates, and Redis dying mid-way."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator

import pytest

from bot.services.runtime import Runtime
from bot.services.scheduled_items import sweep_items
from bot.tasks import jobs
from bot.tasks.rq import RqDispatcher
from tests.backing_services import require_service
from tests.integration.scheduling.conftest import new_york
from tests.integration.scheduling.helpers import report, schedule, trigger
from tests.integration.scheduling.redis_server import RedisServer, private_redis
from tests.standins import TwilioStandIn
from tests.support import FakeClock


@pytest.fixture()
def redis_server() -> Iterator[RedisServer]:
    """Run a Redis of this test's own, which it may kill and restart."""
    with private_redis() as server:
        yield server


def _wired(build_rt: Callable[..., Runtime], redis_url: str) -> Runtime:
    """Wire a runtime that enqueues on RQ, and make this process's jobs use it."""
    rt = build_rt(redis_url=redis_url)
    assert isinstance(rt.dispatcher, RqDispatcher)
    jobs.install(rt)
    return rt


@pytest.fixture(autouse=True)
def _forget_worker_runtime() -> Iterator[None]:
    """Leave no runtime installed for the next test's jobs."""
    yield
    jobs.reset()


def _work(rt: Runtime) -> None:
    """Run an RQ worker with its scheduler in this process until nothing is due."""
    from rq import SimpleWorker

    assert isinstance(rt.dispatcher, RqDispatcher)
    queue = rt.dispatcher.queue()
    SimpleWorker([queue], connection=queue.connection).work(burst=True, with_scheduler=True)


def test_a_burst_worker_sends_what_is_due_once(
    build_rt: Callable[..., Runtime], redis_url: str, clock: FakeClock, twilio: TwilioStandIn
) -> None:
    rt = _wired(build_rt, redis_url)
    numbers = [new_york() for _ in range(3)]
    surveys = [trigger(rt, number) for number in numbers]
    assert {s.status for s in surveys} == {"scheduled"}
    queue = rt.dispatcher.queue()  # type: ignore[union-attr]
    assert queue.scheduled_job_registry.count == 3  # enqueued for 2 hours after the contact

    clock.advance(hours=2)
    sweep_items(rt)
    sweep_items(rt)  # a second sweep before the worker ran adds nothing
    _work(rt)

    assert sorted(m["To"] for m in twilio.sent) == sorted(numbers)
    for survey in surveys:
        assert report(rt, survey.id)["status"] == "active"
    sweep_items(rt)
    _work(rt)
    assert len(twilio.sent) == 3


def test_a_job_for_a_conversation_that_moved_on_does_nothing(
    build_rt: Callable[..., Runtime], redis_url: str, clock: FakeClock, twilio: TwilioStandIn
) -> None:
    from bot.ports import InboundMessage
    from bot.services.inbound.handle import handle_inbound

    rt = _wired(build_rt, redis_url)
    number = new_york()
    survey = trigger(rt, number)
    handle_inbound(rt, InboundMessage("sms", number, "STOP", "SMstop1", clock.now))
    clock.advance(hours=2)
    sweep_items(rt)
    _work(rt)  # the job scheduled at trigger time still runs, and finds nothing to do
    assert twilio.sent == []
    assert schedule(rt, survey.id) == [("start", "cancelled")]


def test_losing_redis_mid_way_loses_nothing_and_sends_everything_once(
    build_rt: Callable[..., Runtime],
    redis_server: RedisServer,
    clock: FakeClock,
    twilio: TwilioStandIn,
    caplog: pytest.LogCaptureFixture,
) -> None:
    require_service("Redis", "127.0.0.1", redis_server.port)
    rt = _wired(build_rt, redis_server.url)
    numbers = [new_york() for _ in range(5)]
    before = [trigger(rt, n) for n in numbers[:3]]  # queued in Redis…

    redis_server.stop()  # …and lost with it
    with caplog.at_level(logging.WARNING):
        during = [trigger(rt, n) for n in numbers[3:]]  # triggers keep working
        clock.advance(hours=2)
        sweep_items(rt)  # nothing to hand work to: logged, not raised
    assert "could not enqueue" in caplog.text
    assert {s.status for s in before + during} == {"scheduled"}
    assert twilio.sent == []

    redis_server.start()  # back, empty
    sweep_items(rt)
    _work(rt)
    assert sorted(m["To"] for m in twilio.sent) == sorted(numbers)

    clock.advance(hours=24)
    sweep_items(rt)  # the reminders are enqueued…
    redis_server.stop()  # …and lost again
    redis_server.start()
    sweep_items(rt)
    sweep_items(rt)
    _work(rt)
    _work(rt)

    for number in numbers:
        _, reminder = [m["Body"] for m in twilio.sent if m["To"] == number]
        assert "still open" in reminder
    for survey in before + during:
        kinds = dict(schedule(rt, survey.id))
        assert (kinds["start"], kinds["reminder"]) == ("done", "done")


def test_the_worker_command_runs_due_items_without_redis(
    build_rt: Callable[..., Runtime], clock: FakeClock, twilio: TwilioStandIn
) -> None:
    from bot.services.scheduled_items import run_due_items

    rt = build_rt()
    number = new_york()
    trigger(rt, number)
    clock.advance(hours=2, seconds=1)
    assert run_due_items(rt) == ["sent"]


def _jobs(rt: Runtime) -> int:
    """Count the item jobs Redis holds: queued, or scheduled for later."""
    queue = rt.dispatcher.queue()  # type: ignore[union-attr]
    return int(queue.count + queue.scheduled_job_registry.count)


def test_sweeps_while_the_worker_is_down_queue_each_item_once_and_back_off(
    build_rt: Callable[..., Runtime], redis_url: str, clock: FakeClock, twilio: TwilioStandIn
) -> None:
    rt = _wired(build_rt, redis_url)
    numbers = [new_york() for _ in range(5)]
    for number in numbers:
        trigger(rt, number)
    clock.advance(hours=2, minutes=1)  # all overdue, and no worker
    for _ in range(30):
        upcoming = sweep_items(rt)
        # Nothing new falls due: the sweep waits its full interval, not half a second.
        assert upcoming is None or upcoming > clock.now
        clock.advance(seconds=0.5)
    assert _jobs(rt) == 5  # one job per item, however often the sweep ran
    _work(rt)
    assert sorted(m["To"] for m in twilio.sent) == sorted(numbers)
    assert _jobs(rt) == 0


def test_one_broken_job_does_not_stop_the_sweep(
    build_rt: Callable[..., Runtime], redis_url: str, clock: FakeClock, twilio: TwilioStandIn
) -> None:
    rt = _wired(build_rt, redis_url)
    numbers = [new_york() for _ in range(3)]
    for number in numbers:
        trigger(rt, number)
    queue = rt.dispatcher.queue()  # type: ignore[union-attr]
    # A job whose record lost its status (expired half-way): RQ raises InvalidJobOperation.
    for job_id in queue.scheduled_job_registry.get_job_ids():
        queue.connection.hdel(f"rq:job:{job_id}", "status")
    clock.advance(hours=2)
    sweep_items(rt)
    _work(rt)
    assert sorted(m["To"] for m in twilio.sent) == sorted(numbers)


def test_a_job_logs_under_the_id_of_the_request_that_scheduled_it(
    build_rt: Callable[..., Runtime],
    redis_url: str,
    clock: FakeClock,
    twilio: TwilioStandIn,
    caplog: pytest.LogCaptureFixture,
) -> None:
    from bot.logs import RequestIdFilter, handling

    rt = _wired(build_rt, redis_url)
    with handling("dispatch-7c1e"):
        trigger(rt, new_york())
    (job_id,) = rt.dispatcher.queue().scheduled_job_registry.get_job_ids()  # type: ignore[union-attr]
    assert rt.dispatcher.queue().fetch_job(job_id).meta["request_id"] == "dispatch-7c1e"  # type: ignore[union-attr]

    clock.advance(hours=2)
    caplog.handler.addFilter(RequestIdFilter())
    with caplog.at_level(logging.INFO, logger="bot"):
        _work(rt)

    sent = [r for r in caplog.records if r.name == "bot.tasks.jobs"]
    assert len(twilio.sent) == 1 and sent
    assert {getattr(r, "request_id", None) for r in sent} == {"dispatch-7c1e"}
